/**
 * `tradeloop doctor` for NetSuite over the simulator: every probe is ok against the demo account and none writes;
 * a simulator told to send a changed sales order (the `reshape` fault) makes that probe a `mismatch` naming the
 * field, with the probes that depend on it not run; an account without the sale-id custom field is an error that
 * says what to create.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createNetsuiteSimulator, defaultCredentials } from '../../simulators/netsuite/index.ts';
import { serveApp, type RunningServer } from '../../simulators/shared/server.ts';
import { createNetsuiteClient } from './client.ts';
import { netsuiteDoctor } from './doctor.ts';

describe('NetSuite doctor', () => {
  let server: RunningServer;
  const sim = createNetsuiteSimulator();
  const control = async (path: string, method = 'GET', body?: unknown): Promise<any> =>
    (
      await fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      })
    ).json();
  const doctor = () =>
    netsuiteDoctor(
      createNetsuiteClient({ baseUrl: server.url, credentials: { accountId: sim.accountId, ...defaultCredentials } }),
    )();

  before(async () => {
    sim.seedScenario('demo', {});
    server = await serveApp(sim.app, 0);
    // The oldest changed order (the one the probes read) has a kit, so every probe has something to read.
    const kit = await control('/_sim/sales-orders', 'POST', {
      customer: '201',
      items: [{ item: 'TL-KIT-EXPLORER' }, { item: 'TL-BALM-BEESWAX', quantity: 2 }],
      location: 'Warehouse',
      status: 'B',
    });
    const state = sim.exportState() as { transactions: Record<string, { lastModifiedDate: string }> };
    (state.transactions[kit.id] as { lastModifiedDate: string }).lastModifiedDate = new Date(
      Date.now() - 100 * 86_400_000,
    )
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    sim.importState(state);
  });
  after(() => server.close());

  test('every probe is ok against the simulator, and none writes', async () => {
    await control('/_sim/requests', 'DELETE');
    const checks = await doctor();
    assert.deepEqual(
      checks.filter((c) => c.outcome !== 'ok').map((c) => [c.call, c.outcome, c.detail]),
      [],
      'all ok',
    );
    assert.equal(checks.length, 12);
    const seen = (await control('/_sim/requests?limit=200')).recent as Array<{ method: string; path: string }>;
    assert.ok(
      seen.every((r) => r.method === 'GET' || r.path === '/services/rest/query/v1/suiteql'),
      'read-only: GETs and SuiteQL queries',
    );
  });

  test('a changed orderStatus is a mismatch naming it; what needs the order is not run', async () => {
    await control('/_sim/faults', 'POST', {
      kind: 'reshape',
      method: 'GET',
      path: '/services/rest/record/v1/salesOrder/:id',
      times: 1,
      reshape: { set: { orderStatus: { id: 'Pending Fulfillment', refName: 'Pending Fulfillment' } } },
    });
    const checks = await doctor();
    const order = checks.find((c) => c.call.includes('/salesOrder/{id}'));
    assert.equal(order?.outcome, 'mismatch');
    assert.deepEqual(
      order?.fields.map((f) => f.path),
      ['orderStatus.id'],
    );
    assert.deepEqual(
      checks.filter((c) => c.outcome === 'skipped').map((c) => c.detail),
      Array(6).fill('not run: the read it needs failed'),
    );
    assert.equal(checks.filter((c) => c.outcome === 'ok').length, 5);

    await control('/_sim/faults', 'POST', {
      kind: 'reshape',
      method: 'GET',
      path: '/services/rest/record/v1/salesOrder/:id',
      times: 1,
      reshape: { drop: ['orderStatus'], rename: { 'item.items.*.quantity': 'qty' } },
    });
    const dropped = (await doctor()).find((c) => c.call.includes('/salesOrder/{id}'));
    assert.equal(dropped?.outcome, 'mismatch');
    assert.ok(dropped?.fields.some((f) => f.path === 'orderStatus'));
  });

  test('an account without the sale-id custom field: an error saying what to create', async () => {
    const state = sim.exportState() as Record<string, unknown>;
    sim.importState({ ...state, customFields: {} });
    try {
      const check = (await doctor()).find((c) => c.call.includes('metadata-catalog'));
      assert.equal(check?.outcome, 'error');
      assert.match(check?.detail ?? '', /custbody_tl_xseries_sale_id.*Transaction Body Fields/);
    } finally {
      sim.importState(state);
    }
  });
});
