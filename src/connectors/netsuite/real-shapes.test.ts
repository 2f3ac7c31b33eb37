/**
 * The connector against a simulator that answers as real NetSuite does (recorded-shapes/divergences.md): every
 * sales-order code A–H read from `orderStatus` while `status` carries display text (F1), what the account defines as
 * custom fields (F8), and NetSuite's 429 over the concurrency limit treated as a rate limit, not a failure (F11).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createNetsuiteSimulator, defaultCredentials } from '../../simulators/netsuite/index.ts';
import { serveApp, type RunningServer } from '../../simulators/shared/server.ts';
import { RemoteRateLimited } from '../shared/errors.ts';
import { createNetsuiteClient } from './client.ts';
import { NetsuiteSales } from './sales.ts';

let server: RunningServer;
const sim = createNetsuiteSimulator();

before(async () => {
  sim.seedScenario('demo', {});
  server = await serveApp(sim.app, 0);
});
after(() => server.close());

const client = (rateLimitWaitMs?: number) =>
  createNetsuiteClient({
    baseUrl: server.url,
    credentials: { accountId: sim.accountId, ...defaultCredentials },
    ...(rateLimitWaitMs !== undefined ? { rateLimitWaitMs } : {}),
  });

const names: Record<string, string> = {
  A: 'Pending Approval',
  B: 'Pending Fulfillment',
  C: 'Cancelled',
  D: 'Partially Fulfilled',
  E: 'Pending Billing/Partially Fulfilled',
  F: 'Pending Billing',
  G: 'Billed',
  H: 'Closed',
};

test('every seeded sales order maps to its real status, A–H, from orderStatus; status is kept as display text', async () => {
  const ns = new NetsuiteSales(client());
  const rows = await ns.client.suiteqlAll("SELECT id, status FROM transaction WHERE type = 'SalesOrd' ORDER BY id");
  const seen = new Set<string>();
  for (const row of rows) {
    const order = await ns.salesOrder(String(row.id));
    assert.ok(order);
    assert.equal(order.statusCode, row.status, `order ${row.id}: the letter SuiteQL shows`);
    assert.equal(order.statusName, names[order.statusCode]);
    seen.add(order.statusCode);
  }
  assert.deepEqual([...seen].sort(), Object.keys(names));
});

test('the custom fields the account defines come from the metadata catalog', async () => {
  const ns = new NetsuiteSales(client());
  assert.equal(await ns.hasCustomField('salesOrder', 'custbody_tl_xseries_sale_id'), true);
  assert.equal(await ns.hasCustomField('salesOrder', 'custbody_nobody_made_this'), false);
  const bare = createNetsuiteSimulator();
  bare.importState({ ...(bare.exportState() as object), customFields: {} });
  const running = await serveApp(bare.app, 0);
  try {
    const none = new NetsuiteSales(
      createNetsuiteClient({ baseUrl: running.url, credentials: { accountId: bare.accountId, ...defaultCredentials } }),
    );
    assert.equal(await none.hasCustomField('cashSale', 'custbody_tl_xseries_sale_id'), false);
  } finally {
    await running.close();
  }
});

test('a 429 over the concurrency limit is waited out within the budget, else a rate limit (defer), never a failure', async () => {
  const put = (body: unknown) =>
    fetch(`${server.url}/_sim/config`, { method: 'PUT', body: JSON.stringify(body) }).then((r) => r.json());
  // One slot, each request held 400 ms: a second request while the first runs gets NetSuite's 429 (no Retry-After).
  await put({ concurrencyLimit: 1, processingMs: 400 });
  try {
    const busy = client().suiteql('SELECT id FROM location');
    await new Promise((r) => setTimeout(r, 50));
    const patient = await client(5_000).suiteql('SELECT id FROM location');
    assert.ok(patient.items.length > 0, 'retried after the slot freed');
    await busy;

    const hog = client().suiteql('SELECT id FROM location');
    await new Promise((r) => setTimeout(r, 50));
    const refused = await client(0)
      .suiteql('SELECT id FROM location')
      .catch((e: unknown) => e);
    assert.ok(refused instanceof RemoteRateLimited, String(refused));
    assert.equal(refused.code, 'REMOTE_RATE_LIMITED');
    assert.equal(refused.retryable, true);
    await hog;
  } finally {
    await put({ concurrencyLimit: null, processingMs: 0 });
  }
});
