import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../../store/testing.ts';
import { startEngine, type EngineHarness } from '../../../test/support/engine.ts';

/** The web app's support routes over the simulators: what they answer, and that a tenant sees only its own. */
forEachDialect('web-support routes', (getStore) => {
  test('guide progress, connection health, plan candidates, catalog search, synced purchase orders; tenants kept apart', async () => {
    const e: EngineHarness = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      await e.drain();
      const call = async (method: string, path: string, body?: unknown, token = e.token) => {
        const r = await e.app.call(method, path, { token, ...(body === undefined ? {} : { body }) });
        return r;
      };
      const other = await e.app.newTenant('Another store');

      // Guide: unseen at first, then saved per person.
      assert.deepEqual((await call('GET', '/api/web/guide')).body, {
        step: 0,
        dismissed: false,
        completed: false,
        seen: false,
      });
      assert.equal((await call('PUT', '/api/web/guide', { step: 2 })).body.step, 2);
      assert.deepEqual((await call('GET', '/api/web/guide')).body, {
        step: 2,
        dismissed: false,
        completed: false,
        seen: true,
      });
      assert.equal((await call('GET', '/api/web/guide', undefined, other.token)).body.seen, false);
      assert.equal((await call('PUT', '/api/web/guide', { step: 99 })).status, 400);

      // Health: when orders and the catalog were last synced.
      const health = (await call('GET', '/api/web/connection-health')).body.health as Array<{
        connectionId: string;
        lastCatalogSyncAt: string | null;
        orders: number | null;
      }>;
      const pos = health.find((h) => h.connectionId === e.posConnection.id);
      assert.ok(pos?.lastCatalogSyncAt, 'the POS catalog was synced');
      assert.ok((health.find((h) => h.connectionId === e.sources[0]?.id)?.orders ?? 0) > 0, 'orders were pulled');
      assert.deepEqual((await call('GET', '/api/web/connection-health', undefined, other.token)).body.health, []);

      // Plan candidates: every POS item the plan refers to, with details.
      const orders = (await call('GET', '/api/orders?limit=100')).body.orders as Array<{
        id: string;
        orderNumber: string;
      }>;
      const locations = (await call('GET', `/api/connections/${e.posConnection.id}/locations`)).body
        .locations as Array<{ id: string }>;
      let reviewPlan: any;
      for (const o of orders) {
        const p = (
          await call('POST', '/api/plans', {
            connectionId: e.posConnection.id,
            locationId: locations[0]?.id,
            orderIds: [o.id],
          })
        ).body;
        if (p.counts.needsReview > 0) {
          reviewPlan = p;
          break;
        }
      }
      assert.ok(reviewPlan, 'a demo order has lines to review');
      const candidates = (await call('GET', `/api/plans/${reviewPlan.id}/candidates`)).body;
      const itemIds = new Set((candidates.items as Array<{ posItemId: string }>).map((i) => i.posItemId));
      for (const line of reviewPlan.lines as Array<{
        decision: { kind: string; posItemId?: string; candidates?: Array<{ posItemId: string }> };
      }>) {
        if (line.decision.posItemId) assert.ok(itemIds.has(line.decision.posItemId), 'matched items have details');
        for (const c of line.decision.candidates ?? []) assert.ok(itemIds.has(c.posItemId), 'candidates have details');
      }
      const withCode = (candidates.items as Array<{ sku: string | null; gtins: string[] }>).find(
        (i) => i.sku && i.gtins.length > 0,
      );
      assert.ok(withCode);
      assert.ok(Object.keys(candidates.byGtin).length > 0);
      assert.equal((await call('GET', `/api/plans/${reviewPlan.id}/candidates`, undefined, other.token)).status, 404);

      // Catalog search by SKU and by UPC; another tenant cannot search this connection.
      const bySku = (
        await call('GET', `/api/connections/${e.posConnection.id}/catalog?q=${encodeURIComponent(withCode.sku ?? '')}`)
      ).body.items;
      assert.ok(bySku.some((i: { sku: string }) => i.sku === withCode.sku));
      const gtin = withCode.gtins[0] ?? '';
      const byUpc = (await call('GET', `/api/connections/${e.posConnection.id}/catalog?q=${gtin}`)).body.items;
      assert.ok(byUpc.length > 0 && byUpc.every((i: { gtins: string[] }) => i.gtins.includes(gtin)));
      assert.equal(
        (await call('GET', `/api/connections/${e.posConnection.id}/catalog?q=x`, undefined, other.token)).status,
        404,
      );

      // Synced purchase orders: none before an export; one after, read back live from the POS.
      assert.deepEqual((await call('GET', '/api/purchase-orders')).body.purchaseOrders, []);
      const ready = (
        await call('POST', '/api/plans', {
          connectionId: e.posConnection.id,
          locationId: locations[0]?.id,
          orderIds: [orders.find((o) => o.id !== reviewPlan.orderIds[0])?.id],
        })
      ).body;
      assert.equal(ready.canApply, true);
      assert.equal((await call('POST', `/api/plans/${ready.id}/apply`)).status, 202);
      await e.drain();
      const list = (await call('GET', '/api/purchase-orders')).body.purchaseOrders;
      assert.equal(list.length, 1);
      assert.equal(list[0].tag, 'Synced from NuORDER');
      assert.equal(list[0].planId, ready.id);
      assert.ok(list[0].poNumber);
      assert.equal(list[0].posLabel, 'X-Series', "the POS's short name, from its manifest");
      // The back-office link is the export's own PO link, offered only when the connection is the demo's simulator.
      const poUrl = new URL(list[0].poUrl);
      assert.equal(list[0].backofficeUrl, null, 'not in demo mode');
      e.app.ctx.demoHints = { simulators: { 'lightspeed-x': `${poUrl.origin}/backoffice` } };
      assert.equal((await call('GET', '/api/purchase-orders')).body.purchaseOrders[0].backofficeUrl, poUrl.href);
      e.app.ctx.demoHints = { simulators: { 'lightspeed-x': 'http://127.0.0.1:1/backoffice' } };
      assert.equal((await call('GET', '/api/purchase-orders')).body.purchaseOrders[0].backofficeUrl, null);
      delete e.app.ctx.demoHints;
      const detail = (await call('GET', `/api/purchase-orders/${list[0].exportId}`)).body;
      assert.equal(detail.liveError, null);
      assert.equal(detail.live.lines.length, ready.counts.poLines);
      assert.ok(
        detail.live.lines.every((l: { name: string | null }) => l.name),
        'every line is named, new items too',
      );
      assert.deepEqual((await call('GET', '/api/purchase-orders', undefined, other.token)).body.purchaseOrders, []);
      assert.equal((await call('GET', `/api/purchase-orders/${list[0].exportId}`, undefined, other.token)).status, 404);
    } finally {
      await e.close();
    }
  });
});
