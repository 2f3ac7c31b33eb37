import { z } from 'zod';

/**
 * zod schemas for NuORDER's JSON (reference nuorder.md §3.3 orders, §4 products, §5 shipments, §2.2 handshake).
 * Numbers and strings exactly as documented: `order_number` is a STRING, `total` and `sizes[].price` are
 * numbers, `order_discounts.*` and `line_items[].discounted_total` are strings, `retail_string` is a formatted
 * string ("$45.00"). `sizes[].upc` may be missing. Entities carry custom fields ("fluent schemas"), so every
 * object is loose: unknown keys are kept, never refused. Vendor types never leave this folder.
 */

const optionalText = z.string().nullish();

export const orderStatusSchema = z.enum([
  'draft',
  'review',
  'pending',
  'approved',
  'processed',
  'shipped',
  'cancelled',
]);
export type NuorderOrderStatus = z.infer<typeof orderStatusSchema>;

export const addressSchema = z.looseObject({
  line_1: optionalText,
  line_2: optionalText,
  city: optionalText,
  state: optionalText,
  zip: optionalText,
  country: optionalText,
  display_name: optionalText,
  code: optionalText,
  ref: optionalText,
});

/**
 * The buying store. `_id` (24-hex, the company id `GET /api/company/{id}` resolves) is what identifies it, and
 * every recorded order had it (divergences.md F3); `retailer_code` is often `""`, names are free text.
 */
export const retailerSchema = z.looseObject({
  _id: z.string().min(1),
  retailer_name: optionalText,
  retailer_code: optionalText,
  buyer_name: optionalText,
  buyer_email: optionalText,
});

export const lineProductSchema = z.looseObject({
  _id: z.string().min(1),
  style_number: z.string(),
  color: z.string(),
  color_code: optionalText,
  season: optionalText,
  department: optionalText,
  brand_id: optionalText,
  division: optionalText,
});

export const lineSizeSchema = z.looseObject({
  size: z.string(),
  quantity: z.number().int().nonnegative(),
  price: z.number(),
  original_price: z.number().nullish(),
  price_precise: optionalText,
  units_per_pack: z.number().nullish(),
  /** MAY BE MISSING on some sizes (seen in the real payload). */
  upc: optionalText,
  discounts: z.looseObject({ total_discount: z.number().nullish() }).nullish(),
});

export const lineItemSchema = z.looseObject({
  id: optionalText,
  product: lineProductSchema,
  ship_start: optionalText,
  ship_end: optionalText,
  warehouse: optionalText,
  prebook: z.boolean().nullish(),
  sizes: z.array(lineSizeSchema),
  original_total: optionalText,
  discounted_total: optionalText,
  item_price_after_discount: optionalText,
  adjusted_wholesale_string: optionalText,
  /** MSRP, formatted ("$45.00"); the number is on the product (`pricing.<CUR>.retail`). */
  retail_string: optionalText,
});

export const shipmentSchema = z.looseObject({
  _id: optionalText,
  type: optionalText,
  carrier: optionalText,
  tracking_numbers: z.array(z.string()).nullish(),
  shipped_on: optionalText,
  line_items: z.array(lineItemSchema).nullish(),
});

export const orderSchema = z.looseObject({
  _id: z.string().min(1),
  order_number: z.string().min(1),
  status: orderStatusSchema,
  customer_po_number: optionalText,
  currency_code: z.string().length(3),
  total: z.number().nullish(),
  total_quantity: z.number().nullish(),
  notes: optionalText,
  created_on: z.string(),
  modified_on: optionalText,
  edited_on: optionalText,
  start_ship: optionalText,
  end_ship: optionalText,
  /** Required: an order that names no retailer cannot be told apart from another store's (source.ts). */
  retailer: retailerSchema,
  billing_address: addressSchema.nullish(),
  shipping_address: addressSchema.nullish(),
  shipments: z.array(shipmentSchema).nullish(),
  line_items: z.array(lineItemSchema),
});

export const orderListSchema = z.array(orderSchema);
export const orderIdListSchema = z.array(z.string());

/**
 * A price is a number, or `""` when the brand left it empty (a recorded product had `pricing.USD.retail: ""`
 * next to a numeric `wholesale`, divergences.md F4), or absent. Strings are kept as they come; map.ts reads them.
 */
const amount = z.union([z.number(), z.string()]).nullish();
const priceSchema = z.looseObject({
  wholesale: amount,
  retail: amount,
  disabled: z.boolean().nullish(),
});
const pricingSchema = z.record(z.string(), priceSchema);

/**
 * `GET /api/product/{id}`. Only `_id`, `style_number` and `color` are needed; everything else may be `""`, absent
 * or odd (recorded: `description`, `available_from`, `available_until`, `order_closing` all `""`, and
 * `seasons: ["undefined"]`), and none of it makes the order unreadable.
 */
export const productSchema = z.looseObject({
  _id: z.string().min(1),
  brand_id: optionalText,
  style_number: z.string(),
  season: optionalText,
  color: z.string(),
  color_code: optionalText,
  name: optionalText,
  description: optionalText,
  category: optionalText,
  subcategory: optionalText,
  department: optionalText,
  division: optionalText,
  pricing: pricingSchema.nullish(),
  sizes: z.array(z.looseObject({ size: z.string(), upc: optionalText, pricing: pricingSchema.nullish() })).nullish(),
  /** URLs (S-VOCE), or objects with a URL in some payloads [I]. */
  images: z.array(z.unknown()).nullish(),
  active: z.boolean().nullish(),
  archived: z.boolean().nullish(),
});

/** `GET /api/initiate`: `{"oauth_token","oauth_token_secret","oauth_callback_confirmed":true}`. */
export const requestTokenSchema = z.looseObject({
  oauth_token: z.string().min(1),
  oauth_token_secret: z.string().min(1),
  oauth_callback_confirmed: z.union([z.boolean(), z.string()]).nullish(),
});

/** `GET /api/token`: `{"oauth_token","oauth_token_secret"}`. */
export const accessTokenSchema = z.looseObject({
  oauth_token: z.string().min(1),
  oauth_token_secret: z.string().min(1),
});

export type NuorderOrder = z.infer<typeof orderSchema>;
export type NuorderLineItem = z.infer<typeof lineItemSchema>;
export type NuorderLineSize = z.infer<typeof lineSizeSchema>;
export type NuorderShipment = z.infer<typeof shipmentSchema>;
export type NuorderProduct = z.infer<typeof productSchema>;
export type NuorderAddress = z.infer<typeof addressSchema>;
