/**
 * NetSuite's shapes in the notation of support/shapes.ts. No NetSuite traffic was recorded (recorded-shapes/
 * README.md); these are written from the evidence listed in recorded-shapes/divergences.md (NetSuite section):
 *
 * - [dump] one real REST record, `GET /services/rest/record/v1/purchaseorder/{id}?expandSubResources=true`
 *   (`seunsodimu/laguna_partner` `debug_vendor_access.php` @ `c07e5f45`, created 2025-12-19): references
 *   `{id, links[], refName}` (links may be `[]`), `status` display text in id and refName, the code letter in
 *   `orderStatus`, `approvalStatus` `{"id":"2","refName":"Approved"}`, `tranDate`/`shipDate` `YYYY-MM-DD`,
 *   `createdDate`/`lastModifiedDate` `YYYY-MM-DDTHH:MM:SSZ`, sublists `{items[], links[], totalResults}`,
 *   multi-selects `{count, hasMore, items[], links[], offset, totalResults}`, a line's `itemType`
 *   `{"id":"InvtPart","refName":"InvtPart"}` and `inventoryDetail` `{links[], inventoryAssignment{items[], links[],
 *   totalResults}}`. Applied to salesOrder [I]: the dump is a purchaseOrder.
 * - [soap] the inventoryNumber record's fields (`netsuitephp/netsuite-php` `InventoryNumber.php`,
 *   `InventoryNumberLocations.php`); the REST sublist name `locations` is [I].
 * - [docs] Oracle's "Error Handling in REST Web Services" (section_156570709583): the error body and its optional
 *   `o:errorPath` / `o:errorQueryParam` / `o:errorHeader`; "Format of Selects and References"
 *   (section_1545142037); the JSON Schema metadata (section_1545129726) with `x-ns-custom-field`.
 * - [2nd] third-party material: the SuiteQL unknown-identifier 400 quoted as a live reply; the REST 429 body
 *   (`"title":"Bad Request"`, CONCURRENCY_LIMIT_EXCEEDED, no Retry-After); SuiteQL's `T`/`F` booleans.
 * - [I] where nothing shows it: which SuiteQL values are strings or numbers (both are allowed), the salesOrder
 *   fields beyond the dump (reference/netsuite.md §3), the SuiteQL envelope (the record collection's).
 */
import type { Shape } from './shapes.ts';

const link: Shape = { rel: 'string', href: 'string:url' };
/** [dump] `links` may be `[]`: the generator's "every array empty" variant sends that. */
const links: Shape = [link];
/** [dump] a reference to a record. */
export const reference: Shape = { id: 'string:int', links, refName: 'string' };
/** [dump] a select value with no record of its own (status, orderStatus, itemType). */
const code = (values: string): Shape => ({ id: `string:enum(${values})`, refName: `string:enum(${values})` });
/** [dump] a sublist read with `?expandSubResources=true`. */
const sublist = (item: Shape): Shape => ({ items: [item], links, totalResults: 'number:int' });
/** [dump] a multi-select field. */
const multiSelect: Shape = {
  count: 'number:int',
  hasMore: 'boolean',
  items: [reference],
  links,
  offset: 'number:int',
  totalResults: 'number:int',
};

export const statusLetters = 'A|B|C|D|E|F|G|H';
export const statusNames: Record<string, string> = {
  A: 'Pending Approval',
  B: 'Pending Fulfillment',
  C: 'Cancelled',
  D: 'Partially Fulfilled',
  E: 'Pending Billing/Partially Fulfilled',
  F: 'Pending Billing',
  G: 'Billed',
  H: 'Closed',
};

/** [dump] a line's inventory detail. */
const inventoryDetail: Shape = {
  links,
  inventoryAssignment: sublist({
    'issueInventoryNumber?': reference,
    'binNumber?': reference,
    quantity: 'number:int | number:decimal',
  }),
};

/** A sales order line; fields beyond the dump's from reference §3 [I]. */
const salesOrderLine: Shape = {
  links,
  line: 'number:int',
  item: reference,
  itemType: code('InvtPart|Kit|NonInvtPart'),
  quantity: 'number:int | number:decimal',
  'rate?': 'number:decimal',
  'amount?': 'number:decimal',
  'description?': 'string',
  'location?': reference,
  'isClosed?': 'boolean',
  'quantityFulfilled?': 'number:int',
  'quantityBilled?': 'number:int',
  /** Store Pickup accounts only [I]. */
  'itemFulfillmentChoice?': { id: 'string:enum(ship|storePickup)', refName: 'string' },
  'inventoryDetail?': inventoryDetail,
};

/** `GET …/salesOrder/{id}?expandSubResources=true`. */
export const salesOrderShape: Shape = {
  links,
  id: 'string:int',
  tranId: 'string',
  tranDate: 'string:date',
  createdDate: 'string:iso8601Z',
  lastModifiedDate: 'string:iso8601Z',
  entity: reference,
  /** [dump] display text in both. */
  status: { id: 'string', refName: 'string' },
  /** [dump] the code letter. */
  orderStatus: code(statusLetters),
  'approvalStatus?': { id: 'string:int', refName: 'string' },
  'externalId?': 'string',
  'customForm?': reference,
  'currency?': reference,
  'subsidiary?': reference,
  'location?': reference,
  'shipMethod?': reference,
  'shipDate?': 'string:date',
  'shipAddress?': 'string',
  'memo?': 'string',
  'otherRefNum?': 'string',
  'subtotal?': 'number:decimal',
  'total?': 'number:decimal',
  /** Tradeloop's custom field, where the account defines it. */
  'custbody_tl_xseries_sale_id?': 'string',
  /** [dump] a multi-select custom field, as an account may have. */
  'custbody_tags?': multiSelect,
  item: sublist(salesOrderLine),
};

/** `GET …/kitItem/{id}?expandSubResources=true`: what the connector reads (its members). */
export const kitItemShape: Shape = {
  links,
  id: 'string:int',
  itemId: 'string',
  member: sublist({ item: reference, quantity: 'number:int' }),
};

/** [soap] `GET …/inventoryNumber/{id}?expandSubResources=true`: no top-level location, bin or quantity. */
export const inventoryNumberShape: Shape = {
  links,
  id: 'string:int',
  inventoryNumber: 'string',
  item: reference,
  'expirationDate?': 'string:date',
  'memo?': 'string',
  locations: sublist({
    location: reference,
    quantityOnHand: 'number:int | number:decimal',
    quantityAvailable: 'number:int | number:decimal',
    quantityOnOrder: 'number:int | number:decimal',
    quantityInTransit: 'number:int | number:decimal',
  }),
};

/** SuiteQL's page [I: the record collection's paging envelope]. */
export const suiteqlPage = (row: Shape): Shape => ({
  links,
  count: 'number:int',
  hasMore: 'boolean',
  items: [row],
  offset: 'number:int',
  totalResults: 'number:int',
});

/** [2nd] SuiteQL booleans are `T`/`F`. [I] numbers may come as numbers or strings. */
const tf = 'string:enum(T|F)';
const quantity = 'number:int | number:decimal | string:int | string:decimal';

/** One row shape per query the connector sends (SuiteQL leaves null columns out). */
export const suiteqlRows: Record<string, Shape> = {
  changedOrders: { links: [], id: 'string:int', tranid: 'string', modified: 'string' },
  locations: { links: [], id: 'string:int', name: 'string', usebins: tf, isinactive: tf },
  items: {
    links: [],
    id: 'string:int',
    itemid: 'string',
    itemtype: 'string:enum(InvtPart|Kit|NonInvtPart)',
    isserialitem: tf,
    islotitem: tf,
    usebins: tf,
    'isinactive?': tf,
  },
  inventoryNumbers: {
    links: [],
    id: 'string:int',
    inventorynumber: 'string',
    item: 'string:int',
    location: 'string:int',
    quantityavailable: quantity,
  },
  binBalances: {
    links: [],
    item: 'string:int',
    binnumber: 'string:int',
    'inventorynumber?': 'string:int',
    quantityavailable: quantity,
  },
  children: { links: [], id: 'string:int', type: 'string:enum(ItemShip|CustInvc|CashSale)', 'externalid?': 'string' },
  named: { links: [], id: 'string:int', name: 'string' },
  ids: { links: [], id: 'string:int' },
};

/** [docs] `GET …/metadata-catalog/{type}` with `Accept: application/schema+json`. */
export const recordMetadataShape: Shape = {
  type: 'string:enum(object)',
  properties: {
    tranId: { title: 'string', type: 'string', 'nullable?': 'boolean' },
    custbody_tl_xseries_sale_id: {
      title: 'string',
      type: 'string',
      'nullable?': 'boolean',
      'x-ns-custom-field': 'boolean',
    },
    '*': 'additionalProperties allowed',
  },
};

/** [docs] a refusal; `type` is an RFC URL (2616 with or without a section, or 9110 [2nd]). */
export const errorShape = (title: string): Shape => ({
  type: 'string:url',
  title: `string:enum(${title})`,
  status: 'number:int',
  'o:errorDetails': [
    {
      detail: 'string',
      'o:errorCode': 'string',
      'o:errorPath?': 'string',
      'o:errorQueryParam?': 'string',
    },
  ],
});

/** [2nd] the REST 429 over the concurrency limit: titled "Bad Request", no Retry-After. */
export const concurrencyErrorShape: Shape = {
  'type?': 'string:url',
  title: 'string:enum(Bad Request)',
  status: 'number:int',
  'o:errorDetails': [{ detail: 'string', 'o:errorCode': 'string:enum(CONCURRENCY_LIMIT_EXCEEDED)' }],
};
