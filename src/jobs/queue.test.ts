import assert from 'node:assert/strict';
import { test } from 'node:test';
import { organizations } from '../store/repos/index.ts';
import { forEachDialect } from '../store/testing.ts';
import type { TestStore } from '../store/testing.ts';
import { cancel, claimJobs, complete, defer, enqueue, fail, get, heartbeat, list, retry } from './queue.ts';
import type { ClaimOptions } from './queue.ts';

const T0 = 1_700_000_000_000;
const LOCK_MS = 10_000;
const NO_JITTER = () => 1;

async function tenant(store: TestStore, name = 'Acme'): Promise<string> {
  return (await organizations.create(store.db, { name })).id;
}

function claim(store: TestStore, overrides: Partial<ClaimOptions> = {}) {
  return claimJobs(store, {
    task: 'sync',
    workerId: 'worker-a',
    limit: 10,
    lockMs: LOCK_MS,
    now: T0,
    random: NO_JITTER,
    ...overrides,
  });
}

async function claimOne(store: TestStore, overrides: Partial<ClaimOptions> = {}) {
  const [job, ...rest] = await claim(store, { limit: 1, ...overrides });
  assert.ok(job, 'a job was claimed');
  assert.equal(rest.length, 0);
  return job;
}

forEachDialect('job queue', (getStore) => {
  test('enqueue with the same key twice keeps one job and returns it', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    const first = await enqueue(store.db, { tenantId, task: 'sync', key: 'order-1', payload: { n: 1 } });
    const second = await enqueue(store.db, { tenantId, task: 'sync', key: 'order-1', payload: { n: 2 } });
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.job.id, first.job.id);
    assert.deepEqual(second.job.payload, { n: 1 });
    assert.equal((await list(store.db, tenantId)).length, 1);
  });

  test('keys deduplicate within a tenant and task only; unkeyed jobs never', async () => {
    const store = getStore();
    const acme = await tenant(store, 'Acme');
    const globex = await tenant(store, 'Globex');
    await enqueue(store.db, { tenantId: acme, task: 'sync', key: 'k' });
    assert.equal((await enqueue(store.db, { tenantId: globex, task: 'sync', key: 'k' })).created, true);
    assert.equal((await enqueue(store.db, { tenantId: acme, task: 'other', key: 'k' })).created, true);
    assert.equal((await enqueue(store.db, { tenantId: acme, task: 'sync' })).created, true);
    assert.equal((await enqueue(store.db, { tenantId: acme, task: 'sync' })).created, true);
    assert.equal((await list(store.db, acme)).length, 4);
  });

  test('a job enqueued in a transaction that rolls back does not exist', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        await enqueue(trx, { tenantId, task: 'sync', key: 'k' });
        throw new Error('rollback');
      }),
      /rollback/,
    );
    assert.deepEqual(await list(store.db, tenantId), []);
  });

  test('only due jobs are claimed, oldest first, each by one claim', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    const later = await enqueue(store.db, { tenantId, task: 'sync', runAt: T0 + 1, now: T0 - 5 });
    const second = await enqueue(store.db, { tenantId, task: 'sync', runAt: T0 - 1, now: T0 - 5 });
    const first = await enqueue(store.db, { tenantId, task: 'sync', runAt: T0 - 2, now: T0 - 5 });
    await enqueue(store.db, { tenantId, task: 'other', now: T0 - 5 });
    const claimed = await claim(store);
    assert.deepEqual(
      claimed.map((job) => job.id),
      [first.job.id, second.job.id],
    );
    assert.ok(claimed.every((job) => job.state === 'running' && job.lockedBy === 'worker-a'));
    assert.equal(claimed[0]?.lockedUntil, T0 + LOCK_MS);
    assert.deepEqual(await claim(store, { workerId: 'worker-b' }), []);
    assert.equal((await claim(store, { now: T0 + 1 }))[0]?.id, later.job.id);
  });

  test('complete stores the result and finishes the job', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    await enqueue(store.db, { tenantId, task: 'sync', now: T0 });
    const job = await claimOne(store);
    assert.equal(await complete(store.db, job, { purchaseOrder: 'PO-1' }, T0 + 5), true);
    const done = await get(store.db, tenantId, job.id);
    assert.equal(done?.state, 'succeeded');
    assert.deepEqual(done?.result, { purchaseOrder: 'PO-1' });
    assert.equal(done?.finishedAt, T0 + 5);
    assert.equal(done?.lockedBy, null);
  });

  test('a failure is recorded with its reason and retried after a growing backoff', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    await enqueue(store.db, { tenantId, task: 'sync', now: T0, maxAttempts: 3 });
    const backoff = { baseMs: 1_000, capMs: 60_000 };

    const firstRun = await claimOne(store);
    const afterFirst = await fail(store.db, firstRun, new Error('POS answered 503'), {
      now: T0,
      backoff,
      random: NO_JITTER,
    });
    assert.equal(afterFirst?.state, 'queued');
    assert.equal(afterFirst?.attempts, 1);
    assert.equal(afterFirst?.runAt, T0 + 1_000);
    assert.equal(afterFirst?.lastError, 'POS answered 503');
    assert.deepEqual(await claim(store, { now: T0 + 999 }), []);

    const secondRun = await claimOne(store, { now: T0 + 1_000 });
    const afterSecond = await fail(store.db, secondRun, new TypeError('bad reply'), {
      now: T0 + 1_000,
      backoff,
      random: NO_JITTER,
    });
    assert.equal(afterSecond?.runAt, T0 + 1_000 + 2_000);

    const thirdRun = await claimOne(store, { now: T0 + 3_000 });
    const afterThird = await fail(store.db, thirdRun, 'still broken', { now: T0 + 3_000, backoff });
    assert.equal(afterThird?.state, 'failed');
    assert.equal(afterThird?.finishedAt, T0 + 3_000);
    assert.deepEqual(afterThird?.errors, [
      { at: T0, attempt: 1, message: 'POS answered 503' },
      { at: T0 + 1_000, attempt: 2, message: 'TypeError: bad reply' },
      { at: T0 + 3_000, attempt: 3, message: 'still broken' },
    ]);
    assert.deepEqual(await claim(store, { now: T0 + 1_000_000 }), []);
  });

  test('a permanent failure fails at once, whatever attempts are left', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    await enqueue(store.db, { tenantId, task: 'sync', now: T0, maxAttempts: 10 });
    const job = await claimOne(store);
    const failed = await fail(store.db, job, new Error('order not found'), { now: T0, permanent: true });
    assert.equal(failed?.state, 'failed');
    assert.equal(failed?.attempts, 1);
  });

  test('defer puts the job back until the given time and keeps the attempt count', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    await enqueue(store.db, { tenantId, task: 'sync', now: T0 });
    const firstRun = await claimOne(store);
    await fail(store.db, firstRun, new Error('timeout'), { now: T0, backoff: { baseMs: 10, capMs: 10 } });
    const secondRun = await claimOne(store, { now: T0 + 10 });
    assert.equal(await defer(store.db, secondRun, T0 + 60_000, T0 + 10), true);
    const deferred = await get(store.db, tenantId, secondRun.id);
    assert.equal(deferred?.state, 'queued');
    assert.equal(deferred?.attempts, 1);
    assert.equal(deferred?.runAt, T0 + 60_000);
    assert.equal(deferred?.errors.length, 1);
    assert.deepEqual(await claim(store, { now: T0 + 59_999 }), []);
    assert.equal((await claimOne(store, { now: T0 + 60_000 })).attempts, 1);
  });

  test('an expired lock is taken over and counts as a failed attempt; the old holder can no longer finish', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    await enqueue(store.db, { tenantId, task: 'sync', now: T0 });
    const lost = await claimOne(store, { workerId: 'crashed', lockMs: 1_000 });
    assert.deepEqual(
      await claim(store, { workerId: 'rescuer', now: T0 + 1_000 }),
      [],
      'lock still live at its deadline',
    );

    const backoff = { baseMs: 100, capMs: 100 };
    assert.deepEqual(await claim(store, { workerId: 'rescuer', now: T0 + 1_001, backoff }), []);
    const recovered = await get(store.db, tenantId, lost.id);
    assert.equal(recovered?.state, 'queued');
    assert.equal(recovered?.attempts, 1);
    assert.match(recovered?.lastError ?? '', /lock expired: worker crashed/);

    const rescued = await claimOne(store, { workerId: 'rescuer', now: T0 + 1_101 });
    assert.equal(rescued.id, lost.id);
    assert.equal(await complete(store.db, lost, 'late', T0 + 1_200), false);
    assert.equal(await heartbeat(store.db, lost, { lockMs: 1_000, now: T0 + 1_200 }), false);
    assert.equal(await complete(store.db, rescued, 'ok', T0 + 1_200), true);
  });

  test('an expired lock on the last attempt fails the job for good', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    await enqueue(store.db, { tenantId, task: 'sync', now: T0, maxAttempts: 1 });
    const lost = await claimOne(store, { lockMs: 1_000 });
    await claim(store, { now: T0 + 5_000 });
    assert.equal((await get(store.db, tenantId, lost.id))?.state, 'failed');
  });

  test('heartbeat extends the lock', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    await enqueue(store.db, { tenantId, task: 'sync', now: T0 });
    const job = await claimOne(store, { lockMs: 1_000 });
    assert.equal(await heartbeat(store.db, job, { lockMs: 1_000, now: T0 + 900 }), true);
    assert.deepEqual(await claim(store, { workerId: 'other', now: T0 + 1_500 }), []);
    assert.equal((await get(store.db, tenantId, job.id))?.state, 'running');
  });

  test('the concurrency limit counts live locks across claims', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    for (let i = 0; i < 5; i++) await enqueue(store.db, { tenantId, task: 'sync', now: T0 });
    const first = await claim(store, { concurrencyLimit: 2 });
    assert.equal(first.length, 2);
    assert.deepEqual(await claim(store, { workerId: 'other', concurrencyLimit: 2 }), []);
    assert.ok(first[0]);
    await complete(store.db, first[0], null, T0);
    assert.equal((await claim(store, { workerId: 'other', concurrencyLimit: 2 })).length, 1);
  });

  test('cancel and retry, only within the tenant', async () => {
    const store = getStore();
    const acme = await tenant(store, 'Acme');
    const globex = await tenant(store, 'Globex');
    const { job } = await enqueue(store.db, { tenantId: acme, task: 'sync', now: T0 });
    assert.equal(await cancel(store.db, globex, job.id), undefined);
    assert.equal(await get(store.db, globex, job.id), undefined);

    const cancelled = await cancel(store.db, acme, job.id, T0 + 1);
    assert.equal(cancelled?.state, 'cancelled');
    assert.deepEqual(await claim(store, { now: T0 + 2 }), []);
    assert.equal(await retry(store.db, globex, job.id), undefined);

    const retried = await retry(store.db, acme, job.id, T0 + 3);
    assert.equal(retried?.state, 'queued');
    assert.equal(retried?.runAt, T0 + 3);
    const running = await claimOne(store, { now: T0 + 3 });
    assert.equal(await retry(store.db, acme, job.id), undefined, 'a running job cannot be retried');

    await cancel(store.db, acme, job.id, T0 + 4);
    assert.equal(await complete(store.db, running, 'too late', T0 + 5), false);
    assert.equal((await get(store.db, acme, job.id))?.state, 'cancelled');
  });

  test('retry gives a failed job a fresh set of attempts and keeps its error history', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    await enqueue(store.db, { tenantId, task: 'sync', now: T0, maxAttempts: 1 });
    const job = await claimOne(store);
    await fail(store.db, job, new Error('boom'), { now: T0 });
    const retried = await retry(store.db, tenantId, job.id, T0 + 1);
    assert.equal(retried?.attempts, 0);
    assert.equal(retried?.finishedAt, null);
    assert.deepEqual(
      retried?.errors.map((error) => error.message),
      ['boom'],
    );
  });

  test('list filters by state and task, newest first, within the tenant', async () => {
    const store = getStore();
    const acme = await tenant(store, 'Acme');
    const globex = await tenant(store, 'Globex');
    const a = await enqueue(store.db, { tenantId: acme, task: 'sync', now: T0 });
    const b = await enqueue(store.db, { tenantId: acme, task: 'ingest', now: T0 + 1 });
    await enqueue(store.db, { tenantId: globex, task: 'sync', now: T0 + 2 });
    await cancel(store.db, acme, a.job.id);
    assert.deepEqual(
      (await list(store.db, acme)).map((job) => job.id),
      [b.job.id, a.job.id],
    );
    assert.deepEqual(
      (await list(store.db, acme, { state: 'cancelled' })).map((job) => job.id),
      [a.job.id],
    );
    assert.deepEqual(
      (await list(store.db, acme, { task: 'ingest' })).map((job) => job.id),
      [b.job.id],
    );
    assert.equal((await list(store.db, acme, { limit: 1 })).length, 1);
  });
});
