/**
 * Receiving against a SUPPLIER consignment (reference §3.4, §3.6): each line's `received` is set with a PUT of the
 * line (a set, not an add: bulk `received` ACCUMULATES on a DISPATCHED order, so bulk is never used here), which
 * dispatches an OPEN/SENT order; then `PUT {status: RECEIVED}` and the outlet's stock grows by the received units.
 * A partial receipt keeps the rest on order as Retail POS does ("keep the rest on order", its API shape [I]): a new
 * SUPPLIER consignment, `reference` = the remainder key, with the units still open, sent to the supplier.
 * Every write reads first, so a repeated call writes nothing it already wrote.
 */
import { z } from 'zod';
import type { PointOfSale, PosPurchaseOrder } from '../../core/ports/pos.ts';
import type {
  ClosedReceipt,
  PurchaseOrderReceiving,
  ReceivedTotal,
  ReceivingState,
} from '../../core/ports/po-receiving.ts';
import { toDecimalString } from '../../core/money.ts';
import { RemoteRejected } from '../shared/errors.ts';
import type { HttpClient } from '../shared/http.ts';
import { VENDOR } from './client.ts';
import { toPurchaseOrder } from './map.ts';
import { bulkReplySchema, consignmentListSchema, consignmentReplySchema, unwrapData } from './schemas.ts';

const V2 = '/api/2.0';
// The reply's shape is not relied on: the port reads the PO back after writing.
const lineReplySchema = z.preprocess(unwrapData, z.looseObject({}));

export function createXSeriesReceiving(
  client: HttpClient,
  pos: Pick<PointOfSale, 'listPurchaseOrderLines'>,
  poUrl: (id: string) => string,
): PurchaseOrderReceiving {
  const path = (poId: string) => `${V2}/consignments/${encodeURIComponent(poId)}`;
  const refuse = (method: string, at: string, message: string): RemoteRejected =>
    new RemoteRejected({ vendor: VENDOR, method, path: at, status: 422, vendorMessage: message });

  async function read(poId: string): Promise<ReceivingState> {
    const [c, lines] = await Promise.all([
      client.request({ method: 'GET', path: path(poId), schema: consignmentReplySchema }),
      pos.listPurchaseOrderLines(poId),
    ]);
    const po = toPurchaseOrder(c, poUrl(c.id));
    return {
      po,
      lines: lines.map((l) => ({
        posItemId: l.posItemId,
        ordered: l.quantity,
        received: l.received,
        unitCost: l.unitCost,
      })),
      receivable: !c.deleted_at && ['OPEN', 'SENT', 'DISPATCHED'].includes(c.status),
    };
  }

  async function findByReference(reference: string): Promise<PosPurchaseOrder | null> {
    // The list is version-paged; a remainder is recent, but the whole list is read to be sure (one page mostly).
    let after = 0;
    for (;;) {
      const page = await client.request({
        method: 'GET',
        path: `${V2}/consignments`,
        query: { type: 'SUPPLIER', after, page_size: 1000 },
        schema: consignmentListSchema,
      });
      const hit = page.data.find((c) => c.reference === reference && !c.deleted_at);
      if (hit) return toPurchaseOrder(hit, poUrl(hit.id));
      const max = Math.max(after, ...page.data.map((c) => c.version));
      if (page.data.length === 0 || max <= after) return null;
      after = max;
    }
  }

  /** The units still open, on a new order sent to the supplier (found again by its reference). */
  async function keepRestOnOrder(poId: string, state: ReceivingState, remainderKey: string) {
    const open = state.lines.filter((l) => l.received < l.ordered);
    if (open.length === 0) return null;
    const source = await client.request({ method: 'GET', path: path(poId), schema: consignmentReplySchema });
    let rest = await findByReference(remainderKey);
    if (!rest) {
      const created = await client.request({
        method: 'POST',
        path: `${V2}/consignments`,
        body: {
          type: 'SUPPLIER',
          status: 'OPEN',
          outlet_id: source.outlet_id,
          supplier_id: source.supplier_id,
          name: `${source.name} (rest on order)`.slice(0, 255),
          reference: remainderKey,
          due_at: source.due_at,
        },
        schema: consignmentReplySchema,
      });
      rest = toPurchaseOrder(created, poUrl(created.id));
    }
    // Bulk counts accumulate (§3.4): only lines the remainder does not hold yet are sent.
    const present = new Set((await pos.listPurchaseOrderLines(rest.id)).map((l) => l.posItemId));
    const missing = open.filter((l) => !present.has(l.posItemId));
    if (missing.length > 0)
      await client.request({
        method: 'POST',
        path: `${path(rest.id)}/bulk`,
        body: missing.map((l) => ({
          product_id: l.posItemId,
          count: l.ordered - l.received,
          ...(l.unitCost ? { cost: toDecimalString(l.unitCost) } : {}),
        })),
        schema: bulkReplySchema,
      });
    if (rest.status === 'OPEN') {
      const sent = await client.request({
        method: 'PUT',
        path: path(rest.id),
        body: { status: 'SENT' },
        schema: consignmentReplySchema,
        idempotent: true,
      });
      rest = toPurchaseOrder(sent, poUrl(sent.id));
    }
    return rest;
  }

  return {
    stockOnCommit: true,
    readReceiving: read,

    async writeReceived(poId: string, totals: readonly ReceivedTotal[]): Promise<ReceivingState> {
      const state = await read(poId);
      const at = `${path(poId)}/products`;
      if (
        !state.receivable &&
        totals.some((t) => state.lines.find((l) => l.posItemId === t.posItemId)?.received !== t.received)
      )
        throw refuse('PUT', at, `purchase order ${state.po.number} is ${state.po.status} and takes no receipt`);
      for (const total of totals) {
        const line = state.lines.find((l) => l.posItemId === total.posItemId);
        if (!line) throw refuse('PUT', at, `item ${total.posItemId} is not on purchase order ${state.po.number}`);
        if (line.received === total.received) continue;
        if (total.received < line.received)
          throw refuse(
            'PUT',
            at,
            `item ${total.posItemId} shows ${line.received} received, more than ${total.received}`,
          );
        // A set of the line's total: a repeated PUT leaves the same total (idempotent).
        await client.request({
          method: 'PUT',
          path: `${at}/${encodeURIComponent(total.posItemId)}`,
          body: { received: total.received },
          schema: lineReplySchema,
          idempotent: true,
        });
      }
      return read(poId);
    },

    async closeReceipt(poId: string, input: { remainderKey: string }): Promise<ClosedReceipt> {
      let state = await read(poId);
      if (state.po.status !== 'RECEIVED') {
        if (!state.lines.some((l) => l.received > 0)) return { po: state.po, remainder: null };
        if (!state.receivable)
          throw refuse('PUT', path(poId), `purchase order ${state.po.number} is ${state.po.status}`);
        await client.request({
          method: 'PUT',
          path: path(poId),
          body: { status: 'RECEIVED' },
          schema: consignmentReplySchema,
          // Not resent by the transport: a RECEIVED order refuses any update, so after a lost reply the saga
          // reads again (above) instead.
          idempotent: false,
        });
        state = await read(poId);
      }
      return { po: state.po, remainder: await keepRestOnOrder(poId, state, input.remainderKey) };
    },
  };
}
