/**
 * The served `/api/openapi.json` passes Redocly's lint with its recommended rules (@redocly/cli, a dev
 * dependency): no errors. The few warnings it may give are listed here with why, so a new one fails too.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { createTestStore } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';

const redocly = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'redocly');

/** Warnings of the recommended rules that the document keeps on purpose. */
const expectedWarnings = [
  // The browser comes back from a consent page and is sent on: these answer a redirect, never a 2xx.
  'operation-2xx-response get /api/connections/oauth/callback',
  'operation-2xx-response get /api/connections/nuorder/callback',
  'operation-2xx-response post /api/connections/nuorder/callback',
  // The document itself: public, no input, nothing a client can get wrong.
  'operation-4xx-response get /api/openapi.json',
];

interface Problem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: Array<{ pointer: string }>;
}

test('the served OpenAPI document: Redocly lint (recommended rules) finds no error', async () => {
  const store = await createTestStore('sqlite');
  const directory = mkdtempSync(join(tmpdir(), 'tradeloop-openapi-'));
  try {
    const served = await createTestApp(store).call('GET', '/api/openapi.json');
    assert.equal(served.status, 200);
    const file = join(directory, 'openapi.json');
    writeFileSync(file, JSON.stringify(served.body, null, 2));
    const run = await promisify(execFile)(
      process.execPath,
      [redocly, 'lint', file, '--extends=recommended', '--format=json', '--max-problems=1000'],
      { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    ).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr }));
    const report = JSON.parse(run.stdout) as { totals: { errors: number; warnings: number }; problems: Problem[] };
    const describe = (p: Problem) => `${p.ruleId} ${operationOf(p.location[0]?.pointer ?? '')}`;
    assert.deepEqual(
      report.problems.filter((p) => p.severity === 'error').map((p) => `${describe(p)}: ${p.message}`),
      [],
    );
    assert.equal(report.totals.errors, 0);
    assert.deepEqual(report.problems.map(describe).sort(), [...expectedWarnings].sort());
  } finally {
    rmSync(directory, { recursive: true, force: true });
    await store.dispose();
  }
});

/** `#/paths/~1api~1openapi.json/get/responses` → `get /api/openapi.json`. */
function operationOf(pointer: string): string {
  const match = /^#\/paths\/([^/]+)\/([a-z]+)/.exec(pointer);
  if (!match) return pointer;
  return `${match[2]} ${decodeURIComponent(match[1]!.replace(/~1/g, '/').replace(/~0/g, '~'))}`;
}
