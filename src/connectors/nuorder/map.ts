import { readGtin, type GtinResult } from '../../core/gtin.ts';
import { parseMoney, type Money } from '../../core/money.ts';
import {
  makeLineKey,
  type BrandRef,
  type LineGap,
  type OrderLine,
  type PostalAddress,
  type RetailerRef,
  type ShipWindow,
  type WholesaleOrder,
  type WholesaleShipment,
} from '../../core/wholesale-order.ts';
import { RemoteContractBroken } from '../shared/errors.ts';
import { NUORDER_VENDOR } from './client.ts';
import type { NuorderAddress, NuorderLineItem, NuorderOrder, NuorderProduct, NuorderShipment } from './schemas.ts';

/**
 * NuORDER JSON → core WholesaleOrder. The one place vendor and core types meet.
 *
 * - `order_number` stays a string ("100596-1").
 * - Ship windows: `start_ship`/`end_ship` on the order, `ship_start`/`ship_end` on each line.
 * - Unit cost: `sizes[].price_precise` ("28.00") when present, else `sizes[].price` (a number), via core
 *   parseMoney in the order currency (sub-cent wholesale prices are rounded half up).
 * - Retail (MSRP): the product's `pricing.<CUR>.retail` (size-level first), since the line carries only the
 *   formatted `retail_string` ("$45.00"); that string is the fallback when the product cannot be read. 0 → none.
 * - UPC: exactly what the line sent (`rawUpc`, may be absent), with core readGtin's verdict (UPC-E read as its UPC-A).
 * - Packs: `sizes[].units_per_pack` above 1 → `unitsPerPack` (the quantity counts packs). 0, 1 or absent is a
 *   unit line. Whether `price` is then the pack's or the unit's is not documented [I]: the plan reads it as the
 *   merchant's case-pack setting says (pack by default).
 * - The brand: NuORDER order JSON does not name the brand; each API connection belongs to one brand portal,
 *   so the brand comes from the connection.
 */

export interface MapContext {
  brand: BrandRef;
  /** Products by `_id` (fetched once per distinct id); null or absent when the product could not be read. */
  products: ReadonlyMap<string, NuorderProduct | null>;
}

const blank = (v: string | null | undefined): string | null => {
  if (v === null || v === undefined) return null;
  const t = v.trim();
  return t === '' ? null : t;
};

function broken(fieldPath: string, problem: string): RemoteContractBroken {
  return new RemoteContractBroken({ vendor: NUORDER_VENDOR, fieldPath, problem });
}

function readMoney(value: number | string, currency: string, fieldPath: string): Money {
  const result = parseMoney(value, currency, { rounding: 'half_up' });
  if (!result.ok) throw broken(fieldPath, result.error.message);
  return result.value;
}

/** A retail price, or null when absent, zero or unreadable (MSRP is optional; a bad one is not worth failing for). */
export function optionalMoney(value: number | string | null | undefined, currency: string): Money | null {
  if (value === null || value === undefined || value === '') return null;
  const result = parseMoney(value, currency, { rounding: 'half_up' });
  return result.ok && result.value.minor > 0 ? result.value : null;
}

/** What the product says about its retail price in this currency, in words, when it gives none we can use. */
function whyNoRetail(product: NuorderProduct | null | undefined, currency: string): string {
  if (!product) return 'NuORDER has no retail price (MSRP) for it: the product could not be read';
  const value = product.pricing?.[currency]?.retail;
  const at = `pricing.${currency}.retail`;
  if (value === undefined || value === null)
    return `NuORDER has no retail price (MSRP) for it: the product has no ${at}`;
  if (value === '') return `NuORDER has no retail price (MSRP) for it: the product's ${at} is empty`;
  return `NuORDER's retail price (MSRP) for it cannot be used: the product's ${at} is ${JSON.stringify(value)}`;
}

/**
 * The line's retail price: the product's `pricing.<CUR>.retail` (size level first), else the line's formatted
 * `retail_string`. None of them usable → no price, and a gap on the line saying why (a real product had
 * `retail: ""`, divergences.md F4); the order is still read.
 */
function retailPrice(
  line: NuorderLineItem,
  size: string,
  product: NuorderProduct | null | undefined,
  currency: string,
): { money: Money | null; gap: LineGap | null } {
  if (product) {
    const sizeLevel = product.sizes?.find((s) => s.size === size)?.pricing?.[currency]?.retail;
    const productLevel = product.pricing?.[currency]?.retail;
    const fromProduct = optionalMoney(sizeLevel, currency) ?? optionalMoney(productLevel, currency);
    if (fromProduct) return { money: fromProduct, gap: null };
  }
  const fromLine = optionalMoney(blank(line.retail_string), currency);
  if (fromLine) return { money: fromLine, gap: null };
  return { money: null, gap: { field: 'retailPrice', reason: whyNoRetail(product, currency) } };
}

export function images(product: NuorderProduct | null | undefined): string[] {
  const out: string[] = [];
  for (const image of product?.images ?? []) {
    if (typeof image === 'string' && image.trim() !== '') out.push(image);
    else if (image && typeof image === 'object') {
      const o = image as Record<string, unknown>;
      const url = o.url ?? o.src ?? o.large ?? o.original;
      if (typeof url === 'string' && url !== '') out.push(url);
    }
  }
  return out;
}

/** The GS1 reading of a line's code, kept in the order as its verdict (only the fields core's GtinResult has). */
function gtinOf(raw: string | null): GtinResult {
  const read = readGtin(raw);
  return read.ok ? { ok: true, gtin14: read.gtin14 } : { ok: false, problem: read.problem, raw };
}

function shipWindow(start: string | null | undefined, end: string | null | undefined): ShipWindow {
  return { start: blank(start), end: blank(end) };
}

function address(a: NuorderAddress | null | undefined): PostalAddress | null {
  if (!a) return null;
  const mapped: PostalAddress = {
    name: blank(a.display_name),
    line1: blank(a.line_1),
    line2: blank(a.line_2),
    city: blank(a.city),
    region: blank(a.state),
    postalCode: blank(a.zip),
    country: blank(a.country),
  };
  return Object.values(mapped).every((v) => v === null) ? null : mapped;
}

/**
 * Line keys are product id + size and unique within an order (the port's contract). NuORDER can list the same
 * product twice (two ship windows or warehouses): those are merged into one line with the quantities summed,
 * the ship window widened to cover both, and the first occurrence's prices kept.
 */
function mergeInto(existing: OrderLine, next: OrderLine): OrderLine {
  const a = existing.shipWindow;
  const b = next.shipWindow;
  const earliest = (x: string | null | undefined, y: string | null | undefined): string | null =>
    x && y ? (x < y ? x : y) : (x ?? y ?? null);
  const latest = (x: string | null | undefined, y: string | null | undefined): string | null =>
    x && y ? (x > y ? x : y) : (x ?? y ?? null);
  return {
    ...existing,
    quantity: existing.quantity + next.quantity,
    rawUpc: existing.rawUpc ?? next.rawUpc,
    gtin: existing.rawUpc !== null ? existing.gtin : next.gtin,
    shipWindow: a === null && b === null ? null : { start: earliest(a?.start, b?.start), end: latest(a?.end, b?.end) },
  };
}

export function mapOrder(order: NuorderOrder, ctx: MapContext): WholesaleOrder {
  const currency = order.currency_code.toUpperCase();
  const byKey = new Map<string, OrderLine>();

  order.line_items.forEach((item, i) => {
    const p = item.product;
    const product = ctx.products.get(p._id);
    const lineWindow =
      blank(item.ship_start) || blank(item.ship_end) ? shipWindow(item.ship_start, item.ship_end) : null;
    item.sizes.forEach((size, j) => {
      const at = `line_items[${i}].sizes[${j}]`;
      const precise = blank(size.price_precise);
      const unitCost = precise
        ? readMoney(precise, currency, `${at}.price_precise`)
        : readMoney(size.price, currency, `${at}.price`);
      const rawUpc = size.upc === undefined || size.upc === null ? null : size.upc;
      const retail = retailPrice(item, size.size, product, currency);
      const line: OrderLine = {
        lineKey: makeLineKey(p._id, size.size),
        productSourceId: p._id,
        brand: ctx.brand,
        styleNumber: p.style_number,
        season: blank(p.season) ?? blank(product?.season),
        color: p.color,
        colorCode: blank(p.color_code),
        size: size.size,
        name: blank(product?.name) ?? p.style_number,
        brandExternalId: blank(p.brand_id) ?? blank(product?.brand_id),
        rawUpc,
        gtin: gtinOf(rawUpc),
        quantity: size.quantity,
        ...(typeof size.units_per_pack === 'number' && size.units_per_pack > 1
          ? { unitsPerPack: size.units_per_pack }
          : {}),
        unitCost,
        retailPrice: retail.money,
        shipWindow: lineWindow,
        images: images(product),
        category: blank(product?.category) ?? blank(p.department) ?? blank(product?.department),
        ...(retail.gap ? { gaps: [retail.gap] } : {}),
      };
      const existing = byKey.get(line.lineKey);
      byKey.set(line.lineKey, existing ? mergeInto(existing, line) : line);
    });
  });
  const lines = [...byKey.values()];

  const r = order.retailer;
  const retailer: RetailerRef = {
    sourceId: blank(r?._id),
    name: blank(r?.retailer_name) ?? blank(r?.retailer_code) ?? 'Unknown retailer',
    code: blank(r?.retailer_code),
    buyerName: blank(r?.buyer_name),
    buyerEmail: blank(r?.buyer_email),
  };

  return {
    sourceId: order._id,
    orderNumber: order.order_number,
    status: order.status,
    brand: ctx.brand,
    retailer,
    customerPoNumber: blank(order.customer_po_number),
    currency,
    shipWindow: shipWindow(order.start_ship, order.end_ship),
    notes: order.notes ?? '',
    createdAt: order.created_on,
    modifiedAt: blank(order.modified_on) ?? blank(order.edited_on) ?? order.created_on,
    billingAddress: address(order.billing_address),
    shippingAddress: address(order.shipping_address),
    lines,
  };
}

/** Distinct product ids of an order, in first-seen order. */
export function productIdsOf(order: NuorderOrder): string[] {
  return [...new Set(order.line_items.map((l) => l.product._id))];
}

export function mapShipment(orderSourceId: string, shipment: NuorderShipment): WholesaleShipment {
  const quantities = new Map<string, number>();
  for (const item of shipment.line_items ?? []) {
    for (const size of item.sizes) {
      const key = makeLineKey(item.product._id, size.size);
      quantities.set(key, (quantities.get(key) ?? 0) + size.quantity);
    }
  }
  return {
    sourceId: blank(shipment._id),
    orderSourceId,
    carrier: blank(shipment.carrier),
    trackingNumbers: (shipment.tracking_numbers ?? []).filter((t) => t.trim() !== ''),
    shippedAt: blank(shipment.shipped_on),
    lines: [...quantities].map(([lineKey, quantity]) => ({ lineKey, quantity })),
  };
}
