import {
  hexOf,
  priceCents,
  type LineRecord,
  type OrderRecord,
  type ProductRecord,
  type RetailerRecord,
  type ShipmentRecord,
} from './model.ts';

/**
 * The simulator's records rendered in the real API's JSON shapes (reference nuorder.md §3.3 orders, §3.4 company,
 * §4 products are served as stored). Money is kept in integer cents and presented as the real API does: numbers in
 * some places, strings in others, pre-formatted "$28.00" strings in a few (§3.3 gotchas).
 */

/** Cents as the API's plain number (28, 12.5). */
export function money(cents: number): number {
  return Math.round(cents) / 100;
}

/** Cents as the API's string amounts ("672", "12.5"), as in order_discounts and line totals (§3.3). */
export function moneyString(cents: number): string {
  return String(money(cents));
}

const currencySymbols: Record<string, string> = { USD: '$', CAD: '$', AUD: '$', EUR: '€', GBP: '£' };

/** Cents as the pre-formatted strings ("$28.00") of §3.3. */
export function moneyFormatted(cents: number, currency: string): string {
  const symbol = currencySymbols[currency] ?? `${currency} `;
  return `${cents < 0 ? '-' : ''}${symbol}${(Math.abs(cents) / 100).toFixed(2)}`;
}

export interface RenderContext {
  product(id: string): ProductRecord | undefined;
  retailer(id: string): RetailerRecord | undefined;
}

export function lineTotalCents(line: LineRecord): number {
  return line.sizes.reduce((sum, s) => sum + s.priceCents * s.quantity, 0);
}

export function orderTotals(order: OrderRecord): { cents: number; quantity: number } {
  let cents = 0;
  let quantity = 0;
  for (const line of order.lines) {
    cents += lineTotalCents(line);
    for (const s of line.sizes) quantity += s.quantity;
  }
  return { cents, quantity };
}

function ymd(iso: string): string {
  return iso.slice(0, 10).replace(/-/g, '/');
}

/** A numeric address code (recorded `shipping_address.code` and company `billing_code` are digit strings). */
function addressCode(addressId: string): string {
  return String(100_000 + (parseInt(addressId.slice(0, 6), 16) % 900_000));
}

/** The full order object of §3.3 (the 2023 shape). */
export function renderOrder(order: OrderRecord, ctx: RenderContext): Record<string, unknown> {
  const retailer = ctx.retailer(order.retailer);
  const totals = orderTotals(order);
  const total = moneyString(totals.cents);
  // As recorded: both addresses carry `ref` (the address _id); only the shipping one had a `code`, digits
  // like the company's `billing_code` (recorded-shapes nuorder.json).
  const billing = retailer
    ? {
        line_1: retailer.address.line_1,
        city: retailer.address.city,
        state: retailer.address.state,
        zip: retailer.address.zip,
        country: retailer.address.country,
        display_name: retailer.name,
        ref: retailer.address._id,
      }
    : {};
  const shipping = retailer ? { ...billing, code: addressCode(retailer.address._id) } : {};
  const firstProduct = order.lines[0] ? ctx.product(order.lines[0].product_id) : undefined;
  return {
    _id: order._id,
    order_number: order.order_number,
    status: order.status,
    customer_po_number: order.customer_po_number,
    currency_code: order.currency_code,
    total: money(totals.cents),
    total_quantity: totals.quantity,
    discount: 0,
    additional_percentage: 0,
    notes: order.notes,
    created_on: order.created_on,
    modified_on: order.modified_on,
    edited_on: order.edited_on,
    edited: order.edited,
    // Every recorded order (2014 and 2023) had it; what it stands for is not documented.
    easy_order_ready: false,
    start_ship: order.start_ship,
    end_ship: order.end_ship,
    retailer: retailer
      ? {
          _id: retailer._id,
          retailer_name: retailer.name,
          retailer_code: retailer.code,
          buyer_name: retailer.buyer_name,
          buyer_email: retailer.buyer_email,
        }
      : { _id: order.retailer },
    billing_address: billing,
    shipping_address: shipping,
    rep_name: 'House Account',
    rep_code: '',
    rep_email: '',
    creator_name: order.buyer_submitted ? (retailer?.buyer_name ?? '') : 'House Account',
    submitted_by: order.submitted_by,
    buyer_submitted: order.buyer_submitted,
    split: order.split,
    order_group_id: order.order_group_id,
    __split_overrides: [
      {
        _id: hexOf(`${order._id}:split`),
        key: `_default_${ymd(order.start_ship)}_${ymd(order.end_ship)}__${order._id}`,
      },
    ],
    payment_status: 'Not Paid',
    __metadata: { payments: { credit_card_on_file: null, payment_status: 'Not Paid', payment_methods_allowed: [] } },
    shipments: order.shipments.map((s) => renderShipment(order, s, ctx)),
    // The one real order recorded had `__shipment_status: []` and `shipping_information: {}` (§5); what they hold
    // once goods ship is unrecorded. One status entry per shipment is our guess [I]. `shipping_information` sits
    // next to `selected_shipping_locations`, so it reads as the buyer's shipping choice, not shipment facts: it
    // stays `{}` [I]. Shipment facts are in `shipments[]`, the evidence path clients should read.
    __shipment_status: order.shipments.map((s) => ({ _id: s._id, status: 'shipped', shipped_on: s.shipped_on })),
    shipping_information: {},
    selected_shipping_locations: [],
    is_drop_ship: false,
    locked: order.status === 'cancelled',
    order_tags: [],
    style_number: firstProduct?.json.style_number ?? '',
    schema_id: hexOf('schema:order'),
    __includes_cancelled: order.status === 'cancelled',
    __cancelled_units: order.status === 'cancelled' ? totals.quantity : 0,
    __cancelled_total: order.status === 'cancelled' ? money(totals.cents) : 0,
    __is_rtp: false,
    order_discounts: {
      original_total: total,
      discounted_total: total,
      total_after_line_item_discount: total,
      total_applied: '0',
      total_order_level_discount: '0',
      company_manual_discount: '0',
      total_line_item_manual_discounts: '0',
      total_line_items_discount: '0',
      total_line_item_product_promotions: '0',
      shipping_final_amount: '0',
      surcharge: '0',
      surcharges: {
        total_surcharge: '0',
        applied: [
          {
            name: '',
            price: '0',
            currency_code: order.currency_code,
            price_code: 'total_surcharges',
            _id: hexOf(`${order._id}:surcharge`),
          },
        ],
      },
      applied: [],
    },
    line_items: order.lines.map((line) => renderLine(order, line, ctx)),
  };
}

function unitsPerPack(product: ProductRecord['json'] | undefined, size: string): number {
  const units = product?.sizes.find((x) => x.size === size)?.units_per_pack;
  return typeof units === 'number' && Number.isInteger(units) && units > 1 ? units : 1;
}

export function renderLine(
  order: OrderRecord,
  line: LineRecord,
  ctx: RenderContext,
  sizes = line.sizes,
): Record<string, unknown> {
  const product = ctx.product(line.product_id)?.json;
  const subtotal = sizes.reduce((sum, s) => sum + s.priceCents * s.quantity, 0);
  const firstPrice = sizes[0]?.priceCents ?? 0;
  const retailCents = priceCents(product?.pricing[order.currency_code]?.retail);
  return {
    id: line.id,
    product: {
      _id: line.product_id,
      style_number: product?.style_number ?? '',
      color: product?.color ?? '',
      color_code: product?.color_code ?? '',
      season: product?.season ?? '',
      department: product?.department ?? '',
      brand_id: product?.brand_id ?? '',
      division: product?.division ?? '',
    },
    ship_start: line.ship_start,
    ship_end: line.ship_end,
    warehouse: line.warehouse,
    prebook: line.prebook,
    sizes: sizes.map((s) => ({
      size: s.size,
      quantity: s.quantity,
      price: money(s.priceCents),
      original_price: money(s.priceCents),
      price_precise: (s.priceCents / 100).toFixed(2),
      // [I] From the product's size (a simulator extension): NuORDER documents units_per_pack on lines only.
      units_per_pack: unitsPerPack(product, s.size),
      // A size without a UPC has no `upc` key at all, as in the real payload (§3.3).
      ...(s.upc !== undefined ? { upc: s.upc } : {}),
      discounts: { total_discount: 0, applied: [], _id: hexOf(`${line.id}:${s.size}:discounts`) },
      surcharges: { total_surcharge: '0', applied: [] },
    })),
    original_total: moneyString(subtotal),
    discounted_total: moneyString(subtotal),
    effective_subtotal: moneyString(subtotal),
    total_applied: '0',
    item_price_after_discount: moneyFormatted(firstPrice, order.currency_code),
    adjusted_wholesale_string: moneyFormatted(firstPrice, order.currency_code),
    // No retail price on the product: the line's formatted MSRP is empty too [I] (never seen in traffic).
    retail_string: retailCents === null ? '' : moneyFormatted(retailCents, order.currency_code),
    total_adjustment: '0',
    company_manual_discount_on_item: '0',
    item_manual_discount_on_item: '0',
    applied: [],
    surcharges: { total_surcharge: '0', applied: [] },
  };
}

/**
 * A shipment as the order carries it. The reference has only S-BMP's model `{type, tracking_numbers,
 * line_items}` [I] and no carrier field (§5 gap); `_id`, `carrier` and `shipped_on` are the simulator's
 * plausible additions.
 */
export function renderShipment(
  order: OrderRecord,
  shipment: ShipmentRecord,
  ctx: RenderContext,
): Record<string, unknown> {
  const lines = shipment.lines.flatMap((sl) => {
    const line = order.lines.find((l) => l.id === sl.line_id);
    if (!line) return [];
    const sizes = sl.sizes.flatMap((ss) => {
      const size = line.sizes.find((s) => s.size === ss.size);
      return size ? [{ ...size, quantity: ss.quantity }] : [];
    });
    return [renderLine(order, line, ctx, sizes)];
  });
  return {
    _id: shipment._id,
    type: 'shipment',
    carrier: shipment.carrier,
    tracking_numbers: shipment.tracking_numbers,
    shipped_on: shipment.shipped_on,
    line_items: lines,
  };
}

/** The company (retailer) object of §3.4. */
export function renderCompany(r: RetailerRecord): Record<string, unknown> {
  const person = {
    name: r.buyer_name,
    email: r.buyer_email,
    title: 'Buyer',
    phone_cell: '',
    phone_office: r.phone,
    reps: [],
  };
  return {
    _id: r._id,
    schema_id: hexOf('schema:company'),
    name: r.name,
    code: r.code,
    currency_code: r.currency_code,
    phone: r.phone,
    addresses: [
      {
        _id: r.address._id,
        display_name: r.name,
        line_1: r.address.line_1,
        city: r.address.city,
        state: r.address.state,
        zip: r.address.zip,
        country: r.address.country,
        billing_code: r.code,
      },
    ],
    user_connections: [
      { email: r.buyer_email, name: r.buyer_name, phone_cell: '', phone_office: r.phone, title: 'Buyer', reps: [] },
    ],
    buyers: [person],
    payment_terms: 'Net 30',
    credit_status: 'Approved',
    discount: 0,
    default_discount: 0,
    allow_bulk: true,
    warehouse: 'Wholesale',
    created_on: r.created_on,
    modified_on: r.modified_on,
  };
}
