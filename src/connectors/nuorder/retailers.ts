import type { SourceRetailer } from '../../core/ports/wholesale-source.ts';
import type { NuorderClient } from './client.ts';
import { retailerSchema, type NuorderOrderStatus } from './schemas.ts';

/**
 * The statuses whose orders name the stores a brand sells to. A store appears once it has an order the brand can
 * see: submitted for review, written by a rep (pending), approved, processed or shipped. Drafts and cancelled
 * orders are left out (a draft may never be sent; a cancelled one says nothing about a current customer).
 */
const statuses: readonly NuorderOrderStatus[] = ['review', 'pending', 'approved', 'processed', 'shipped'];

/**
 * The retailers on the brand's orders, by `retailer._id` (what a connection is scoped by, divergences.md F3),
 * busiest first. NuORDER documents no "retailers of this brand" call that a brand token may make, and company
 * codes may be `""`, so the orders themselves are the list. Each listing is read unparsed and only its
 * `retailer` objects are checked, so one malformed order does not hide a store.
 */
export async function retailersOf(client: NuorderClient): Promise<SourceRetailer[]> {
  const seen = new Map<string, { name: string; code: string | null; buyerName: string | null; orders: number }>();
  for (const status of statuses) {
    for (const raw of await client.listOrdersRaw(status)) {
      const parsed = retailerSchema.safeParse((raw as { retailer?: unknown } | null)?.retailer);
      if (!parsed.success) continue;
      const r = parsed.data;
      const text = (v: string | null | undefined): string | null => (v && v.trim() !== '' ? v.trim() : null);
      const entry = seen.get(r._id) ?? {
        name: text(r.retailer_name) ?? text(r.retailer_code) ?? `Retailer ${r._id}`,
        code: text(r.retailer_code),
        buyerName: text(r.buyer_name),
        orders: 0,
      };
      entry.orders += 1;
      seen.set(r._id, entry);
    }
  }
  return [...seen]
    .map(([sourceId, r]) => ({ sourceId, ...r }))
    .sort((a, b) => b.orders - a.orders || a.name.localeCompare(b.name));
}
