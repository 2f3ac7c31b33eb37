import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { backOfficePage, table, tag } from '../shared/back-office.ts';
import type { OrderRecord, OrderStatus } from './model.ts';
import { moneyFormatted, orderTotals } from './render.ts';
import { leftToShip, shipOrder, shippedBySize, type ShipLineInput } from './shipments.ts';
import { NuorderError, transitions, type LineInput, type NuorderStore, type OrderEdit } from './store.ts';

/** The back office's shared frame, and one order's page: its lines, the buyer's and brand's buttons, shipping. */

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

const nav = [
  { href: '/backoffice', label: 'Overview' },
  { href: '/backoffice/catalog', label: 'Catalog' },
  { href: '/backoffice/orders', label: 'Orders' },
  { href: '/backoffice/orders/new', label: 'New order' },
  { href: '/backoffice/shipments', label: 'Shipments' },
  { href: '/backoffice/api', label: 'API management' },
];

export const tones: Record<OrderStatus, 'info' | 'ok' | 'warn' | 'muted'> = {
  draft: 'muted',
  review: 'warn',
  pending: 'warn',
  approved: 'ok',
  processed: 'info',
  shipped: 'info',
  cancelled: 'muted',
};

export function page(c: Context, title: string, body: Page, status = 200): Response | Promise<Response> {
  return c.html(backOfficePage({ system: 'NuORDER', title, nav, body }), status as 200);
}

export function formText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

interface OrderPageDeps {
  applyAction(order: OrderRecord, action: string, edit?: OrderEdit): boolean;
}

interface Helpers {
  page: typeof page;
  fail(c: Context, error: unknown): Response | Promise<Response>;
  quantityLines(body: Record<string, unknown>): LineInput[];
}

function actionsOf(order: OrderRecord): Array<[string, string]> {
  const next = transitions[order.status];
  const actions: Array<[string, string]> = [];
  if (next.includes('review')) actions.push(['submit', 'Submit (buyer)']);
  if (next.includes('pending') && order.status === 'draft')
    actions.push(['submit_as_brand', 'Submit as brand rep (pending)']);
  if (next.includes('approved')) actions.push(['approve', 'Approve (brand)']);
  if (next.includes('processed')) actions.push(['process', 'Mark processed']);
  if (next.includes('cancelled')) actions.push(['cancel', 'Cancel']);
  return actions;
}

function linesForm(store: NuorderStore, order: OrderRecord): Page {
  const editable = order.status !== 'cancelled' && order.status !== 'shipped';
  const shipped = shippedBySize(order);
  const awaitingApproval = order.status === 'review' || order.status === 'pending';
  return html`<form method="post" action="/backoffice/orders/${order._id}/edit">
    ${table(
      ['style', 'color', 'season', 'size', 'UPC', 'price', 'quantity', 'shipped', 'line id'],
      order.lines.flatMap((line) => {
        const product = store.product(line.product_id)?.json;
        return line.sizes.map((s) => [
          product?.style_number ?? line.product_id,
          product?.color ?? '',
          product?.season ?? '',
          s.size,
          s.upc ?? tag('no UPC', 'warn'),
          moneyFormatted(s.priceCents, order.currency_code),
          editable
            ? html`<input
                type="number"
                min="0"
                name="q:${line.product_id}:${s.size}"
                value="${s.quantity}"
                style="width:4em"
              />`
            : s.quantity,
          shipped.get(line.id)?.get(s.size) ?? 0,
          line.id,
        ]);
      }),
    )}
    ${editable ? html`<button name="mode" value="edit">Save quantities (edit)</button>` : ''}
    ${awaitingApproval ? html`<button name="mode" value="suggest_changes">Suggest these changes (brand)</button>` : ''}
  </form>`;
}

/** Per size, how many units this shipment carries (default: what is left); carrier, tracking, date, final. */
function shipForm(store: NuorderStore, order: OrderRecord): Page {
  if (order.status !== 'approved' && order.status !== 'processed') return html``;
  const rows = order.lines.flatMap((line) => {
    const product = store.product(line.product_id)?.json;
    return line.sizes
      .map((s) => ({ s, left: leftToShip(order, line, s.size) }))
      .filter(({ left }) => left > 0)
      .map(({ s, left }) => [
        `${product?.style_number ?? line.product_id} ${product?.color ?? ''}`,
        s.size,
        left,
        html`<input
          type="number"
          min="0"
          max="${left}"
          name="s:${line.id}:${s.size}"
          value="${left}"
          style="width:4em"
        />`,
      ]);
  });
  return html`<h2>Ship</h2>
    <form method="post" action="/backoffice/orders/${order._id}/ship">
      ${table(['style', 'size', 'left to ship', 'ship now'], rows, 'Nothing left to ship.')}
      <p>
        Carrier <input name="carrier" value="UPS" /> Tracking numbers (comma separated)
        <input name="tracking" size="40" /> Shipped on <input type="date" name="shipped_on" />
        <label><input type="checkbox" name="final" value="1" /> last shipment (ship no more)</label>
        <button>Ship</button>
      </p>
    </form>`;
}

function shipmentsTable(store: NuorderStore, order: OrderRecord): Page {
  return table(
    ['shipped on', 'carrier', 'tracking numbers', 'units', 'lines'],
    order.shipments.map((s) => [
      s.shipped_on,
      s.carrier || '—',
      s.tracking_numbers.join(', ') || '—',
      s.lines.reduce((n, l) => n + l.sizes.reduce((m, x) => m + x.quantity, 0), 0),
      s.lines
        .map((l) => {
          const line = order.lines.find((x) => x.id === l.line_id);
          const style = line ? (store.product(line.product_id)?.json.style_number ?? '') : l.line_id;
          return `${style} ${l.sizes.map((x) => `${x.size}×${x.quantity}`).join(' ')}`;
        })
        .join('; '),
    ]),
    'Not shipped.',
  );
}

/** The shipment a person typed: quantities per size (`s:<line id>:<size>`), 0 or blank skipped. */
function shipInput(order: OrderRecord, body: Record<string, unknown>): ShipLineInput[] {
  const lines: ShipLineInput[] = [];
  for (const [key, value] of Object.entries(body)) {
    const m = /^s:([^:]+):(.+)$/.exec(key);
    const text = formText(value).trim();
    if (!m || text === '' || text === '0') continue;
    const quantity = Number(text);
    if (!Number.isInteger(quantity) || quantity < 0)
      throw new NuorderError(400, `quantity to ship for ${m[2]} must be a whole number`);
    lines.push({ lineId: m[1] as string, size: m[2] as string, quantity });
  }
  if (lines.length === 0) throw new NuorderError(400, `nothing to ship on order ${order.order_number}`);
  return lines;
}

export function mountOrderPage(app: Hono, store: NuorderStore, deps: OrderPageDeps, h: Helpers): void {
  const brandName = (id: string): string => store.state.brands.find((b) => b._id === id)?.name ?? id;

  app.get('/backoffice/orders/:id', (c) => {
    const order = store.order(c.req.param('id'));
    if (!order) return h.page(c, 'Order not found', html`<p>No order ${c.req.param('id')}.</p>`, 404);
    const t = orderTotals(order);
    return h.page(
      c,
      `Order ${order.order_number}`,
      html`<p>
          ${tag(order.status, tones[order.status])} ${order.edited ? tag('edited', 'warn') : ''}
          ${order.split ? tag('split', 'info') : ''}
          ${order.submitted_by === 'api' ? tag('sent through the API', 'info') : ''} · ${brandName(order.brand)} · _id
          ${order._id} · PO ${order.customer_po_number || '—'} · ${t.quantity} units ·
          ${moneyFormatted(t.cents, order.currency_code)} · ship ${order.start_ship.slice(0, 10)} →
          ${order.end_ship.slice(0, 10)} · created ${order.created_on} · modified ${order.modified_on}
        </p>
        <p>
          ${actionsOf(order).map(
            ([action, label]) =>
              html`<form class="inline" method="post" action="/backoffice/orders/${order._id}/action">
                <input type="hidden" name="action" value="${action}" /><button>${label}</button>
              </form> `,
          )}
          <a href="/api/order/${order._id}">JSON (signed requests only)</a>
        </p>
        ${order.notes ? html`<p><em>${order.notes}</em></p>` : ''}
        <h2>Lines</h2>
        ${linesForm(store, order)} ${shipForm(store, order)}
        ${
          order.status !== 'cancelled' && order.status !== 'shipped' && order.lines.length > 1
            ? html`<h2>Split</h2>
                <form method="post" action="/backoffice/orders/${order._id}/split">
                  <button>Split the second half of the lines into a new order</button>
                </form>`
            : ''
        }
        <h2>Shipments</h2>
        ${shipmentsTable(store, order)}
        <h2>History</h2>
        ${table(
          ['at', 'from', 'to', 'by'],
          order.history.map((x) => [x.at, x.from ?? '', x.to, x.by]),
        )}`,
    );
  });

  const withOrder =
    (fn: (c: Context, order: OrderRecord, body: Record<string, unknown>) => void | string) =>
    async (c: Context): Promise<Response> => {
      const order = store.order(c.req.param('id') ?? '');
      if (!order) return h.page(c, 'Order not found', html`<p>No such order.</p>`, 404);
      try {
        const body = await c.req.parseBody();
        const target = fn(c, order, body);
        return c.redirect(`/backoffice/orders/${target ?? order._id}`, 303);
      } catch (error) {
        return h.fail(c, error);
      }
    };

  app.post(
    '/backoffice/orders/:id/action',
    withOrder((_c, order, body) => {
      deps.applyAction(order, formText(body['action']));
    }),
  );
  app.post(
    '/backoffice/orders/:id/edit',
    withOrder((_c, order, body) => {
      const lines = h.quantityLines(body);
      if (body['mode'] === 'suggest_changes') deps.applyAction(order, 'suggest_changes', { lines });
      else store.editOrder(order, { lines }, 'brand');
    }),
  );
  app.post(
    '/backoffice/orders/:id/ship',
    withOrder((_c, order, body) => {
      const tracking = formText(body['tracking'])
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const date = formText(body['shipped_on']);
      shipOrder(
        store,
        order,
        {
          carrier: formText(body['carrier']),
          trackingNumbers: tracking,
          lines: shipInput(order, body),
          final: body['final'] === '1',
          ...(date ? { shippedOn: `${date}T12:00:00.000Z` } : {}),
        },
        'brand',
      );
    }),
  );
  app.post(
    '/backoffice/orders/:id/split',
    withOrder((_c, order) => store.splitOrder(order, undefined, 'brand').split._id),
  );
}
