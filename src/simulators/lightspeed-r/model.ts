/**
 * The R-Series simulator's state: plain JSON-serialisable records (typed values; the API layer turns every
 * scalar into a string) plus in-memory indexes that are rebuilt on import.
 */

export type Scalar = string | number | boolean | null;

export interface PriceRec {
  amount: number;
  useTypeID: number;
  useType: string;
}

export interface ItemAttributesRec {
  attribute1: string;
  attribute2: string;
  attribute3: string;
  itemAttributeSetID: number;
}

export interface ItemVendorNumRec {
  itemVendorNumID: number;
  value: string;
  vendorID: number;
  cost: number;
  timeStamp: string;
}

export interface ItemRec {
  itemID: number;
  systemSku: string;
  defaultCost: number;
  avgCost: number;
  discountable: boolean;
  tax: boolean;
  archived: boolean;
  itemType: string;
  serialized: boolean;
  description: string;
  modelYear: number;
  upc: string;
  ean: string;
  customSku: string;
  manufacturerSku: string;
  createTime: string;
  timeStamp: string;
  publishToEcom: boolean;
  categoryID: number;
  taxClassID: number;
  departmentID: number;
  itemMatrixID: number;
  manufacturerID: number;
  seasonID: number;
  defaultVendorID: number;
  /** Relations kept on the record (not scalars; serialised by the API layer). */
  Prices: PriceRec[];
  ItemAttributes: ItemAttributesRec | null;
  ItemVendorNums: ItemVendorNumRec[];
}

export interface ItemMatrixRec {
  itemMatrixID: number;
  description: string;
  tax: boolean;
  defaultCost: number;
  itemType: string;
  serialized: boolean;
  modelYear: number;
  archived: boolean;
  timeStamp: string;
  itemAttributeSetID: number;
  manufacturerID: number;
  categoryID: number;
  defaultVendorID: number;
  taxClassID: number;
  seasonID: number;
  departmentID: number;
  Prices: PriceRec[];
  attribute1Values: string[];
  attribute2Values: string[];
  attribute3Values: string[];
}

export interface ItemAttributeSetRec {
  itemAttributeSetID: number;
  name: string;
  attributeName1: string;
  attributeName2: string;
  attributeName3: string;
  system: boolean;
  archived: boolean;
}

export interface ItemShopRec {
  itemShopID: number;
  qoh: number;
  sellable: number;
  backorder: number;
  componentQoh: number;
  componentBackorder: number;
  reorderPoint: number;
  reorderLevel: number;
  timeStamp: string;
  itemID: number;
  shopID: number;
}

export interface VendorRec {
  vendorID: number;
  name: string;
  archived: boolean;
  accountNumber: string;
  priceLevel: string;
  updatePrice: boolean;
  updateCost: boolean;
  updateDescription: boolean;
  shareSellThrough: boolean;
  timeStamp: string;
  b2bSellerUID: string;
}

export interface ShopRec {
  shopID: number;
  name: string;
  serviceRate: number;
  timeZone: string;
  taxLabor: boolean;
  labelTitle: string;
  labelMsrp: boolean;
  archived: boolean;
  timeStamp: string;
  companyRegistrationNumber: string;
  vatNumber: string;
  zebraBrowserPrint: boolean;
  contactID: number;
  taxCategoryID: number;
  receiptSetupID: number;
  ccGatewayID: number;
  gatewayConfigID: number;
  priceLevelID: number;
}

export interface ManufacturerRec {
  manufacturerID: number;
  name: string;
  createTime: string;
  timeStamp: string;
}

export interface CategoryRec {
  categoryID: number;
  name: string;
  nodeDepth: number;
  fullPathName: string;
  leftNode: number;
  rightNode: number;
  createTime: string;
  timeStamp: string;
  parentID: number;
}

export interface OrderRec {
  orderID: number;
  orderedDate: string | null;
  receivedDate: string | null;
  arrivalDate: string | null;
  refNum: string;
  shipInstructions: string;
  stockInstructions: string;
  shipCost: number;
  shipVendorCost: number;
  otherCost: number;
  otherVendorCost: number;
  complete: boolean;
  archived: boolean;
  discount: number;
  totalDiscount: number;
  totalQuantity: number;
  vendorID: number;
  noteID: number;
  shopID: number;
  createdByEmployeeID: number;
  createTime: string;
  timeStamp: string;
  vendorCurrencyRate: number;
  vendorCurrencyCode: string;
  shippingCostMethod: string;
  hasShipments: boolean;
  discountMethod: string;
  b2bOrderUID: string;
  b2bOrderNumber: string;
  /** The Note relation's text (null when the order has no note). */
  note: string | null;
}

export interface OrderLineRec {
  orderLineID: number;
  quantity: number;
  price: number;
  originalPrice: number;
  vendorCost: number;
  checkedIn: number;
  numReceived: number;
  timeStamp: string;
  total: number;
  createTime: string;
  orderID: number;
  itemID: number;
}

/**
 * A receipt: what one check-in added to inventory (OrderShipment, reference §3.3; read-only in the API). Money is
 * per unit before shipping and discounts (`cost`, `vendorCost`) and landed totals (`totalCost`, `totalVendorCost`).
 */
export interface OrderShipmentRec {
  orderShipmentID: number;
  orderID: number;
  sequenceNumber: number;
  totalQtyReceived: number;
  totalVendorCost: number;
  totalCost: number;
  currencyCode: string;
  vendorCurrencyCode: string;
  vendorCurrencyRate: number;
  createTime: string;
  shipmentPackingRefNum: string;
  timeStamp: string;
  employeeID: number;
  receptionDate: string;
  shippingCostMethod: string;
  shippingVendorCost: number;
  shippingCost: number;
  discountMethod: string;
  discountMoneyVendorValue: number;
  discountMoneyValue: number;
  discountPercentValue: number;
  cost: number;
  vendorCost: number;
  status: 'received' | 'finished';
}

/** One item of a receipt (OrderShipmentItem). */
export interface OrderShipmentItemRec {
  orderShipmentItemID: number;
  orderShipmentID: number;
  qtyReceived: number;
  vendorCost: number;
  cost: number;
  totalVendorCost: number;
  totalCost: number;
  shippingCost: number;
  shippingVendorCost: number;
  currencyCode: string;
  vendorCurrencyCode: string;
  vendorCurrencyRate: number;
  createTime: string;
  timeStamp: string;
  employeeID: number;
  itemID: number;
  itemVendorID: string;
  itemDescription: string;
}

export interface TokenRec {
  clientId: string;
  accountID: string;
  scope: string;
  issuedMs: number;
  expiresMs: number;
  revoked: boolean;
  /** The refresh token this access token came from (rotation: that one is revoked on this token's first use). */
  fromRefresh: string | null;
  used: boolean;
}

export interface RefreshRec {
  clientId: string;
  accountID: string;
  scope: string;
  issuedMs: number;
  lastUsedMs: number;
  revoked: boolean;
  /** The access token issued together with this refresh token (revoke kills both). */
  accessToken: string;
}

export interface CodeRec {
  clientId: string;
  accountID: string;
  scope: string;
  redirectUri: string;
  expiresMs: number;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  used: boolean;
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** When set, the authorize request's redirect_uri (if any) must equal it; it is also the default. */
  redirectUri: string | null;
  name: string;
}

export interface Tables {
  Item: Map<number, ItemRec>;
  ItemMatrix: Map<number, ItemMatrixRec>;
  ItemAttributeSet: Map<number, ItemAttributeSetRec>;
  ItemShop: Map<number, ItemShopRec>;
  Vendor: Map<number, VendorRec>;
  Shop: Map<number, ShopRec>;
  Manufacturer: Map<number, ManufacturerRec>;
  Category: Map<number, CategoryRec>;
  Order: Map<number, OrderRec>;
  OrderLine: Map<number, OrderLineRec>;
  OrderShipment: Map<number, OrderShipmentRec>;
  OrderShipmentItem: Map<number, OrderShipmentItemRec>;
}
export type ResourceName = keyof Tables;
export const resourceNames: ResourceName[] = [
  'Item',
  'ItemMatrix',
  'ItemAttributeSet',
  'ItemShop',
  'Vendor',
  'Shop',
  'Manufacturer',
  'Category',
  'Order',
  'OrderLine',
  'OrderShipment',
  'OrderShipmentItem',
];

/** The exported (snapshot) shape. */
export interface ExportedState {
  system: 'lightspeed-r';
  version: 1;
  account: { accountID: string; name: string };
  sequences: Record<string, number>;
  tables: { [K in ResourceName]: Array<Tables[K] extends Map<number, infer R> ? R : never> };
  codes: Record<string, CodeRec>;
  accessTokens: Record<string, TokenRec>;
  refreshTokens: Record<string, RefreshRec>;
}

/** `2021-03-03T13:51:56+00:00`, the API's date format. */
export function lsTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');
}

export const systemAttributeSets: ItemAttributeSetRec[] = [
  {
    itemAttributeSetID: 1,
    name: 'Color/Size',
    attributeName1: 'Color',
    attributeName2: 'Size',
    attributeName3: '',
    system: true,
    archived: false,
  },
  {
    itemAttributeSetID: 2,
    name: 'Size',
    attributeName1: '',
    attributeName2: 'Size',
    attributeName3: '',
    system: true,
    archived: false,
  },
  {
    itemAttributeSetID: 3,
    name: 'Color',
    attributeName1: 'Color',
    attributeName2: '',
    attributeName3: '',
    system: true,
    archived: false,
  },
  {
    itemAttributeSetID: 4,
    name: '3 Attributes',
    attributeName1: 'Attribute 1',
    attributeName2: 'Attribute 2',
    attributeName3: 'Attribute 3',
    system: true,
    archived: false,
  },
];

export const priceLevels = [
  { priceLevelID: 1, name: 'Default', archived: false, canBeArchived: false, type: 'default' },
  { priceLevelID: 2, name: 'MSRP', archived: false, canBeArchived: true, type: 'msrp' },
  { priceLevelID: 3, name: 'Online', archived: false, canBeArchived: true, type: 'online' },
];
