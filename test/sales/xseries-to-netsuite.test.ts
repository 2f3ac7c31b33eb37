/**
 * X-Series → NetSuite over both simulators: every sales-order condition with "skip sales orders" on and off (a kit
 * with a serial-numbered component, a layby, a pickup, a delivery, a plain completed sale), then the sales orders
 * fulfilled and billed once when the POS closes the sales.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syncFromXSeries } from '../../src/flows/sales/sync.ts';
import { salesSyncs } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { startSalesHarness } from './harness.ts';

forEachDialect('sales sync: X-Series → NetSuite', (getStore) => {
  test('the skip setting and its four conditions, then fulfil and bill once when the POS closes each sale', async () => {
    const h = await startSalesHarness(getStore());
    try {
      const ringUp = async (serial: string) => ({
        kit: await h.x.sell({
          status: 'CLOSED',
          lines: [{ sku: 'TL-KIT-EXPLORER', price: 299, note: `SN ${serial}` }],
        }),
        layby: await h.x.sell({ status: 'LAYBY', lines: [{ sku: 'NOR-1001-BLK-S', price: 40 }], paid: false }),
        pickup: await h.x.sell({
          status: 'AWAITING_PICKUP',
          lines: [{ sku: 'NOR-1000-IND-28', quantity: 2, price: 60 }],
        }),
        delivery: await h.x.sell({
          status: 'AWAITING_DISPATCH',
          outlet: 'Harbor Mall',
          lines: [{ sku: 'NOR-1000-IND-30', price: 60 }],
        }),
        plain: await h.x.sell({
          status: 'CLOSED',
          lines: [
            { sku: 'NOR-1001-BLK-L', price: 45 },
            { sku: 'TL-GPS-RIDGE', price: 129, note: serial === 'SW-00004' ? 'Serial: GPS-00007' : undefined },
          ],
        }),
        parked: await h.x.sell({ status: 'SAVED', lines: [{ sku: 'NOR-1001-BLK-L', price: 45 }], paid: false }),
      });
      const rowOf = async (saleId: string) => {
        const row = (await salesSyncs.list(getStore().db, h.tenantId, { direction: 'x_to_ns' })).find(
          (r) => r.xSaleId === saleId,
        );
        assert.ok(row, `a log row for sale ${saleId}`);
        return row;
      };
      const nsRecord = (type: string, saleId: string) => {
        const found = h.ns.byExternalId(type, `XS-${saleId}`);
        assert.ok(found.length <= 1, `at most one ${type} for sale ${saleId}`);
        return found[0];
      };

      // Skip sales orders ON (the default): only sales meeting a condition become sales orders.
      await h.settings({ skipSalesOrders: true });
      const on = await ringUp('SW-00004');
      const first = await syncFromXSeries(await h.env());
      assert.deepEqual(first.importedAs, { salesOrder: 4, cashSale: 1 }, JSON.stringify(first.results));
      assert.equal(first.notImported, 1);
      for (const [name, sale] of [
        ['kit', on.kit],
        ['layby', on.layby],
        ['pickup', on.pickup],
        ['delivery', on.delivery],
      ] as const) {
        const row = await rowOf(sale.id);
        assert.equal(row.sentAs, 'salesOrder', name);
        assert.ok(nsRecord('salesOrder', sale.id), `${name}: a NetSuite sales order`);
        assert.equal(nsRecord('cashSale', sale.id), undefined);
      }
      assert.match(
        (await rowOf(on.kit.id)).reason ?? '',
        /contains a kit with serial, lot or bin components \(TL-KIT-EXPLORER\)/,
      );
      assert.match((await rowOf(on.layby.id)).reason ?? '', /is a Layby/);
      assert.match((await rowOf(on.pickup.id)).reason ?? '', /is Pickup – Unfulfilled/);
      assert.match((await rowOf(on.delivery.id)).reason ?? '', /is Delivery – Unfulfilled/);
      const cash = nsRecord('cashSale', on.plain.id);
      assert.ok(cash, 'the plain completed sale is a cash sale');
      assert.equal(nsRecord('salesOrder', on.plain.id), undefined);
      assert.equal((await rowOf(on.plain.id)).state, 'completed');
      assert.equal(cash.lines.length, 2);
      assert.equal(
        h.ns.state().inventoryNumbers[cash.lines[1].inventoryDetail[0].inventoryNumber].inventoryNumber,
        'GPS-00007',
        'the serial the cashier noted',
      );
      const parkedRow = await rowOf(on.parked.id);
      assert.equal(parkedRow.state, 'not_sent');
      assert.match(parkedRow.reason ?? '', /Parked \(SAVED\) sales are not imported/);

      // The pickup order is a store-pickup order; the delivery one ships by Local Delivery from Harbor Mall.
      const pickupOrder = nsRecord('salesOrder', on.pickup.id);
      assert.equal(pickupOrder.lines[0].itemFulfillmentChoice, 'storePickup');
      const deliveryOrder = nsRecord('salesOrder', on.delivery.id);
      assert.equal(h.ns.state().shipMethods[deliveryOrder.shipMethod].itemId, 'Local Delivery');
      assert.equal(h.ns.state().locations[deliveryOrder.location].name, 'Harbor Mall');

      // Skip sales orders OFF: every imported sale becomes a sales order (the plain one too).
      await h.settings({ skipSalesOrders: false });
      const off = await ringUp('SW-00005');
      const second = await syncFromXSeries(await h.env());
      assert.deepEqual(second.importedAs, { salesOrder: 5 }, JSON.stringify(second.results));
      for (const sale of [off.kit, off.layby, off.pickup, off.delivery, off.plain]) {
        assert.ok(nsRecord('salesOrder', sale.id));
        assert.equal(nsRecord('cashSale', sale.id), undefined);
      }
      assert.equal((await rowOf(off.parked.id)).state, 'not_sent');

      // The closed ones (kit, plain) were queued to fulfil and bill at once; then the POS finishes the rest.
      for (const set of [on, off]) {
        await h.x.finish(set.layby.id, 'layby_complete');
        await h.x.finish(set.pickup.id, 'picked_up');
        await h.x.finish(set.delivery.id, 'dispatched');
      }
      const third = await syncFromXSeries(await h.env());
      assert.equal(third.completionsQueued, 6);
      await h.drain();
      await syncFromXSeries(await h.env());
      await h.drain();

      const orders = [
        on.kit,
        on.layby,
        on.pickup,
        on.delivery,
        off.kit,
        off.layby,
        off.pickup,
        off.delivery,
        off.plain,
      ];
      for (const sale of orders) {
        const row = await rowOf(sale.id);
        assert.equal(row.state, 'completed', `${sale.id}: ${row.errorMessage ?? ''}`);
        const order = nsRecord('salesOrder', sale.id);
        assert.equal(h.ns.children(order.id, 'itemFulfillment').length, 1, 'one fulfilment');
        assert.equal(h.ns.children(order.id, 'cashSale').length, 1, 'one cash sale, billed from the order');
        assert.equal(h.ns.children(order.id, 'invoice').length, 0);
      }
      // The kit's serialized watch was fulfilled with the serial the cashier noted.
      const kitFulfilment = h.ns.children(nsRecord('salesOrder', on.kit.id).id, 'itemFulfillment')[0];
      const serials = kitFulfilment.lines.flatMap((l: any) =>
        (l.inventoryDetail ?? []).map((a: any) => h.ns.state().inventoryNumbers[a.inventoryNumber]?.inventoryNumber),
      );
      assert.deepEqual(serials, ['SW-00004']);
    } finally {
      await h.close();
    }
  });
});
