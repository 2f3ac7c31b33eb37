/**
 * Issue 5, acceptance 4 (concurrency): fifty concurrent apply requests for one plan
 * (`POST /api/plans/:id/apply` through the real HTTP app) make one export, one job and one PO; the
 * other 49 get a clear 409. Two worker processes drain the queue together. Both dialects, both POS
 * systems (one plan each, the hundred requests at once).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../../src/store/testing.ts';
import { spawnEngineWorker } from '../support/engine-worker-process.ts';
import {
  checkExactlyOnce,
  cleanSmall,
  newRuns,
  posSystems,
  requestCounts,
  startWorld,
  waitForJobs,
} from '../support/reliability.ts';

const WORLD = { ...cleanSmall, seed: 'r2' };
const REQUESTS = 50;

forEachDialect('fifty concurrent apply requests for one plan', (getStore, dialect) => {
  test(
    'one export, one job, one PO; 49 clear 409s; two worker processes drain the queue',
    { timeout: 90_000 },
    async (t) => {
      const started = Date.now();
      const store = getStore();
      const world = await startWorld(store, 'small', WORLD);
      const workers = ['alpha', 'beta'].map((workerId) =>
        spawnEngineWorker({ store: store.options, vaultKey: world.vaultKey, workerId, lockMs: 5_000, concurrency: 4 }),
      );
      try {
        const runs = await newRuns(
          world,
          posSystems.map((system) => ({ system })),
        );
        await Promise.all(workers.map((w) => w.ready));

        const applyStarted = Date.now();
        const responses = await Promise.all(
          runs.flatMap((run) =>
            Array.from({ length: REQUESTS }, () =>
              world.app
                .call('POST', `/api/plans/${run.plan.id}/apply`, { token: run.token })
                .then((r) => ({ run, ...r })),
            ),
          ),
        );
        const applyMs = Date.now() - applyStarted;

        for (const run of runs) {
          const mine = responses.filter((r) => r.run === run);
          const accepted = mine.filter((r) => r.status === 202);
          const refused = mine.filter((r) => r.status === 409);
          const other = mine.filter((r) => r.status !== 202 && r.status !== 409);
          assert.deepEqual(
            other.map((r) => `${r.status} ${JSON.stringify(r.body)}`),
            [],
            `${run.system}: only 202 and 409`,
          );
          assert.equal(accepted.length, 1, `${run.system}: one request wins`);
          assert.equal(refused.length, REQUESTS - 1, `${run.system}: the others are refused`);
          const codes = new Set(refused.map((r) => r.body?.error?.code as string));
          for (const code of codes)
            assert.ok(
              ['PLAN_ALREADY_APPLYING', 'PLAN_ALREADY_APPLIED', 'ORDER_ALREADY_EXPORTED'].includes(code),
              `${run.system}: a clear code, got ${code}`,
            );
          for (const r of refused)
            assert.ok(
              typeof r.body?.error?.message === 'string' && r.body.error.message.length > 10,
              'a message a person can read',
            );
          const jobId = accepted[0]?.body.jobId as string;
          assert.ok(jobId);
          run.adoptJob(jobId);
          t.diagnostic(
            `${dialect} ${run.system}: ${REQUESTS} requests → 1 × 202, ${refused.length} × 409 (${[...codes].join(', ')})`,
          );
        }

        // The store agrees: one export row and one job per plan.
        for (const run of runs) {
          const exportsOfPlan = await store.db
            .selectFrom('exports')
            .select('id')
            .where('plan_id', '=', run.plan.id)
            .execute();
          assert.equal(exportsOfPlan.length, 1, `${run.system}: one export row`);
          const jobs = await store.db
            .selectFrom('jobs')
            .select('id')
            .where('tenant_id', '=', run.tenantId)
            .where('task', '=', 'export.apply')
            .where('key', 'like', `${run.plan.id}%`)
            .execute();
          assert.equal(jobs.length, 1, `${run.system}: one job`);
        }

        await waitForJobs(runs);
        const doneMs = Date.now() - applyStarted;
        for (const run of runs) {
          const job = await run.job();
          assert.equal(job?.state, 'succeeded', `${run.system}: ${job?.lastError ?? ''}`);
          assert.equal(job?.attempts, 0, `${run.system}: ran once, no retry`);
          assert.ok(job?.lockedBy === null);
          const row = await run.exportRow();
          assert.equal(row?.state, 'exported', run.system);
          const check = await checkExactlyOnce(run);
          assert.deepEqual(check.problems, [], run.system);
          assert.equal(check.outcome.purchaseOrders.length, 1);
          const ran = await store.db
            .selectFrom('jobs')
            .select(['id'])
            .where('id', '=', job?.id ?? '')
            .execute();
          assert.equal(ran.length, 1);
          t.diagnostic(
            `${dialect} ${run.system}: one PO (${row?.poNumber}), duplicates: ${check.duplicates}, POS requests: ${(await requestCounts(run.pos)).total}`,
          );
        }
        t.diagnostic(
          `${dialect}: ${responses.length} apply requests answered in ${applyMs} ms; exported ${doneMs} ms after the first request; total ${Date.now() - started} ms`,
        );
      } finally {
        const codes = await Promise.all(workers.map((w) => w.terminate()));
        await world.close();
        assert.deepEqual(codes, [0, 0], 'both workers stopped cleanly');
      }
    },
  );
});
