/**
 * The shapes of what the connector reads from NetSuite, checked on every reply so a vendor change shows as a
 * RemoteContractBroken naming the field (and in `tradeloop doctor`), never as a silently wrong sync.
 *
 * Evidence (recorded-shapes/divergences.md, NetSuite; there is no recorded NetSuite traffic): one real REST record
 * dump (a purchaseOrder read with `?expandSubResources=true`) shows references `{id, links[], refName}`, the
 * status split (`status` display text, the code letter in `orderStatus`), sublists `{items[], links[], totalResults}`
 * and a line's `itemType` as `{id, refName}`. Everything here is open to unknown keys (real records carry many more
 * fields, and custom fields are the account's own), lenient where the evidence is silent (ids as numbers, numbers
 * as strings, booleans as `T`/`F`), and strict only where the sync would otherwise go wrong: a sales order must
 * carry its code letter in `orderStatus`.
 */
import { z } from 'zod';

/** Internal ids are strings in the records and SuiteQL rows seen; a number is read too. */
const id = z.union([z.string().min(1), z.number().int()]).transform(String);
/** A number, or a number sent as a string (SuiteQL's value types are [I]). */
export const numeric = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);
/** `true`/`false`, or SuiteQL's `T`/`F`. */
const flag = z
  .union([z.boolean(), z.enum(['T', 'F', 't', 'f'])])
  .transform((v) => v === true || v === 'T' || v === 't');
/** A link list: `links` may be `[]` (the dump). */
const links = z.array(z.unknown()).optional();

/** A reference to a record: `{id, links[], refName}`. */
export const reference = z.looseObject({ id, links, refName: z.string().optional() });
/** A select value with no record of its own: `{id, refName}` (a status, an item type). */
const code = z.looseObject({ id: z.string(), refName: z.string().optional() });
/** A sublist read with `?expandSubResources=true`: `{items[], links[], totalResults}`. */
const sublist = <T extends z.ZodType>(item: T) =>
  z.looseObject({ items: z.array(item), links, totalResults: z.number().int().optional() });

/** The sales-order code letters (reference §3.1). */
export const salesOrderCodes = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;

export const salesOrderLine = z.looseObject({
  line: numeric,
  item: reference,
  /** `{"id":"InvtPart","refName":"InvtPart"}` in the dump; a bare string is read too. */
  itemType: z.union([code, z.string()]).optional(),
  quantity: numeric.optional(),
  rate: numeric.optional(),
  amount: numeric.optional(),
  location: reference.optional(),
  isClosed: flag.optional(),
  isclosed: flag.optional(),
  quantityFulfilled: numeric.optional(),
  quantityBilled: numeric.optional(),
  /** Store Pickup accounts only [I]. */
  itemFulfillmentChoice: code.optional(),
});

export const salesOrderRecord = z.looseObject({
  id,
  tranId: z.string(),
  /** The code letter: `{"id":"B","refName":"B"}` (divergences.md F1). Never read the state from `status`. */
  orderStatus: z.looseObject({ id: z.enum(salesOrderCodes), refName: z.string().optional() }),
  /** Display text for people: `{"id":"Pending Fulfillment","refName":"Pending Fulfillment"}`. */
  status: code.optional(),
  externalId: z.string().optional(),
  entity: reference.optional(),
  location: reference.optional(),
  shipMethod: reference.optional(),
  customForm: reference.optional(),
  memo: z.string().optional(),
  otherRefNum: z.string().optional(),
  total: numeric.optional(),
  /** `YYYY-MM-DD` (the dump). */
  tranDate: z.string().optional(),
  /** `YYYY-MM-DDTHH:MM:SSZ` (the dump). */
  lastModifiedDate: z.string().optional(),
  item: sublist(salesOrderLine),
});

/** A record read only for its id (by external id: does it exist?). */
export const anyRecord = z.looseObject({ id });

export const kitItemRecord = z.looseObject({
  id,
  member: sublist(z.looseObject({ item: reference, quantity: numeric.optional() })),
});

/** `GET …/metadata-catalog/{type}` as JSON Schema (Oracle section_1545129726): custom fields carry `x-ns-custom-field`. */
export const recordMetadata = z.looseObject({
  properties: z.record(z.string(), z.looseObject({ 'x-ns-custom-field': z.boolean().optional() })),
});

// ---- SuiteQL rows (each query's own columns; SuiteQL leaves null columns out of a row) ---------------------------

const row = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

export const changedOrderRow = row({
  id,
  tranid: z.string(),
  /** `TO_CHAR(lastmodifieddate, 'YYYY-MM-DD"T"HH24:MI:SS')`. */
  modified: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/, 'Expected YYYY-MM-DDTHH:MM:SS'),
});

export const locationRow = row({ id, name: z.string(), usebins: flag.optional(), isinactive: flag.optional() });

export const itemRow = row({
  id,
  itemid: z.string(),
  itemtype: z.string().optional(),
  isserialitem: flag.optional(),
  islotitem: flag.optional(),
  usebins: flag.optional(),
  isinactive: flag.optional(),
});

export const inventoryNumberRow = row({
  id,
  inventorynumber: z.string(),
  item: id,
  location: id,
  quantityavailable: numeric.optional(),
});

export const binBalanceRow = row({
  item: id,
  binnumber: id,
  inventorynumber: id.optional(),
  quantityavailable: numeric.optional(),
});

export const childRow = row({ id, type: z.string(), externalid: z.string().optional() });

export const namedRow = row({ id, name: z.string() });

export const idRow = row({ id });
