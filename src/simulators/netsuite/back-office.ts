import type { Hono } from 'hono';
import { html } from 'hono/html';
import { backOfficePage, table, tag } from '../shared/back-office.ts';
import { SimInputError } from '../shared/control.ts';
import type { NetsuiteBook } from './book.ts';
import {
  cashSaleStatuses,
  fulfillmentStatuses,
  invoiceStatuses,
  salesOrderStatuses,
  salesOrderStatusCodes,
  type NsBill,
  type NsItemFulfillment,
  type NsSalesOrder,
} from './model.ts';

/** The back office: what a person sees in NetSuite, plus a form to raise a sales order as one would there. */
export function mountBackOffice(
  app: Hono,
  book: NetsuiteBook,
  options: { accountId: string; credentials: Record<string, string>; raise(input: unknown): unknown },
): void {
  const nav = [
    { href: '/backoffice', label: 'Sales orders' },
    { href: '/backoffice#new', label: 'New order' },
    { href: '/_sim', label: 'Control API' },
  ];

  app.get('/backoffice', (c) => {
    const s = book.state;
    const customerName = (id: string): string => {
      const cu = s.customers[id];
      return cu ? (cu.isPerson ? `${cu.firstName} ${cu.lastName}` : cu.companyName) : id;
    };
    const tone = (code: string): 'info' | 'ok' | 'warn' | 'muted' =>
      code === 'G'
        ? 'ok'
        : code === 'A' || code === 'E' || code === 'F'
          ? 'warn'
          : code === 'C' || code === 'H'
            ? 'muted'
            : 'info';
    const all = Object.values(s.transactions);
    const orders = all.filter((t): t is NsSalesOrder => t.type === 'salesOrder').reverse();
    const fulfilments = all.filter((t): t is NsItemFulfillment => t.type === 'itemFulfillment').reverse();
    const bills = all.filter((t): t is NsBill => t.type === 'invoice' || t.type === 'cashSale').reverse();
    const error = c.req.query('error');
    const made = c.req.query('created');
    const body = html`
      ${error ? html`<p class="tag warn">${error}</p>` : ''}
      ${made ? html`<p class="tag ok">Created sales order ${made}</p>` : ''}
      <p>
        Account <code>${options.accountId}</code> (OAuth realm). Default TBA credentials: consumer key
        <code>${options.credentials.consumerKey}</code>, consumer secret
        <code>${options.credentials.consumerSecret}</code>, token id <code>${options.credentials.tokenId}</code>, token
        secret <code>${options.credentials.tokenSecret}</code>.
      </p>
      <h2>Sales orders (${orders.length})</h2>
      ${table(
        [
          '#',
          'Id',
          'Date',
          'Customer',
          'Status',
          'Location',
          'Ship method',
          'Pickup/ship',
          'External id',
          'Custom fields',
          'Lines',
          'Total',
        ],
        orders.map((so) => {
          const code = book.statusOf(so);
          const pickup = so.lines.some((l) => l.itemFulfillmentChoice === 'storePickup');
          return [
            so.tranId,
            so.id,
            so.tranDate,
            customerName(so.entity),
            tag(`${code} · ${salesOrderStatuses[code]}`, tone(code)),
            so.location ? (s.locations[so.location]?.name ?? so.location) : '',
            so.shipMethod ? (s.shipMethods[so.shipMethod]?.itemId ?? '') : '',
            pickup ? tag('Store pickup', 'info') : tag('Ship/deliver', 'muted'),
            so.externalId ?? '',
            html`${Object.entries(so.custom).map(([k, v]) => html`<div class="break"><small>${k}</small> ${typeof v === 'string' ? v : JSON.stringify(v)}</div>`)}`,
            html`${so.lines.map(
              (l) =>
                html`<div class="line">
                  ${l.line}: <code>${s.items[l.item]?.itemId ?? l.item}</code> ×${l.quantity}
                  <small
                    >(fulfilled ${l.quantityFulfilled}, billed ${l.quantityBilled})${l.isClosed ? ' closed' : ''}</small
                  >
                </div>`,
            )}`,
            so.lines.reduce((sum, l) => sum + l.amount, 0).toFixed(2),
          ];
        }),
      )}
      <h2>Item fulfillments (${fulfilments.length})</h2>
      ${table(
        ['#', 'Id', 'From', 'Status', 'Lines'],
        fulfilments.map((f) => [
          f.tranId,
          f.id,
          s.transactions[f.createdFrom]?.tranId ?? f.createdFrom,
          fulfillmentStatuses[f.shipStatus],
          html`${f.lines.map((l) => {
            const numbers = (l.inventoryDetail ?? [])
              .map((a) =>
                [
                  a.inventoryNumber ? s.inventoryNumbers[a.inventoryNumber]?.inventoryNumber : '',
                  a.bin ? `bin ${s.bins[a.bin]?.binNumber}` : '',
                ]
                  .filter(Boolean)
                  .join(' '),
              )
              .filter(Boolean)
              .join(', ');
            return html`<div class="line">
              ${l.kitMemberOf ? '↳ ' : ''}<code>${s.items[l.item]?.itemId ?? l.item}</code> ×${l.quantity} @
              ${s.locations[l.location]?.name ?? l.location}${numbers ? ` [${numbers}]` : ''}
            </div>`;
          })}`,
        ]),
      )}
      <h2>Invoices and cash sales (${bills.length})</h2>
      ${table(
        ['#', 'Id', 'Type', 'From', 'Customer', 'Status', 'External id', 'Total'],
        bills.map((b) => [
          b.tranId,
          b.id,
          b.type === 'invoice' ? 'Invoice' : 'Cash sale',
          b.createdFrom ? (s.transactions[b.createdFrom]?.tranId ?? '') : 'standalone',
          customerName(b.entity),
          b.type === 'invoice' ? invoiceStatuses[b.statusCode as 'A' | 'B'] : cashSaleStatuses[b.statusCode],
          b.externalId ?? '',
          b.lines.reduce((sum, l) => sum + l.amount, 0).toFixed(2),
        ]),
      )}
      <h2 id="new">Raise a sales order</h2>
      <form method="post" action="/backoffice/sales-orders">
        <p>
          <label
            >Customer
            <select name="customer">
              ${Object.values(s.customers).map((cu) => html`<option value="${cu.id}">${customerName(cu.id)}</option>`)}
            </select></label
          >
          <label
            >Location
            <select name="location">
              ${Object.values(s.locations).map((l) => html`<option value="${l.id}">${l.name}</option>`)}
            </select></label
          >
          <label
            >Ship method
            <select name="shipMethod">
              <option value="">(by pickup/delivery)</option>
              ${Object.values(s.shipMethods).map((m) => html`<option value="${m.id}">${m.itemId}</option>`)}
            </select></label
          >
          <label
            >Fulfilment
            <select name="fulfilment">
              <option value="pickup">Store pickup</option>
              <option value="delivery">Delivery from store</option>
              <option value="ship">Ship</option>
            </select></label
          >
          <label
            >Status
            <select name="status">
              ${salesOrderStatusCodes.map((code) => html`<option value="${code}" ${code === 'B' ? 'selected' : ''}>${code} · ${salesOrderStatuses[code]}</option>`)}
            </select></label
          >
          <label
            >Bills as
            <select name="customForm">
              <option value="invoice">Invoice</option>
              <option value="cashSale">Cash sale</option>
            </select></label
          >
        </p>
        ${[0, 1, 2].map(
          (i) =>
            html`<p>
              <label>Item (SKU, UPC or id) <input name="item${i}" list="items" /></label>
              <label>Qty <input name="quantity${i}" type="number" min="1" value="1" /></label>
            </p>`,
        )}
        <datalist id="items">
          ${Object.values(s.items)
            .slice(0, 500)
            .map((it) => html`<option value="${it.itemId}">${it.displayName}</option>`)}
        </datalist>
        <p>
          <label>External id <input name="externalId" /></label> <label>Memo <input name="memo" /></label>
        </p>
        <button type="submit">Save sales order</button>
      </form>
    `;
    return c.html(backOfficePage({ system: 'NetSuite', title: 'Sales orders', nav, body }));
  });

  app.post('/backoffice/sales-orders', async (c) => {
    const form = await c.req.parseBody();
    const str = (k: string): string => (typeof form[k] === 'string' ? (form[k] as string).trim() : '');
    const items = [0, 1, 2]
      .map((i) => ({ item: str(`item${i}`), quantity: Number(str(`quantity${i}`) || 1) }))
      .filter((l) => l.item !== '');
    try {
      const so = options.raise({
        customer: str('customer'),
        items,
        ...(str('location') ? { location: str('location') } : {}),
        ...(str('shipMethod') ? { shipMethod: str('shipMethod') } : {}),
        ...(str('fulfilment') ? { fulfilment: str('fulfilment') } : {}),
        status: str('status') || 'B',
        ...(str('customForm') ? { customForm: str('customForm') } : {}),
        ...(str('externalId') ? { externalId: str('externalId') } : {}),
        ...(str('memo') ? { memo: str('memo') } : {}),
      }) as { tranId: string };
      return c.redirect(`/backoffice?created=${encodeURIComponent(so.tranId)}`, 303);
    } catch (error) {
      const message =
        error instanceof SimInputError
          ? error.message
          : error instanceof Error
            ? `Invalid order: ${error.message.slice(0, 200)}`
            : 'Invalid order';
      return c.redirect(`/backoffice?error=${encodeURIComponent(message)}`, 303);
    }
  });
}
