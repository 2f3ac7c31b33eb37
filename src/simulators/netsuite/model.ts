/**
 * The NetSuite simulator's state: plain JSON objects (so exportState/importState and snapshots just work).
 * Internal ids are sequential integers per family, as NetSuite's are: transactions share one sequence,
 * items another, entities another.
 */

export type ServiceTier = 'shared' | 'standard' | 'tier1';

export interface NsConfig {
  /**
   * Concurrent requests per account before NetSuite answers 429 (CONCURRENCY_LIMIT_EXCEEDED); null = from the tier
   * and licences (`concurrencyLimitOf`).
   */
  concurrencyLimit: number | null;
  /** The account's service tier: its base concurrency (divergences.md F11). */
  serviceTier: ServiceTier;
  /** SuiteCloud Plus licences: +10 concurrent requests each. */
  suiteCloudPlusLicenses: number;
  /** Simulated processing time inside a concurrency slot (lets tests exercise the concurrency limit). */
  processingMs: number;
  /** How far an oauth_timestamp may be from the simulator's clock. */
  timestampToleranceSeconds: number;
  /** TBA tokens do not expire in NetSuite; set a lifetime here to make them (a test aid). null = never. */
  tokenLifetimeSeconds: number | null;
  /** Advanced Shipping on: fulfilment and billing are independent (§5). Off: a fulfilment also bills. */
  advancedShipping: boolean;
  /** Billing needs the matching custom form: invoice form → !transform/invoice, cash sale form → cashSale (§3). */
  enforceBillingForm: boolean;
  /** How SuiteQL shows date columns that are not wrapped in TO_CHAR (the user's date preference). */
  suiteqlDateFormat: 'M/D/YYYY' | 'ISO';
}

export const defaultConfig: NsConfig = {
  concurrencyLimit: null,
  serviceTier: 'standard',
  suiteCloudPlusLicenses: 1,
  processingMs: 0,
  timestampToleranceSeconds: 300,
  tokenLifetimeSeconds: null,
  advancedShipping: true,
  enforceBillingForm: true,
  suiteqlDateFormat: 'M/D/YYYY',
};

/**
 * Base concurrency per service tier [V: Oracle help section_1525253248 (standard + 1 licence = 15); Jitterbit's
 * "NetSuite concurrency governance" (shared + 1 licence = 15; Tier 1 + 5 licences = 65)]. Higher tiers are set with
 * an explicit `concurrencyLimit`.
 */
const tierBase: Record<ServiceTier, number> = { shared: 5, standard: 5, tier1: 15 };

/** The account's concurrency limit: an explicit one, or the tier's base + 10 per SuiteCloud Plus licence. */
export function concurrencyLimitOf(config: NsConfig): number {
  return config.concurrencyLimit ?? tierBase[config.serviceTier] + 10 * config.suiteCloudPlusLicenses;
}

/** A custom field defined in the account (Customization > Lists, Records & Fields). */
export interface NsCustomField {
  /** Lower case, e.g. `custbody_tl_xseries_sale_id`. */
  scriptId: string;
  label: string;
  /** `body` (custbody…, a transaction header field) or `column` (custcol…, a line field). */
  kind: 'body' | 'column';
  type: 'text' | 'integer' | 'checkbox' | 'date';
  appliesTo: Array<'salesOrder' | 'itemFulfillment' | 'invoice' | 'cashSale'>;
}

/** The field Tradeloop's set-up guide has the account create: where a sales order says which X-Series sale it is. */
export const tradeloopCustomFields: NsCustomField[] = [
  {
    scriptId: 'custbody_tl_xseries_sale_id',
    label: 'X-Series sale id',
    kind: 'body',
    type: 'text',
    appliesTo: ['salesOrder', 'itemFulfillment', 'invoice', 'cashSale'],
  },
];

export interface NsIntegration {
  name: string;
  consumerKey: string;
  consumerSecret: string;
}

export interface NsToken {
  tokenId: string;
  tokenSecret: string;
  consumerKey: string;
  createdAtMs: number;
  revoked: boolean;
}

export interface NsCustomer {
  id: string;
  entityId: string;
  companyName: string;
  firstName: string;
  lastName: string;
  isPerson: boolean;
  email: string;
  phone: string;
  externalId: string | null;
  address: string;
  createdDate: string;
  lastModifiedDate: string;
}

export interface NsLocation {
  id: string;
  name: string;
  /** Store outlets match Lightspeed outlets by name; the warehouse uses bins. */
  locationType: 'store' | 'warehouse';
  useBins: boolean;
  isInactive: boolean;
  address: string;
  lastModifiedDate: string;
}

export interface NsShipMethod {
  id: string;
  itemId: string;
  displayName: string;
  /** A ship item used for "Store Pickup" (the order is collected at the line's location). */
  isPickup: boolean;
}

export interface NsBin {
  id: string;
  binNumber: string;
  location: string;
}

export type NsItemType =
  'inventoryItem' | 'serializedInventoryItem' | 'lotNumberedInventoryItem' | 'kitItem' | 'nonInventorySaleItem';

export interface NsItem {
  id: string;
  itemType: NsItemType;
  /** The item name/number, which this account uses as the SKU. */
  itemId: string;
  displayName: string;
  upcCode: string | null;
  basePrice: number;
  cost: number;
  useBins: boolean;
  isInactive: boolean;
  externalId: string | null;
  vendorName: string;
  /** Kit members (kitItem only). */
  members: Array<{ item: string; quantity: number }>;
  /** Quantity on hand per location id. */
  onHand: Record<string, number>;
  /** Quantity per bin id (bin items that are not serial/lot numbered). */
  binOnHand: Record<string, number>;
  createdDate: string;
  lastModifiedDate: string;
}

/**
 * A serial or lot number's stock at one location (and, at a bin location, in one bin). Real NetSuite keeps one
 * inventoryNumber record per number with a `locations` sublist; each number here is at one location (seeded so).
 */
export interface NsInventoryNumber {
  id: string;
  inventoryNumber: string;
  item: string;
  location: string;
  bin: string | null;
  quantityOnHand: number;
  expirationDate: string | null;
}

export interface NsAssignment {
  inventoryNumber: string | null;
  bin: string | null;
  quantity: number;
}

export type FulfilmentChoice = 'ship' | 'storePickup';

export interface NsOrderLine {
  line: number;
  item: string;
  quantity: number;
  rate: number;
  amount: number;
  description: string;
  location: string | null;
  isClosed: boolean;
  quantityFulfilled: number;
  quantityBilled: number;
  itemFulfillmentChoice: FulfilmentChoice;
  custom: Record<string, unknown>;
}

interface NsTranBase {
  id: string;
  tranId: string;
  externalId: string | null;
  tranDate: string;
  entity: string;
  memo: string;
  location: string | null;
  custom: Record<string, unknown>;
  createdDate: string;
  lastModifiedDate: string;
}

export interface NsSalesOrder extends NsTranBase {
  type: 'salesOrder';
  /** The approval state the user set: A (pending approval), B (approved) or C (cancelled). */
  approval: 'A' | 'B' | 'C';
  otherRefNum: string;
  shipMethod: string | null;
  shipDate: string | null;
  shipAddress: string;
  customForm: string;
  lines: NsOrderLine[];
  nextLine: number;
  /** Ids of item fulfillments, invoices and cash sales created from it. */
  children: string[];
}

export interface NsFulfillmentLine {
  line: number;
  orderLine: number;
  item: string;
  quantity: number;
  location: string;
  /** For a kit component: the orderLine of its kit. */
  kitMemberOf: number | null;
  inventoryDetail: NsAssignment[] | null;
}

export interface NsItemFulfillment extends NsTranBase {
  type: 'itemFulfillment';
  createdFrom: string;
  /** A Picked, B Packed, C Shipped. */
  shipStatus: 'A' | 'B' | 'C';
  lines: NsFulfillmentLine[];
}

export interface NsBillLine {
  line: number;
  orderLine: number | null;
  item: string;
  quantity: number;
  rate: number;
  amount: number;
  location: string | null;
  inventoryDetail: NsAssignment[] | null;
  custom: Record<string, unknown>;
}

export interface NsBill extends NsTranBase {
  type: 'invoice' | 'cashSale';
  createdFrom: string | null;
  /** Invoice: A Open, B Paid In Full. Cash sale: A Unapproved Payment, B Not Deposited, C Deposited. */
  statusCode: 'A' | 'B' | 'C';
  otherRefNum: string;
  lines: NsBillLine[];
}

export type NsTransaction = NsSalesOrder | NsItemFulfillment | NsBill;

export interface NsState {
  version: 1;
  config: NsConfig;
  seq: { transaction: number; item: number; entity: number; location: number; inventoryNumber: number; bin: number };
  tranNumbers: Record<string, number>;
  integrations: NsIntegration[];
  tokens: NsToken[];
  customers: Record<string, NsCustomer>;
  locations: Record<string, NsLocation>;
  shipMethods: Record<string, NsShipMethod>;
  bins: Record<string, NsBin>;
  items: Record<string, NsItem>;
  inventoryNumbers: Record<string, NsInventoryNumber>;
  transactions: Record<string, NsTransaction>;
  /** By script id (lower case). */
  customFields: Record<string, NsCustomField>;
}

export function emptyState(config: NsConfig): NsState {
  return {
    version: 1,
    config: { ...config },
    seq: { transaction: 100, item: 500, entity: 200, location: 0, inventoryNumber: 0, bin: 0 },
    tranNumbers: {},
    integrations: [],
    tokens: [],
    customers: {},
    locations: {},
    shipMethods: {},
    bins: {},
    items: {},
    inventoryNumbers: {},
    transactions: {},
    customFields: {},
  };
}

/** Sales order status codes and names (reference/netsuite.md §3.1). */
export const salesOrderStatuses = {
  A: 'Pending Approval',
  B: 'Pending Fulfillment',
  C: 'Cancelled',
  D: 'Partially Fulfilled',
  E: 'Pending Billing/Partially Fulfilled',
  F: 'Pending Billing',
  G: 'Billed',
  H: 'Closed',
} as const;
export type SalesOrderStatus = keyof typeof salesOrderStatuses;
export const salesOrderStatusCodes = Object.keys(salesOrderStatuses) as SalesOrderStatus[];

/** Related codes [I, §3.1]. */
export const fulfillmentStatuses = { A: 'Picked', B: 'Packed', C: 'Shipped' } as const;
export const invoiceStatuses = { A: 'Open', B: 'Paid In Full' } as const;
export const cashSaleStatuses = { A: 'Unapproved Payment', B: 'Not Deposited', C: 'Deposited' } as const;

/**
 * The custom forms that decide what billing creates (§3). The ids are made up [I]; the names are NetSuite's.
 */
export const customForms: Record<string, { name: string; bills: 'invoice' | 'cashSale' }> = {
  '68': { name: 'Standard Sales Order - Invoice', bills: 'invoice' },
  '88': { name: 'Standard Sales Order - Cash Sale', bills: 'cashSale' },
};
export const invoiceFormId = '68';
export const cashSaleFormId = '88';

/** Where the account's single subsidiary and currency live (fixed). */
export const subsidiary = { id: '1', name: 'Lakeside Goods Co.' };
export const currency = { id: '1', name: 'USA', symbol: 'USD' };

/** The transaction `type` SuiteQL sees for each record type. */
export const suiteqlTypes: Record<NsTransaction['type'], string> = {
  salesOrder: 'SalesOrd',
  itemFulfillment: 'ItemShip',
  invoice: 'CustInvc',
  cashSale: 'CashSale',
};
