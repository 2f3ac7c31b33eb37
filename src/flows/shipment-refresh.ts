/**
 * Order status after export: after each poll of a wholesale connection, the orders it exported are re-read until
 * they are complete (shipped in full, cancelled, or received in full), through the source's batched `orderProgress` (NuORDER: 3 calls
 * per refresh plus one per order shipped in full since; the NuORDER connector's order-progress.ts). What changed (the
 * status, a shipment added, changed or withdrawn) is stored with its history (store/repos/order-shipments.ts), and a
 * change of the shipment facts queues their write into each POS purchase order (shipment-facts/saga.ts).
 */
import type { WholesaleSource } from '../core/ports/wholesale-source.ts';
import type { WholesaleShipment } from '../core/wholesale-order.ts';
import { orderShipments, type Connection, type OpenExportedOrder, type StoredShipment } from '../store/repos/index.ts';
import type { EngineContext } from './engine-context.ts';
import { enqueueShipmentFacts } from './shipment-facts/saga.ts';

export interface ShipmentRefreshReport {
  /** Exported orders not complete yet, re-read in this refresh. */
  followed: number;
  /** Calls the source took. */
  requests: number;
  changed: number;
  completed: number;
  /** POS purchase orders queued to be told of new shipment facts. */
  factsQueued: number;
}

const asShipment = (orderSourceId: string, s: StoredShipment): WholesaleShipment => ({
  sourceId: s.sourceId,
  orderSourceId,
  carrier: s.carrier,
  trackingNumbers: s.trackingNumbers,
  shippedAt: s.shippedOn,
  lines: s.lines,
});

/**
 * Orders received in full (Tradeloop's receiving committed every unit ordered) are complete whatever the source still
 * says: recorded so, and not read again.
 */
async function withoutReceivedInFull(
  ctx: EngineContext,
  tenantId: string,
  connection: Connection,
  open: OpenExportedOrder[],
  report: ShipmentRefreshReport,
): Promise<OpenExportedOrder[]> {
  const db = ctx.store.db;
  const received = new Map<string, number>();
  for (const r of await orderShipments.committedReceipts(
    db,
    tenantId,
    open.map((o) => o.orderId),
  ))
    received.set(r.orderId, (received.get(r.orderId) ?? 0) + r.units);
  const done = open.filter((o) => o.unitCount > 0 && (received.get(o.orderId) ?? 0) >= o.unitCount);
  if (done.length === 0) return open;
  const stored = await orderShipments.forOrders(
    db,
    tenantId,
    done.map((o) => o.orderId),
  );
  for (const o of done) {
    const shipments = (stored.get(o.orderId)?.shipments ?? []).map((s) => asShipment(o.sourceId, s));
    await orderShipments.record(
      db,
      tenantId,
      { orderId: o.orderId, connectionId: connection.id, status: o.status, complete: true, shipments },
      ctx.now(),
    );
    report.completed++;
  }
  const ids = new Set(done.map((o) => o.orderId));
  return open.filter((o) => !ids.has(o.orderId));
}

export async function refreshShipments(
  ctx: EngineContext,
  connection: Connection,
  source: WholesaleSource,
): Promise<ShipmentRefreshReport> {
  const report: ShipmentRefreshReport = { followed: 0, requests: 0, changed: 0, completed: 0, factsQueued: 0 };
  if (!source.orderProgress || source.blocked?.()) return report;
  const db = ctx.store.db;
  const tenantId = connection.tenantId;
  const exported = await orderShipments.openExported(db, tenantId, connection.id);
  const open = await withoutReceivedInFull(ctx, tenantId, connection, exported, report);
  report.followed = open.length;
  if (open.length === 0) return report;
  const { orders, requests } = await source.orderProgress(open.map((o) => o.sourceId));
  report.requests = requests;
  const fresh = new Map(orders.map((o) => [o.sourceId, o]));
  const stored = await orderShipments.forOrders(
    db,
    tenantId,
    open.map((o) => o.orderId),
  );
  const unchanged: string[] = [];
  for (const held of open) {
    const now = fresh.get(held.sourceId);
    // Not in the answer: still approved with nothing shipped. Nothing to store until something moves.
    if (!now) {
      if (stored.has(held.orderId)) unchanged.push(held.orderId);
      continue;
    }
    const shipments =
      now.shipments ?? (stored.get(held.orderId)?.shipments ?? []).map((s) => asShipment(held.sourceId, s));
    const complete = now.status === 'shipped' || now.status === 'cancelled';
    const outcome = await orderShipments.record(
      db,
      tenantId,
      { orderId: held.orderId, connectionId: connection.id, status: now.status, complete, shipments },
      ctx.now(),
    );
    if (outcome.changed) report.changed++;
    if (complete) report.completed++;
    if (outcome.factsChanged)
      report.factsQueued += await enqueueShipmentFacts(ctx, db, tenantId, held.orderId, outcome.factsHash);
  }
  await orderShipments.touch(db, tenantId, unchanged, ctx.now());
  ctx.logger.info({ connectionId: connection.id, ...report }, 'shipments refreshed');
  return report;
}
