/**
 * Issue 15, acceptance 2 (the part from the POS): a purchase order the merchant makes in the X-Series back office
 * for a linked brand's supplier becomes a NuORDER order with the PO's linked lines (a line no item link names is
 * reported, not sent); the PO is tagged with the order's number; polling again sends nothing twice (even from the
 * first cursor, and after a ghost write at NuORDER); the brand approves it and the next pull shows the order
 * exported to that PO; automatic sync and a manual export make no second consignment (the simulator's request log).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enqueue } from '../../src/jobs/queue.ts';
import { pollPurchaseOrderFeed, enqueuePurchaseOrderFeedPolls } from '../../src/flows/reorder/from-pos/poll.ts';
import { ingestOrdersJob } from '../../src/flows/tasks.ts';
import { itemLinks, posReorders, wholesaleOrders } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { startEngine, type EngineHarness } from '../support/engine.ts';

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
const callAs =
  (e: EngineHarness): Call =>
  (method, path, body) =>
    e.app.call(method, path, { token: e.token, ...(body === undefined ? {} : { body }) });

async function exportOne(e: EngineHarness, call: Call): Promise<any> {
  const connectionId = e.posConnection.id;
  const locations = (await call('GET', `/api/connections/${connectionId}/locations`)).body.locations as any[];
  for (const order of (await call('GET', '/api/orders?limit=100')).body.orders as any[]) {
    const sync = (await call('GET', `/api/orders/${order.id}`)).body.sync as any[];
    if (sync.some((s) => s.status.state !== 'not_exported')) continue;
    const planned = await call('POST', '/api/plans', {
      connectionId,
      locationId: locations[0].id,
      orderIds: [order.id],
    });
    if (!planned.body.canApply) continue;
    assert.equal((await call('POST', `/api/plans/${planned.body.id}/apply`)).status, 202);
    await e.drain();
    return order;
  }
  throw new Error('no order to export');
}

/** Runs queued jobs until the predicate holds (a deferred retry comes due after a second or two). */
async function drainUntil(e: EngineHarness, done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await e.drain();
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('gave up waiting');
}

const consignmentCreates = async (e: EngineHarness): Promise<number> =>
  ((await e.pos.control('GET', '/_sim/requests')).byRoute['POST /api/2.0/consignments'] as number | undefined) ?? 0;

forEachDialect('reorder from the POS back office', (getStore) => {
  test('an X-Series back-office PO for a linked brand: sent to NuORDER once, tagged, approved, already in the POS', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      await e.drain();
      const call = callAs(e);
      await exportOne(e, call);
      const xdb = (e.pos.sim as any).db;
      const exportedPo = [...xdb.consignments.values()].find((c: any) => c.type === 'SUPPLIER');
      assert.ok(exportedPo?.supplier_id, 'the export made a PO for the brand supplier');
      const exportedItems: string[] = xdb.linesOf(exportedPo.id).map((l: any) => l.product_id);
      const linked = await itemLinks.variantsLinkedTo(e.ctx.store.db, e.tenantId, e.posConnection.id, exportedItems);
      const [a, b] = [...new Set(linked.map((l) => l.posItemId))];
      assert.ok(a && b, 'two linked POS items');
      const linkedIds = new Set(linked.map((l) => l.posItemId));
      const unlinked =
        [...xdb.products.values()].find(
          (p: any) => p.deleted_at === null && !p.is_composite && p.variant_parent_id !== null && !linkedIds.has(p.id),
        ) ??
        [...xdb.products.values()].find((p: any) => p.deleted_at === null && !p.is_composite && !linkedIds.has(p.id));
      assert.ok(unlinked, 'a POS item no link names');

      // The merchant makes a PO for the brand's supplier in the simulator's back office (its HTML form).
      const form = new URLSearchParams({
        supplier_id: exportedPo.supplier_id,
        outlet_id: exportedPo.outlet_id,
        name: 'Restock from the shop floor',
        [`q:${a}`]: '3',
        [`q:${b}`]: '2',
        [`q:${unlinked.id}`]: '4',
        status: 'SENT',
      });
      const made = await fetch(`${e.pos.url}/backoffice/consignments`, {
        method: 'POST',
        body: form,
        redirect: 'manual',
      });
      assert.equal(made.status, 303, await made.text());
      const poId = made.headers.get('location')!.split('/').pop()!;
      const createsBefore = await consignmentCreates(e);

      // A NuORDER ghost write: the order is made, the reply is a 500. The retry finds it by its number (409).
      await e.nuorder.control('POST', '/_sim/faults', {
        kind: 'ghost_write',
        method: 'PUT',
        path: '/api/order/new',
        times: 1,
      });
      await enqueuePurchaseOrderFeedPolls(e.ctx, 60_000);
      const listed = async () => (await call('GET', `/api/connections/${e.posConnection.id}/pos-reorders`)).body;
      await drainUntil(e, async () => (await listed()).reorders[0]?.status === 'awaiting_approval');
      const page = await listed();
      assert.equal(page.total, 1);
      const reorder = page.reorders[0];
      assert.equal(reorder.purchaseOrder.id, poId);
      assert.deepEqual(reorder.lines.map((l: any) => l.posItemId).sort(), [a, b].sort());
      assert.deepEqual(
        reorder.unmappedLines.map((l: any) => [l.posItemId, l.quantity]),
        [[unlinked.id, 4]],
      );
      assert.match(reorder.unmappedLines[0].reason, /No item link/);

      // NuORDER has one order under that number, with the mapped lines; the PO carries the number.
      const nuorderState = async () => (await e.nuorder.control('GET', '/_sim/state')).orders as any[];
      const sent = (await nuorderState()).filter((o) => o.order_number === reorder.wholesaleOrder.number);
      assert.equal(sent.length, 1, 'one NuORDER order despite the ghost write');
      assert.equal(sent[0]._id, reorder.wholesaleOrder.sourceId);
      const puts = ((await e.nuorder.control('GET', '/_sim/requests')).recent as any[]).filter(
        (r) => r.method === 'PUT' && r.path === '/api/order/new',
      );
      assert.deepEqual(
        puts.map((r) => r.status),
        [500, 409],
        'the ghost write, then the retry that finds the order by number',
      );
      const units = sent[0].lines.flatMap((l: any) => l.sizes.map((s: any) => s.quantity)).sort();
      assert.deepEqual(units, [2, 3]);
      assert.equal(xdb.consignments.get(poId).reference, reorder.wholesaleOrder.number);
      assert.equal(reorder.taggedIn, 'reference');

      // Polling again, even from the very first cursor, sends nothing twice.
      await enqueuePurchaseOrderFeedPolls(e.ctx, 1);
      await e.drain();
      await posReorders.saveCursor(e.ctx.store.db, e.tenantId, e.posConnection.id, null, Date.now());
      const again = await pollPurchaseOrderFeed(e.ctx, e.posConnection);
      assert.equal(again.queued, 0);
      await e.drain();
      assert.equal((await nuorderState()).filter((o) => o.order_number === reorder.wholesaleOrder.number).length, 1);
      assert.equal((await listed()).total, 1);

      // The brand approves; the next pull brings the order in, exported to the merchant's PO. Automatic sync (on by
      // default for X-Series) and a manual export make no second consignment.
      await e.nuorder.control('POST', `/_sim/orders/${reorder.wholesaleOrder.sourceId}/status`, { action: 'approve' });
      await enqueue(
        e.ctx.store.db,
        ingestOrdersJob,
        { connectionId: e.sources[0]!.id },
        {
          tenantId: e.tenantId,
          key: 'pull-after-approval',
          now: Date.now(),
        },
      );
      await e.drain();
      const after = (await listed()).reorders[0];
      assert.equal(after.status, 'in_pos');
      assert.ok(after.orderId);
      const order = (await call('GET', `/api/orders/${after.orderId}`)).body;
      const status = order.sync.find((s: any) => s.connectionId === e.posConnection.id).status;
      assert.equal(status.state, 'exported');
      assert.equal(status.poId, poId);
      assert.equal(status.poNumber, reorder.purchaseOrder.number);

      const locations = (await call('GET', `/api/connections/${e.posConnection.id}/locations`)).body.locations as any[];
      const manual = await call('POST', '/api/plans', {
        connectionId: e.posConnection.id,
        locationId: locations[0].id,
        orderIds: [after.orderId],
      });
      assert.equal(manual.status, 409, JSON.stringify(manual.body));
      assert.equal(manual.body.error.code, 'ORDER_ALREADY_EXPORTED');
      await e.drain();
      assert.equal(await consignmentCreates(e), createsBefore, 'no second consignment');
      assert.equal(
        [...xdb.consignments.values()].filter((c: any) => c.type === 'SUPPLIER' && c.deleted_at === null).length,
        2,
      );
    } finally {
      await e.close();
    }
  });

  test('an order paired with a POS reorder but not yet recorded there cannot be exported to that POS again', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      await e.drain();
      const call = callAs(e);
      const [order] = (await call('GET', '/api/orders?limit=1')).body.orders as any[];
      const stored = (await call('GET', `/api/orders/${order.id}`)).body;
      // The reorder was sent and its order came in, but recording it as exported waits for the POS to answer.
      const brand = e.sources.find((s) => s.id === stored.connectionId) ?? e.sources[0]!;
      const sourceId = (await wholesaleOrders.get(e.ctx.store.db, e.tenantId, order.id))!.sourceId;
      await posReorders.insert(
        e.ctx.store.db,
        e.tenantId,
        {
          id: 'reorder-waiting',
          connectionId: e.posConnection.id,
          posPoId: 'po-in-pos',
          posPoNumber: 'PO-MERCHANT-7',
          posPoUrl: null,
          locationId: null,
          supplierId: 'supplier-1',
          brandConnectionId: brand.id,
          brandName: brand.name,
          state: 'sending',
          orderNumber: '',
          lines: [],
          unmapped: [],
        },
        e.ctx.now(),
      );
      await posReorders.markSent(
        e.ctx.store.db,
        e.tenantId,
        'reorder-waiting',
        { sourceOrderId: sourceId, orderNumber: order.orderNumber, tagField: 'reference' },
        e.ctx.now(),
      );
      const locations = (await call('GET', `/api/connections/${e.posConnection.id}/locations`)).body.locations as any[];
      const manual = await call('POST', '/api/plans', {
        connectionId: e.posConnection.id,
        locationId: locations[0].id,
        orderIds: [order.id],
      });
      assert.equal(manual.status, 409, JSON.stringify(manual.body));
      assert.equal(manual.body.error.code, 'ORDER_ALREADY_EXPORTED');
      assert.match(manual.body.error.message, /PO-MERCHANT-7/);
    } finally {
      await e.close();
    }
  });
});
