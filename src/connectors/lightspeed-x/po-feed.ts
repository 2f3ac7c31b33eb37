/**
 * The X-Series purchase-order feed (reference lightspeed-x-series.md §3): `GET /api/2.0/consignments?type=SUPPLIER
 * &after=<version>` lists consignments changed after a version, bare array or wrapped page (§3.5, both read); lines
 * come from `GET …/consignments/{id}/products` through the PointOfSale. The tag goes in `reference` ("Order number",
 * §3.1) when the merchant left it empty, else on a line of its own in `name` (shown as "Note") [I: the reference
 * says which field is which, not how merchants use them]. `PUT /api/2.0/consignments/{id}` writes it; a RECEIVED or
 * CANCELLED consignment cannot be updated (§3.2), so the tag is not written there and says why.
 */
import { z } from 'zod';
import type { PointOfSale } from '../../core/ports/pos.ts';
import type { PosPurchaseOrderHead, PurchaseOrderFeed } from '../../core/ports/po-feed.ts';
import { RemoteRejected } from '../shared/errors.ts';
import type { HttpClient } from '../shared/http.ts';
import { VENDOR } from './client.ts';
import { consignmentSchema, unwrapData, versionSchema } from './schemas.ts';

const V2 = '/api/2.0';
const PAGE_SIZE = 200;
/** Pages one read takes at most; the cursor says where the next read goes on. */
const MAX_PAGES = 10;
const NAME_MAX = 255;

// Tolerant: only what the feed reads; created_at and consignment_date are optional (the tutorial shows both).
const feedConsignment = consignmentSchema.extend({
  created_at: z.string().nullish(),
  consignment_date: z.string().nullish(),
});
const feedPage = z.preprocess(
  (value) => (Array.isArray(value) ? { data: value } : value),
  z.looseObject({ data: z.array(feedConsignment), version: versionSchema }),
);
const feedReply = z.preprocess(unwrapData, feedConsignment);
type FeedConsignment = z.output<typeof feedConsignment>;

const closed = new Set(['RECEIVED', 'CANCELLED']);
/** Made, or sent to the supplier and not yet on its way: still being ordered. */
const ordering = new Set(['OPEN', 'SENT']);
/**
 * The PO X-Series spawns for a partial receipt's remainder ("a new SENT order", §3.6 [V UI doc]) is named after the
 * received one with " (remainder)" [I: the reference does not give the name; the simulator's back office does this].
 */
const REMAINDER_NAME = /\(remainder\)\s*$/i;

function headOf(c: FeedConsignment, url: (id: string) => string): PosPurchaseOrderHead {
  const reference = c.reference?.trim() ? c.reference.trim() : null;
  return {
    id: c.id,
    number: reference ?? c.name,
    url: url(c.id),
    supplierId: c.supplier_id ?? null,
    locationId: c.outlet_id,
    status: c.status,
    ordering: ordering.has(c.status),
    reference,
    createdAt: c.created_at ?? c.consignment_date ?? null,
    isRemainder: REMAINDER_NAME.test(c.name),
  };
}

export function createXSeriesPoFeed(
  client: HttpClient,
  pos: Pick<PointOfSale, 'listPurchaseOrderLines'>,
  purchaseOrderUrl: (consignmentId: string) => string,
): PurchaseOrderFeed {
  const path = (poId: string): string => `${V2}/consignments/${encodeURIComponent(poId)}`;
  return {
    async changedSince(cursor) {
      let after = Number(cursor ?? 0);
      if (!Number.isFinite(after) || after < 0) after = 0;
      const orders: PosPurchaseOrderHead[] = [];
      for (let page = 0; page < MAX_PAGES; page++) {
        const reply = await client.request({
          method: 'GET',
          path: `${V2}/consignments`,
          query: { type: 'SUPPLIER', after, page_size: PAGE_SIZE },
          schema: feedPage,
        });
        if (reply.data.length === 0) break;
        for (const c of reply.data)
          if (c.type === 'SUPPLIER' && !c.deleted_at) orders.push(headOf(c, purchaseOrderUrl));
        const next = Math.max(after, reply.version?.max ?? 0, ...reply.data.map((c) => c.version));
        if (next <= after) break;
        after = next;
        if (reply.data.length < PAGE_SIZE) break;
      }
      return { orders, cursor: after > 0 ? String(after) : cursor };
    },

    async lines(poId) {
      return (await pos.listPurchaseOrderLines(poId))
        .filter((l) => l.quantity > 0)
        .map((l) => ({ posItemId: l.posItemId, quantity: l.quantity }));
    },

    async tag(poId, tag) {
      const c = await client.request({ method: 'GET', path: path(poId), schema: feedReply });
      const reference = c.reference?.trim() ?? '';
      if (reference === tag) return { field: 'reference', written: false };
      if (c.name.includes(tag)) return { field: 'name', written: false };
      if (closed.has(c.status) || c.deleted_at)
        throw new RemoteRejected({
          vendor: VENDOR,
          method: 'PUT',
          path: path(poId),
          status: 422,
          vendorMessage: `the consignment is ${c.deleted_at ? 'deleted' : c.status} and cannot be updated`,
        });
      // The tag is kept whole at the end of the note (a cut one would never be found again).
      const suffix = `\nNuORDER order ${tag}`;
      const body =
        reference === ''
          ? { reference: tag }
          : { name: `${c.name.trim().slice(0, NAME_MAX - suffix.length)}${suffix}` };
      // Not resent by the transport: the saga's retry reads first, so a write that committed is not made again.
      await client.request({ method: 'PUT', path: path(poId), body, schema: z.unknown(), idempotent: false });
      return { field: reference === '' ? 'reference' : 'name', written: true };
    },
  };
}
