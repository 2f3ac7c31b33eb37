import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../../src/store/testing.ts';
import { startEngine, type EngineHarness } from '../support/engine.ts';

/**
 * A NuORDER brand sells to several stores, and its brand-portal token sees all their orders (divergences.md F3).
 * The NuORDER simulator seeds a second store, Harbor Street Mercantile (retailer_code ""), with an approved order
 * per brand. The merchant here is Lakeside; not one of Harbor's orders may reach Tradeloop, a plan or a POS.
 */

const api = (e: EngineHarness) => async (method: string, path: string, body?: unknown) =>
  e.app.call(method, path, { token: e.token, ...(body === undefined ? {} : { body }) });

interface SimOrder {
  _id: string;
  order_number: string;
  status: string;
  brand: string;
  retailer: string;
  lines: Array<{ product_id: string; sizes: Array<{ size: string; quantity: number }> }>;
}

for (const system of ['lightspeed-x', 'lightspeed-r'] as const) {
  forEachDialect(`NuORDER retailer scope, exporting to ${system}`, (getStore) => {
    test("another store's orders of the same brand are never ingested, planned or exported", async () => {
      const e = await startEngine(getStore(), system);
      try {
        const state = await e.nuorder.control('GET', '/_sim/state');
        const harbor = state.retailers.find((r: { name: string }) => r.name === 'Harbor Street Mercantile');
        const lakeside = state.retailers.find((r: { name: string }) => r.name === 'Lakeside Goods Co.');
        assert.equal(harbor.code, '', 'the other store has an empty retailer_code, as recorded orders do');

        // One more approved order of each store, of the same brand and products, after linking.
        const seeded = (state.orders as SimOrder[]).find((o) => o.retailer === harbor._id) as SimOrder;
        const lines = seeded.lines.flatMap((l) =>
          l.sizes.map((s) => ({ productId: l.product_id, size: s.size, quantity: s.quantity })),
        );
        const theirs = await e.nuorder.control('POST', '/_sim/orders', {
          brand: seeded.brand,
          retailer: harbor._id,
          lines,
          status: 'approved',
        });
        const mine = await e.nuorder.control('POST', '/_sim/orders', {
          brand: seeded.brand,
          retailer: lakeside._id,
          lines,
          status: 'approved',
        });
        assert.equal((await api(e)('POST', '/api/orders/sync')).status, 202);
        await e.drain();

        const after = await e.nuorder.control('GET', '/_sim/state');
        const harborIds = new Set(
          (after.orders as SimOrder[]).filter((o) => o.retailer === harbor._id).map((o) => o._id),
        );
        const harborNumbers = new Set(
          (after.orders as SimOrder[]).filter((o) => o.retailer === harbor._id).map((o) => o.order_number),
        );
        assert.equal(harborIds.size, 4, 'three seeded approved orders and the new one');
        assert.ok(harborNumbers.has(theirs.order.order_number));

        const listed = (await api(e)('GET', '/api/orders?limit=200')).body.orders as Array<{
          id: string;
          orderNumber: string;
        }>;
        assert.equal(listed.length, 13, "Lakeside's 12 approved demo orders and its new one");
        assert.ok(listed.some((o) => o.orderNumber === mine.order.order_number));
        assert.deepEqual(
          listed.filter((o) => harborNumbers.has(o.orderNumber)),
          [],
          "no order of Harbor Street's was ingested",
        );

        // Everything Tradeloop holds, planned together: not one line comes from the other store.
        const locations = (await api(e)('GET', `/api/connections/${e.posConnection.id}/locations`)).body.locations;
        const planned = await api(e)('POST', '/api/plans', {
          connectionId: e.posConnection.id,
          locationId: locations[0].id,
          orderIds: listed.map((o) => o.id),
        });
        assert.equal(planned.status, 201, JSON.stringify(planned.body));
        const sources = new Set((planned.body.lines as Array<{ orderSourceId: string }>).map((l) => l.orderSourceId));
        assert.equal(sources.size, 13);
        assert.deepEqual(
          [...sources].filter((id) => harborIds.has(id)),
          [],
          "no plan line is from Harbor Street's orders",
        );
        assert.ok(sources.has(mine.order._id));
      } finally {
        await e.close();
      }
    });
  });
}
