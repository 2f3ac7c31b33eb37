/**
 * NetSuite → X-Series over both simulators: every status in the mapping, each example rule, unmatched orders
 * logged with why, an organization's own mapping, and fulfil + bill exactly once for CLOSED, DISPATCHED_CLOSED and
 * PICKED_UP_CLOSED (with serial, lot and kit detail).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { defaultRuleSet } from '../../src/core/sales/rules.ts';
import { formOfStatus, type XSaleStatus } from '../../src/core/sales/status.ts';
import { activateVersion, saveDraft } from '../../src/flows/sales/config.ts';
import { completeSync } from '../../src/flows/sales/saga.ts';
import { syncFromNetsuite, syncFromXSeries } from '../../src/flows/sales/sync.ts';
import { enqueueComplete } from '../../src/flows/sales/tasks.ts';
import { salesSyncs } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { startSalesHarness, type SalesHarness } from './harness.ts';

void before;
void after;

forEachDialect('sales sync: NetSuite → X-Series', (getStore) => {
  let h: SalesHarness;

  const rowFor = async (orderId: string) => {
    const rows = await salesSyncs.list(getStore().db, h.tenantId, { direction: 'ns_to_x' });
    const row = rows.find((r) => r.nsId === orderId);
    assert.ok(row, `a log row for order ${orderId}`);
    return row;
  };
  const assertSale = async (orderId: string, status: XSaleStatus, paid: boolean) => {
    const row = await rowFor(orderId);
    assert.equal(
      row.state === 'sent' || row.state === 'completing' || row.state === 'completed',
      true,
      `order ${orderId} sent (${row.state}: ${row.errorMessage ?? row.reason})`,
    );
    const res = await h.x.api(`/api/2.0/sales/${row.xSaleId}`);
    const sale = res.body.data;
    assert.equal(sale.status, status, `order ${orderId} status`);
    const form = formOfStatus(status);
    assert.equal(sale.state, form.state, `order ${orderId}: state in step with ${status}`);
    assert.deepEqual(sale.attributes, form.attributes, `order ${orderId}: attributes in step with ${status}`);
    assert.equal(sale.source, 'TRADELOOP_NETSUITE');
    assert.match(sale.source_id, /^NS-SO\d+$/);
    assert.equal(sale.payments.length > 0, paid, `order ${orderId} paid=${paid}`);
    const so = h.ns.state().transactions[orderId];
    assert.equal(so.custom.custbody_tl_xseries_sale_id, sale.id, 'NetSuite carries the X-Series sale id');
    return sale;
  };

  test('every mapped status, each example rule, unmatched and blocked orders logged with why, an edited mapping', async () => {
    h = await startSalesHarness(getStore());
    try {
      const billedPickup = await h.ns.raise({
        items: [{ item: 'NOR-1000-IND-28', quantity: 2 }],
        fulfilment: 'pickup',
        status: 'G',
      });
      const delivery = await h.ns.raise({
        items: [{ item: 'NOR-1001-BLK-S' }],
        fulfilment: 'delivery',
        status: 'B',
        location: 'Harbor Mall',
      });
      const billedShip = await h.ns.raise({ items: [{ item: 'NOR-1001-BLK-L' }], fulfilment: 'ship', status: 'G' });
      const parkedPickup = await h.ns.raise({
        items: [{ item: 'NOR-1000-IND-30' }],
        fulfilment: 'pickup',
        status: 'B',
        customForm: 'cashSale',
      });
      const pendingApproval = await h.ns.raise({
        items: [{ item: 'NOR-1000-IND-34' }],
        fulfilment: 'ship',
        status: 'A',
      });
      const warehouse = await h.ns.raise({
        items: [{ item: 'NOR-1000-IND-34' }],
        fulfilment: 'delivery',
        status: 'B',
        location: 'Warehouse',
      });

      const report = await syncFromNetsuite(await h.env());
      assert.equal(report.ruleSetVersion, 0, 'the built-in defaults');
      assert.deepEqual(report.sentByStatus, { AWAITING_PICKUP: 1, AWAITING_DISPATCH: 1, CLOSED: 1, SAVED: 1 });
      assert.equal(report.notSent, 1);
      assert.equal(report.blocked, 1);

      await assertSale(billedPickup.id, 'AWAITING_PICKUP', true); // "Send BILLED orders for pickup"
      await assertSale(delivery.id, 'AWAITING_DISPATCH', true); // "Send for delivery from store"
      await assertSale(billedShip.id, 'CLOSED', true); // "Send duplicate BILLED orders": Completed, record only
      await assertSale(parkedPickup.id, 'SAVED', false); // Parked: to be completed and paid in the POS

      const unmatched = await rowFor(pendingApproval.id);
      assert.equal(unmatched.state, 'not_sent');
      assert.match(
        unmatched.reason ?? '',
        /^No rule matched: "Send BILLED orders for pickup" needs status is BILLED \(the order has status PENDING_APPROVAL\)/,
      );
      const blocked = await rowFor(warehouse.id);
      assert.equal(blocked.state, 'failed');
      assert.equal(blocked.errorCode, 'SALES_ORDER_BLOCKED');
      assert.equal(blocked.errorMessage, 'Location "Warehouse" has no X-Series outlet of that name');

      // The record-only CLOSED sale is completed at once; NetSuite had billed it already, so nothing is added.
      assert.equal(await h.drain(), 1);
      const recordOnly = await rowFor(billedShip.id);
      assert.equal(recordOnly.state, 'completed');
      assert.equal(h.ns.children(billedShip.id, 'itemFulfillment').length, 1);
      assert.equal(h.ns.children(billedShip.id, 'invoice').length, 1);
      // Found through transactionline.createdfrom: the simulator refuses transaction.createdfrom as NetSuite does (F7).
      assert.equal(recordOnly.fulfilmentId, h.ns.children(billedShip.id, 'itemFulfillment')[0].id);
      assert.equal(recordOnly.billId, h.ns.children(billedShip.id, 'invoice')[0].id);

      // A second pass sends nothing again (our own link-back changed the orders: they come round and are skipped).
      const salesBefore = h.x.sales().length;
      const again = await syncFromNetsuite(await h.env());
      assert.equal(again.sent, 0);
      assert.equal(h.x.sales().length, salesBefore);

      // The organization edits its mapping: a Layby status of its own, and a new label for pickups.
      const custom = defaultRuleSet();
      custom.mapping = custom.mapping.map((m) =>
        m.key === 'AWAITING_PICKUP' ? { ...m, label: 'Click & collect' } : m,
      );
      custom.mapping.push({
        key: 'LAYBY',
        xStatus: 'LAYBY',
        label: 'Layby',
        paid: false,
        description: 'A deposit was taken',
      });
      custom.rules.unshift({
        id: 'deposit',
        name: 'Layby when a deposit was taken',
        enabled: true,
        when: [{ field: 'memo', op: 'contains', value: 'deposit' }],
        send: true,
        status: 'LAYBY',
      });
      const saved = await saveDraft(h.t.ctx, h.tenantId, custom);
      await activateVersion(h.t.ctx, h.tenantId, saved.version);
      const deposit = await h.ns.raise({
        items: [{ item: 'NOR-1001-BLK-S' }],
        status: 'B',
        memo: 'Deposit taken by phone',
      });
      const third = await syncFromNetsuite(await h.env());
      assert.equal(third.ruleSetVersion, saved.version);
      assert.deepEqual(third.sentByStatus, { LAYBY: 1 });
      await assertSale(deposit.id, 'LAYBY', false);
      assert.equal((await rowFor(deposit.id)).ruleSetVersion, saved.version);
    } finally {
      await h.close();
    }
  });

  test('fulfil and bill exactly once when the POS reaches CLOSED, DISPATCHED_CLOSED and PICKED_UP_CLOSED', async () => {
    h = await startSalesHarness(getStore());
    try {
      const rules = defaultRuleSet();
      rules.rules = [
        {
          id: 'collect',
          name: 'Paid online, collect in store',
          enabled: true,
          when: [
            { field: 'status', op: 'is', value: 'PENDING_FULFILLMENT' },
            { field: 'fulfilment', op: 'is', value: 'pickup' },
          ],
          send: true,
          status: 'AWAITING_PICKUP',
        },
        {
          id: 'deliver',
          name: 'Deliver from the store',
          enabled: true,
          when: [
            { field: 'status', op: 'is', value: 'PENDING_FULFILLMENT' },
            { field: 'fulfilment', op: 'is', value: 'delivery' },
          ],
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

      // A kit whose watch is serialized, for pickup, on the cash-sale form; a serialized tracker for delivery; lots, parked.
      const pickup = await h.ns.raise({
        items: [{ item: 'TL-KIT-EXPLORER' }, { item: 'NOR-1000-IND-28' }],
        fulfilment: 'pickup',
        status: 'B',
        customForm: 'cashSale',
      });
      const delivery = await h.ns.raise({
        items: [{ item: 'TL-GPS-RIDGE' }],
        fulfilment: 'delivery',
        status: 'B',
        location: 'Harbor Mall',
      });
      const parked = await h.ns.raise({
        items: [{ item: 'TL-BALM-BEESWAX', quantity: 2 }, { item: 'NOR-1001-BLK-S' }],
        fulfilment: 'ship',
        status: 'B',
      });
      const sent = await syncFromNetsuite(await h.env());
      assert.deepEqual(sent.sentByStatus, { AWAITING_PICKUP: 1, AWAITING_DISPATCH: 1, SAVED: 1 });

      const saleOf = async (orderId: string) => (await rowFor(orderId)).xSaleId as string;
      assert.equal((await h.x.finish(await saleOf(pickup.id), 'picked_up')).status, 'PICKED_UP_CLOSED');
      assert.equal((await h.x.finish(await saleOf(delivery.id), 'dispatched')).status, 'DISPATCHED_CLOSED');
      assert.equal((await h.x.finish(await saleOf(parked.id), 'complete')).status, 'CLOSED');

      const followed = await syncFromXSeries(await h.env());
      assert.equal(followed.completionsQueued, 3);
      assert.equal(await h.drain(), 3);

      const expectations = [
        { order: pickup, bill: 'cashSale', status: 'PICKED_UP_CLOSED' },
        { order: delivery, bill: 'invoice', status: 'DISPATCHED_CLOSED' },
        { order: parked, bill: 'invoice', status: 'CLOSED' },
      ] as const;
      const check = async () => {
        for (const e of expectations) {
          const row = await rowFor(e.order.id);
          assert.equal(row.state, 'completed', `${e.status}: ${row.errorMessage ?? ''}`);
          assert.equal(row.xStatus, e.status);
          assert.equal(h.ns.children(e.order.id, 'itemFulfillment').length, 1, `${e.status}: one fulfilment`);
          assert.equal(h.ns.children(e.order.id, e.bill).length, 1, `${e.status}: one ${e.bill}`);
          assert.equal(h.ns.children(e.order.id, e.bill === 'invoice' ? 'cashSale' : 'invoice').length, 0);
          assert.equal(
            h.ns.state().transactions[e.order.id].lines.every((l: any) => l.quantityBilled === l.quantity),
            true,
            'billed in full',
          );
          assert.equal(row.billType, e.bill);
        }
      };
      await check();

      // Serial, lot and kit detail went on the fulfilments.
      const kitFulfilment = h.ns.children(pickup.id, 'itemFulfillment')[0];
      const watchLine = kitFulfilment.lines.find(
        (l: any) => l.kitMemberOf !== null && l.inventoryDetail?.some((a: any) => a.inventoryNumber),
      );
      assert.ok(watchLine, 'the kit’s serialized watch was fulfilled with a serial number');
      assert.ok(
        h.ns.children(delivery.id, 'itemFulfillment')[0].lines[0].inventoryDetail[0].inventoryNumber,
        'the tracker’s serial',
      );
      assert.ok(
        h.ns.children(parked.id, 'itemFulfillment')[0].lines[0].inventoryDetail[0].inventoryNumber,
        'the balm’s lot',
      );

      // Everything again: the follow-up sync, the same jobs, the flow itself. Still one of each.
      await syncFromXSeries(await h.env());
      for (const e of expectations) {
        const row = await rowFor(e.order.id);
        await enqueueComplete(getStore().db, h.tenantId, row.id, Date.now());
        await completeSync(await h.env(), row.id);
      }
      await h.drain();
      await syncFromNetsuite(await h.env());
      await check();
    } finally {
      await h.close();
    }
  });
});
