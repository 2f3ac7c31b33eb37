/**
 * Helpers for the browser journeys: a `tradeloop start --demo` child process with known simulator
 * ports, sign-in, linking through the simulators' own OAuth pages, and the simulators' control API.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath } from '../support/browser.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { demoSimulatorUrls, simControl } from '../support/simulators.ts';

export interface DemoServer {
  server: ServerProcess;
  url: string;
  sims: { nuorder: string; x: string; r: string };
  stop(): Promise<void>;
}

/** `tradeloop start --demo` with its own data directory and simulator ports (a free block; see server-process.ts). */
export async function startDemoServer(): Promise<DemoServer> {
  const server = await startServerProcess(['start', '--demo']);
  const urls = demoSimulatorUrls(server.simulatorBasePort);
  return {
    server,
    url: server.url,
    sims: { nuorder: urls.nuorder, x: urls['lightspeed-x'], r: urls['lightspeed-r'] },
    stop: () => server.stop(),
  };
}

/** Calls a simulator's control API (`/_sim/…`). */
export const sim = simControl;

export async function newPage(browser: Browser, width = 1366, height = 860): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  // Generous: the e2e files run in parallel on a small machine, each with its own server and simulators.
  page.setDefaultTimeout(30_000);
  return page;
}

export async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Email').fill('demo@tradeloop.test');
  await page.getByLabel('Password').fill('tradeloop-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** The Connections page's confirmation after an OAuth round trip; a refusal fails with the page's own words. */
async function expectLinked(page: Page, text: string): Promise<void> {
  const ok = page.getByRole('status').filter({ hasText: text });
  const refused = page.getByRole('alert').filter({ hasText: 'Linking did not finish' });
  await ok.or(refused).first().waitFor();
  if (await refused.count()) throw new Error(`${text}: ${await refused.first().textContent()}`);
}

/**
 * Connections page → Link NuORDER (pre-filled in demo mode) → approve "Tradeloop" on the simulator's API management
 * page (NuORDER Admin → API Management) → NuORDER POSTs the verifier to Tradeloop's callback → back, linked. The demo
 * link also chooses the demo store among the brand's retailers.
 */
export async function linkNuorder(page: Page, brand = 'Northwind Outfitters'): Promise<void> {
  await page.getByRole('button', { name: 'Link NuORDER', exact: true }).click();
  const form = page.getByRole('form', { name: 'Link a NuORDER brand portal' });
  await form.getByLabel('Brand portal').fill(brand);
  await form.getByRole('button', { name: 'Continue to NuORDER' }).click();
  const approval = page.getByRole('form', { name: 'Approve Tradeloop in NuORDER' });
  await approval.getByRole('link', { name: /API management/ }).click();
  await page.waitForURL(/\/backoffice\/api/);
  await page.getByRole('link', { name: 'review and approve' }).last().click();
  await page.waitForURL(/\/oauth\/authorize/);
  await page.locator('select[name="brand"]').selectOption({ label: brand });
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.waitForURL(/\/connections/);
  await expectLinked(page, `Linked NuORDER · ${brand}`);
}

/** Connections page → Link X-Series / R-Series → the simulator's consent page → Allow → back. */
export async function linkPos(page: Page, which: 'X-Series' | 'R-Series'): Promise<void> {
  await page.getByRole('button', { name: `Link ${which}`, exact: true }).click();
  await page.waitForURL(which === 'X-Series' ? /\/connect\?/ : /\/auth\/oauth\/authorize/);
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(/\/connections/);
  await expectLinked(page, `Linked ${which}`);
}

/**
 * A screenshot into test-results/screenshots/: the whole page, or just the window for pages with sticky
 * bars; `clean` hides the notifications and the getting-started guide and gives back the room the guide takes
 * (for pictures in the README). Hidden through the DOM, not Playwright's `style` option: the app's CSP refuses
 * injected style sheets.
 */
export async function shot(page: Page, name: string, fullPage = true, clean = false): Promise<void> {
  if (clean) await page.evaluate(setClean, true);
  try {
    await page.screenshot({ path: screenshotPath(name), fullPage });
  } finally {
    if (clean) await page.evaluate(setClean, false);
  }
}

/** A clean whole-page screenshot (see `shot`), copied under docs/screenshots/ for the README and the docs. */
export async function docsShot(page: Page, name: string): Promise<void> {
  await shot(page, name, true, true);
  const docs = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
  mkdirSync(docs, { recursive: true });
  copyFileSync(screenshotPath(name), join(docs, `${name}.png`));
}

/** Runs in the page: hides (or shows again) the toasts, the guide and its highlight. */
function setClean(on: boolean): void {
  for (const el of document.querySelectorAll<HTMLElement>('.toasts, .guide, .guide-pill'))
    el.style.visibility = on ? 'hidden' : '';
  for (const el of document.querySelectorAll<HTMLElement>('.guide')) el.style.display = on ? 'none' : '';
  for (const el of document.querySelectorAll<HTMLElement>(on ? '.guide-target' : '[data-shot-target]')) {
    el.classList.toggle('guide-target', !on);
    if (on) el.dataset['shotTarget'] = '1';
    else delete el.dataset['shotTarget'];
  }
  const root = document.documentElement;
  if (on && root.classList.contains('guide-open')) {
    root.classList.remove('guide-open');
    root.dataset['shotGuide'] = '1';
  } else if (!on && root.dataset['shotGuide']) {
    root.classList.add('guide-open');
    delete root.dataset['shotGuide'];
  }
}

/** Orders list → the row of an order number. */
export function orderRow(page: Page, orderNumber: string) {
  return page.getByRole('row').filter({ has: page.getByRole('link', { name: orderNumber, exact: true }) });
}

/** The getting-started guide at a given step (a non-modal dialog named by the step's title). */
export function guideStep(page: Page, title: string) {
  return page.getByRole('dialog', { name: title });
}

/** For `reviewAll`: the first POS item that can be chosen (or "Create new item" when none can). */
export const FIRST_CANDIDATE = '\u0000first';

/**
 * Resolves every size under "Needs review" with the mouse: for each, opens the picker and picks the
 * option `choose(legend)` names (a label text or a pattern of the option's details).
 */
export async function reviewAll(page: Page, choose: (legend: string) => string | RegExp): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const next = page.getByRole('button', { name: /^Choose the match for / }).first();
    if ((await next.count()) === 0) return;
    await next.click();
    const picker = page.locator('form.picker');
    const legend = (await picker.locator('legend').textContent()) ?? '';
    const wanted = choose(legend);
    if (wanted === FIRST_CANDIDATE) await picker.getByRole('radio', { disabled: false }).first().check();
    else if (typeof wanted === 'string') await picker.getByRole('radio', { name: wanted }).check();
    else await picker.locator('li.option').filter({ hasText: wanted }).getByRole('radio').check();
    await picker.getByRole('button', { name: 'Use this choice' }).click();
    await picker.waitFor({ state: 'detached' });
  }
  throw new Error('the review did not finish');
}

/**
 * The start most browser tests share: the demo and Chromium side by side, signed in with the guide closed, NuORDER's
 * demo brand and one POS linked through the simulators' own pages; the page is left on Connections.
 */
export async function openLinkedDemo(
  pos: 'X-Series' | 'R-Series' = 'X-Series',
): Promise<{ demo: DemoServer; browser: Browser; page: Page }> {
  const [demo, browser] = await Promise.all([startDemoServer(), launchChromium()]);
  const page = await newPage(browser);
  await signIn(page, demo.url);
  await page.getByRole('dialog', { name: 'Welcome to Tradeloop' }).getByRole('button', { name: 'Close guide' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
  await linkNuorder(page, 'Northwind Outfitters');
  await linkPos(page, pos);
  return { demo, browser, page };
}
