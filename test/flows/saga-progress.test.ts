/**
 * Issue 13, acceptance 2: the saga's steps are data, so everything that shows an export's progress counts the same
 * steps. A 120-line order with 26 products new to the POS, exported to each POS: the steps the saga recorded,
 * `GET /api/plans/:id/progress`'s total, the CLI's bar and the web page's step list (the progress's steps, which
 * ProgressView renders one item each) are the same number. Before, they were 30/31, 32, 30 and a list rebuilt
 * from strings.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportBarFigures } from '../../src/cli/orders.ts';
import { requestApply } from '../../src/flows/apply-export.ts';
import { ingestOrders } from '../../src/flows/ingest-orders.ts';
import { createPlan } from '../../src/flows/plan-export.ts';
import { buildScenario, scenarioOptions } from '../../src/simulators/shared/scenario.ts';
import { connections, exports, wholesaleOrders } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { cleanSmall, drainRuns, newRun, posSystems, startWorld, type Run } from '../support/reliability.ts';

// One brand with enough styles, none of them in the POS yet.
const WORLD = { ...cleanSmall, seed: 'progress-120', stylesPerBrand: 32, posOverlap: 0 };
const LINES = 120;
const NEW_PRODUCTS = 26;

/** 26 style/colors, sizes taken in turn until there are 120 lines (every style gets at least one). */
function orderLines(): { brand: string; lines: Array<{ productId: string; size: string; quantity: number }> } {
  const scenario = buildScenario(scenarioOptions('small', WORLD));
  // The styles with the most sizes, so 26 of them reach 120 lines.
  const styles = scenario.styles
    .filter((s) => s.sizes.every((z) => z.upc !== null))
    .sort((a, b) => b.sizes.length - a.sizes.length)
    .slice(0, NEW_PRODUCTS);
  assert.equal(styles.length, NEW_PRODUCTS, 'the scenario has 26 styles with UPCs');
  const lines: Array<{ productId: string; size: string; quantity: number }> = [];
  for (let round = 0; lines.length < LINES; round++) {
    const before = lines.length;
    for (const style of styles) {
      const size = style.sizes[round];
      if (size && lines.length < LINES) lines.push({ productId: style.id, size: size.size, quantity: 1 + (round % 3) });
    }
    assert.ok(lines.length > before, 'the styles have sizes enough for 120 lines');
  }
  const brand = scenario.brands.find((b) => b.id === styles[0]!.brandId)!.name;
  return { brand, lines };
}

forEachDialect('export progress: one number everywhere', (getStore, dialect) => {
  test(
    'a 120-line order with 26 new products: recorded steps = /progress total = CLI bar = web step list, each POS',
    { timeout: 180_000 },
    async (t) => {
      const world = await startWorld(getStore(), 'small', WORLD);
      try {
        const { brand, lines } = orderLines();
        const created = await world.nuorder.control('POST', '/_sim/orders', { brand, status: 'approved', lines });
        const number = created.order.order_number as string;
        for (const system of posSystems) {
          const base: Run = await newRun(world, system, { newBrand: true });
          // The count of steps does not depend on the pace: R-Series' real bucket (about 270 calls at 1 a second) is the bench's subject.
          if (system === 'lightspeed-r')
            await base.pos.control('PUT', '/_sim/config', { bucketSize: 100_000, dripRate: 1_000, resetBuckets: true });
          const { ctx } = world;
          for (const source of await connections.list(ctx.store.db, base.tenantId, { system: 'nuorder' }))
            await ingestOrders(ctx, source, await ctx.connectors.wholesaleSource(source));
          const listed = (await wholesaleOrders.list(ctx.store.db, base.tenantId)).orders.find(
            (o) => o.orderNumber === number,
          );
          assert.ok(listed, `order ${number} was ingested`);
          const plan = await createPlan(ctx, base.tenantId, {
            connectionId: base.posConnection.id,
            locationId: base.plan.locationId,
            orderIds: [listed.id],
          });
          assert.ok(plan.plan.canApply, JSON.stringify(plan.plan.blockers));
          assert.equal(plan.plan.lines.length, LINES, '120 lines');
          assert.equal(plan.plan.newProducts.length, NEW_PRODUCTS, '26 new products');

          const api = (path: string) => world.app.call('GET', path, { token: base.token });
          const before = (await api(`/api/plans/${plan.id}/progress`)).body;
          const accepted = await requestApply(ctx, base.tenantId, plan.id);
          const run: Run = { ...base, plan, jobId: () => accepted.jobId };
          await drainRuns(world, [run]);
          assert.equal((await exports.forPlan(ctx.store.db, base.tenantId, plan.id))[0]?.state, 'exported');

          const recorded = (await exports.steps(ctx.store.db, base.tenantId, plan.id)).length;
          const progress = (await api(`/api/plans/${plan.id}/progress`)).body;
          const bar = await exportBarFigures(ctx, base.tenantId, plan.id);
          // The web page lists progress.steps, one item each, in this order (web/src/pages/ProgressView.tsx).
          const webList = progress.steps.map((s: { label: string }) => s.label);
          const counts = {
            recorded,
            progressTotal: progress.totalSteps,
            progressBefore: before.totalSteps,
            cliBar: bar.total,
            cliBarDone: bar.done,
            webSteps: webList.length,
          };
          assert.deepEqual(
            counts,
            {
              recorded,
              progressTotal: recorded,
              progressBefore: recorded,
              cliBar: recorded,
              cliBarDone: recorded,
              webSteps: recorded,
            },
            `${system}: ${JSON.stringify(counts)}`,
          );
          assert.equal(new Set(webList).size, webList.length, 'no two steps read the same');
          assert.ok(progress.steps.every((s: { state: string }) => s.state === 'done'));
          t.diagnostic(
            `${dialect} ${system}: ${LINES} lines, ${NEW_PRODUCTS} new products → ${recorded} steps recorded = /progress ${progress.totalSteps} = CLI ${bar.total} = web ${webList.length}`,
          );
        }
      } finally {
        await world.close();
      }
    },
  );
});
