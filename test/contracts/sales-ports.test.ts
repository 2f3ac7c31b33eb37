/**
 * Contract suite of the sales ports (core/ports/erp-sales-orders.ts, core/ports/pos-sales.ts), looped over every
 * connector that implements them (support/sales-ports.ts). What the sales sync relies on when a reply is lost:
 * the write committed but the call threw RemoteUnavailable (its outcome unknown); the record is found by its
 * correlation key; writing again with the same key makes nothing new (a create resolves with the record the key
 * names, a fulfilment or bill is refused or resolves with it), and the remote holds exactly one.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { RemoteRejected, RemoteUnavailable } from '../../src/connectors/shared/errors.ts';
import type { ErpRecordType } from '../../src/core/ports/erp-sales-orders.ts';
import { billExternalId, fulfilmentExternalId, posSaleExternalId, saleIdFor } from '../../src/core/sales/keys.ts';
import { formOfStatus } from '../../src/core/sales/status.ts';
import {
  erpConnectors,
  posSalesConnectors,
  type ErpUnderTest,
  type LostReply,
  type PosSalesUnderTest,
} from './support/sales-ports.ts';

const lostReplies: LostReply[] = ['ghost_write', 'ghost_drop'];

/** The write once, then again: its id, or the refusal that proves nothing was made. */
async function attempt(write: () => Promise<string>): Promise<{ id: string } | { error: unknown }> {
  return write().then(
    (id) => ({ id }),
    (error: unknown) => ({ error }),
  );
}

interface ErpWrite {
  type: ErpRecordType;
  what: string;
  /** Sets up what the write needs; returns its correlation key and the write itself (the same request each time). */
  prepare(erp: ErpUnderTest): Promise<{ key: string; write: () => Promise<string>; create: boolean }>;
}

const saleRecord = (erp: ErpUnderTest, externalId: string) => ({
  externalId,
  customerId: erp.customerId,
  locationId: erp.locationId,
  date: '2026-11-02',
  memo: 'Contract suite',
  otherRefNum: null,
  posSaleId: randomUUID(),
  lines: [{ itemId: erp.itemId, quantity: 1, rate: 10, preferredNumbers: [] }],
});

const erpWrites: ErpWrite[] = [
  {
    type: 'salesOrder',
    what: 'create a sales order',
    async prepare(erp) {
      const record = {
        ...saleRecord(erp, posSaleExternalId(randomUUID())),
        billing: 'cashSale' as const,
        shipMethod: null,
        storePickup: false,
      };
      return { key: record.externalId, write: () => erp.port.createSalesOrder(record), create: true };
    },
  },
  {
    type: 'cashSale',
    what: 'create a cash sale',
    async prepare(erp) {
      const record = saleRecord(erp, posSaleExternalId(randomUUID()));
      return { key: record.externalId, write: () => erp.port.createCashSale(record), create: true };
    },
  },
  {
    type: 'itemFulfillment',
    what: 'fulfil a sales order',
    async prepare(erp) {
      const order = await erp.port.salesOrder(await erp.raiseOrder());
      assert.ok(order);
      const key = fulfilmentExternalId(order.id);
      const request = { externalId: key, memo: 'Contract suite', preferredNumbers: [] };
      return { key, write: () => erp.port.fulfil(order, request), create: false };
    },
  },
  {
    type: 'invoice',
    what: 'bill a sales order',
    async prepare(erp) {
      const order = await erp.port.salesOrder(await erp.raiseOrder());
      assert.ok(order);
      await erp.port.fulfil(order, {
        externalId: fulfilmentExternalId(order.id),
        memo: 'Contract',
        preferredNumbers: [],
      });
      const key = billExternalId(order.id);
      const write = () => erp.port.bill(order.id, 'invoice', { externalId: key, memo: 'Contract suite' });
      return { key, write, create: false };
    },
  },
];

for (const connector of erpConnectors) {
  describe(`ErpSalesOrders contract: ${connector.system}`, () => {
    let erp: ErpUnderTest;
    before(async () => {
      erp = await connector.start();
    });
    after(() => erp.close());

    for (const w of erpWrites) {
      for (const kind of lostReplies) {
        test(`${w.what}, ${kind}: unknown → found by its key → writing again makes no second`, async () => {
          const { key, write, create } = await w.prepare(erp);
          await erp.loseReply(w.type, kind);
          const first = await attempt(write);
          assert.ok('error' in first && first.error instanceof RemoteUnavailable, `unknown outcome: ${String(first)}`);
          const found = await erp.port.findByExternalId(w.type, key);
          assert.ok(found, 'the record the lost reply made is found by its key');
          assert.equal(erp.count(w.type, key), 1);

          const again = await attempt(write);
          if ('id' in again) assert.equal(again.id, found.id, 'the write resolves with the record its key names');
          else {
            assert.equal(create, false, `a create resolves with the record its key names: ${String(again.error)}`);
            assert.ok(again.error instanceof RemoteRejected, String(again.error));
          }
          assert.equal(erp.count(w.type, key), 1, 'still one record with the key');
        });
      }
    }

    test('what was made from a sales order reads back as a fulfilment and a bill', async () => {
      const order = await erp.port.salesOrder(await erp.raiseOrder());
      assert.ok(order);
      assert.deepEqual(await erp.port.recordsMadeFrom(order.id), []);
      await erp.port.fulfil(order, { externalId: fulfilmentExternalId(order.id), memo: 'c', preferredNumbers: [] });
      await erp.port.bill(order.id, 'invoice', { externalId: billExternalId(order.id), memo: 'c' });
      const made = await erp.port.recordsMadeFrom(order.id);
      assert.deepEqual(
        made.map((r) => [r.type, r.externalId]),
        [
          ['itemFulfillment', fulfilmentExternalId(order.id)],
          ['invoice', billExternalId(order.id)],
        ],
      );
      assert.equal(await erp.port.findByExternalId('invoice', `TL-BILL-none-${randomUUID()}`), undefined);
    });
  });
}

for (const connector of posSalesConnectors) {
  describe(`PosSales contract: ${connector.system}`, () => {
    let pos: PosSalesUnderTest;
    before(async () => {
      pos = await connector.start();
    });
    after(() => pos.close());

    const newSale = async (id: string) => {
      const store = await pos.port.storeSetup();
      const register = store.registers[0];
      const tax = store.taxes.find((t) => t.rate === 0) ?? store.taxes[0];
      const [product] = [...(await pos.port.productsBySku(['NOR-1001-BLK-L'])).values()];
      assert.ok(register && tax && product && store.users[0], 'the seeded store has what a sale needs');
      const form = formOfStatus('AWAITING_DISPATCH');
      return {
        id,
        authorId: store.users[0].id,
        registerId: register.id,
        sourceId: 'NS-SO-CONTRACT',
        sourceType: 'TRADELOOP_NETSUITE',
        date: '2026-11-02T12:00:00Z',
        state: form.state,
        attributes: form.attributes,
        lines: [{ productId: product.id, quantity: 1, price: 25, taxId: tax.id, taxAmount: 0 }],
        fulfillment: { type: 'DISPATCH' as const },
      };
    };

    for (const kind of lostReplies) {
      test(`create a sale, ${kind}: unknown → found by its id → creating again makes no second`, async () => {
        const sale = await newSale(saleIdFor(`contract:${randomUUID()}`));
        assert.equal(await pos.port.getSale(sale.id), undefined, 'nothing has the id before');
        await pos.loseReply(kind);
        const first = await pos.port.createSale(sale).catch((e: unknown) => e);
        assert.ok(first instanceof RemoteUnavailable, String(first));
        const found = await pos.port.getSale(sale.id);
        assert.equal(found?.id, sale.id, 'the sale the lost reply made is found by its id');
        assert.equal(found.status, 'AWAITING_DISPATCH');
        assert.deepEqual(
          found.lines.map((l) => [l.quantity, l.voided]),
          [[1, false]],
        );
        const again = await pos.port.createSale(sale);
        assert.equal(again.id, sale.id, 'the create resolves with the sale its id names');
        assert.equal(pos.count(sale.id), 1, 'still one sale with the id');
      });
    }
  });
}
