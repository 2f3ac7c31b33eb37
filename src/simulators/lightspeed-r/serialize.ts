import type { Core } from './core.ts';
import type { ItemMatrixRec, ItemRec, ItemShopRec, OrderLineRec, OrderRec } from './model.ts';
import { round2 } from './records.ts';

/**
 * Records as the API writes them (reference §2–§5, checked against the recorded shapes in
 * test/contracts/lightspeed-r-simulator.test.ts): every scalar a string, a collection of one element an
 * object, an empty nested relation `""`, unset dates left out.
 */

export type Out = Record<string, unknown>;

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
export function scalars(record: object, skip: readonly string[] = []): Out {
  const out: Out = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === null || value === undefined || typeof value === 'object' || skip.includes(key)) continue;
    out[key] = str(value);
  }
  return out;
}

export function serializeItemShop(core: Core, row: ItemShopRec, rels: Set<string> = new Set()): Out {
  const store = core.store;
  let qoh = row.qoh;
  if (row.shopID === 0) qoh = store.itemShops(row.itemID).reduce((sum, r) => (r.shopID === 0 ? sum : sum + r.qoh), 0);
  const out = scalars({ ...row, qoh, sellable: qoh, backorder: store.backorder(row.itemID, row.shopID) });
  // The item's running average cost (receiving moves it, receipt-records.ts) on the account-wide row (§2.1).
  if (row.shopID === 0) out.averageCost = str(store.tables.Item.get(row.itemID)?.avgCost ?? 0);
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

export function serializeCategory(core: Core, id: number, withParent: boolean): Out | undefined {
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

/** In every recorded Item and ItemMatrix; e-commerce is not modelled, so always "0" (none). */
const noECommerce = { itemECommerceID: '0' };

export function serializeItem(core: Core, item: ItemRec, rels: Set<string>): Out {
  const out: Out = { ...scalars(item), ...noECommerce };
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

export function serializeMatrix(core: Core, m: ItemMatrixRec, rels: Set<string>): Out {
  const out: Out = { ...scalars(m), ...noECommerce };
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
      // The recorded matrix's items also name their ItemAttributes and Note records; neither has an id of
      // its own here, so the item's id and "0" (no note) stand in [I].
      .map((i) => ({
        ...serializeItem(core, i, new Set(['ItemAttributes'])),
        itemAttributesID: i.ItemAttributes ? String(i.itemID) : '0',
        noteID: '0',
      }));
    out.Items = items.length ? { Item: many(items) } : '';
  }
  return out;
}

const vendorIntegration = {
  integrationEnabled: '0',
  integrationName: '',
  integrationAccount: '',
  integrationLogin: '',
  integrationPassword: '',
};

function orderTotals(core: Core, o: OrderRec): { totalQuantity: number; subTotalCost: number } {
  let totalQuantity = 0;
  let subTotalCost = 0;
  for (const line of core.store.orderLines(o.orderID)) {
    totalQuantity += line.quantity;
    subTotalCost += line.quantity * line.price;
  }
  return { totalQuantity, subTotalCost: round2(subTotalCost) };
}

export function serializeOrderLine(core: Core, l: OrderLineRec, rels: Set<string>): Out {
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
  out.totalCost = str(round2(totals.subTotalCost + o.shipCost + o.otherCost));
  if (rels.has('OrderLines')) {
    const lines = core.store.orderLines(o.orderID).map((l) => serializeOrderLine(core, l, new Set()));
    out.OrderLines = lines.length ? { OrderLine: many(lines) } : '';
  }
  // An Order's Vendor and Shop carried more fields in the recorded traffic than a Vendor or Shop read on its
  // own did (the recorded Order, 2016): contact and integration fields, and the shop's vendorID. Not modelled:
  // always none.
  if (rels.has('Vendor') && o.vendorID) {
    const v = core.store.tables.Vendor.get(o.vendorID);
    if (v) out.Vendor = { ...scalars(v), contactID: '0', ...vendorIntegration };
  }
  if (rels.has('Shop')) {
    const s = core.store.tables.Shop.get(o.shopID);
    if (s) out.Shop = { ...scalars(s), vendorID: '0' };
  }
  if (rels.has('Note') && o.note !== null) {
    out.Note = { noteID: str(o.noteID), note: o.note, isPublic: 'false', timeStamp: o.timeStamp };
  }
  return out;
}
