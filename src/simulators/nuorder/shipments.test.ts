import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { serveApp, type RunningServer } from '../shared/server.ts';
import { createNuorderSimulator, demoCredentials, type Simulator } from './index.ts';
import { signedFetch, type Credentials } from './test-client.ts';

type Json = Record<string, any>;

const demo: Credentials = {
  consumerKey: demoCredentials.consumerKey,
  consumerSecret: demoCredentials.consumerSecret,
  token: demoCredentials.token,
  tokenSecret: demoCredentials.tokenSecret,
};

let sim: Simulator;
let server: RunningServer;

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

async function api(path: string): Promise<{ status: number; json: any }> {
  const res = await signedFetch('GET', `${server.url}${path}`, demo);
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** An approved order of the demo store with at least two sizes, and its first line's first two sizes. */
async function approvedOrder(): Promise<{ order: Json; line: Json }> {
  const orders = (await api('/api/orders/approved/detail')).json as Json[];
  for (const order of orders) {
    const line = (order['line_items'] as Json[]).find((l) => l['sizes'].length >= 2);
    if (line) return { order, line };
  }
  throw new Error('no approved order with two sizes on a line');
}

const units = (order: Json): number =>
  (order['line_items'] as Json[]).reduce(
    (n, l) => n + l['sizes'].reduce((m: number, s: Json) => m + s['quantity'], 0),
    0,
  );
const shippedUnits = (order: Json): number =>
  (order['shipments'] as Json[]).reduce((n, s) => n + units({ line_items: s['line_items'] }), 0);

before(async () => {
  sim = createNuorderSimulator();
  server = await serveApp(sim.app, 0);
});
after(() => server.close());
beforeEach(async () => {
  await control('POST', '/_sim/reset');
  await control('POST', '/_sim/seed', { scenario: 'demo' });
});

describe('shipments on the order (reference §5; partial shipments and statuses are [I])', () => {
  it('two shipments: the first moves the order to processed, the second (the rest) to shipped; reads show both in order', async () => {
    const { order, line } = await approvedOrder();
    const [s1] = line['sizes'] as Json[];
    await control('POST', '/_sim/clock', { advanceSeconds: 60 });
    const first = await control('POST', `/_sim/orders/${order['_id']}/shipments`, {
      carrier: 'UPS',
      trackingNumbers: ['1Z999AA10123456784'],
      shippedOn: '2026-11-20T15:00:00.000Z',
      lines: [{ lineId: line['id'], sizes: [{ size: s1?.['size'], quantity: 1 }] }],
    });
    assert.equal(first.status, 201, JSON.stringify(first.json));
    assert.equal(first.json['order'].status, 'processed');
    assert.equal(first.json['shipment'].shipped_on, '2026-11-20T15:00:00.000Z');
    assert.deepEqual(
      first.json['shipment'].line_items.map((l: Json) => [
        l['id'],
        l['sizes'].map((s: Json) => [s['size'], s['quantity']]),
      ]),
      [[line['id'], [[s1?.['size'], 1]]]],
    );
    assert.notEqual(first.json['order'].modified_on, order['modified_on']);

    // The cheap refresh: ids by status, and the processed listing carries the shipment.
    assert.ok(!(await api('/api/orders/approved/list')).json.includes(order['_id']));
    const processed = ((await api('/api/orders/processed/detail')).json as Json[]).find(
      (o) => o['_id'] === order['_id'],
    );
    assert.equal(processed?.['shipments'].length, 1);
    assert.equal(processed?.['__shipment_status'].length, 1);
    assert.deepEqual(processed?.['shipping_information'], {});

    const rest = await control('POST', `/_sim/orders/${order['_id']}/shipments`, {
      carrier: 'FedEx',
      trackingNumbers: ['123456789012', ' '],
    });
    assert.equal(rest.status, 201, JSON.stringify(rest.json));
    assert.equal(rest.json['order'].status, 'shipped');
    assert.deepEqual(rest.json['shipment'].tracking_numbers, ['123456789012']);
    assert.ok((await api('/api/orders/shipped/list')).json.includes(order['_id']));

    const read = (await api(`/api/order/${order['_id']}`)).json as Json;
    assert.deepEqual(
      read['shipments'].map((s: Json) => s['carrier']),
      ['UPS', 'FedEx'],
    );
    assert.equal(shippedUnits(read), units(read));
    const firstRest = (read['shipments'][1]['line_items'] as Json[]).find((l) => l['id'] === line['id']);
    assert.deepEqual(
      firstRest?.['sizes'].map((s: Json) => [s['size'], s['quantity']]),
      (line['sizes'] as Json[])
        .map((s) => [s['size'], s['size'] === s1?.['size'] ? s['quantity'] - 1 : s['quantity']])
        .filter(([, q]) => q > 0),
    );
    assert.deepEqual((await api(`/api/order/${order['_id']}/shipments`)).json, read['shipments']);
  });

  it('refuses more units than are left, an unknown size or line, and orders not approved; nothing is recorded', async () => {
    const { order, line } = await approvedOrder();
    const size = line['sizes'][0] as Json;
    const over = await control('POST', `/_sim/orders/${order['_id']}/shipments`, {
      carrier: 'UPS',
      trackingNumbers: ['1Z1'],
      lines: [{ lineId: line['id'], sizes: [{ size: size['size'], quantity: size['quantity'] + 1 }] }],
    });
    assert.equal(over.status, 400);
    assert.match(over.json['error'], /left to ship/);
    const badSize = await control('POST', `/_sim/orders/${order['_id']}/shipments`, {
      lines: [{ lineId: line['id'], size: 'XXXL', quantity: 1 }],
    });
    assert.equal(badSize.status, 400);
    const badLine = await control('POST', `/_sim/orders/${order['_id']}/shipments`, { lines: [{ lineId: 'nope' }] });
    assert.equal(badLine.status, 400);
    const read = (await api(`/api/order/${order['_id']}`)).json as Json;
    assert.equal(read['status'], 'approved');
    assert.deepEqual(read['shipments'], []);
    const pending = ((await api('/api/orders/pending/detail')).json as Json[])[0] as Json;
    const refused = await control('POST', `/_sim/orders/${pending['_id']}/shipments`, { carrier: 'UPS' });
    assert.equal(refused.status, 400);
  });

  it('a final short shipment makes the order shipped with units never shipped; a blank carrier is kept blank', async () => {
    const { order, line } = await approvedOrder();
    const ship = await control('POST', `/_sim/orders/${order['_id']}/shipments`, {
      trackingNumbers: ['9400111899223197428490'],
      final: true,
      lines: [{ productId: line['product']['_id'], size: line['sizes'][0]['size'], quantity: 1 }],
    });
    assert.equal(ship.status, 201, JSON.stringify(ship.json));
    assert.equal(ship.json['order'].status, 'shipped');
    assert.equal(ship.json['shipment'].carrier, '');
    assert.ok(shippedUnits(ship.json['order']) < units(ship.json['order']));
  });

  it('shipmentsRoute false: the invented route is gone (404) and the order still carries its shipments', async () => {
    const shipped = ((await api('/api/orders/shipped/detail')).json as Json[])[0] as Json;
    assert.equal((await control('PUT', '/_sim/config', { shipmentsRoute: false })).status, 200);
    const gone = await api(`/api/order/${shipped['_id']}/shipments`);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.json, { code: 404, message: 'Not Found' });
    assert.equal((await api(`/api/order/${shipped['_id']}`)).json['shipments'].length, 1);
  });

  it('the back office ships part of an order from its form and lists the shipment', async () => {
    const { order, line } = await approvedOrder();
    const size = line['sizes'][0] as Json;
    const form = new URLSearchParams({
      carrier: 'DHL',
      tracking: '1234567890',
      shipped_on: '2026-11-21',
      [`s:${line['id']}:${size['size']}`]: '1',
    });
    const res = await fetch(`${server.url}/backoffice/orders/${order['_id']}/ship`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    assert.equal(res.status, 303);
    const read = (await api(`/api/order/${order['_id']}`)).json as Json;
    assert.equal(read['status'], 'processed');
    assert.equal(read['shipments'][0]['carrier'], 'DHL');
    assert.equal(read['shipments'][0]['shipped_on'], '2026-11-21T12:00:00.000Z');
    const page = await (await fetch(`${server.url}/backoffice/orders/${order['_id']}`)).text();
    assert.match(page, /1234567890/);
    assert.match(page, /left to ship/);
  });
});
