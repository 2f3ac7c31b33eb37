/**
 * Issue 12, acceptance 3: PostgreSQL connections are cut (pg_terminate_backend on every connection of
 * the app: the API process, two worker processes and this test's own pool) again and again while an
 * export runs. Every process stays up, and the export completes exactly once within a minute.
 *
 * The app's connections are told apart from other tests' by their application_name (the same database
 * serves every test running in parallel); the schema is this test's own, as elsewhere.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrations/index.ts';
import { POSTGRES_SKIP_REASON, testDatabaseUrl } from '../../src/store/testing.ts';
import { spawnEngineWorker, type EngineWorkerProcess } from '../support/engine-worker-process.ts';
import { checkExactlyOnce, newRun, startWorld, waitForJobs, type World } from '../support/reliability.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { SIMULATOR_APPS } from '../support/simulators.ts';

const databaseUrl = testDatabaseUrl();
const LOCK_MS = 3_000;

function withParams(url: string, params: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(params)) parsed.searchParams.set(name, value);
  return parsed.toString();
}

test(
  '[postgres] every app connection cut during an export: all processes stay up, the export completes once within a minute',
  { skip: databaseUrl === undefined ? POSTGRES_SKIP_REASON : false, timeout: 240_000 },
  async (t) => {
    const url = databaseUrl as string;
    const tag = `tl_blip_${crypto.randomUUID().slice(0, 8)}`;
    const schema = `test_${crypto.randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema "${schema}"`);
    const appUrl = withParams(url, { application_name: tag });
    let store: Store | undefined;
    let world: World | undefined;
    let serve: ServerProcess | undefined;
    const workers: EngineWorkerProcess[] = [];
    try {
      store = await openStore({ databaseUrl: appUrl, pgSchema: schema, poolSize: 5 });
      await migrateToLatest(store);
      world = await startWorld(store);
      const run = await newRun(world, 'lightspeed-x');
      // A POS that answers in 150 ms makes the saga last a few seconds: time for several cuts mid-export.
      await run.pos.control('POST', '/_sim/faults', { kind: 'latency', path: '*', latencyMs: 150 });

      serve = await startServerProcess(['serve'], {
        DATABASE_URL: withParams(url, { application_name: tag, options: `-c search_path=${schema}` }),
        TRADELOOP_SECRET_KEY: world.vaultKey,
        LIGHTSPEED_X_CLIENT_ID: SIMULATOR_APPS.lightspeedX.clientId,
        LIGHTSPEED_X_CLIENT_SECRET: SIMULATOR_APPS.lightspeedX.clientSecret,
      });
      for (const id of ['blip-1', 'blip-2'])
        workers.push(
          spawnEngineWorker({
            store: { databaseUrl: appUrl, pgSchema: schema, poolSize: 5 },
            vaultKey: world.vaultKey,
            workerId: id,
            lockMs: LOCK_MS,
          }),
        );
      await Promise.all(workers.map((w) => w.ready));

      const cut = async (): Promise<number> => {
        const result = await admin.query<{ n: string }>(
          'select count(pg_terminate_backend(pid)) as n from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
          [tag],
        );
        return Number(result.rows[0]?.n ?? 0);
      };
      // Every process holds connections before the first cut.
      assert.ok((await cut()) >= 3, 'the API, both workers and this test were connected');

      const started = Date.now();
      const response = await fetch(`${serve.url}/api/plans/${run.plan.id}/apply`, {
        method: 'POST',
        headers: { authorization: `Bearer ${run.token}` },
      });
      const accepted = (await response.json()) as { jobId: string };
      assert.equal(response.status, 202, JSON.stringify(accepted));
      run.adoptJob(accepted.jobId);

      // Cut every app connection every 600 ms while the export runs (the first cut once the POS saw a write).
      const cuts: Array<{ atWrite: number; connections: number }> = [];
      let exportDone = false;
      const cutter = (async () => {
        while (!exportDone && run.pos.writes.length === 0 && Date.now() - started < 30_000)
          await new Promise((resolve) => setTimeout(resolve, 20));
        while (!exportDone && cuts.length < 6) {
          cuts.push({ atWrite: run.pos.writes.length, connections: await cut() });
          await new Promise((resolve) => setTimeout(resolve, 600));
        }
      })();
      try {
        await waitForJobs([run]);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${workers.map((w) => w.stderr().slice(-3000)).join('\n')}`);
      } finally {
        exportDone = true;
        await cutter;
      }
      const tookMs = Date.now() - started;
      t.diagnostic(
        `cuts (POS writes so far → connections cut): ${cuts.map((c) => `${c.atWrite}→${c.connections}`).join(', ')}; export finished in ${tookMs} ms`,
      );

      const midExport = cuts.filter((c) => c.atWrite > 0 && c.connections > 0);
      assert.ok(
        midExport.length >= 2,
        `connections were cut at least twice during the export (${JSON.stringify(cuts)})`,
      );
      assert.ok(tookMs < 60_000, `exported within a minute (${tookMs} ms)`);
      const row = await run.exportRow();
      assert.equal(row?.state, 'exported', `export ${row?.state}: ${row?.failureMessage ?? ''}`);
      const check = await checkExactlyOnce(run);
      assert.deepEqual(check.problems, [], 'exactly once in the POS');
      assert.equal(check.duplicates, 0);

      for (const w of workers) assert.equal(w.child.exitCode, null, `worker ${w.id} is still running`);
      assert.equal(serve.child.exitCode, null, 'the API process is still running');
      const ready = await fetch(`${serve.url}/ready`);
      assert.equal(ready.status, 200, 'the API is ready again');
      const logs = [serve.output.join(''), ...workers.map((w) => w.stderr())].join('\n');
      assert.doesNotMatch(logs, /Unhandled 'error' event|uncaughtException/);
    } finally {
      for (const w of workers) await w.terminate();
      await serve?.stop();
      await world?.close();
      await store?.close();
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    }
  },
);
