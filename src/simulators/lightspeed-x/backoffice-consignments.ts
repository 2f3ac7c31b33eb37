/**
 * The back office's purchase orders (SUPPLIER consignments, reference lightspeed-x-series.md §3): the list, one
 * order with its lines, what was received and what it did to stock, and what a merchant does in Retail POS:
 * create a purchase order for a supplier, mark it sent, receive it (fully or partly), cancel it. Every action goes
 * through the same rules as the API (consignments.ts), so the back office refuses what the API refuses.
 */
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { table, tag } from '../shared/back-office.ts';
import { addLine, createConsignment, liveConsignment, updateConsignment, updateLine } from './consignments.ts';
import type { XDb } from './db.ts';
import { ApiError } from './errors.ts';
import type { ConsignmentLineRec, ConsignmentRec, ProductRec } from './state.ts';
import type { WebhookDispatcher } from './webhooks.ts';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;
type Render = (title: string, body: Html) => Html;

const pageSize = 50;
const money = (n: number): string => `$${n.toFixed(2)}`;

/** A consignment created from a NuORDER order says so in its name, reference or supplier invoice. */
export function isFromNuorder(c: ConsignmentRec): boolean {
  return [c.name, c.reference ?? '', c.supplier_invoice ?? ''].some((s) => /nuorder/i.test(s));
}

function statusTag(status: string): Html {
  return tag(status, status === 'RECEIVED' ? 'ok' : status === 'CANCELLED' ? 'muted' : 'warn');
}

function formText(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function variantLabel(p: ProductRec): string {
  return `${p.name} ${p.variant_options.map((o) => o.value).join(' / ')}`.trim();
}

/** A product by SKU or barcode, as a person types it at the till (any product code, case-insensitive). */
function productByCode(db: XDb, code: string): ProductRec {
  const live = db.productsWithCode(code).filter((p) => p.deleted_at === null);
  if (live.length === 0) throw new ApiError(422, { error: `No product has the code ${code}` });
  if (live.length > 1) throw new ApiError(422, { error: `Several products have the code ${code}; use the SKU` });
  return live[0] as ProductRec;
}

/** Lines typed as `code, quantity[, cost]` one per row, plus quantity boxes `q:<product id>`. */
function typedLines(
  db: XDb,
  form: Record<string, unknown>,
): Array<{ product: ProductRec; count: number; cost?: number }> {
  const lines: Array<{ product: ProductRec; count: number; cost?: number }> = [];
  const quantity = (text: string, what: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new ApiError(422, { error: `The quantity of ${what} must be 1 or more` });
    return n;
  };
  for (const [key, value] of Object.entries(form)) {
    const m = /^q:(.+)$/.exec(key);
    const text = formText(value);
    if (!m || text === '' || text === '0') continue;
    const product = db.products.get(m[1] as string);
    if (!product) throw new ApiError(422, { error: `Unknown product ${m[1]}` });
    lines.push({ product, count: quantity(text, product.sku ?? product.id) });
  }
  for (const row of formText(form['lines']).split(/\r?\n/)) {
    if (row.trim() === '') continue;
    const [code = '', count = '', cost] = row.split(',').map((x) => x.trim());
    const product = productByCode(db, code);
    lines.push({
      product,
      count: quantity(count, code),
      ...(cost ? { cost: Number(cost) } : {}),
    });
  }
  if (lines.length === 0) throw new ApiError(422, { error: 'A purchase order needs at least one product' });
  return lines;
}

function newOrderPage(db: XDb, c: Context): Html {
  const suppliers = db.suppliers.values().filter((s) => s.deleted_at === null);
  const supplierId = c.req.query('supplier') ?? suppliers[0]?.id ?? '';
  const products = db.products
    .values()
    .filter((p) => p.deleted_at === null && p.supplier_id === supplierId && !p.is_composite)
    .slice(0, 200);
  return html`<p>
      ${suppliers.map((s) => html`<a href="/backoffice/consignments/new?supplier=${s.id}">${s.name}</a> · `)}
    </p>
    <form method="post" action="/backoffice/consignments">
      <p>
        Supplier
        <select name="supplier_id">
          ${suppliers.map((s) => html`<option value="${s.id}" ${s.id === supplierId ? 'selected' : ''}>${s.name}</option>`)}
        </select>
        Deliver to
        <select name="outlet_id">
          ${db.outlets.values().map((o) => html`<option value="${o.id}">${o.name}</option>`)}
        </select>
      </p>
      <p>
        Note <input name="name" size="40" placeholder="shown as the order's note" /> Order number
        <input name="reference" size="16" /> Delivery due <input type="date" name="due_at" />
      </p>
      ${table(
        ['Product', 'SKU', 'Supply price', 'Order'],
        products.map((p) => [
          variantLabel(p),
          p.sku ?? '',
          money(p.supply_price),
          html`<input type="number" min="0" name="q:${p.id}" style="width:4em" />`,
        ]),
        'This supplier has no products yet; type lines below.',
      )}
      <p>
        Or type lines, one per row: <code>SKU or barcode, quantity[, cost]</code><br />
        <textarea name="lines" rows="4" cols="50"></textarea>
      </p>
      <button name="status" value="OPEN">Save (open)</button>
      <button name="status" value="SENT">Save and mark sent</button>
    </form>`;
}

function linesTable(db: XDb, x: ConsignmentRec, lines: ConsignmentLineRec[]): Html {
  return table(
    ['Product', 'SKU', 'Ordered', 'Received', 'Cost', 'Line total', 'Stock at outlet', 'Stock value', 'Line status'],
    lines.map((l) => {
      const p = db.products.get(l.product_id);
      const stock = db.inventoryFor(l.product_id, x.outlet_id);
      return [
        p ? html`<a href="/backoffice/products/${p.id}">${variantLabel(p)}</a>` : l.product_id,
        l.product_sku ?? '',
        String(l.count),
        l.received === null ? '—' : String(l.received),
        money(l.cost),
        money(l.count * l.cost),
        String(stock?.inventory_level ?? 0),
        money((stock?.inventory_level ?? 0) * (stock?.average_cost ?? 0)),
        l.status,
      ];
    }),
    'No lines.',
  );
}

/** Received per line, typed as totals (default: what was ordered, or what was already marked received). */
function receiveForm(x: ConsignmentRec, lines: ConsignmentLineRec[], db: XDb): Html {
  if (!['OPEN', 'SENT', 'DISPATCHED'].includes(x.status) || lines.length === 0) return html``;
  return html`<h2>Receive</h2>
    <form method="post" action="/backoffice/consignments/${x.id}/receive">
      ${table(
        ['Product', 'Ordered', 'Received in total'],
        lines.map((l) => {
          const p = db.products.get(l.product_id);
          return [
            p ? variantLabel(p) : l.product_id,
            String(l.count),
            html`<input
              type="number"
              min="0"
              name="r:${l.product_id}"
              value="${l.received ?? l.count}"
              style="width:5em"
            />`,
          ];
        }),
      )}
      <label
        ><input type="checkbox" name="remainder" value="1" /> keep what did not arrive on order (a new purchase order
        for the rest)</label
      >
      <button>Receive</button>
    </form>`;
}

export function mountConsignmentPages(app: Hono, db: XDb, hooks: WebhookDispatcher, render: Render): void {
  const refused = (c: Context, error: unknown, back: string): Response | Promise<Response> => {
    if (!(error instanceof ApiError)) throw error;
    return c.html(
      render(
        'Refused',
        html`<p>${error.message}</p>
          <p><a href="${back}">Back</a></p>`,
      ),
      error.status === 404 ? 404 : 422,
    );
  };

  app.get('/backoffice/consignments', (c) => {
    const n = Number(c.req.query('page') ?? 1);
    const page = Number.isInteger(n) && n > 0 ? n : 1;
    const list = [...db.consignments.values()]
      .filter((x) => x.deleted_at === null)
      .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.version - a.version));
    const rows = list.slice((page - 1) * pageSize, page * pageSize).map((x) => {
      const lines = db.linesOf(x.id);
      return [
        html`<a href="/backoffice/consignments/${x.id}">${x.name}</a>
          ${isFromNuorder(x) ? tag('Synced from NuORDER', 'info') : ''}`,
        x.reference ?? '',
        x.type,
        statusTag(x.status),
        x.supplier_id ? (db.suppliers.get(x.supplier_id)?.name ?? '') : '',
        db.outlets.get(x.outlet_id)?.name ?? '',
        String(lines.length),
        String(lines.reduce((s, l) => s + l.count, 0)),
        String(lines.reduce((s, l) => s + (l.received ?? 0), 0)),
        money(lines.reduce((s, l) => s + l.count * l.cost, 0)),
        x.created_at,
      ];
    });
    const pages = Math.max(1, Math.ceil(list.length / pageSize));
    return c.html(
      render(
        'Purchase orders (consignments), newest first',
        html`<p>
            <a href="/backoffice/consignments/new">New purchase order</a> · Page ${page} of ${pages} (${list.length}
            rows) ${page > 1 ? html`<a href="/backoffice/consignments?page=${page - 1}">← previous</a>` : ''}
            ${page < pages ? html`<a href="/backoffice/consignments?page=${page + 1}">next →</a>` : ''}
          </p>
          ${table(['Note', 'Order number', 'Type', 'Status', 'Supplier', 'Outlet', 'Lines', 'Qty', 'Received', 'Total cost', 'Created'], rows, 'No purchase orders yet.')}`,
      ),
    );
  });

  app.get('/backoffice/consignments/new', (c) => c.html(render('New purchase order', newOrderPage(db, c))));

  app.post('/backoffice/consignments', async (c) => {
    const form = await c.req.parseBody();
    try {
      const lines = typedLines(db, form);
      const due = formText(form['due_at']);
      const rec = createConsignment(db, {
        type: 'SUPPLIER',
        status: 'OPEN',
        supplier_id: formText(form['supplier_id']) || null,
        outlet_id: formText(form['outlet_id']),
        name: formText(form['name']) || `Order ${new Date(db.clock.now()).toISOString().slice(0, 10)}`,
        ...(formText(form['reference']) ? { reference: formText(form['reference']) } : {}),
        ...(due ? { due_at: `${due}T00:00:00+00:00` } : {}),
      });
      for (const l of lines)
        addLine(db, liveConsignment(db, rec.id), { product_id: l.product.id, count: l.count, cost: l.cost }, hooks);
      if (formText(form['status']) === 'SENT')
        updateConsignment(db, liveConsignment(db, rec.id), { status: 'SENT' }, hooks);
      return c.redirect(`/backoffice/consignments/${rec.id}`, 303);
    } catch (error) {
      return refused(c, error, '/backoffice/consignments/new');
    }
  });

  app.get('/backoffice/consignments/:id', (c) => {
    const x = db.consignments.get(c.req.param('id'));
    if (!x) return c.html(render('Not found', html`<p class="empty">No such consignment.</p>`), 404);
    const lines = db.linesOf(x.id);
    const open = x.status !== 'RECEIVED' && x.status !== 'CANCELLED';
    const received = lines.reduce((s, l) => s + (l.received ?? 0), 0);
    const receivedValue = lines.reduce((s, l) => s + (l.received ?? 0) * l.cost, 0);
    return c.html(
      render(
        x.name,
        html`<p>
            ${isFromNuorder(x) ? tag('Synced from NuORDER', 'info') : ''} ${statusTag(x.status)} · ${x.type} · outlet
            ${db.outlets.get(x.outlet_id)?.name ?? ''} · supplier
            ${x.supplier_id ? (db.suppliers.get(x.supplier_id)?.name ?? '') : '—'}
          </p>
          ${table(
            ['Field (API name)', 'Value'],
            [
              ['Note (name)', html`<span style="white-space:pre-wrap">${x.name}</span>`],
              ['Order number (reference)', x.reference ?? '—'],
              ['Supplier invoice (supplier_invoice)', x.supplier_invoice ?? '—'],
              ['Ordered (consignment_date)', x.consignment_date],
              ['Delivery due (due_at)', x.due_at ?? '—'],
              ['Received (received_at)', x.received_at ?? '—'],
              ['Last change (updated_at, version)', `${x.updated_at} · ${x.version}`],
            ],
          )}
          <h2>Lines</h2>
          ${linesTable(db, x, lines)}
          <p>
            Received ${received} units worth
            ${money(receivedValue)}${x.status === 'RECEIVED' ? ` on ${x.received_at}` : ''}
            ${x.status === 'DISPATCHED' ? ' (marked received, not yet added to stock: stock grows when it is RECEIVED)' : ''}
          </p>
          ${
            x.status === 'OPEN' && lines.length
              ? html`<form class="inline" method="post" action="/backoffice/consignments/${x.id}/status">
                  <input type="hidden" name="status" value="SENT" /><button>Mark sent</button>
                </form>`
              : ''
          }
          ${
            open
              ? html`<form class="inline" method="post" action="/backoffice/consignments/${x.id}/status">
                  <input type="hidden" name="status" value="CANCELLED" /><button>Cancel order</button>
                </form>`
              : ''
          }
          ${receiveForm(x, lines, db)}`,
      ),
    );
  });

  app.post('/backoffice/consignments/:id/status', async (c) => {
    const id = c.req.param('id');
    const form = await c.req.parseBody();
    try {
      updateConsignment(db, liveConsignment(db, id), { status: formText(form['status']) }, hooks);
      return c.redirect(`/backoffice/consignments/${id}`, 303);
    } catch (error) {
      return refused(c, error, `/backoffice/consignments/${id}`);
    }
  });

  // Receiving as Retail POS does it: the received totals go on the lines (which dispatches an OPEN/SENT order,
  // §3.4), then the order is RECEIVED and stock grows (§3.6). "Keep the rest on order" spawns a new SENT order
  // for the shortfall, as the UI can (x-series-support "Receiving stock/purchase orders") [I: its name].
  app.post('/backoffice/consignments/:id/receive', async (c) => {
    const id = c.req.param('id');
    const form = await c.req.parseBody();
    try {
      const x = liveConsignment(db, id);
      const totals = db.linesOf(x.id).map((l) => {
        const text = formText(form[`r:${l.product_id}`]);
        const total = text === '' ? (l.received ?? l.count) : Number(text);
        if (!Number.isInteger(total) || total < 0)
          throw new ApiError(422, {
            error: `The received quantity of ${l.product_sku ?? l.product_id} must be 0 or more`,
          });
        return { l, total };
      });
      // Checked before anything is written, so a refusal leaves the order as it was.
      if (!totals.some((t) => t.total > 0))
        throw new ApiError(422, {
          error: 'At least one product should have non-zero received quantity before updating to RECEIVED',
        });
      for (const { l, total } of totals) updateLine(db, liveConsignment(db, id), l, { received: total }, hooks);
      const received = updateConsignment(db, liveConsignment(db, id), { status: 'RECEIVED' }, hooks);
      const short = db.linesOf(received.id).filter((l) => (l.received ?? 0) < l.count);
      if (form['remainder'] === '1' && short.length > 0) {
        const rest = createConsignment(db, {
          type: 'SUPPLIER',
          status: 'OPEN',
          supplier_id: received.supplier_id,
          outlet_id: received.outlet_id,
          name: `${received.name} (remainder)`,
          ...(received.due_at ? { due_at: received.due_at } : {}),
        });
        for (const l of short)
          addLine(
            db,
            liveConsignment(db, rest.id),
            { product_id: l.product_id, count: l.count - (l.received ?? 0), cost: l.cost },
            hooks,
          );
        updateConsignment(db, liveConsignment(db, rest.id), { status: 'SENT' }, hooks);
      }
      return c.redirect(`/backoffice/consignments/${id}`, 303);
    } catch (error) {
      return refused(c, error, `/backoffice/consignments/${id}`);
    }
  });
}
