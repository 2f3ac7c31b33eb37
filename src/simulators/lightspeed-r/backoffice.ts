import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { backOfficePage, table, tag } from '../shared/back-office.ts';
import type { Core } from './core.ts';
import type { ItemRec, OrderRec } from './model.ts';
import { ApiError } from './query.ts';
import { checkInOrder, mergeItems } from './records.ts';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const nav = [
  { href: '/backoffice', label: 'Items' },
  { href: '/backoffice/orders', label: 'Purchase orders' },
  { href: '/backoffice/vendors', label: 'Vendors' },
  { href: '/backoffice/merge', label: 'Merge items' },
];

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

const money = (n: number): string => `$${n.toFixed(2)}`;

function pager(base: string, page: number, pages: number, extra: Record<string, string>): Html {
  const link = (p: number): string => `${base}?${new URLSearchParams({ ...extra, page: String(p) }).toString()}`;
  return html`<p>
    Page ${page} of ${Math.max(1, pages)} ${page > 1 ? html` · <a href="${link(page - 1)}">previous</a>` : ''}
    ${page < pages ? html` · <a href="${link(page + 1)}">next</a>` : ''}
  </p>`;
}

function pageOf(c: Context): number {
  const n = Number(c.req.query('page') ?? 1);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export function mountBackOffice(app: Hono, core: Core): void {
  const store = core.store;
  const shopName = (id: number): string => store.tables.Shop.get(id)?.name ?? `Shop ${id}`;

  app.get('/backoffice', (c) => {
    const q = (c.req.query('q') ?? '').trim().toLowerCase();
    const showArchived = c.req.query('archived') === '1';
    const pageSize = 50;
    const page = pageOf(c);
    const matching: ItemRec[] = [];
    for (const item of store.tables.Item.values()) {
      if (!showArchived && item.archived) continue;
      if (
        q &&
        !`${item.itemID} ${item.description} ${item.upc} ${item.ean} ${item.customSku} ${item.manufacturerSku}`
          .toLowerCase()
          .includes(q)
      )
        continue;
      matching.push(item);
    }
    const pages = Math.ceil(matching.length / pageSize);
    const shops = [...store.tables.Shop.values()];
    const rows = matching.slice((page - 1) * pageSize, page * pageSize).map((item) => {
      const matrix = item.itemMatrixID ? store.tables.ItemMatrix.get(item.itemMatrixID) : undefined;
      const attrs = item.ItemAttributes
        ? [item.ItemAttributes.attribute1, item.ItemAttributes.attribute2].filter(Boolean).join(' / ')
        : '';
      return [
        item.itemID,
        html`${item.description} ${item.archived ? tag('archived', 'muted') : ''}`,
        matrix
          ? html`#${matrix.itemMatrixID} ${matrix.description}${attrs ? html` <small>(${attrs})</small>` : ''}`
          : '',
        item.upc,
        item.ean,
        item.customSku,
        store.tables.Manufacturer.get(item.manufacturerID)?.name ?? '',
        money(item.Prices[0]?.amount ?? 0),
        ...shops.map((s) => {
          const row = store.itemShop(item.itemID, s.shopID);
          const backorder = store.backorder(item.itemID, s.shopID);
          return html`${row?.qoh ?? 0}${backorder ? html` <small>(+${backorder} on order)</small>` : ''}`;
        }),
      ];
    });
    const body = html`
      <form method="get" action="/backoffice">
        <input name="q" value="${c.req.query('q') ?? ''}" placeholder="UPC, EAN, SKU or description" size="40" />
        <label
          ><input type="checkbox" name="archived" value="1" ${showArchived ? 'checked' : ''} /> show archived</label
        >
        <button type="submit">Search</button>
      </form>
      <p>
        ${matching.length} items · ${store.tables.ItemMatrix.size} matrices · account ${store.account.accountID}
        (${store.account.name})
      </p>
      ${table(['ID', 'Description', 'Matrix', 'UPC', 'EAN', 'Custom SKU', 'Brand', 'Price', ...shops.map((s) => `Stock: ${s.name}`)], rows, 'No items.')}
      ${pager('/backoffice', page, pages, { q: c.req.query('q') ?? '', ...(showArchived ? { archived: '1' } : {}) })}
    `;
    return c.html(backOfficePage({ system: 'Lightspeed Retail R-Series', title: 'Items', nav, body }));
  });

  app.get('/backoffice/orders', (c) => {
    const pageSize = 20;
    const page = pageOf(c);
    const orders = [...store.tables.Order.values()].sort((a, b) => b.orderID - a.orderID);
    const pages = Math.ceil(orders.length / pageSize);
    const sections = orders.slice((page - 1) * pageSize, page * pageSize).map((o) => {
      const status = orderStatus(core, o);
      const lines = store.orderLines(o.orderID);
      const note = c.req.query('checkedIn') === String(o.orderID) ? html`<p>${tag('Checked in', 'ok')}</p>` : '';
      return html`<section id="order-${o.orderID}">
        <h2>
          PO #${o.orderID} · ${store.tables.Vendor.get(o.vendorID)?.name ?? 'No vendor'} → ${shopName(o.shopID)}
          ${isFromNuorder(o) ? tag('Synced from NuORDER', 'info') : ''}
          ${tag(status, status === 'Finished' ? 'ok' : status === 'Archived' ? 'muted' : 'warn')}
        </h2>
        ${note}
        <p>
          refNum <code>${o.refNum || '—'}</code> · b2bOrderNumber <code>${o.b2bOrderNumber || '—'}</code> · b2bOrderUID
          <code>${o.b2bOrderUID || '—'}</code> · ordered ${o.orderedDate ?? '—'} · expected ${o.arrivalDate ?? '—'} ·
          received ${o.receivedDate ?? '—'} · ship cost ${money(o.shipCost)} · created ${o.createTime}
        </p>
        ${o.note ? html`<p><em>${o.note}</em></p>` : ''}
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
        ${
          !o.archived && !o.complete && lines.length
            ? html`<form class="inline" method="post" action="/backoffice/orders/${o.orderID}/check-in">
                  <button type="submit">Check in all</button>
                </form>
                <form class="inline" method="post" action="/backoffice/orders/${o.orderID}/check-in">
                  <input type="hidden" name="finish" value="1" /><button type="submit">Check in and finish</button>
                </form>`
            : ''
        }
      </section>`;
    });
    const body = html`<p>${orders.length} purchase orders, newest first.</p>
      ${sections.length ? sections : html`<p class="empty">No purchase orders.</p>`}
      ${pager('/backoffice/orders', page, pages, {})}`;
    return c.html(backOfficePage({ system: 'Lightspeed Retail R-Series', title: 'Purchase orders', nav, body }));
  });

  app.post('/backoffice/orders/:orderID/check-in', async (c) => {
    const form = await c.req.parseBody();
    const orderID = Number(c.req.param('orderID'));
    try {
      checkInOrder(core, orderID, undefined, form.finish === '1');
    } catch (error) {
      if (error instanceof ApiError)
        return c.html(
          backOfficePage({
            system: 'Lightspeed Retail R-Series',
            title: 'Check-in failed',
            nav,
            body: html`<p>${error.message}</p>`,
          }),
          400,
        );
      throw error;
    }
    return c.redirect(`/backoffice/orders?checkedIn=${orderID}#order-${orderID}`, 303);
  });

  app.get('/backoffice/vendors', (c) => {
    const rows = [...store.tables.Vendor.values()].map((v) => [
      v.vendorID,
      v.name,
      v.accountNumber,
      v.b2bSellerUID || '—',
      v.archived ? tag('archived', 'muted') : '',
    ]);
    const makers = [...store.tables.Manufacturer.values()].map((m) => [m.manufacturerID, m.name]);
    const body = html`${table(['ID', 'Name', 'Account number', 'b2bSellerUID (NuORDER)', ''], rows, 'No vendors.')}
      <h2>Manufacturers (brands)</h2>
      ${table(['ID', 'Name'], makers, 'No manufacturers.')}`;
    return c.html(backOfficePage({ system: 'Lightspeed Retail R-Series', title: 'Vendors', nav, body }));
  });

  const mergeForm = (message: Html | string = ''): Html =>
    html`${message}
      <p>
        Merging is permanent: the merged item disappears, its stock is added to the kept item and its purchase-order
        lines move to it.
      </p>
      <form method="post" action="/backoffice/merge">
        <label>Keep item ID <input name="keepItemID" required size="8" /></label>
        <label>Merge (remove) item ID <input name="mergeItemID" required size="8" /></label>
        <button type="submit">Merge</button>
      </form>`;

  app.get('/backoffice/merge', (c) =>
    c.html(backOfficePage({ system: 'Lightspeed Retail R-Series', title: 'Merge items', nav, body: mergeForm() })),
  );

  app.post('/backoffice/merge', async (c) => {
    const form = await c.req.parseBody();
    const keep = Number(form.keepItemID);
    const merge = Number(form.mergeItemID);
    try {
      if (!Number.isInteger(keep) || !Number.isInteger(merge))
        throw new ApiError(400, 'Both item IDs must be integers.');
      const kept = mergeItems(core, keep, merge);
      return c.html(
        backOfficePage({
          system: 'Lightspeed Retail R-Series',
          title: 'Merge items',
          nav,
          body: mergeForm(html`<p>${tag('Merged', 'ok')} item ${merge} into #${kept.itemID} ${kept.description}.</p>`),
        }),
      );
    } catch (error) {
      if (error instanceof ApiError) {
        return c.html(
          backOfficePage({
            system: 'Lightspeed Retail R-Series',
            title: 'Merge items',
            nav,
            body: mergeForm(html`<p>${tag('Not merged', 'warn')} ${error.message}</p>`),
          }),
          400,
        );
      }
      throw error;
    }
  });
}
