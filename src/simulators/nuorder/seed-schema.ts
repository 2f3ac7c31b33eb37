import { z } from 'zod';
import { isOrderStatus, type PriceJson } from './model.ts';

/** `POST /_sim/seed {"data": …}`: records in NuORDER's own shapes (docs/simulators/nuorder.md). */

const looseString = z.string();
/** A retailer or a company (the buyer's side) in seed data: the same fields. */
export const seedCompanySchema = z.looseObject({
  _id: z.string().optional(),
  name: z.string().min(1),
  code: z.string().optional(),
  currency_code: z.string().optional(),
  phone: z.string().optional(),
  buyer_name: z.string().optional(),
  buyer_email: z.string().optional(),
  address: z
    .object({
      line_1: looseString.optional(),
      city: looseString.optional(),
      state: looseString.optional(),
      zip: looseString.optional(),
      country: looseString.optional(),
    })
    .optional(),
});

/** A price as real NuORDER serves it: a number, or "" (a recorded product had `retail: ""`), or absent. */
const seedPrice: z.ZodType<PriceJson> = z.object({
  wholesale: z.union([z.number(), z.literal('')]).optional(),
  retail: z.union([z.number(), z.literal('')]).optional(),
});

export const seedProductSchema = z.looseObject({
  brand: z.string().min(1),
  _id: z.string().optional(),
  brand_id: z.string().optional(),
  style_number: z.string().min(1),
  season: z.string().min(1),
  color: z.string().min(1),
  name: z.string().min(1),
  pricing: z.record(z.string(), seedPrice),
  sizes: z
    .array(
      z.object({
        size: z.string().min(1),
        upc: z.string().nullable().optional(),
        size_group: z.string().optional(),
        units_per_pack: z.number().int().min(1).optional(),
      }),
    )
    .min(1),
});

export const seedOrderSchema = z.looseObject({
  _id: z.string().optional(),
  order_number: z.string().optional(),
  brand: z.string().optional(),
  status: z.string().refine(isOrderStatus, 'unknown status').optional(),
  retailer: z.union([z.string(), z.object({ _id: z.string() })]).optional(),
  customer_po_number: z.string().optional(),
  notes: z.string().optional(),
  start_ship: z.string().optional(),
  end_ship: z.string().optional(),
  created_on: z.string().optional(),
  line_items: z
    .array(
      z.object({
        product: z.union([z.string(), z.object({ _id: z.string() })]),
        sizes: z
          .array(z.object({ size: z.string(), quantity: z.number().int().min(1), price: z.number().optional() }))
          .min(1),
      }),
    )
    .min(1),
});

export const seedDataSchema = z.object({
  consumers: z
    .array(z.object({ key: z.string().min(1), secret: z.string().min(1), name: z.string().optional() }))
    .optional(),
  retailers: z.array(seedCompanySchema).optional(),
  companies: z.array(seedCompanySchema).optional(),
  brands: z
    .array(
      z.object({
        _id: z.string().optional(),
        name: z.string().min(1),
        code: z.string().optional(),
        currency_code: z.string().optional(),
      }),
    )
    .optional(),
  products: z.array(seedProductSchema).optional(),
  orders: z.array(seedOrderSchema).optional(),
  access_tokens: z
    .array(
      z.object({
        consumer_key: z.string(),
        token: z.string().min(1),
        secret: z.string().min(1),
        application_name: z.string().optional(),
        brands: z.array(z.string()).nullable().optional(),
      }),
    )
    .optional(),
});
