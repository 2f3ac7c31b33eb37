/**
 * Issue 12, item 6 (c): `PATCH /api/connections/:id {defaultLocationId: "no-such-outlet"}` answered 200,
 * and automatic sync then failed silently (the order stayed "Not exported", nothing on the connection).
 * Now the location is checked against the POS (400 naming the field, nothing changed), and an automatic
 * export that fails shows on the order (Failed, with the reason, in the list filter too) and on the
 * connection (its last problem); fixing the setting runs automatic sync again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlanLine } from '../../src/core/plan.ts';
import { connections, type Connection } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { startEngine, type EngineHarness } from '../support/engine.ts';

async function call(e: EngineHarness, method: string, path: string, body?: unknown) {
  return e.app.call(method, path, { token: e.token, ...(body === undefined ? {} : { body }) });
}

/** The NuORDER product id of a plan line (its line key is product id + size). */
const productIdOf = (line: PlanLine): string => decodeURIComponent(line.lineKey.split(':')[0] ?? '');

forEachDialect('automatic sync: default location and failures', (getStore) => {
  test('an unknown default location is refused with a 400 naming the field, and changes nothing', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      await e.drain();
      const path = `/api/connections/${e.posConnection.id}`;
      const [location] = (await call(e, 'GET', `${path}/locations`)).body.locations;
      assert.equal((await call(e, 'PATCH', path, { syncMode: 'manual', defaultLocationId: location.id })).status, 200);

      const refused = await call(e, 'PATCH', path, { syncMode: 'automatic', defaultLocationId: 'no-such-outlet' });
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'INVALID_INPUT');
      assert.match(refused.body.error.message, /^defaultLocationId: .*no-such-outlet/);
      assert.match(refused.body.error.message, new RegExp(`choose one of: .*${location.id}`));
      const after = (await call(e, 'GET', '/api/connections')).body.connections.find(
        (c: { id: string }) => c.id === e.posConnection.id,
      );
      assert.equal(after.defaultLocationId, location.id, 'the default location is unchanged');
      assert.equal(after.syncMode, 'manual', 'nothing of the refused change was kept');

      const source = e.sources[0] as Connection;
      const notPos = await call(e, 'PATCH', `/api/connections/${source.id}`, { defaultLocationId: location.id });
      assert.equal(notPos.status, 400);
      assert.match(notPos.body.error.message, /^defaultLocationId: only a point of sale/);
    } finally {
      await e.close();
    }
  });

  test('an automatic export that fails shows on the order and the connection; fixing the location exports it', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      await e.drain();
      const path = `/api/connections/${e.posConnection.id}`;
      const [location] = (await call(e, 'GET', `${path}/locations`)).body.locations;
      const orders = (await call(e, 'GET', '/api/orders?limit=100')).body.orders as Array<{
        id: string;
        brand: string;
      }>;
      const probe = await call(e, 'POST', '/api/plans', {
        connectionId: e.posConnection.id,
        locationId: location.id,
        orderIds: orders.map((o) => o.id),
      });
      const clean = (probe.body.lines as PlanLine[])
        .filter((l) => l.decision.kind === 'upc_match' || l.decision.kind === 'new_item')
        .slice(0, 2);
      assert.ok(clean.length > 0);
      // Automatic sync on, then the outlet goes away in the POS (its id was right when it was chosen).
      assert.equal(
        (await call(e, 'PATCH', path, { syncMode: 'automatic', defaultLocationId: location.id })).status,
        200,
      );
      const connection = (await connections.get(e.ctx.store.db, e.tenantId, e.posConnection.id)) as Connection;
      await connections.update(e.ctx.store.db, e.tenantId, connection.id, {
        settings: { ...connection.settings, defaultLocationId: 'outlet-closed-since' },
      });

      const created = await e.nuorder.control('POST', '/_sim/orders', {
        brand: orders[0]?.brand,
        lines: clean.map((l) => ({ productId: productIdOf(l), size: l.size, quantity: 1 })),
        status: 'approved',
      });
      assert.equal((await call(e, 'POST', '/api/orders/sync')).status, 202);
      await e.drain();
      const listed = (await call(e, 'GET', '/api/orders?limit=100')).body.orders as Array<{
        id: string;
        orderNumber: string;
      }>;
      const order = listed.find((o) => o.orderNumber === created.order.order_number);
      assert.ok(order, 'the new order was ingested');

      // On the order: Failed, with the reason in words, and in the Failed filter.
      const detail = (await call(e, 'GET', `/api/orders/${order.id}`)).body;
      const status = detail.sync[0].status;
      assert.equal(status.state, 'failed', JSON.stringify(status));
      assert.equal(status.exportId, null);
      assert.ok(status.jobId);
      assert.match(status.reason, /outlet-closed-since/);
      assert.doesNotMatch(status.reason, /Error:|\[[A-Z_]+\]/, 'in words, not an error dump');
      const failedList = (await call(e, 'GET', '/api/orders?syncStatus=failed')).body;
      assert.ok(failedList.orders.some((o: { id: string }) => o.id === order.id));
      // On the connection: its last problem names the order.
      const view = (await call(e, 'GET', '/api/connections')).body.connections.find(
        (c: { id: string }) => c.id === e.posConnection.id,
      );
      assert.match(
        view.lastError,
        new RegExp(`Automatic export of order ${order.orderNumber} failed: .*outlet-closed-since`),
      );
      const health = (await call(e, 'GET', '/api/web/connection-health')).body.health.find(
        (h: { connectionId: string }) => h.connectionId === e.posConnection.id,
      );
      assert.match(health.lastJobError, /outlet-closed-since/);

      // The buyer picks a real location: the order goes to the POS by itself.
      assert.equal((await call(e, 'PATCH', path, { defaultLocationId: location.id })).status, 200);
      await e.drain();
      const fixed = (await call(e, 'GET', `/api/orders/${order.id}`)).body.sync[0].status;
      assert.equal(fixed.state, 'exported', JSON.stringify(fixed));
      const healthAfter = (await call(e, 'GET', '/api/web/connection-health')).body.health.find(
        (h: { connectionId: string }) => h.connectionId === e.posConnection.id,
      );
      assert.equal(healthAfter.lastJobError, null, 'the problem is gone once the order is exported');
    } finally {
      await e.close();
    }
  });
});
