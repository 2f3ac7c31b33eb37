import { z } from 'zod';
import { lsBoolean, lsCollection } from '../shared/pagination.ts';
import type { RSeriesPage } from './client.ts';

/**
 * R-Series V3 reply schemas (reference §2–§5), normalised at the boundary: every scalar may come as a
 * string, a one-element collection as an object, an empty one as `""` or absent. Only the fields the
 * connector reads are declared; the rest pass through (`looseObject`).
 */

const numberToString = (value: unknown): unknown => (typeof value === 'number' ? String(value) : value);

/** `"14"` (or 14). */
export const lsId = z.preprocess(numberToString, z.string().regex(/^\d+$/, 'expected a numeric id'));

/** Text that may be absent, null or a number. */
export const lsText = z.preprocess(
  (value) => (value === null || value === undefined ? '' : numberToString(value)),
  z.string(),
);

/** A date-time, or none (absent / `""`). */
export const lsDate = z.preprocess(
  (value) => (value === '' || value === null ? undefined : value),
  z.string().optional(),
);

/** A decimal amount as text (`"20"`, `"7.5"`, `"-3.25"`), numbers accepted. Blank → "0". */
export const lsDecimal = z.preprocess(
  (value) => (value === '' || value === null || value === undefined ? '0' : numberToString(value)),
  z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal amount'),
);

/** A whole count; blank → 0. */
export const lsCount = z.preprocess((value) => {
  if (value === '' || value === null || value === undefined) return 0;
  if (typeof value === 'string' && /^-?\d+(\.0+)?$/.test(value.trim())) return Number(value);
  return value;
}, z.number().int());

export const itemSchema = z.looseObject({
  itemID: lsId,
  systemSku: lsText,
  description: z.string(),
  upc: lsText,
  ean: lsText,
  customSku: lsText,
  manufacturerSku: lsText,
  archived: lsBoolean,
  timeStamp: z.string().min(1),
  itemMatrixID: z.preprocess(
    (v) => (v === '' || v === null || v === undefined ? '0' : numberToString(v)),
    z.string().regex(/^\d+$/, 'expected a numeric id'),
  ),
});
export type RItem = z.output<typeof itemSchema>;

/** `Prices.ItemPrice[]` (§2.1): a price level and its amount. Absent or `""` → no prices. */
const itemPrices = z.preprocess(
  (value) => (value && typeof value === 'object' ? value : {}),
  z.looseObject({ ItemPrice: lsCollection(z.looseObject({ amount: lsDecimal, useTypeID: lsText })) }),
);

export const itemMatrixSchema = z.looseObject({
  itemMatrixID: lsId,
  description: z.string(),
  archived: lsBoolean,
  timeStamp: z.string().optional(),
  defaultCost: lsDecimal.optional(),
  Prices: itemPrices.optional(),
});
export type RItemMatrix = z.output<typeof itemMatrixSchema>;

export const attributeSetSchema = z.looseObject({
  itemAttributeSetID: lsId,
  name: lsText,
  attributeName1: lsText,
  attributeName2: lsText,
  attributeName3: lsText,
});
export type RAttributeSet = z.output<typeof attributeSetSchema>;

export const vendorSchema = z.looseObject({
  vendorID: lsId,
  // A recorded PUT Vendor reply (2016) has no `name` at all: a vendor without one is read as "" (and never
  // matches a brand by name).
  name: lsText,
  archived: lsBoolean,
  b2bSellerUID: lsText,
});
export type RVendor = z.output<typeof vendorSchema>;

export const manufacturerSchema = z.looseObject({
  manufacturerID: lsId,
  name: z.string(),
});
export type RManufacturer = z.output<typeof manufacturerSchema>;

export const shopSchema = z.looseObject({
  shopID: lsId,
  name: z.string(),
  archived: lsBoolean.optional().default(false),
});
export type RShop = z.output<typeof shopSchema>;

export const orderSchema = z.looseObject({
  orderID: lsId,
  refNum: lsText,
  shopID: lsId,
  vendorID: lsText,
  orderedDate: lsDate,
  receivedDate: lsDate,
  arrivalDate: lsDate,
  complete: lsBoolean,
  archived: lsBoolean,
  b2bOrderUID: lsText,
  b2bOrderNumber: lsText,
  timeStamp: z.string().optional(),
});
export type ROrder = z.output<typeof orderSchema>;

export const orderLineSchema = z.looseObject({
  orderLineID: lsId,
  orderID: lsId,
  itemID: lsId,
  quantity: lsCount,
  price: lsDecimal,
  checkedIn: lsCount,
  numReceived: lsCount,
});
export type ROrderLine = z.output<typeof orderLineSchema>;

export const accountSchema = z.looseObject({ accountID: lsId, name: lsText });

const attributesSchema = z.looseObject({ next: lsText, previous: lsText }).optional();

/** A V3 query reply: `{"@attributes":{"next","previous"}, "<Key>": one | many | absent}`. */
export function listEnvelope<S extends z.ZodType>(key: string, item: S): z.ZodType<RSeriesPage<z.output<S>>> {
  return z.looseObject({ '@attributes': attributesSchema, [key]: lsCollection(item) }).transform((body) => ({
    next: (body['@attributes'] as { next?: string } | undefined)?.next ?? '',
    items: (body[key] ?? []) as Array<z.output<S>>,
  })) as unknown as z.ZodType<RSeriesPage<z.output<S>>>;
}

/** A single-record reply (GET by id, POST, PUT): `{"@attributes":{"count":"1"}, "<Key>": {…}}`. */
export function singleEnvelope<S extends z.ZodType>(key: string, item: S): z.ZodType<z.output<S>> {
  return z.looseObject({ [key]: item }).transform((body) => body[key] as z.output<S>) as unknown as z.ZodType<
    z.output<S>
  >;
}

// The replies the connector reads, one schema each (pos.ts and doctor.ts read with the same ones).
export const itemPage = listEnvelope('Item', itemSchema);
export const matrixPage = listEnvelope('ItemMatrix', itemMatrixSchema);
export const vendorPage = listEnvelope('Vendor', vendorSchema);
export const shopPage = listEnvelope('Shop', shopSchema);
export const orderPage = listEnvelope('Order', orderSchema);
export const orderLinePage = listEnvelope('OrderLine', orderLineSchema);
export const manufacturerPage = listEnvelope('Manufacturer', manufacturerSchema);
export const attributeSetPage = listEnvelope('ItemAttributeSet', attributeSetSchema);

export const oneItem = singleEnvelope('Item', itemSchema);
export const oneMatrix = singleEnvelope('ItemMatrix', itemMatrixSchema);
export const oneVendor = singleEnvelope('Vendor', vendorSchema);
export const oneOrder = singleEnvelope('Order', orderSchema);
export const oneOrderLine = singleEnvelope('OrderLine', orderLineSchema);
export const oneManufacturer = singleEnvelope('Manufacturer', manufacturerSchema);

/** `GET /API/V3/Account.json`: the accounts a token reaches (one, in practice). */
export const accountList = z.looseObject({ Account: lsCollection(accountSchema) });
