// Bench support for issue 18's scale-out figures: export-like jobs (export.apply's own concurrency options, one
// job per order, each a run of writes to its POS account) run by 1, 2 or 4 workers on a PostgreSQL store, against
// in-process R-Series simulators (one per account). Each worker has its own clients and so its own rate governors,
// as separate processes would; they share each account's budget through the store (storeBudgetStore).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { AppContext } from '../../src/app-context.ts';
import { createRSeriesClient, type RSeriesClient } from '../../src/connectors/lightspeed-r/client.ts';
import { InMemoryTokenStore } from '../../src/connectors/shared/oauth2.ts';
import { storeBudgetStore } from '../../src/flows/credentials.ts';
import { exportSaga } from '../../src/flows/export/saga.ts';
import { enqueue, list } from '../../src/jobs/queue.ts';
import { createWorker } from '../../src/jobs/runner.ts';
import { defineTask, taskHandlers } from '../../src/jobs/task.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import type { RunningServer } from '../../src/simulators/shared/server.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrations/index.ts';
import { organizations } from '../../src/store/repos/index.ts';
import { startSimulator } from '../../test/support/simulators.ts';
import { pgSchema } from './pg.ts';

const CLIENT_ID = 'tradeloop-sim-client';
const CLIENT_SECRET = 'tradeloop-sim-secret';
const anything = z.unknown();

export interface Account {
  url: string;
  server: RunningServer;
  accountId: string;
  control(method: string, path: string, body?: unknown): Promise<any>;
}

export async function startAccount(config: Record<string, unknown>): Promise<Account> {
  const { server, url, control } = await startSimulator('lightspeed-r', { scenario: 'none' });
  await control('PUT', '/_sim/config', { costModel: 'current', resetBuckets: true, ...config });
  const minted = await control('POST', '/_sim/tokens', { clientId: CLIENT_ID, expiresInSeconds: 86_400 });
  return { url, server, accountId: String(minted.account_id), control };
}

/** A PostgreSQL store in a schema of its own, dropped by `close`. */
export async function pgStore(): Promise<{ store: Store; close(): Promise<void> }> {
  const schema = await pgSchema(12);
  const store = await openStore(schema.options);
  await migrateToLatest(store);
  return {
    store,
    async close() {
      await store.close();
      await schema.drop();
    },
  };
}

/** Network latency per call, as a real POS has (the simulator answers at once). */
const LATENCY_MS = 100;
const slowFetch: typeof fetch = async (input, init) => {
  await sleep(LATENCY_MS);
  return fetch(input, init);
};

export interface RunOptions {
  store: Store;
  accounts: Account[];
  /** The account of each job (an index into accounts). */
  jobs: number[];
  writesPerJob: number;
  workers: number;
}

/** Runs the jobs to the end with that many workers; the wall time in ms. */
export async function runJobs(options: RunOptions): Promise<number> {
  const { store } = options;
  const tenantId = (await organizations.create(store.db, { name: `Bench ${randomUUID()}` })).id;
  const ctx: AppContext = { store, logger: createLogger('warn'), now: () => Date.now() } as unknown as AppContext;
  const payload = z.object({ planId: z.string(), connectionId: z.string(), account: z.number(), writes: z.number() });
  const config = loadConfig();
  const makeWorker = (n: number) => {
    const clients = new Map<number, RSeriesClient>();
    const clientFor = async (index: number): Promise<RSeriesClient> => {
      const existing = clients.get(index);
      if (existing) return existing;
      const account = options.accounts[index]!;
      const tokens = new InMemoryTokenStore();
      const minted = await account.control('POST', '/_sim/tokens', { clientId: CLIENT_ID, expiresInSeconds: 86_400 });
      await tokens.write(`conn-${index}`, {
        accessToken: minted.access_token,
        refreshToken: minted.refresh_token,
        expiresAt: Date.now() + 86_400_000,
      });
      const client = createRSeriesClient({
        apiBaseUrl: account.url,
        accountId: account.accountId,
        connectionId: `conn-${index}`,
        tokens,
        oauth: { tokenUrl: `${account.url}/auth/oauth/token`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
        budgets: storeBudgetStore(ctx, tenantId),
        budgetKey: `lightspeed-r:${account.accountId}:${index}:${CLIENT_ID}`,
        fetch: slowFetch,
        rateLimitWaitMs: 120_000,
      });
      clients.set(index, client);
      return client;
    };
    // export.apply's own concurrency options: per POS connection, and per worker as src/main.ts sets it.
    const taskOptions = { ...exportSaga.task.options, workerConcurrency: config.exportsPerWorker };
    const task = defineTask('bench.export', payload, taskOptions, async (_: null, p) => {
      const client = await clientFor(p.account);
      for (let i = 0; i < p.writes; i++)
        await client.request({
          method: 'POST',
          path: 'Manufacturer.json',
          body: { name: `${p.planId} ${i}` },
          schema: anything,
        });
      return p.writes;
    });
    // A worker process as `tradeloop worker` runs one: WORKER_CONCURRENCY jobs at once (default 4), of them
    // EXPORTS_PER_WORKER exports (default 2).
    return createWorker({
      store,
      handlers: taskHandlers(null, [task]),
      pollMs: 250,
      workerId: `bench-${n}`,
      concurrency: config.workerConcurrency,
    });
  };
  const workers = Array.from({ length: options.workers }, (_, n) => makeWorker(n));
  const enqueueTask = defineTask('bench.export', payload, exportSaga.task.options, () => undefined);
  for (const [i, account] of options.jobs.entries())
    await enqueue(
      store.db,
      enqueueTask,
      { planId: `plan-${i}`, connectionId: `conn-${account}`, account, writes: options.writesPerJob },
      { tenantId },
    );
  const started = performance.now();
  for (const worker of workers) worker.start();
  for (;;) {
    const done = await list(store.db, tenantId, { limit: 500 });
    if (done.some((j) => j.state === 'failed'))
      throw new Error(`a job failed: ${done.find((j) => j.lastError)?.lastError}`);
    if (done.every((j) => j.state === 'succeeded')) break;
    await sleep(20);
  }
  const ms = performance.now() - started;
  await Promise.all(workers.map((w) => w.stop()));
  return ms;
}
