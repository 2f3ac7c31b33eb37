/**
 * `GET /api/connections/:id/doctor` for a linked NetSuite connection (the sales harness links it through the real
 * link code): every probe of the sales sync is ok against the simulator; a changed sales order is named field by
 * field.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connections } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { startSalesHarness } from './harness.ts';

forEachDialect('doctor: a NetSuite connection', (getStore) => {
  test('all green against the simulator; a reshaped orderStatus is a mismatch naming it', async () => {
    const h = await startSalesHarness(getStore());
    try {
      await h.ns.raise({ items: [{ item: 'TL-KIT-EXPLORER' }], location: 'Warehouse', status: 'B' });
      const [linked] = await connections.list(getStore().db, h.tenantId, { system: 'netsuite' });
      assert.ok(linked);
      const healthy = await h.t.call('GET', `/api/connections/${linked.id}/doctor`, { token: h.token });
      assert.equal(healthy.status, 200, JSON.stringify(healthy.body));
      assert.equal(healthy.body.healthy, true, JSON.stringify(healthy.body.checks));
      assert.equal(healthy.body.counts.ok, 12, JSON.stringify(healthy.body.checks));

      await h.ns.fault({
        kind: 'reshape',
        method: 'GET',
        path: '/services/rest/record/v1/salesOrder/:id',
        times: 1,
        reshape: { set: { 'orderStatus.id': 'Pending Fulfillment' } },
      });
      const changed = await h.t.call('GET', `/api/connections/${linked.id}/doctor`, { token: h.token });
      assert.equal(changed.body.healthy, false);
      const mismatch = changed.body.checks.filter((c: { outcome: string }) => c.outcome === 'mismatch');
      assert.deepEqual(
        mismatch.map((c: { fields: Array<{ path: string }> }) => c.fields.map((f) => f.path)),
        [['orderStatus.id']],
      );
    } finally {
      await h.close();
    }
  });
});
