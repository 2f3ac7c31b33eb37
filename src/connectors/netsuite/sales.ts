/**
 * The NetSuite side of the sales sync: sales orders changed since a cursor (SuiteQL), a sales order with its
 * lines, items by SKU, kit members, locations, serial/lot numbers and bins for inventory detail, and the writes
 * (sales order, cash sale, fulfil and bill transforms) each carrying an external id as its correlation key.
 * NetSuite shapes stay in this folder; callers get the plain types below.
 */
import { RemoteRejected } from '../shared/errors.ts';
import { netsuiteErrorCode, sqlText, type NetsuiteClient, type NsRecord } from './client.ts';

export interface NsRef {
  id: string;
  name: string | null;
}

export interface NsSalesOrderLine {
  line: number;
  itemId: string;
  sku: string | null;
  itemType: string | null;
  quantity: number;
  rate: number;
  amount: number;
  location: NsRef | null;
  isClosed: boolean;
  quantityFulfilled: number;
  quantityBilled: number;
  storePickup: boolean;
}

export interface NsSalesOrder {
  id: string;
  tranId: string;
  /** The status letter (A–H, §3.1). */
  statusCode: string;
  externalId: string | null;
  entity: NsRef | null;
  location: NsRef | null;
  shipMethod: NsRef | null;
  customForm: NsRef | null;
  memo: string | null;
  otherRefNum: string | null;
  total: number;
  tranDate: string | null;
  lastModified: string | null;
  /** `custbody…` fields. */
  custom: Record<string, unknown>;
  lines: NsSalesOrderLine[];
}

export interface NsItemInfo {
  id: string;
  sku: string;
  type: 'InvtPart' | 'Kit' | 'NonInvtPart' | string;
  serial: boolean;
  lot: boolean;
  bins: boolean;
}

export interface NsInventoryNumber {
  id: string;
  number: string;
  itemId: string;
  locationId: string;
  binId: string | null;
  onHand: number;
}

export interface NsChangedOrder {
  id: string;
  tranId: string;
  /** `YYYY-MM-DDTHH:MM:SS` (UTC). */
  modified: string;
}

const str = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : 0);
const obj = (v: unknown): NsRecord | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as NsRecord) : null;
const ref = (v: unknown): NsRef | null => {
  const o = obj(v);
  if (o) {
    const id = str(o.id);
    return id ? { id, name: str(o.refName) } : null;
  }
  const id = str(v);
  return id ? { id, name: null } : null;
};
const tf = (v: unknown): boolean => v === true || v === 'T' || v === 't' || v === 'true';

/** `2026-11-20T10:00:00` → the SuiteQL timestamp literal NetSuite accepts (§4, docs/simulators/netsuite.md). */
function toTimestamp(iso: string): string {
  const text = iso.replace('T', ' ').replace(/Z$/, '').slice(0, 19);
  return `TO_TIMESTAMP(${sqlText(text)}, 'YYYY-MM-DD HH24:MI:SS')`;
}

export function formatCursor(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
}

export class NetsuiteSales {
  readonly client: NetsuiteClient;
  #items = new Map<string, NsItemInfo>();
  #kitMembers = new Map<string, Array<{ itemId: string; quantity: number }>>();
  #numbers: NsInventoryNumber[] | undefined;
  #bins: Array<{ id: string; locationId: string }> | undefined;
  #locations: Array<{ id: string; name: string; bins: boolean }> | undefined;

  constructor(client: NetsuiteClient) {
    this.client = client;
  }

  /** Sales orders modified at or after `since` (inclusive), oldest first (§4: a deterministic ORDER BY). */
  async changedSalesOrders(since: string, maxRows = 5_000): Promise<NsChangedOrder[]> {
    const rows = await this.client.suiteqlAll(
      `SELECT id, tranid, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD"T"HH24:MI:SS') AS modified FROM transaction ` +
        `WHERE type = 'SalesOrd' AND lastmodifieddate >= ${toTimestamp(since)} ORDER BY lastmodifieddate, id`,
      maxRows,
    );
    return rows
      .map((r) => ({ id: str(r.id) ?? '', tranId: str(r.tranid) ?? '', modified: str(r.modified) ?? since }))
      .filter((r) => r.id !== '');
  }

  async salesOrder(id: string): Promise<NsSalesOrder | undefined> {
    const record = await this.client.find('salesOrder', id, { expand: true });
    return record && toSalesOrder(record);
  }

  async locations(): Promise<Array<{ id: string; name: string; bins: boolean }>> {
    this.#locations ??= (await this.client.suiteqlAll('SELECT id, name, usebins, isinactive FROM location ORDER BY id'))
      .filter((r) => !tf(r.isinactive))
      .map((r) => ({ id: str(r.id) ?? '', name: str(r.name) ?? '', bins: tf(r.usebins) }));
    return this.#locations;
  }

  async locationByName(name: string): Promise<{ id: string; name: string; bins: boolean } | undefined> {
    return (await this.locations()).find((l) => l.name.toLowerCase() === name.toLowerCase());
  }

  /** Items by SKU (the item name/number, `itemid`), cached for the life of this object. */
  async itemsBySku(skus: string[]): Promise<Map<string, NsItemInfo>> {
    const wanted = [...new Set(skus)].filter((s) => !this.#items.has(s.toLowerCase()));
    for (let i = 0; i < wanted.length; i += 200) {
      const chunk = wanted.slice(i, i + 200);
      const rows = await this.client.suiteqlAll(
        `SELECT id, itemid, itemtype, isserialitem, islotitem, usebins, isinactive FROM item WHERE itemid IN (${chunk.map(sqlText).join(', ')})`,
      );
      for (const r of rows) {
        if (tf(r.isinactive)) continue;
        const info: NsItemInfo = {
          id: str(r.id) ?? '',
          sku: str(r.itemid) ?? '',
          type: str(r.itemtype) ?? '',
          serial: tf(r.isserialitem),
          lot: tf(r.islotitem),
          bins: tf(r.usebins),
        };
        this.#items.set(info.sku.toLowerCase(), info);
      }
    }
    const out = new Map<string, NsItemInfo>();
    for (const s of skus) {
      const info = this.#items.get(s.toLowerCase());
      if (info) out.set(s, info);
    }
    return out;
  }

  async itemsById(ids: string[]): Promise<Map<string, NsItemInfo>> {
    const known = new Map([...this.#items.values()].map((i) => [i.id, i]));
    const missing = [...new Set(ids)].filter((id) => !known.has(id) && /^\d+$/.test(id));
    if (missing.length > 0) {
      const rows = await this.client.suiteqlAll(
        `SELECT id, itemid, itemtype, isserialitem, islotitem, usebins FROM item WHERE id IN (${missing.join(', ')})`,
      );
      for (const r of rows) {
        const info: NsItemInfo = {
          id: str(r.id) ?? '',
          sku: str(r.itemid) ?? '',
          type: str(r.itemtype) ?? '',
          serial: tf(r.isserialitem),
          lot: tf(r.islotitem),
          bins: tf(r.usebins),
        };
        this.#items.set(info.sku.toLowerCase(), info);
        known.set(info.id, info);
      }
    }
    return new Map(ids.flatMap((id) => (known.has(id) ? [[id, known.get(id) as NsItemInfo] as const] : [])));
  }

  async kitMembers(kitId: string): Promise<Array<{ itemId: string; quantity: number }>> {
    const cached = this.#kitMembers.get(kitId);
    if (cached) return cached;
    const record = await this.client.get('kitItem', kitId, { expand: true });
    const items = (obj(record.member)?.items as unknown[] | undefined) ?? [];
    const members = items.flatMap((m) => {
      const o = obj(m);
      const item = ref(o?.item);
      return item ? [{ itemId: item.id, quantity: num(o?.quantity) || 1 }] : [];
    });
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

  async inventoryNumbers(): Promise<NsInventoryNumber[]> {
    if (this.#numbers) return this.#numbers;
    const ids = await this.client.listIds('inventoryNumber');
    const out: NsInventoryNumber[] = [];
    for (const id of ids) {
      const r = await this.client.get('inventoryNumber', id);
      out.push({
        id,
        number: str(r.inventoryNumber) ?? '',
        itemId: ref(r.item)?.id ?? '',
        locationId: ref(r.location)?.id ?? '',
        binId: ref(r.binNumber)?.id ?? null,
        onHand: num(r.quantityOnHand),
      });
    }
    this.#numbers = out;
    return out;
  }

  async bins(): Promise<Array<{ id: string; locationId: string }>> {
    if (this.#bins) return this.#bins;
    const ids = await this.client.listIds('bin');
    const out: Array<{ id: string; locationId: string }> = [];
    for (const id of ids) {
      const r = await this.client.get('bin', id);
      out.push({ id, locationId: ref(r.location)?.id ?? '' });
    }
    this.#bins = out;
    return out;
  }

  /**
   * The inventory detail a line moving `quantity` of `item` out of `locationId` needs (serial and lot numbers, and
   * bins at a bin location; §5), or undefined when it needs none. `preferred` serial/lot numbers (from the POS) are
   * used first when they are on hand there. Numbers chosen are marked used for the life of this object.
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
    const assignments: NsRecord[] = [];
    if (item.serial || item.lot) {
      const candidates = (await this.inventoryNumbers()).filter(
        (n) => n.itemId === item.id && n.locationId === locationId && n.onHand > 0,
      );
      candidates.sort((a, b) => Number(preferred.includes(b.number)) - Number(preferred.includes(a.number)));
      let left = quantity;
      for (const n of candidates) {
        if (left <= 0) break;
        const q = item.serial ? 1 : Math.min(left, n.onHand);
        assignments.push({
          issueInventoryNumber: { id: n.id },
          ...(needsBins && n.binId ? { binNumber: { id: n.binId } } : {}),
          quantity: q,
        });
        n.onHand -= q;
        left -= q;
      }
    } else {
      const bin = (await this.bins()).find((b) => b.locationId === locationId);
      if (bin) assignments.push({ binNumber: { id: bin.id }, quantity });
    }
    return { inventoryAssignment: { items: assignments } };
  }

  /** A record by external id, or undefined. */
  async byExternalId(
    type: 'salesOrder' | 'cashSale' | 'itemFulfillment' | 'invoice',
    externalId: string,
  ): Promise<NsRecord | undefined> {
    return this.client.find(type, `eid:${externalId}`);
  }

  /** Fulfilments, invoices and cash sales made from a sales order. */
  async children(salesOrderId: string): Promise<Array<{ id: string; type: string; externalId: string | null }>> {
    const rows = await this.client.suiteqlAll(
      `SELECT id, type, externalid, createdfrom FROM transaction WHERE type IN ('ItemShip', 'CustInvc', 'CashSale') AND createdfrom = ${sqlText(salesOrderId)} ORDER BY id`,
    );
    return rows.map((r) => ({ id: str(r.id) ?? '', type: str(r.type) ?? '', externalId: str(r.externalid) }));
  }

  async firstCustomerId(): Promise<string | undefined> {
    const page = await this.client.suiteql('SELECT id FROM customer ORDER BY id', { limit: 1 });
    return str(page.items[0]?.id) ?? undefined;
  }
}

export function toSalesOrder(r: NsRecord): NsSalesOrder {
  const status = ref(r.status) ?? ref(r.orderStatus);
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (/^custbody/i.test(k)) custom[k.toLowerCase()] = v;
  const lines = ((obj(r.item)?.items as unknown[] | undefined) ?? []).flatMap((raw): NsSalesOrderLine[] => {
    const l = obj(raw);
    const item = ref(l?.item);
    if (!l || !item) return [];
    const choice = ref(l.itemFulfillmentChoice);
    return [
      {
        line: num(l.line),
        itemId: item.id,
        sku: item.name,
        itemType: str(l.itemType),
        quantity: num(l.quantity),
        rate: num(l.rate),
        amount: num(l.amount),
        location: ref(l.location),
        isClosed: tf(l.isClosed) || tf(l.isclosed),
        quantityFulfilled: num(l.quantityFulfilled),
        quantityBilled: num(l.quantityBilled),
        storePickup:
          (choice?.id ?? '').toLowerCase() === 'storepickup' || (choice?.name ?? '').toLowerCase() === 'store pickup',
      },
    ];
  });
  return {
    id: str(r.id) ?? '',
    tranId: str(r.tranId) ?? '',
    statusCode: status?.id ?? 'A',
    externalId: str(r.externalId),
    entity: ref(r.entity),
    location: ref(r.location),
    shipMethod: ref(r.shipMethod),
    customForm: ref(r.customForm),
    memo: str(r.memo),
    otherRefNum: str(r.otherRefNum),
    total: num(r.total),
    tranDate: str(r.tranDate),
    lastModified: str(r.lastModifiedDate),
    custom,
    lines,
  };
}

/** True when a write was refused because a record with that external id already exists (the key did its job). */
export function isDuplicateExternalId(error: unknown): boolean {
  return error instanceof RemoteRejected && netsuiteErrorCode(error) === 'DUP_RCRD';
}
