/**
 * The replies the X-Series sales connector (sales.ts) reads, as zod schemas, and the small mappers over them.
 * The 2.0 reads (sales by cursor, one sale, the store set-up a sale needs) follow the 2.0 OpenAPI; the sale create
 * is answered in the 2026-07 shape. Loose objects: unknown fields pass; only what the sync uses is checked.
 */
import { z } from 'zod';

const saleLineSchema = z
  .object({
    id: z.string(),
    product_id: z.string(),
    quantity: z.number(),
    price: z.number().optional(),
    tax: z.number().optional(),
    note: z.string().nullable().optional(),
    status: z.string().optional(),
  })
  .passthrough();

export const saleSchema = z
  .object({
    id: z.string(),
    outlet_id: z.string().nullable().optional(),
    register_id: z.string().nullable().optional(),
    customer_id: z.string().nullable().optional(),
    invoice_number: z.string().nullable().optional(),
    source: z.string().nullable().optional(),
    source_id: z.string().nullable().optional(),
    status: z.string(),
    state: z.string().optional(),
    attributes: z.array(z.string()).optional(),
    note: z.string().nullable().optional(),
    sale_date: z.string().nullable().optional(),
    total_price: z.number().optional(),
    total_tax: z.number().optional(),
    version: z.number(),
    deleted_at: z.string().nullable().optional(),
    line_items: z.array(saleLineSchema).default([]),
    payments: z.array(z.object({ amount: z.number() }).passthrough()).default([]),
  })
  .passthrough();

export type XSale = z.output<typeof saleSchema>;

/**
 * The reply to `POST /api/2026-07/sales`: `{data: Sale}` in the 2026-07 shape (divergences F2; shapes in
 * test/contracts/recorded-shapes/lightspeed-x-2026-07-sales.json). It is not the 2.0 sale: `state` and no
 * `status`, the version under `_metadata`, `source` an object, lines with `product{id}`. The spec marks no
 * property required, so nothing is required here either: the sale id is ours (we chose it), `state` and
 * `attributes` are checked only when present, and every other field may come and go.
 */
export const sale2026Schema = z.looseObject({
  id: z.string().min(1).optional(),
  state: z.string().nullish(),
  attributes: z.array(z.string()).nullish(),
});
export const createdSaleSchema = z.looseObject({ data: sale2026Schema.optional() });
/** `GET /api/2026-07/sales`: the same Sale in a version-paged list (read by `tradeloop doctor` only). */
export const sale2026PageSchema = z.looseObject({
  data: z.array(sale2026Schema).optional(),
  version: z.looseObject({ min: z.number().nullish(), max: z.number().nullish() }).nullish(),
});

/** What a 2026-07 create answered: the sale's id, and its state + attributes when the reply carried them. */
export interface XCreatedSale {
  id: string;
  state: string | null;
  attributes: string[] | null;
}

/** The created sale from its reply; `ourId` (the id we sent) stands in when the reply names none. */
export function toCreatedSale(reply: z.output<typeof createdSaleSchema>, ourId: string): XCreatedSale {
  return { id: reply.data?.id ?? ourId, state: reply.data?.state ?? null, attributes: reply.data?.attributes ?? null };
}

export const listSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item).default([]),
    version: z
      .object({ min: z.number().nullable().optional(), max: z.number().nullable().optional() })
      .nullable()
      .optional(),
  });

export const namedSchema = z
  .object({ id: z.string(), name: z.string().optional(), deleted_at: z.string().nullable().optional() })
  .passthrough();
export const registerSchema = namedSchema.extend({ outlet_id: z.string() });
export const userSchema = z.object({ id: z.string(), deleted_at: z.string().nullable().optional() }).passthrough();
/**
 * A tax: the spec's `Tax` has its rate(s) in `rates[{rate}]` (a group may hold several, e.g. state + county);
 * `rate` at the top is read too, for older replies.
 */
export const taxSchema = namedSchema.extend({
  rate: z.number().nullish(),
  rates: z.array(z.looseObject({ rate: z.number().nullish() })).nullish(),
});

/** A tax's total rate (`0.15` = 15 %): its own `rate`, else the sum of its `rates`. */
export function toTax(t: z.output<typeof taxSchema>): { id: string; name: string; rate: number } {
  const rate = t.rate ?? (t.rates ?? []).reduce((sum, r) => sum + (r.rate ?? 0), 0);
  return { id: t.id, name: t.name ?? '', rate };
}
export const productSkuSchema = z
  .object({ id: z.string(), sku: z.string().nullable().optional(), deleted_at: z.string().nullable().optional() })
  .passthrough();
