/**
 * A sale in the 2026-07 `Sale` shape (schemas `Sale`, `SaleResponseSource`, `SaleResponseLineItem`, `SaleTotals`;
 * test/contracts/recorded-shapes/lightspeed-x-2026-07-sales.json). Unlike the 2.0 sale (render.ts `saleOut`) it has
 * `state` + `attributes` and no `status`, the version under `_metadata`, the outlet and register only under
 * `source`, lines with `product{id}`, `pricing{…}` and `tax{…}`, and totals in `totals{…}`. Keys the spec types as
 * plain strings (`deleted_at`, `note`, `customer_id`, `source.id`) are left out rather than sent as null.
 */
import { money } from './render.ts';
import type { XDb } from './db.ts';
import { stateOfStatus } from './sales.ts';
import type { SaleLineRec, SaleRec } from './state.ts';

function lineOut(l: SaleLineRec, registerId: string): Record<string, unknown> {
  return {
    id: l.id,
    product: { id: l.product_id },
    quantity: l.quantity,
    status: l.status,
    ...(l.note ? { note: l.note } : {}),
    pricing: {
      price: money(l.price),
      cost: money(l.cost),
      discount: money(l.discount),
      loyalty_amount: money(l.loyalty_value),
      total: money(l.price * l.quantity),
      cost_total: money(l.cost * l.quantity),
      discount_total: money(l.discount * l.quantity),
      loyalty_amount_total: money(l.loyalty_value * l.quantity),
    },
    tax: { id: l.tax_id, amount: money(l.tax), total: money(l.tax * l.quantity) },
    _metadata: { sequence: l.sequence },
    source: { register_id: registerId },
    ...(l.is_return ? { return: { is_return: true } } : {}),
  };
}

export function sale2026Out(s: SaleRec, db: XDb): Record<string, unknown> {
  const { state, attributes } = stateOfStatus(s.status);
  const live = s.line_items.filter((l) => l.status !== 'VOIDED');
  const price = live.reduce((sum, l) => sum + l.price * l.quantity, 0);
  const tax = live.reduce((sum, l) => sum + l.tax * l.quantity, 0);
  const taxes = new Map<string, number>();
  for (const l of live) taxes.set(l.tax_id, (taxes.get(l.tax_id) ?? 0) + l.tax * l.quantity);
  return {
    id: s.id,
    _metadata: { version: s.version },
    state,
    attributes,
    source: {
      author: { id: s.user_id },
      outlet_id: s.outlet_id,
      register_id: s.register_id,
      ...(s.source_id !== null ? { id: s.source_id, type: s.source } : {}),
    },
    ...(s.customer_id ? { customer_id: s.customer_id } : {}),
    invoice_number: s.invoice_number,
    short_code: s.short_code,
    ...(s.note ? { note: s.note } : {}),
    date: s.sale_date,
    created_at: s.created_at,
    updated_at: s.updated_at,
    ...(s.deleted_at ? { deleted_at: s.deleted_at } : {}),
    line_items: s.line_items.map((l) => lineOut(l, s.register_id)),
    payments: s.payments.map((p) => ({
      id: p.id,
      amount: money(p.amount),
      date: p.payment_date,
      type: { config_id: p.retailer_payment_type_id, name: p.name },
      source: { outlet_id: db.registers.get(p.register_id)?.outlet_id ?? s.outlet_id, register_id: p.register_id },
    })),
    taxes: [...taxes].map(([id, amount]) => ({ id, tax: money(amount) })),
    totals: {
      price: money(price),
      tax: money(tax),
      price_incl_tax: money(price + tax),
      loyalty: 0,
      surcharge: 0,
    },
    adjustments: [],
  };
}
