import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runTradeloop, type CliResult } from '../support/cli-process.ts';

const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'tradeloop-usage-'));
const env = { TRADELOOP_DATA_DIR: dataDir };
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** A usage error: exit 2, nothing on stdout, one line on stderr that points at the command's help. */
function assertUsageError(result: CliResult, command: string, names: RegExp): void {
  assert.equal(result.code, 2, `exit 2: ${result.stderr}`);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, not the whole help:\n${result.stderr}`);
  assert.match(lines[0]!, names);
  assert.ok(lines[0]!.endsWith(`see \`${['tradeloop', command].join(' ').trim()} --help\``), lines[0]);
}

test('tradeloop --version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const result = await runTradeloop([flag], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${version}\n`);
  }
});

test('missing, unknown and malformed options and arguments: exit 2, one line naming them, and nothing done', async () => {
  const cases: Array<[string[], string, RegExp]> = [
    [['export', '3100026'], 'export', /required option '--pos <connection>' not specified/],
    [['export', '--pos', 'Main', '--location', 'Shop'], 'export', /missing required argument 'order-numbers'/],
    [['orders', 'list', '--limit', 'abc'], 'orders list', /'--limit <n>' argument 'abc' is invalid.*whole number/],
    [['orders', 'list', '--limit', '0'], 'orders list', /'--limit <n>' argument '0'/],
    [['orders', 'list', '--status', 'shiped'], 'orders list', /'--status <status>' argument 'shiped'.*approved/],
    [['orders', 'list', '--frobnicate'], 'orders list', /unknown option '--frobnicate'/],
    [['orders', 'lst'], 'orders', /unknown command 'lst'.*Did you mean list\?/],
    [['bogus'], '', /unknown command 'bogus'/],
    [
      ['users', 'create', '--email', 'not-an-email'],
      'users create',
      /'--email <email>' argument 'not-an-email'.*not an email/,
    ],
    [['tokens', 'create', '--email', 'x@'], 'tokens create', /'--email <email>'/],
    [['jobs', 'retry', '12'], 'jobs retry', /'job-id'.*UUID/],
    [['jobs', 'list', '--state', 'done'], 'jobs list', /'--state <state>' argument 'done'/],
    [['sim', 'square'], 'sim', /'system'.*lightspeed-x/],
    [['start', '--port', '99999'], 'start', /'-p, --port <port>' argument '99999'/],
    [['sales-orders', 'settings', '--interval', 'soon'], 'sales-orders settings', /'--interval <minutes>'/],
    [['sales-orders', 'rules', 'activate', 'v2'], 'sales-orders rules activate', /'version'/],
    [['orders', 'list', '--org', ' '], 'orders list', /'--org <id-or-name>'.*empty/],
  ];
  for (const [args, command, names] of cases) {
    const result = await runTradeloop(args, env);
    assertUsageError(result, command, names);
  }
  // Refused before anything was opened: no database, no user, no organization.
  assert.equal(existsSync(join(dataDir, 'tradeloop.db')), false, 'no database was created');
});

test('--help still prints the whole help and succeeds', async () => {
  const result = await runTradeloop(['orders', 'list', '--help'], env);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /Usage: tradeloop orders list \[options\]/);
  assert.match(result.stdout, /--limit <n>/);
});
