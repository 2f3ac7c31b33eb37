/**
 * `tradeloop sales-orders …` as an operator runs it: a real child process on the same SQLite file as the test, talking
 * to the simulators over loopback. Validation names the rule and field; save, dry run, activate, sync.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultRuleSet } from '../../src/core/sales/rules.ts';
import { openStore } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrations/index.ts';
import { startSalesHarness } from './harness.ts';

const cli = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('tradeloop sales-orders: rules validate / save / dry-run / activate, sync', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradeloop-sales-cli-'));
  const key = randomBytes(32).toString('base64');
  const env = { TRADELOOP_DATA_DIR: dir, TRADELOOP_SECRET_KEY: key };
  const store = await openStore({ sqliteFile: join(dir, 'tradeloop.db') });
  await migrateToLatest(store);
  const h = await startSalesHarness(store, { vaultKey: key });
  // The CLI reaches NetSuite where the operator configured it: the harness's simulator.
  Object.assign(env, { NETSUITE_BASE_URL: h.ns.url });
  try {
    const shipped = await h.ns.raise({ items: [{ item: 'NOR-1000-IND-34' }], fulfilment: 'ship', status: 'B' });
    const pickup = await h.ns.raise({ items: [{ item: 'NOR-1000-IND-30' }], fulfilment: 'pickup', status: 'B' });

    const bad = defaultRuleSet() as unknown as { rules: Array<Record<string, unknown>> };
    bad.rules.push({
      id: 'x',
      name: 'Ship it',
      when: [{ field: 'shipping', op: 'is', value: 'UPS' }],
      send: true,
      status: 'SAVED',
    });
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    const refused = await run(['sales-orders', 'rules', 'validate', join(dir, 'bad.json')], env);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /rules\[4\]\.when\[0\]\.field: Rule 5 "Ship it": unknown field "shipping"/);

    const good = defaultRuleSet();
    good.rules.push({
      id: 'ship',
      name: 'Park open shipped orders',
      enabled: true,
      when: [
        { field: 'status', op: 'is', value: 'PENDING_FULFILLMENT' },
        { field: 'fulfilment', op: 'is', value: 'ship' },
      ],
      send: true,
      status: 'SAVED',
    });
    writeFileSync(join(dir, 'good.json'), JSON.stringify(good));
    const saved = await run(['sales-orders', 'rules', 'save', join(dir, 'good.json'), '--note', 'park shipped'], env);
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(saved.stdout, /Saved draft version 1/);

    const dry = await run(['sales-orders', 'rules', 'dry-run', '--version', '1', '--days', '3'], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Active \(v0\): 2 orders, 1 would be sent \(SAVED 1\)/);
    assert.match(dry.stdout, /Draft \(v1\): 2 orders, 2 would be sent \(SAVED 2\)/);
    assert.match(dry.stdout, new RegExp(`${shipped.tranId}: not_sent → send as SAVED`));

    assert.equal((await run(['sales-orders', 'rules', 'activate', '1'], env)).code, 0);
    const synced = await run(['sales-orders', 'sync', '--direction', 'netsuite'], env);
    assert.equal(synced.code, 0, synced.stderr);
    assert.match(synced.stdout, /NetSuite → X-Series \(rules v1, since .*\): 2 orders, 2 sent/);
    assert.match(synced.stdout, new RegExp(`${pickup.tranId}: send \\(SAVED\\)`));
    assert.match(synced.stdout, /Ran \d+ queued sales job\(s\)/);

    // --json in the REST shape: what the API answers for the same thing.
    for (const [args, path] of [
      [['sales-orders', 'status', '--json'], '/api/sales-orders/status'],
      [['sales-orders', 'log', '--json', '--limit', '100'], '/api/sales-orders/log?limit=100'],
    ] as const) {
      const printed = await run([...args], env);
      assert.equal(printed.code, 0, printed.stderr);
      const api = await h.t.call('GET', path, { token: h.token });
      assert.equal(api.status, 200);
      assert.deepEqual(JSON.parse(printed.stdout), api.body, args.join(' '));
    }
  } finally {
    await h.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
