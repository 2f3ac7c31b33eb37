import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enqueueScheduledWork } from '../../src/flows/tasks.ts';
import { list } from '../../src/jobs/queue.ts';
import { connections, organizations } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';

const HOUR = 3_600_000;

forEachDialect('scheduled work', (getStore) => {
  test('each POS connection: the catalog feed hourly, a full catalog pass daily; each NuORDER connection and every POS purchase-order feed polled per period', async () => {
    const store = getStore();
    let now = Date.UTC(2026, 10, 23, 0, 5);
    const { ctx } = createTestApp(store, { now: () => now });
    const tenantId = (await organizations.create(store.db, { name: 'Acme' })).id;
    const link = (system: 'nuorder' | 'lightspeed-x' | 'lightspeed-r') =>
      connections.create(store.db, tenantId, {
        system,
        name: system,
        baseUrl: 'http://127.0.0.1:1',
        externalAccountId: `acct-${system}`,
        secretId: null,
      });
    const [nuorder, x, r] = [await link('nuorder'), await link('lightspeed-x'), await link('lightspeed-r')];
    const jobs = async () =>
      (await list(store.db, tenantId, { limit: 500 })).map((j) => ({
        task: j.task,
        connectionId: (j.payload as { connectionId: string }).connectionId,
        full: (j.payload as { full?: boolean }).full,
      }));
    const count = async (connectionId: string, task: string, full?: boolean) =>
      (await jobs()).filter((j) => j.connectionId === connectionId && j.task === task && j.full === full).length;

    // Per POS a full pass, the catalog feed and the purchase-order feed (reorders made in its back office); the
    // NuORDER order poll.
    assert.equal(await enqueueScheduledWork(ctx, 5 * 60_000), 7);
    assert.equal(await count(x.id, 'reorder.pos-feed'), 1);
    assert.equal(await count(r.id, 'reorder.pos-feed'), 1);
    for (const pos of [x, r]) {
      assert.equal(await count(pos.id, 'catalog.sync', true), 1, 'a full pass');
      assert.equal(await count(pos.id, 'catalog.sync', false), 1, 'the change feed');
    }
    assert.equal(await count(nuorder.id, 'orders.ingest'), 1);
    // Every worker enqueues on every tick: within the same period nothing is added.
    assert.equal(await enqueueScheduledWork(ctx, 5 * 60_000), 0);
    // An hour on: the feeds and the order poll again, no second full pass that day.
    now += HOUR;
    assert.equal(await enqueueScheduledWork(ctx, 5 * 60_000), 5);
    assert.equal(await count(r.id, 'reorder.pos-feed'), 2);
    assert.equal(await count(x.id, 'catalog.sync', false), 2);
    assert.equal(await count(x.id, 'catalog.sync', true), 1);
    // The next day: a full pass again.
    now += 24 * HOUR;
    await enqueueScheduledWork(ctx, 5 * 60_000);
    assert.equal(await count(r.id, 'catalog.sync', true), 2);
  });
});
