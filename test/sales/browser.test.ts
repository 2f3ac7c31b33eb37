/**
 * Settings → Sales orders in Chromium: a person edits a rule (and sees validation name the rule and field), runs the
 * dry run, saves and activates the draft, presses "Sync now", and sees the sync follow the new rule, in the log and
 * in the POS.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Hono } from 'hono';
import { webDistDir } from '../../src/http/app.ts';
import { serveApp, type RunningServer } from '../../src/simulators/shared/server.ts';
import { salesSyncs } from '../../src/store/repos/index.ts';
import { createTestStore, type TestStore } from '../../src/store/testing.ts';
import { browserSkipReason, launchChromium, screenshotPath } from '../support/browser.ts';
import { startSalesHarness, type SalesHarness } from './harness.ts';

const skip = browserSkipReason();
const webSrc = join(import.meta.dirname, '..', '..', 'web', 'src');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The browser loads web/dist; rebuild it when the sources are newer. Built aside and moved in (assets first, then
 * index.html by rename), so a test reading web/dist meanwhile never sees it half written.
 */
async function ensureWebBuild(): Promise<void> {
  const index = join(webDistDir, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(webSrc)) return;
  const out = mkdtempSync(join(tmpdir(), 'tradeloop-web-'));
  const { build } = await import('vite');
  await build({
    configFile: join(webSrc, '..', 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: out, emptyOutDir: true },
  });
  mkdirSync(join(webDistDir, 'assets'), { recursive: true });
  for (const file of readdirSync(join(out, 'assets')))
    copyFileSync(join(out, 'assets', file), join(webDistDir, 'assets', file));
  copyFileSync(join(out, 'index.html'), join(webDistDir, 'index.html.next'));
  renameSync(join(webDistDir, 'index.html.next'), index);
}

describe('Settings → Sales orders, in Chromium', { skip }, () => {
  let store: TestStore;
  let h: SalesHarness;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    await ensureWebBuild();
    store = await createTestStore('sqlite');
    h = await startSalesHarness(store);
    server = await serveApp(h.t.app as unknown as Hono, 0);
    h.worker.start();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await h?.close();
    await store?.dispose();
  });

  test('edit a rule, dry run, activate, and the next sync follows it', async () => {
    const shipped = await h.ns.raise({ items: [{ item: 'NOR-1000-IND-34' }], fulfilment: 'ship', status: 'B' });
    const pickup = await h.ns.raise({ items: [{ item: 'NOR-1000-IND-30' }], fulfilment: 'pickup', status: 'B' });
    const user = await h.t.ctx.store.db
      .selectFrom('users')
      .select('email')
      .where('tenant_id', '=', h.tenantId)
      .executeTakeFirstOrThrow();

    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(server.url);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Sales orders settings' }).click();
    await page.getByRole('heading', { name: 'Sales orders', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('Mapping AWAITING_PICKUP label').inputValue(), 'Pickup – Unfulfilled');

    // Edit rule 4 ("Park pickup orders to be paid in store") to park shipped orders instead; first forget its name.
    await page.getByLabel('Rule 4 name').fill('');
    await page.getByLabel('Rule 4 condition 2 value').selectOption('ship');
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByRole('alert').filter({ hasText: 'Rule 4: needs a name' }).first().waitFor();
    await page.getByLabel('Rule 4 name').fill('Park open shipped orders');
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByRole('status').filter({ hasText: 'The rule set is valid.' }).waitFor();

    await page.getByRole('button', { name: 'Run dry run' }).click();
    const dry = page.getByLabel('Dry run result');
    await dry.waitFor();
    await dry.getByText('2 order(s) would change.').waitFor();
    await dry.getByText(`${shipped.tranId}: not sent → send as SAVED`).waitFor();
    await dry.getByText(`${pickup.tranId}: send as SAVED → not sent`).waitFor();
    await page.screenshot({ path: screenshotPath('sales-orders-dry-run'), fullPage: true });

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as draft version 1.' }).waitFor();
    await page.getByRole('button', { name: 'Activate version 1' }).click();
    await page.getByRole('status').filter({ hasText: 'Version 1 is active.' }).waitFor();

    await page.getByRole('button', { name: 'Sync now' }).click();
    const log = page.getByRole('table', { name: 'Sync log' });
    await page.getByRole('status').filter({ hasText: 'Sync finished.' }).waitFor({ timeout: 60_000 });
    const shippedRow = log.locator('tr[data-state="sent"]').filter({ hasText: shipped.tranId });
    await shippedRow.waitFor();
    assert.match(await shippedRow.innerText(), /SAVED \(rules v1\)/);
    const pickupRow = log.getByRole('row').filter({ hasText: pickup.tranId });
    await pickupRow.waitFor();
    assert.match(await pickupRow.innerText(), /not sent[\s\S]*No rule matched/);
    await page.screenshot({ path: screenshotPath('sales-orders-log'), fullPage: true });
    await page.close();

    // The POS holds the shipped order as a parked sale; the pickup order was not sent.
    const rows = await salesSyncs.list(store.db, h.tenantId);
    const sent = rows.find((r) => r.nsId === shipped.id);
    assert.equal(sent?.ruleSetVersion, 1);
    assert.equal(h.x.sale(sent?.xSaleId ?? '')?.status, 'SAVED');
    assert.equal(rows.find((r) => r.nsId === pickup.id)?.state, 'not_sent');
  });
});
