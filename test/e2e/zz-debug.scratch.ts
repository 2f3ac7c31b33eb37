import { launchChromium } from '../support/browser.ts';
import { startDemoServer, newPage, signIn, linkNuorder, shot } from './demo-harness.ts';
const demo = await startDemoServer();
const browser = await launchChromium();
try {
  const page = await newPage(browser);
  await signIn(page, demo.url);
  await page.getByRole('dialog', { name: 'Welcome to Tradeloop' }).getByRole('button', { name: 'Close guide' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
  await linkNuorder(page, 'Northwind Outfitters');
  await page.getByRole('button', { name: `Link X-Series` }).click();
  await page.waitForURL(/\/connect\?/);
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(/\/connections/);
  await page.waitForTimeout(3000);
  console.log(page.url());
  await shot(page, 'debug');
} catch (e) { console.log('ERR', e); }
await browser.close();
await demo.stop();
