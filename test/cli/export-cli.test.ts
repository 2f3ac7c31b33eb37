import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createPlan } from '../../src/flows/plan-export.ts';
import { openStore } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrations/index.ts';
import { wholesaleOrders } from '../../src/store/repos/index.ts';
import { startEngine } from '../support/engine.ts';
import { readPos } from '../support/pos-state.ts';

const root = join(import.meta.dirname, '..', '..');

function tradeloop(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'src', 'cli', 'main.ts'), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

test('tradeloop orders list and tradeloop export, as an operator runs them (SQLite file, X-Series simulator)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tradeloop-cli-'));
  const secretKey = randomBytes(32).toString('base64');
  const store = await openStore({ sqliteFile: join(dataDir, 'tradeloop.db') });
  await migrateToLatest(store);
  const e = await startEngine(store, 'lightspeed-x', { brands: 1, secretKey });
  try {
    await e.drain();
    const env = {
      TRADELOOP_DATA_DIR: dataDir,
      TRADELOOP_SECRET_KEY: secretKey,
      LOG_LEVEL: 'warn',
      NUORDER_BASE_URL: e.nuorder.url,
      LIGHTSPEED_X_BASE_URL: e.pos.url,
      LIGHTSPEED_X_CLIENT_ID: 'tradeloop-dev',
      LIGHTSPEED_X_CLIENT_SECRET: 'tradeloop-dev-secret',
    };

    const listed = await tradeloop(['orders', 'list', '--json'], env);
    assert.equal(listed.code, 0, listed.stderr);
    const orders = JSON.parse(listed.stdout).orders as Array<{
      orderNumber: string;
      id: string;
      sync: Array<{ status: { state: string } }>;
    }>;
    assert.equal(orders.length, 4);
    assert.ok(orders.every((o) => o.sync[0]?.status.state === 'not_exported'));
    // Rows in the REST shape: the same reply GET /api/orders gives.
    const rest = await e.app.call('GET', '/api/orders', { token: e.token });
    assert.equal(rest.status, 200);
    assert.deepEqual(JSON.parse(listed.stdout), rest.body);

    // An order whose plan needs no review.
    const location = (await e.ctx.connectors.pointOfSale(e.posConnection).then((p) => p.listLocations()))[0]!;
    let orderNumber: string | undefined;
    for (const o of orders) {
      const p = await createPlan(e.ctx, e.tenantId, {
        connectionId: e.posConnection.id,
        locationId: location.id,
        orderIds: [o.id],
      });
      if (p.plan.canApply) {
        orderNumber = o.orderNumber;
        break;
      }
    }
    assert.ok(orderNumber);

    const exported = await tradeloop(
      ['export', orderNumber, '--pos', 'Main store', '--location', location.name, '--json'],
      env,
    );
    assert.equal(exported.code, 0, exported.stderr + exported.stdout);
    const result = JSON.parse(exported.stdout) as {
      planId: string;
      jobId: string;
      exports: Array<{ id: string; state: string; poId: string; poUrl: string; summary: { linesSynced: number } }>;
    };
    assert.equal(result.exports[0]?.state, 'exported');
    assert.ok((result.exports[0]?.summary.linesSynced ?? 0) > 0);
    // In the REST shape: as POST /api/plans/:id/apply answers, each export as GET /api/exports/:id shows it.
    assert.deepEqual(Object.keys(result).sort(), ['exports', 'jobId', 'planId']);
    for (const view of result.exports)
      assert.deepEqual(view, (await e.app.call('GET', `/api/exports/${view.id}`, { token: e.token })).body);
    // The PO link opens where the PO is: the simulator's back office, not the real Lightspeed host.
    const poUrl = result.exports[0]!.poUrl;
    assert.equal(poUrl, `${e.pos.url}/backoffice/consignments/${result.exports[0]!.poId}`);
    assert.equal((await fetch(poUrl)).status, 200);
    const pos = await readPos(e.pos, 'lightspeed-x');
    assert.ok(
      pos.purchaseOrders.some((po) => po.id === result.exports[0]?.poId),
      'the PO is in the POS',
    );

    const again = await tradeloop(
      ['export', orderNumber, '--pos', 'Main store', '--location', location.name, '--yes'],
      env,
    );
    assert.equal(again.code, 2, `a user mistake exits 2: ${again.stderr}`);
    assert.match(again.stderr, /ORDER_ALREADY_EXPORTED/);
    assert.doesNotMatch(again.stderr, /\n\s+at /, 'no stack trace');

    const unknown = await tradeloop(
      ['export', 'no-such-order', '--pos', 'Main store', '--location', location.name, '--yes'],
      env,
    );
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown order number/);
    const badLocation = await tradeloop(
      ['export', orderNumber, '--pos', 'Main store', '--location', 'Nowhere', '--yes'],
      env,
    );
    assert.match(badLocation.stderr, /No location "Nowhere"/);

    const orderRow = (await wholesaleOrders.findByNumbers(store.db, e.tenantId, [orderNumber]))[0]!;
    const afterList = JSON.parse((await tradeloop(['orders', 'list', '--json'], env)).stdout).orders as typeof orders;
    assert.equal(afterList.find((o) => o.id === orderRow.id)?.sync[0]?.status.state, 'exported');
  } finally {
    await e.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
