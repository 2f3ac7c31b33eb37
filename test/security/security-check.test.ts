/**
 * Issue 12, acceptance 7, against `tradeloop start --demo` as a real process:
 * - the web app runs under the strict Content-Security-Policy: Chromium reports no violation while the
 *   demo user signs in, links NuORDER and X-Series through the simulators' pages, opens every section and
 *   an export review (the app shows no remote images; its scripts and styles are its own files, and
 *   React's style props go through the CSSOM, which CSP allows);
 * - scripts/security-check.ts (headers, body limits, login CSRF, session-bound OAuth state, constant-time
 *   login, throttling) passes. It locks the demo account out of sign-in, so it runs last.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchChromium } from '../support/browser.ts';
import { linkNuorder, linkPos, newPage, shot, signIn, startDemoServer, type DemoServer } from '../e2e/demo-harness.ts';

const root = join(import.meta.dirname, '..', '..');

function runSecurityCheck(url: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'scripts', 'security-check.ts'),
        '--url',
        url,
        '--email',
        'demo@tradeloop.test',
        '--password',
        'tradeloop-demo',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('security of a running server (tradeloop start --demo)', () => {
  let demo: DemoServer;
  before(async () => {
    demo = await startDemoServer();
  });
  after(async () => {
    await demo?.stop();
  });

  test(
    'the web app runs under the Content-Security-Policy without a violation',
    { skip: browserSkipReason() },
    async () => {
      let browser: Browser | undefined;
      try {
        browser = await launchChromium();
        const page = await newPage(browser);
        const violations: string[] = [];
        page.on('console', (message) => {
          if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text());
        });
        page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
        await page.addInitScript(() => {
          document.addEventListener('securitypolicyviolation', (event) => {
            console.error(`Content-Security-Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
          });
        });
        await signIn(page, demo.url);
        const nav = page.getByRole('navigation', { name: 'Main' });
        await nav.getByRole('link', { name: 'Connections', exact: true }).first().click();
        await linkNuorder(page);
        await linkPos(page, 'X-Series');
        for (const section of ['Orders', 'Synced POs', 'Connections', 'Settings']) {
          await nav.getByRole('link', { name: section, exact: true }).first().click();
          await page.getByRole('heading', { level: 1 }).first().waitFor();
        }
        // The export review: the busiest page (tabs, the UPC-match picker, progress).
        await nav.getByRole('link', { name: 'Orders', exact: true }).first().click();
        await page
          .getByRole('link', { name: /^Export order/ })
          .first()
          .click();
        await page.getByRole('heading', { name: /^Review export/ }).waitFor();
        await shot(page, 'csp-export-review');
        const csp = (await page.request.get(demo.url)).headers()['content-security-policy'] ?? '';
        assert.match(csp, /frame-ancestors 'none'/);
        assert.deepEqual(violations, [], violations.join('\n'));
      } finally {
        await browser?.close();
      }
    },
  );

  test('scripts/security-check.ts passes every check', { timeout: 180_000 }, async () => {
    const result = await runSecurityCheck(demo.url);
    console.log(result.output.replace(/^/gm, '# '));
    assert.doesNotMatch(result.output, /^FAIL/m);
    assert.match(result.output, /^\d+ passed, 0 failed$/m);
    assert.equal(result.code, 0);
  });
});
