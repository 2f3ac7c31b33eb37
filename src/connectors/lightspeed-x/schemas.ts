/**
 * The X-Series API 2.0 payloads this connector reads, as zod schemas (reference §2–§4 and
 * shared/reference/lightspeed-x-series-openapi-2.0.json). Loose objects: unknown fields pass, the fields we
 * rely on are checked, so a vendor change fails loudly as RemoteContractBroken naming the field.
 * Vendor types never leave this folder.
 */
import { z } from 'zod';

const id = z.string().min(1);
const nullableString = z.string().nullish();
/** Quantities and costs come back as decimal strings ("10.00000"), sometimes as numbers. */
const decimal = z.union([z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal'), z.number()]);

/**
 * §3.5: replies are `{"data": {...}}` per the spec, a bare object per the tutorial. Both are read: an object
 * whose only payload is `data` holding an object is unwrapped.
 */
export const unwrapData = (value: unknown): unknown => {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'data' in value) {
    const inner = (value as { data: unknown }).data;
    if (inner !== null && typeof inner === 'object' && !('id' in value)) return inner;
  }
  return value;
};

export const versionSchema = z.looseObject({ min: z.number().nullish(), max: z.number().nullish() }).nullish();

/** A version-paged 2.0 list: `{data: [...], version: {min, max}}`. */
export const pageOf = <S extends z.ZodType>(item: S) => z.looseObject({ data: z.array(item), version: versionSchema });

export const productCodeSchema = z.looseObject({ type: z.string().nullish(), code: z.string() });

export const productSchema = z.looseObject({
  id,
  name: z.string(),
  variant_name: nullableString,
  sku: nullableString,
  handle: nullableString,
  source: nullableString,
  source_id: nullableString,
  source_variant_id: nullableString,
  variant_parent_id: nullableString,
  has_variants: z.boolean().nullish(),
  is_active: z.boolean().nullish(),
  active: z.boolean().nullish(),
  is_composite: z.boolean().nullish(),
  deleted_at: nullableString,
  supplier_id: nullableString,
  supplier_code: nullableString,
  supply_price: z.union([z.number(), z.string()]).nullish(),
  price_excluding_tax: z.union([z.number(), z.string()]).nullish().catch(null),
  price_including_tax: z.union([z.number(), z.string()]).nullish().catch(null),
  product_codes: z.array(productCodeSchema).nullish(),
  product_suppliers: z
    .array(z.looseObject({ supplier_id: nullableString, code: nullableString }))
    .nullish()
    .catch(null),
  version: z.number(),
});
export type XProduct = z.output<typeof productSchema>;

export const productPageSchema = pageOf(productSchema);
export const productReplySchema = z.preprocess(unwrapData, productSchema);
export const searchProductsSchema = z.looseObject({ data: z.array(productSchema) });

/**
 * POST /products: `{"data": ["<id>", ...]}`, the family parent first. Fewer ids than variants (none, even) is read
 * too: createFamily then finds the variants by their SKUs.
 */
export const createdIdsSchema = z.looseObject({ data: z.array(id) });

/**
 * POST /api/2.1/products ("Add Single Variant", §2.3): the new product's id, or null when the reply names none. No
 * reply was ever recorded; the simulator answers the product (`{"data": {...}}`, as the 2.1 PUT), and Postman's
 * example answers `{}`. So read the product wrapped or bare, an id or `[id]` as 2.0 creates answer, and else null:
 * the caller then finds the variant by its SKU.
 */
export const addedVariantReplySchema = z.unknown().transform((reply): string | null => {
  const inner = reply !== null && typeof reply === 'object' && 'data' in reply ? reply.data : reply;
  const first = Array.isArray(inner) ? inner[0] : inner;
  if (typeof first === 'string' && first !== '') return first;
  if (first !== null && typeof first === 'object' && 'id' in first && typeof first.id === 'string') return first.id;
  return null;
});

export const outletSchema = z.looseObject({
  id,
  name: z.string(),
  currency: nullableString,
  deleted_at: nullableString,
  version: z.number().nullish(),
});
export const outletPageSchema = pageOf(outletSchema);
export const outletReplySchema = z.preprocess(unwrapData, outletSchema);

export const retailerSchema = z.preprocess(
  unwrapData,
  z.looseObject({
    id,
    domain_prefix: nullableString,
    currency: z.union([z.looseObject({ code: z.string() }), z.string()]).nullish(),
  }),
);

export const supplierSchema = z.looseObject({
  id,
  name: z.string(),
  description: nullableString,
  source: nullableString,
  deleted_at: nullableString,
  version: z.number().nullish(),
});
export type XSupplier = z.output<typeof supplierSchema>;
export const supplierPageSchema = pageOf(supplierSchema);
/** POST /suppliers: `{"data": "<id>"}` per spec 1; a supplier object is read too. */
export const createdSupplierSchema = z.looseObject({ data: z.union([id, z.looseObject({ id })]) });

export const brandSchema = z.looseObject({
  id,
  name: z.string(),
  deleted_at: nullableString,
  version: z.number().nullish(),
});
export const brandPageSchema = pageOf(brandSchema);
export const createdBrandSchema = z.looseObject({ data: z.union([id, z.looseObject({ id })]) });

export const variantAttributeSchema = z.looseObject({ id, name: z.string(), deleted_at: nullableString });
export const variantAttributeListSchema = z.looseObject({ data: z.array(variantAttributeSchema) });
/** POST /variant_attributes: the spec leaves `data` an untyped object; only its id is used (the tutorial shows {id, name, …}). */
export const variantAttributeReplySchema = z.looseObject({ data: z.looseObject({ id }) });

export const consignmentSchema = z.looseObject({
  id,
  outlet_id: id,
  name: z.string(),
  type: z.string(),
  status: z.string(),
  supplier_id: nullableString,
  reference: nullableString,
  due_at: nullableString,
  deleted_at: nullableString,
  version: z.number(),
});
export type XConsignment = z.output<typeof consignmentSchema>;
export const consignmentReplySchema = z.preprocess(unwrapData, consignmentSchema);
/** Spec 1 declares GET /consignments as a bare array; every other 2.0 list is wrapped. Both are read. */
export const consignmentListSchema = z.preprocess(
  (value) => (Array.isArray(value) ? { data: value } : value),
  pageOf(consignmentSchema),
);

export const consignmentLineSchema = z.looseObject({
  product_id: id,
  product_sku: nullableString,
  count: decimal.nullish(),
  received: decimal.nullish(),
  cost: decimal.nullish(),
  deleted_at: nullableString,
  version: z.number().nullish(),
});
export type XConsignmentLine = z.output<typeof consignmentLineSchema>;
export const consignmentLinePageSchema = pageOf(consignmentLineSchema);

/** POST /consignments/{id}/bulk: `{"data": {"<product_id>": {"count": "60.00000"}, ...}}`. */
export const bulkReplySchema = z.looseObject({
  data: z.union([
    z.record(z.string(), z.looseObject({ count: decimal.nullish(), received: decimal.nullish() })),
    z.array(z.unknown()),
  ]),
});

/** Replies whose body we do not use (PUT, DELETE): any JSON, or none. */
export const anyReplySchema = z.unknown();
