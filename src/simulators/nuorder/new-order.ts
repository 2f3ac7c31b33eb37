import { z } from 'zod';
import type { OrderRecord } from './model.ts';
import { NuorderError, type LineInput, type NuorderStore } from './store.ts';

/**
 * `PUT /api/order/new`: an order created through the API. The reference lists the route as **[I]** (S-JV README
 * and S-BMP name it, "create an order (brand side)", nuorder.md §3.1) and documents no body, so the body here is
 * the order's own JSON shape (§3.3) cut to what an order needs, and every rule below is the simulator's [I]:
 * - `line_items[].product` names a product by `_id`, or `brand_id` (the brand's external id), or
 *   `style_number` + `color` (+ `season`); `sizes[]` carry `size`, `quantity` and an optional `price`
 *   (default: the product's wholesale price in the retailer's currency). All products belong to one brand, and
 *   the token must see it (a product of another brand portal is "product not found", as on reads).
 * - `retailer._id` (or a non-empty `retailer.retailer_code`) names the store; required when the account has
 *   more than one.
 * - `status` may be `draft`, `review` (as the buyer would submit it) or `pending` (a brand user's order, §3.2);
 *   default `pending`, since the brand API acts as a brand user. The brand then approves it or suggests changes
 *   in the back office or the control API.
 * - `order_number` may be chosen by the caller; one already taken is 409 (§2.5: "the document to create
 *   conflicts with an existing one"), which lets a client retry a create without a second order.
 * Answer: 201 with the full order, as `PUT /api/product/new` answers 201 (recorded).
 */

const productRef = z.looseObject({
  _id: z.string().min(1).optional(),
  brand_id: z.string().min(1).optional(),
  style_number: z.string().min(1).optional(),
  color: z.string().optional(),
  season: z.string().optional(),
});

export const newOrderBody = z.looseObject({
  retailer: z.looseObject({ _id: z.string().optional(), retailer_code: z.string().optional() }).optional(),
  order_number: z.string().min(1).optional(),
  customer_po_number: z.string().optional(),
  notes: z.string().optional(),
  start_ship: z.string().datetime({ offset: true }).optional(),
  end_ship: z.string().datetime({ offset: true }).optional(),
  status: z.enum(['draft', 'review', 'pending']).optional(),
  line_items: z
    .array(
      z.looseObject({
        product: productRef,
        sizes: z
          .array(
            z.looseObject({
              size: z.string().min(1),
              quantity: z.number().int().min(0),
              price: z.number().min(0).optional(),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
});
export type NewOrderBody = z.infer<typeof newOrderBody>;

function lineInputs(body: NewOrderBody): LineInput[] {
  return body.line_items.flatMap((item) =>
    item.sizes
      .filter((s) => s.quantity > 0)
      .map((s) => ({
        ...(item.product._id ? { productId: item.product._id } : {}),
        ...(!item.product._id && item.product.brand_id ? { externalId: item.product.brand_id } : {}),
        ...(!item.product._id && !item.product.brand_id && item.product.style_number
          ? {
              styleNumber: item.product.style_number,
              ...(item.product.color !== undefined ? { color: item.product.color } : {}),
              ...(item.product.season !== undefined ? { season: item.product.season } : {}),
            }
          : {}),
        size: s.size,
        quantity: s.quantity,
        ...(s.price !== undefined ? { price: s.price } : {}),
      })),
  );
}

/** The one brand every line's product belongs to, as far as the token may see. */
function brandOf(store: NuorderStore, body: NewOrderBody, visibleBrands: string[] | null): string {
  const brands = new Set<string>();
  for (const item of body.line_items) {
    const p = item.product;
    const product = p._id
      ? store.product(p._id)
      : p.brand_id
        ? store.productByExternalId(p.brand_id)
        : store.state.products.find(
            (x) =>
              x.json.style_number.toLowerCase() === (p.style_number ?? '').toLowerCase() &&
              (p.color === undefined || x.json.color.toLowerCase() === p.color.toLowerCase()),
          );
    const label = p._id ?? p.brand_id ?? p.style_number ?? '(no product)';
    if (!product || (visibleBrands !== null && !visibleBrands.includes(product.brand)))
      throw new NuorderError(404, `product not found: ${label}`);
    brands.add(product.brand);
  }
  if (brands.size > 1) throw new NuorderError(400, 'Bad Arguments: the products of one order belong to one brand');
  return [...brands][0] as string;
}

function retailerOf(store: NuorderStore, body: NewOrderBody): string {
  const ref = body.retailer;
  const id = ref?._id ?? '';
  const code = ref?.retailer_code ?? '';
  if (id || code) {
    const found = store.state.retailers.find((r) => (id ? r._id === id : r.code !== '' && r.code === code));
    if (!found) throw new NuorderError(404, 'company not found');
    return found._id;
  }
  const only = store.state.retailers.length === 1 ? store.state.retailers[0] : undefined;
  if (!only) throw new NuorderError(400, 'Bad Arguments: retailer._id is required');
  return only._id;
}

export function createOrderFromApi(store: NuorderStore, raw: unknown, visibleBrands: string[] | null): OrderRecord {
  const parsed = newOrderBody.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new NuorderError(400, `Bad Arguments: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'}`);
  }
  const body = parsed.data;
  const lines = lineInputs(body);
  if (lines.length === 0) throw new NuorderError(400, 'Bad Arguments: an order needs a size with a quantity');
  return store.createOrder({
    brand: brandOf(store, body, visibleBrands),
    retailer: retailerOf(store, body),
    lines,
    by: 'api',
    submittedBy: 'api',
    status: body.status ?? 'pending',
    ...(body.order_number ? { orderNumber: body.order_number } : {}),
    ...(body.customer_po_number !== undefined ? { customerPoNumber: body.customer_po_number } : {}),
    ...(body.notes !== undefined ? { notes: body.notes } : {}),
    ...(body.start_ship ? { startShip: new Date(body.start_ship).toISOString() } : {}),
    ...(body.end_ship ? { endShip: new Date(body.end_ship).toISOString() } : {}),
  });
}
