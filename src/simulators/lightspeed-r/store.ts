/**
 * The R-Series simulator's in-memory store: the tables of model.ts with the indexes every query needs (rebuilt
 * on import), and the snapshot export/import.
 */
import {
  resourceNames,
  systemAttributeSets,
  type CodeRec,
  type ExportedState,
  type ItemRec,
  type ItemShopRec,
  type OrderLineRec,
  type RefreshRec,
  type ResourceName,
  type Tables,
  type TokenRec,
} from './model.ts';

/** Key → ids. A single id is stored bare (most keys have one), several as an array: 200k Sets would cost ~100 MB. */
class MultiIndex<K> {
  readonly map = new Map<K, number | number[]>();
  add(key: K, id: number): void {
    const entry = this.map.get(key);
    if (entry === undefined) this.map.set(key, id);
    else if (typeof entry === 'number') {
      if (entry !== id) this.map.set(key, [entry, id]);
    } else if (!entry.includes(id)) entry.push(id);
  }
  remove(key: K, id: number): void {
    const entry = this.map.get(key);
    if (entry === undefined) return;
    if (typeof entry === 'number') {
      if (entry === id) this.map.delete(key);
      return;
    }
    const rest = entry.filter((x) => x !== id);
    if (rest.length === 0) this.map.delete(key);
    else this.map.set(key, rest.length === 1 ? (rest[0] as number) : rest);
  }
  get(key: K): number[] {
    const entry = this.map.get(key);
    if (entry === undefined) return [];
    return typeof entry === 'number' ? [entry] : [...entry];
  }
  clear(): void {
    this.map.clear();
  }
}

export class Store {
  account = { accountID: '83050', name: 'Lakeside Goods Co.' };
  sequences: Record<string, number> = {};
  tables: Tables = emptyTables();
  codes = new Map<string, CodeRec>();
  accessTokens = new Map<string, TokenRec>();
  refreshTokens = new Map<string, RefreshRec>();

  // Indexes (rebuilt on import).
  readonly itemsByUpc = new MultiIndex<string>();
  readonly itemsByEan = new MultiIndex<string>();
  readonly itemsByCustomSku = new MultiIndex<string>();
  readonly itemsByMatrix = new MultiIndex<number>();
  readonly itemShopsByItem = new MultiIndex<number>();
  readonly linesByOrder = new MultiIndex<number>();
  readonly linesByItem = new MultiIndex<number>();

  constructor(accountID: string) {
    this.account.accountID = accountID;
    this.clear();
  }

  /** Empties the data; `keepTokens` keeps OAuth codes and tokens (seeding a scenario keeps connections alive). */
  clear(keepTokens = false): void {
    this.sequences = {};
    this.tables = emptyTables();
    if (!keepTokens) {
      this.codes = new Map();
      this.accessTokens = new Map();
      this.refreshTokens = new Map();
    }
    this.clearIndexes();
    for (const set of systemAttributeSets) this.tables.ItemAttributeSet.set(set.itemAttributeSetID, { ...set });
    this.sequences.ItemAttributeSet = systemAttributeSets.length;
  }

  nextId(kind: string): number {
    const next = (this.sequences[kind] ?? 0) + 1;
    this.sequences[kind] = next;
    return next;
  }

  private clearIndexes(): void {
    for (const index of [
      this.itemsByUpc,
      this.itemsByEan,
      this.itemsByCustomSku,
      this.itemsByMatrix,
      this.itemShopsByItem,
      this.linesByOrder,
      this.linesByItem,
    ]) {
      index.clear();
    }
  }

  // ---- items ----
  putItem(item: ItemRec): void {
    const previous = this.tables.Item.get(item.itemID);
    if (previous) this.unindexItem(previous);
    this.tables.Item.set(item.itemID, item);
    this.indexItem(item);
  }

  /** Call before mutating an item's indexed fields in place, then call indexItem after. */
  unindexItem(item: ItemRec): void {
    if (item.upc) this.itemsByUpc.remove(item.upc, item.itemID);
    if (item.ean) this.itemsByEan.remove(item.ean, item.itemID);
    if (item.customSku) this.itemsByCustomSku.remove(item.customSku.toLowerCase(), item.itemID);
    if (item.itemMatrixID) this.itemsByMatrix.remove(item.itemMatrixID, item.itemID);
  }

  indexItem(item: ItemRec): void {
    if (item.upc) this.itemsByUpc.add(item.upc, item.itemID);
    if (item.ean) this.itemsByEan.add(item.ean, item.itemID);
    if (item.customSku) this.itemsByCustomSku.add(item.customSku.toLowerCase(), item.itemID);
    if (item.itemMatrixID) this.itemsByMatrix.add(item.itemMatrixID, item.itemID);
  }

  removeItem(itemID: number): void {
    const item = this.tables.Item.get(itemID);
    if (!item) return;
    this.unindexItem(item);
    this.tables.Item.delete(itemID);
    for (const itemShopID of [...this.itemShopsByItem.get(itemID)]) {
      this.tables.ItemShop.delete(itemShopID);
      this.itemShopsByItem.remove(itemID, itemShopID);
    }
  }

  putItemShop(row: ItemShopRec): void {
    this.tables.ItemShop.set(row.itemShopID, row);
    this.itemShopsByItem.add(row.itemID, row.itemShopID);
  }

  itemShops(itemID: number): ItemShopRec[] {
    const rows: ItemShopRec[] = [];
    for (const id of this.itemShopsByItem.get(itemID)) {
      const row = this.tables.ItemShop.get(id);
      if (row) rows.push(row);
    }
    return rows.sort((a, b) => a.shopID - b.shopID);
  }

  itemShop(itemID: number, shopID: number): ItemShopRec | undefined {
    return this.itemShops(itemID).find((r) => r.shopID === shopID);
  }

  /** Creates the ItemShop rows an item gets automatically: one per shop plus the shopID 0 summary row. */
  ensureItemShops(itemID: number, nowIso: string): void {
    const existing = new Set(this.itemShops(itemID).map((r) => r.shopID));
    for (const shopID of [0, ...this.tables.Shop.keys()]) {
      if (existing.has(shopID)) continue;
      this.putItemShop({
        itemShopID: this.nextId('ItemShop'),
        qoh: 0,
        sellable: 0,
        backorder: 0,
        componentQoh: 0,
        componentBackorder: 0,
        reorderPoint: 0,
        reorderLevel: 0,
        timeStamp: nowIso,
        itemID,
        shopID,
      });
    }
  }

  // ---- order lines ----
  putOrderLine(line: OrderLineRec): void {
    const previous = this.tables.OrderLine.get(line.orderLineID);
    if (previous) this.unindexLine(previous);
    this.tables.OrderLine.set(line.orderLineID, line);
    this.indexLine(line);
  }

  unindexLine(line: OrderLineRec): void {
    this.linesByOrder.remove(line.orderID, line.orderLineID);
    this.linesByItem.remove(line.itemID, line.orderLineID);
  }

  indexLine(line: OrderLineRec): void {
    this.linesByOrder.add(line.orderID, line.orderLineID);
    this.linesByItem.add(line.itemID, line.orderLineID);
  }

  removeOrderLine(id: number): void {
    const line = this.tables.OrderLine.get(id);
    if (!line) return;
    this.unindexLine(line);
    this.tables.OrderLine.delete(id);
  }

  orderLines(orderID: number): OrderLineRec[] {
    const lines: OrderLineRec[] = [];
    for (const id of this.linesByOrder.get(orderID)) {
      const line = this.tables.OrderLine.get(id);
      if (line) lines.push(line);
    }
    return lines.sort((a, b) => a.orderLineID - b.orderLineID);
  }

  /** Quantity on open (not archived, not complete) purchase orders for one item at one shop, not yet checked in. */
  backorder(itemID: number, shopID: number): number {
    let total = 0;
    for (const id of this.linesByItem.get(itemID)) {
      const line = this.tables.OrderLine.get(id);
      const order = line ? this.tables.Order.get(line.orderID) : undefined;
      if (!line || !order || order.archived || order.complete) continue;
      if (shopID !== 0 && order.shopID !== shopID) continue;
      total += Math.max(0, line.quantity - line.checkedIn);
    }
    return total;
  }

  // ---- export / import ----
  exportState(): ExportedState {
    const tables = {} as Record<string, unknown[]>;
    for (const name of resourceNames) tables[name] = [...this.tables[name].values()];
    return {
      system: 'lightspeed-r',
      version: 1,
      account: { ...this.account },
      sequences: { ...this.sequences },
      tables: tables as ExportedState['tables'],
      codes: Object.fromEntries(this.codes),
      accessTokens: Object.fromEntries(this.accessTokens),
      refreshTokens: Object.fromEntries(this.refreshTokens),
    };
  }

  importState(state: ExportedState): void {
    this.clear();
    this.tables.ItemAttributeSet.clear();
    this.account = { ...state.account };
    this.sequences = { ...state.sequences };
    const idField: Record<ResourceName, string> = {
      Item: 'itemID',
      ItemMatrix: 'itemMatrixID',
      ItemAttributeSet: 'itemAttributeSetID',
      ItemShop: 'itemShopID',
      Vendor: 'vendorID',
      Shop: 'shopID',
      Manufacturer: 'manufacturerID',
      Category: 'categoryID',
      Order: 'orderID',
      OrderLine: 'orderLineID',
      OrderShipment: 'orderShipmentID',
      OrderShipmentItem: 'orderShipmentItemID',
    };
    for (const name of resourceNames) {
      const table = this.tables[name] as Map<number, unknown>;
      for (const rec of state.tables[name] ?? [])
        table.set((rec as unknown as Record<string, number>)[idField[name]] as number, rec);
    }
    for (const item of this.tables.Item.values()) this.indexItem(item);
    for (const row of this.tables.ItemShop.values()) this.itemShopsByItem.add(row.itemID, row.itemShopID);
    for (const line of this.tables.OrderLine.values()) this.indexLine(line);
    this.codes = new Map(Object.entries(state.codes ?? {}));
    this.accessTokens = new Map(Object.entries(state.accessTokens ?? {}));
    this.refreshTokens = new Map(Object.entries(state.refreshTokens ?? {}));
  }
}

function emptyTables(): Tables {
  return {
    Item: new Map(),
    ItemMatrix: new Map(),
    ItemAttributeSet: new Map(),
    ItemShop: new Map(),
    Vendor: new Map(),
    Shop: new Map(),
    Manufacturer: new Map(),
    Category: new Map(),
    Order: new Map(),
    OrderLine: new Map(),
    OrderShipment: new Map(),
    OrderShipmentItem: new Map(),
  };
}
