import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchChromium } from '../support/browser.ts';
import {
  FIRST_CANDIDATE,
  guideStep,
  linkNuorder,
  linkPos,
  newPage,
  orderRow,
  reviewAll,
  shot,
  signIn,
  startDemoServer,
  type DemoServer,
} from './demo-harness.ts';

const skip = browserSkipReason();

// The same journey on Lightspeed R-Series: guide, linking through the simulators' OAuth pages, review,
// export, progress, summary, and the purchase order as R-Series shows it.
describe('the buyer journey on R-Series, in Chromium', { skip }, () => {
  let demo: DemoServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    [demo, browser] = await Promise.all([startDemoServer(), launchChromium()]);
    page = await newPage(browser, 1280, 800);
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  test('sign in, follow the guide, link NuORDER and R-Series', async () => {
    await signIn(page, demo.url);
    await guideStep(page, 'Welcome to Tradeloop').getByRole('button', { name: 'Start' }).click();
    await guideStep(page, 'Link NuORDER').getByRole('button', { name: 'Go to Connections' }).click();
    await page.waitForURL(/\/connections$/);
    await linkNuorder(page, 'Northwind Outfitters');
    await guideStep(page, 'Link your point of sale').waitFor();
    await linkPos(page, 'R-Series');
    const card = page.getByRole('article', { name: /^R-Series · / });
    await card.getByText('Linked', { exact: true }).waitFor();
    await card.getByText(/request units free/).waitFor();
    // R-Series does not tell its currency: the card asks, USD until said otherwise; saved when changed.
    const currency = card.getByLabel('Account currency');
    assert.equal(await currency.inputValue(), 'USD');
    await currency.selectOption('CAD');
    await card.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await shot(page, 'connections-r-series');
    await currency.selectOption('USD');
    await card.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await guideStep(page, 'Review an export').getByRole('button', { name: 'Go to Orders' }).click();
    await orderRow(page, '3100006').getByText('Not exported').waitFor();
  });

  test('review, resolve and export an order to R-Series; open the tagged purchase order', async () => {
    await orderRow(page, '3100006').getByRole('link', { name: 'Export order 3100006' }).click();
    await page.getByRole('heading', { name: 'Review export: order 3100006' }).waitFor();
    await page
      .getByLabel('Receive at location')
      .locator('option:checked', { hasText: 'Lakeside Goods Co. — Portland' })
      .waitFor({ state: 'attached' });
    const tabs = page.getByRole('tablist', { name: 'Lines by decision' });
    assert.match((await tabs.getByRole('tab', { name: /Needs review/ }).textContent()) ?? '', /Needs review3/);
    assert.match((await tabs.getByRole('tab', { name: /Matched/ }).textContent()) ?? '', /Matched7/);
    assert.match((await tabs.getByRole('tab', { name: /New items/ }).textContent()) ?? '', /New items7/);
    const exportButton = page.getByRole('button', { name: 'Export to R-Series' });
    assert.equal(await exportButton.getAttribute('aria-disabled'), 'true');
    await shot(page, 'review-r-series', false);

    await reviewAll(page, () => FIRST_CANDIDATE);
    await tabs.getByRole('tab', { name: /Needs review\s*0/ }).waitFor();
    await exportButton.click();
    await page.getByRole('heading', { name: /^(Exporting order 3100006|Export of order 3100006 finished)$/ }).waitFor();
    await page.getByRole('heading', { name: 'Export of order 3100006 finished' }).waitFor({ timeout: 60_000 });
    const stats = page.getByRole('region', { name: 'Summary' });
    assert.equal(
      await stats.locator('dt', { hasText: 'Lines synced' }).locator('xpath=following-sibling::dd').textContent(),
      '17',
    );
    await shot(page, 'export-summary-r-series');

    await page.getByRole('link', { name: 'View purchase orders' }).click();
    const fresh = page.getByRole('region', { name: 'From this export' });
    await fresh.getByText('Synced from NuORDER').waitFor();
    await fresh.getByRole('link', { name: /^PO #/ }).click();
    await page.getByRole('heading', { name: /^PO #\d+ Synced from NuORDER/ }).waitFor();
    await page.getByRole('table').getByRole('row').nth(17).waitFor();
    await shot(page, 'purchase-order-r-series');

    const poNumber = ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').match(/PO #(\d+)/)?.[1];
    assert.ok(poNumber, 'an R-Series order id');
    const backoffice = await page.context().newPage();
    await backoffice.goto(`${demo.sims.r}/backoffice/orders`);
    const newest = backoffice.locator('section[id^="order-"]').first();
    assert.match(
      (await newest.locator('h2').textContent()) ?? '',
      new RegExp(`PO #${poNumber}[\\s\\S]*Synced from NuORDER`),
    );
    await backoffice.close();

    await page.getByRole('link', { name: 'Open order 3100006 in Tradeloop' }).click();
    await page
      .getByRole('region', { name: 'Export status' })
      .getByRole('link', { name: `Exported · PO #${poNumber}` })
      .waitFor();
  });

  test('unlinking says what happens; the export history stays', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
    const card = page.getByRole('article', { name: /^R-Series · / });
    await card.getByRole('button', { name: 'Unlink' }).click();
    const dialog = page.getByRole('dialog', { name: /^Unlink R-Series · / });
    await dialog
      .getByText('The stored credentials are destroyed and Tradeloop stops syncing with this account.')
      .waitFor();
    await dialog.getByText(/Item links .* and the export history are kept/).waitFor();
    await shot(page, 'connections-unlink', false);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await card.getByRole('button', { name: 'Unlink' }).click();
    await dialog.getByRole('button', { name: 'Unlink' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Unlinked R-Series · .*item links and export history are kept/ })
      .waitFor();
    await card.waitFor({ state: 'detached' });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Synced POs' }).click();
    await page
      .getByText(/NuORDER #3100006/)
      .first()
      .waitFor();
  });
});
