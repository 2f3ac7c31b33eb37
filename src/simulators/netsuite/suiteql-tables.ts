import type { NetsuiteBook } from './book.ts';
import {
  cashSaleStatuses,
  customForms,
  fulfillmentStatuses,
  invoiceStatuses,
  salesOrderStatuses,
  suiteqlTypes,
  type NsState,
  type NsTransaction,
} from './model.ts';
import { itemTypeCode } from './records.ts';
import { invalidQuery, type DateValue, type Scalar, type Value } from './suiteql-syntax.ts';

/**
 * The SuiteQL tables the simulator holds, built from its state on every query. Table and column names follow
 * NetSuite's Records Catalog as third-party queries use them ([2nd] where noted, else [I]):
 * - `transaction` (no `createdfrom`: NetSuite does not expose it there, divergences.md F7 [2nd]);
 * - `transactionline` (`transaction`, `mainline`, `createdfrom`, …) [2nd: practitioner queries
 *   `JOIN transactionline tl ON tl.transaction = t.id WHERE tl.createdfrom = … AND tl.mainline = 'T'`];
 * - `inventorynumber` + `inventorynumberlocation` (the REST `locations` sublist as a table) [2nd: practitioner
 *   queries `inventorynumber n JOIN inventorynumberlocation l ON l.inventorynumber = n.id`, with quantityonhand and
 *   quantityavailable];
 * - `inventorybalance` (item, location, binnumber, inventorynumber, quantities) [2nd: practitioner queries];
 * - `bin`, `item`, `customer`, `location` [I for `bin`].
 * Quantities are numbers here; a connector must read them as strings too (whether REST sends numbers is [I]).
 */

export type Row = Record<string, Value>;

export interface Table {
  /** Every column the table has, whether or not a row has a value in it. */
  columns: ReadonlySet<string>;
  rows: Row[];
  /** Display values for BUILTIN.DF. */
  display(row: Row, column: string): Value;
}

const dateMs = (iso: string): DateValue => ({ t: Date.parse(iso) });
const dayMs = (day: string): DateValue => ({ t: Date.parse(`${day}T00:00:00Z`), dateOnly: true });
const tf = (b: boolean): string => (b ? 'T' : 'F');
const str = (v: Value): string | undefined => (typeof v === 'string' ? v : undefined);

const typeNames: Record<string, string> = {
  SalesOrd: 'Sales Order',
  ItemShip: 'Item Fulfillment',
  CustInvc: 'Invoice',
  CashSale: 'Cash Sale',
};

const transactionColumns = [
  'id',
  'tranid',
  'type',
  'recordtype',
  'status',
  'lastmodifieddate',
  'createddate',
  'trandate',
  'externalid',
  'entity',
  'memo',
  'otherrefnum',
  'shipmethod',
  'shipdate',
  'location',
  'foreigntotal',
  'customform',
];

export function tableFor(name: string, book: NetsuiteBook): Table {
  switch (name) {
    case 'transaction':
      return transactionTable(book);
    case 'transactionline':
      return transactionLineTable(book.state);
    case 'item':
      return itemTable(book.state);
    case 'customer':
      return customerTable(book.state);
    case 'location':
      return locationTable(book.state);
    case 'inventorynumber':
    case 'inventorynumberlocation':
    case 'inventorybalance':
    case 'bin':
      return inventoryTable(name, book.state);
    default:
      throw invalidQuery(`Invalid or unsupported search type: ${name}.`);
  }
}

function customerName(s: NsState, id: Value): Value {
  const c = typeof id === 'string' ? s.customers[id] : undefined;
  return c ? `${c.entityId} ${c.isPerson ? `${c.firstName} ${c.lastName}` : c.companyName}` : null;
}

/** Shared display values: references shown as their names (BUILTIN.DF). */
function displayRef(s: NsState, column: string, v: Value): Value | undefined {
  const id = str(v);
  if (id === undefined) return undefined;
  switch (column) {
    case 'entity':
      return customerName(s, id);
    case 'location':
      return s.locations[id]?.name ?? null;
    case 'item':
      return s.items[id]?.itemId ?? s.shipMethods[id]?.itemId ?? null;
    case 'shipmethod':
      return s.shipMethods[id]?.itemId ?? null;
    case 'createdfrom':
    case 'transaction':
      return s.transactions[id]?.tranId ?? null;
    case 'customform':
      return customForms[id]?.name ?? null;
    case 'binnumber':
      return s.bins[id]?.binNumber ?? null;
    case 'inventorynumber':
      return s.inventoryNumbers[id]?.inventoryNumber ?? null;
    default:
      return undefined;
  }
}

function plainTable(s: NsState, columns: string[], rows: Row[]): Table {
  return {
    columns: new Set(columns),
    rows,
    display: (row, column) => displayRef(s, column, row[column] ?? null) ?? row[column] ?? null,
  };
}

function customValue(v: unknown): Scalar {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'boolean') return tf(v);
  return v as Scalar;
}

function transactionTable(book: NetsuiteBook): Table {
  const s = book.state;
  const custom = Object.values(s.customFields)
    .filter((f) => f.kind === 'body')
    .map((f) => f.scriptId);
  const statusOf = (t: NsTransaction): string =>
    t.type === 'salesOrder' ? book.statusOf(t) : t.type === 'itemFulfillment' ? t.shipStatus : t.statusCode;
  const rows = Object.values(s.transactions).map((t): Row => {
    const status = statusOf(t);
    const total = t.type === 'itemFulfillment' ? null : t.lines.reduce((sum, l) => sum + l.amount, 0);
    return {
      ...Object.fromEntries(Object.entries(t.custom).map(([k, v]) => [k, customValue(v)])),
      id: t.id,
      tranid: t.tranId,
      type: suiteqlTypes[t.type],
      recordtype: t.type.toLowerCase(),
      status,
      lastmodifieddate: dateMs(t.lastModifiedDate),
      createddate: dateMs(t.createdDate),
      trandate: dayMs(t.tranDate),
      externalid: t.externalId,
      entity: t.entity,
      memo: t.memo || null,
      otherrefnum: t.type === 'itemFulfillment' ? null : t.otherRefNum || null,
      shipmethod: t.type === 'salesOrder' ? t.shipMethod : null,
      shipdate: t.type === 'salesOrder' && t.shipDate ? dayMs(t.shipDate) : null,
      location: t.location,
      foreigntotal: total === null ? null : Math.round(total * 100) / 100,
      customform: t.type === 'salesOrder' ? t.customForm : null,
      __statusfull: `${suiteqlTypes[t.type]}:${status}`,
    };
  });
  const statusNames: Record<string, Record<string, string>> = {
    SalesOrd: salesOrderStatuses,
    ItemShip: fulfillmentStatuses,
    CustInvc: invoiceStatuses,
    CashSale: cashSaleStatuses,
  };
  return {
    columns: new Set([...transactionColumns, ...custom]),
    rows,
    display(row, column) {
      if (column === 'status') {
        const code = String(row.status);
        const type = String(row.type);
        return `${typeNames[type] ?? type} : ${statusNames[type]?.[code] ?? code}`;
      }
      if (column === 'type') return typeNames[String(row.type)] ?? row.type ?? null;
      return displayRef(s, column, row[column] ?? null) ?? row[column] ?? null;
    },
  };
}

/** One main line per transaction (`mainline = 'T'`), then its item lines; both carry `createdfrom`. [I] values. */
function transactionLineTable(s: NsState): Table {
  const rows: Row[] = [];
  for (const t of Object.values(s.transactions)) {
    const createdFrom = t.type === 'salesOrder' ? null : t.createdFrom;
    const base = { transaction: t.id, createdfrom: createdFrom, taxline: 'F' };
    rows.push({ ...base, id: '0', linesequencenumber: 0, mainline: 'T', location: t.location, item: null });
    for (const l of t.lines) {
      rows.push({
        ...base,
        id: String(l.line),
        linesequencenumber: l.line,
        mainline: 'F',
        item: l.item,
        quantity: l.quantity,
        location: l.location,
        isclosed: t.type === 'salesOrder' ? tf((l as { isClosed: boolean }).isClosed) : 'F',
      });
    }
  }
  return plainTable(
    s,
    [
      'id',
      'transaction',
      'linesequencenumber',
      'mainline',
      'taxline',
      'item',
      'quantity',
      'location',
      'createdfrom',
      'isclosed',
    ],
    rows,
  );
}

function itemTable(s: NsState): Table {
  const rows = [
    ...Object.values(s.items).map((i): Row => ({
      id: i.id,
      itemid: i.itemId,
      displayname: i.displayName,
      upccode: i.upcCode,
      itemtype: itemTypeCode(i),
      isserialitem: tf(i.itemType === 'serializedInventoryItem'),
      islotitem: tf(i.itemType === 'lotNumberedInventoryItem'),
      usebins: tf(i.useBins),
      isinactive: tf(i.isInactive),
      externalid: i.externalId,
      vendorname: i.vendorName || null,
      createddate: dateMs(i.createdDate),
      lastmodifieddate: dateMs(i.lastModifiedDate),
    })),
    // Ship methods are items of type ShipItem [I].
    ...Object.values(s.shipMethods).map((m): Row => ({
      id: m.id,
      itemid: m.itemId,
      displayname: m.displayName,
      itemtype: 'ShipItem',
      isinactive: 'F',
      isserialitem: 'F',
      islotitem: 'F',
      usebins: 'F',
    })),
  ];
  return plainTable(
    s,
    [
      'id',
      'itemid',
      'displayname',
      'upccode',
      'itemtype',
      'isserialitem',
      'islotitem',
      'usebins',
      'isinactive',
      'externalid',
      'vendorname',
      'createddate',
      'lastmodifieddate',
    ],
    rows,
  );
}

function customerTable(s: NsState): Table {
  const rows = Object.values(s.customers).map((c): Row => ({
    id: c.id,
    entityid: c.entityId,
    companyname: c.companyName || null,
    firstname: c.firstName || null,
    lastname: c.lastName || null,
    isperson: tf(c.isPerson),
    email: c.email || null,
    phone: c.phone || null,
    externalid: c.externalId,
    datecreated: dateMs(c.createdDate),
    lastmodifieddate: dateMs(c.lastModifiedDate),
  }));
  return plainTable(
    s,
    [
      'id',
      'entityid',
      'companyname',
      'firstname',
      'lastname',
      'isperson',
      'email',
      'phone',
      'externalid',
      'datecreated',
      'lastmodifieddate',
    ],
    rows,
  );
}

function locationTable(s: NsState): Table {
  const rows = Object.values(s.locations).map((l): Row => ({
    id: l.id,
    name: l.name,
    isinactive: tf(l.isInactive),
    usebins: tf(l.useBins),
    lastmodifieddate: dateMs(l.lastModifiedDate),
  }));
  return plainTable(s, ['id', 'name', 'isinactive', 'usebins', 'lastmodifieddate'], rows);
}

/** Serial/lot numbers, their stock per location, stock per bin, and bins. */
function inventoryTable(name: string, s: NsState): Table {
  const numbers = Object.values(s.inventoryNumbers);
  switch (name) {
    case 'inventorynumber':
      return plainTable(
        s,
        ['id', 'inventorynumber', 'item', 'expirationdate'],
        numbers.map((n) => ({
          id: n.id,
          inventorynumber: n.inventoryNumber,
          item: n.item,
          expirationdate: n.expirationDate ? dayMs(n.expirationDate) : null,
        })),
      );
    case 'inventorynumberlocation':
      return plainTable(
        s,
        ['inventorynumber', 'location', 'quantityonhand', 'quantityavailable', 'quantityonorder', 'quantityintransit'],
        numbers.map((n) => ({
          inventorynumber: n.id,
          location: n.location,
          quantityonhand: n.quantityOnHand,
          quantityavailable: n.quantityOnHand,
          quantityonorder: 0,
          quantityintransit: 0,
        })),
      );
    case 'inventorybalance': {
      const rows: Row[] = numbers.map((n) => ({
        item: n.item,
        location: n.location,
        binnumber: n.bin,
        inventorynumber: n.id,
        quantityonhand: n.quantityOnHand,
        quantityavailable: n.quantityOnHand,
      }));
      for (const item of Object.values(s.items)) {
        for (const [bin, q] of Object.entries(item.binOnHand)) {
          const location = s.bins[bin]?.location ?? null;
          rows.push({ item: item.id, location, binnumber: bin, quantityonhand: q, quantityavailable: q });
        }
      }
      return plainTable(
        s,
        ['item', 'location', 'binnumber', 'inventorynumber', 'quantityonhand', 'quantityavailable'],
        rows,
      );
    }
    default:
      return plainTable(
        s,
        ['id', 'binnumber', 'location', 'isinactive'],
        Object.values(s.bins).map((b) => ({ id: b.id, binnumber: b.binNumber, location: b.location, isinactive: 'F' })),
      );
  }
}
