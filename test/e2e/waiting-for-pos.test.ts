import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason } from '../support/browser.ts';
import { type DemoServer, openLinkedDemo, orderRow, shot, sim } from './demo-harness.ts';

const skip = browserSkipReason();

// A POS outage in the middle of an export, in Chromium: the progress page and the orders list say
// "Waiting for the POS" with the reason and the next try (not Failed), and the export finishes by itself
// once the POS answers again, with one purchase order.
describe('an export waiting for the POS, in Chromium', { skip }, () => {
  let demo: DemoServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ demo, browser, page } = await openLinkedDemo('X-Series'));
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  test('Waiting for the POS with the reason and the next try, then Exported by itself', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders', exact: true }).click();
    await orderRow(page, '3100046').getByRole('link', { name: 'Export order 3100046' }).click();
    await page.getByRole('heading', { name: 'Review export: order 3100046' }).waitFor();
    // The POS stops answering purchase orders (503) until the test lets it go.
    await sim(demo.sims.x, 'POST', '/_sim/faults', {
      kind: 'error',
      method: 'POST',
      path: '/api/2.0/consignments',
      status: 503,
    });
    try {
      await page.getByRole('button', { name: 'Export to X-Series' }).click();
      await page.getByText('waiting for the POS', { exact: false }).first().waitFor({ timeout: 30_000 });
      await page
        .getByText(/The POS answered 503\. Tradeloop tries again by itself \(next try /)
        .first()
        .waitFor();
      const main = (await page.locator('main').textContent()) ?? '';
      assert.doesNotMatch(main, /failed/i, 'not shown as failed');
      await shot(page, 'export-waiting-for-pos');

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders', exact: true }).click();
      const row = orderRow(page, '3100046');
      await row.getByText('Waiting for the POS', { exact: true }).waitFor();
      await row.getByText(/The POS answered 503/).waitFor();
      await shot(page, 'orders-waiting-for-pos', true, true);
    } finally {
      await sim(demo.sims.x, 'DELETE', '/_sim/faults');
    }
    await orderRow(page, '3100046')
      .getByText(/Exported · PO #/)
      .waitFor({ timeout: 60_000 });
    const consignments = (await sim(demo.sims.x, 'GET', '/_sim/state')).consignments as Array<{ name: string }>;
    assert.equal(consignments.filter((c) => c.name.includes('NuORDER #3100046')).length, 1, 'one purchase order');
  });
});
