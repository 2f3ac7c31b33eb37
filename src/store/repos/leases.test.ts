import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { forEachDialect } from '../testing.ts';
import { tryAcquire, withLease } from './leases.ts';

forEachDialect('leases', (getStore) => {
  test('a lease is renewed while its holder works, so a long holder keeps it past its TTL; freed at once after', async () => {
    const { db } = getStore();
    const ttlMs = 150;
    let others = 0;
    await withLease(
      db,
      'long-work',
      async () => {
        // Four TTLs of work: another owner is refused all along.
        for (let i = 0; i < 12; i++) {
          if (await tryAcquire(db, 'long-work', 'other', ttlMs)) others++;
          await sleep(ttlMs / 3);
        }
      },
      { ttlMs, owner: 'holder' },
    );
    assert.equal(others, 0, 'nobody else got the lease while its holder worked');
    assert.equal(await tryAcquire(db, 'long-work', 'other', ttlMs), true, 'released when the work ended');
  });

  test('a holder that stops renewing (a dead process) loses the lease within its TTL', async () => {
    const { db } = getStore();
    assert.equal(await tryAcquire(db, 'dead', 'killed', 100), true);
    assert.equal(await tryAcquire(db, 'dead', 'rescuer', 100), false);
    await sleep(150);
    assert.equal(await tryAcquire(db, 'dead', 'rescuer', 100), true);
  });

  test('a holder whose lease was taken over is told, and its release leaves the new owner alone', async () => {
    const { db } = getStore();
    let lost = false;
    await withLease(
      db,
      'taken',
      async () => {
        // Its lease ran out while it stalled, and another process took it.
        await db.deleteFrom('leases').where('lease_key', '=', 'taken').execute();
        assert.equal(await tryAcquire(db, 'taken', 'new-owner', 60_000), true);
        for (let i = 0; i < 20 && !lost; i++) await sleep(20);
      },
      { ttlMs: 90, owner: 'stalled', onLost: () => (lost = true) },
    );
    assert.equal(lost, true, 'the renewal found the lease taken');
    assert.equal(await tryAcquire(db, 'taken', 'third', 60_000), false, 'the new owner still holds it');
  });
});
