/**
 * What the sales sync reads about NetSuite's catalog and stock: locations, items by SKU or id, kit members, and the
 * inventory detail a line moving serial, lot or bin stock needs (§5). All of it through SuiteQL, a few queries per
 * run (cached for the life of the object), never one request per record.
 */
import type { NetsuiteClient, NsRecord } from './client.ts';
import { sqlText } from './client.ts';
import { binBalanceRow, inventoryNumberRow, itemRow, kitItemRecord, locationRow } from './schemas.ts';

export interface NsItemInfo {
  id: string;
  sku: string;
  type: 'InvtPart' | 'Kit' | 'NonInvtPart' | string;
  serial: boolean;
  lot: boolean;
  bins: boolean;
}

/** A serial or lot number available at one location. */
export interface NsInventoryNumber {
  id: string;
  number: string;
  itemId: string;
  locationId: string;
  available: number;
}

export interface NsLocation {
  id: string;
  name: string;
  bins: boolean;
}

interface BinBalance {
  itemId: string;
  binId: string;
  numberId: string | null;
  available: number;
}

const CHUNK = 200;
const ids = (list: string[]): string => list.filter((id) => /^\d+$/.test(id)).join(', ');

export class NetsuiteCatalog {
  readonly client: NetsuiteClient;
  #items = new Map<string, NsItemInfo>();
  #kitMembers = new Map<string, Array<{ itemId: string; quantity: number }>>();
  /** Serial/lot numbers by item id (an item with none has an empty list). */
  #numbers = new Map<string, NsInventoryNumber[]>();
  /** Bin stock by `location:item`. */
  #bins = new Map<string, BinBalance[]>();
  #locations: NsLocation[] | undefined;

  constructor(client: NetsuiteClient) {
    this.client = client;
  }

  async locations(): Promise<NsLocation[]> {
    this.#locations ??= (
      await this.client.suiteqlAll(
        'SELECT id, name, usebins, isinactive FROM location ORDER BY id',
        10_000,
        locationRow,
      )
    )
      .filter((r) => !r.isinactive)
      .map((r) => ({ id: r.id, name: r.name, bins: r.usebins ?? false }));
    return this.#locations;
  }

  async locationByName(name: string): Promise<NsLocation | undefined> {
    return (await this.locations()).find((l) => l.name.toLowerCase() === name.toLowerCase());
  }

  #remember(r: {
    id: string;
    itemid: string;
    itemtype?: string;
    isserialitem?: boolean;
    islotitem?: boolean;
    usebins?: boolean;
  }): NsItemInfo {
    const info: NsItemInfo = {
      id: r.id,
      sku: r.itemid,
      type: r.itemtype ?? '',
      serial: r.isserialitem ?? false,
      lot: r.islotitem ?? false,
      bins: r.usebins ?? false,
    };
    this.#items.set(info.sku.toLowerCase(), info);
    return info;
  }

  /** Items by SKU (the item name/number, `itemid`), cached for the life of this object. */
  async itemsBySku(skus: string[]): Promise<Map<string, NsItemInfo>> {
    const wanted = [...new Set(skus)].filter((s) => !this.#items.has(s.toLowerCase()));
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const chunk = wanted.slice(i, i + CHUNK);
      const rows = await this.client.suiteqlAll(
        `SELECT id, itemid, itemtype, isserialitem, islotitem, usebins, isinactive FROM item WHERE itemid IN (${chunk.map(sqlText).join(', ')})`,
        10_000,
        itemRow,
      );
      for (const r of rows) if (!r.isinactive) this.#remember(r);
    }
    const out = new Map<string, NsItemInfo>();
    for (const s of skus) {
      const info = this.#items.get(s.toLowerCase());
      if (info) out.set(s, info);
    }
    return out;
  }

  async itemsById(wantedIds: string[]): Promise<Map<string, NsItemInfo>> {
    const known = new Map([...this.#items.values()].map((i) => [i.id, i]));
    const missing = [...new Set(wantedIds)].filter((id) => !known.has(id) && /^\d+$/.test(id));
    for (let i = 0; i < missing.length; i += CHUNK) {
      const rows = await this.client.suiteqlAll(
        `SELECT id, itemid, itemtype, isserialitem, islotitem, usebins FROM item WHERE id IN (${ids(missing.slice(i, i + CHUNK))})`,
        10_000,
        itemRow,
      );
      for (const r of rows) known.set(r.id, this.#remember(r));
    }
    return new Map(wantedIds.flatMap((id) => (known.has(id) ? [[id, known.get(id) as NsItemInfo] as const] : [])));
  }

  async kitMembers(kitId: string): Promise<Array<{ itemId: string; quantity: number }>> {
    const cached = this.#kitMembers.get(kitId);
    if (cached) return cached;
    const record = await this.client.get('kitItem', kitId, { expand: true, schema: kitItemRecord });
    const members = record.member.items.map((m) => ({ itemId: m.item.id, quantity: m.quantity || 1 }));
    this.#kitMembers.set(kitId, members);
    return members;
  }

  /** The SKUs among `skus` that are kits with a serial, lot or bin component (the sales-order condition). */
  async numberedKits(skus: string[]): Promise<string[]> {
    const items = await this.itemsBySku(skus);
    const out: string[] = [];
    for (const [sku, info] of items) {
      if (info.type !== 'Kit') continue;
      const members = await this.kitMembers(info.id);
      const parts = await this.itemsById(members.map((m) => m.itemId));
      if ([...parts.values()].some((p) => p.serial || p.lot || p.bins)) out.push(sku);
    }
    return out;
  }

  /**
   * The serial and lot numbers of `itemIds` with stock, per location, in one SuiteQL query for every item not read
   * yet: `inventorynumber` (id, inventorynumber, item) joined to `inventorynumberlocation` (inventorynumber,
   * location, quantityavailable), the SuiteQL form of the record's `locations` sublist (divergences.md F6). The two
   * table names and their columns are [2nd] (practitioner queries, not Oracle's catalog).
   */
  async inventoryNumbers(itemIds: string[]): Promise<NsInventoryNumber[]> {
    const missing = [...new Set(itemIds)].filter((id) => !this.#numbers.has(id) && /^\d+$/.test(id));
    for (let i = 0; i < missing.length; i += CHUNK) {
      const chunk = missing.slice(i, i + CHUNK);
      for (const id of chunk) this.#numbers.set(id, []);
      const rows = await this.client.suiteqlAll(
        'SELECT n.id, n.inventorynumber, n.item, l.location, l.quantityavailable FROM inventorynumber n ' +
          'JOIN inventorynumberlocation l ON l.inventorynumber = n.id ' +
          `WHERE n.item IN (${ids(chunk)}) AND l.quantityavailable > 0 ORDER BY n.item, n.inventorynumber, l.location`,
        100_000,
        inventoryNumberRow,
      );
      for (const r of rows) {
        this.#numbers.get(r.item)?.push({
          id: r.id,
          number: r.inventorynumber,
          itemId: r.item,
          locationId: r.location,
          available: r.quantityavailable ?? 0,
        });
      }
    }
    return itemIds.flatMap((id) => this.#numbers.get(id) ?? []);
  }

  /**
   * Bin stock of `itemIds` at a location that uses bins, one query: `inventorybalance` (item, location, binnumber,
   * inventorynumber, quantityavailable) [2nd: practitioner queries]. Bins are not on an inventory number (it has no
   * bin, F6): which bin holds a serial shows here, and a fulfilment line names it in its inventory detail.
   */
  async #binBalances(itemIds: string[], locationId: string): Promise<BinBalance[]> {
    const missing = [...new Set(itemIds)].filter((id) => !this.#bins.has(`${locationId}:${id}`) && /^\d+$/.test(id));
    if (missing.length > 0 && /^\d+$/.test(locationId)) {
      for (const id of missing) this.#bins.set(`${locationId}:${id}`, []);
      const rows = await this.client.suiteqlAll(
        'SELECT b.item, b.binnumber, b.inventorynumber, b.quantityavailable FROM inventorybalance b ' +
          `WHERE b.item IN (${ids(missing)}) AND b.location = ${locationId} AND b.binnumber IS NOT NULL ` +
          'AND b.quantityavailable > 0 ORDER BY b.item, b.binnumber',
        100_000,
        binBalanceRow,
      );
      for (const r of rows) {
        this.#bins.get(`${locationId}:${r.item}`)?.push({
          itemId: r.item,
          binId: r.binnumber,
          numberId: r.inventorynumber ?? null,
          available: r.quantityavailable ?? 0,
        });
      }
    }
    return itemIds.flatMap((id) => this.#bins.get(`${locationId}:${id}`) ?? []);
  }

  /** Reads the stock of every item a body will need in as few queries as there are kinds of stock. */
  async loadInventory(items: NsItemInfo[], locationId: string): Promise<void> {
    const numbered = items.filter((i) => i.serial || i.lot).map((i) => i.id);
    await this.inventoryNumbers(numbered);
    const location = (await this.locations()).find((l) => l.id === locationId);
    if (location?.bins)
      await this.#binBalances(
        items.filter((i) => i.bins).map((i) => i.id),
        locationId,
      );
  }

  /**
   * The inventory detail a line moving `quantity` of `item` out of `locationId` needs (serial and lot numbers, and
   * bins at a bin location; §5), or undefined when it needs none. `preferred` serial/lot numbers (from the POS) are
   * used first when they are available there. What is chosen is counted as used for the life of this object.
   */
  async inventoryDetail(
    item: NsItemInfo,
    locationId: string,
    quantity: number,
    preferred: string[] = [],
  ): Promise<NsRecord | undefined> {
    const location = (await this.locations()).find((l) => l.id === locationId);
    const needsBins = item.bins && (location?.bins ?? false);
    if (!item.serial && !item.lot && !needsBins) return undefined;
    const bins = needsBins ? await this.#binBalances([item.id], locationId) : [];
    const assignments: NsRecord[] = [];
    let left = quantity;
    if (item.serial || item.lot) {
      const candidates = (await this.inventoryNumbers([item.id])).filter(
        (n) => n.locationId === locationId && n.available > 0,
      );
      candidates.sort((a, b) => Number(preferred.includes(b.number)) - Number(preferred.includes(a.number)));
      for (const n of candidates) {
        if (left <= 0) break;
        const q = item.serial ? 1 : Math.min(left, n.available);
        const bin = bins.find((b) => b.numberId === n.id && b.available >= q);
        if (needsBins && !bin) continue;
        assignments.push({
          issueInventoryNumber: { id: n.id },
          ...(bin ? { binNumber: { id: bin.binId } } : {}),
          quantity: q,
        });
        n.available -= q;
        if (bin) bin.available -= q;
        left -= q;
      }
    } else {
      for (const b of bins) {
        if (left <= 0) break;
        if (b.numberId !== null || b.available <= 0) continue;
        const q = Math.min(left, b.available);
        assignments.push({ binNumber: { id: b.binId }, quantity: q });
        b.available -= q;
        left -= q;
      }
    }
    return { inventoryAssignment: { items: assignments } };
  }
}
