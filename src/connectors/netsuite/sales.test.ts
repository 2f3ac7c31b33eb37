/**
 * The NetSuite connector against the NetSuite simulator over loopback: TBA-signed calls, SuiteQL changed-since, a
 * sales order read back with its lines, items and kit members, inventory detail for serial, lot and bin items (the
 * simulator checks it on a real fulfilment), external-id look-ups, and what a refusal looks like.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createNetsuiteSimulator, defaultCredentials } from '../../simulators/netsuite/index.ts';
import { serveApp, type RunningServer } from '../../simulators/shared/server.ts';
import { RemoteAuthLost } from '../shared/errors.ts';
import { createNetsuiteClient, netsuiteErrorCode, netsuiteOrigin, netsuiteRealm } from './client.ts';
import { NetsuiteSales, formatCursor, isDuplicateExternalId } from './sales.ts';

let server: RunningServer;
const sim = createNetsuiteSimulator();

before(async () => {
  sim.seedScenario('small', { salesOrders: 0 });
  server = await serveApp(sim.app, 0);
});
after(() => server.close());

const client = (secret: string = defaultCredentials.tokenSecret) =>
  createNetsuiteClient({
    baseUrl: server.url,
    credentials: { accountId: sim.accountId, ...defaultCredentials, tokenSecret: secret },
  });

const raise = async (body: Record<string, unknown>): Promise<{ id: string; tranId: string }> => {
  const res = await fetch(`${server.url}/_sim/sales-orders`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as { id: string; tranId: string };
};

test('hosts and realms', () => {
  assert.equal(netsuiteOrigin('9876543_SB1'), 'https://9876543-sb1.suitetalk.api.netsuite.com');
  assert.equal(netsuiteRealm('9876543-sb1'), '9876543_SB1');
});

test('a wrong token secret is refused (the signature does not match)', async () => {
  await assert.rejects(client('wrong').suiteql('SELECT id FROM location'), RemoteAuthLost);
});

test('changed since, a sales order with its lines, items by SKU and numbered kits', async () => {
  const ns = new NetsuiteSales(client());
  const since = formatCursor(Date.now() - 60_000);
  const order = await raise({
    customer: '201',
    items: [{ item: 'TL-KIT-EXPLORER' }, { item: 'TL-BALM-BEESWAX', quantity: 2 }],
    location: 'Main Street',
    fulfilment: 'pickup',
    status: 'B',
    customForm: 'cashSale',
  });
  const changed = await ns.changedSalesOrders(since);
  assert.ok(
    changed.some(
      (c) => c.id === order.id && c.tranId === order.tranId && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(c.modified),
    ),
  );
  const read = await ns.salesOrder(order.id);
  // The code from `orderStatus`; `status` is display text in a real record and kept for people (divergences.md F1).
  assert.equal(read?.statusCode, 'B');
  assert.equal(read?.statusName, 'Pending Fulfillment');
  assert.equal(read?.customForm?.name, 'Standard Sales Order - Cash Sale');
  assert.equal(read?.shipMethod?.name, 'Store Pickup');
  assert.deepEqual(
    read?.lines.map((l) => [l.sku, l.quantity, l.storePickup]),
    [
      ['TL-KIT-EXPLORER', 1, true],
      ['TL-BALM-BEESWAX', 2, true],
    ],
  );
  assert.equal(await ns.salesOrder('999999'), undefined);
  assert.deepEqual(await ns.numberedKits(['TL-KIT-EXPLORER', 'TL-BALM-BEESWAX', 'NOR-1000-IND-28']), [
    'TL-KIT-EXPLORER',
  ]);
  const items = await ns.itemsBySku(['TL-WATCH-TIDAL', 'NO-SUCH-SKU']);
  assert.deepEqual([...items.keys()], ['TL-WATCH-TIDAL']);
  assert.equal(items.get('TL-WATCH-TIDAL')?.serial, true);
});

test('inventory detail for serial, lot and bin items is what NetSuite accepts on a fulfilment (Warehouse uses bins)', async () => {
  const ns = new NetsuiteSales(client());
  const order = await raise({
    customer: '202',
    items: [
      { item: 'TL-WATCH-TIDAL' },
      { item: 'TL-TOTE-CANVAS', quantity: 3 },
      { item: 'TL-BALM-BEESWAX', quantity: 4 },
    ],
    location: 'Warehouse',
    fulfilment: 'ship',
    status: 'B',
  });
  const read = await ns.salesOrder(order.id);
  assert.ok(read);
  const warehouse = await ns.locationByName('warehouse');
  assert.equal(warehouse?.bins, true);
  const items = await ns.itemsBySku(read.lines.map((l) => l.sku as string));
  sim.faults.resetRequests();
  await ns.loadInventory([...items.values()], warehouse?.id as string);
  const entries = [];
  for (const line of read.lines) {
    const item = items.get(line.sku as string);
    assert.ok(item);
    const detail = await ns.inventoryDetail(
      item,
      warehouse?.id as string,
      line.quantity,
      line.sku === 'TL-WATCH-TIDAL' ? ['SW-00023'] : [],
    );
    assert.ok(detail, `${line.sku} needs inventory detail at the Warehouse`);
    entries.push({ orderLine: line.line, quantity: line.quantity, inventoryDetail: detail });
  }
  // Inventory numbers and bins come from SuiteQL: one query for the numbers of every numbered item, one for the bin
  // stock of every bin item; never one record read per inventory number (F6).
  const calls = sim.faults.requestLog().map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(calls, ['POST /services/rest/query/v1/suiteql', 'POST /services/rest/query/v1/suiteql']);
  const id = await ns.client.transform('salesOrder', order.id, 'itemFulfillment', {
    externalId: `TL-IF-${order.id}`,
    item: { items: entries },
  });
  const found = await ns.byExternalId('itemFulfillment', `TL-IF-${order.id}`);
  assert.equal(found?.id, id);
  const state = sim.exportState() as {
    transactions: Record<
      string,
      { lines: Array<{ inventoryDetail: Array<{ inventoryNumber: string | null; bin: string | null }> }> }
    >;
    inventoryNumbers: Record<string, { inventoryNumber: string }>;
  };
  const lines = state.transactions[id]?.lines ?? [];
  assert.equal(
    state.inventoryNumbers[lines[0]?.inventoryDetail[0]?.inventoryNumber ?? '']?.inventoryNumber,
    'SW-00023',
    'the preferred serial',
  );
  assert.ok(lines[0]?.inventoryDetail[0]?.bin, 'the watch came out of its bin');
  assert.ok(lines[1]?.inventoryDetail[0]?.bin, 'the tote came out of a bin');
  assert.ok(lines[2]?.inventoryDetail[0]?.inventoryNumber, 'the balm’s lot');
  assert.deepEqual(
    (await ns.children(order.id)).map((c) => c.type),
    ['ItemShip'],
  );

  // The external id is a correlation key NetSuite enforces: a second fulfilment with it is refused as a duplicate.
  const again = await raise({
    customer: '202',
    items: [{ item: 'NOR-1000-IND-28' }],
    location: 'Main Street',
    status: 'B',
  });
  const refusal = await ns.client
    .transform('salesOrder', again.id, 'itemFulfillment', { externalId: `TL-IF-${order.id}` })
    .catch((e: unknown) => e);
  assert.equal(netsuiteErrorCode(refusal), 'DUP_RCRD');
  assert.equal(isDuplicateExternalId(refusal), true);
});
