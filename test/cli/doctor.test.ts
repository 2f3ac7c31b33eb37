/**
 * Issue 11, acceptance 6: `tradeloop doctor` (and `GET /api/connections/:id/doctor`) reports every probe green
 * against the simulators, and names the field when a simulator is switched to send a changed shape (the
 * `reshape` fault), exiting non-zero.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrations/index.ts';
import { runTradeloop } from '../support/cli-process.ts';
import { startEngine } from '../support/engine.ts';

interface Report {
  connection: { system: string };
  healthy: boolean;
  checkedAt: unknown;
  counts: Record<string, number>;
  checks: Array<{ call: string; outcome: string; fields: Array<{ path: string }> }>;
}

for (const system of ['lightspeed-x', 'lightspeed-r'] as const) {
  test(`doctor on ${system}: all green, then a changed shape named field by field`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tradeloop-doctor-'));
    const secretKey = randomBytes(32).toString('base64');
    const store = await openStore({ sqliteFile: join(dataDir, 'tradeloop.db') });
    await migrateToLatest(store);
    const e = await startEngine(store, system, { brands: 1, secretKey });
    const env = {
      TRADELOOP_DATA_DIR: dataDir,
      TRADELOOP_SECRET_KEY: secretKey,
      NUORDER_BASE_URL: e.nuorder.url,
      LIGHTSPEED_X_CLIENT_ID: 'tradeloop-dev',
      LIGHTSPEED_X_CLIENT_SECRET: 'tradeloop-dev-secret',
      LIGHTSPEED_R_CLIENT_ID: 'tradeloop-sim-client',
      LIGHTSPEED_R_CLIENT_SECRET: 'tradeloop-sim-secret',
      ...(system === 'lightspeed-x' ? { LIGHTSPEED_X_BASE_URL: e.pos.url } : { LIGHTSPEED_R_BASE_URL: e.pos.url }),
    };
    try {
      await e.drain();
      const green = await runTradeloop(['doctor', '--json'], env, { timeoutMs: 60_000 });
      assert.equal(green.code, 0, green.stderr + green.stdout);
      const reports = (JSON.parse(green.stdout) as { reports: Report[] }).reports;
      // Each report as the API answers it: an ISO timestamp, not epoch milliseconds.
      assert.ok(reports.every((r) => /^\d{4}-\d\d-\d\dT.*Z$/.test(String(r.checkedAt))));
      assert.deepEqual(reports.map((r) => r.connection.system).sort(), ['nuorder', system].sort());
      for (const report of reports) {
        assert.ok(report.healthy, JSON.stringify(report.checks.filter((c) => c.outcome !== 'ok')));
        assert.ok((report.counts['ok'] ?? 0) >= 4, `${report.connection.system}: several probes ran`);
      }

      // The POS renames a field every catalog read depends on.
      const reshape =
        system === 'lightspeed-x'
          ? { path: '/api/2.0/products', reshape: { rename: { 'data.id': 'product_id' } } }
          : { path: '/API/V3/Account/:accountID/Item.json', reshape: { rename: { 'Item.itemID': 'item_id' } } };
      await e.pos.control('POST', '/_sim/faults', { kind: 'reshape', method: 'GET', ...reshape });
      const red = await runTradeloop(['doctor', '--json'], env, { timeoutMs: 60_000 });
      assert.equal(red.code, 1, 'doctor exits 1 when a reply no longer fits');
      const pos = (JSON.parse(red.stdout) as { reports: Report[] }).reports.find((r) => r.connection.system === system);
      assert.ok(pos && !pos.healthy);
      const fields = pos.checks.filter((c) => c.outcome === 'mismatch').flatMap((c) => c.fields.map((f) => f.path));
      const renamed = system === 'lightspeed-x' ? /^data\[\d+\]\.id$/ : /itemID$/;
      assert.ok(
        fields.some((f) => renamed.test(f)),
        `the renamed field is named: ${fields.join(', ')}`,
      );

      // The same report over the API.
      const api = await e.app.call('GET', `/api/connections/${e.posConnection.id}/doctor`, { token: e.token });
      assert.equal(api.status, 200);
      assert.equal(api.body.healthy, false);
      assert.ok(
        (api.body.checks as Report['checks']).some((c) => c.fields.some((f) => renamed.test(f.path))),
        'the API names the field too',
      );
      const human = await runTradeloop(['doctor', e.posConnection.id], env, { timeoutMs: 60_000 });
      assert.equal(human.code, 1);
      assert.match(human.stdout, /MISMATCH/);
    } finally {
      await e.close();
      await store.close();
    }
  });
}
