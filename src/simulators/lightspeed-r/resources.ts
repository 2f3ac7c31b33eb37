import type { Core } from './core.ts';
import type { ItemMatrixRec, ItemRec, ItemShopRec, OrderLineRec, OrderRec, ResourceName } from './model.ts';
import { ApiError, type Condition } from './query.ts';
import * as rec from './records.ts';
import {
  scalars,
  serializeCategory,
  serializeItem,
  serializeItemShop,
  serializeMatrix,
  serializeOrder,
  serializeOrderLine,
  type Out,
} from './serialize.ts';

/** The resources the simulator serves (reference §2–§4): fields, relations, scopes, and how each is written. */

export type AnyRec = Record<string, unknown>;

export interface ResourceDef {
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

export const defs: ResourceDef[] = [
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
    // DELETE OrderLine is a permanent delete (§3.2); not of a line with checked-in units, nor on a Finished PO [I].
    remove: (core, r) => {
      rec.assertLineRemovable(core, r as unknown as OrderLineRec);
      core.store.removeOrderLine(r.orderLineID as number);
      return r;
    },
    candidates: (core, conditions) =>
      indexedIds(conditions, 'orderID', (v) => core.store.linesByOrder.get(Number(v))) ??
      indexedIds(conditions, 'itemID', (v) => core.store.linesByItem.get(Number(v))),
  },
];

export const defsByName = new Map(defs.map((d) => [d.name, d]));
