import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { organizations } from '../store/repos/index.ts';
import { forEachDialect } from '../store/testing.ts';
import type { TestStore } from '../store/testing.ts';
import { JobLockLostError, PermanentJobError, WorkerStoppingError } from './errors.ts';
import { cancel, enqueue, get, list } from './queue.ts';
import { createWorker } from './runner.ts';
import type { JobHandler, WorkerOptions } from './runner.ts';
import { waitUntil } from '../../test/support/wait.ts';

const FAST_BACKOFF = { baseMs: 1, capMs: 1 };

async function tenant(store: TestStore): Promise<string> {
  return (await organizations.create(store.db, { name: 'Acme' })).id;
}

function workerFor(store: TestStore, handlers: Record<string, JobHandler>, options: Partial<WorkerOptions> = {}) {
  return createWorker({ store, handlers, pollMs: 20, backoff: FAST_BACKOFF, ...options });
}

/** A promise the test resolves by hand, to hold a handler mid-job. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** The jobs' states and attempts: what a wait on the queue watches move. */
async function jobProgress(store: TestStore, tenantId: string) {
  return (await list(store.db, tenantId)).map((j) => [j.id, j.state, j.attempts]);
}

forEachDialect('job runner', (getStore) => {
  test('a started worker runs queued jobs and stores their results', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    const worker = workerFor(store, { double: { run: (job) => (job.payload as number) * 2 } });
    worker.start();
    const { job } = await enqueue(store.db, { tenantId, task: 'double', payload: 21 });
    await waitUntil(
      async () =>
        (await get(store.db, tenantId, job.id))?.state === 'succeeded'
          ? { done: true, value: undefined }
          : { done: false, progress: await jobProgress(store, tenantId) },
      { what: 'the started worker running the job', intervalMs: 10 },
    );
    await worker.stop();
    assert.equal((await get(store.db, tenantId, job.id))?.result, 42);
  });

  test('a job enqueued twice with the same key runs once', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    let runs = 0;
    const worker = workerFor(store, { export: { run: () => ++runs } });
    await enqueue(store.db, { tenantId, task: 'export', key: 'order-1' });
    await worker.drain();
    await enqueue(store.db, { tenantId, task: 'export', key: 'order-1' });
    await worker.drain();
    assert.equal(runs, 1);
  });

  test('a failing job is retried with its reasons recorded, then succeeds', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    const worker = workerFor(store, {
      flaky: {
        run: (_job, ctx) => {
          if (ctx.attempt < 3) throw new Error(`POS timeout on attempt ${ctx.attempt}`);
          return 'done';
        },
      },
    });
    const { job } = await enqueue(store.db, { tenantId, task: 'flaky' });
    await waitUntil(
      async () => {
        await worker.drain();
        return (await get(store.db, tenantId, job.id))?.state === 'succeeded'
          ? { done: true, value: undefined }
          : { done: false, progress: await jobProgress(store, tenantId) };
      },
      { what: 'the flaky job succeeding', intervalMs: 10 },
    );
    const done = await get(store.db, tenantId, job.id);
    assert.equal(done?.attempts, 2);
    assert.deepEqual(
      done?.errors.map((error) => error.message),
      ['POS timeout on attempt 1', 'POS timeout on attempt 2'],
    );
  });

  test('a permanent error, or one that says it is not retryable, fails the job at once', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    const worker = workerFor(store, {
      doomed: { run: () => Promise.reject(new PermanentJobError('order was deleted')) },
      rejected: { run: () => Promise.reject(Object.assign(new Error('400 bad UPC'), { retryable: false })) },
    });
    const doomed = await enqueue(store.db, { tenantId, task: 'doomed', maxAttempts: 5 });
    const rejected = await enqueue(store.db, { tenantId, task: 'rejected', maxAttempts: 5 });
    await worker.drain();
    const failed = await get(store.db, tenantId, doomed.job.id);
    assert.equal(failed?.state, 'failed');
    assert.equal(failed?.lastError, 'PermanentJobError: order was deleted');
    assert.equal((await get(store.db, tenantId, rejected.job.id))?.state, 'failed');
  });

  test('ctx.defer postpones the job without using an attempt', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    let now = 1_000_000;
    const clock = { now: () => now };
    const worker = workerFor(
      store,
      {
        limited: {
          run: (_job, ctx) => {
            if (ctx.now() < 1_060_000) ctx.defer(1_060_000, 'rate budget spent');
            return ctx.attempt;
          },
        },
      },
      { clock },
    );
    const { job } = await enqueue(store.db, { tenantId, task: 'limited', now, maxAttempts: 1 });
    await worker.drain();
    const deferred = await get(store.db, tenantId, job.id);
    assert.equal(deferred?.state, 'queued');
    assert.equal(deferred?.attempts, 0);
    assert.equal(deferred?.runAt, 1_060_000);
    assert.deepEqual(deferred?.errors, []);
    now = 1_060_000;
    await worker.drain();
    const done = await get(store.db, tenantId, job.id);
    assert.equal(done?.state, 'succeeded');
    assert.equal(done?.result, 1);
  });

  test('per-task concurrency holds across workers', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    let inFlight = 0;
    let mostInFlight = 0;
    const solo: JobHandler = {
      concurrency: 1,
      run: async () => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await sleep(15);
        inFlight--;
      },
    };
    const workers = [workerFor(store, { solo }), workerFor(store, { solo })];
    for (let i = 0; i < 4; i++) await enqueue(store.db, { tenantId, task: 'solo' });
    for (const worker of workers) worker.start();
    await waitUntil(
      async () => {
        const jobs = await jobProgress(store, tenantId);
        return jobs.filter(([, state]) => state === 'succeeded').length === 4
          ? { done: true, value: undefined }
          : { done: false, progress: jobs };
      },
      { what: 'the four solo jobs succeeding', intervalMs: 10 },
    );
    await Promise.all(workers.map((worker) => worker.stop()));
    assert.equal(mostInFlight, 1);
  });

  test('stop lets a job finish within the grace period', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    const started = gate();
    const worker = workerFor(store, {
      short: {
        run: async () => {
          started.open();
          await sleep(30);
          return 'finished';
        },
      },
    });
    const { job } = await enqueue(store.db, { tenantId, task: 'short' });
    worker.start();
    await started.opened;
    await worker.stop({ graceMs: 2_000 });
    assert.equal((await get(store.db, tenantId, job.id))?.state, 'succeeded');
  });

  test('stop aborts a job that outlives the grace period and puts it back without using an attempt', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    const started = gate();
    let abortReason: unknown;
    const worker = workerFor(store, {
      endless: {
        run: (_job, ctx) => {
          started.open();
          return new Promise((_resolve, reject) => {
            ctx.signal.addEventListener('abort', () => {
              abortReason = ctx.signal.reason;
              reject(ctx.signal.reason);
            });
          });
        },
      },
    });
    const { job } = await enqueue(store.db, { tenantId, task: 'endless' });
    worker.start();
    await started.opened;
    await worker.stop({ graceMs: 50 });
    assert.ok(abortReason instanceof WorkerStoppingError);
    const released = await get(store.db, tenantId, job.id);
    assert.equal(released?.state, 'queued');
    assert.equal(released?.attempts, 0);
    assert.equal(released?.lockedBy, null);
    assert.deepEqual(released?.errors, []);
  });

  test('a heartbeat after the job was cancelled aborts the handler', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    const started = gate();
    const cancelled = gate();
    let heartbeatError: unknown;
    let aborted = false;
    const worker = workerFor(store, {
      long: {
        run: async (_job, ctx) => {
          await ctx.heartbeat();
          started.open();
          await cancelled.opened;
          heartbeatError = await ctx.heartbeat().catch((error: unknown) => error);
          aborted = ctx.signal.aborted;
        },
      },
    });
    const { job } = await enqueue(store.db, { tenantId, task: 'long' });
    await worker.tick();
    await started.opened;
    await cancel(store.db, tenantId, job.id);
    cancelled.open();
    await worker.idle();
    assert.ok(heartbeatError instanceof JobLockLostError);
    assert.equal(aborted, true);
    assert.equal((await get(store.db, tenantId, job.id))?.state, 'cancelled');
  });

  test('a job that runs past its lock time keeps its lock while its worker lives, and no other worker takes it', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    const finish = gate();
    const started = gate();
    const lockMs = 150;
    const busy = workerFor(store, {
      slow: {
        lockMs,
        run: async () => {
          started.open();
          await finish.opened;
          return 'done';
        },
      },
    });
    const other = workerFor(store, { slow: { lockMs, run: () => 'stolen' } }, { workerId: 'other' });
    const { job } = await enqueue(store.db, { tenantId, task: 'slow' });
    await busy.tick();
    await started.opened;
    // Four lock periods without the handler doing anything: the worker renews the lock by itself.
    for (let i = 0; i < 12; i++) {
      assert.equal(await other.tick(), 0, 'the job is still locked by its live worker');
      await sleep(lockMs / 3);
    }
    finish.open();
    await busy.idle();
    const done = await get(store.db, tenantId, job.id);
    assert.equal(done?.state, 'succeeded');
    assert.equal(done?.result, 'done');
    assert.equal(done?.attempts, 0);
  });

  test('a lock lost while the handler runs aborts the handler without it asking', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    const started = gate();
    let reason: unknown;
    const worker = workerFor(store, {
      quiet: {
        lockMs: 90,
        run: (_job, ctx) => {
          started.open();
          return new Promise((_resolve, reject) => {
            ctx.signal.addEventListener('abort', () => {
              reason = ctx.signal.reason;
              reject(ctx.signal.reason);
            });
          });
        },
      },
    });
    const { job } = await enqueue(store.db, { tenantId, task: 'quiet' });
    await worker.tick();
    await started.opened;
    await cancel(store.db, tenantId, job.id);
    // Nothing to watch move here but the abort itself: the wait fails after stallMs without it.
    await waitUntil(() => (reason !== undefined ? { done: true, value: undefined } : { done: false, progress: null }), {
      what: 'the handler aborted by the lost lock',
      intervalMs: 10,
    });
    assert.ok(reason instanceof JobLockLostError);
    await worker.idle();
    assert.equal((await get(store.db, tenantId, job.id))?.state, 'cancelled');
  });

  test('retryAfterOutage follows the worker backoff and ends with its outage budget', async () => {
    const store = getStore();
    const tenantId = await tenant(store);
    const now = 1_000_000;
    const answers: Array<number | null> = [];
    const worker = workerFor(
      store,
      {
        outage: {
          run: (_job, ctx) => {
            answers.push(ctx.retryAfterOutage(now), ctx.retryAfterOutage(now - 50), ctx.retryAfterOutage(now - 60));
            return null;
          },
        },
      },
      { clock: { now: () => now }, backoff: { baseMs: 10, capMs: 20 }, outageBudgetMs: 60, random: () => 1 },
    );
    await enqueue(store.db, { tenantId, task: 'outage', now });
    await worker.drain();
    assert.deepEqual(answers, [now + 10, now + 10, null]);
  });
});
