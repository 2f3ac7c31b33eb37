// Acceptance 4 of the simulators issue: `tradeloop start --demo` brings all four simulators up seeded with
// `demo`, and each back office renders in Chromium. The real server process is started as `npm start` does;
// each page is checked for content a person would look for in a demo and saved as a screenshot in
// test-results/screenshots/backoffice-<system>*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildScenario, scenarioOptions, type ScenarioPosItem } from '../../src/simulators/shared/scenario.ts';
import { browserSkipReason, launchChromium, screenshotPath } from '../support/browser.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { demoSimulatorUrls } from '../support/simulators.ts';

const skip = browserSkipReason();

/** The world the `demo` seed is built from: the same deterministic generator the simulators use. */
const scenario = buildScenario(scenarioOptions('demo'));
const brandNames = scenario.brands.map((b) => b.name);
/** A POS item every POS simulator holds: live, with a brand and a UPC. */
const knownItem = scenario.posItems.find(
  (i) => !i.archived && i.upc && i.brandName !== 'House Brand',
) as ScenarioPosItem & { upc: string };
const approvedOrder = scenario.orders.find((o) => o.status === 'approved');

describe('simulator back offices under `tradeloop start --demo`, in Chromium', { skip }, () => {
  let server: ServerProcess;
  let browser: Browser;
  const sim = { nuorder: '', x: '', r: '', netsuite: '' };

  before(async () => {
    assert.ok(knownItem && approvedOrder, 'the demo scenario has a branded POS item and an approved order');
    [server, browser] = await Promise.all([startServerProcess(['start', '--demo']), launchChromium()]);
    const urls = demoSimulatorUrls(server.simulatorBasePort);
    sim.nuorder = urls.nuorder;
    sim.x = urls['lightspeed-x'];
    sim.r = urls['lightspeed-r'];
    sim.netsuite = urls.netsuite;
    for (const [system, url] of [
      ['nuorder', sim.nuorder],
      ['lightspeed-x', sim.x],
      ['lightspeed-r', sim.r],
      ['netsuite', sim.netsuite],
    ] as const) {
      const info = (await (await fetch(`${url}/_sim`)).json()) as { system: string };
      assert.equal(info.system, system, `port of ${system}`);
    }
    assert.match(server.output.join(''), new RegExp(`lightspeed-r\\s+${sim.r.replace(/[.]/g, '\\.')}/backoffice`));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Opens a back-office page, checks it answered 200 without script errors, and returns it. */
  async function open(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const response = await page.goto(url);
    assert.equal(response?.status(), 200, `${url} answered ${response?.status()}`);
    await page.locator('main h1').waitFor();
    assert.deepEqual(errors, [], `script errors on ${url}`);
    return page;
  }

  async function shot(page: Page, name: string, fullPage = false): Promise<void> {
    await page.screenshot({ path: screenshotPath(`backoffice-${name}`), fullPage });
    await page.close();
  }

  const text = (page: Page): Promise<string> => page.locator('main').innerText();

  test('NuORDER: overview with the retailer and the three demo brands, orders by status, an order, the catalog', async () => {
    let page = await open(`${sim.nuorder}/backoffice`);
    let body = await text(page);
    assert.match(body, /Lakeside Goods Co\./);
    for (const brand of brandNames) assert.ok(body.includes(brand), `brand ${brand} on the overview`);
    assert.equal(await page.locator('main table').nth(1).locator('tbody tr').count(), 3, 'three brands');
    await shot(page, 'nuorder');

    page = await open(`${sim.nuorder}/backoffice/orders`);
    body = await text(page);
    assert.match(body, /approved/);
    assert.ok(body.includes(approvedOrder?.orderNumber ?? '?'), `order ${approvedOrder?.orderNumber} listed`);
    const rows = await page.locator('main table tbody tr').count();
    assert.ok(rows >= 12, `${rows} orders listed (12 approved + others)`);
    await shot(page, 'nuorder-orders');

    page = await open(`${sim.nuorder}/backoffice/orders/${approvedOrder?.id}`);
    body = await text(page);
    assert.match(body, new RegExp(`Order ${approvedOrder?.orderNumber}`));
    assert.ok(
      (await page.locator('main table tbody tr').count()) >= (approvedOrder?.lines.length ?? 1),
      'one row per ordered size',
    );
    assert.equal(
      await page.getByRole('button', { name: 'Mark processed' }).count(),
      1,
      'the brand can process an approved order',
    );
    await shot(page, 'nuorder-order', true);

    page = await open(`${sim.nuorder}/backoffice/catalog`);
    body = await text(page);
    const style = scenario.styles.find((s) => s.brandId === scenario.brands[0]?.id);
    assert.ok(style && body.includes(style.styleNumber), `style ${style?.styleNumber} in the catalog`);
    await shot(page, 'nuorder-catalog');
  });

  test('X-Series: store overview with its outlets, a known product with codes and stock, a synced purchase order, sales', async () => {
    let page = await open(`${sim.x}/backoffice`);
    let body = await text(page);
    assert.match(body, /Lakeside Goods Co\./);
    assert.match(body, /Main Street/);
    assert.match(body, /Harbor Mall/);
    assert.match(body, /Products \(variants\)\s+219/);
    await shot(page, 'lightspeed-x');

    page = await open(`${sim.x}/backoffice/products`);
    assert.match(await text(page), /Page 1 of \d+ \(219 rows\)/);
    await shot(page, 'lightspeed-x-products');

    page = await open(`${sim.x}/backoffice/products?q=${encodeURIComponent(knownItem.sku)}`);
    body = await text(page);
    assert.ok(body.includes(knownItem.sku), `SKU ${knownItem.sku} found`);
    assert.ok(body.includes(`UPC ${knownItem.upc}`), `UPC ${knownItem.upc} shown as a product code`);
    await page
      .locator('main table tbody tr')
      .filter({ has: page.getByRole('cell', { name: knownItem.sku, exact: true }) })
      .getByRole('link')
      .click();
    await page.locator('main h1').waitFor();
    body = await text(page);
    assert.ok(body.includes(knownItem.brandName), 'the product page names the brand');
    assert.match(body, /Main Street[\s\S]*Harbor Mall/, 'stock per outlet columns');
    await shot(page, 'lightspeed-x-product');

    // The demo store has no purchase orders until Tradeloop exports one: create one through the API as the
    // export would, and check the list and the order page show it with its lines and the synced tag.
    const po = await createXPurchaseOrder(sim.x, knownItem);
    page = await open(`${sim.x}/backoffice/consignments`);
    body = await text(page);
    assert.match(body, /NuORDER #3100006/);
    assert.match(body, /Synced from NuORDER/);
    assert.match(body, /SUPPLIER/);
    await shot(page, 'lightspeed-x-purchase-orders');

    page = await open(`${sim.x}/backoffice/consignments/${po}`);
    body = await text(page);
    assert.match(body, /Synced from NuORDER/);
    assert.ok(body.includes(knownItem.sku), 'the line shows the product SKU');
    await shot(page, 'lightspeed-x-purchase-order');

    page = await open(`${sim.x}/backoffice/sales`);
    body = await text(page);
    for (const status of ['CLOSED', 'LAYBY', 'VOIDED', 'AWAITING_PICKUP'])
      assert.ok(body.includes(status), `a ${status} sale`);
    await shot(page, 'lightspeed-x-sales');
  });

  test('R-Series: items with matrix, codes and stock per shop, purchase orders with lines, vendors', async () => {
    let page = await open(`${sim.r}/backoffice`);
    let body = await text(page);
    assert.match(body, /\d+ items · 74 matrices · account 83050/);
    assert.match(body, /Stock: Lakeside Goods Co\. — Portland/);
    assert.match(body, /Stock: Lakeside Goods Co\. — Warehouse/);
    await shot(page, 'lightspeed-r');

    page = await open(`${sim.r}/backoffice?q=${knownItem.upc}`);
    body = await text(page);
    assert.ok(body.includes(knownItem.upc) || body.includes(`0${knownItem.upc}`), `UPC ${knownItem.upc} found`);
    assert.ok(body.includes(knownItem.brandName), 'the brand (manufacturer) is shown');
    assert.ok(body.includes(knownItem.sku), 'the custom SKU is shown');
    await shot(page, 'lightspeed-r-item');

    await createRPurchaseOrder(sim.r, knownItem);
    page = await open(`${sim.r}/backoffice/orders`);
    body = await text(page);
    assert.match(body, /3 purchase orders, newest first/);
    assert.match(body, /Synced from NuORDER/);
    assert.match(body, /b2bOrderNumber 3100006/);
    assert.match(body, /House Supply Co\./);
    assert.match(body, /Finished/);
    assert.equal(
      await page.getByRole('button', { name: 'Check in all' }).count(),
      2,
      'the two open orders can be checked in',
    );
    await shot(page, 'lightspeed-r-purchase-orders', true);

    page = await open(`${sim.r}/backoffice/vendors`);
    body = await text(page);
    for (const brand of brandNames) assert.ok(body.includes(brand), `manufacturer ${brand}`);
    await shot(page, 'lightspeed-r-vendors');
  });

  test('NetSuite: sales orders with status codes, fulfilments, invoices and cash sales, the new-order form', async () => {
    const page = await open(`${sim.netsuite}/backoffice`);
    const body = await text(page);
    const count = Number(/Sales orders \((\d+)\)/.exec(body)?.[1] ?? 0);
    assert.ok(count >= 10, `${count} sales orders`);
    for (const status of ['A · Pending Approval', 'B · Pending Fulfillment', 'G · Billed', 'H · Closed'])
      assert.ok(body.includes(status), status);
    assert.match(body, /Main Street/);
    assert.match(body, /Harbor Mall/);
    assert.match(body, /Item fulfillments \([1-9]\d*\)/);
    assert.match(body, /Invoices and cash sales \([1-9]\d*\)/);
    assert.equal(await page.getByRole('button', { name: 'Save sales order' }).count(), 1);
    await shot(page, 'netsuite', true);
  });
});

/** An X-Series purchase order as a NuORDER export creates it: SUPPLIER, OPEN, one line. Returns its id. */
async function createXPurchaseOrder(base: string, item: ScenarioPosItem): Promise<string> {
  const tokens = (await (await fetch(`${base}/_sim/tokens`, { method: 'POST', body: '{}' })).json()) as {
    access_token: string;
  };
  const call = async (method: string, path: string, body?: unknown): Promise<{ data: unknown }> => {
    const response = await fetch(`${base}/api/2.0${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
    return (await response.json()) as { data: unknown };
  };
  const outlets = (await call('GET', '/outlets')).data as Array<{ id: string; name: string }>;
  const suppliers = (await call('GET', '/suppliers')).data as Array<{ id: string; name: string }>;
  const found = (await call('GET', `/search?type=products&sku=${encodeURIComponent(item.sku.toLowerCase())}`))
    .data as Array<{ id: string }>;
  const product = found[0];
  assert.ok(product, `product ${item.sku} found by SKU`);
  const created = await call('POST', '/consignments', {
    type: 'SUPPLIER',
    status: 'OPEN',
    outlet_id: outlets.find((o) => o.name === 'Main Street')?.id,
    supplier_id: suppliers.find((s) => s.name.includes(item.brandName))?.id ?? suppliers[0]?.id,
    name: 'NuORDER #3100006',
    reference: '3100006',
  });
  const id = (created.data as { id: string }).id;
  await call('POST', `/consignments/${id}/products`, { product_id: product.id, count: '6', cost: '12.50' });
  return id;
}

/** An R-Series purchase order with NuORDER's b2b fields and one line. */
async function createRPurchaseOrder(base: string, item: ScenarioPosItem & { upc: string }): Promise<void> {
  const tokens = (await (await fetch(`${base}/_sim/tokens`, { method: 'POST', body: '{}' })).json()) as {
    access_token: string;
  };
  const call = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${base}/API/V3/Account/83050${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const found = await call('GET', `/Item.json?customSku=${encodeURIComponent(item.sku)}`);
  const found1 = found['Item'] as { itemID: string; defaultVendorID: string } | undefined;
  assert.ok(found1?.itemID, `item ${item.sku} found by customSku`);
  const order = (
    await call('POST', '/Order.json', {
      shopID: '1',
      vendorID: found1.defaultVendorID,
      refNum: 'NuORDER 3100006',
      b2bOrderNumber: '3100006',
      b2bOrderUID: approvedOrderUid(),
      orderedDate: '2026-11-02T00:00:00+00:00',
    })
  )['Order'] as { orderID: string };
  await call('POST', '/OrderLine.json', {
    orderID: order.orderID,
    itemID: found1.itemID,
    quantity: '6',
    price: '12.50',
  });
}

function approvedOrderUid(): string {
  return scenario.orders.find((o) => o.status === 'approved')?.id ?? 'unknown';
}
