/**
 * Ghost writes (the write commits, the reply is a 500 or a dropped connection) and 429s on every X-Series and
 * NetSuite write route the sales sync uses leave no duplicate sale, sales order, cash sale, fulfilment or bill.
 * A 429 that outlasts the in-call budget defers the job without using an attempt.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { defaultRuleSet } from '../../src/core/sales/rules.ts';
import { activateVersion, saveDraft } from '../../src/flows/sales/config.ts';
import { syncFromNetsuite, syncFromXSeries } from '../../src/flows/sales/sync.ts';
import { SALES_COMPLETE } from '../../src/flows/sales/tasks.ts';
import * as queue from '../../src/jobs/queue.ts';
import { salesSyncs } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { X_SALES, startSalesHarness, type SalesHarness } from './harness.ts';

const RECORD = '/services/rest/record/v1';

/** Every write route of the sync, as a fault path (globs match any record id), and how many of its writes to spoil. */
const nsWrites = [
  { method: 'PATCH', path: `${RECORD}/salesOrder/*`, what: 'link the sale id back', times: 2 },
  { method: 'POST', path: `${RECORD}/salesOrder`, what: 'create a sales order', times: 1 },
  { method: 'POST', path: `${RECORD}/cashSale`, what: 'create a cash sale', times: 1 },
  { method: 'POST', path: `${RECORD}/salesOrder/*/!transform/itemFulfillment`, what: 'fulfil', times: 2 },
  { method: 'POST', path: `${RECORD}/salesOrder/*/!transform/invoice`, what: 'invoice', times: 2 },
  { method: 'POST', path: `${RECORD}/salesOrder/*/!transform/cashSale`, what: 'bill as a cash sale', times: 2 },
];

async function useRules(h: SalesHarness): Promise<void> {
  const rules = defaultRuleSet();
  rules.rules = [
    {
      id: 'deliver',
      name: 'Deliver from the store',
      enabled: true,
      when: [{ field: 'fulfilment', op: 'is', value: 'delivery' }],
      send: true,
      status: 'AWAITING_DISPATCH',
    },
    {
      id: 'park',
      name: 'Park the rest',
      enabled: true,
      when: [{ field: 'status', op: 'is', value: 'PENDING_FULFILLMENT' }],
      send: true,
      status: 'SAVED',
    },
  ];
  await activateVersion(h.t.ctx, h.tenantId, (await saveDraft(h.t.ctx, h.tenantId, rules)).version);
}

/** Both directions end to end: three NetSuite orders (invoice and cash-sale forms), two POS sales (cash sale, pickup). */
async function runEverything(
  h: SalesHarness,
  injectFaults: () => Promise<void> = async () => {},
): Promise<{ orders: string[]; sales: string[] }> {
  const orders = [
    (await h.ns.raise({ items: [{ item: 'NOR-1000-IND-28' }], fulfilment: 'ship', status: 'B' })).id,
    (await h.ns.raise({ items: [{ item: 'NOR-1001-BLK-S' }], fulfilment: 'ship', status: 'B', customForm: 'cashSale' }))
      .id,
    (await h.ns.raise({ items: [{ item: 'TL-GPS-RIDGE' }], fulfilment: 'delivery', status: 'B' })).id,
  ];
  const plain = await h.x.sell({ status: 'CLOSED', lines: [{ sku: 'NOR-1001-BLK-L', price: 45 }] });
  const pickup = await h.x.sell({ status: 'AWAITING_PICKUP', lines: [{ sku: 'NOR-1000-IND-30', price: 60 }] });
  // From here on the faults apply (the cashier's own sales above went through the same route).
  await injectFaults();

  await syncFromNetsuite(await h.env());
  const rows = await salesSyncs.list(h.t.ctx.store.db, h.tenantId, { direction: 'ns_to_x' });
  for (const id of orders) {
    const row = rows.find((r) => r.nsId === id);
    assert.ok(row?.xSaleId, `order ${id} sent (${row?.state}: ${row?.errorMessage ?? ''})`);
    await h.x.finish(row.xSaleId, row.sentAs === 'AWAITING_DISPATCH' ? 'dispatched' : 'complete');
  }
  await syncFromXSeries(await h.env());
  await h.x.finish(pickup.id, 'picked_up');
  await syncFromXSeries(await h.env());
  await h.drain();
  return { orders, sales: [plain.id, pickup.id] };
}

async function assertNoDuplicates(h: SalesHarness, made: { orders: string[]; sales: string[] }): Promise<void> {
  const ours = h.x.sales().filter((s) => s.source === 'TRADELOOP_NETSUITE');
  assert.equal(ours.length, made.orders.length, 'one X-Series sale per NetSuite order');
  for (const id of made.orders) {
    assert.equal(h.ns.children(id, 'itemFulfillment').length, 1, `order ${id}: one fulfilment`);
    assert.equal(
      h.ns.children(id, 'invoice').length + h.ns.children(id, 'cashSale').length,
      1,
      `order ${id}: one bill`,
    );
  }
  const [plain, pickup] = made.sales as [string, string];
  assert.equal(h.ns.byExternalId('cashSale', `XS-${plain}`).length, 1, 'one cash sale for the plain POS sale');
  assert.equal(h.ns.byExternalId('salesOrder', `XS-${pickup}`).length, 1, 'one sales order for the pickup');
  const pickupOrder = h.ns.byExternalId('salesOrder', `XS-${pickup}`)[0];
  assert.equal(h.ns.children(pickupOrder.id, 'itemFulfillment').length, 1);
  assert.equal(h.ns.children(pickupOrder.id, 'cashSale').length, 1);
  const rows = await salesSyncs.list(h.t.ctx.store.db, h.tenantId);
  for (const row of rows)
    assert.equal(row.state, 'completed', `${row.direction} ${row.nsTranId ?? row.xSaleId}: ${row.errorMessage ?? ''}`);
  assert.deepEqual(await h.ns.control('/_sim/faults'), { faults: [] }, 'every NetSuite fault was hit');
  assert.equal((await h.x.control('/_sim/faults')).faults.length, 0, 'every X-Series fault was hit');
}

forEachDialect('sales sync under ghost writes and 429s', (getStore) => {
  for (const kind of ['ghost_write', 'ghost_drop', 'rate_limit'] as const) {
    test(`${kind} on every write route leaves no duplicate`, async () => {
      const h = await startSalesHarness(getStore());
      try {
        await useRules(h);
        // X-Series: creating a sale (three orders; a 429 costs up to a second, so one of them for rate limits).
        const made = await runEverything(h, async () => {
          await h.x.fault({
            kind,
            method: 'POST',
            path: X_SALES,
            times: kind === 'rate_limit' ? 1 : 3,
            retryAfterSeconds: 0,
          });
          for (const w of nsWrites)
            await h.ns.fault({ kind, method: w.method, path: w.path, times: w.times, retryAfterSeconds: 0 });
        });
        await assertNoDuplicates(h, made);
        const faulted = (await h.ns.control('/_sim/requests?limit=5000')).recent.filter(
          (r: { fault?: string }) => r.fault === kind,
        );
        assert.equal(
          faulted.length,
          nsWrites.reduce((n, w) => n + w.times, 0),
          `NetSuite answered ${kind} on every write route`,
        );
        const xFaulted = (await h.x.control('/_sim/requests?limit=5000')).recent.filter(
          (r: { fault?: string }) => r.fault === kind,
        );
        assert.equal(xFaulted.length, kind === 'rate_limit' ? 1 : 3);
      } finally {
        await h.close();
      }
    });
  }

  test('a bill NetSuite refuses fails the row with its reason; retry from the log bills once', async () => {
    const h = await startSalesHarness(getStore());
    try {
      await useRules(h);
      const order = await h.ns.raise({ items: [{ item: 'NOR-1000-IND-28' }], fulfilment: 'ship', status: 'B' });
      await syncFromNetsuite(await h.env());
      const row = (await salesSyncs.list(getStore().db, h.tenantId)).find((r) => r.nsId === order.id);
      assert.ok(row?.xSaleId);
      await h.x.finish(row.xSaleId, 'complete');
      const refusal = {
        type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.1',
        title: 'Bad Request',
        status: 400,
        'o:errorDetails': [{ detail: 'The accounting period is closed.', 'o:errorCode': 'USER_ERROR' }],
      };
      await h.ns.fault({
        kind: 'error',
        status: 400,
        method: 'POST',
        path: `${RECORD}/salesOrder/*/!transform/invoice`,
        times: 1,
        body: refusal,
      });
      await syncFromXSeries(await h.env());
      await h.drain();
      const failed = await h.t.call('GET', `/api/sales-orders/log/${row.id}`, { token: h.token });
      assert.equal(failed.body.state, 'failed');
      assert.equal(failed.body.error.code, 'REMOTE_REJECTED');
      assert.match(failed.body.error.message, /The accounting period is closed/);
      assert.deepEqual(
        failed.body.steps.map((s: { step: string; state: string }) => `${s.step}:${s.state}`),
        ['create-sale:done', 'link-netsuite:done', 'fulfil:done', 'bill:failed'],
      );
      const [job] = await queue.list(getStore().db, h.tenantId, { task: SALES_COMPLETE });
      assert.equal(job?.state, 'failed', 'a refusal is not retried by itself');

      assert.equal((await h.t.call('POST', `/api/sales-orders/log/${row.id}/retry`, { token: h.token })).status, 202);
      await h.drain();
      assert.equal((await salesSyncs.get(getStore().db, h.tenantId, row.id))?.state, 'completed');
      assert.equal(h.ns.children(order.id, 'itemFulfillment').length, 1);
      assert.equal(h.ns.children(order.id, 'invoice').length, 1);
    } finally {
      await h.close();
    }
  });

  test('a 429 that outlasts the budget defers the fulfil-and-bill job without using an attempt', async () => {
    const h = await startSalesHarness(getStore());
    try {
      await useRules(h);
      const order = await h.ns.raise({ items: [{ item: 'NOR-1000-IND-28' }], fulfilment: 'ship', status: 'B' });
      await syncFromNetsuite(await h.env());
      const row = (await salesSyncs.list(getStore().db, h.tenantId)).find((r) => r.nsId === order.id);
      assert.ok(row?.xSaleId);
      await h.x.finish(row.xSaleId, 'complete');
      await h.ns.fault({
        kind: 'rate_limit',
        method: 'POST',
        path: `${RECORD}/salesOrder/*/!transform/invoice`,
        times: 1,
        retryAfterSeconds: 60,
      });
      await syncFromXSeries(await h.env());
      await h.drain();
      const [job] = await queue.list(getStore().db, h.tenantId, { task: SALES_COMPLETE });
      assert.equal(job?.state, 'queued', 'deferred, not failed');
      assert.equal(job?.attempts, 0, 'a rate limit is not a failed attempt');
      assert.ok((job?.runAt ?? 0) > Date.now() + 30_000, 'until NetSuite’s Retry-After');
      assert.equal(h.ns.children(order.id, 'itemFulfillment').length, 1, 'fulfilled before the bill was refused');
      assert.equal(h.ns.children(order.id, 'invoice').length, 0);

      // Time passes (the queue's clock, moved by hand): the job runs again and bills once.
      await sql`update jobs set run_at = ${Date.now()} where id = ${job?.id}`.execute(getStore().db);
      await h.drain();
      assert.equal(h.ns.children(order.id, 'itemFulfillment').length, 1);
      assert.equal(h.ns.children(order.id, 'invoice').length, 1);
      assert.equal((await salesSyncs.get(getStore().db, h.tenantId, row.id))?.state, 'completed');
    } finally {
      await h.close();
    }
  });
});
