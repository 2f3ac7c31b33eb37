/**
 * The back office's purchase orders (reference §3): the list with each order's lines, the fields shipment facts
 * can go in, and its receipts (Shipment History); what a merchant does in Retail POS: create a purchase order for a
 * vendor, mark it ordered, check units in (all, or per line with a packing slip), finish it, archive it. Writes go
 * through the same record functions as the API, so the back office refuses what the API refuses.
 */
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { backOfficePage, table, tag } from '../shared/back-office.ts';
import type { Core } from './core.ts';
import type { ItemRec, OrderRec } from './model.ts';
import { ApiError } from './query.ts';
import { archiveOrder, checkInOrder, createOrder, createOrderLine, updateOrder } from './records.ts';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;
type Nav = Array<{ href: string; label: string }>;

const money = (n: number): string => `$${n.toFixed(2)}`;

/** Where an Order's b2b fields or refNum say it came from NuORDER. */
export function isFromNuorder(order: OrderRec): boolean {
  return order.b2bOrderUID !== '' || order.b2bOrderNumber !== '' || /nuorder/i.test(order.refNum);
}

export function orderStatus(core: Core, order: OrderRec): string {
  // The UI statuses of §3.3, derived from the dates and check-in state.
  if (order.archived) return 'Archived';
  if (order.complete) return 'Finished';
  const lines = core.store.orderLines(order.orderID);
  if (lines.some((l) => l.checkedIn > 0)) return 'Check In (green)';
  if (order.receivedDate && lines.length) return 'Check In';
  if (order.orderedDate && lines.length) return 'Ordered';
  return 'Open';
}

function formText(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** An item as a person names it: its ID, UPC, EAN or custom SKU. */
function itemByCode(core: Core, code: string): ItemRec {
  const s = core.store;
  const ids = /^\d{1,9}$/.test(code) && s.tables.Item.has(Number(code)) ? [Number(code)] : [];
  for (const id of [
    ...s.itemsByUpc.get(code),
    ...s.itemsByEan.get(code),
    ...s.itemsByCustomSku.get(code.toLowerCase()),
  ])
    if (!ids.includes(id)) ids.push(id);
  const live = ids.map((id) => s.tables.Item.get(id)).filter((i): i is ItemRec => i !== undefined && !i.archived);
  if (live.length !== 1)
    throw new ApiError(
      400,
      live.length === 0 ? `No item has the code ${code}.` : `Several items have the code ${code}.`,
    );
  return live[0] as ItemRec;
}

function receiptsTable(core: Core, order: OrderRec): Html {
  const receipts = [...core.store.tables.OrderShipment.values()].filter((r) => r.orderID === order.orderID);
  return table(
    ['Receipt', 'Received', 'Packing ref', 'Units', 'Cost', 'Status', 'Items'],
    receipts.map((r) => [
      `#${r.orderShipmentID} (${r.sequenceNumber})`,
      r.receptionDate,
      r.shipmentPackingRefNum || '—',
      r.totalQtyReceived,
      money(r.totalCost),
      r.status,
      [...core.store.tables.OrderShipmentItem.values()]
        .filter((i) => i.orderShipmentID === r.orderShipmentID)
        .map((i) => `#${i.itemID} × ${i.qtyReceived}`)
        .join(', '),
    ]),
    'Nothing checked in yet.',
  );
}

/** The buttons Retail POS offers on a PO in its state. */
function orderActions(o: OrderRec, hasLines: boolean): Html {
  const changeable = !o.archived && !o.complete;
  return html`${
    changeable && hasLines
      ? html`<form class="inline" method="post" action="/backoffice/orders/${o.orderID}/check-in">
            <button type="submit">Check in all</button>
          </form>
          <form class="inline" method="post" action="/backoffice/orders/${o.orderID}/check-in">
            <input type="hidden" name="finish" value="1" /><button type="submit">Check in and finish</button>
          </form>
          <a href="/backoffice/orders/${o.orderID}/receive">Check in some…</a>`
      : ''
  }
  ${
    changeable && !o.orderedDate && hasLines
      ? html`<form class="inline" method="post" action="/backoffice/orders/${o.orderID}/status">
          <button name="to" value="ordered">Mark ordered</button>
        </form>`
      : ''
  }
  ${
    changeable && hasLines
      ? html`<form class="inline" method="post" action="/backoffice/orders/${o.orderID}/status">
          <button name="to" value="finished">Finish</button>
        </form>`
      : ''
  }
  ${
    o.complete && !o.archived
      ? html`<form class="inline" method="post" action="/backoffice/orders/${o.orderID}/status">
          <button name="to" value="reopen">Set back to Ordered</button>
        </form>`
      : ''
  }
  ${
    !o.archived
      ? html`<form class="inline" method="post" action="/backoffice/orders/${o.orderID}/status">
          <button name="to" value="archived">Archive</button>
        </form>`
      : ''
  }`;
}

function orderSection(core: Core, o: OrderRec, checkedIn: boolean): Html {
  const store = core.store;
  const status = orderStatus(core, o);
  const lines = store.orderLines(o.orderID);
  const shop = store.tables.Shop.get(o.shopID)?.name ?? `Shop ${o.shopID}`;
  return html`<section id="order-${o.orderID}">
    <h2>
      PO #${o.orderID} · ${store.tables.Vendor.get(o.vendorID)?.name ?? 'No vendor'} → ${shop}
      ${isFromNuorder(o) ? tag('Synced from NuORDER', 'info') : ''}
      ${tag(status, status === 'Finished' ? 'ok' : status === 'Archived' ? 'muted' : 'warn')}
    </h2>
    ${checkedIn ? html`<p>${tag('Checked in', 'ok')}</p>` : ''}
    <p>
      refNum <code>${o.refNum || '—'}</code> · b2bOrderNumber <code>${o.b2bOrderNumber || '—'}</code> · b2bOrderUID
      <code>${o.b2bOrderUID || '—'}</code> · ordered ${o.orderedDate ?? '—'} · expected ${o.arrivalDate ?? '—'} ·
      received ${o.receivedDate ?? '—'} · ship cost ${money(o.shipCost)} · created ${o.createTime}
    </p>
    <p>
      Ship instructions (shipInstructions):
      <em style="white-space:pre-wrap">${o.shipInstructions || '—'}</em> · Stock instructions (stockInstructions):
      <em>${o.stockInstructions || '—'}</em>
    </p>
    ${o.note ? html`<p>General notes (Note): <em style="white-space:pre-wrap">${o.note}</em></p>` : ''}
    ${table(
      ['Line', 'Item', 'UPC / EAN', 'Qty', 'Unit cost', 'Total', 'Received', 'Checked in'],
      lines.map((l) => {
        const item = store.tables.Item.get(l.itemID);
        return [
          l.orderLineID,
          item ? `#${item.itemID} ${item.description}` : `#${l.itemID} (missing)`,
          item ? item.upc || item.ean : '',
          l.quantity,
          money(l.price),
          money(l.total),
          l.numReceived,
          l.checkedIn,
        ];
      }),
      'No lines yet.',
    )}
    <h3>Shipment history (receipts)</h3>
    ${receiptsTable(core, o)} ${orderActions(o, lines.length > 0)}
  </section>`;
}

function newOrderForm(core: Core): Html {
  const s = core.store;
  return html`<form method="post" action="/backoffice/orders">
    <p>
      Vendor
      <select name="vendorID">
        ${[...s.tables.Vendor.values()]
          .filter((v) => !v.archived)
          .map((v) => html`<option value="${v.vendorID}">${v.name}</option>`)}
      </select>
      Shop
      <select name="shopID">
        ${[...s.tables.Shop.values()].map((sh) => html`<option value="${sh.shopID}">${sh.name}</option>`)}
      </select>
      Reference (refNum) <input name="refNum" size="16" />
    </p>
    <p>General notes <input name="note" size="60" /></p>
    <p>
      Lines, one per row: <code>item ID, UPC, EAN or custom SKU, quantity[, unit cost]</code><br />
      <textarea name="lines" rows="6" cols="60" required></textarea>
    </p>
    <button name="then" value="open">Save (Open)</button>
    <button name="then" value="ordered">Save and mark ordered</button>
  </form>`;
}

export function mountOrderPages(app: Hono, core: Core, nav: Nav): void {
  const store = core.store;
  const page = (c: Context, title: string, body: Html, status = 200): Response | Promise<Response> =>
    c.html(backOfficePage({ system: 'Lightspeed Retail R-Series', title, nav, body }), status as 200);
  const refused = (c: Context, error: unknown): Response | Promise<Response> => {
    if (!(error instanceof ApiError)) throw error;
    return page(
      c,
      'Refused',
      html`<p>${error.message}</p>
        <p><a href="/backoffice/orders">Back</a></p>`,
      400,
    );
  };

  app.get('/backoffice/orders', (c) => {
    const pageSize = 20;
    const n = Number(c.req.query('page') ?? 1);
    const current = Number.isInteger(n) && n >= 1 ? n : 1;
    const orders = [...store.tables.Order.values()].sort((a, b) => b.orderID - a.orderID);
    const pages = Math.max(1, Math.ceil(orders.length / pageSize));
    const sections = orders
      .slice((current - 1) * pageSize, current * pageSize)
      .map((o) => orderSection(core, o, c.req.query('checkedIn') === String(o.orderID)));
    return page(
      c,
      'Purchase orders',
      html`<p>
          ${orders.length} purchase orders, newest first. <a href="/backoffice/orders/new">New purchase order</a>
        </p>
        ${sections.length ? sections : html`<p class="empty">No purchase orders.</p>`}
        <p>
          Page ${current} of ${pages}
          ${current > 1 ? html` · <a href="/backoffice/orders?page=${current - 1}">previous</a>` : ''}
          ${current < pages ? html` · <a href="/backoffice/orders?page=${current + 1}">next</a>` : ''}
        </p>`,
    );
  });

  app.get('/backoffice/orders/new', (c) => page(c, 'New purchase order', newOrderForm(core)));

  app.post('/backoffice/orders', async (c) => {
    const form = await c.req.parseBody();
    try {
      const rows = formText(form['lines'])
        .split(/\r?\n/)
        .filter((r) => r.trim() !== '')
        .map((row) => {
          const [code = '', qty = '', price] = row.split(',').map((x) => x.trim());
          const quantity = Number(qty);
          if (!Number.isInteger(quantity) || quantity < 1)
            throw new ApiError(400, `The quantity of ${code} must be 1 or more.`);
          return { item: itemByCode(core, code), quantity, ...(price ? { price: Number(price) } : {}) };
        });
      if (rows.length === 0) throw new ApiError(400, 'A purchase order needs at least one line.');
      const order = createOrder(core, {
        vendorID: Number(formText(form['vendorID'])),
        shopID: Number(formText(form['shopID'])),
        refNum: formText(form['refNum']),
        ...(formText(form['note']) ? { Note: { note: formText(form['note']) } } : {}),
      });
      for (const r of rows)
        createOrderLine(core, {
          orderID: order.orderID,
          itemID: r.item.itemID,
          quantity: r.quantity,
          ...(r.price !== undefined ? { price: r.price } : {}),
        });
      if (form['then'] === 'ordered')
        updateOrder(core, order, { orderedDate: new Date(core.clock.now()).toISOString() });
      return c.redirect(`/backoffice/orders#order-${order.orderID}`, 303);
    } catch (error) {
      return refused(c, error);
    }
  });

  app.get('/backoffice/orders/:orderID/receive', (c) => {
    const o = store.tables.Order.get(Number(c.req.param('orderID')));
    if (!o) return page(c, 'Not found', html`<p>No such order.</p>`, 404);
    const rows = store
      .orderLines(o.orderID)
      .map((l) => [
        l.orderLineID,
        `#${l.itemID} ${store.tables.Item.get(l.itemID)?.description ?? ''}`,
        l.quantity,
        l.checkedIn,
        html`<input
          type="number"
          min="0"
          name="r:${l.orderLineID}"
          value="${l.numReceived > 0 ? l.numReceived : Math.max(0, l.quantity - l.checkedIn)}"
          style="width:5em"
        />`,
      ]);
    return page(
      c,
      `Check in PO #${o.orderID}`,
      html`<form method="post" action="/backoffice/orders/${o.orderID}/check-in">
        ${table(['Line', 'Item', 'Ordered', 'Checked in', 'Check in now'], rows, 'No lines.')}
        <p>
          Packing slip / reference <input name="packingRefNum" size="24" />
          <label><input type="checkbox" name="finish" value="1" /> finish the order</label>
          <button>Check in</button>
        </p>
      </form>`,
    );
  });

  app.post('/backoffice/orders/:orderID/check-in', async (c) => {
    const form = await c.req.parseBody();
    const orderID = Number(c.req.param('orderID'));
    try {
      const typed = Object.entries(form)
        .map(([k, v]) => ({ m: /^r:(\d+)$/.exec(k), v: formText(v) }))
        .filter((x) => x.m !== null && x.v !== '')
        .map((x) => ({ orderLineID: Number(x.m?.[1]), quantity: Number(x.v) }));
      checkInOrder(
        core,
        orderID,
        typed.length ? typed : undefined,
        form.finish === '1',
        formText(form['packingRefNum']),
      );
    } catch (error) {
      return refused(c, error);
    }
    return c.redirect(`/backoffice/orders?checkedIn=${orderID}#order-${orderID}`, 303);
  });

  // Finished = complete; set back to Ordered reopens it (S3: change the status to receive a Finished order);
  // archiving is how a PO is cancelled (DELETE archives, §3.1).
  app.post('/backoffice/orders/:orderID/status', async (c) => {
    const form = await c.req.parseBody();
    const o = store.tables.Order.get(Number(c.req.param('orderID')));
    if (!o) return page(c, 'Not found', html`<p>No such order.</p>`, 404);
    try {
      const to = formText(form['to']);
      if (to === 'ordered') updateOrder(core, o, { orderedDate: new Date(core.clock.now()).toISOString() });
      else if (to === 'finished') updateOrder(core, o, { complete: true });
      else if (to === 'reopen') updateOrder(core, o, { complete: false });
      else if (to === 'archived') archiveOrder(core, o);
      else throw new ApiError(400, `Unknown status ${to}.`);
    } catch (error) {
      return refused(c, error);
    }
    return c.redirect(`/backoffice/orders#order-${o.orderID}`, 303);
  });
}
