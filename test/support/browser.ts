import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Browser tests need Debian's chromium. Without it they are skipped with a visible reason — unless
 * TRADELOOP_REQUIRE_BROWSER=1 (set by .ci/run), where a missing browser is a failure, not a skip.
 */
export function browserSkipReason(): string | false {
  if (existsSync(chromiumPath)) return false;
  if (process.env['TRADELOOP_REQUIRE_BROWSER'] === '1')
    throw new Error(`Chromium is required but missing at ${chromiumPath}`);
  return `no Chromium at ${chromiumPath} (apt-get install chromium); browser tests skipped`;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Screenshots land in test-results/screenshots/ so a person can look at what the tests saw. */
export function screenshotPath(name: string): string {
  const dir = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}
