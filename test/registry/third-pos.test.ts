/**
 * Issue 13: adding a point of sale is its folder and one line in the registry. A fake POS (test/registry/fake-pos/,
 * an in-memory back office behind the PointOfSale port) is registered the way src/main.ts registers the real ones,
 * plus one entry; a connection of it is linked, and a wholesale order from the NuORDER simulator is planned and
 * exported through it by the real flows and worker. The PO and the products must then be in the fake POS.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestApply } from '../../src/flows/apply-export.ts';
import { ingestOrders } from '../../src/flows/ingest-orders.ts';
import { storePosConnection } from '../../src/flows/link-account.ts';
import { createPlan } from '../../src/flows/plan-export.ts';
import { createWorker } from '../../src/jobs/index.ts';
import { connectorManifests, jobHandlers, withConnectors } from '../../src/main.ts';
import { buildScenario, scenarioOptions } from '../../src/simulators/shared/scenario.ts';
import { exports, wholesaleOrders } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';
import { linkDemoBrand } from '../support/engine.ts';
import { startSimulator } from '../support/simulators.ts';
import { fakePos, FakePosStore } from './fake-pos/index.ts';

forEachDialect('a third POS from its folder and one registry line', (getStore) => {
  test('a NuORDER order is planned and exported to the fake POS by the real flows', { timeout: 120_000 }, async (t) => {
    const store = getStore();
    const nuorder = await startSimulator('nuorder');
    const back = new FakePosStore('USD');
    try {
      const base = createTestApp(store);
      const app = createTestApp(store, {
        config: { ...base.ctx.config, providers: { ...base.ctx.config.providers, nuorder: { baseUrl: nuorder.url } } },
      });
      // As src/main.ts builds it, plus the one line.
      const ctx = withConnectors(app.ctx, [...connectorManifests, fakePos(back)]);
      assert.deepEqual(ctx.connectors.systems('pos'), ['lightspeed-x', 'lightspeed-r', 'fake-pos']);
      const tenant = await app.newTenant('Third Shop');
      const scenario = buildScenario(scenarioOptions('demo'));
      const brand = scenario.brands[0]!;
      const source = await linkDemoBrand(ctx, tenant.tenantId, brand, scenario.retailer.id);
      const connection = await storePosConnection(ctx, tenant.tenantId, {
        system: 'fake-pos',
        name: 'Fake shop',
        baseUrl: 'https://fake-pos.test',
        accountId: 'fake-account-1',
        tokenUrl: 'https://fake-pos.test/token',
        tokens: { accessToken: 'unused', expiresAt: Date.now() + 3_600_000 },
      });
      const worker = createWorker({ store, handlers: jobHandlers(ctx), pollMs: 20 });
      await worker.drain(); // what the links enqueued: the first order poll, the fake's catalog sync (empty)

      await ingestOrders(ctx, source, await ctx.connectors.wholesaleSource(source));
      const { orders } = await wholesaleOrders.list(ctx.store.db, tenant.tenantId);
      assert.ok(orders.length > 0, 'the brand portal has orders for this store');
      let planned: Awaited<ReturnType<typeof createPlan>> | undefined;
      for (const order of orders) {
        const plan = await createPlan(ctx, tenant.tenantId, {
          connectionId: connection.id,
          locationId: 'shop-1',
          orderIds: [order.id],
        });
        if (plan.plan.canApply && plan.plan.newProducts.length > 0) {
          planned = plan;
          break;
        }
      }
      assert.ok(planned, 'one of the orders can be exported as it is');
      const order = orders.find((o) => planned!.orderIds.includes(o.id))!;

      await requestApply(ctx, tenant.tenantId, planned.id);
      await worker.drain();
      await worker.stop({ graceMs: 1_000 });

      const [exported] = await exports.forPlan(ctx.store.db, tenant.tenantId, planned.id);
      assert.equal(exported?.state, 'exported', JSON.stringify(exported?.failureMessage ?? null));
      // The PO is in the fake POS, under the wholesale order's number, with every planned line.
      const pos = [...back.purchaseOrders.values()];
      assert.equal(pos.length, 1);
      assert.equal(pos[0]!.id, exported.poId);
      assert.equal(pos[0]!.orderNumber, order.orderNumber);
      assert.equal(pos[0]!.status, 'ordered', 'submitted');
      const plannedUnits = planned.plan.lines.reduce((sum, line) => sum + line.quantity, 0);
      assert.equal(
        pos[0]!.lines.reduce((sum, line) => sum + line.quantity, 0),
        plannedUnits,
        'every planned unit is on the PO',
      );
      // The products are in the fake POS: a family per new product, an item per new variant, each on the PO.
      assert.equal(back.families.size, planned.plan.newProducts.length);
      const newVariants = planned.plan.newProducts.reduce((sum, p) => sum + p.variants.length, 0);
      assert.equal(back.items.size, newVariants);
      for (const line of pos[0]!.lines) assert.ok(back.items.has(line.itemId), `PO line item ${line.itemId} exists`);
      assert.equal(back.suppliers.size, 1);
      assert.equal([...back.suppliers.values()][0]!.name, order.brandName);
      t.diagnostic(
        `fake-pos: order ${order.orderNumber} → PO ${pos[0]!.number}: ${pos[0]!.lines.length} lines, ${plannedUnits} units, ${back.families.size} products, ${back.items.size} items`,
      );
    } finally {
      await nuorder.close();
    }
  });
});
