/**
 * Issue 12, acceptance 4: four orders of a brand new to the POS share a new style with overlapping sizes.
 * Planned separately and applied together (as automatic sync does), run by two worker processes: four
 * POs, one supplier, the style created once with each size once, no failure. Both POS, both dialects.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestApply } from '../../src/flows/apply-export.ts';
import { ingestOrders } from '../../src/flows/ingest-orders.ts';
import { createPlan } from '../../src/flows/plan-export.ts';
import { buildScenario, scenarioOptions } from '../../src/simulators/shared/scenario.ts';
import { connections, exports, wholesaleOrders } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { spawnEngineWorker } from '../support/engine-worker-process.ts';
import {
  checkExactlyOnce,
  cleanSmall,
  newRun,
  posSystems,
  requestCounts,
  startWorld,
  waitForJobs,
  type Run,
} from '../support/reliability.ts';

// Nothing the brand sells is in the POS yet.
const WORLD = { ...cleanSmall, posOverlap: 0, seed: 'shared-style' };
/** Which of the style's four sizes each order takes: every size in two orders. */
const PICKS = [
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 0],
];

forEachDialect('orders sharing a new style, applied together', (getStore, dialect) => {
  for (const system of posSystems) {
    test(
      `${system}: four POs, one supplier, the style created once, each size once, no failure`,
      { timeout: 120_000 },
      async (t) => {
        const store = getStore();
        const world = await startWorld(store, 'small', WORLD);
        const workers = ['alpha', 'beta'].map((workerId) =>
          spawnEngineWorker({
            store: store.options,
            vaultKey: world.vaultKey,
            workerId,
            lockMs: 5_000,
            concurrency: 4,
          }),
        );
        try {
          const base = await newRun(world, system, { newBrand: true });
          const { ctx } = world;
          const scenario = buildScenario(scenarioOptions('small', WORLD));
          const style = scenario.styles.find((s) => s.sizes.filter((z) => z.upc !== null).length >= 4);
          assert.ok(style, 'a style with four sizes');
          const brand = scenario.brands.find((b) => b.id === style.brandId)!.name;
          const sizes = style.sizes.filter((z) => z.upc !== null).map((z) => z.size);
          const numbers: string[] = [];
          for (const pick of PICKS) {
            const created = await world.nuorder.control('POST', '/_sim/orders', {
              brand,
              status: 'approved',
              lines: pick.map((i) => ({ productId: style.id, size: sizes[i], quantity: 2 })),
            });
            numbers.push(created.order.order_number);
          }
          for (const source of await connections.list(ctx.store.db, base.tenantId, { system: 'nuorder' }))
            await ingestOrders(ctx, source, await ctx.connectors.wholesaleSource(source));
          const { orders } = await wholesaleOrders.list(ctx.store.db, base.tenantId);
          const runs: Run[] = [];
          for (const number of numbers) {
            const listed = orders.find((o) => o.orderNumber === number);
            assert.ok(listed, `order ${number} was ingested`);
            const [order] = await wholesaleOrders.getMany(ctx.store.db, base.tenantId, [listed.id]);
            // Planned one by one, as automatic sync plans each new order.
            const plan = await createPlan(ctx, base.tenantId, {
              connectionId: base.posConnection.id,
              locationId: base.plan.locationId,
              orderIds: [listed.id],
            });
            assert.ok(plan.plan.canApply, JSON.stringify(plan.plan.blockers));
            assert.equal(plan.plan.counts.newItem, 2, 'both sizes are new to the POS');
            runs.push({
              ...base,
              order: order!,
              plan,
              exportRow: async () => (await exports.forPlan(ctx.store.db, base.tenantId, plan.id))[0],
            });
          }
          // Applied together: every export accepted before any saga runs.
          const accepted = await Promise.all(runs.map((run) => requestApply(ctx, base.tenantId, run.plan.id)));
          runs.forEach((run, i) => {
            const jobId = accepted[i]!.jobId;
            Object.assign(run, { jobId: () => jobId, job: base.job });
          });
          await Promise.all(workers.map((w) => w.ready));
          await waitForJobs(runs);

          const failures: string[] = [];
          for (const run of runs) {
            const row = await run.exportRow();
            if (row?.state !== 'exported')
              failures.push(`${run.order.orderNumber}: ${row?.state} ${row?.failureMessage ?? ''}`);
          }
          assert.deepEqual(failures, [], 'no export failed');
          const problems = (await Promise.all(runs.map((run) => checkExactlyOnce(run)))).flatMap((c, i) =>
            c.problems.map((p) => `${runs[i]!.order.orderNumber}: ${p}`),
          );
          assert.deepEqual(problems, [], 'one PO per order with its lines, one supplier, one family, each size once');
          const poIds = new Set(await Promise.all(runs.map(async (run) => (await run.exportRow())?.poId)));
          assert.equal(poIds.size, 4, 'four purchase orders');
          t.diagnostic(
            `${dialect} ${system}: 4 orders × 2 of 4 sizes → 4 POs, 0 failures, POS requests ${(await requestCounts(base.pos)).total}`,
          );
        } finally {
          const codes = await Promise.all(workers.map((w) => w.terminate()));
          await world.close();
          assert.deepEqual(codes, [0, 0], 'both workers stopped cleanly');
        }
      },
    );
  }
});
