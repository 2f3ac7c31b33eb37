/**
 * Issue 15, acceptance 2 (the part from the POS), on each POS: a purchase order the merchant makes in the POS back
 * office (an X-Series SUPPLIER consignment, an R-Series Order) for a linked brand's supplier becomes a NuORDER order
 * with the PO's linked lines (a line no item link names is reported, not sent); the PO is tagged with the order's
 * number; polling again sends nothing twice (even from the first cursor, and after a ghost write at NuORDER); the
 * brand approves it and the next pull shows the order exported to that PO; automatic sync (X-Series) and a manual
 * export make no second PO (the simulator's request log).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enqueue } from '../../src/jobs/queue.ts';
import { pollPurchaseOrderFeed, enqueuePurchaseOrderFeedPolls } from '../../src/flows/reorder/from-pos/poll.ts';
import { ingestOrdersJob } from '../../src/flows/tasks.ts';
import { itemLinks, posReorders, wholesaleOrders } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { apiAs, exportFirstReady, startEngine, type EngineHarness } from '../support/engine.ts';
import { jobsProgress, waitUntil } from '../support/wait.ts';

/** Runs queued jobs until the predicate holds (a deferred retry comes due after a second or two). */
async function drainUntil(e: EngineHarness, what: string, done: () => Promise<boolean>): Promise<void> {
  await waitUntil(
    async () => {
      await e.drain();
      if (await done()) return { done: true, value: undefined };
      return { done: false, progress: await jobsProgress(e.ctx.store.db, e.tenantId) };
    },
    { what, intervalMs: 250 },
  );
}

/** What the test reads and does in each POS simulator: its state, its back office, its request log. */
interface PosUnderTest {
  system: 'lightspeed-x' | 'lightspeed-r';
  label: string;
  /** The PO the export made: its supplier, where it goes, the items on it. */
  exportedPo(e: EngineHarness): { supplierId: string; locationId: string; items: string[] };
  /** Live items that could be ordered (simple ones first), as POS item ids. */
  liveItems(e: EngineHarness): string[];
  /** Makes a PO through the back office's form, as a merchant does; its id. */
  makePo(
    e: EngineHarness,
    po: { supplierId: string; locationId: string; lines: Array<[string, number]> },
  ): Promise<string>;
  /** The PO's order-number field now (where the tag goes when the merchant left it empty). */
  numberField(e: EngineHarness, poId: string): string;
  tagField: string;
  /** POs made through the API so far (the request log). */
  poCreates(e: EngineHarness): Promise<number>;
  livePos(e: EngineHarness): number;
}

const created = async (e: EngineHarness, route: string): Promise<number> =>
  ((await e.pos.control('GET', '/_sim/requests')).byRoute[route] as number | undefined) ?? 0;

async function submitForm(url: string, form: Record<string, string>): Promise<string> {
  const made = await fetch(url, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
  assert.equal(made.status, 303, await made.text());
  return made.headers.get('location')!;
}

const xSeries: PosUnderTest = {
  system: 'lightspeed-x',
  label: 'X-Series',
  exportedPo(e) {
    const xdb = (e.pos.sim as any).db;
    const po = [...xdb.consignments.values()].find((c: any) => c.type === 'SUPPLIER');
    assert.ok(po?.supplier_id, 'the export made a PO for the brand supplier');
    return {
      supplierId: po.supplier_id,
      locationId: po.outlet_id,
      items: xdb.linesOf(po.id).map((l: any) => l.product_id),
    };
  },
  liveItems(e) {
    const live = [...(e.pos.sim as any).db.products.values()].filter(
      (p: any) => p.deleted_at === null && !p.is_composite,
    );
    return [...live.filter((p: any) => p.variant_parent_id !== null), ...live].map((p: any) => p.id);
  },
  async makePo(e, po) {
    const lines = Object.fromEntries(po.lines.map(([id, q]) => [`q:${id}`, String(q)]));
    const form = { supplier_id: po.supplierId, outlet_id: po.locationId, name: 'Restock from the shop floor' };
    const location = await submitForm(`${e.pos.url}/backoffice/consignments`, { ...form, ...lines, status: 'SENT' });
    return location.split('/').pop()!;
  },
  numberField: (e, poId) => (e.pos.sim as any).db.consignments.get(poId).reference,
  tagField: 'reference',
  poCreates: (e) => created(e, 'POST /api/2.0/consignments'),
  livePos: (e) =>
    [...(e.pos.sim as any).db.consignments.values()].filter((c: any) => c.type === 'SUPPLIER' && c.deleted_at === null)
      .length,
};

const rTables = (e: EngineHarness): any => (e.pos.sim as any).core.store.tables;
const rSeries: PosUnderTest = {
  system: 'lightspeed-r',
  label: 'R-Series',
  exportedPo(e) {
    const po = [...rTables(e).Order.values()].find((o: any) => /^nuo-/.test(o.refNum));
    assert.ok(po?.vendorID, 'the export made an Order for the brand vendor');
    const lines = (e.pos.sim as any).core.store.orderLines(po.orderID) as any[];
    return {
      supplierId: String(po.vendorID),
      locationId: String(po.shopID),
      items: lines.map((l) => String(l.itemID)),
    };
  },
  liveItems(e) {
    const live = [...rTables(e).Item.values()].filter((i: any) => !i.archived);
    return [...live.filter((i: any) => i.itemMatrixID !== 0), ...live].map((i: any) => String(i.itemID));
  },
  async makePo(e, po) {
    const location = await submitForm(`${e.pos.url}/backoffice/orders`, {
      vendorID: po.supplierId,
      shopID: po.locationId,
      refNum: '',
      lines: po.lines.map(([id, q]) => `${id}, ${q}`).join('\n'),
      then: 'ordered',
    });
    return /order-(\d+)/.exec(location)![1]!;
  },
  numberField: (e, poId) => rTables(e).Order.get(Number(poId)).refNum,
  tagField: 'refNum',
  poCreates: (e) => created(e, 'POST /API/V3/Account/:accountID/Order.json'),
  livePos: (e) => [...rTables(e).Order.values()].filter((o: any) => !o.archived).length,
};

forEachDialect('reorder from the POS back office', (getStore) => {
  for (const pos of [xSeries, rSeries])
    test(`an ${pos.label} back-office PO for a linked brand: sent to NuORDER once, tagged, approved, already in the POS`, async () => {
      const e = await startEngine(getStore(), pos.system, { brands: 1 });
      try {
        await e.drain();
        const call = apiAs(e);
        await exportFirstReady(e, call);
        const exportedPo = pos.exportedPo(e);
        const linked = await itemLinks.variantsLinkedTo(
          e.ctx.store.db,
          e.tenantId,
          e.posConnection.id,
          exportedPo.items,
        );
        const [a, b] = [...new Set(linked.map((l) => l.posItemId))];
        assert.ok(a && b, 'two linked POS items');
        const linkedIds = new Set(linked.map((l) => l.posItemId));
        const unlinked = pos.liveItems(e).find((id) => !linkedIds.has(id));
        assert.ok(unlinked, 'a POS item no link names');

        // The merchant makes a PO for the brand's supplier in the simulator's back office (its HTML form).
        const poId = await pos.makePo(e, {
          supplierId: exportedPo.supplierId,
          locationId: exportedPo.locationId,
          lines: [
            [a, 3],
            [b, 2],
            [unlinked, 4],
          ],
        });
        const createsBefore = await pos.poCreates(e);
        assert.ok(createsBefore >= 1, "the export's PO is in the request log");
        const posBefore = pos.livePos(e);

        // A NuORDER ghost write: the order is made, the reply is a 500. The retry finds it by its number (409).
        await e.nuorder.control('POST', '/_sim/faults', {
          kind: 'ghost_write',
          method: 'PUT',
          path: '/api/order/new',
          times: 1,
        });
        await enqueuePurchaseOrderFeedPolls(e.ctx, 60_000);
        const listed = async () => (await call('GET', `/api/connections/${e.posConnection.id}/pos-reorders`)).body;
        await drainUntil(
          e,
          'the reorder awaiting approval',
          async () => (await listed()).reorders[0]?.status === 'awaiting_approval',
        );
        const page = await listed();
        assert.equal(page.total, 1);
        const reorder = page.reorders[0];
        assert.equal(reorder.purchaseOrder.id, poId);
        assert.deepEqual(reorder.lines.map((l: any) => l.posItemId).sort(), [a, b].sort());
        assert.deepEqual(
          reorder.unmappedLines.map((l: any) => [l.posItemId, l.quantity]),
          [[unlinked, 4]],
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
        assert.equal(pos.numberField(e, poId), reorder.wholesaleOrder.number);
        assert.equal(reorder.taggedIn, pos.tagField);

        // Polling again, even from the very first cursor, sends nothing twice.
        await enqueuePurchaseOrderFeedPolls(e.ctx, 1);
        await e.drain();
        await posReorders.saveCursor(e.ctx.store.db, e.tenantId, e.posConnection.id, null, Date.now());
        const again = await pollPurchaseOrderFeed(e.ctx, e.posConnection);
        assert.equal(again.queued, 0);
        await e.drain();
        assert.equal((await nuorderState()).filter((o) => o.order_number === reorder.wholesaleOrder.number).length, 1);
        assert.equal((await listed()).total, 1);

        // The brand approves; the next pull brings the order in, exported to the merchant's PO. Automatic sync (on
        // by default for X-Series) and a manual export make no second PO.
        await e.nuorder.control('POST', `/_sim/orders/${reorder.wholesaleOrder.sourceId}/status`, {
          action: 'approve',
        });
        await enqueue(
          e.ctx.store.db,
          ingestOrdersJob,
          { connectionId: e.sources[0]!.id },
          { tenantId: e.tenantId, key: 'pull-after-approval', now: Date.now() },
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

        const locations = (await call('GET', `/api/connections/${e.posConnection.id}/locations`)).body
          .locations as any[];
        const manual = await call('POST', '/api/plans', {
          connectionId: e.posConnection.id,
          locationId: locations[0].id,
          orderIds: [after.orderId],
        });
        assert.equal(manual.status, 409, JSON.stringify(manual.body));
        assert.equal(manual.body.error.code, 'ORDER_ALREADY_EXPORTED');
        await e.drain();
        assert.equal(await pos.poCreates(e), createsBefore, 'no second PO');
        assert.equal(pos.livePos(e), posBefore);
      } finally {
        await e.close();
      }
    });

  test('an order paired with a POS reorder but not yet recorded there cannot be exported to that POS again', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      await e.drain();
      const call = apiAs(e);
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
