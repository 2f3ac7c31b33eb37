/**
 * Shipment facts on an X-Series purchase order (a SUPPLIER consignment). The place for them is the consignment's
 * `name`, which the X-Series UI shows as the order's "Note" (reference lightspeed-x-series.md §3.1: `name`
 * "shown as 'Note' in the UI"). The other candidates are not free text for this: `reference` is the "Order number"
 * (our correlation key lives there), `supplier_invoice` is the supplier's invoice number, and `due_at` is the
 * delivery date the buyer expects (a ship date is not an arrival date). A RECEIVED or CANCELLED consignment cannot
 * be updated (§3.2), so it is reported not writable. `PUT /api/2.0/consignments/{id}` sets the name.
 */
import type { PoShipmentFactsField, PurchaseOrderShipmentFacts } from '../../core/ports/po-shipment-facts.ts';
import type { XSeriesClient } from './client.ts';
import { consignmentReplySchema } from './schemas.ts';

const closed = new Set(['RECEIVED', 'CANCELLED']);

export function createXSeriesShipmentFacts(client: XSeriesClient): PurchaseOrderShipmentFacts {
  const path = (poId: string): string => `/api/2.0/consignments/${encodeURIComponent(poId)}`;
  return {
    async read(poId): Promise<PoShipmentFactsField> {
      const c = await client.request({ method: 'GET', path: path(poId), schema: consignmentReplySchema });
      const writable = !closed.has(c.status) && !c.deleted_at;
      return {
        text: c.name,
        field: 'name',
        writable,
        ...(writable ? {} : { reason: `the consignment is ${c.deleted_at ? 'deleted' : c.status}` }),
      };
    },
    async write(poId, text) {
      await client.request({
        method: 'PUT',
        path: path(poId),
        body: { name: text },
        schema: consignmentReplySchema,
        // Not resent by the transport on a 5xx: the saga's retry reads the PO first, so a write that did commit
        // is not made again (the request log shows one write per change).
        idempotent: false,
      });
    },
  };
}
