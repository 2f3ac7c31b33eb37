/**
 * The back office a person reads during a demo: products with variants and codes, purchase orders
 * (consignments) newest first with their lines and a "Synced from NuORDER" tag, stock per outlet, sales.
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { backOfficePage, table, tag } from '../shared/back-office.ts';
import { mountConsignmentPages } from './backoffice-consignments.ts';
import type { XDb } from './db.ts';
import { defaultTax } from './render.ts';
import type { ProductRec } from './state.ts';
import type { WebhookDispatcher } from './webhooks.ts';

const pageSize = 50;
const nav = [
  { href: '/backoffice', label: 'Overview' },
  { href: '/backoffice/products', label: 'Products' },
  { href: '/backoffice/consignments', label: 'Purchase orders' },
  { href: '/backoffice/inventory', label: 'Stock' },
  { href: '/backoffice/sales', label: 'Sales' },
];

function pager(base: string, page: number, total: number, extra = ''): ReturnType<typeof html> {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return html`<p>
    Page ${page} of ${pages} (${total} rows)
    ${page > 1 ? html`<a href="${base}?page=${page - 1}${extra}">← previous</a>` : ''}
    ${page < pages ? html`<a href="${base}?page=${page + 1}${extra}">next →</a>` : ''}
  </p>`;
}

function pageOf(raw: string | undefined): number {
  const n = Number(raw ?? 1);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

const money = (n: number): string => `$${n.toFixed(2)}`;

export function mountBackOffice(app: Hono, db: XDb, hooks: WebhookDispatcher, publicUrl?: string): void {
  const render = (title: string, body: ReturnType<typeof html>): ReturnType<typeof backOfficePage> =>
    backOfficePage({ system: `Lightspeed X-Series · ${db.retailer.domain_prefix}`, title, nav, body });

  app.get('/backoffice', (c) => {
    const products = db.products.values();
    const live = products.filter((p) => p.deleted_at === null);
    return c.html(
      render(
        db.retailer.name,
        html`<p>
            Store
            <code>${db.retailer.domain_prefix}</code
            >${publicUrl ? html` · API base <code>${publicUrl}/api/2.0</code>` : ''}
          </p>
          ${table(
            ['What', 'Count'],
            [
              ['Outlets', db.outlets.size],
              ['Registers', db.registers.size],
              ['Suppliers', db.suppliers.values().filter((s) => s.deleted_at === null).length],
              ['Products (variants)', live.length],
              ['Inactive products', live.filter((p) => !p.is_active).length],
              [
                'Purchase orders',
                db.consignments.values().filter((x) => x.type === 'SUPPLIER' && x.deleted_at === null).length,
              ],
              ['Sales', db.sales.size],
              ['Webhooks', db.webhooks.length],
            ],
          )}
          <h2>Outlets</h2>
          ${table(
            ['Outlet', 'Registers'],
            db.outlets.values().map((o) => [
              o.name,
              db.registers
                .values()
                .filter((r) => r.outlet_id === o.id)
                .map((r) => r.name)
                .join(', '),
            ]),
          )}`,
      ),
    );
  });

  app.get('/backoffice/products', (c) => {
    const q = (c.req.query('q') ?? '').trim().toLowerCase();
    const page = pageOf(c.req.query('page'));
    let list: ProductRec[] = [...db.products.values()].filter((p) => p.deleted_at === null);
    if (q)
      list = list.filter(
        (p) =>
          p.name.toLowerCase().includes(q) ||
          (p.sku ?? '').toLowerCase().includes(q) ||
          p.product_codes.some((x) => x.code.toLowerCase() === q),
      );
    list = list.reverse();
    const rows = list
      .slice((page - 1) * pageSize, page * pageSize)
      .map((p) => [
        html`<a href="/backoffice/products/${p.id}">${p.name}</a>`,
        p.variant_options.map((o) => `${o.name}: ${o.value}`).join(', '),
        p.sku ?? '',
        p.product_codes.map((x) => `${x.type} ${x.code}`).join(', '),
        money(p.supply_price),
        money(p.price_excluding_tax),
        html`${p.is_active ? tag('active', 'ok') : tag('inactive', 'muted')}
        ${p.source_id ? tag(`source ${p.source}`, 'info') : ''}`,
      ]);
    return c.html(
      render(
        'Products',
        html`<form method="get">
            <input name="q" value="${q}" placeholder="name, SKU or barcode" /> <button>Search</button>
          </form>
          ${pager('/backoffice/products', page, list.length, q ? `&q=${encodeURIComponent(q)}` : '')}
          ${table(['Product', 'Variant', 'SKU', 'Codes', 'Cost', 'Retail', 'Status'], rows)}`,
      ),
    );
  });

  app.get('/backoffice/products/:id', (c) => {
    const p = db.products.get(c.req.param('id'));
    if (!p) return c.html(render('Not found', html`<p class="empty">No such product.</p>`), 404);
    const family = p.is_variant ? db.familyOf(p) : [p];
    const outlets = db.outlets.values();
    const tax = defaultTax(db);
    return c.html(
      render(
        p.name,
        html`<p>
            Handle <code>${p.handle}</code> · brand ${p.brand_id ? (db.brands.get(p.brand_id)?.name ?? '') : '—'} ·
            supplier ${p.supplier_id ? (db.suppliers.get(p.supplier_id)?.name ?? '') : '—'} · source
            ${p.source}${p.source_id ? ` (${p.source_id})` : ''}
          </p>
          ${table(
            [
              'Variant',
              'SKU',
              'Codes',
              'Cost',
              'Retail (excl.)',
              `Retail (incl. ${tax.name})`,
              ...outlets.map((o) => o.name),
              'Status',
            ],
            family.map((v) => [
              v.variant_options.map((o) => o.value).join(' / ') || v.name,
              v.sku ?? '',
              v.product_codes.map((x) => `${x.type} ${x.code}`).join(', '),
              money(v.supply_price),
              money(v.price_excluding_tax),
              money(v.price_excluding_tax * (1 + tax.rate)),
              ...outlets.map((o) => String(db.inventoryFor(v.id, o.id)?.inventory_level ?? 0)),
              html`${v.is_active ? tag('active', 'ok') : tag('inactive', 'muted')}
                <form class="inline" method="post" action="/backoffice/products/${v.id}/active">
                  <input type="hidden" name="active" value="${v.is_active ? '0' : '1'}" /><button>
                    ${v.is_active ? 'Deactivate' : 'Activate'}
                  </button>
                </form>`,
            ]),
          )}
          <h2>Duplicates</h2>
          <p>
            X-Series has no merge: neither the API nor the Retail POS help the reference cites offers one. A duplicate
            is retired by moving its stock and deactivating it (what 2.1 <code>details.is_active: false</code> does).
          </p>`,
      ),
    );
  });

  app.post('/backoffice/products/:id/active', async (c) => {
    const p = db.products.get(c.req.param('id'));
    if (!p || p.deleted_at) return c.html(render('Not found', html`<p class="empty">No such product.</p>`), 404);
    const form = await c.req.parseBody();
    const next: ProductRec = {
      ...p,
      is_active: form['active'] === '1',
      updated_at: db.now(),
      version: db.nextVersion(),
    };
    db.putProduct(next, p);
    hooks.product(next);
    return c.redirect(`/backoffice/products/${p.family_id}`, 303);
  });

  mountConsignmentPages(app, db, hooks, render);

  app.get('/backoffice/inventory', (c) => {
    const page = pageOf(c.req.query('page'));
    const outlets = db.outlets.values();
    const products = db.products.values().filter((p) => p.deleted_at === null);
    // Stock value = on hand × average cost, the cost receiving keeps up to date (§3.6 [I]).
    const value = (p: ProductRec, outletId: string): number => {
      const i = db.inventoryFor(p.id, outletId);
      return (i?.inventory_level ?? 0) * (i?.average_cost ?? 0);
    };
    const rows = products.slice((page - 1) * pageSize, page * pageSize).map((p) => [
      html`<a href="/backoffice/products/${p.id}">${p.name} ${p.variant_options.map((o) => o.value).join(' / ')}</a>`,
      p.sku ?? '',
      ...outlets.map((o) => {
        const i = db.inventoryFor(p.id, o.id);
        return html`${i?.inventory_level ?? 0} <small>(${money(value(p, o.id))})</small>`;
      }),
    ]);
    const totals = outlets.map((o) => `${o.name} ${money(products.reduce((s, p) => s + value(p, o.id), 0))}`);
    return c.html(
      render(
        'Stock per outlet',
        html`<p>Stock value (on hand × average cost): ${totals.join(' · ')}</p>
          ${pager('/backoffice/inventory', page, products.length)}
          ${table(['Product', 'SKU', ...outlets.map((o) => `${o.name} (value)`)], rows)}`,
      ),
    );
  });

  app.get('/backoffice/sales', (c) => {
    const page = pageOf(c.req.query('page'));
    const list = [...db.sales.values()].reverse();
    const rows = list
      .slice((page - 1) * pageSize, page * pageSize)
      .map((s) => [
        s.invoice_number,
        s.sale_date,
        tag(s.status, s.status === 'VOIDED' ? 'muted' : s.status.endsWith('CLOSED') ? 'ok' : 'warn'),
        s.source_id ? `${s.source} ${s.source_id}` : s.source,
        db.outlets.get(s.outlet_id)?.name ?? '',
        s.line_items.map((l) => `${l.quantity} × ${db.products.get(l.product_id)?.sku ?? l.product_id}`).join(', '),
        money(s.line_items.reduce((sum, l) => sum + (l.price + l.tax) * l.quantity, 0)),
      ]);
    return c.html(
      render(
        'Sales',
        html`${pager('/backoffice/sales', page, list.length)}
        ${table(['Invoice', 'Date', 'Status', 'Source', 'Outlet', 'Lines', 'Total'], rows, 'No sales.')}`,
      ),
    );
  });
}
