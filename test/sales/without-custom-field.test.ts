/**
 * An account that has not created Tradeloop's custom field (`custbody_tl_xseries_sale_id`): NetSuite has no field
 * by a name nobody created, and the simulator refuses one (F8). Both directions still work and send nothing that
 * would be refused: the sale is made and logged, only the link in NetSuite is left out; POS sales are imported
 * with their external id as the key and without the field.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syncFromNetsuite, syncFromXSeries } from '../../src/flows/sales/sync.ts';
import { salesSyncs } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { startSalesHarness } from './harness.ts';

forEachDialect('sales sync: an account without the sale-id custom field', (getStore) => {
  test('orders are sent and POS sales imported; nothing carries the undefined field, nothing is refused', async () => {
    const h = await startSalesHarness(getStore());
    try {
      h.ns.sim.importState({ ...h.ns.state(), customFields: {} });
      const order = await h.ns.raise({ items: [{ item: 'NOR-1000-IND-28' }], fulfilment: 'pickup', status: 'G' });
      const report = await syncFromNetsuite(await h.env());
      assert.equal(report.sent, 1, JSON.stringify(report.results));
      const [row] = await salesSyncs.list(getStore().db, h.tenantId, { direction: 'ns_to_x' });
      assert.equal(row?.state, 'sent', `${row?.errorCode}: ${row?.errorMessage}`);
      assert.ok(row?.xSaleId);
      assert.deepEqual(h.ns.state().transactions[order.id].custom, {}, 'no link written');

      await h.settings({ skipSalesOrders: true });
      const cash = await h.x.sell({ status: 'CLOSED', lines: [{ sku: 'NOR-1001-BLK-L', price: 45 }] });
      const pickup = await h.x.sell({ status: 'AWAITING_PICKUP', lines: [{ sku: 'NOR-1000-IND-30', price: 60 }] });
      const imported = await syncFromXSeries(await h.env());
      assert.deepEqual(imported.importedAs, { cashSale: 1, salesOrder: 1 }, JSON.stringify(imported.results));
      for (const [type, sale] of [
        ['cashSale', cash],
        ['salesOrder', pickup],
      ] as const) {
        const [made] = h.ns.byExternalId(type, `XS-${sale.id}`);
        assert.ok(made, `${type} for ${sale.id}`);
        assert.deepEqual(made.custom, {}, `${type} without the undefined field`);
      }
    } finally {
      await h.close();
    }
  });
});
