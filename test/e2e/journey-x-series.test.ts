import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchChromium } from '../support/browser.ts';
import {
  guideStep,
  linkNuorder,
  linkPos,
  newPage,
  orderRow,
  reviewAll,
  shot,
  signIn,
  sim,
  startDemoServer,
  type DemoServer,
} from './demo-harness.ts';

const skip = browserSkipReason();

// The buyer's main journey on Lightspeed X-Series, in Chromium against `tradeloop start --demo`: first
// sign-in with the getting-started guide, linking through the simulators' own OAuth pages, a review with
// matched, new and needs-review lines, the export, its progress and summary, and the PO as the POS has it.
describe('the buyer journey on X-Series, in Chromium', { skip }, () => {
  let demo: DemoServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    [demo, browser] = await Promise.all([startDemoServer(), launchChromium()]);
    page = await newPage(browser);
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  test('first sign-in: the guide leads through linking NuORDER and X-Series', async () => {
    await signIn(page, demo.url);
    const welcome = guideStep(page, 'Welcome to Tradeloop');
    await welcome.waitFor();
    await shot(page, 'guide-welcome');
    await welcome.getByRole('button', { name: 'Start' }).click();
    await guideStep(page, 'Link NuORDER').getByRole('button', { name: 'Go to Connections' }).click();
    await page.waitForURL(/\/connections$/);
    // The guide points at the real control.
    await page.locator('[data-guide="link-nuorder"].guide-target').waitFor();
    await shot(page, 'connections-empty');

    // Demo mode pre-fills the NuORDER simulator's test application.
    await page.getByRole('button', { name: 'Link NuORDER' }).click();
    assert.equal(await page.getByLabel('Consumer key').inputValue(), 'tl-demo-consumer-key');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await linkNuorder(page, 'Northwind Outfitters');

    await guideStep(page, 'Link your point of sale').waitFor();
    await page.locator('[data-guide="link-pos"].guide-target').waitFor();
    await linkPos(page, 'X-Series');

    // Health: linked, catalog mirrored, rate-limit headroom, sync mode and default location.
    const card = page.getByRole('article', { name: 'X-Series · lakesidegoods' });
    await card.getByText('Linked', { exact: true }).waitFor();
    await card.getByRole('meter').waitFor();
    await card.getByText(/requests left in this window/).waitFor();
    await card.getByLabel('Purchase-order sync').waitFor();
    await card
      .getByLabel('Default location')
      .locator('option', { hasText: 'Main Street' })
      .waitFor({ state: 'attached' });
    const mirrored = card.locator('dt', { hasText: 'Catalog items mirrored' }).locator('xpath=following-sibling::dd');
    assert.ok(Number((await mirrored.textContent())?.replace(/\D/g, '')) > 100, 'the catalog is mirrored');
    await guideStep(page, 'Review an export').waitFor();
    await shot(page, 'connections');
  });

  test('review an order with matched, new and needs-review lines, resolve it, export, and open the tagged PO', async () => {
    await guideStep(page, 'Review an export').getByRole('button', { name: 'Go to Orders' }).click();
    const row = orderRow(page, '3100006');
    await row.getByText('Not exported').waitFor();
    await page.locator('[data-guide="order-export"].guide-target').waitFor();
    await shot(page, 'orders');
    await row.getByRole('link', { name: 'Export order 3100006' }).click();

    await page.getByRole('heading', { name: 'Review export: order 3100006' }).waitFor();
    assert.match(page.url(), /\/plans\/[0-9a-f-]{36}$/, 'the plan id is in the address');
    await guideStep(page, 'Resolve, then export').waitFor();
    const tabs = page.getByRole('tablist', { name: 'Lines by decision' });
    assert.match((await tabs.getByRole('tab', { name: /Needs review/ }).textContent()) ?? '', /Needs review3/);
    assert.match((await tabs.getByRole('tab', { name: /Matched/ }).textContent()) ?? '', /Matched7/);
    assert.match((await tabs.getByRole('tab', { name: /New items/ }).textContent()) ?? '', /New items7/);
    const exportButton = page.getByRole('button', { name: 'Export to X-Series' });
    assert.equal(
      await exportButton.getAttribute('aria-disabled'),
      'true',
      'Export is disabled while lines need review',
    );
    await page.getByText('3 sizes need review.').waitFor();
    // Duplicate-UPC warnings at the POS-item level, on the plan and on the size rows.
    assert.ok((await page.getByText(/Duplicate UPC in the POS: 2 live items carry UPC 084001001174/).count()) >= 2);
    await shot(page, 'review-needs-review', false);

    // The picker lists the POS items carrying the UPC with their details, plus "Create new item".
    await page.getByRole('button', { name: 'Choose the match for Harbor Hoodie Black M' }).click();
    const picker = page.getByRole('group', { name: /UPC match in POS for Harbor Hoodie \/ Black \/ M/ });
    await picker.getByText('SKU NOR-1013-BLK-M-OLD', { exact: false }).waitFor();
    assert.equal(await picker.getByRole('radio').count(), 3, 'two POS items and Create new item');
    await shot(page, 'review-picker', false, true);
    await picker.getByRole('button', { name: 'Cancel' }).click();

    await reviewAll(page, (title) => (/Black \/ S/.test(title) ? 'Create new item' : /SKU NOR-1013-(BLK|NVY)-M ·/));
    await tabs.getByRole('tab', { name: /Needs review\s*0/ }).waitFor();
    assert.equal(await exportButton.getAttribute('aria-disabled'), 'false');
    await tabs.getByRole('tab', { name: /Matched/ }).click();
    assert.equal(await page.getByRole('tabpanel').getByText('Your choice', { exact: true }).count(), 2);
    await tabs.getByRole('tab', { name: /New items/ }).click();
    await page
      .getByRole('tabpanel')
      .getByRole('heading', { name: /Harbor Hoodie · NOR-1013 · Black/ })
      .waitFor();
    // Each new item says the SKU it will get, which reads as the item.
    await page
      .getByRole('tabpanel')
      .getByText(/A new draft item will be created · SKU nor-1013-black-s-[0-9a-f]{8}/)
      .first()
      .waitFor();

    await exportButton.click();
    await page.getByRole('heading', { name: /^(Exporting order 3100006|Export of order 3100006 finished)$/ }).waitFor();
    await shot(page, 'export-progress');
    await page.getByRole('heading', { name: 'Export of order 3100006 finished' }).waitFor();
    const stats = page.getByRole('region', { name: 'Summary' });
    assert.equal(
      await stats.locator('dt', { hasText: 'Lines synced' }).locator('xpath=following-sibling::dd').textContent(),
      '17',
    );
    assert.equal(
      await stats
        .locator('dt', { hasText: 'Draft items created' })
        .locator('xpath=following-sibling::dd')
        .textContent(),
      '8',
    );
    await page.getByRole('status').filter({ hasText: 'Export of order 3100006 finished' }).waitFor();
    await shot(page, 'export-summary');

    await page.getByRole('link', { name: 'View purchase orders' }).click();
    const fresh = page.getByRole('region', { name: 'From this export' });
    await fresh.getByText('Synced from NuORDER').waitFor();
    await fresh.getByText(/NuORDER #3100006/).waitFor();
    await fresh.getByRole('link', { name: 'Order 3100006 in Tradeloop' }).waitFor();
    await shot(page, 'purchase-orders');

    await fresh.getByRole('link', { name: /^PO #/ }).click();
    await page.getByRole('heading', { name: /^PO #.+Synced from NuORDER/ }).waitFor();
    await page.getByRole('table').getByRole('row').nth(17).waitFor();
    assert.equal(await page.getByRole('table').getByRole('row').count(), 18, '17 lines read back from the POS');
    await page.getByText('Open', { exact: true }).waitFor();
    await shot(page, 'purchase-order', true, true);

    // The simulator's back office shows the same PO at the top of its list, tagged.
    const [backoffice] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('link', { name: 'Open in the X-Series back office (demo)' }).click(),
    ]);
    await backoffice.getByText('Synced from NuORDER').first().waitFor();
    await backoffice.goto(`${demo.sims.x}/backoffice/consignments`);
    const top = backoffice.locator('tbody tr').first();
    assert.match((await top.textContent()) ?? '', /NuORDER #3100006.*Synced from NuORDER/s);
    await backoffice.close();

    await page.getByRole('link', { name: 'Open order 3100006 in Tradeloop' }).click();
    await page.getByRole('heading', { name: /Order 3100006/ }).waitFor();
    await page
      .getByRole('region', { name: 'Export status' })
      .getByRole('link', { name: /Exported · PO #/ })
      .first()
      .waitFor();
    await shot(page, 'order');
    await guideStep(page, 'Follow it through').getByRole('button', { name: 'Finish' }).click();
    assert.equal(await page.getByRole('dialog').count(), 0);
  });

  test('bulk export: three orders, three purchase orders', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders', exact: true }).click();
    await orderRow(page, '3100006')
      .getByRole('link', { name: /Exported · PO #/ })
      .waitFor();
    // Search and filters narrow the list (and live in the address).
    await page.getByLabel('Search').fill('3100026');
    await page.waitForURL(/q=3100026/);
    await orderRow(page, '3100046').waitFor({ state: 'detached' });
    await orderRow(page, '3100026').waitFor();
    assert.equal(await page.getByRole('row').count(), 2, 'the header and one order');
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await orderRow(page, '3100046').waitFor();
    await page.getByLabel('POS sync').selectOption('exported');
    await page.waitForURL(/sync=exported/);
    await orderRow(page, '3100046').waitFor({ state: 'detached' });
    await orderRow(page, '3100006').waitFor();
    assert.equal(await page.getByRole('row').count(), 2, 'the header and the exported order');
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await orderRow(page, '3100069').waitFor();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('status').filter({ hasText: 'Orders are up to date with NuORDER.' }).waitFor();

    for (const n of ['3100046', '3100026', '3100069'])
      await page.getByRole('checkbox', { name: `Select order ${n}` }).check();
    await page.getByRole('button', { name: 'Export 3 orders' }).click();
    await page.getByRole('heading', { name: 'Review export: 3 orders' }).waitFor();
    const mapping = page.getByRole('region', { name: 'Orders → purchase orders' });
    for (const n of ['3100046', '3100026', '3100069']) await mapping.getByRole('rowheader', { name: n }).waitFor();
    assert.equal(await mapping.getByText(/^New purchase order “NuORDER #/).count(), 3);
    await shot(page, 'review-bulk');
    await page.getByRole('button', { name: 'Export to X-Series' }).click();
    await page.getByRole('heading', { name: 'Export of 3 orders finished' }).waitFor();
    const stats = page.getByRole('region', { name: 'Summary' });
    assert.equal(
      await stats.locator('dt', { hasText: 'Purchase orders' }).locator('xpath=following-sibling::dd').textContent(),
      '3',
    );
    await page.getByRole('link', { name: 'View purchase orders' }).click();
    const fresh = page.getByRole('region', { name: 'From this export' });
    await fresh.getByRole('listitem').nth(2).waitFor();
    assert.equal(await fresh.getByRole('listitem').count(), 3);
    assert.equal(await fresh.getByText('Synced from NuORDER').count(), 3);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders', exact: true }).click();
    for (const n of ['3100046', '3100026', '3100069'])
      await orderRow(page, n)
        .getByRole('link', { name: /Exported · PO #/ })
        .waitFor();
    await shot(page, 'orders-exported', true, true);
  });

  test('a change the brand makes after the export shows as an amendment on the order page', async () => {
    type SimOrder = {
      _id: string;
      order_number: string;
      lines: Array<{ product_id: string; sizes: Array<{ size: string; quantity: number }> }>;
    };
    const state = await sim(demo.sims.nuorder, 'GET', '/_sim/state');
    const order = (state.orders as SimOrder[]).find((o) => o.order_number === '3100006');
    const line = order?.lines[0];
    const size = line?.sizes[0];
    assert.ok(order && line && size, 'order 3100006 is in the NuORDER simulator');
    await sim(demo.sims.nuorder, 'POST', `/_sim/orders/${order._id}/edit`, {
      lines: [{ productId: line.product_id, size: size.size, quantity: size.quantity + 5 }],
    });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('status').filter({ hasText: 'Orders are up to date with NuORDER.' }).waitFor();
    await page.getByRole('link', { name: '3100006', exact: true }).click();
    const amendments = page.getByRole('region', { name: 'Amendments' });
    await amendments.getByText('Quantity changed').waitFor();
    await amendments.getByText(`${size.quantity} → ${size.quantity + 5}`, { exact: false }).waitFor();
    await shot(page, 'order-amended');

    // Then the brand cancels it: the order leaves NuORDER's approved list, and Sync now still shows it.
    await sim(demo.sims.nuorder, 'POST', `/_sim/orders/${order._id}/status`, { action: 'cancel' });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('status').filter({ hasText: 'Orders are up to date with NuORDER.' }).waitFor();
    await page.getByRole('link', { name: '3100006', exact: true }).click();
    await amendments.getByText('the brand cancelled the order', { exact: false }).waitFor();
    await shot(page, 'order-cancelled', true, true);
  });
});
