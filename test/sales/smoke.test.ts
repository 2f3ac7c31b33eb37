import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestStore } from '../../src/store/testing.ts';
import { startSalesHarness } from './harness.ts';
import { syncFromNetsuite, syncFromXSeries } from '../../src/flows/sales/sync.ts';
import { salesSyncs } from '../../src/store/repos/index.ts';

test('smoke', async () => {
  const store = await createTestStore('sqlite');
  const h = await startSalesHarness(store);
  try {
    const a = await h.ns.raise({ items: [{ item: 'NOR-1000-IND-28', quantity: 2 }], fulfilment: 'pickup', status: 'B' });
    const b = await h.ns.raise({ items: [{ item: 'NOR-1001-BLK-S' }], fulfilment: 'delivery', status: 'B', location: 'Harbor Mall' });
    const c = await h.ns.raise({ items: [{ item: 'NOR-1001-BLK-L' }], fulfilment: 'pickup', status: 'G' });
    const d = await h.ns.raise({ items: [{ item: 'NOR-1001-BLK-L' }], fulfilment: 'ship', status: 'A' });
    const env = await h.env();
    const report = await syncFromNetsuite(env);
    console.log(JSON.stringify(report, null, 1));
    const rows = await salesSyncs.list(store.db, h.tenantId);
    console.log(rows.map((r) => [r.nsTranId, r.state, r.sentAs, r.xStatus, r.reason, r.errorMessage]));
    const sale = h.x.sale(rows.find((r) => r.nsId === b.id)?.xSaleId as string);
    console.log(sale?.status);
    await h.x.finish(sale!.id, 'dispatched');
    const xr = await syncFromXSeries(await h.env());
    console.log(JSON.stringify({ ...xr, results: xr.results.length }));
    console.log(await h.drain());
    const rows2 = await salesSyncs.list(store.db, h.tenantId);
    console.log(rows2.map((r) => [r.nsTranId, r.direction, r.state, r.sentAs, r.xStatus, r.fulfilmentId, r.billId, r.errorMessage]));
    console.log(h.ns.children(b.id, 'itemFulfillment').length, h.ns.children(b.id, 'invoice').length);
    void a; void c; void d;
  } finally {
    await h.close();
    await store.dispose();
  }
});
