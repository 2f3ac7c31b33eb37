import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason } from '../support/browser.ts';
import { docsShot, type DemoServer, openLinkedDemo, orderRow, sim } from './demo-harness.ts';

const skip = browserSkipReason();
const ORDER = '3100046';
/** A real UPC-A (valid check digit) that no line of the demo PO carries. */
const UNKNOWN = '036000291452';

/** On hand and stock value of a product at an outlet, from the X-Series simulator's state. */
async function stock(demo: DemoServer, productId: string): Promise<{ level: number; value: number }> {
  const state = await sim(demo.sims.x, 'GET', '/_sim/state');
  const rows = (state.inventory as Array<{ product_id: string; inventory_level: number; average_cost: number }>).filter(
    (r) => r.product_id === productId,
  );
  return {
    level: rows.reduce((n, r) => n + r.inventory_level, 0),
    value: rows.reduce((n, r) => n + r.inventory_level * r.average_cost, 0),
  };
}

// Issue 14, acceptance 2 in Chromium: scan-receive a shipment by typing UPCs + Enter into the scan field (one unit as
// the EAN-13 form of its UPC-A), an unknown code and one unit too many (flagged, not added); committing changes the
// POS on-hand and stock value by exactly the received units, the PO shows them received and the timeline the receipt.
// docs/screenshots/receiving.png and audit.png are taken here.
describe('receiving a shipment by scanning, in Chromium', { skip }, () => {
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

  test('UPC-A and EAN-13 scans, an unknown code and one too many: stock moves by exactly the units', async () => {
    const main = page.getByRole('navigation', { name: 'Main' });
    await main.getByRole('link', { name: 'Orders', exact: true }).click();
    await orderRow(page, ORDER)
      .getByRole('link', { name: `Export order ${ORDER}` })
      .click();
    await page.getByRole('heading', { name: `Review export: order ${ORDER}` }).waitFor();
    await page.getByRole('button', { name: 'Export to X-Series' }).click();
    await main.getByRole('link', { name: 'Orders', exact: true }).click();
    await orderRow(page, ORDER)
      .getByText(/Exported · PO #/)
      .waitFor({ timeout: 60_000 });

    await main.getByRole('link', { name: 'Synced POs' }).click();
    await page
      .getByRole('link', { name: new RegExp(ORDER) })
      .first()
      .click();
    await page.getByRole('link', { name: 'Receive a shipment' }).click();
    const scanField = page.getByLabel('Scan or type a barcode');
    await scanField.waitFor();
    const exportId = new URL(page.url()).pathname.split('/')[2]!;

    // What the PO expects, as the page read it: the first item with a 12-digit UPC.
    const expected = await page.evaluate(async (id) => {
      const r = await fetch(`/api/purchase-orders/${id}/receiving`, { credentials: 'same-origin' });
      return (await r.json()) as {
        items: Array<{ posItemId: string; label: string; codes: string[]; remaining: number }>;
      };
    }, exportId);
    const item = expected.items.find((i) => i.remaining >= 2 && i.codes.some((c) => /^\d{12}$/.test(c)));
    assert.ok(item, `an item with a UPC-A and 2 units open: ${JSON.stringify(expected.items)}`);
    const upc = item.codes.find((c) => /^\d{12}$/.test(c))!;
    const before = await stock(demo, item.posItemId);

    const type = async (code: string) => {
      await scanField.fill(code);
      await scanField.press('Enter');
    };
    // Every unit open: the UPC-A, and the last one as its EAN-13 form.
    for (let i = 1; i < item.remaining; i++) await type(upc);
    await type(`0${upc}`);
    await page
      .getByRole('status')
      .filter({ hasText: `${item.remaining} of ${item.remaining}` })
      .waitFor();
    await type(UNKNOWN);
    await page.getByRole('status').filter({ hasText: 'no line of this shipment has this code' }).waitFor();
    await type(upc);
    await page.getByRole('status').filter({ hasText: 'one too many' }).waitFor();
    const flagged = page.getByRole('region', { name: /Flagged \(2\)/ });
    await flagged.waitFor();
    assert.equal(
      await page.getByLabel(`Units of ${item.label} in this shipment`).inputValue(),
      String(item.remaining),
      'the extra unit is not added',
    );
    await docsShot(page, 'receiving');

    await page.getByRole('button', { name: `Commit ${item.remaining} units received` }).click();
    await page
      .getByText(/committed/)
      .first()
      .waitFor({ timeout: 30_000 });
    const after = await stock(demo, item.posItemId);
    assert.equal(after.level - before.level, item.remaining, 'on hand grew by exactly the units');
    // Stock value by the units at the PO line's cost (the simulator keeps a weighted average cost).
    const state = await sim(demo.sims.x, 'GET', '/_sim/state');
    const line = (
      state.consignmentLines as Array<{ product_id: string; cost: number | string; deleted_at: unknown }>
    ).find((l) => l.product_id === item.posItemId && !l.deleted_at);
    const cost = Number(line?.cost);
    assert.ok(
      Math.abs(after.value - before.value - item.remaining * cost) < 0.01,
      `stock value grew by ${after.value - before.value}, expected ${item.remaining} × ${cost}`,
    );

    // The PO shows them received.
    await page.getByRole('link', { name: /^PO #/ }).click();
    await page.getByRole('heading', { name: /PO #/ }).waitFor();
    const row = page
      .getByRole('row')
      .filter({ hasText: item.label.split(' · ')[0]! })
      .first();
    await row.waitFor();
    // The timeline (on the PO's page as on the order's) shows the receipt.
    await page
      .getByRole('region', { name: /Timeline/ })
      .locator('.milestone-label', { hasText: 'Received' })
      .first()
      .waitFor();

    // The audit page: this order is audited (the PO is received); its CSV link offers the same rows.
    await main.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Discrepancy audit' }).waitFor();
    await page.getByLabel('Only lines with issues').uncheck();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('heading', { name: new RegExp(`Order ${ORDER}`) }).waitFor();
    await docsShot(page, 'audit');
  });
});
