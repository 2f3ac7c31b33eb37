import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { table, tag } from '../shared/back-office.ts';
import { isOrderStatus, orderStatuses, priceCents, type OrderRecord } from './model.ts';
import { moneyFormatted, orderTotals } from './render.ts';
import { mountApiPages } from './back-office-api.ts';
import { formText, mountOrderPage, page, tones } from './back-office-order.ts';
import { NuorderError, type LineInput, type NuorderStore, type OrderEdit } from './store.ts';

/** A catalog price as a person reads it; "" or absent (real products have had `retail: ""`) shows as "none". */
function shownPrice(value: number | '' | undefined, currency: string | undefined): string {
  const cents = priceCents(value);
  return cents === null || currency === undefined ? 'none' : moneyFormatted(cents, currency);
}

export interface BackOfficeDeps {
  applyAction(order: OrderRecord, action: string, edit?: OrderEdit): boolean;
}

/**
 * The NuORDER back office: what the account holds (brands, catalog with UPCs, orders, shipments, API
 * applications) and the forms a buyer and a brand use before an order is approved: build an order from the
 * catalog, submit it, approve it or suggest changes, process, ship, cancel. Also the OAuth authorize page.
 */
export function mountBackOffice(app: Hono, store: NuorderStore, deps: BackOfficeDeps): void {
  const brandName = (id: string): string => store.state.brands.find((b) => b._id === id)?.name ?? id;
  const fail = (c: Context, error: unknown): Response | Promise<Response> => {
    if (error instanceof NuorderError)
      return page(
        c,
        'Refused',
        html`<p>${error.message}</p>
          <p><a href="javascript:history.back()">Back</a></p>`,
        400,
      );
    throw error;
  };

  app.get('/backoffice', (c) => {
    const s = store.state;
    const counts = orderStatuses.map((st) => [
      tag(st, tones[st]),
      s.orders.filter((o) => o.status === st).length,
      html`<a href="/backoffice/orders?status=${st}">view</a>`,
    ]);
    return page(
      c,
      'Overview',
      html`<h2>Retailer</h2>
        ${table(
          ['name', 'code', '_id', 'buyer', 'address'],
          s.retailers.map((r) => [
            r.name,
            r.code,
            r._id,
            `${r.buyer_name} <${r.buyer_email}>`,
            `${r.address.line_1}, ${r.address.city} ${r.address.state} ${r.address.zip}`,
          ]),
          'No retailer: seed a scenario (POST /_sim/seed {"scenario":"demo"}).',
        )}
        <h2>Brands</h2>
        ${table(
          ['brand', 'code', '_id', 'products', 'orders'],
          s.brands.map((b) => [
            html`<a href="/backoffice/catalog?brand=${b._id}">${b.name}</a>`,
            b.code,
            b._id,
            s.products.filter((p) => p.brand === b._id).length,
            s.orders.filter((o) => o.brand === b._id).length,
          ]),
        )}
        <h2>Orders by status</h2>
        ${table(['status', 'orders', ''], counts)}`,
    );
  });

  app.get('/backoffice/catalog', (c) => {
    const brandId = c.req.query('brand') ?? store.state.brands[0]?._id ?? '';
    const products = store.state.products.filter((p) => p.brand === brandId);
    return page(
      c,
      `Catalog · ${brandName(brandId)}`,
      html`<p>${store.state.brands.map((b) => html`<a href="/backoffice/catalog?brand=${b._id}">${b.name}</a> · `)}</p>
        ${table(
          ['style', 'season', 'color', 'name', 'brand_id (external)', 'wholesale', 'retail', 'sizes and UPCs', '_id'],
          products.map((p) => {
            const price = Object.entries(p.json.pricing)[0];
            return [
              p.json.style_number,
              p.json.season,
              `${p.json.color} (${p.json.color_code})`,
              p.json.name,
              p.json.brand_id,
              shownPrice(price?.[1].wholesale, price?.[0]),
              shownPrice(price?.[1].retail, price?.[0]),
              html`${p.json.sizes.map((s) => html`${s.size}: ${s.upc ?? tag('no UPC', 'warn')}<br />`)}`,
              p.json._id,
            ];
          }),
          'No products for this brand.',
        )}`,
    );
  });

  app.get('/backoffice/orders', (c) => {
    const status = c.req.query('status') ?? '';
    const orders = store.state.orders.filter((o) => !isOrderStatus(status) || o.status === status);
    return page(
      c,
      isOrderStatus(status) ? `Orders · ${status}` : 'Orders',
      html`<p>
          ${orderStatuses.map((st) => html`<a href="/backoffice/orders?status=${st}">${st}</a> · `)}<a
            href="/backoffice/orders"
            >all</a
          >
        </p>
        ${table(
          ['number', 'status', 'brand', 'PO', 'lines', 'units', 'total', 'ship window', 'modified', 'edited'],
          orders.map((o) => {
            const t = orderTotals(o);
            return [
              html`<a href="/backoffice/orders/${o._id}">${o.order_number}</a>`,
              tag(o.status, tones[o.status]),
              brandName(o.brand),
              o.customer_po_number,
              o.lines.length,
              t.quantity,
              moneyFormatted(t.cents, o.currency_code),
              `${o.start_ship.slice(0, 10)} → ${o.end_ship.slice(0, 10)}`,
              o.modified_on,
              o.edited ? tag('edited', 'warn') : '',
            ];
          }),
        )}`,
    );
  });

  app.get('/backoffice/orders/new', (c) => {
    const brandId = c.req.query('brand') ?? store.state.brands[0]?._id ?? '';
    const products = store.state.products.filter((p) => p.brand === brandId);
    return page(
      c,
      `New order · ${brandName(brandId)}`,
      html`<p>
          Build a working order from the catalog (the buyer's side), then save it as a draft or submit it for review.
        </p>
        <p>${store.state.brands.map((b) => html`<a href="/backoffice/orders/new?brand=${b._id}">${b.name}</a> · `)}</p>
        <form method="post" action="/backoffice/orders">
          <input type="hidden" name="brand" value="${brandId}" />
          <p>Customer PO <input name="customer_po_number" /> Notes <input name="notes" size="40" /></p>
          ${table(
            ['style', 'color', 'name', 'price', 'quantities by size'],
            products.map((p) => [
              p.json.style_number,
              p.json.color,
              p.json.name,
              Object.values(p.json.pricing)[0]?.wholesale ?? '',
              html`${p.json.sizes.map((s) => html`<label>${s.size} <input type="number" min="0" name="q:${p.json._id}:${s.size}" style="width:3.5em" /></label> `)}`,
            ]),
            'No products for this brand.',
          )}
          <button name="then" value="draft">Save draft</button>
          <button name="then" value="submit">Submit for review</button>
        </form>`,
    );
  });

  const quantityLines = (body: Record<string, unknown>): LineInput[] =>
    Object.entries(body).flatMap(([key, value]) => {
      const m = /^q:([^:]+):(.+)$/.exec(key);
      const text = formText(value).trim();
      if (!m || text === '') return [];
      const quantity = Number(text);
      if (!Number.isInteger(quantity) || quantity < 0)
        throw new NuorderError(400, `quantity for ${m[2]} must be a whole number`);
      return [{ productId: m[1] as string, size: m[2] as string, quantity }];
    });

  app.post('/backoffice/orders', async (c) => {
    try {
      const body = await c.req.parseBody();
      const lines = quantityLines(body).filter((l) => l.quantity > 0);
      const order = store.createOrder({
        brand: formText(body['brand']),
        lines,
        by: 'buyer',
        customerPoNumber: formText(body['customer_po_number']),
        notes: formText(body['notes']),
        ...(body['then'] === 'submit' ? { status: 'review' as const } : {}),
      });
      return c.redirect(`/backoffice/orders/${order._id}`, 303);
    } catch (error) {
      return fail(c, error);
    }
  });

  mountOrderPage(app, store, deps, { page, fail, quantityLines });

  app.get('/backoffice/shipments', (c) => {
    const rows = store.state.orders.flatMap((o) =>
      o.shipments.map((s) => [
        html`<a href="/backoffice/orders/${o._id}">${o.order_number}</a>`,
        brandName(o.brand),
        s.shipped_on,
        s.carrier,
        s.tracking_numbers.join(', '),
      ]),
    );
    return page(
      c,
      'Shipments',
      table(['order', 'brand', 'shipped on', 'carrier', 'tracking numbers'], rows, 'Nothing shipped yet.'),
    );
  });

  mountApiPages(app, store, page, fail);
}
