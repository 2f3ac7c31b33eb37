/**
 * Re-reading the orders a merchant exported until they are complete, cheaply. NuORDER has no "modified since"
 * query, change log or paging (nuorder.md §3.1), and shipments live on the order itself (§5: `shipments[]` is an
 * order key; no recording or client shows a shipment endpoint, divergences.md F11), so one refresh is:
 *
 * - `GET /orders/processed/detail` (1 call): orders partly shipped (or processed), each with every shipment so far;
 * - `GET /orders/shipped/list` (1 call): ids that were shipped in full (the final state);
 * - `GET /order/{id}` once per followed order that appears in the shipped list (its last shipment).
 *
 * 2 calls per refresh plus one per order shipped in full since the last one, however many orders are open. An
 * order in neither is still approved with nothing shipped. Cancellations are not asked here: the same poll's ingest
 * already reads the cancelled ids (one call) and marks those orders cancelled, which ends their following. The listings cover every store that buys from the
 * brand (F3): only the followed ids (this connection's own orders) are read out of them.
 */
import type { SourceOrderProgress } from '../../core/ports/wholesale-source.ts';
import type { WholesaleOrderStatus } from '../../core/wholesale-order.ts';
import type { NuorderClient } from './client.ts';
import { mapShipment } from './map.ts';
import type { NuorderOrder } from './schemas.ts';

const progressOf = (order: NuorderOrder): SourceOrderProgress => ({
  sourceId: order._id,
  status: order.status as WholesaleOrderStatus,
  shipments: (order.shipments ?? []).map((s) => mapShipment(order._id, s)),
});

export async function readOrderProgress(
  client: NuorderClient,
  sourceIds: readonly string[],
  ours: (retailerId: string | null | undefined) => boolean,
): Promise<{ orders: SourceOrderProgress[]; requests: number }> {
  const followed = new Set(sourceIds);
  if (followed.size === 0) return { orders: [], requests: 0 };
  const [processed, shippedIds] = await Promise.all([
    client.listOrdersEach('processed'),
    client.listOrderIds('shipped'),
  ]);
  let requests = 2;
  const out = new Map<string, SourceOrderProgress>();
  for (const entry of processed)
    if (entry.ok && followed.has(entry.order._id) && ours(entry.order.retailer._id))
      out.set(entry.order._id, progressOf(entry.order));
  for (const id of shippedIds) {
    if (!followed.has(id)) continue;
    const order = await client.getOrder(id);
    requests++;
    if (order && ours(order.retailer._id)) out.set(id, progressOf(order));
  }
  return { orders: [...out.values()], requests };
}
