/** Where X-Series payloads meet core types. Pure functions, no I/O. */
import { parseMoney, type Money } from '../../core/money.ts';
import { canonicalGtins, type PosCatalogEntry } from '../../core/pos-catalog.ts';
import type { PosLocation, PosPurchaseOrder, PosPurchaseOrderLine } from '../../core/ports/pos.ts';
import type { PosSale } from '../../core/ports/pos-sales.ts';
import type { XSale } from './sales-schemas.ts';
import type { XConsignment, XConsignmentLine, XProduct } from './schemas.ts';

/**
 * Inactive products are drafts or retired items; deleted ones are soft-deleted (§2.1, §2.5). A draft
 * Tradeloop created itself (it carries our correlation key) stays matchable while the merchant has not
 * activated it yet: otherwise the next export of the same style would see its own drafts as archived.
 */
export function isArchived(
  p: Pick<XProduct, 'is_active' | 'active' | 'deleted_at'> &
    Partial<Pick<XProduct, 'source_id' | 'source_variant_id' | 'sku'>>,
): boolean {
  if (p.deleted_at !== null && p.deleted_at !== undefined) return true;
  const active = p.is_active ?? p.active ?? true;
  return !active && !isTradeloopDraft(p);
}

/**
 * A new variant's SKU is its correlation key (core/pos-catalog.ts `variantCorrelationKey`): lower-case
 * style-color-size slugs and eight hex digits of the variant's hash (≤ 40 characters), or `tlv-` and twenty.
 */
const variantKeySku = /^(?=.{10,40}$)[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{8}$|^tlv-[0-9a-f]{20}$/;

/**
 * The draft markers, from the one that surely survives to the ones that may not. The SKU: written on every
 * variant and searchable, it is the field X-Series keeps. `source_variant_id`: `tl:` + key, but the 2.0
 * `variants[]` schema has no such field (divergences F9), so the real API may drop it there; still read where
 * it survives (the family's top level, products made before). `source_id` `tlp-`: whether a family's top-level
 * `source_id` reaches its variants is unrecorded [I]. A merchant SKU in exactly the key's shape (lower case,
 * ending in a dash and eight hex digits) on an inactive item would read as ours: unlikely, and it only makes
 * that item matchable.
 */
function isTradeloopDraft(p: Partial<Pick<XProduct, 'source_id' | 'source_variant_id' | 'sku'>>): boolean {
  return (
    variantKeySku.test(p.sku ?? '') ||
    /^(tl:|tl[pv]-)/.test(p.source_variant_id ?? '') ||
    /^tl[pv]-/.test(p.source_id ?? '')
  );
}

/** What a new variant's `source_variant_id` holds: its key, marked as a Tradeloop draft. */
export function draftMarker(variantCorrelationKey: string): string {
  return `tl:${variantCorrelationKey}`;
}

/**
 * The variant family a product belongs to: a variant's `variant_parent_id`, or the product's own id when it
 * is the family's parent (`has_variants` without a parent). Standard products have none.
 */
export function familyIdOf(p: Pick<XProduct, 'id' | 'variant_parent_id' | 'has_variants'>): string | null {
  if (p.variant_parent_id) return p.variant_parent_id;
  return p.has_variants ? p.id : null;
}

/**
 * A catalog entry. `priceIncludesTax`: the price field the connection writes retail prices to (options
 * `retailPriceIncludesTax`), read back as the entry's retail, so field ownership compares like with like.
 */
export function toCatalogEntry(p: XProduct, priceIncludesTax = false): PosCatalogEntry {
  const price = priceIncludesTax ? p.price_including_tax : p.price_excluding_tax;
  return {
    posItemId: p.id,
    parentId: familyIdOf(p),
    // Every product code (UPC/EAN/custom) and the SKU: whatever reads as a valid GTIN counts.
    gtins: canonicalGtins([p.sku, ...(p.product_codes ?? []).map((c) => c.code)]),
    sku: p.sku ?? null,
    name: p.variant_name || p.name,
    archived: isArchived(p),
    version: String(p.version),
    ...(price === null || price === undefined || price === '' ? {} : { retail: String(price) }),
  };
}

export function toLocation(o: {
  id: string;
  name: string;
  currency?: string | null;
  deleted_at?: string | null;
}): PosLocation {
  return {
    id: o.id,
    name: o.name,
    currency: o.currency ? o.currency.toUpperCase() : null,
    archived: o.deleted_at !== null && o.deleted_at !== undefined,
  };
}

/** SUPPLIER consignments accept new lines while OPEN or SENT (§3.2, §3.4). */
export function isOpenForLines(c: Pick<XConsignment, 'status' | 'deleted_at'>): boolean {
  return (c.deleted_at === null || c.deleted_at === undefined) && (c.status === 'OPEN' || c.status === 'SENT');
}

export function toPurchaseOrder(c: XConsignment, url: string): PosPurchaseOrder {
  return {
    id: c.id,
    // X-Series shows `reference` as the "Order number" (§3.1).
    number: c.reference || c.name,
    url,
    status: c.deleted_at ? 'DELETED' : c.status,
    open: isOpenForLines(c),
  };
}

function quantity(value: string | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

export function toPurchaseOrderLine(l: XConsignmentLine, currency: string | null): PosPurchaseOrderLine {
  let unitCost: Money | null = null;
  if (currency !== null && l.cost !== null && l.cost !== undefined) {
    const parsed = parseMoney(l.cost, currency, { rounding: 'half_up' });
    if (parsed.ok) unitCost = parsed.value;
  }
  return { posItemId: l.product_id, quantity: quantity(l.count), unitCost, received: quantity(l.received) };
}

/** `due_at` from the ship window's end: a date becomes midnight UTC that day; a timestamp passes as is. */
export function dueAtOf(end: string | null): string | null {
  if (end === null || end.trim() === '') return null;
  const text = end.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return `${text}T00:00:00+00:00`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The marker written into a supplier's description so `findSupplier` can find the brand by its source id. */
export function supplierMarker(sourceBrandId: string): string {
  return `[tradeloop brand ${sourceBrandId}]`;
}

/** The brand id a supplier's description carries in `supplierMarker`, or null. */
export function markedBrandId(description: string): string | null {
  return /\[tradeloop brand ([^\]]+)\]/.exec(description)?.[1] ?? null;
}

/** The retailer's currency code (`currency: {code, symbol}` per the spec; a bare code is read too), upper case. */
export function retailerCurrency(r: { currency?: string | { code: string } | null }): string | null {
  const code = typeof r.currency === 'string' ? r.currency : (r.currency?.code ?? null);
  return code ? code.toUpperCase() : null;
}

/** A 2.0 sale as the sales port sees it (the legacy `status` included: the rules map to it). */
export function toPosSale(sale: XSale): PosSale {
  return {
    id: sale.id,
    outletId: sale.outlet_id ?? null,
    invoiceNumber: sale.invoice_number ?? null,
    source: sale.source ?? null,
    status: sale.status,
    attributes: sale.attributes ?? [],
    saleDate: sale.sale_date ?? null,
    lines: sale.line_items.map((l) => ({
      productId: l.product_id,
      quantity: l.quantity,
      price: l.price ?? null,
      note: l.note ?? null,
      voided: l.status === 'VOIDED',
    })),
  };
}
