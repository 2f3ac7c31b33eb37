/**
 * The X-Series sales routes: API 2.0 reads and fulfilment (§5.2, §5.4), the 0.9 `POST /api/register_sales`
 * (§5.3), and the date-versioned `/api/{YYYY-MM}/sales` (sales-2026.ts). Section numbers refer to
 * shared/reference/lightspeed-x-series.md.
 */
import type { Hono } from 'hono';
import type { XDb } from './db.ts';
import { badRequest, notFound, unprocessable } from './errors.ts';
import { collection, h, isObject, num, pageParams, readJson, str, unwrap } from './http.ts';
import { uuidPattern } from './ids.ts';
import { registerSaleOut, saleOut } from './render.ts';
import { adjustStock, newSale, nextInvoice, saleRegister, setSaleStatus } from './sale-store.ts';
import { isFinal, isSaleStatus } from './sales.ts';
import { mountSales2026 } from './sales-2026.ts';
import type { SaleLineRec, SalePaymentRec, SaleRec } from './state.ts';
import type { WebhookDispatcher } from './webhooks.ts';

export function mountSalesApi(app: Hono, db: XDb, hooks: WebhookDispatcher): void {
  const v2 = '/api/2.0';

  app.get(
    `${v2}/sales`,
    h((c) => {
      const p = pageParams(c, 500);
      return c.json(
        collection(
          db.sales.page(p.after, p.before, p.pageSize, (s) => p.deleted || s.deleted_at === null),
          (s) => saleOut(s, db),
          p.after,
        ),
      );
    }),
  );
  app.get(
    `${v2}/sales/:id`,
    h((c) => {
      const s = db.sales.get(c.req.param('id') ?? '');
      if (!s) throw notFound('Sale');
      return c.json({ data: saleOut(s, db) });
    }),
  );
  app.get(
    `${v2}/sales/:id/fulfillments`,
    h((c) => {
      const s = db.sales.get(c.req.param('id') ?? '');
      if (!s) throw notFound('Sale');
      return c.json({ data: db.fulfillments.filter((f) => f.sale_id === s.id) });
    }),
  );
  app.post(
    `${v2}/sales/:id/fulfill`,
    h(async (c) => {
      const s = db.sales.get(c.req.param('id') ?? '');
      if (!s || s.deleted_at) throw notFound('Sale');
      const body = unwrap(await readJson(c));
      const type = isObject(body) ? body.fulfillment_type : undefined;
      if (type !== 'SHIPPED' && type !== 'PICKED_UP')
        throw unprocessable('fulfillment_type must be SHIPPED or PICKED_UP', { fulfillment_type: ['is invalid'] });
      const done = db.fulfillments.find((f) => f.sale_id === s.id);
      // [T] §5.4: the call is idempotent; a fulfilled sale answers its fulfilment again.
      if (done && (s.status === 'DISPATCHED_CLOSED' || s.status === 'PICKED_UP_CLOSED')) return c.json({ data: done });
      if (s.status !== 'AWAITING_DISPATCH' && s.status !== 'AWAITING_PICKUP')
        throw unprocessable(`Sale with status ${s.status} cannot be fulfilled`);
      const fulfillment = {
        id: db.newId('fulfillment'),
        sale_id: s.id,
        outlet_id: s.outlet_id,
        user_id: s.user_id,
        status: type,
        created_at: db.now(),
        line_items: s.line_items
          .filter((l) => l.status !== 'VOIDED')
          .map((l) => ({ id: db.newId('fulfillment_line'), product_id: l.product_id, quantity: l.quantity })),
      } as const;
      db.fulfillments.push({ ...fulfillment, line_items: [...fulfillment.line_items] });
      const next = setSaleStatus(db, s, type === 'SHIPPED' ? 'DISPATCHED_CLOSED' : 'PICKED_UP_CLOSED', hooks);
      hooks.sale(next);
      return c.json({ data: fulfillment });
    }),
  );

  // 0.9 create-or-update (§5.3).
  app.post(
    '/api/register_sales',
    h(async (c) => {
      const body = await readJson(c);
      if (!isObject(body)) throw badRequest('Invalid sale');
      const sale = upsertRegisterSale(db, body, hooks);
      hooks.sale(sale);
      return c.json({ register_sale: registerSaleOut(sale, db) });
    }),
  );

  mountSales2026(app, db, hooks);
}

/** 0.9 POST /api/register_sales (§5.3): create, or update when `id` names an existing sale. */
function upsertRegisterSale(db: XDb, body: Record<string, unknown>, hooks: WebhookDispatcher): SaleRec {
  const status = body.status;
  if (!isSaleStatus(status))
    throw badRequest('status is required and must be a valid sale status', { status: ['is invalid'] });
  const userId = str(body.user_id);
  if (!userId || !db.users.get(userId))
    throw badRequest('user_id is required and must be an existing user', { user_id: ['is invalid'] });
  const id = str(body.id);
  const existing = id ? db.sales.get(id) : undefined;
  if (id && !existing && !uuidPattern.test(id)) throw badRequest('id must be a UUID');
  if (existing && isFinal(existing.status) && status !== 'VOIDED' && status !== existing.status)
    throw badRequest(`A ${existing.status} sale can only be voided`);
  const registerId =
    existing && body.register_id === undefined ? existing.register_id : saleRegister(db, body.register_id);
  const lines: SaleLineRec[] | undefined = Array.isArray(body.register_sale_products)
    ? body.register_sale_products.map((raw, i) => {
        if (!isObject(raw)) throw badRequest(`register_sale_products[${i}] must be an object`);
        for (const k of ['product_id', 'quantity', 'price', 'tax', 'tax_id'])
          if (raw[k] === undefined || raw[k] === null)
            throw badRequest(`register_sale_products[${i}].${k} is required`);
        const product = db.products.get(str(raw.product_id) ?? '');
        if (!product || product.deleted_at) throw badRequest(`register_sale_products[${i}].product_id does not exist`);
        if (!db.taxes.get(str(raw.tax_id) ?? ''))
          throw badRequest(`register_sale_products[${i}].tax_id does not exist`);
        const lineStatus = str(raw.status) ?? 'CONFIRMED';
        return {
          id: str(raw.id) ?? db.newId('sale_line'),
          product_id: product.id,
          quantity: num(raw.quantity, 'quantity') as number,
          price: num(raw.price, 'price') as number,
          cost: num(raw.cost, 'cost') ?? product.supply_price,
          tax: num(raw.tax, 'tax') as number,
          tax_id: str(raw.tax_id) as string,
          discount: num(raw.discount, 'discount') ?? 0,
          loyalty_value: num(raw.loyalty_value, 'loyalty_value') ?? 0,
          price_set: Boolean(raw.price_set),
          sequence: num(raw.sequence, 'sequence') ?? i,
          note: str(raw.note) ?? null,
          status: (['SAVED', 'VOIDED', 'CONFIRMED'].includes(lineStatus)
            ? lineStatus
            : 'CONFIRMED') as SaleLineRec['status'],
          is_return: (num(raw.quantity, 'quantity') ?? 0) < 0,
        };
      })
    : undefined;
  const payments = Array.isArray(body.register_sale_payments)
    ? body.register_sale_payments.map((raw, i): SalePaymentRec => {
        if (!isObject(raw)) throw badRequest(`register_sale_payments[${i}] must be an object`);
        const type = db.paymentTypes.get(str(raw.retailer_payment_type_id) ?? '');
        if (!type) throw badRequest(`register_sale_payments[${i}].retailer_payment_type_id does not exist`);
        const amount = num(raw.amount, 'amount');
        if (amount === undefined) throw badRequest(`register_sale_payments[${i}].amount is required`);
        return {
          id: str(raw.id) ?? db.newId('payment'),
          register_id: registerId,
          retailer_payment_type_id: type.id,
          payment_type_id: String(type.type_id),
          name: type.name,
          payment_date: str(raw.payment_date) ?? db.now(),
          amount,
        };
      })
    : undefined;
  const customerId = str(body.customer_id) ?? existing?.customer_id ?? db.customers.values()[0]?.id ?? '';
  const now = db.now();
  const registerOutlet = db.registers.get(registerId)?.outlet_id ?? '';
  const base: SaleRec =
    existing ??
    newSale(db, {
      id: id ?? db.newId('sale'),
      outlet_id: registerOutlet,
      register_id: registerId,
      user_id: userId,
      customer_id: customerId,
      ...(str(body.invoice_number)
        ? { invoice_number: str(body.invoice_number) as string, invoice_sequence: 0 }
        : nextInvoice(db, registerId)),
      source: str(body.source) ?? 'USER',
      source_id: str(body.source_id) ?? null,
      status,
    });
  const next: SaleRec = {
    ...base,
    user_id: userId,
    customer_id: customerId,
    status,
    note: str(body.note) ?? base.note,
    sale_date: str(body.sale_date) ?? base.sale_date,
    source_id: str(body.source_id) ?? base.source_id,
    line_items: lines ?? base.line_items,
    payments: payments ?? base.payments,
    updated_at: now,
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
