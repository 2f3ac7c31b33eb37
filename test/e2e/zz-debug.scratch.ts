import { launchChromium } from '../support/browser.ts';
import { startDemoServer, newPage, signIn, linkNuorder, linkPos, shot, orderRow, sim } from './demo-harness.ts';
const demo = await startDemoServer();
const browser = await launchChromium();
try {
  const page = await newPage(browser);
  page.on('pageerror', (e) => console.log('pageerror', e));
  await signIn(page, demo.url);
  await page.getByRole('dialog', { name: 'Welcome to Tradeloop' }).getByRole('button', { name: 'Close guide' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
  await linkNuorder(page, 'Northwind Outfitters');
  await linkPos(page, 'X-Series');
  await page.waitForTimeout(3000);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders', exact: true }).click();
  await orderRow(page, '3100046').getByRole('link', { name: `Export order 3100046` }).click();
  await page.getByRole('heading', { name: `Review export: order 3100046` }).waitFor();
  await sim(demo.sims.x, 'POST', '/_sim/faults', { kind: 'error', method: 'POST', path: '/api/2.0/consignments', times: 100 });
  await page.getByRole('button', { name: 'Export to X-Series' }).click();
  for (let i = 0; i < 6; i++) {
    await page.waitForTimeout(2000);
    console.log(i, await page.getByRole('heading', { level: 1 }).textContent(), JSON.stringify((await sim(demo.sims.x, 'GET', '/_sim/faults')).faults.map((f: any) => f.hits)));
  }
  await shot(page, 'debug');
} catch (e) { console.log('ERR', e); }
await browser.close();
await demo.stop();
