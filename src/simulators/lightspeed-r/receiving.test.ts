/**
 * Purchase orders after the export (issues 14 and 15): receipts (OrderShipment, read-only) from check-ins, the
 * documented receiving way (numReceived through the API, check-in in the POS), stock and average cost, what a
 * Finished or checked-in order refuses, the item merge as Lightspeed does it, and POs made in the back office.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { serveApp, type RunningServer } from '../shared/server.ts';
import { createLightspeedRSimulator, type LightspeedRSimulator } from './index.ts';

type Json = Record<string, any>;

let sim: LightspeedRSimulator;
let server: RunningServer;
let token: string;

async function control(path: string, body?: unknown, method = 'POST'): Promise<Json> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as Json;
}

async function api(
  path: string,
  method = 'GET',
  body?: unknown,
  as = token,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${server.url}/API/V3/Account/83050/${path}`, {
    method,
    headers: { authorization: `Bearer ${as}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

const list = <T>(x: T | T[] | undefined | ''): T[] => (x === undefined || x === '' ? [] : Array.isArray(x) ? x : [x]);

/** Two live items that carry a UPC. */
async function twoItemsWithUpc(): Promise<Json[]> {
  const items = list((await api('Item.json?limit=100')).body['Item']).filter((i: Json) => /^\d{12}$/.test(i['upc']));
  assert.ok(items.length >= 2);
  return items.slice(0, 2);
}

async function form(path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
}

/** Two live items with a UPC, and a PO for them at shop 1: 6 and 4 units at 10.00 and 5.00. */
async function purchaseOrder(): Promise<{ orderID: string; lines: Json[]; items: Json[] }> {
  const items = await twoItemsWithUpc();
  const vendor = list((await api('Vendor.json?limit=1')).body['Vendor'])[0];
  const order = (await api('Order.json', 'POST', { vendorID: vendor['vendorID'], shopID: 1, refNum: 'PO-RCV' })).body[
    'Order'
  ];
  const lines = [];
  for (const [i, item] of items.entries())
    lines.push(
      (
        await api('OrderLine.json', 'POST', {
          orderID: order['orderID'],
          itemID: item['itemID'],
          quantity: i === 0 ? 6 : 4,
          price: i === 0 ? 10 : 5,
        })
      ).body['OrderLine'],
    );
  return { orderID: order['orderID'], lines, items };
}

const qoh = async (itemID: string, shopID = '1'): Promise<number> => {
  const rows = list((await api(`ItemShop.json?itemID=${itemID}`)).body['ItemShop']);
  return Number(rows.find((r) => r['shopID'] === shopID)?.['qoh'] ?? 0);
};
const averageCost = async (itemID: string): Promise<number> => {
  const rows = list((await api(`ItemShop.json?itemID=${itemID}`)).body['ItemShop']);
  return Number(rows.find((r) => r['shopID'] === '0')?.['averageCost']);
};

before(async () => {
  sim = createLightspeedRSimulator({ burstLimiter: false });
  server = await serveApp(sim.app, 0);
});
after(() => server.close());
beforeEach(async () => {
  await control('/_sim/reset');
  await control('/_sim/config', { bucketSize: 1_000_000, dripRate: 1000, resetBuckets: true }, 'PUT');
  await control('/_sim/seed', { scenario: 'small', options: {} });
  token = (await control('/_sim/tokens', {})).access_token as string;
});

describe('receiving and receipts (§3.3)', () => {
  test('numReceived through the API, check-in in the POS: stock, average cost and one read-only receipt per check-in', async () => {
    const { orderID, lines, items } = await purchaseOrder();
    const [a, b] = items as [Json, Json];
    const [la, lb] = lines as [Json, Json];
    const before = { a: await qoh(a['itemID']), b: await qoh(b['itemID']), costA: await averageCost(a['itemID']) };
    assert.equal((await api(`OrderLine/${la['orderLineID']}.json`, 'PUT', { numReceived: 4 })).status, 200);
    assert.equal(await qoh(a['itemID']), before.a, 'marking received adds no stock (§3.3)');

    const first = await control(`/_sim/orders/${orderID}/check-in`, { packingRefNum: 'UPS 1Z999AA10123456784' });
    assert.equal(first['ok'], true, JSON.stringify(first));
    assert.equal(await qoh(a['itemID']), before.a + 4, 'numReceived is what the first check-in takes for line a');
    assert.equal(await qoh(b['itemID']), before.b + 4, 'what is left for line b');
    const onHand = before.a;
    const expected = Math.round(((onHand * before.costA + 4 * 10) / (onHand + 4)) * 100) / 100;
    assert.equal(await averageCost(a['itemID']), expected);

    const receipts = await api(`Order/${orderID}/Shipment.json`);
    assert.equal(receipts.status, 200);
    const [r1] = list(receipts.body['OrderShipment']);
    assert.equal(r1?.['sequenceNumber'], '1');
    assert.equal(r1?.['totalQtyReceived'], '8');
    assert.equal(r1?.['totalCost'], '60');
    assert.equal(r1?.['shipmentPackingRefNum'], 'UPS 1Z999AA10123456784');
    assert.equal(r1?.['status'], 'received');
    const rows = list(
      (await api(`Order/${orderID}/Shipment/${r1?.['orderShipmentID']}/Item.json`)).body['OrderShipmentItem'],
    );
    assert.deepEqual(
      rows.map((i) => [i['itemID'], i['qtyReceived']]).sort(),
      [
        [a['itemID'], '4'],
        [b['itemID'], '4'],
      ].sort(),
    );
    assert.equal((await api(`Order/${orderID}.json`)).body['Order']['hasShipments'], 'true');

    await control(`/_sim/orders/${orderID}/check-in`, {
      lines: [{ orderLineID: Number(la['orderLineID']), quantity: 2 }],
      finish: true,
    });
    const all = list(
      (await api(`Order/${orderID}/Shipment.json?load_relations=["OrderShipmentItems"]`)).body['OrderShipment'],
    );
    assert.deepEqual(
      all.map((r) => [r['sequenceNumber'], r['totalQtyReceived'], r['status']]),
      [
        ['1', '8', 'finished'],
        ['2', '2', 'finished'],
      ],
    );
    assert.equal(all[1]?.['OrderShipmentItems']['OrderShipmentItem']['qtyReceived'], '2');
    assert.equal(list((await api('Shipment.json')).body['OrderShipment']).length >= 2, true);
    const lineB = (await api(`OrderLine/${lb['orderLineID']}.json`)).body['OrderLine'];
    assert.equal(lineB['checkedIn'], '4');
  });

  test('receipts are read-only and need the purchase-order scope', async () => {
    const { orderID } = await purchaseOrder();
    await control(`/_sim/orders/${orderID}/check-in`, {});
    const post = await api(`Order/${orderID}/Shipment.json`, 'POST', {});
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET');
    assert.equal((await api('Shipment.json', 'DELETE')).status, 405);
    const inventoryOnly = (await control('/_sim/tokens', { scope: 'employee:inventory' })).access_token as string;
    assert.equal((await api(`Order/${orderID}/Shipment.json`, 'GET', undefined, inventoryOnly)).status, 403);
    assert.equal((await api('Shipment.json', 'GET', undefined, inventoryOnly)).status, 403);
    assert.equal((await api(`Order/999999/Shipment.json`)).status, 404);
  });

  test('a Finished order refuses line changes until set back to Ordered; checked-in units cannot be taken off', async () => {
    const { orderID, lines } = await purchaseOrder();
    const [la] = lines as [Json];
    await control(`/_sim/orders/${orderID}/check-in`, {
      lines: [{ orderLineID: Number(la['orderLineID']), quantity: 3 }],
    });
    const below = await api(`OrderLine/${la['orderLineID']}.json`, 'PUT', { quantity: 2 });
    assert.equal(below.status, 400);
    assert.match(below.body['message'], /already checked in/);
    assert.equal((await api(`OrderLine/${la['orderLineID']}.json`, 'DELETE')).status, 400);
    assert.equal((await api(`OrderLine/${la['orderLineID']}.json`, 'PUT', { quantity: 3 })).status, 200);

    assert.equal((await api(`Order/${orderID}.json`, 'PUT', { complete: true })).status, 200);
    const finished = await api(`OrderLine/${la['orderLineID']}.json`, 'PUT', { numReceived: 1 });
    assert.equal(finished.status, 400);
    assert.match(finished.body['message'], /finished/);
    const item = list((await api('Item.json?limit=1')).body['Item'])[0];
    assert.equal((await api('OrderLine.json', 'POST', { orderID, itemID: item['itemID'], quantity: 1 })).status, 400);
    assert.equal((await control(`/_sim/orders/${orderID}/check-in`, {}))['error'] !== undefined, true);

    assert.equal((await api(`Order/${orderID}.json`, 'PUT', { complete: false })).status, 200);
    assert.equal((await api(`OrderLine/${la['orderLineID']}.json`, 'PUT', { quantity: 5 })).status, 200);
    assert.equal((await api(`Order/${orderID}.json`, 'DELETE')).body['Order']['archived'], 'true');
    assert.equal((await api(`OrderLine/${la['orderLineID']}.json`, 'PUT', { quantity: 4 })).status, 400);
  });
});

describe('merging items (§8: the existing item into the new one, overwriting its details)', () => {
  test('the kept item keeps its id and takes the merged item’s details; the merged item is gone (404)', async () => {
    const items = await twoItemsWithUpc();
    const [kept, merged] = items as [Json, Json];
    await api(`Item/${merged['itemID']}.json`, 'PUT', {
      customSku: 'MERCHANT-SKU-1',
      upc: '',
      description: 'Merchant name',
    });
    const stock = { kept: await qoh(kept['itemID']), merged: await qoh(merged['itemID']) };
    const res = await control('/_sim/merge-items', {
      keepItemID: Number(kept['itemID']),
      mergeItemID: Number(merged['itemID']),
    });
    assert.equal(res['ok'], true, JSON.stringify(res));
    const after = (await api(`Item/${kept['itemID']}.json`)).body['Item'];
    assert.equal(after['itemID'], kept['itemID']);
    assert.equal(after['customSku'], 'MERCHANT-SKU-1');
    assert.equal(after['description'], 'Merchant name');
    assert.equal(after['upc'], kept['upc'], 'a blank UPC on the merged item leaves the kept one');
    assert.equal((await api(`Item/${merged['itemID']}.json`)).status, 404);
    assert.equal(list((await api(`Item.json?itemID=${merged['itemID']}&archived=true`)).body['Item']).length, 0);
    assert.equal(await qoh(kept['itemID']), stock.kept + stock.merged);
    const page = await (await fetch(`${server.url}/backoffice/merge`)).text();
    assert.match(page, /permanent/);
  });
});

describe('purchase orders made in the back office', () => {
  test('a merchant creates a PO for a vendor by item code, marks it ordered, checks in some with a packing slip', async () => {
    const items = await twoItemsWithUpc();
    const [a, b] = items as [Json, Json];
    const vendor = list((await api('Vendor.json?limit=1')).body['Vendor'])[0];
    const res = await form('/backoffice/orders', {
      vendorID: vendor['vendorID'],
      shopID: '1',
      refNum: 'MERCHANT-77',
      note: 'Reorder for spring',
      lines: `${a['upc']}, 3\n${b['itemID']}, 2, 8.5`,
      then: 'ordered',
    });
    assert.equal(res.status, 303, await res.text());
    const order = list(
      (await api('Order.json?refNum=MERCHANT-77&load_relations=["OrderLines","Note"]')).body['Order'],
    )[0];
    assert.ok(order['orderedDate'], 'marked ordered');
    assert.equal(order['Note']['note'], 'Reorder for spring');
    const lines = list(order['OrderLines']['OrderLine']);
    assert.deepEqual(
      lines.map((l) => [l['itemID'], l['quantity']]),
      [
        [a['itemID'], '3'],
        [b['itemID'], '2'],
      ],
    );
    assert.equal(lines[1]?.['price'], '8.5');
    await api(`Order/${order['orderID']}.json`, 'PUT', { shipInstructions: 'FedEx 123456789012, 2 cartons' });
    const checkIn = await form(`/backoffice/orders/${order['orderID']}/check-in`, {
      [`r:${lines[0]?.['orderLineID']}`]: '1',
      [`r:${lines[1]?.['orderLineID']}`]: '0',
      packingRefNum: 'PS-1',
    });
    assert.equal(checkIn.status, 303);
    const receipt = list((await api(`Order/${order['orderID']}/Shipment.json`)).body['OrderShipment'])[0];
    assert.equal(receipt?.['totalQtyReceived'], '1');
    assert.equal(receipt?.['shipmentPackingRefNum'], 'PS-1');
    const page = await (await fetch(`${server.url}/backoffice/orders`)).text();
    assert.match(page, /FedEx 123456789012, 2 cartons/);
    assert.match(page, /PS-1/);
    const bad = await form('/backoffice/orders', {
      vendorID: vendor['vendorID'],
      shopID: '1',
      lines: 'NO-SUCH-CODE, 1',
    });
    assert.equal(bad.status, 400);
  });
});
