/**
 * Records → the shapes the API presents (API 2.0, per lightspeed-x-series-openapi-2.0.json; 0.9 where noted).
 * Where a field is not nullable in the OpenAPI document we leave it out rather than send null.
 */
import { round5, type XDb } from './db.ts';
import { legacyDate } from './ids.ts';
import type {
  ConsignmentLineRec,
  ConsignmentRec,
  InventoryRec,
  OutletRec,
  ProductRec,
  RegisterRec,
  SaleRec,
  SupplierRec,
} from './state.ts';
import { stateOfStatus } from './sales.ts';

export function money(n: number): number {
  return round5(n);
}

/** Consignment quantities and costs are decimal strings (§3.4): `"10.00000"`. */
export function dec5(n: number): string {
  return n.toFixed(5);
}

export function defaultTax(db: XDb): { id: string; name: string; rate: number } {
  const tax = db.taxes.values().find((t) => t.is_default && t.deleted_at === null) ?? db.taxes.values()[0];
  return tax ? { id: tax.id, name: tax.name, rate: tax.rate } : { id: '', name: 'No Tax', rate: 0 };
}

export function outletOut(o: OutletRec, db: XDb): Record<string, unknown> {
  return {
    id: o.id,
    name: o.name,
    time_zone: o.time_zone,
    default_tax_id: o.default_tax_id,
    currency: db.retailer.currency,
    currency_symbol: db.retailer.currency_symbol,
    // [I] §4: "inclusive" is what the examples show; a US store shows prices tax-exclusive.
    display_prices: 'exclusive',
    physical_address_1: o.physical_address_1,
    physical_address_2: '',
    physical_suburb: '',
    physical_city: o.physical_city,
    physical_postcode: o.physical_postcode,
    physical_state: o.physical_state,
    physical_country_id: o.physical_country_id,
    email: o.email,
    attributes: [{ key: 'order_reference_prefix', value: o.order_reference_prefix }],
    deleted_at: o.deleted_at,
    version: o.version,
  };
}

export function registerOut(r: RegisterRec): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    outlet_id: r.outlet_id,
    ask_for_note_on_save: 0,
    print_note_on_receipt: false,
    ask_for_user_on_sale: false,
    show_discounts_on_receipts: true,
    print_receipt: true,
    email_receipt: false,
    invoice_prefix: r.invoice_prefix,
    invoice_suffix: '',
    invoice_sequence: r.invoice_sequence,
    button_layout_id: null,
    is_open: true,
    receipt_template_id: '',
    register_open_time: null,
    register_close_time: null,
    register_open_sequence_id: null,
    cash_managed_payment_type_id: null,
    deleted_at: r.deleted_at,
    version: r.version,
  };
}

export function supplierOut(s: SupplierRec): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    source: s.source,
    description: s.description,
    default_markup: s.default_markup,
    contact: s.contact,
    deleted_at: s.deleted_at,
    version: s.version,
  };
}

export function productOut(p: ProductRec, db: XDb): Record<string, unknown> {
  const family = p.is_variant ? db.familyOf(p) : [];
  const tax = defaultTax(db);
  const supplier = p.supplier_id ? db.suppliers.get(p.supplier_id) : undefined;
  const brand = p.brand_id ? db.brands.get(p.brand_id) : undefined;
  const isParent = p.family_id === p.id;
  const variantName =
    p.variant_options.length > 0 ? [p.name, ...p.variant_options.map((o) => o.value)].join(' / ') : p.name;
  return {
    id: p.id,
    source_id: p.source_id,
    source_variant_id: p.source_variant_id,
    variant_parent_id: p.is_variant && !isParent ? p.family_id : null,
    name: p.name,
    variant_name: variantName,
    handle: p.handle,
    sku: p.sku,
    supplier_code: p.supplier_code,
    active: p.is_active,
    has_inventory: p.has_inventory,
    is_composite: p.is_composite,
    description: p.description,
    image_url:
      p.image_url ?? 'https://vendimageuploadcdn.global.ssl.fastly.net/placeholder/product/no-image-white-standard.png',
    image_thumbnail_url:
      p.image_url ?? 'https://vendimageuploadcdn.global.ssl.fastly.net/placeholder/product/no-image-white-thumb.png',
    created_at: p.created_at,
    updated_at: p.updated_at,
    deleted_at: p.deleted_at,
    source: p.source,
    account_code: null,
    account_code_purchase: null,
    supply_price: money(p.supply_price),
    version: p.version,
    ...(supplier
      ? {
          supplier: {
            id: supplier.id,
            name: supplier.name,
            source: supplier.source,
            description: supplier.description,
            deleted_at: supplier.deleted_at,
            version: supplier.version,
          },
        }
      : {}),
    ...(brand
      ? { brand: { id: brand.id, name: brand.name, deleted_at: brand.deleted_at, version: brand.version } }
      : {}),
    variant_options: p.variant_options.map((o) => ({ id: o.attribute_id, name: o.name, value: o.value })),
    categories: [],
    images: [],
    has_variants: p.is_variant,
    variant_count: family.length,
    button_order: 0,
    price_including_tax: money(p.price_excluding_tax * (1 + tax.rate)),
    price_excluding_tax: money(p.price_excluding_tax),
    loyalty_amount: null,
    attributes: [],
    supplier_id: p.supplier_id,
    product_type_id: p.product_type_id,
    brand_id: p.brand_id,
    is_active: p.is_active,
    tag_ids: p.tag_ids,
    // Spec 1's enum is upper case (CUSTOM|EAN|…|UPC); its examples show lower case. We answer upper case (§2.1).
    product_codes: p.product_codes.map((c) => ({ type: c.type, code: c.code })),
    product_suppliers: supplier
      ? [
          {
            id: `${p.id.slice(0, 24)}${supplier.id.slice(24)}`,
            product_id: p.id,
            supplier_id: supplier.id,
            supplier_name: supplier.name,
            code: p.supplier_code ?? '',
            price: money(p.supply_price),
          },
        ]
      : [],
  };
}

export function inventoryOut(i: InventoryRec): Record<string, unknown> {
  return {
    id: i.id,
    product_id: i.product_id,
    outlet_id: i.outlet_id,
    inventory_level: i.inventory_level,
    current_amount: i.inventory_level,
    average_cost: money(i.average_cost),
    reorder_point: i.reorder_point,
    reorder_amount: i.reorder_amount,
    deleted_at: i.deleted_at,
    version: i.version,
  };
}

export function consignmentOut(c: ConsignmentRec, db: XDb): Record<string, unknown> {
  const lines = db.linesOf(c.id);
  let gainCount = 0;
  let gainCost = 0;
  for (const l of lines) {
    const qty = c.status === 'RECEIVED' ? (l.received ?? 0) : l.count;
    gainCount += qty;
    gainCost += qty * l.cost;
  }
  const received = c.status === 'RECEIVED';
  return {
    id: c.id,
    outlet_id: c.outlet_id,
    name: c.name,
    due_at: c.due_at,
    type: c.type,
    status: c.status,
    supplier_id: c.supplier_id,
    source_outlet_id: c.source_outlet_id,
    consignment_date: c.consignment_date,
    received_at: c.received_at,
    show_inactive: true,
    supplier_invoice: c.supplier_invoice,
    reference: c.reference,
    total_count_gain: received ? gainCount : null,
    total_cost_gain: received ? money(gainCost) : null,
    total_count_loss: received ? 0 : null,
    total_cost_loss: received ? 0 : null,
    created_at: c.created_at,
    updated_at: c.updated_at,
    deleted_at: c.deleted_at,
    product_count: lines.length,
    version: c.version,
    filters: [],
  };
}

export function lineOut(l: ConsignmentLineRec): Record<string, unknown> {
  return {
    product_id: l.product_id,
    product_sku: l.product_sku,
    count: dec5(l.count),
    // Spec 1 types `received` as a (non-nullable) string: an unreceived line reads "0.00000".
    received: dec5(l.received ?? 0),
    cost: dec5(l.cost),
    is_included: l.is_included,
    status: l.status,
    created_at: l.created_at,
    updated_at: l.updated_at,
    deleted_at: l.deleted_at,
    version: l.version,
  };
}

function saleTotals(s: SaleRec): { price: number; tax: number; cost: number } {
  let price = 0;
  let tax = 0;
  let cost = 0;
  for (const l of s.line_items) {
    if (l.status === 'VOIDED') continue;
    price += l.price * l.quantity;
    tax += l.tax * l.quantity;
    cost += l.cost * l.quantity;
  }
  return { price: money(price), tax: money(tax), cost: money(cost) };
}

/** The API 2.0 sale, with the newer `state` + `attributes` kept in step with `status` (§5.1). */
export function saleOut(s: SaleRec, db: XDb): Record<string, unknown> {
  const totals = saleTotals(s);
  const { state, attributes } = stateOfStatus(s.status);
  const taxesById = new Map<string, { id: string; name: string; rate: number; amount: number }>();
  for (const l of s.line_items) {
    if (l.status === 'VOIDED') continue;
    const t = db.taxes.get(l.tax_id);
    const entry = taxesById.get(l.tax_id) ?? { id: l.tax_id, name: t?.name ?? 'Tax', rate: t?.rate ?? 0, amount: 0 };
    entry.amount = money(entry.amount + l.tax * l.quantity);
    taxesById.set(l.tax_id, entry);
  }
  return {
    id: s.id,
    outlet_id: s.outlet_id,
    register_id: s.register_id,
    user_id: s.user_id,
    customer_id: s.customer_id,
    invoice_number: s.invoice_number,
    invoice_sequence: s.invoice_sequence,
    source: s.source,
    ...(s.source_id !== null ? { source_id: s.source_id } : {}),
    status: s.status,
    state,
    note: s.note,
    short_code: s.short_code,
    return_for: null,
    total_price: totals.price,
    total_tax: totals.tax,
    total_loyalty: 0,
    sale_date: s.sale_date,
    created_at: s.created_at,
    updated_at: s.updated_at,
    deleted_at: s.deleted_at,
    version: s.version,
    taxes: [...taxesById.values()],
    line_items: s.line_items.map((l) => ({
      id: l.id,
      product_id: l.product_id,
      tax_id: l.tax_id,
      discount_total: money(l.discount * l.quantity),
      discount: money(l.discount),
      price_total: money(l.price * l.quantity),
      tax_total: money(l.tax * l.quantity),
      cost_total: money(l.cost * l.quantity),
      price: money(l.price),
      cost: money(l.cost),
      tax: money(l.tax),
      quantity: l.quantity,
      loyalty_value: l.loyalty_value,
      price_set: l.price_set,
      sequence: l.sequence,
      note: l.note,
      status: l.status,
      is_return: l.is_return,
      tax_components: [{ rate_id: l.tax_id, total_tax: money(l.tax * l.quantity) }],
    })),
    payments: s.payments.map((p) => ({
      id: p.id,
      register_id: p.register_id,
      retailer_payment_type_id: p.retailer_payment_type_id,
      payment_type_id: p.payment_type_id,
      name: p.name,
      payment_date: p.payment_date,
      amount: money(p.amount),
    })),
    adjustments: [],
    attributes,
  };
}

/** The 0.9 `register_sale` shape answered by POST /api/register_sales (§5.3). */
export function registerSaleOut(s: SaleRec, db: XDb): Record<string, unknown> {
  const totals = saleTotals(s);
  const user = db.users.get(s.user_id);
  const paid = s.payments.reduce((sum, p) => sum + p.amount, 0);
  return {
    id: s.id,
    source: s.source,
    source_id: s.source_id,
    register_id: s.register_id,
    market_id: '1',
    customer_id: s.customer_id,
    customer_name: db.customers.get(s.customer_id)?.name ?? '',
    user_id: s.user_id,
    user_name: user?.display_name ?? '',
    sale_date: legacyDate(Date.parse(s.sale_date)),
    created_at: legacyDate(Date.parse(s.created_at)),
    updated_at: legacyDate(Date.parse(s.updated_at)),
    total_price: totals.price,
    total_cost: totals.cost,
    total_tax: totals.tax,
    note: s.note ?? '',
    status: s.status,
    short_code: s.short_code,
    invoice_number: s.invoice_number,
    invoice_sequence: s.invoice_sequence,
    return_for: null,
    totals: {
      total_tax: totals.tax,
      total_price: totals.price,
      total_payment: money(paid),
      total_to_pay: money(totals.price + totals.tax - paid),
    },
    register_sale_products: s.line_items.map((l) => {
      const p = db.products.get(l.product_id);
      return {
        id: l.id,
        product_id: l.product_id,
        register_id: s.register_id,
        sequence: String(l.sequence),
        handle: p?.handle ?? '',
        sku: p?.sku ?? '',
        name: p?.name ?? '',
        quantity: l.quantity,
        price: money(l.price),
        cost: money(l.cost),
        price_set: l.price_set ? 1 : 0,
        discount: money(l.discount),
        loyalty_value: l.loyalty_value,
        tax: money(l.tax),
        tax_id: l.tax_id,
        tax_name: db.taxes.get(l.tax_id)?.name ?? '',
        tax_rate: db.taxes.get(l.tax_id)?.rate ?? 0,
        tax_total: money(l.tax * l.quantity),
        price_total: money(l.price * l.quantity),
        status: l.status,
        attributes: [],
      };
    }),
    register_sale_payments: s.payments.map((p) => ({
      id: p.id,
      payment_type_id: Number(p.payment_type_id) || 1,
      register_id: p.register_id,
      retailer_payment_type_id: p.retailer_payment_type_id,
      name: p.name,
      label: p.name,
      payment_date: legacyDate(Date.parse(p.payment_date)),
      amount: money(p.amount),
    })),
  };
}
