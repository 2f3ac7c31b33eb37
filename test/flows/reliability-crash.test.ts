/**
 * Issue 5, acceptance 4 (crash): the worker process is SIGKILLed after each POS write of the export
 * saga in turn, then a fresh worker process is started. Every run must end with exactly one purchase
 * order for the order, no duplicate supplier, brand, product family or item, and every planned line on
 * the PO with its quantity.
 *
 * How the kill lands exactly after write k: each run has its own POS simulator behind a front
 * (test/support/reliability.ts) that counts the writes it forwards and holds one of them:
 * - `after-commit`: write k reaches the POS and commits, its reply is withheld, the worker is killed
 *   while waiting for it (the step is recorded as started, never finished: the resume must find the
 *   record by its correlation key);
 * - `before`: write k was answered, write k+1 is held before the POS sees it, the worker is killed
 *   (the saga recorded what it could; the resume must continue from there).
 * All the runs (every k, both modes, both POS systems) go to one worker process concurrently, each with
 * its own tenant and simulator; the process is killed once every run has reached its point, and one
 * fresh process finishes them all.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exports } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { spawnEngineWorker } from '../support/engine-worker-process.ts';
import {
  checkExactlyOnce,
  cleanSmall,
  drainRuns,
  newRun,
  newRuns,
  posSystems,
  requestCounts,
  startWorld,
  waitForHolds,
  waitForJobs,
  type HoldMode,
  type PosSystem,
  type Run,
} from '../support/reliability.ts';

/** A `small` world whose first order has 6 lines: 1 matched item, a new style/color (new family) and new sizes of a known style. */
const WORLD = { ...cleanSmall, seed: 'r2' };
/** The export's job lock in the test workers: how long a dead worker's job waits before it is taken over. */
const LOCK_MS = Number(process.env['RELIABILITY_LOCK_MS'] ?? 3_000);

interface KillPoint {
  run: Run;
  /** The k-th write of the saga after which the worker dies. */
  k: number;
  mode: HoldMode;
}

/** `/api/2.0/consignments/<uuid>/bulk` → `/api/2.0/consignments/:id/bulk`; `/API/V3/Account/83051/Order/3.json` → `…/Account/:accountID/Order/:id.json`. */
const routeOf = (path: string): string =>
  path
    .replace(/\/[0-9a-f]{8}-[0-9a-f-]{27}/g, '/:id')
    .replace(/\/Account\/\d+\//, '/Account/:accountID/')
    .replace(/\/\d+\.json$/, '/:id.json');

forEachDialect('export saga: worker SIGKILLed after each POS write, then restarted', (getStore, dialect) => {
  test(
    'X-Series and R-Series: every run ends with one PO, no duplicate, every line with its quantity',
    { timeout: 150_000 },
    async (t) => {
      const started = Date.now();
      const store = getStore();
      const world = await startWorld(store, 'small', WORLD);
      try {
        // 1. The same export without a crash: the writes the saga makes, and the baseline request count.
        const baseline = new Map<PosSystem, { writes: string[]; requests: number }>();
        for (const system of posSystems) {
          const run = await newRun(world, system);
          await run.apply();
          await drainRuns(world, [run]);
          assert.equal((await run.exportRow())?.state, 'exported', `${system}: the export without a crash`);
          const check = await checkExactlyOnce(run);
          assert.deepEqual(check.problems, [], `${system} without a crash`);
          baseline.set(system, {
            writes: run.pos.writes.map((w) => `${w.method} ${routeOf(w.path)}`),
            requests: (await requestCounts(run.pos)).total,
          });
        }
        for (const [system, b] of baseline)
          t.diagnostic(
            `${dialect} ${system}: ${b.writes.length} writes without a crash (${b.requests} requests): ${b.writes.join(', ')}`,
          );

        // 2. One run per kill point.
        const plan: Array<Omit<KillPoint, 'run'> & { system: PosSystem }> = [];
        for (const system of posSystems) {
          const n = baseline.get(system)?.writes.length ?? 0;
          assert.ok(n >= 6, `${system}: the saga makes every kind of write (got ${n})`);
          for (let k = 1; k <= n; k++) plan.push({ system, k, mode: 'after-commit' });
          for (let k = 1; k < n; k++) plan.push({ system, k, mode: 'before' });
        }
        const runs = await newRuns(
          world,
          plan.map((p) => ({ system: p.system })),
        );
        const points: KillPoint[] = plan.map((p, i) => ({ run: runs[i] as Run, k: p.k, mode: p.mode }));
        const reached: Array<Promise<unknown>> = [];
        for (const point of points) {
          reached.push(point.run.pos.holdAt(point.mode === 'after-commit' ? point.k : point.k + 1, point.mode));
          await point.run.apply();
        }
        t.diagnostic(`${dialect}: ${points.length} runs set up in ${Date.now() - started} ms`);

        // 3. A worker process runs them all until each reaches its point, and is killed.
        const doomed = spawnEngineWorker({
          store: store.options,
          vaultKey: world.vaultKey,
          workerId: 'doomed',
          lockMs: LOCK_MS,
          concurrency: points.length,
        });
        try {
          await waitForHolds(
            reached,
            points.map((p) => p.run),
          );
        } catch (error) {
          throw new Error(`${(error as Error).message}\n${doomed.stderr().slice(-4000)}`);
        } finally {
          await doomed.kill();
        }
        const killedAt = Date.now();
        for (const point of points) {
          const expectedWrites = point.mode === 'after-commit' ? point.k : point.k + 1;
          assert.equal(
            point.run.pos.writes.length,
            expectedWrites,
            `${point.run.system} k=${point.k} ${point.mode}: stopped at its point`,
          );
          const row = await point.run.exportRow();
          assert.equal(
            row?.state,
            'in_progress',
            `${point.run.system} k=${point.k} ${point.mode}: not finished when killed`,
          );
          const job = await point.run.job();
          assert.equal(job?.state, 'running', 'the dead worker still holds the job');
          assert.equal(job?.lockedBy, 'doomed');
          point.run.pos.releaseHolds();
        }

        // 4. A fresh worker process takes the jobs over once their locks expire, and finishes every run.
        const rescuer = spawnEngineWorker({
          store: store.options,
          vaultKey: world.vaultKey,
          workerId: 'rescuer',
          lockMs: LOCK_MS,
          concurrency: points.length,
        });
        try {
          await waitForJobs(points.map((p) => p.run));
        } catch (error) {
          throw new Error(`${(error as Error).message}\n${rescuer.stderr().slice(-4000)}`);
        } finally {
          assert.equal(await rescuer.terminate(), 0, 'the rescuer stops cleanly');
        }
        const resumedIn = Date.now() - killedAt;

        // 5. Exactly once, for every run.
        let duplicates = 0;
        const failures: string[] = [];
        const extra: Record<string, number[]> = {};
        for (const point of points) {
          const label = `${point.run.system} killed after write ${point.k} (${point.mode === 'after-commit' ? 'committed, reply lost' : 'answered'})`;
          const problems: string[] = [];
          const row = await point.run.exportRow();
          if (row?.state !== 'exported') problems.push(`export ${row?.state}: ${row?.failureMessage ?? ''}`);
          const job = await point.run.job();
          if (job?.state !== 'succeeded') problems.push(`job ${job?.state}`);
          if (!/lock expired: worker doomed/.test(job?.errors[0]?.message ?? ''))
            problems.push(`not taken over from the killed worker: ${JSON.stringify(job?.errors)}`);
          const check = await checkExactlyOnce(point.run);
          duplicates += check.duplicates;
          problems.push(...check.problems);
          if (row?.poId !== check.outcome.purchaseOrders[0]?.id)
            problems.push(`the export names PO ${row?.poId}, the POS has ${check.outcome.purchaseOrders[0]?.id}`);
          const plan = await store.db
            .selectFrom('export_plans')
            .select('state')
            .where('id', '=', point.run.plan.id)
            .executeTakeFirst();
          if (plan?.state !== 'applied') problems.push(`plan ${plan?.state}`);
          const steps = await exports.steps(store.db, point.run.tenantId, point.run.plan.id);
          const open = steps.filter((s) => s.state !== 'done');
          if (open.length > 0)
            problems.push(`steps not done: ${open.map((s) => `${s.stepKey} ${s.state} ${s.error ?? ''}`).join('; ')}`);
          if (problems.length > 0) {
            const writes = point.run.pos.writes.map((w) => `${w.method} ${routeOf(w.path)}`).join(', ');
            failures.push(
              `${label}:\n  ${problems.join('\n  ')}\n  writes: ${writes}\n  job errors: ${JSON.stringify(job?.errors)}`,
            );
          }
          const requests = (await requestCounts(point.run.pos)).total;
          (extra[point.run.system] ??= []).push(requests - (baseline.get(point.run.system)?.requests ?? 0));
        }
        assert.deepEqual(failures, [], failures.join('\n'));
        assert.equal(duplicates, 0);
        for (const [system, list] of Object.entries(extra)) {
          t.diagnostic(
            `${dialect} ${system}: ${list.length} crashed runs all exported once; extra requests over the no-crash run: min ${Math.min(...list)}, max ${Math.max(...list)}`,
          );
        }
        t.diagnostic(
          `${dialect}: ${points.length} runs killed and resumed; duplicates found: ${duplicates}; resumed in ${resumedIn} ms; total ${Date.now() - started} ms`,
        );
      } finally {
        await world.close();
      }
    },
  );
});
