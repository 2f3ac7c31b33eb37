/**
 * Builders for core tests (and for other layers' tests that need a well-formed order or catalog entry).
 * Pure data, no I/O.
 */
import { gtinCheckDigit, parseGtin } from './gtin.ts';
import { money } from './money.ts';
import { canonicalGtins } from './pos-catalog.ts';
import type { PosCatalogEntry } from './pos-catalog.ts';
import { makeLineKey } from './wholesale-order.ts';
import type { BrandRef, OrderLine, WholesaleOrder } from './wholesale-order.ts';

export const testBrand: BrandRef = { sourceId: 'brand-1', name: 'Spree Linens' };

/** A valid UPC-A built from an 11-digit body (the check digit is appended). */
export function upcA(body11: string): string {
  return body11 + String(gtinCheckDigit(body11));
}

export function testLine(overrides: Partial<OrderLine> & { upc?: string | null } = {}): OrderLine {
  const { upc, ...rest } = overrides;
  const productSourceId = rest.productSourceId ?? 'p-4156301';
  const size = rest.size ?? 'M';
  const rawUpc = upc === undefined ? (rest.rawUpc ?? null) : upc;
  return {
    lineKey: makeLineKey(productSourceId, size),
    productSourceId,
    brand: testBrand,
    styleNumber: '4156301-4',
    season: 'F22',
    color: 'TURQUOISE, RED',
    colorCode: null,
    size,
    name: 'Table linen set',
    brandExternalId: null,
    rawUpc,
    gtin: parseGtin(rawUpc),
    quantity: 3,
    unitCost: money(2800, 'USD'),
    retailPrice: money(4500, 'USD'),
    shipWindow: null,
    images: [],
    category: 'TABLE LINENS',
    ...rest,
    ...(upc === undefined ? {} : { rawUpc, gtin: parseGtin(rawUpc) }),
  };
}

export function testOrder(overrides: Partial<WholesaleOrder> = {}): WholesaleOrder {
  return {
    sourceId: '65089de8ce0aac042cc47b32',
    orderNumber: '131803493',
    status: 'approved',
    brand: testBrand,
    retailer: {
      sourceId: 'r-1',
      name: 'Sweet Gourmet',
      code: 'SWEET GOURMET',
      buyerName: 'Pam Gabriel',
      buyerEmail: null,
    },
    customerPoNumber: null,
    currency: 'USD',
    shipWindow: { start: '2023-09-18T00:00:00.000Z', end: '2023-12-20T00:00:00.000Z' },
    notes: '',
    createdAt: '2023-09-18T18:58:48.161Z',
    modifiedAt: '2023-09-18T18:58:48.161Z',
    billingAddress: null,
    shippingAddress: null,
    lines: [testLine()],
    ...overrides,
  };
}

export function testEntry(overrides: Partial<PosCatalogEntry> & { codes?: string[] } = {}): PosCatalogEntry {
  const { codes, ...rest } = overrides;
  return {
    posItemId: 'item-1',
    parentId: null,
    gtins: codes === undefined ? [] : canonicalGtins(codes),
    sku: null,
    name: 'Item',
    archived: false,
    version: '1',
    ...rest,
  };
}
