/**
 * Issue 14, acceptance 1: the brand ships an exported order in two shipments (NuORDER simulator). After each next
 * poll the order's status reads "Partially shipped", then "Shipped"; the REST API (order, list, ?status=shipped)
 * and `tradeloop orders show` show both shipments with carrier and tracking link and the timeline in order; each
 * POS purchase order carries the shipment facts in its field for them, written once per change: the POS request log
 * shows one write per change, none on a poll that changed nothing, and none more when the write's reply is lost
 * (a ghost write: the saga retries, reads the PO first and finds the facts there). Both POS, both dialects.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FACTS_START } from '../../src/core/shipment-facts.ts';
import { createPlan } from '../../src/flows/plan-export.ts';
import { requestApply } from '../../src/flows/apply-export.ts';
import { ingestOrdersJob } from '../../src/flows/tasks.ts';
import { enqueue } from '../../src/jobs/queue.ts';
import { exports, orderShipments, receipts, wholesaleOrders } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { startEngine, type EngineHarness } from '../support/engine.ts';
import { jobsProgress, waitUntil } from '../support/wait.ts';

const UPS = '1Z999AA10123456784';
const FEDEX = '123456789012';
const poPath = {
  'lightspeed-x': (poId: string) => `/api/2.0/consignments/${poId}`,
  'lightspeed-r': (poId: string) => `Order/${poId}.json`,
} as const;

/** Runs jobs until none is due and the queue has none waiting (a deferred retry comes due within seconds). */
async function settle(e: EngineHarness): Promise<void> {
  await waitUntil(
    async () => {
      await e.drain();
      const waiting = await e.ctx.store.db
        .selectFrom('jobs')
        .select('id')
        .where('state', 'in', ['queued', 'running'])
        .execute();
      if (waiting.length === 0) return { done: true, value: undefined };
      return { done: false, progress: await jobsProgress(e.ctx.store.db) };
    },
    { what: 'the jobs settling', intervalMs: 500 },
  );
}

let polls = 0;
async function poll(e: EngineHarness): Promise<void> {
  const source = e.sources[0]!;
  await enqueue(
    e.ctx.store.db,
    ingestOrdersJob,
    { connectionId: source.id },
    { tenantId: e.tenantId, key: `test-poll:${++polls}:${Date.now()}`, now: Date.now() },
  );
  await settle(e);
}

/** The POS's writes to the PO since the log was last cleared (the facts field's PUTs). */
async function poWrites(e: EngineHarness, system: keyof typeof poPath, poId: string) {
  const log = await e.pos.control('GET', '/_sim/requests?limit=1000');
  const path = poPath[system](poId);
  return (log.recent as Array<{ method: string; path: string; status: number; fault?: string }>).filter(
    (r) => r.method === 'PUT' && r.path.endsWith(path),
  );
}

async function exportOne(e: EngineHarness, skip: readonly string[] = []) {
  const location = (await e.ctx.connectors.pointOfSale(e.posConnection).then((p) => p.listLocations()))[0]!;
  const orders = (await wholesaleOrders.list(e.ctx.store.db, e.tenantId, { limit: 20 })).orders;
  for (const summary of orders.filter((o) => !skip.includes(o.id))) {
    const plan = await createPlan(e.ctx, e.tenantId, {
      connectionId: e.posConnection.id,
      locationId: location.id,
      orderIds: [summary.id],
    });
    if (!plan.plan.canApply) continue;
    await requestApply(e.ctx, e.tenantId, plan.id);
    await settle(e);
    const [row] = await exports.forPlan(e.ctx.store.db, e.tenantId, plan.id);
    assert.equal(row?.state, 'exported');
    return { order: (await wholesaleOrders.get(e.ctx.store.db, e.tenantId, summary.id))!, row: row! };
  }
  throw new Error('no order that needs no review');
}

forEachDialect('shipments after export', (getStore) => {
  for (const system of ['lightspeed-x', 'lightspeed-r'] as const) {
    test(
      `${system}: two shipments → Partially shipped, Shipped; the PO carries the facts, written once`,
      { timeout: 120_000 },
      async () => {
        const e = await startEngine(getStore(), system, { brands: 1 });
        try {
          await settle(e);
          const { order, row } = await exportOne(e);
          const poId = row.poId!;
          const api = (path: string) => e.app.call('GET', path, { token: e.token });
          // Nothing shipped yet: the order reads as exported; a poll reads nothing of it.
          assert.equal((await api(`/api/orders/${order.id}`)).body.timeline.status, 'exported');
          await e.pos.control('DELETE', '/_sim/requests');

          // Shipment 1: the first half of the lines, by UPS.
          const lines = order.document.lines;
          const half = lines.slice(0, Math.max(1, Math.floor(lines.length / 2)));
          await e.nuorder.control('POST', `/_sim/orders/${order.sourceId}/shipments`, {
            carrier: 'UPS',
            trackingNumbers: [UPS],
            shippedOn: new Date(Date.now() + 3_600_000).toISOString(),
            lines: half.map((l) => ({ productId: l.productSourceId, size: l.size, quantity: l.quantity })),
          });
          await poll(e);
          let detail = (await api(`/api/orders/${order.id}`)).body;
          assert.equal(detail.timeline.label, 'Partially shipped');
          assert.equal(detail.timelineDetail.shipments.length, 1);
          assert.equal((await poWrites(e, system, poId)).length, 1, 'one write for the first shipment');
          const facts = await e.ctx.connectors.purchaseOrderShipmentFacts(e.posConnection);
          let carried = (await facts.read(poId)).text;
          assert.ok(carried.includes(UPS) && carried.includes('UPS'), carried);

          // A poll that finds nothing new writes nothing.
          await poll(e);
          assert.equal((await poWrites(e, system, poId)).length, 1, 'no write when nothing changed');

          // Shipment 2: the rest, by FedEx; the write's reply is lost once (a ghost write), so the saga retries.
          await e.nuorder.control('POST', `/_sim/orders/${order.sourceId}/shipments`, {
            carrier: 'FedEx',
            trackingNumbers: [FEDEX],
            shippedOn: new Date(Date.now() + 7_200_000).toISOString(),
          });
          await e.pos.control('POST', '/_sim/faults', {
            kind: 'ghost_write',
            method: 'PUT',
            path: poPath[system](poId).replace(/^\//, '/'),
            times: 1,
          });
          await poll(e);
          const writes = await poWrites(e, system, poId);
          assert.equal(writes.length, 2, `one write per change, none repeated on the retry: ${JSON.stringify(writes)}`);
          carried = (await facts.read(poId)).text;
          assert.ok(carried.includes(UPS) && carried.includes(FEDEX), carried);
          assert.equal(carried.split(FACTS_START).length - 1, 1, 'one block, never two');
          // The POS's own back office shows them on the PO (X-Series: Note; R-Series: Ship instructions).
          const office = await (await fetch(row.poUrl!)).text();
          assert.ok(office.includes(FEDEX) && office.includes(UPS), 'the back office shows the shipment facts');

          // Stored with history; complete, so later polls do not re-read it.
          const stored = (await orderShipments.forOrders(e.ctx.store.db, e.tenantId, [order.id])).get(order.id)!;
          assert.equal(stored.sourceStatus, 'shipped');
          assert.equal(stored.complete, true);
          assert.equal(stored.shipments.length, 2);
          const history = await orderShipments.events(e.ctx.store.db, e.tenantId, order.id);
          assert.deepEqual(
            history.map((h) => h.kind),
            ['status_changed', 'shipment_added', 'status_changed', 'shipment_added'],
          );

          // The API: both shipments with carrier and tracking link, the timeline in order.
          detail = (await api(`/api/orders/${order.id}`)).body;
          assert.equal(detail.timeline.label, 'Shipped');
          const kinds = detail.timelineDetail.milestones.map((m: { kind: string }) => m.kind);
          assert.deepEqual(kinds, ['created', 'submitted', 'approved', 'exported', 'shipped', 'shipped']);
          const [first, second] = detail.timelineDetail.milestones.filter(
            (m: { kind: string }) => m.kind === 'shipped',
          );
          assert.equal(first.carrier, 'UPS');
          assert.equal(first.tracking[0].url, `https://www.ups.com/track?tracknum=${UPS}`);
          assert.equal(second.carrier, 'FedEx');
          assert.equal(second.tracking[0].url, `https://www.fedex.com/fedextrack/?trknbr=${FEDEX}`);
          const list = (await api('/api/orders?status=shipped')).body;
          assert.deepEqual(
            list.orders.map((o: { id: string }) => o.id),
            [order.id],
          );
          assert.equal(list.orders[0].timeline.label, 'Shipped');

          // Receiving committed from Tradeloop (the receiving saga's row): each receipt a step, then Delivered.
          const db = e.ctx.store.db;
          for (const [i, units] of [first.units, second.units].entries()) {
            const id = crypto.randomUUID();
            const lines = [{ posItemId: `item-${i}`, label: 'all of it', quantity: units }];
            await receipts.insertOnce(
              db,
              e.tenantId,
              {
                id,
                orderId: order.id,
                exportId: row.id,
                connectionId: e.posConnection.id,
                poId,
                poNumber: row.poNumber!,
                lines,
                flags: [],
                createdBy: null,
              },
              Date.now(),
            );
            await receipts.update(db, e.tenantId, id, { state: 'committed', committedAt: Date.now() + 10_800_000 + i });
            const now = (await api(`/api/orders/${order.id}`)).body;
            assert.equal(now.timeline.label, i === 0 ? 'Partially received' : 'Received');
          }
          const end = (await api(`/api/orders/${order.id}`)).body.timelineDetail.milestones.map(
            (m: { kind: string }) => m.kind,
          );
          assert.deepEqual(end.slice(-3), ['received', 'received', 'delivered']);

          // A complete order is not re-read: a later poll asks NuORDER nothing about it.
          await e.nuorder.control('DELETE', '/_sim/requests');
          await poll(e);
          const nuorderLog = (await e.nuorder.control('GET', '/_sim/requests?limit=500')).recent as Array<{
            path: string;
          }>;
          assert.ok(!nuorderLog.some((r) => r.path.includes(`/order/${order.sourceId}`)), 'not re-read once shipped');

          // Received in full in Tradeloop (nothing shipped at the source): complete too, and no longer followed.
          const other = await exportOne(e, [order.id]);
          const id = crypto.randomUUID();
          await receipts.insertOnce(
            db,
            e.tenantId,
            {
              id,
              orderId: other.order.id,
              exportId: other.row.id,
              connectionId: e.posConnection.id,
              poId: other.row.poId!,
              poNumber: other.row.poNumber!,
              lines: [{ posItemId: 'item', label: 'all of it', quantity: other.order.unitCount }],
              flags: [],
              createdBy: null,
            },
            Date.now(),
          );
          await receipts.update(db, e.tenantId, id, { state: 'committed', committedAt: Date.now() });
          await poll(e);
          const received = (await orderShipments.forOrders(db, e.tenantId, [other.order.id])).get(other.order.id);
          assert.equal(received?.complete, true, 'received in full: complete');
          assert.equal((await api(`/api/orders/${other.order.id}`)).body.timeline.label, 'Received');
          const open = await orderShipments.openExported(db, e.tenantId, e.sources[0]!.id);
          assert.ok(!open.some((o) => o.orderId === other.order.id), 'no longer followed');
        } finally {
          await e.close();
        }
      },
    );
  }
});
