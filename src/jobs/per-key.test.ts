import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { z } from 'zod';
import { organizations } from '../store/repos/index.ts';
import { forEachDialect } from '../store/testing.ts';
import type { TestStore } from '../store/testing.ts';
import { claimJobs, complete, enqueue, list } from './queue.ts';
import type { ClaimOptions, PerKeyLimit } from './queue.ts';
import { createWorker } from './runner.ts';
import { defineTask, taskHandlers } from './task.ts';
import { waitUntil } from '../../test/support/wait.ts';

/** Concurrency per key (issue 18): a limit per POS account, not per task across the cluster. */

const T0 = 1_700_000_000_000;
const byAccount = (limit: number): PerKeyLimit => ({
  limit,
  keyOf: (payload) => (payload as { account?: string }).account,
});

async function tenant(store: TestStore): Promise<string> {
  return (await organizations.create(store.db, { name: 'Acme' })).id;
}

function claim(store: TestStore, overrides: Partial<ClaimOptions> = {}) {
  return claimJobs(store, { task: 'push', workerId: 'w1', limit: 10, lockMs: 10_000, now: T0, ...overrides });
}

forEachDialect('jobs limited per key', (getStore) => {
  test('jobs for eight accounts are claimed at once; two for one account with limit 1 are not', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    for (let i = 0; i < 8; i++)
      await enqueue(store.db, { tenantId, task: 'push', payload: { account: `acct-${i}` }, now: T0 });
    const first = await claim(store, { perKey: byAccount(1) });
    assert.equal(first.length, 8);

    await enqueue(store.db, { tenantId, task: 'push', payload: { account: 'busy' }, now: T0 });
    await enqueue(store.db, { tenantId, task: 'push', payload: { account: 'busy' }, now: T0 });
    const second = await claim(store, { perKey: byAccount(1) });
    assert.deepEqual(
      second.map((job) => job.payload),
      [{ account: 'busy' }],
    );
    // Another worker sees the account busy, in the same process or not.
    assert.deepEqual(await claim(store, { workerId: 'w2', perKey: byAccount(1) }), []);
    // Once it finishes, the account's next job is claimable.
    assert.ok(await complete(store.db, second[0]!, null, T0 + 1));
    assert.equal((await claim(store, { workerId: 'w2', perKey: byAccount(1), now: T0 + 2 })).length, 1);
  });

  test('a busy account does not hold up the others behind it, and an expired lock frees its slot', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    for (let i = 0; i < 3; i++)
      await enqueue(store.db, { tenantId, task: 'push', payload: { account: 'busy' }, now: T0 + i });
    await enqueue(store.db, { tenantId, task: 'push', payload: { account: 'quiet' }, now: T0 + 10 });
    await enqueue(store.db, { tenantId, task: 'push', payload: {}, now: T0 + 11 });
    const claimed = await claim(store, { perKey: byAccount(2), now: T0 + 20 });
    assert.deepEqual(
      claimed.map((job) => job.payload),
      [{ account: 'busy' }, { account: 'busy' }, { account: 'quiet' }, {}],
    );
    // The two busy ones' locks expire: the third busy job (and a retry of each) may run.
    const later = await claim(store, { workerId: 'w2', perKey: byAccount(2), now: T0 + 20 + 10_001 });
    assert.ok(later.length >= 1);
    assert.ok(later.every((job) => (job.payload as { account?: string }).account === 'busy'));
    assert.ok(later.length <= 2);
  });

  test('a typed task limits per key across workers and per worker, with no cap across the cluster', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    let inFlight = 0;
    let mostInFlight = 0;
    const perAccount = new Map<string, number>();
    let mostPerAccount = 0;
    const push = defineTask(
      'push',
      z.object({ account: z.string() }),
      { workerConcurrency: 2, concurrencyKey: (p) => p.account, concurrencyPerKey: 1 },
      async (_deps: null, payload) => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        const here = (perAccount.get(payload.account) ?? 0) + 1;
        perAccount.set(payload.account, here);
        mostPerAccount = Math.max(mostPerAccount, here);
        await sleep(400);
        perAccount.set(payload.account, here - 1);
        inFlight--;
      },
    );
    for (let i = 0; i < 8; i++) await enqueue(store.db, push, { account: `acct-${i % 4}` }, { tenantId });
    const workers = [0, 1, 2].map(() =>
      createWorker({ store, handlers: taskHandlers(null, [push]), pollMs: 10, concurrency: 10 }),
    );
    for (const worker of workers) worker.start();
    await waitUntil(
      async () => {
        const jobs = (await list(store.db, tenantId)).map((j) => [j.id, j.state, j.attempts]);
        return jobs.filter(([, state]) => state === 'succeeded').length === 8
          ? { done: true, value: undefined }
          : { done: false, progress: jobs };
      },
      { what: 'the eight jobs finishing', intervalMs: 10 },
    );
    await Promise.all(workers.map((worker) => worker.stop()));
    assert.equal(mostPerAccount, 1, 'one job per account at a time');
    assert.ok(mostInFlight > 2, `more than one worker's worth ran at once (${mostInFlight})`);
    assert.ok(mostInFlight <= 4, `at most one per account (${mostInFlight})`);
  });
});
