import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchChromium, screenshotPath } from '../support/browser.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const skip = browserSkipReason();

describe('npm start --demo, in Chromium', { skip }, () => {
  let server: ServerProcess;
  let browser: Browser;

  before(async () => {
    server = await startServerProcess(['start', '--demo']);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('is ready within 30 seconds of start', () => {
    console.log(`# /ready answered 200 after ${server.readyAfterMs} ms`);
    assert.ok(server.readyAfterMs < 30_000, `ready after ${server.readyAfterMs} ms`);
    assert.match(server.output.join(''), /sign in as demo@tradeloop\.test/);
  });

  test('a wrong password shows a message; the demo user signs in and sees the navigation frame', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await page.getByLabel('Email').fill('demo@tradeloop.test');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Email or password is wrong' }).waitFor();
    await page.screenshot({ path: screenshotPath('login') });

    await page.getByLabel('Password').fill('tradeloop-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.waitFor();
    for (const section of ['Orders', 'Connections', 'Settings']) {
      assert.equal(await nav.getByRole('link', { name: section }).count(), 1, `${section} link`);
    }
    await page.screenshot({ path: screenshotPath('shell-orders') });

    await nav.getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('heading', { name: 'Connections', level: 1 }).waitFor();
    assert.match(page.url(), /\/connections$/);

    await page.reload();
    await page.getByRole('heading', { name: 'Connections', level: 1 }).waitFor();
    await page.close();
  });
});
