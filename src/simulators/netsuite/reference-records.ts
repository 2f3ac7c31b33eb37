import type { NetsuiteBook } from './book.ts';
import { NsError, notFound } from './errors.ts';
import type { NsTransaction } from './model.ts';
import type { RecordWriter } from './records.ts';

/** The record types the simulator serves, and reading any of them (transactions, items and reference data). */

const recordTypes: Record<string, string> = Object.fromEntries(
  [
    'salesOrder',
    'cashSale',
    'itemFulfillment',
    'invoice',
    'customer',
    'location',
    'inventoryItem',
    'serializedInventoryItem',
    'lotNumberedInventoryItem',
    'kitItem',
    'nonInventorySaleItem',
    'shipItem',
    'inventoryNumber',
    'bin',
  ].map((t) => [t.toLowerCase(), t]),
);
/** A record type as the URL gives it (case-insensitive) → the simulator's name, or NetSuite's 404. */
export function recordType(raw: string): string {
  const t = recordTypes[raw.toLowerCase()];
  // [I] NetSuite's refusal of an unknown record type.
  if (!t) throw new NsError(404, 'INVALID_RECORD_TYPE', `Record type '${raw}' does not exist.`);
  return t;
}

export function transactionType(t: string): NsTransaction['type'] | undefined {
  return t === 'salesOrder' || t === 'cashSale' || t === 'itemFulfillment' || t === 'invoice' ? t : undefined;
}

/** Reads any record kind the simulator holds, as JSON. */
export function readAnyRecord(
  book: NetsuiteBook,
  w: RecordWriter,
  type: string,
  rawId: string,
  expand: boolean,
): Record<string, unknown> {
  const tt = transactionType(type);
  if (tt) {
    const id = book.resolveTransactionId(tt, rawId);
    const t = id ? book.state.transactions[id] : undefined;
    if (!t) throw notFound();
    return w.transaction(t, expand);
  }
  const s = book.state;
  const byEid = <T extends { externalId: string | null }>(rows: Record<string, T>): T | undefined =>
    rawId.startsWith('eid:') ? Object.values(rows).find((r) => r.externalId === rawId.slice(4)) : rows[rawId];
  switch (type) {
    case 'customer': {
      const cu = byEid(s.customers);
      if (!cu) throw notFound();
      return {
        links: w.self('customer', cu.id),
        id: cu.id,
        entityId: cu.entityId,
        isPerson: cu.isPerson,
        ...(cu.companyName ? { companyName: cu.companyName } : { firstName: cu.firstName, lastName: cu.lastName }),
        email: cu.email,
        phone: cu.phone,
        ...(cu.externalId ? { externalId: cu.externalId } : {}),
        defaultAddress: cu.address,
        dateCreated: cu.createdDate,
        lastModifiedDate: cu.lastModifiedDate,
        subsidiary: w.ref('subsidiary', '1', 'Lakeside Goods Co.'),
      };
    }
    case 'location': {
      const l = s.locations[rawId];
      if (!l) throw notFound();
      return {
        links: w.self('location', l.id),
        id: l.id,
        name: l.name,
        isInactive: l.isInactive,
        useBins: l.useBins,
        mainAddress_text: l.address,
        locationType: {
          id: l.locationType === 'store' ? '1' : '2',
          refName: l.locationType === 'store' ? 'Store' : 'Warehouse',
        },
      };
    }
    case 'shipItem': {
      const m = s.shipMethods[rawId];
      if (!m) throw notFound();
      return {
        links: w.self('shipItem', m.id),
        id: m.id,
        itemId: m.itemId,
        displayName: m.displayName,
        isInactive: false,
      };
    }
    case 'inventoryNumber': {
      const n = s.inventoryNumbers[rawId];
      if (!n) throw notFound();
      return w.inventoryNumber(n, expand);
    }
    case 'bin': {
      const b = s.bins[rawId];
      if (!b) throw notFound();
      return { links: w.self('bin', b.id), id: b.id, binNumber: b.binNumber, location: w.locationRef(b.location) };
    }
    default: {
      const item = byEid(s.items);
      if (!item || item.itemType !== type) throw notFound();
      return w.item(item, expand);
    }
  }
}

/** The ids of a record collection (`GET …/{type}`). */
export function listIds(book: NetsuiteBook, type: string): string[] {
  const s = book.state;
  const tt = transactionType(type);
  if (tt)
    return Object.values(s.transactions)
      .filter((t) => t.type === tt)
      .map((t) => t.id);
  switch (type) {
    case 'customer':
      return Object.keys(s.customers);
    case 'location':
      return Object.keys(s.locations);
    case 'shipItem':
      return Object.keys(s.shipMethods);
    case 'inventoryNumber':
      return Object.keys(s.inventoryNumbers);
    case 'bin':
      return Object.keys(s.bins);
    default:
      return Object.values(s.items)
        .filter((i) => i.itemType === type)
        .map((i) => i.id);
  }
}
