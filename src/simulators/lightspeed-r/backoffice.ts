import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { backOfficePage, table, tag } from '../shared/back-office.ts';
import type { Core } from './core.ts';
import { mountOrderPages } from './backoffice-orders.ts';
import type { ItemRec } from './model.ts';
import { ApiError } from './query.ts';
import { mergeItems } from './records.ts';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const nav = [
  { href: '/backoffice', label: 'Items' },
  { href: '/backoffice/orders', label: 'Purchase orders' },
  { href: '/backoffice/vendors', label: 'Vendors' },
  { href: '/backoffice/merge', label: 'Merge items' },
];

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
        money(item.avgCost),
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
      ${table(['ID', 'Description', 'Matrix', 'UPC', 'EAN', 'Custom SKU', 'Brand', 'Price', 'Avg cost', ...shops.map((s) => `Stock: ${s.name}`)], rows, 'No items.')}
      ${pager('/backoffice', page, pages, { q: c.req.query('q') ?? '', ...(showArchived ? { archived: '1' } : {}) })}
    `;
    return c.html(backOfficePage({ system: 'Lightspeed Retail R-Series', title: 'Items', nav, body }));
  });

  mountOrderPages(app, core, nav);

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
        As in Retail POS (item page → Merge): you open the item to <strong>keep</strong> and pick the item to merge into
        it. The kept item keeps its ID, and the merged item's details (description, prices, cost, SKUs and codes, brand,
        category, vendor numbers) overwrite its own; the merged item disappears (reading it answers 404), its stock is
        added to the kept item, and its purchase-order lines move to it.
      </p>
      <p>
        For an item a NuORDER export created next to an item you already had, Lightspeed recommends keeping the
        <em>new</em> (exported) item and merging your <em>existing</em> item into it: the link to NuORDER stays with the
        kept item, your details win, and the next order of that style finds it. Merging the other way keeps your item
        with the exported item's details, and an item without a UPC is then created again on every order.
        <strong>Merging is permanent: it cannot be undone.</strong>
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
