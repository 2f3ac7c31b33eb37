import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestApply } from '../../src/flows/apply-export.ts';
import { createPlan } from '../../src/flows/plan-export.ts';
import { openStore } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrations/index.ts';
import { exports, wholesaleOrders } from '../../src/store/repos/index.ts';
import { startEngine } from '../support/engine.ts';

// Where the POS is a simulator (its base URL configured, as in the demo), the link to an exported PO
// opens the PO in that simulator's back office; the real Lightspeed host knows nothing of it.
const expected = {
  'lightspeed-x': (url: string, poId: string) => `${url}/backoffice/consignments/${poId}`,
  'lightspeed-r': (url: string, poId: string) => `${url}/backoffice/orders#order-${poId}`,
} as const;

for (const system of ['lightspeed-x', 'lightspeed-r'] as const) {
  test(`${system}: an exported PO links into the configured simulator's back office`, async () => {
    const store = await openStore({ sqliteFile: ':memory:' });
    await migrateToLatest(store);
    const e = await startEngine(store, system, { brands: 1 });
    try {
      await e.drain();
      const location = (await e.ctx.connectors.pointOfSale(e.posConnection).then((p) => p.listLocations()))[0]!;
      const orders = (await wholesaleOrders.list(store.db, e.tenantId, { limit: 10 })).orders;
      let planId: string | undefined;
      for (const order of orders) {
        const plan = await createPlan(e.ctx, e.tenantId, {
          connectionId: e.posConnection.id,
          locationId: location.id,
          orderIds: [order.id],
        });
        if (plan.plan.canApply) {
          planId = plan.id;
          break;
        }
      }
      assert.ok(planId, 'an order that needs no review');
      await requestApply(e.ctx, e.tenantId, planId);
      await e.drain();
      const [exported] = await exports.forPlan(store.db, e.tenantId, planId);
      assert.equal(exported?.state, 'exported');
      assert.equal(exported.poUrl, expected[system](e.pos.url, exported.poId!));
      assert.equal((await fetch(exported.poUrl!)).status, 200);
    } finally {
      await e.close();
      await store.close();
    }
  });
}
