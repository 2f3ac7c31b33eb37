/**
 * The date-versioned sales API, `/api/{YYYY-MM}/sales` (reference §5.3; shapes from the 2026-07 OpenAPI, copied in
 * test/contracts/recorded-shapes/lightspeed-x-2026-07-sales.json): create, read, update and list, answered in the
 * 2026-07 `Sale` shape (sales-2026-render.ts) with HTTP 200, the only status the spec declares.
 *
 * Requests are held to the spec's required fields (`SaleRequestBase`): `source.author_id` and `state`, and on every
 * line `product.id`, `quantity`, `pricing.price`, `tax.id` and `tax.amount`; payments need `amount` and
 * `type.config_id`. A missing or unknown one is a 422 naming the field. [I] The spec declares no error replies at
 * all, so the status and body of a refusal (422 `{"error", "details"}`, as 2.0 refuses) are our assumption.
 * Every `YYYY-MM` is answered in the 2026-07 shape [I] (earlier date versions' shapes are not in the reference).
 */
import type { Hono } from 'hono';
import type { XDb } from './db.ts';
import { ApiError, notFound, unprocessable } from './errors.ts';
import { collection, h, isObject, num, pageParams, readJson, str } from './http.ts';
import { uuidPattern } from './ids.ts';
import { adjustStock, newSale, nextInvoice, saleRegister } from './sale-store.ts';
import { sale2026Out } from './sales-2026-render.ts';
import { isFinal, isSaleStatus, statusOfState } from './sales.ts';
import type { SaleLineRec, SalePaymentRec, SaleRec } from './state.ts';
import type { WebhookDispatcher } from './webhooks.ts';

const base = '/api/:version{\\d{4}-\\d{2}}/sales';
const states = ['parked', 'pending', 'voided', 'closed'];

export function mountSales2026(app: Hono, db: XDb, hooks: WebhookDispatcher): void {
  app.get(
    base,
    h((c) => {
      const p = pageParams(c, 500);
      const page = db.sales.page(p.after, p.before, p.pageSize, (s) => p.deleted || s.deleted_at === null);
      return c.json(collection(page, (s) => sale2026Out(s, db), p.after));
    }),
  );
  app.post(
    base,
    h(async (c) => {
      const body = await readJson(c);
      if (!isObject(body)) throw unprocessable('The request body must be a sale object');
      // [I] A client-chosen id that already exists: the spec is silent; we refuse it rather than overwrite.
      if (typeof body.id === 'string' && db.sales.get(body.id))
        throw new ApiError(409, { error: `A sale with id ${body.id} already exists` });
      const sale = writeSale(db, undefined, body, hooks);
      hooks.sale(sale);
      return c.json({ data: sale2026Out(sale, db) }, 200);
    }),
  );
  app.get(
    `${base}/:id`,
    h((c) => {
      const s = db.sales.get(c.req.param('id') ?? '');
      if (!s) throw notFound('Sale');
      return c.json({ data: sale2026Out(s, db) });
    }),
  );
  app.put(
    `${base}/:id`,
    h(async (c) => {
      const existing = db.sales.get(c.req.param('id') ?? '');
      if (!existing || existing.deleted_at) throw notFound('Sale');
      const body = await readJson(c);
      if (!isObject(body)) throw unprocessable('The request body must be a sale object');
      const sale = writeSale(db, existing, body, hooks);
      hooks.sale(sale);
      return c.json({ data: sale2026Out(sale, db) });
    }),
  );
}

const required = (field: string, what = 'is required'): ApiError =>
  unprocessable(`${field} ${what}`, { [field]: [what] });

/** `SaleRequestBase`: the author, the state (+ attributes) and the status they name. */
function saleHeader(
  db: XDb,
  body: Record<string, unknown>,
): { authorId: string; source: Record<string, unknown>; status: string } {
  const source = body.source;
  if (!isObject(source)) throw required('source');
  const authorId = str(source.author_id);
  if (!authorId) throw required('source.author_id');
  if (!db.users.get(authorId)) throw required('source.author_id', 'must be an existing user');
  const state = str(body.state);
  if (!state) throw required('state');
  if (!states.includes(state)) throw required('state', `must be one of ${states.join(', ')}`);
  const attributes = Array.isArray(body.attributes)
    ? body.attributes.filter((a): a is string => typeof a === 'string')
    : [];
  const status = statusOfState(state, attributes);
  if (!isSaleStatus(status)) throw unprocessable(status, { attributes: [status] });
  return { authorId, source, status };
}

/** Numbers per the spec (`number:double`); decimal strings too, as the docs' own example sends them. */
function needNumber(value: unknown, field: string): number {
  const n = num(value, field);
  if (n === undefined) throw required(field);
  return n;
}

function saleLines(db: XDb, raw: unknown[]): SaleLineRec[] {
  return raw.map((line, i) => {
    const at = `line_items[${i}]`;
    if (!isObject(line)) throw unprocessable(`${at} must be an object`);
    const productId = isObject(line.product) ? str(line.product.id) : undefined;
    if (!productId) throw required(`${at}.product.id`);
    const product = db.products.get(productId);
    if (!product || product.deleted_at) throw required(`${at}.product.id`, 'must be an existing product');
    const quantity = needNumber(line.quantity, `${at}.quantity`);
    const pricing = isObject(line.pricing) ? line.pricing : {};
    const price = needNumber(pricing.price, `${at}.pricing.price`);
    const tax = isObject(line.tax) ? line.tax : {};
    const taxId = str(tax.id);
    if (!taxId) throw required(`${at}.tax.id`);
    if (!db.taxes.get(taxId))
      throw required(`${at}.tax.id`, "must be an existing tax (use 'No Tax' for tax-free items)");
    const taxAmount = needNumber(tax.amount, `${at}.tax.amount`);
    // A line note travels as the attribute `line_note` (`LineItemAttribute`).
    const noteAttr = Array.isArray(line.attributes)
      ? line.attributes.find((a) => isObject(a) && a.name === 'line_note')
      : undefined;
    return {
      id: str(line.id) ?? db.newId('sale_line'),
      product_id: product.id,
      quantity,
      price,
      cost: num(pricing.cost, `${at}.pricing.cost`) ?? product.supply_price,
      tax: taxAmount,
      tax_id: taxId,
      discount: num(pricing.discount, `${at}.pricing.discount`) ?? 0,
      loyalty_value: num(pricing.loyalty_amount, `${at}.pricing.loyalty_amount`) ?? 0,
      price_set: true,
      sequence: i,
      note: isObject(noteAttr) ? (str(noteAttr.value) ?? null) : null,
      status: 'CONFIRMED' as const,
      is_return: quantity < 0,
    };
  });
}

function salePayments(db: XDb, raw: unknown[], registerId: string): SalePaymentRec[] {
  return raw.map((payment, i) => {
    const at = `payments[${i}]`;
    if (!isObject(payment)) throw unprocessable(`${at} must be an object`);
    const configId = isObject(payment.type) ? str(payment.type.config_id) : undefined;
    if (!configId) throw required(`${at}.type.config_id`);
    const type = db.paymentTypes.get(configId);
    if (!type) throw required(`${at}.type.config_id`, 'must be an existing payment type');
    return {
      id: db.newId('payment'),
      register_id: registerId,
      retailer_payment_type_id: type.id,
      payment_type_id: String(type.type_id),
      name: type.name,
      payment_date: str(payment.date) ?? db.now(),
      amount: needNumber(payment.amount, `${at}.amount`),
    };
  });
}

/** Create (no `existing`) or update one sale from a `SaleRequest` / `SaleUpdateRequest` body. */
function writeSale(
  db: XDb,
  existing: SaleRec | undefined,
  body: Record<string, unknown>,
  hooks: WebhookDispatcher,
): SaleRec {
  const { authorId, source, status } = saleHeader(db, body);
  if (existing && isFinal(existing.status) && status !== existing.status && status !== 'VOIDED')
    throw unprocessable(`A ${existing.status} sale can only be voided`, { state: ['is invalid'] });
  const registerId =
    source.register_id === undefined && existing ? existing.register_id : saleRegister(db, source.register_id);
  const lines = Array.isArray(body.line_items) ? saleLines(db, body.line_items) : undefined;
  const payments = Array.isArray(body.payments) ? salePayments(db, body.payments, registerId) : undefined;
  const id = existing?.id ?? str(body.id) ?? db.newId('sale');
  if (!existing && str(body.id) && !uuidPattern.test(id)) throw required('id', 'must be a UUID');
  const start: SaleRec =
    existing ??
    newSale(db, {
      id,
      outlet_id: db.registers.get(registerId)?.outlet_id ?? '',
      register_id: registerId,
      user_id: authorId,
      customer_id: db.customers.values()[0]?.id ?? '',
      ...nextInvoice(db, registerId),
      source: 'USER',
      source_id: null,
      status,
    });
  const next: SaleRec = {
    ...start,
    status,
    customer_id: str(body.customer_id) ?? start.customer_id,
    source: str(source.type) ?? start.source,
    source_id: str(source.id) ?? start.source_id,
    note: str(body.note) ?? start.note,
    sale_date: str(body.date) ?? start.sale_date,
    line_items: lines ?? start.line_items,
    payments: payments ?? start.payments,
    fulfillment_details: Array.isArray(body.fulfillment_details) ? body.fulfillment_details : start.fulfillment_details,
    updated_at: db.now(),
    version: db.nextVersion(),
  };
  if (existing && lines && existing.stock_taken) {
    // Lines replaced on a sale that already took stock: put the old quantities back first.
    adjustStock(db, { ...existing, status: 'VOIDED' }, hooks);
    next.stock_taken = false;
  }
  adjustStock(db, next, hooks);
  db.sales.put(next);
  return next;
}
