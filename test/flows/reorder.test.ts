/**
 * Issue 15, acceptance 2 (the part from Tradeloop): "Reorder" on a synced PO's order sends a new NuORDER order with
 * the same lines (one quantity edited, one left out), as the buyer submits one; the same reorder sent again makes no
 * second order; the brand approves it in NuORDER and the next pull brings it in with those lines.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingestOrders } from '../../src/flows/ingest-orders.ts';
import { wholesaleOrders } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { apiAs, exportFirstReady, startEngine } from '../support/engine.ts';

forEachDialect('reorder from Tradeloop', (getStore) => {
  test('a synced PO reordered: a NuORDER order with the same lines, sent once; approved, it is pulled in', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      await e.drain();
      const call = apiAs(e);
      const order = await exportFirstReady(e, call);

      const draft = await call('GET', `/api/orders/${order.id}/reorder`);
      assert.equal(draft.status, 200, JSON.stringify(draft.body));
      const lines = draft.body.lines as any[];
      assert.ok(lines.length >= 2);
      const [first, second] = lines;
      const quantities = { [first.lineKey]: first.quantity + 2, [second.lineKey]: 0 };
      const key = 'reorder-test-0001';
      const sent = await call('POST', `/api/orders/${order.id}/reorder`, { quantities, key });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      assert.equal(sent.body.existed, false);
      assert.equal(sent.body.status, 'review');
      assert.equal(sent.body.lines, lines.length - 1);

      // The same reorder again (a retry): the order made the first time, no second one.
      const again = await call('POST', `/api/orders/${order.id}/reorder`, { quantities, key });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.deepEqual([again.body.existed, again.body.sourceId], [true, sent.body.sourceId]);

      // Bad input changes nothing.
      const bad = await call('POST', `/api/orders/${order.id}/reorder`, { quantities: { nope: 1 } });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /quantities/);
      const none = await call('POST', `/api/orders/${order.id}/reorder`, {
        quantities: Object.fromEntries(lines.map((l) => [l.lineKey, 0])),
      });
      assert.equal(none.status, 400);

      // The brand approves it in NuORDER; the next pull brings it in with the reorder's lines.
      await e.nuorder.control('POST', `/_sim/orders/${sent.body.sourceId}/status`, { action: 'approve' });
      const source = e.sources[0]!;
      await ingestOrders(e.ctx, source, await e.ctx.connectors.wholesaleSource(source));
      const listed = await wholesaleOrders.list(e.ctx.store.db, e.tenantId, { limit: 200 });
      const pulled = listed.orders.find((o: any) => o.sourceId === sent.body.sourceId);
      assert.ok(pulled, 'the approved reorder is ingested');
      const stored = await wholesaleOrders.get(e.ctx.store.db, e.tenantId, pulled.id);
      const got = stored!.document.lines.map((l) => [l.styleNumber, l.color, l.size, l.quantity]).sort();
      const want = lines
        .filter((l) => l.lineKey !== second.lineKey)
        .map((l) => [l.styleNumber, l.color, l.size, l.lineKey === first.lineKey ? first.quantity + 2 : l.quantity])
        .sort();
      assert.deepEqual(got, want);
      assert.equal(stored!.orderNumber, sent.body.orderNumber);
    } finally {
      await e.close();
    }
  });
});
