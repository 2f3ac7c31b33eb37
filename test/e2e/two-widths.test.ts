import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
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
  sim,
  startDemoServer,
  type DemoServer,
} from './demo-harness.ts';

const skip = browserSkipReason();
const wide = { width: 1280, height: 860 };
const phone = { width: 390, height: 860 };

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  assert.ok(b, 'the element is on the page');
  return b;
}

/** The page is no wider than the window: nothing makes the whole page scroll sideways. */
async function assertFits(page: Page, what: string): Promise<void> {
  const [scrollWidth, windowWidth] = await page.evaluate((): [number, number] => [
    document.documentElement.scrollWidth,
    window.innerWidth,
  ]);
  assert.ok(scrollWidth <= windowWidth, `${what}: the page is ${scrollWidth} px wide in a ${windowWidth} px window`);
}

/** Controls of the page (not the guide's own) that the open guide lies over, where they are now. */
function controlsUnderGuide(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const guide = document.querySelector('.guide');
    if (!guide) return [];
    const g = guide.getBoundingClientRect();
    const controls = document.querySelectorAll<HTMLElement>(
      'a[href], button, input, select, textarea, [role="tab"], .sync-list',
    );
    return [...controls]
      .filter((el) => !guide.contains(el))
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.left < g.right && g.left < r.right && r.top < g.bottom && g.top < r.bottom;
      })
      .map((el) => el.outerHTML.slice(0, 100));
  });
}

/**
 * Buttons, fields and tabs that share an accessible name on the page, and links that share one but go to
 * different places (read from Chromium's accessibility tree).
 */
async function sharedNames(page: Page): Promise<string[]> {
  const tree = await page.locator('body').ariaSnapshot();
  const names = new Map<string, Set<string>>();
  const lines = tree.split('\n');
  lines.forEach((line, i) => {
    const m = /^\s*- (button|link|textbox|searchbox|combobox|checkbox|radio|spinbutton|tab) "(.+?)"/.exec(line);
    if (!m) return;
    const url = m[1] === 'link' ? (/\/url: (.+)$/.exec(lines[i + 1] ?? '')?.[1] ?? '') : `#${i}`;
    const key = `${m[1]} "${m[2]}"`;
    names.set(key, (names.get(key) ?? new Set()).add(url));
  });
  return [...names].filter(([, targets]) => targets.size > 1).map(([name]) => name);
}

async function assertUniqueNames(page: Page, what: string): Promise<void> {
  assert.deepEqual(await sharedNames(page), [], `${what}: controls that share a name`);
}

/** A screenful (the README's pictures), scrolled to what the picture is about. */
async function windowShot(page: Page, name: string, anchor?: Locator): Promise<void> {
  if (anchor) await anchor.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, name, false, true);
}

async function atWidth(page: Page, size: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(size);
  await page.evaluate(() => window.scrollTo(0, 0));
}

// The pages a buyer uses, in Chromium at 1280 and 390 px against `tradeloop start --demo`: the guide covers no
// control and remembers Hide, the review's tabs count what they list, nothing scrolls sideways on a phone, no
// two controls share a name, a missing order says so, and the demo's sales sync sends sales.
describe('the pages at 1280 and 390 px, in Chromium', { skip }, () => {
  let demo: DemoServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    [demo, browser] = await Promise.all([startDemoServer(), launchChromium()]);
    page = await newPage(browser, wide.width, wide.height);
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  test('the guide sits beside the page (1280) or in it (390) and covers no control; connections at both widths', async () => {
    await signIn(page, demo.url);
    await guideStep(page, 'Welcome to Tradeloop').getByRole('button', { name: 'Start' }).click();
    await guideStep(page, 'Link NuORDER').getByRole('button', { name: 'Go to Connections' }).click();
    await page.locator('[data-guide="link-nuorder"].guide-target').waitFor();
    assert.deepEqual(await controlsUnderGuide(page), [], 'Connections at 1280: the guide covers nothing');
    await linkNuorder(page, 'Northwind Outfitters');
    await linkPos(page, 'X-Series');
    const card = page.getByRole('article', { name: 'X-Series · lakesidegoods' });
    await card.getByRole('meter').waitFor();
    await assertUniqueNames(page, 'Connections');
    assert.equal(await card.getByRole('button', { name: 'Unlink X-Series · lakesidegoods' }).count(), 1);
    await shot(page, 'two-widths-connections-1280', true, true);
    await atWidth(page, phone);
    await assertFits(page, 'Connections at 390');
    assert.deepEqual(await controlsUnderGuide(page), [], 'Connections at 390: the guide covers nothing');
    await windowShot(page, 'two-widths-connections-390', page.getByRole('heading', { name: 'Point of sale' }));

    // Step 4 points at an order's Export button; the POS-sync column and the rest stay clear of it.
    await atWidth(page, wide);
    await guideStep(page, 'Review an export').getByRole('button', { name: 'Go to Orders' }).click();
    await page.locator('[data-guide="order-export"].guide-target').waitFor();
    await orderRow(page, '3100006').getByText('Not exported').waitFor();
    for (const size of [wide, phone]) {
      await atWidth(page, size);
      assert.deepEqual(await controlsUnderGuide(page), [], `Orders at ${size.width}: the guide covers nothing`);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      assert.deepEqual(
        await controlsUnderGuide(page),
        [],
        `Orders at ${size.width}, scrolled down: the guide covers nothing`,
      );
      await shot(page, `two-widths-orders-guide-${size.width}`, false);
    }
    await atWidth(page, wide);
  });

  test('orders at both widths: one money format, rows as cards on a phone, unique names', async () => {
    const row = orderRow(page, '3100006');
    await row.getByText('$3,118.00', { exact: true }).waitFor();
    assert.equal(await page.getByText(/USD \d/).count(), 0, 'no "USD 3,118.00" beside "$29.50"');
    await assertUniqueNames(page, 'Orders');
    await shot(page, 'two-widths-orders-1280', true, true);
    await atWidth(page, phone);
    await assertFits(page, 'Orders at 390');
    // Every column of a row is within the window, the Export link included.
    const exportLink = row.getByRole('link', { name: 'Export order 3100006' });
    await exportLink.scrollIntoViewIfNeeded();
    const link = await box(exportLink);
    assert.ok(link.x + link.width <= phone.width, 'the Export link is in reach at 390 px');
    await windowShot(page, 'two-widths-orders-390', page.getByRole('search', { name: 'Filter orders' }));
    await atWidth(page, wide);
  });

  test('review: tabs count and list sizes, the picker comes into view, warnings clear when resolved, Hide is remembered and the pill clears Export', async () => {
    await orderRow(page, '3100006').getByRole('link', { name: 'Export order 3100006' }).click();
    await page.getByRole('heading', { name: 'Review export: order 3100006' }).waitFor();
    const tabs = page.getByRole('tablist', { name: 'Lines by decision' });
    const panel = page.getByRole('tabpanel');
    const sizesListed = (): Promise<number> => panel.locator('tbody th[scope="row"]').count();
    const tabCount = async (name: RegExp): Promise<number> =>
      Number(((await tabs.getByRole('tab', { name }).locator('.tab-count').textContent()) ?? '').trim());
    let listed = 0;
    for (const size of [wide, phone]) {
      await atWidth(page, size);
      for (const name of [/Needs review/, /Matched/, /New items/]) {
        await tabs.getByRole('tab', { name }).click();
        const count = await tabCount(name);
        assert.equal(await sizesListed(), count, `${name.source} at ${size.width} px lists as many sizes as it counts`);
        listed += count;
      }
    }
    assert.equal(listed, 2 * 17, 'the three tabs together list the 17 sizes of the order, at each width');
    assert.ok((await page.getByText(/Duplicate UPC in the POS/).count()) >= 2, 'duplicate UPCs are warned about');

    // At 390 every size's match is in reach: the Match in POS column is inside the window.
    await atWidth(page, phone);
    await assertFits(page, 'Review at 390');
    await tabs.getByRole('tab', { name: /Needs review/ }).click();
    const choose = page.getByRole('button', { name: /^Choose the match for / });
    const match = await box(choose.first());
    assert.ok(match.x + match.width <= phone.width, 'the match column is in reach at 390 px');
    await windowShot(page, 'two-widths-review-390', tabs);

    // The picker opens in view, above the sticky export bar, at both widths.
    for (const size of [phone, wide]) {
      await atWidth(page, size);
      await choose.last().click();
      const picker = page.locator('form.picker');
      await picker.waitFor();
      const p = await box(picker);
      const bar = await box(page.locator('.export-bar'));
      assert.ok(p.y >= 0, `the picker's top is in view at ${size.width} px`);
      assert.ok(p.y + p.height <= bar.y + 1, `the whole picker is above the export bar at ${size.width} px`);
      await shot(page, `two-widths-review-picker-${size.width}`, false, true);
      await picker.getByRole('button', { name: 'Cancel' }).click();
    }

    // Hide folds the guide into the top bar, where it never covers the sticky Export button; a reload keeps it so.
    const exportButton = page.getByRole('button', { name: 'Export to X-Series' });
    await guideStep(page, 'Resolve, then export').getByRole('button', { name: 'Hide' }).click();
    const pill = page.getByRole('button', { name: /^Show the getting-started guide/ });
    await page.reload();
    await pill.waitFor();
    assert.equal(await page.getByRole('dialog').count(), 0, 'the hidden guide stays hidden after a reload');
    for (const size of [wide, phone]) {
      await atWidth(page, size);
      for (const scroll of ['top', 'bottom']) {
        if (scroll === 'bottom') await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        const [p, e] = [await pill.boundingBox(), await exportButton.boundingBox()];
        if (p && e) assert.ok(!overlaps(p, e), `the guide's button clears Export at ${size.width} px (${scroll})`);
      }
    }
    await atWidth(page, wide);
    await shot(page, 'two-widths-review-1280', false);
    await assertUniqueNames(page, 'Review');

    // Resolving every size leaves no duplicate-UPC warning behind.
    await reviewAll(page, (legend) => (/Black \/ S/.test(legend) ? 'Create new item' : FIRST_CANDIDATE));
    await tabs.getByRole('tab', { name: /Needs review\s*0/ }).waitFor();
    assert.equal(await page.getByText(/Duplicate UPC in the POS/).count(), 0, 'resolved duplicate UPCs are not warned');
    await assertUniqueNames(page, 'Review, resolved');

    await pill.click();
    await guideStep(page, 'Resolve, then export').waitFor();
    await exportButton.click();
    await page.getByRole('heading', { name: 'Export of order 3100006 finished' }).waitFor();
    await guideStep(page, 'Follow it through').getByRole('button', { name: 'Finish' }).click();
  });

  test('the order, purchase orders and progress fit 390 px; names are unique', async () => {
    await page.getByRole('link', { name: '3100006', exact: true }).first().click();
    await page.getByRole('heading', { name: /^Order 3100006/ }).waitFor();
    await page.getByText('$3,118.00', { exact: false }).first().waitFor();
    assert.equal(await page.getByText(/USD \d/).count(), 0, 'money in one format on the order page');
    await assertUniqueNames(page, 'Order');
    await shot(page, 'two-widths-order-1280', true, true);
    await atWidth(page, phone);
    await assertFits(page, 'Order at 390');
    await windowShot(page, 'two-widths-order-390', page.getByRole('heading', { name: 'Lines' }));
    await page.getByRole('link', { name: /^Details of the export to X-Series/ }).click();
    await page.getByRole('heading', { name: 'Export of order 3100006 finished' }).waitFor();
    await assertFits(page, 'Export progress and summary at 390');
    await assertUniqueNames(page, 'Export summary');

    const ids = await page.evaluate(async () => {
      const connections = (await (await fetch('/api/connections')).json()) as {
        connections: Array<{ id: string; system: string }>;
      };
      const brands = (await (await fetch('/api/brands')).json()) as { brands: Array<{ id: string }> };
      return {
        pos: connections.connections.find((c) => c.system === 'lightspeed-x')?.id ?? '',
        brand: brands.brands[0]?.id ?? '',
      };
    });
    const pages: Array<[string, string, RegExp]> = [
      ['Purchase orders', '/purchase-orders', /^Purchase orders/],
      ['Settings', '/settings', /^Settings$/],
      ['Retail prices', `/connections/${ids.pos}/pricing`, /^Retail prices/],
      ['Suppliers and locations', `/connections/${ids.pos}/mappings`, /^Suppliers and locations/],
      ['A brand forecast', `/brands/${ids.brand}/forecast`, /before the first order/],
    ];
    for (const [what, path, heading] of pages) {
      await page.goto(`${demo.url}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await assertFits(page, `${what} at 390`);
    }
    await page.goto(`${demo.url}/purchase-orders`);
    await page.getByRole('link', { name: /^PO #/ }).first().click();
    await page.getByRole('heading', { name: /^PO #/ }).waitFor();
    await page.getByRole('table').getByRole('row').nth(17).waitFor();
    await assertFits(page, 'A purchase order at 390');
    await page.goBack();
    await atWidth(page, wide);
  });

  test('an order that does not exist says so and leads back, without "Try again"', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-an-order']) {
      await page.goto(`${demo.url}/orders/${id}`);
      await page.getByRole('heading', { level: 1, name: 'Order not found' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Try again' }).count(), 0);
      await page.getByRole('link', { name: 'Back to orders' }).waitFor();
    }
    await page.getByRole('link', { name: 'Back to orders' }).click();
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
  });

  test('sales orders: the demo link form is filled in, and the demo sync sends sales into X-Series', async () => {
    await page.goto(`${demo.url}/settings/sales`);
    await page.getByRole('heading', { name: 'Sales orders', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Link NetSuite' });
    assert.equal(await form.getByLabel('Account id').inputValue(), '1234567_SB1', 'the demo fills in the account');
    assert.notEqual(await form.getByLabel('Token secret').inputValue(), '');
    await form.getByRole('button', { name: 'Link NetSuite' }).click();
    await page.getByRole('status').filter({ hasText: 'NetSuite is linked.' }).waitFor();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('status').filter({ hasText: 'Sync finished.' }).waitFor({ timeout: 60_000 });
    const sent = page.getByRole('table', { name: 'Sync log' }).locator('tr[data-state="sent"]');
    await sent.first().waitFor();
    assert.ok((await sent.count()) >= 1, 'at least one sale was sent');
    const failed = await page.getByRole('table', { name: 'Sync log' }).locator('tr[data-state="failed"]').count();
    assert.equal(failed, 0, 'no sale failed on a SKU the POS lacks');
    // X-Series holds them: sales made by the sync carry the NetSuite order in their note.
    const state = (await sim(demo.sims.x, 'GET', '/_sim/state')) as { sales: Array<{ note: string | null }> };
    assert.ok(
      state.sales.some((s) => /SO\d+/.test(s.note ?? '')),
      'the POS has a sale from a NetSuite order',
    );
    await assertUniqueNames(page, 'Sales orders');
    await windowShot(page, 'two-widths-sales-1280', page.getByRole('heading', { name: 'Log' }));
    await atWidth(page, phone);
    await assertFits(page, 'Sales orders at 390');
    await windowShot(page, 'two-widths-sales-390', sent.first());
  });
});
