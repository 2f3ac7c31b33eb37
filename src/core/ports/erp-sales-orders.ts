/**
 * The port an ERP (NetSuite) implements for the sales sync. It is shaped by the two directions and the completion:
 *
 *   ERP → POS:  changed orders → a sales order → (the POS sale is made) → link the sale on the order
 *   POS → ERP:  locations, items by SKU, numbered kits, the customer → create a cash sale or a sales order
 *   complete:   fulfil the sales order (serial/lot/bin detail chosen by the connector) → bill it
 *
 * Every record the sync creates carries an external id (a correlation key) the ERP enforces as unique, so a create
 * whose reply was lost is found again with `findByExternalId`. A create refused because a record with its external
 * id already exists resolves with that record's id: the key did its job, nothing is created twice. How the ERP's
 * records are shaped (forms, references by internal id, inventory detail, custom fields) stays in the connector.
 *
 * Errors are thrown as the Remote* classes (see pos.ts): RemoteUnavailable means a write's outcome is unknown (look
 * its external id up before trying again); RemoteRateLimited defers; RemoteAuthLost needs a re-link.
 */
import type { DoctorCheck } from './doctor.ts';

/** A reference to another record: its internal id and, when the ERP says, its name. */
export interface ErpRef {
  id: string;
  name: string | null;
}

export interface SalesOrderLine {
  line: number;
  itemId: string;
  /** The item's name/number: the SKU the POS sells it under. */
  sku: string | null;
  itemType: string | null;
  quantity: number;
  rate: number;
  amount: number;
  location: ErpRef | null;
  isClosed: boolean;
  quantityFulfilled: number;
  quantityBilled: number;
  storePickup: boolean;
}

export interface SalesOrder {
  id: string;
  tranId: string;
  /** The status letter (A–H). */
  statusCode: string;
  /** The status as the ERP shows it to people (`Pending Fulfillment`); null when absent. */
  statusName: string | null;
  externalId: string | null;
  entity: ErpRef | null;
  location: ErpRef | null;
  shipMethod: ErpRef | null;
  customForm: ErpRef | null;
  memo: string | null;
  otherRefNum: string | null;
  total: number;
  tranDate: string | null;
  lastModified: string | null;
  /** Custom body fields, by lower-case script id (the rules may test them). */
  custom: Record<string, unknown>;
  lines: SalesOrderLine[];
}

export interface ChangedSalesOrder {
  id: string;
  tranId: string;
  /** When it last changed, as a cursor: cursors compare as strings in time order. */
  modified: string;
}

export interface ErpItem {
  id: string;
  sku: string;
}

export interface ErpLocation {
  id: string;
  name: string;
}

/** The records the sync creates or looks for. */
export type ErpRecordType = 'salesOrder' | 'cashSale' | 'itemFulfillment' | 'invoice';

/** What billing a sales order makes. */
export type ErpBillType = 'invoice' | 'cashSale';

/** A fulfilment or a bill made from a sales order (by the sync or by a person in the ERP). */
export interface ErpChildRecord {
  id: string;
  type: 'itemFulfillment' | ErpBillType;
  externalId: string | null;
}

export interface ErpSaleLine {
  itemId: string;
  quantity: number;
  rate: number;
  /** Serial or lot numbers the POS noted on the line, used first when they are on hand. */
  preferredNumbers: string[];
}

/** What a POS sale becomes in the ERP: the fields a cash sale and a sales order share. */
export interface ErpSaleRecord {
  /** The correlation key. */
  externalId: string;
  customerId: string;
  locationId: string;
  /** `YYYY-MM-DD`. */
  date: string;
  memo: string;
  otherRefNum: string | null;
  /** The POS sale's id, carried on the record where the account has a field for it. */
  posSaleId: string;
  lines: ErpSaleLine[];
}

export interface NewSalesOrder extends ErpSaleRecord {
  /** What billing it makes later (its form). */
  billing: ErpBillType;
  /** The ship method by name; left out when the account has none of that name. */
  shipMethod: string | null;
  storePickup: boolean;
}

export interface ErpSalesOrders {
  /** A cursor for a moment (epoch ms), to ask for the orders changed since then. */
  cursorAt(ms: number): string;
  /** Sales orders changed at or after `since` (inclusive), oldest first. */
  changedSalesOrders(since: string, maxRows?: number): Promise<ChangedSalesOrder[]>;
  salesOrder(id: string): Promise<SalesOrder | undefined>;
  /** Fulfilments and bills made from a sales order. */
  recordsMadeFrom(orderId: string): Promise<ErpChildRecord[]>;
  findByExternalId(type: ErpRecordType, externalId: string): Promise<{ id: string; tranId: string | null } | undefined>;
  locationByName(name: string): Promise<ErpLocation | undefined>;
  /** Active items by SKU (case-insensitive); a SKU with none is absent from the map. */
  itemsBySku(skus: string[]): Promise<Map<string, ErpItem>>;
  /** The SKUs among `skus` that are kits with a serial, lot or bin component. */
  numberedKits(skus: string[]): Promise<string[]>;
  /** The customer POS sales are recorded against when none is configured. */
  firstCustomerId(): Promise<string | undefined>;
  /**
   * Writes the POS sale's id on the order. `linked: false` when the account has no field for it: the sale is made
   * and recorded by us; only the link in the ERP is left out (the doctor says so).
   */
  linkSale(orderId: string, posSaleId: string): Promise<{ linked: boolean }>;
  /** Creates a cash sale (the goods left with the customer); resolves with its id. */
  createCashSale(record: ErpSaleRecord): Promise<string>;
  createSalesOrder(order: NewSalesOrder): Promise<string>;
  /** Fulfils every open line of `order` (as just read), choosing serial/lot/bin stock; resolves with its id. */
  fulfil(order: SalesOrder, request: { externalId: string; memo: string; preferredNumbers: string[] }): Promise<string>;
  /** Bills every fulfilled, unbilled quantity; resolves with the bill's id. */
  bill(orderId: string, as: ErpBillType, request: { externalId: string; memo: string }): Promise<string>;
  doctor?(): Promise<DoctorCheck[]>;
}
