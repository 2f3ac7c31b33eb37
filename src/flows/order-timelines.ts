/**
 * Each order's milestone timeline (core/order-timeline.ts) from what the store holds: the order, its export (PO
 * number and link), the shipments the source reported since (shipment-refresh.ts), the receipts committed from
 * Tradeloop's receiving page, and the POS's own receipts when the caller read them. The order page, the synced-PO page, the orders list, the REST API and the CLI all show this.
 */
import { buildTimeline, type ReceiptFact, type ShipmentFact, type Timeline } from '../core/order-timeline.ts';
import type { WholesaleOrderStatus } from '../core/wholesale-order.ts';
import { exports, orderShipments, type Fulfilment, type StoredOrder } from '../store/repos/index.ts';
import type { EngineContext } from './engine-context.ts';

type OrderRow = Pick<StoredOrder, 'id' | 'status' | 'unitCount'> & { createdAt?: string | null };

export interface OrderTimeline extends Timeline {
  fulfilment: Fulfilment | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A ship date as the source sent it, read as an instant (a bare date is midnight UTC). */
function shippedAt(text: string | null): string | null {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export function shipmentFacts(fulfilment: Fulfilment | null): ShipmentFact[] {
  return (fulfilment?.shipments ?? []).map((s) => ({
    id: s.sourceId ?? s.key,
    carrier: s.carrier,
    trackingNumbers: s.trackingNumbers,
    shippedAt: shippedAt(s.shippedOn),
    units: s.units,
  }));
}

export async function orderTimelines(
  ctx: EngineContext,
  tenantId: string,
  orders: readonly OrderRow[],
  receipts: ReadonlyMap<string, readonly ReceiptFact[]> = new Map(),
): Promise<Map<string, OrderTimeline>> {
  const ids = orders.map((o) => o.id);
  const [fulfilments, exportRows, committed] = await Promise.all([
    orderShipments.forOrders(ctx.store.db, tenantId, ids),
    exports.forOrders(ctx.store.db, tenantId, ids),
    orderShipments.committedReceipts(ctx.store.db, tenantId, ids),
  ]);
  const out = new Map<string, OrderTimeline>();
  for (const order of orders) {
    const fulfilment = fulfilments.get(order.id) ?? null;
    const exported = exportRows
      .filter((e) => e.orderId === order.id && e.state === 'exported')
      .sort((a, b) => (a.finishedAt ?? a.startedAt) - (b.finishedAt ?? b.startedAt))[0];
    const timeline = buildTimeline({
      status: (fulfilment?.sourceStatus ?? order.status) as WholesaleOrderStatus,
      createdAt: order.createdAt ?? null,
      orderedUnits: order.unitCount,
      exported: exported
        ? { at: iso(exported.finishedAt), poNumber: exported.poNumber ?? '(no number)', poUrl: exported.poUrl }
        : null,
      shipments: shipmentFacts(fulfilment),
      // Receiving committed from Tradeloop, then what the caller read from the POS itself (the synced-PO page).
      receipts: [
        ...committed
          .filter((r) => r.orderId === order.id)
          .map((r): ReceiptFact => ({
            id: r.id,
            receivedAt: iso(r.committedAt),
            units: r.units,
            source: 'tradeloop',
            reference: `PO ${r.poNumber}`,
          })),
        ...(receipts.get(order.id) ?? []),
      ],
    });
    out.set(order.id, { ...timeline, fulfilment });
  }
  return out;
}
