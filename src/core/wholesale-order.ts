/**
 * A wholesale order as Tradeloop keeps it, whatever platform it came from (NuORDER today). Connectors
 * map vendor JSON into these types in their map.ts; nothing vendor-specific appears here.
 */
import { hashCanonical } from './canonical.ts';
import type { GtinResult } from './gtin.ts';
import type { Money } from './money.ts';

/**
 * NuORDER's statuses. Ingest takes `approved` orders; later statuses still arrive on refresh, and
 * `cancelled` after an export is an amendment the buyer must see.
 */
export type WholesaleOrderStatus = 'draft' | 'review' | 'pending' | 'approved' | 'processed' | 'shipped' | 'cancelled';

export interface BrandRef {
  /**
   * The brand's id at the source. It is part of every variant and matrix key, so it must be stable:
   * a connector that has no brand id uses the brand name (keys normalise case and spacing).
   */
  readonly sourceId: string;
  readonly name: string;
}

export interface RetailerRef {
  readonly sourceId: string | null;
  readonly name: string;
  readonly code: string | null;
  readonly buyerName: string | null;
  readonly buyerEmail: string | null;
}

export interface PostalAddress {
  readonly name: string | null;
  readonly line1: string | null;
  readonly line2: string | null;
  readonly city: string | null;
  readonly region: string | null;
  readonly postalCode: string | null;
  readonly country: string | null;
}

/** ISO-8601 instants; either end may be unknown. */
export interface ShipWindow {
  readonly start: string | null;
  readonly end: string | null;
}

/**
 * Something the source left out of a line, in words (e.g. no retail price): shown on the line and in the
 * export review. A gap never makes the order unreadable; the line goes on without the value.
 */
export interface LineGap {
  /** The OrderLine field that has no value: `retailPrice`. */
  readonly field: string;
  readonly reason: string;
}

/** One size of one style/color, as ordered. */
export interface OrderLine {
  /** Stable across ingests of the same order: see `makeLineKey`. */
  readonly lineKey: string;
  /** The source's product id (NuORDER `line_items[].product._id`), at style/color/season level. */
  readonly productSourceId: string;
  /** Copied from the order so a line alone carries its variant identity (see pos-catalog `variantKey`). */
  readonly brand: BrandRef;
  readonly styleNumber: string;
  readonly season: string | null;
  readonly color: string;
  readonly colorCode: string | null;
  readonly size: string;
  readonly name: string;
  /** The brand's own external product id (NuORDER `brand_id`, style/color level), if any. */
  readonly brandExternalId: string | null;
  /** The UPC exactly as the source sent it (may be absent or junk). */
  readonly rawUpc: string | null;
  /** `parseGtin(rawUpc)`, kept so every reader sees the same verdict. */
  readonly gtin: GtinResult;
  /** Whole units, or whole packs when `unitsPerPack` > 1; 0 is possible when a source lists a size nobody ordered. */
  readonly quantity: number;
  /**
   * Units in one pack (NuORDER `sizes[].units_per_pack`): above 1, `quantity` counts packs and `unitCost` is
   * the price the source gave for the row (what it is the price of is the merchant's setting, see plan-codes).
   * Absent = 1.
   */
  readonly unitsPerPack?: number;
  /** Wholesale unit cost after line discounts, in the order currency. */
  readonly unitCost: Money;
  /** MSRP; null when the source has none (then `gaps` says why). */
  readonly retailPrice: Money | null;
  /** What the source left out of this line; absent or empty when nothing. Not part of the content hash. */
  readonly gaps?: readonly LineGap[];
  /** Line-level ship window when the source has one (NuORDER `ship_start`/`ship_end`). */
  readonly shipWindow: ShipWindow | null;
  /** Image URLs. */
  readonly images: readonly string[];
  readonly category: string | null;
}

export interface WholesaleOrder {
  /** The source's id (NuORDER `_id`): the upsert key. */
  readonly sourceId: string;
  /** A string: split orders look like "100596-1". */
  readonly orderNumber: string;
  readonly status: WholesaleOrderStatus;
  readonly brand: BrandRef;
  readonly retailer: RetailerRef;
  readonly customerPoNumber: string | null;
  /** ISO 4217; every Money on the order is in it. */
  readonly currency: string;
  readonly shipWindow: ShipWindow;
  readonly notes: string;
  readonly createdAt: string;
  readonly modifiedAt: string;
  readonly billingAddress: PostalAddress | null;
  readonly shippingAddress: PostalAddress | null;
  readonly lines: readonly OrderLine[];
}

/** A shipment (ASN) the brand reported against an order, for receiving. */
export interface WholesaleShipment {
  readonly sourceId: string | null;
  readonly orderSourceId: string;
  readonly carrier: string | null;
  readonly trackingNumbers: readonly string[];
  readonly shippedAt: string | null;
  readonly lines: ReadonlyArray<{ readonly lineKey: string; readonly quantity: number }>;
}

/**
 * The line key: source product id + size. Size is trimmed but case is kept, since "S" and "s" are the
 * same size to a brand only by accident of typing; the key must not merge two source rows.
 */
export function makeLineKey(productSourceId: string, size: string): string {
  return `${encodeURIComponent(productSourceId)}:${encodeURIComponent(size.trim())}`;
}

/** Problems a mapper should fix before storing an order; an empty list means the order is well formed. */
export function orderProblems(order: WholesaleOrder): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const line of order.lines) {
    if (seen.has(line.lineKey)) problems.push(`line key ${line.lineKey} appears more than once`);
    seen.add(line.lineKey);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 0) {
      problems.push(`line ${line.lineKey} has quantity ${line.quantity}`);
    }
    for (const m of [line.unitCost, line.retailPrice]) {
      if (m !== null && m.currency !== order.currency) {
        problems.push(`line ${line.lineKey} is priced in ${m.currency}, the order in ${order.currency}`);
      }
    }
  }
  return problems;
}

/**
 * A hash of what matters to an export: status, ship window, notes, PO number, currency and every line's
 * identity, UPC, quantity and prices. Timestamps and images (signed URLs change on every fetch) are left
 * out, and key and line order do not matter. A changed hash on re-ingest means an amendment.
 */
export function contentHash(order: WholesaleOrder): string {
  const lines = [...order.lines]
    .map((l) => ({
      lineKey: l.lineKey,
      productSourceId: l.productSourceId,
      styleNumber: l.styleNumber,
      season: l.season,
      color: l.color,
      colorCode: l.colorCode,
      size: l.size,
      name: l.name,
      brandExternalId: l.brandExternalId,
      rawUpc: l.rawUpc,
      quantity: l.quantity,
      // Only a pack changes the hash, so orders stored before packs were read keep theirs (no false amendment).
      ...(l.unitsPerPack !== undefined && l.unitsPerPack !== 1 ? { unitsPerPack: l.unitsPerPack } : {}),
      unitCost: l.unitCost,
      retailPrice: l.retailPrice,
      shipWindow: l.shipWindow,
      category: l.category,
    }))
    .sort((a, b) => compareText(a.lineKey, b.lineKey) || compareText(JSON.stringify(a), JSON.stringify(b)));
  return hashCanonical({
    v: 1,
    status: order.status,
    currency: order.currency,
    customerPoNumber: order.customerPoNumber,
    shipWindow: order.shipWindow,
    notes: order.notes,
    brand: order.brand,
    lines,
  });
}

/** Code-unit order, the same on every machine (localeCompare is not). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
