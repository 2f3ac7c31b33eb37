import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { Core } from './core.ts';
import type { ItemMatrixRec, ItemRec, ItemShopRec, OrderLineRec, OrderRec, ResourceName } from './model.ts';
import { priceLevels } from './model.ts';
import { accessDenied, authenticate } from './oauth.ts';
import {
  ApiError,
  compareKeys,
  decodeCursor,
  encodeCursor,
  httpMessages,
  matches,
  parseCondition,
  parseLoadRelations,
  parseOr,
  parseSort,
  reservedParams,
  type Condition,
} from './query.ts';
import * as rec from './records.ts';

/**
 * The resource server: `/API/V3/Account/{accountID}/{Resource}.json` (reference §2–§7). Every scalar is
 * serialised as a string, a collection holding one element is an object, errors use
 * `{httpCode, httpMessage, message, errorClass}` (and the OAuth shape for token problems).
 */

type AnyRec = Record<string, unknown>;
type Out = Record<string, unknown>;

export function apiErrorResponse(c: Context, status: number, message: string, errorClass = 'Exception'): Response {
  return c.json(
    { httpCode: String(status), httpMessage: httpMessages[status] ?? 'Error', message, errorClass },
    status as 400,
  );
}

/** One element → the element; none → `""` (empty nested relations come back as "" — §5). */
export function many(list: unknown[]): unknown {
  if (list.length === 0) return '';
  return list.length === 1 ? list[0] : list;
}

export function str(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null || value === undefined) return '';
  return String(value);
}

/** The scalar fields of a record as strings, in order; null values (unset dates) are left out. */
function scalars(record: object, skip: readonly string[] = []): Out {
  const out: Out = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === null || value === undefined || typeof value === 'object' || skip.includes(key)) continue;
    out[key] = str(value);
  }
  return out;
}

interface ResourceDef {
  name: ResourceName;
  idField: string;
  sortable: string[];
  /** Relation name → 'one' | 'many' (for load_relations validation and cost). */
  relations: Record<string, 'one' | 'many'>;
  archivable: boolean;
  scopes: { read: string[]; write: string[] };
  serialize(core: Core, record: AnyRec, rels: Set<string>): Out;
  create?(core: Core, body: rec.Body): AnyRec;
  update?(core: Core, record: AnyRec, body: rec.Body): AnyRec;
  /** DELETE: archive (returns the record) or permanent delete (returns the record as it was). */
  remove?(core: Core, record: AnyRec): AnyRec;
  /** Relation filters (`ItemShops.qoh=>,1`): the related rows of a record. */
  related?(core: Core, record: AnyRec, relation: string): AnyRec[];
  /** A narrower candidate set from an indexed equality/IN condition. */
  candidates?(core: Core, conditions: Condition[]): number[] | undefined;
}

const inventoryRead = [
  'employee:inventory',
  'employee:inventory_read',
  'employee:inventory_base',
  'employee:product_edit',
  'employee:product_cost',
];
const inventoryWrite = ['employee:inventory', 'employee:product_edit'];

function serializeItemShop(core: Core, row: ItemShopRec, rels: Set<string> = new Set()): Out {
  const store = core.store;
  let qoh = row.qoh;
  if (row.shopID === 0) qoh = store.itemShops(row.itemID).reduce((sum, r) => (r.shopID === 0 ? sum : sum + r.qoh), 0);
  const out = scalars({ ...row, qoh, sellable: qoh, backorder: store.backorder(row.itemID, row.shopID) });
  if (row.shopID === 0) out.averageCost = str(store.tables.Item.get(row.itemID)?.defaultCost ?? 0);
  if (rels.has('Item')) {
    const item = store.tables.Item.get(row.itemID);
    if (item) out.Item = serializeItem(core, item, new Set());
  }
  return out;
}

function pricesOut(prices: Array<{ amount: number; useTypeID: number; useType: string }>): Out {
  return {
    ItemPrice: many(prices.map((p) => ({ amount: str(p.amount), useTypeID: str(p.useTypeID), useType: p.useType }))),
  };
}

function serializeCategory(core: Core, id: number, withParent: boolean): Out | undefined {
  const c = core.store.tables.Category.get(id);
  if (!c) return undefined;
  const out = scalars(c);
  if (withParent && c.parentID) {
    const parent = serializeCategory(core, c.parentID, false);
    if (parent) out.Parent = parent;
  }
  return out;
}

function serializeManufacturer(core: Core, id: number): Out | undefined {
  const m = core.store.tables.Manufacturer.get(id);
  return m ? scalars(m) : undefined;
}

function serializeAttributeSet(core: Core, id: number): Out | undefined {
  const s = core.store.tables.ItemAttributeSet.get(id);
  return s ? scalars(s) : undefined;
}

export function serializeItem(core: Core, item: ItemRec, rels: Set<string>): Out {
  const out = scalars(item);
  if (rels.has('Category') && item.categoryID) {
    const category = serializeCategory(core, item.categoryID, false);
    if (category) out.Category = category;
  }
  if (rels.has('Manufacturer') && item.manufacturerID) {
    const m = serializeManufacturer(core, item.manufacturerID);
    if (m) out.Manufacturer = m;
  }
  if (rels.has('ItemMatrix') && item.itemMatrixID) {
    const m = core.store.tables.ItemMatrix.get(item.itemMatrixID);
    if (m) out.ItemMatrix = serializeMatrix(core, m, new Set());
  }
  if ((rels.has('ItemAttributes') || rels.has('ItemAttributes.ItemAttributeSet')) && item.ItemAttributes) {
    const a = item.ItemAttributes;
    const attrs: Out = {
      attribute1: a.attribute1,
      attribute2: a.attribute2,
      attribute3: a.attribute3,
      itemAttributeSetID: str(a.itemAttributeSetID),
    };
    if (rels.has('ItemAttributes.ItemAttributeSet')) {
      const set = serializeAttributeSet(core, a.itemAttributeSetID);
      if (set) attrs.ItemAttributeSet = set;
    }
    out.ItemAttributes = attrs;
  }
  if (rels.has('ItemShops')) {
    const rows = core.store.itemShops(item.itemID).map((r) => serializeItemShop(core, r));
    out.ItemShops = rows.length ? { ItemShop: many(rows) } : '';
  }
  if (rels.has('ItemVendorNums')) {
    out.ItemVendorNums = item.ItemVendorNums.length
      ? { ItemVendorNum: many(item.ItemVendorNums.map((n) => ({ ...scalars(n), itemID: str(item.itemID) }))) }
      : '';
  }
  out.Prices = pricesOut(item.Prices);
  return out;
}

function serializeMatrix(core: Core, m: ItemMatrixRec, rels: Set<string>): Out {
  const out = scalars(m);
  out.Prices = pricesOut(m.Prices);
  out.attribute1Values = many(m.attribute1Values);
  out.attribute2Values = many(m.attribute2Values);
  out.attribute3Values = many(m.attribute3Values);
  if (rels.has('Category') && m.categoryID) {
    const category = serializeCategory(core, m.categoryID, false);
    if (category) out.Category = category;
  }
  if (rels.has('Manufacturer') && m.manufacturerID) {
    const man = serializeManufacturer(core, m.manufacturerID);
    if (man) out.Manufacturer = man;
  }
  if (rels.has('ItemAttributeSet')) {
    const set = serializeAttributeSet(core, m.itemAttributeSetID);
    if (set) out.ItemAttributeSet = set;
  }
  if (rels.has('Items')) {
    const items = [...core.store.itemsByMatrix.get(m.itemMatrixID)]
      .sort((a, b) => a - b)
      .map((id) => core.store.tables.Item.get(id))
      .filter((i): i is ItemRec => i !== undefined)
      .map((i) => serializeItem(core, i, new Set(['ItemAttributes'])));
    out.Items = items.length ? { Item: many(items) } : '';
  }
  return out;
}

function orderTotals(core: Core, o: OrderRec): { totalQuantity: number; subTotalCost: number } {
  let totalQuantity = 0;
  let subTotalCost = 0;
  for (const line of core.store.orderLines(o.orderID)) {
    totalQuantity += line.quantity;
    subTotalCost += line.quantity * line.price;
  }
  return { totalQuantity, subTotalCost: rec.round2(subTotalCost) };
}

function serializeOrderLine(core: Core, l: OrderLineRec, rels: Set<string>): Out {
  const out = scalars(l);
  if (rels.has('Item')) {
    const item = core.store.tables.Item.get(l.itemID);
    if (item) out.Item = serializeItem(core, item, new Set());
  }
  return out;
}

export function serializeOrder(core: Core, o: OrderRec, rels: Set<string>): Out {
  const totals = orderTotals(core, o);
  const out = scalars({ ...o, totalQuantity: totals.totalQuantity }, ['note']);
  out.subTotalCost = str(totals.subTotalCost);
  out.totalCost = str(rec.round2(totals.subTotalCost + o.shipCost + o.otherCost));
  if (rels.has('OrderLines')) {
    const lines = core.store.orderLines(o.orderID).map((l) => serializeOrderLine(core, l, new Set()));
    out.OrderLines = lines.length ? { OrderLine: many(lines) } : '';
  }
  if (rels.has('Vendor') && o.vendorID) {
    const v = core.store.tables.Vendor.get(o.vendorID);
    if (v) out.Vendor = scalars(v);
  }
  if (rels.has('Shop')) {
    const s = core.store.tables.Shop.get(o.shopID);
    if (s) out.Shop = scalars(s);
  }
  if (rels.has('Note') && o.note !== null) {
    out.Note = { noteID: str(o.noteID), note: o.note, isPublic: 'false', timeStamp: o.timeStamp };
  }
  return out;
}

function indexedIds(
  conditions: Condition[],
  field: string,
  lookup: (value: string) => Iterable<number>,
): number[] | undefined {
  const condition = conditions.find((c) => c.field === field && (c.op === '=' || c.op === 'IN'));
  if (!condition) return undefined;
  const ids = new Set<number>();
  for (const value of condition.values) for (const id of lookup(value)) ids.add(id);
  return [...ids].sort((a, b) => a - b);
}

const defs: ResourceDef[] = [
  {
    name: 'Item',
    idField: 'itemID',
    sortable: ['itemID', 'timeStamp', 'description'],
    relations: {
      Category: 'one',
      TaxClass: 'one',
      ItemAttributes: 'one',
      'ItemAttributes.ItemAttributeSet': 'one',
      Manufacturer: 'one',
      Note: 'one',
      Images: 'many',
      ItemShops: 'many',
      ItemVendorNums: 'many',
      ItemComponents: 'many',
      ItemECommerce: 'one',
      TagRelations: 'many',
      'TagRelations.Tag': 'many',
      CustomFieldValues: 'many',
      'CustomFieldValues.value': 'many',
      ItemPrices: 'many',
      // [I] Not in the documented list, but the create response embeds it (§2.4).
      ItemMatrix: 'one',
    },
    archivable: true,
    scopes: { read: inventoryRead, write: inventoryWrite },
    serialize: (core, r, rels) => serializeItem(core, r as unknown as ItemRec, rels),
    create: (core, body) => rec.createItem(core, body) as unknown as AnyRec,
    update: (core, r, body) => rec.updateItem(core, r as unknown as ItemRec, body) as unknown as AnyRec,
    remove: (core, r) => rec.archiveItem(core, r as unknown as ItemRec) as unknown as AnyRec,
    related: (core, r, relation) => {
      const item = r as unknown as ItemRec;
      if (relation === 'ItemShops') {
        const rows = core.store.itemShops(item.itemID);
        const total = rows.reduce((sum, r) => (r.shopID === 0 ? sum : sum + r.qoh), 0);
        return rows.map((row) => ({ ...row, qoh: row.shopID === 0 ? total : row.qoh }) as unknown as AnyRec);
      }
      if (relation === 'ItemAttributes' && item.ItemAttributes) return [item.ItemAttributes as unknown as AnyRec];
      if (relation === 'ItemVendorNums') return item.ItemVendorNums as unknown as AnyRec[];
      if (relation === 'Manufacturer')
        return [core.store.tables.Manufacturer.get(item.manufacturerID) as unknown as AnyRec].filter(Boolean);
      if (relation === 'Category')
        return [core.store.tables.Category.get(item.categoryID) as unknown as AnyRec].filter(Boolean);
      return [];
    },
    candidates: (core, conditions) => {
      const s = core.store;
      return (
        indexedIds(conditions, 'itemID', (v) => (s.tables.Item.has(Number(v)) ? [Number(v)] : [])) ??
        indexedIds(conditions, 'upc', (v) => s.itemsByUpc.get(v)) ??
        indexedIds(conditions, 'ean', (v) => s.itemsByEan.get(v)) ??
        indexedIds(conditions, 'customSku', (v) => s.itemsByCustomSku.get(v.toLowerCase())) ??
        indexedIds(conditions, 'itemMatrixID', (v) => s.itemsByMatrix.get(Number(v))) ??
        indexedIds(conditions, 'itemCode', (v) => [
          ...(s.tables.Item.has(Number(v)) && /^\d{1,10}$/.test(v) ? [Number(v)] : []),
          ...s.itemsByUpc.get(v),
          ...s.itemsByEan.get(v),
        ])
      );
    },
  },
  {
    name: 'ItemMatrix',
    idField: 'itemMatrixID',
    sortable: ['itemMatrixID', 'timeStamp', 'description'],
    relations: {
      Category: 'one',
      TaxClass: 'one',
      Department: 'one',
      ItemAttributeSet: 'one',
      Manufacturer: 'one',
      Season: 'one',
      Images: 'many',
      Items: 'many',
      ItemECommerce: 'one',
      TagRelations: 'many',
      'TagRelations.Tag': 'many',
    },
    archivable: true,
    scopes: { read: inventoryRead, write: inventoryWrite },
    serialize: (core, r, rels) => serializeMatrix(core, r as unknown as ItemMatrixRec, rels),
    create: (core, body) => rec.createMatrix(core, body) as unknown as AnyRec,
    update: (core, r, body) => rec.updateMatrix(core, r as unknown as ItemMatrixRec, body) as unknown as AnyRec,
    remove: (core, r) => rec.archiveMatrix(core, r as unknown as ItemMatrixRec) as unknown as AnyRec,
  },
  {
    name: 'ItemAttributeSet',
    idField: 'itemAttributeSetID',
    sortable: ['itemAttributeSetID'],
    relations: {},
    // [I] §2.4 leaves custom sets open; the simulator serves the four system sets read-only.
    archivable: false,
    scopes: { read: inventoryRead, write: inventoryWrite },
    serialize: (_core, r) => scalars(r),
  },
  {
    name: 'ItemShop',
    idField: 'itemShopID',
    sortable: ['itemShopID', 'timeStamp', 'itemID', 'shopID'],
    relations: { Item: 'one' },
    archivable: false,
    scopes: { read: inventoryRead, write: ['employee:inventory'] },
    serialize: (core, r, rels) => serializeItemShop(core, r as unknown as ItemShopRec, rels),
    // §2.5: PUT ItemShop only updates reorderPoint and reorderLevel.
    update: (core, r, body) => {
      const row = r as unknown as ItemShopRec;
      const before = JSON.stringify(row);
      rec.assignScalars(row, body, ['reorderPoint', 'reorderLevel']);
      if (JSON.stringify(row) !== before) row.timeStamp = rec.nowIso(core);
      return r;
    },
    candidates: (core, conditions) =>
      indexedIds(conditions, 'itemID', (v) => core.store.itemShopsByItem.get(Number(v))),
  },
  {
    name: 'Vendor',
    idField: 'vendorID',
    sortable: ['vendorID', 'timeStamp', 'name'],
    relations: { Contact: 'one' },
    archivable: true,
    scopes: {
      read: ['employee:vendors', 'employee:admin_inventory'],
      write: ['employee:vendors', 'employee:admin_inventory'],
    },
    serialize: (_core, r) => scalars(r),
    create: (core, body) => rec.createVendor(core, body) as unknown as AnyRec,
    update: (core, r, body) => rec.updateVendor(core, r as never, body) as unknown as AnyRec,
    remove: (core, r) => {
      if (!r.archived) {
        r.archived = true;
        r.timeStamp = rec.nowIso(core);
      }
      return r;
    },
  },
  {
    name: 'Shop',
    idField: 'shopID',
    sortable: ['shopID'],
    relations: {
      Contact: 'one',
      ReceiptSetup: 'one',
      TaxCategory: 'one',
      ShelfLocations: 'many',
      Registers: 'many',
      CCGateway: 'one',
      PriceLevel: 'one',
    },
    archivable: true,
    // [I] Reading shops is allowed with any employee scope (a PO exporter must pick a location).
    scopes: { read: ['*'], write: ['employee:admin_shops'] },
    serialize: (_core, r) => scalars(r),
    create: (core, body) => rec.createShop(core, body) as unknown as AnyRec,
    update: (core, r, body) => rec.updateShop(core, r as never, body) as unknown as AnyRec,
  },
  {
    name: 'Manufacturer',
    idField: 'manufacturerID',
    sortable: ['manufacturerID', 'timeStamp', 'name'],
    relations: {},
    archivable: false,
    scopes: {
      read: ['employee:manufacturers', 'employee:admin_inventory', ...inventoryRead],
      write: ['employee:manufacturers', 'employee:admin_inventory'],
    },
    serialize: (_core, r) => scalars(r),
    create: (core, body) => rec.createManufacturer(core, body) as unknown as AnyRec,
    update: (core, r, body) => rec.updateManufacturer(core, r as never, body) as unknown as AnyRec,
  },
  {
    name: 'Category',
    idField: 'categoryID',
    sortable: ['categoryID', 'timeStamp', 'leftNode', 'rightNode'],
    relations: { Parent: 'one' },
    archivable: false,
    scopes: {
      read: ['employee:categories', 'employee:admin_inventory', ...inventoryRead],
      write: ['employee:categories', 'employee:admin_inventory'],
    },
    serialize: (core, r, rels) => serializeCategory(core, r.categoryID as number, rels.has('Parent')) ?? {},
    create: (core, body) => rec.createCategory(core, body) as unknown as AnyRec,
    update: (core, r, body) => rec.updateCategory(core, r as never, body) as unknown as AnyRec,
    remove: (core, r) => {
      const id = r.categoryID as number;
      if ([...core.store.tables.Category.values()].some((c) => c.parentID === id)) {
        throw new ApiError(400, 'Category not deleted. A category that has children cannot be deleted.', 'Exception');
      }
      core.store.tables.Category.delete(id);
      return r;
    },
  },
  {
    name: 'Order',
    idField: 'orderID',
    sortable: ['orderID', 'timeStamp'],
    relations: {
      OrderLines: 'many',
      Note: 'one',
      Vendor: 'one',
      Shop: 'one',
      CustomFieldValues: 'many',
      'CustomFieldValues.value': 'many',
    },
    archivable: true,
    scopes: {
      read: ['employee:purchase_orders', 'employee:admin_purchases'],
      write: ['employee:purchase_orders', 'employee:admin_purchases'],
    },
    serialize: (core, r, rels) => serializeOrder(core, r as unknown as OrderRec, rels),
    create: (core, body) => rec.createOrder(core, body) as unknown as AnyRec,
    update: (core, r, body) => rec.updateOrder(core, r as unknown as OrderRec, body) as unknown as AnyRec,
    remove: (core, r) => rec.archiveOrder(core, r as unknown as OrderRec) as unknown as AnyRec,
    related: (core, r, relation) =>
      relation === 'OrderLines' ? (core.store.orderLines(r.orderID as number) as unknown as AnyRec[]) : [],
  },
  {
    name: 'OrderLine',
    idField: 'orderLineID',
    sortable: ['orderLineID', 'timeStamp', 'orderID'],
    // [I] The reference lists no OrderLine relations; Item is accepted.
    relations: { Item: 'one' },
    archivable: false,
    scopes: {
      read: ['employee:purchase_orders', 'employee:admin_purchases'],
      write: ['employee:purchase_orders', 'employee:admin_purchases'],
    },
    serialize: (core, r, rels) => serializeOrderLine(core, r as unknown as OrderLineRec, rels),
    create: (core, body) => rec.createOrderLine(core, body) as unknown as AnyRec,
    update: (core, r, body) => rec.updateOrderLine(core, r as unknown as OrderLineRec, body) as unknown as AnyRec,
    // DELETE OrderLine is a permanent delete (§3.2).
    remove: (core, r) => {
      core.store.removeOrderLine(r.orderLineID as number);
      return r;
    },
    candidates: (core, conditions) =>
      indexedIds(conditions, 'orderID', (v) => core.store.linesByOrder.get(Number(v))) ??
      indexedIds(conditions, 'itemID', (v) => core.store.linesByItem.get(Number(v))),
  },
];

const defsByName = new Map(defs.map((d) => [d.name, d]));

// ---------------------------------------------------------------------------------------------------------
// Cost (§6)

function countNested(value: unknown, depth: number): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + countNested(v, depth), 0);
  if (!value || typeof value !== 'object') return 0;
  const entries = Object.values(value);
  const hasScalars = entries.some((v) => v === null || typeof v !== 'object');
  let n = depth >= 1 && hasScalars ? 1 : 0;
  for (const v of entries) if (v && typeof v === 'object') n += countNested(v, depth + 1);
  return n;
}

export function requestCost(
  core: Core,
  method: string,
  resource: string | undefined,
  single: boolean,
  params: URLSearchParams,
  body: unknown,
): number {
  const cfg = core.config;
  const write = method !== 'GET' && method !== 'HEAD';
  let cost: number;
  if (params.get('count') === '1') cost = 10;
  else if (cfg.costModel === 'legacy') cost = write ? cfg.writeCost : cfg.readCost;
  else {
    cost = 1;
    if (resource === 'Category' && write) cost = 10;
    else if (write && (method === 'POST' || method === 'PUT')) cost += 0.5 * countNested(body, 0);
  }
  const def = resource ? defsByName.get(resource as ResourceName) : undefined;
  if (def) {
    try {
      const rels = parseLoadRelations(params.get('load_relations') ?? undefined, Object.keys(def.relations));
      for (const r of rels) cost += (def.relations[r] === 'many' ? 0.2 : 0.1) * (single ? 1 : 2);
    } catch {
      // an invalid load_relations is refused by the handler; it costs the base only
    }
  }
  const or = params.get('or');
  if (or) {
    const parts = or.split('|').filter(Boolean);
    const fields = new Set(parts.map((p) => p.split('=')[0]));
    const rangeOps = parts.filter((p) => /=(>|<|><|>=|<=),/.test(p)).length;
    if (fields.size > 1)
      cost += rangeOps > 1 ? 10 * fields.size + Math.max(0, parts.length - fields.size) : parts.length;
  }
  return Math.round(cost * 1000) / 1000;
}

// ---------------------------------------------------------------------------------------------------------
// Middleware: auth, account, scope, bucket, headers

const accountPath = /^\/API\/V3\/Account\/([^/]+?)(?:\.json)?(?:\/([A-Za-z]+)(?:\.json|\/([^/]+))?)?\/?$/;

function hasScope(granted: string, needed: string[]): boolean {
  const scopes = granted.split(/\s+/);
  if (scopes.includes('employee:all') || scopes.includes('employee:admin')) return true;
  if (needed.includes('*')) return scopes.some((s) => s.startsWith('employee:'));
  return needed.some((n) => scopes.includes(n));
}

export function bucketHeaders(core: Core, c: Context, accountID: string, clientId: string, cost?: number): void {
  const bucket = core.bucket(accountID, clientId);
  // The server's own clock, the one behind every timeStamp (a simulated clock may run ahead of real time).
  c.header('Date', new Date(core.clock.now()).toUTCString());
  c.header('X-LS-Acct-Id', accountID);
  c.header('X-LS-Oauth-Client-Id', clientId);
  c.header('X-LS-API-Bucket-Level', bucket.headerLevel());
  c.header('X-LS-API-Drip-Rate', String(core.config.dripRate));
  if (cost !== undefined) c.header('X-LS-API-Request-Cost', String(cost));
}

export function rateLimitedResponse(
  core: Core,
  c: Context,
  accountID: string,
  clientId: string,
  retryAfterSeconds: number,
): Response {
  bucketHeaders(core, c, accountID, clientId);
  c.header('X-LS-API-RateLimit-Type', 'api-leaky-bucket');
  c.header('Retry-After', String(retryAfterSeconds));
  // [I] The body of a 429 is not recorded in the reference; the resource server's error shape is used.
  return apiErrorResponse(c, 429, 'Rate limit exceeded. Please slow down your requests.', 'RateLimitExceededException');
}

function apiMiddleware(core: Core): MiddlewareHandler {
  return async (c, next) => {
    const auth = authenticate(core, c.req.header('authorization'));
    if (!auth.ok) return accessDenied(c, auth.hint);
    const token = auth.token;
    const path = c.req.path;
    const match = accountPath.exec(path);
    let resource: string | undefined;
    let single = false;
    if (match) {
      if (match[1] !== token.accountID) {
        return apiErrorResponse(
          c,
          403,
          'Not Authorized: Insufficient rights to perform the request',
          'InsufficientRightsException',
        );
      }
      resource = match[2];
      single = match[3] !== undefined;
      const def = resource ? defsByName.get(resource as ResourceName) : undefined;
      if (def) {
        const write = c.req.method !== 'GET' && c.req.method !== 'HEAD';
        if (!hasScope(token.scope, write ? def.scopes.write : def.scopes.read)) {
          return apiErrorResponse(
            c,
            403,
            'Not Authorized: Insufficient rights to perform the request',
            'InsufficientRightsException',
          );
        }
      }
    }
    const params = new URL(c.req.url).searchParams;
    let body: unknown;
    if (core.config.costModel === 'current' && (c.req.method === 'POST' || c.req.method === 'PUT')) {
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        body = undefined;
      }
    }
    const cost = requestCost(core, c.req.method, resource, single, params, body);
    const bucket = core.bucket(token.accountID, token.clientId);
    const taken = bucket.take(cost);
    if (!taken.ok) return rateLimitedResponse(core, c, token.accountID, token.clientId, taken.retryAfterSeconds);
    await next();
    bucketHeaders(core, c, token.accountID, token.clientId, cost);
  };
}

// ---------------------------------------------------------------------------------------------------------
// Handlers

function wrap(handler: (c: Context) => Response | Promise<Response>): (c: Context) => Promise<Response> {
  return async (c) => {
    try {
      return await handler(c);
    } catch (error) {
      if (error instanceof ApiError) return apiErrorResponse(c, error.status, error.message, error.errorClass);
      console.error('[sim lightspeed-r]', error);
      return apiErrorResponse(c, 500, 'An internal error occurred.', 'Exception');
    }
  };
}

async function readBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'Invalid JSON in the request body.', 'BadRequestException');
  }
}

function parseId(raw: string | undefined, name: string): number {
  const id = (raw ?? '').replace(/\.json$/, '');
  if (!/^\d+$/.test(id)) throw new ApiError(404, `Invalid ${name} ID: ${id}.`, 'NotFoundException');
  return Number(id);
}

function baseUrl(core: Core, c: Context): string {
  return core.publicUrl ?? new URL(c.req.url).origin;
}

function listResponse(core: Core, def: ResourceDef, c: Context): Response {
  const url = new URL(c.req.url);
  const params = url.searchParams;
  const table = core.store.tables[def.name] as unknown as Map<number, AnyRec>;
  const rels = new Set(parseLoadRelations(params.get('load_relations') ?? undefined, Object.keys(def.relations)));

  const countOnly = params.get('count') === '1';
  if (countOnly && ['limit', 'sort', 'after', 'before'].some((p) => params.has(p))) {
    throw new ApiError(400, 'count=1 cannot be combined with limit, sort, after or before.', 'BadRequestException');
  }
  let limit = 100;
  if (params.has('limit')) {
    const raw = params.get('limit') ?? '';
    if (!/^\d+$/.test(raw) || Number(raw) > 100)
      throw new ApiError(400, 'limit must be an integer from 0 to 100.', 'BadRequestException');
    // [I] limit=0 is treated as the default page size.
    limit = Number(raw) === 0 ? 100 : Number(raw);
  }
  const sort = parseSort(params.get('sort') ?? undefined, def.idField, def.sortable);
  const archivedMode = (params.get('archived') ?? 'false').toLowerCase();

  const fieldNames = new Set(Object.keys(table.values().next().value ?? {}));
  const knownField = (field: string): boolean => {
    if (def.name === 'Item' && field === 'itemCode') return true;
    if (field.includes('.')) {
      const relation = field.slice(0, field.indexOf('.'));
      if (!(relation in def.relations)) return false;
      if (!rels.has(relation))
        throw new ApiError(
          400,
          `Filtering on ${field} needs load_relations to include ${relation}.`,
          'BadRequestException',
        );
      return true;
    }
    return fieldNames.size === 0 || fieldNames.has(field);
  };
  const conditions: Condition[] = [];
  for (const [key, value] of params) {
    if (reservedParams.has(key)) continue;
    if (!knownField(key)) throw new ApiError(400, `Invalid query parameter: ${key}.`, 'BadRequestException');
    const condition = parseCondition(key, value);
    if (def.name === 'Item' && key === 'itemCode' && !['=', 'IN'].includes(condition.op)) {
      throw new ApiError(400, 'itemCode only supports the =, IN and or operators.', 'BadRequestException');
    }
    conditions.push(condition);
  }
  const orConditions = params.has('or') ? parseOr(params.get('or') ?? '') : [];
  for (const condition of orConditions)
    if (!knownField(condition.field))
      throw new ApiError(400, `Invalid query parameter: ${condition.field}.`, 'BadRequestException');

  const valueOf = (record: AnyRec, field: string): unknown[] => {
    if (def.name === 'Item' && field === 'itemCode') return [record.itemID, record.upc, record.ean];
    const dot = field.indexOf('.');
    if (dot > 0 && def.related) {
      return def.related(core, record, field.slice(0, dot)).map((r) => r[field.slice(dot + 1)]);
    }
    return [record[field]];
  };
  const test = (record: AnyRec, condition: Condition): boolean => {
    if (condition.field === 'itemCode' && def.name === 'Item') {
      const [id, upc, ean] = [record.itemID, record.upc, record.ean];
      return condition.values.some((v) => String(id) === v || (upc !== '' && upc === v) || (ean !== '' && ean === v));
    }
    return valueOf(record, condition.field).some((v) => matches(condition, v));
  };
  const accept = (record: AnyRec): boolean => {
    if (def.archivable) {
      const archived = record.archived === true;
      if (archivedMode === 'only' ? !archived : archivedMode !== 'true' && archivedMode !== '1' && archived)
        return false;
    }
    for (const condition of conditions) if (!test(record, condition)) return false;
    if (orConditions.length && !orConditions.some((condition) => test(record, condition))) return false;
    return true;
  };

  const candidateIds = def.candidates?.(core, conditions);
  const source: Iterable<AnyRec> = candidateIds
    ? (function* () {
        for (const id of candidateIds) {
          const r = table.get(id);
          if (r) yield r;
        }
      })()
    : table.values();

  if (countOnly) {
    let n = 0;
    for (const r of source) if (accept(r)) n++;
    return c.json({ '@attributes': { count: String(n) } });
  }

  const keyOf = (r: AnyRec): Array<string | number> =>
    sort.field === def.idField
      ? [r[def.idField] as number]
      : [r[sort.field] as string | number, r[def.idField] as number];
  const direction = sort.descending ? -1 : 1;
  const cmp = (a: Array<string | number>, b: Array<string | number>): number =>
    direction * compareKeys(sort.field, a, b);
  const after = params.get('after');
  const before = params.get('before');
  const afterKey = after ? decodeCursor(after) : undefined;
  const beforeKey = before ? decodeCursor(before) : undefined;

  let page: AnyRec[] = [];
  let hasNext = false;
  let hasPrevious = false;
  // Insertion order is id order, so an ascending id sort can stream without sorting (fast paging over 200k items).
  const streaming = sort.field === def.idField && !sort.descending && !beforeKey;
  if (streaming) {
    for (const r of source) {
      if (afterKey && cmp(keyOf(r), afterKey) <= 0) continue;
      if (!accept(r)) continue;
      if (page.length === limit) {
        hasNext = true;
        break;
      }
      page.push(r);
    }
    hasPrevious = Boolean(afterKey) && page.length > 0;
  } else {
    const all: AnyRec[] = [];
    for (const r of source) if (accept(r)) all.push(r);
    all.sort((a, b) => cmp(keyOf(a), keyOf(b)));
    if (beforeKey) {
      const earlier = all.filter((r) => cmp(keyOf(r), beforeKey) < 0);
      page = earlier.slice(Math.max(0, earlier.length - limit));
      hasPrevious = earlier.length > limit;
      hasNext = page.length > 0;
    } else {
      const later = afterKey ? all.filter((r) => cmp(keyOf(r), afterKey) > 0) : all;
      page = later.slice(0, limit);
      hasNext = later.length > limit;
      hasPrevious = Boolean(afterKey) && page.length > 0;
    }
  }

  const pageUrl = (cursorName: 'after' | 'before', key: Array<string | number>): string => {
    const next = new URLSearchParams();
    for (const [k, v] of params) if (!['after', 'before', 'sort', 'limit'].includes(k)) next.append(k, v);
    next.set('sort', params.get('sort') ?? def.idField);
    next.set('limit', String(limit));
    next.set(cursorName, encodeCursor(key));
    return `${baseUrl(core, c)}${url.pathname}?${next.toString()}`;
  };
  const first = page[0];
  const last = page[page.length - 1];
  const body: Out = {
    '@attributes': {
      next: hasNext && last ? pageUrl('after', keyOf(last)) : '',
      previous: hasPrevious && first ? pageUrl('before', keyOf(first)) : '',
    },
  };
  // §5: the resource key is absent on an empty result [I for the exact body]; one record is an object.
  if (page.length > 0) body[def.name] = many(page.map((r) => def.serialize(core, r, rels)));
  return c.json(body);
}

function singleBody(core: Core, def: ResourceDef, record: AnyRec, rels: Set<string>): Out {
  return { '@attributes': { count: '1' }, [def.name]: def.serialize(core, record, rels) };
}

function notFound(def: ResourceDef, id: number): ApiError {
  // [I] The exact 404 message is not in the reference.
  return new ApiError(404, `${def.name} with ID ${id} could not be found.`, 'NotFoundException');
}

function methodNotAllowed(c: Context): Response {
  return apiErrorResponse(
    c,
    405,
    `Method ${c.req.method} is not allowed on this resource.`,
    'MethodNotAllowedException',
  );
}

export function mountApi(app: Hono, core: Core): void {
  app.use('/API/*', apiMiddleware(core));
  const base = '/API/V3/Account/:accountID';

  const accountBody = (c: Context): Response =>
    c.json({
      '@attributes': { count: '1' },
      Account: {
        accountID: core.store.account.accountID,
        name: core.store.account.name,
        link: { '@attributes': { href: `/API/V3/Account/${core.store.account.accountID}` } },
      },
    });
  app.get('/API/V3/Account.json', accountBody);
  app.get('/API/V3/Account/:accountFile{[^/]+\\.json}', accountBody);
  app.get('/API/Session.json', (c) =>
    c.json({
      sessionID: 'sim-session',
      sessionCookie: '',
      employeeID: '1',
      systemCustomerID: core.store.account.accountID,
      systemUserID: '1',
      shopCount: String(core.store.tables.Shop.size),
      Employee: { employeeID: '1', firstName: 'Dana', lastName: 'Whitfield' },
    }),
  );
  app.get(`${base}/PriceLevel.json`, (c) =>
    c.json({ '@attributes': { next: '', previous: '' }, PriceLevel: many(priceLevels.map((p) => scalars(p))) }),
  );

  for (const def of defs) {
    const table = (): Map<number, AnyRec> => core.store.tables[def.name] as unknown as Map<number, AnyRec>;
    const rels = (c: Context): Set<string> =>
      new Set(parseLoadRelations(c.req.query('load_relations'), Object.keys(def.relations)));

    app.get(
      `${base}/${def.name}.json`,
      wrap((c) => listResponse(core, def, c)),
    );
    app.post(
      `${base}/${def.name}.json`,
      wrap(async (c) => {
        if (!def.create) return methodNotAllowed(c);
        const body = rec.unwrap(await readBody(c), def.name);
        const created = def.create(core, body);
        const extra = def.name === 'Item' ? ['ItemShops', 'ItemAttributes', 'ItemMatrix'] : [];
        return c.json(singleBody(core, def, created, new Set([...rels(c), ...extra])));
      }),
    );
    app.on(['PUT', 'DELETE', 'PATCH'], `${base}/${def.name}.json`, wrap(methodNotAllowed));

    const one = `${base}/${def.name}/:id`;
    app.get(
      one,
      wrap((c) => {
        const id = parseId(c.req.param('id'), def.name);
        const record = table().get(id);
        if (!record) throw notFound(def, id);
        return c.json(singleBody(core, def, record, rels(c)));
      }),
    );
    app.put(
      one,
      wrap(async (c) => {
        if (!def.update) return methodNotAllowed(c);
        const id = parseId(c.req.param('id'), def.name);
        const record = table().get(id);
        if (!record) throw notFound(def, id);
        const updated = def.update(core, record, rec.unwrap(await readBody(c), def.name));
        return c.json(singleBody(core, def, updated, rels(c)));
      }),
    );
    app.delete(
      one,
      wrap((c) => {
        if (!def.remove) return methodNotAllowed(c);
        const id = parseId(c.req.param('id'), def.name);
        const record = table().get(id);
        if (!record) throw notFound(def, id);
        const snapshot = def.serialize(core, record, rels(c));
        const result = def.remove(core, record);
        const body = table().has(id)
          ? singleBody(core, def, result, rels(c))
          : { '@attributes': { count: '1' }, [def.name]: snapshot };
        return c.json(body);
      }),
    );
    app.on(['POST', 'PATCH'], one, wrap(methodNotAllowed));
  }

  // Anything else under /API is an unknown resource. (A notFound handler rather than an `/API/*` catch-all
  // route, which would become the last matched route and spoil the per-route request counts.)
  app.notFound((c) =>
    c.req.path.startsWith('/API/')
      ? apiErrorResponse(c, 404, `Unknown resource: ${c.req.path}`, 'NotFoundException')
      : c.text('404 Not Found', 404),
  );
}
