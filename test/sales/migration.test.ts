/**
 * Issue 13, acceptance 3 (the sales side): a store on the schema before the one steps table (the sales sync's own
 * `sales_sync_steps`) with sales syncs in flight is migrated (0009), and each resumes from its recorded steps with
 * nothing made twice: a fulfil-and-bill job whose bill committed in NetSuite but whose reply was lost (NetSuite then
 * stopped answering, so the job waits), and a NetSuite order whose X-Series sale was made but whose create's reply
 * was lost (X-Series then stopped answering, so the row failed and a person retries it).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultRuleSet } from '../../src/core/sales/rules.ts';
import { activateVersion, saveDraft } from '../../src/flows/sales/config.ts';
import { saleIdForOrder } from '../../src/flows/sales/env.ts';
import { salesJobHandlers } from '../../src/flows/sales/jobs.ts';
import { syncFromNetsuite, syncFromXSeries } from '../../src/flows/sales/sync.ts';
import { SALES_COMPLETE } from '../../src/flows/sales/tasks.ts';
import * as queue from '../../src/jobs/queue.ts';
import { createWorker } from '../../src/jobs/runner.ts';
import { migrateToLatest } from '../../src/store/migrations/index.ts';
import { salesSyncs } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { backToBefore0009 } from '../support/previous-schema.ts';
import { X_SALES, startSalesHarness, type SalesHarness } from './harness.ts';

const RECORD = '/services/rest/record/v1';

async function parkOpenOrders(h: SalesHarness): Promise<void> {
  const rules = defaultRuleSet();
  rules.rules = [
    {
      id: 'park',
      name: 'Park open orders',
      enabled: true,
      when: [{ field: 'status', op: 'is', value: 'PENDING_FULFILLMENT' }],
      send: true,
      status: 'SAVED',
    },
  ];
  await activateVersion(h.t.ctx, h.tenantId, (await saveDraft(h.t.ctx, h.tenantId, rules)).version);
}

const stepStates = async (h: SalesHarness, syncId: string): Promise<string[]> =>
  (await salesSyncs.listSteps(h.t.ctx.store.db, h.tenantId, syncId)).map((s) => `${s.stepKey}:${s.state}`);

forEachDialect('sales sync: migrated to one steps table with syncs in flight', (getStore) => {
  test('a bill whose reply was lost and a sale whose reply was lost resume after migration 0009: one of each', async () => {
    const store = getStore();
    const h = await startSalesHarness(store);
    try {
      await parkOpenOrders(h);
      const rowOf = async (orderId: string) => {
        const row = (await salesSyncs.list(store.db, h.tenantId, { direction: 'ns_to_x' })).find(
          (r) => r.nsId === orderId,
        );
        assert.ok(row, `a row for order ${orderId}`);
        return row;
      };

      // A: sent, and its sale finished in the POS. The bill commits in NetSuite, its reply is lost, and the look-up
      // after it finds NetSuite unavailable: the fulfil-and-bill job waits (a worker whose next try is far off).
      const a = await h.ns.raise({ items: [{ item: 'NOR-1000-IND-28' }], fulfilment: 'ship', status: 'B' });
      await syncFromNetsuite(await h.env());
      await h.x.finish((await rowOf(a.id)).xSaleId as string, 'complete');
      const billLookup = `${RECORD}/invoice/eid:TL-BILL-${a.id}`;
      await h.ns.fault({ kind: 'latency', method: 'GET', path: billLookup, latencyMs: 0, times: 1 });
      await h.ns.fault({
        kind: 'ghost_write',
        method: 'POST',
        path: `${RECORD}/salesOrder/${a.id}/!transform/invoice`,
      });
      await h.ns.fault({ kind: 'error', status: 503, method: 'GET', path: billLookup });
      await syncFromXSeries(await h.env());
      const patient = createWorker({
        store,
        handlers: salesJobHandlers(h.t.ctx),
        backoff: { baseMs: 600_000, capMs: 600_000 },
      });
      await patient.drain();
      await patient.stop({ graceMs: 100 });
      const rowA = await rowOf(a.id);
      assert.deepEqual(await stepStates(h, rowA.id), [
        'create-sale:done',
        'link-netsuite:done',
        'fulfil:done',
        'bill:failed',
      ]);
      assert.equal(rowA.state, 'completing', `waiting for NetSuite: ${rowA.errorMessage}`);
      assert.equal(rowA.errorCode, 'REMOTE_UNAVAILABLE');
      assert.equal(h.ns.children(a.id, 'invoice').length, 1, 'the bill is in NetSuite; the job does not know it');
      const [job] = await queue.list(store.db, h.tenantId, { task: SALES_COMPLETE });
      assert.equal(job?.state, 'queued', 'deferred while NetSuite does not answer');

      // B: the sale's create commits in X-Series, its reply is lost, and the look-up finds X-Series unavailable.
      const b = await h.ns.raise({ items: [{ item: 'NOR-1001-BLK-S' }], fulfilment: 'ship', status: 'B' });
      const saleB = saleIdForOrder(await h.env(), b.id);
      await h.x.fault({ kind: 'latency', method: 'GET', path: `/api/2.0/sales/${saleB}`, latencyMs: 0, times: 1 });
      await h.x.fault({ kind: 'ghost_write', method: 'POST', path: X_SALES, times: 1 });
      await h.x.fault({ kind: 'error', status: 503, method: 'GET', path: `/api/2.0/sales/${saleB}` });
      await syncFromNetsuite(await h.env());
      const rowB = await rowOf(b.id);
      assert.equal(rowB.state, 'failed');
      assert.deepEqual(await stepStates(h, rowB.id), ['create-sale:failed']);
      assert.equal(h.x.sales().filter((s) => s.id === saleB).length, 1, 'the sale is in X-Series');

      // The previous schema, then the migration: the steps read the same.
      await h.ns.clearFaults();
      await h.x.clearFaults();
      const before = [await stepStates(h, rowA.id), await stepStates(h, rowB.id)];
      await backToBefore0009(store);
      assert.deepEqual(await migrateToLatest(store), ['0009_saga_steps']);
      assert.deepEqual([await stepStates(h, rowA.id), await stepStates(h, rowB.id)], before);

      // Both resume: the waiting job's time comes; a person retries B from the log.
      await store.db.updateTable('jobs').set({ run_at: Date.now() }).where('state', '=', 'queued').execute();
      assert.equal((await h.t.call('POST', `/api/sales-orders/log/${rowB.id}/retry`, { token: h.token })).status, 202);
      await h.drain();

      const doneA = await rowOf(a.id);
      assert.equal(doneA.state, 'completed', `${doneA.errorCode}: ${doneA.errorMessage}`);
      assert.equal(h.ns.children(a.id, 'itemFulfillment').length, 1, 'fulfilled once');
      assert.equal(h.ns.children(a.id, 'invoice').length, 1, 'billed once: the lost bill was found');
      assert.equal(doneA.billId, h.ns.children(a.id, 'invoice')[0].id);
      const doneB = await rowOf(b.id);
      assert.equal(doneB.state, 'sent', `${doneB.errorCode}: ${doneB.errorMessage}`);
      assert.equal(doneB.xSaleId, saleB);
      assert.equal(h.x.sales().filter((s) => s.id === saleB).length, 1, 'one sale: the lost one was found');
      assert.equal(h.ns.state().transactions[b.id].custom.custbody_tl_xseries_sale_id, saleB);
      assert.deepEqual(await stepStates(h, rowB.id), ['create-sale:done', 'link-netsuite:done']);
    } finally {
      await h.close();
    }
  });
});
