import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason } from '../support/browser.ts';
import { docsShot, type DemoServer, openLinkedDemo, orderRow, sim } from './demo-harness.ts';

const skip = browserSkipReason();

// Issue 15, acceptance 5 (amendments) in Chromium: the brand raises a quantity on an exported order; the order page
// shows what accepting changes on the X-Series purchase order, the buyer accepts, and the page follows the apply to
// "Applied"; the consignment in the simulator has the new count. docs/screenshots/amendment.png is taken here.
describe('accepting an amendment on the order page, in Chromium', { skip }, () => {
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

  test('a quantity raised by the brand: the plan, Accept, the PO updated in X-Series', async () => {
    const orders = () =>
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders', exact: true }).click();
    await orders();
    await orderRow(page, '3100046').getByRole('link', { name: 'Export order 3100046' }).click();
    await page.getByRole('heading', { name: 'Review export: order 3100046' }).waitFor();
    await page.getByRole('button', { name: 'Export to X-Series' }).click();
    await orders();
    await orderRow(page, '3100046')
      .getByText(/Exported · PO #/)
      .waitFor({ timeout: 60_000 });

    type SimOrder = {
      order_number: string;
      lines: Array<{ product_id: string; sizes: Array<{ size: string; quantity: number }> }>;
    };
    const state = await sim(demo.sims.nuorder, 'GET', '/_sim/state');
    const order = (state.orders as SimOrder[]).find((o) => o.order_number === '3100046');
    const line = order?.lines[0];
    const size = line?.sizes[0];
    assert.ok(order && line && size, 'order 3100046 is in the NuORDER simulator');
    await sim(demo.sims.nuorder, 'POST', '/_sim/orders/3100046/edit', {
      lines: [{ productId: line.product_id, size: size.size, quantity: size.quantity + 4 }],
    });
    await page.getByRole('button', { name: /Sync now/ }).click();
    await page.getByRole('status').filter({ hasText: 'Orders are up to date with NuORDER.' }).waitFor();
    await orderRow(page, '3100046')
      .getByRole('link', { name: /3100046/ })
      .first()
      .click();

    const amendments = page.getByRole('region', { name: 'Amendments' });
    await amendments.getByText('Quantity changed').waitFor();
    await amendments.getByRole('button', { name: 'Show what changes in the POS' }).click();
    const plan = amendments.getByLabel('What accepting changes');
    await plan.getByText(`to ${size.quantity + 4} on PO`, { exact: false }).waitFor();
    await plan.getByText('Nothing needs a decision', { exact: false }).waitFor();
    await amendments.getByRole('button', { name: 'Accept and update the purchase order' }).click();
    await amendments.getByText('Applied to the purchase order').waitFor({ timeout: 60_000 });
    await amendments.getByText(/\d+ of \d+ steps done/).waitFor();
    await amendments.scrollIntoViewIfNeeded();
    await docsShot(page, 'amendment');

    // The consignment in X-Series has the brand's new count.
    const pos = await sim(demo.sims.x, 'GET', '/_sim/state');
    const counts = (pos.consignmentLines as Array<{ count: number | string; deleted_at: string | null }>)
      .filter((l) => !l.deleted_at)
      .map((l) => Number(l.count));
    assert.ok(counts.includes(size.quantity + 4), `a PO line now counts ${size.quantity + 4}: ${counts.join(', ')}`);
  });
});
