/**
 * Every X-Series 2.0 reply the connectors read, as a contract case: the spec operation whose reply it is, the
 * connector's schema for it (the very one the connector parses it with), the mapper that turns it into core types,
 * and what the connector truly needs beyond what the spec marks required (`needed`, the minimal fixture keeps only
 * those). Used by test/contracts/lightspeed-x.test.ts.
 */
import type { z } from 'zod';
import {
  retailerCurrency,
  toCatalogEntry,
  toLocation,
  toPurchaseOrder,
  toPurchaseOrderLine,
} from '../../../src/connectors/lightspeed-x/map.ts';
import {
  brandPageSchema,
  bulkReplySchema,
  consignmentLinePageSchema,
  consignmentListSchema,
  consignmentReplySchema,
  createdBrandSchema,
  createdIdsSchema,
  createdSupplierSchema,
  outletPageSchema,
  productPageSchema,
  productReplySchema,
  retailerSchema,
  searchProductsSchema,
  supplierPageSchema,
  variantAttributeListSchema,
  variantAttributeReplySchema,
} from '../../../src/connectors/lightspeed-x/schemas.ts';
import {
  listSchema,
  namedSchema,
  registerSchema,
  saleSchema,
  taxSchema,
  toTax,
  userSchema,
} from '../../../src/connectors/lightspeed-x/sales-schemas.ts';
import { z as zod } from 'zod';

export interface XCase {
  /** What reads it, in words. */
  reader: string;
  path: string;
  method: 'get' | 'post' | 'put';
  status: string;
  schema: z.ZodType;
  /** Into core types (or the values the connector takes from it); must not throw. */
  map?: (parsed: any) => unknown;
  needed: string[];
  hints?: Record<string, string>;
  /** Bodies from vendor docs other than the spec, where the spec leaves the reply untyped. */
  documented?: unknown[];
}

const product = ['id', 'name', 'version'];
const consignment = ['id', 'status', 'version'];
const entries = (parsed: { data: unknown[] }) => parsed.data.map((p) => toCatalogEntry(p as never));

export const xCases: XCase[] = [
  {
    reader: 'the catalog change feed (PointOfSale.catalogChanges)',
    path: '/products',
    method: 'get',
    status: '200',
    schema: productPageSchema,
    map: entries,
    needed: product.map((k) => `data.${k}`),
  },
  {
    reader: 'one product (getCatalogEntries, updateMatchedItems)',
    path: '/products/{product_id}',
    method: 'get',
    status: '200',
    schema: productReplySchema,
    map: (p) => toCatalogEntry(p),
    needed: product.map((k) => `data.${k}`),
  },
  {
    reader: 'search by SKU / UPC (matching, findProductsByCorrelation)',
    path: '/search',
    method: 'get',
    status: '200',
    schema: searchProductsSchema,
    map: entries,
    needed: product.map((k) => `data.${k}`),
  },
  {
    reader: 'outlets (listLocations; the sales sync picks one by name)',
    path: '/outlets',
    method: 'get',
    status: '200',
    schema: outletPageSchema,
    map: (p) => p.data.map(toLocation),
    needed: ['data.id', 'data.name'],
  },
  {
    reader: "the store's currency (storeCurrency)",
    path: '/retailer',
    method: 'get',
    status: '200',
    schema: retailerSchema,
    map: retailerCurrency,
    needed: ['data.id'],
  },
  {
    reader: 'suppliers (findSupplier)',
    path: '/suppliers',
    method: 'get',
    status: '200',
    schema: supplierPageSchema,
    needed: ['data.id', 'data.name'],
  },
  {
    reader: 'brands (new products)',
    path: '/brands',
    method: 'get',
    status: '200',
    schema: brandPageSchema,
    needed: ['data.id', 'data.name'],
  },
  {
    reader: 'variant attributes (Color, Size)',
    path: '/variant_attributes',
    method: 'get',
    status: '200',
    schema: variantAttributeListSchema,
    needed: ['data.id', 'data.name'],
  },
  {
    reader: 'purchase orders (findPurchaseOrderByCorrelation); a bare array per the spec',
    path: '/consignments',
    method: 'get',
    status: '200',
    schema: consignmentListSchema,
    map: (p) => p.data.map((c: never) => toPurchaseOrder(c, 'https://pos.example/po')),
    needed: consignment,
  },
  {
    reader: 'one purchase order (before adding lines, on resume)',
    path: '/consignments/{consignment_id}',
    method: 'get',
    status: '200',
    schema: consignmentReplySchema,
    map: (c) => toPurchaseOrder(c, 'https://pos.example/po'),
    needed: consignment.map((k) => `data.${k}`),
  },
  {
    reader: 'a created purchase order (createPurchaseOrder)',
    path: '/consignments',
    method: 'post',
    status: '201',
    schema: consignmentReplySchema,
    map: (c) => toPurchaseOrder(c, 'https://pos.example/po'),
    needed: consignment.map((k) => `data.${k}`),
  },
  {
    reader: 'a sent purchase order (submitPurchaseOrder with SENT)',
    path: '/consignments/{consignment_id}',
    method: 'put',
    status: '200',
    schema: consignmentReplySchema,
    map: (c) => toPurchaseOrder(c, 'https://pos.example/po'),
    needed: consignment.map((k) => `data.${k}`),
  },
  {
    reader: "a purchase order's lines (listPurchaseOrderLines, and before adding lines)",
    path: '/consignments/{consignment_id}/products',
    method: 'get',
    status: '200',
    schema: consignmentLinePageSchema,
    map: (p) => p.data.map((l: never) => toPurchaseOrderLine(l, 'USD')),
    needed: ['data.product_id'],
    hints: { 'data.count': 'string:decimal', 'data.received': 'string:decimal', 'data.cost': 'string:decimal' },
  },
  {
    reader: 'bulk lines (addPurchaseOrderLines)',
    path: '/consignments/{consignment_id}/bulk',
    method: 'post',
    status: '200',
    schema: bulkReplySchema,
    needed: ['data'],
    hints: { 'data.product_id.count': 'string:decimal', 'data.product_id.received': 'string:decimal' },
  },
  {
    reader: 'a created product family (createProduct)',
    path: '/products',
    method: 'post',
    status: '200',
    schema: createdIdsSchema,
    needed: ['data'],
  },
  {
    reader: 'a created supplier (createSupplier)',
    path: '/suppliers',
    method: 'post',
    status: '200',
    schema: createdSupplierSchema,
    needed: ['data'],
  },
  {
    reader: 'a created brand',
    path: '/brands',
    method: 'post',
    status: '200',
    schema: createdBrandSchema,
    needed: ['data'],
  },
  {
    reader: 'a created variant attribute',
    path: '/variant_attributes',
    method: 'post',
    status: '201',
    schema: variantAttributeReplySchema,
    needed: ['data'],
    // The spec types `data` as an untyped object; the official tutorial's reply (reference §2.2).
    documented: [{ data: { id: '069db350-8d41-11eb-f6a9-869155c00090', name: 'Color' } }],
  },
  {
    reader: 'sales sync: POS sales by version cursor',
    path: '/sales',
    method: 'get',
    status: '200',
    schema: listSchema(saleSchema),
    needed: [
      'data.id',
      'data.status',
      'data.version',
      'data.line_items.id',
      'data.line_items.product_id',
      'data.line_items.quantity',
      'data.payments.amount',
    ],
  },
  {
    reader: 'sales sync: a sale read back after its create (its legacy status)',
    path: '/sales/{sale_id}',
    method: 'get',
    status: '200',
    schema: zod.object({ data: saleSchema }),
    needed: [
      'data.id',
      'data.status',
      'data.version',
      'data.line_items.id',
      'data.line_items.product_id',
      'data.line_items.quantity',
      'data.payments.amount',
    ],
  },
  {
    reader: 'sales sync: registers (the register a sale is rung up on)',
    path: '/registers',
    method: 'get',
    status: '200',
    schema: listSchema(registerSchema),
    needed: ['data.id', 'data.outlet_id'],
  },
  {
    reader: "sales sync: users (the sale's author)",
    path: '/users',
    method: 'get',
    status: '200',
    schema: listSchema(userSchema),
    needed: ['data.id'],
  },
  {
    reader: 'sales sync: taxes ("No Tax" for NetSuite amounts)',
    path: '/taxes',
    method: 'get',
    status: '200',
    schema: listSchema(taxSchema),
    map: (p) => p.data.map(toTax),
    needed: ['data.id'],
  },
  {
    reader: 'sales sync: payment types',
    path: '/payment_types',
    method: 'get',
    status: '200',
    schema: listSchema(namedSchema),
    needed: ['data.id'],
  },
];
