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
let state: Json;

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

async function api(method: string, path: string, body?: unknown, creds = demo): Promise<{ status: number; json: any }> {
  const res = await signedFetch(method, `${server.url}${path}`, creds, body === undefined ? {} : { body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const lakeside = (): Json => state['retailers'].find((r: Json) => r.code === 'LAKESIDE');
const productsOf = (brandIndex: number): Json[] =>
  state['products'].filter((p: Json) => p.brand === state['brands'][brandIndex]._id).map((p: Json) => p.json);

/** A reorder as a retailer-side client would send it: two sizes of one product and one of another. */
function reorder(extra: Json = {}): Json {
  const [a, b] = productsOf(0);
  return {
    retailer: { _id: lakeside()['_id'] },
    customer_po_number: 'POS-PO-1042',
    notes: 'Reorder from the POS',
    line_items: [
      {
        product: { _id: a?._id },
        sizes: [
          { size: a?.sizes[0].size, quantity: 4 },
          { size: a?.sizes[1].size, quantity: 2 },
        ],
      },
      { product: { brand_id: b?.brand_id }, sizes: [{ size: b?.sizes[0].size, quantity: 1, price: 9.5 }] },
    ],
    ...extra,
  };
}

before(async () => {
  sim = createNuorderSimulator();
  server = await serveApp(sim.app, 0);
});
after(() => server.close());
beforeEach(async () => {
  await control('POST', '/_sim/reset');
  await control('POST', '/_sim/seed', { scenario: 'demo' });
  state = (await control('GET', '/_sim/state')).json;
});

describe('PUT /api/order/new (reference §3.1: [I])', () => {
  it('creates a pending order with lines by product and size, prices from the catalog unless given', async () => {
    const created = await api('PUT', '/api/order/new', reorder());
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const order = created.json as Json;
    assert.equal(order['status'], 'pending');
    assert.equal(order['submitted_by'], 'api');
    assert.equal(order['customer_po_number'], 'POS-PO-1042');
    assert.equal(order['retailer']._id, lakeside()['_id']);
    assert.equal(order['total_quantity'], 7);
    const [a, b] = productsOf(0);
    const lineA = (order['line_items'] as Json[]).find((l) => l['product']._id === a?._id);
    assert.equal(lineA?.['sizes'][0].price, a?.pricing.USD.wholesale);
    const lineB = (order['line_items'] as Json[]).find((l) => l['product']._id === b?._id);
    assert.equal(lineB?.['sizes'][0].price, 9.5);
    const pending = (await api('GET', '/api/orders/pending/list')).json as string[];
    assert.ok(pending.includes(order['_id']));
    const page = await (await fetch(`${server.url}/backoffice/orders/${order['_id']}`)).text();
    assert.match(page, /sent through the API/);
  });

  it('a review order: the brand suggests changes (→ pending, edited), then approves; it is listed as approved', async () => {
    const created = (await api('PUT', '/api/order/new', reorder({ status: 'review' }))).json as Json;
    assert.equal(created['status'], 'review');
    assert.equal(created['buyer_submitted'], true);
    const a = productsOf(0)[0] as Json;
    const suggested = await control('POST', `/_sim/orders/${created['_id']}/status`, {
      action: 'suggest_changes',
      lines: [{ productId: a['_id'], size: a['sizes'][0].size, quantity: 6 }],
    });
    assert.equal(suggested.status, 200, JSON.stringify(suggested.json));
    assert.equal(suggested.json['order'].status, 'pending');
    assert.equal(suggested.json['order'].edited, true);
    assert.equal(suggested.json['order'].total_quantity, 9);
    // Pending orders can take suggestions too, and stay pending.
    const again = await control('POST', `/_sim/orders/${created['_id']}/status`, { action: 'suggest_changes' });
    assert.equal(again.json['order'].status, 'pending');
    const approved = await control('POST', `/_sim/orders/${created['_id']}/status`, { action: 'approve' });
    assert.equal(approved.json['order'].status, 'approved');
    assert.ok(((await api('GET', '/api/orders/approved/list')).json as string[]).includes(created['_id']));
    const late = await control('POST', `/_sim/orders/${created['_id']}/status`, { action: 'suggest_changes' });
    assert.equal(late.status, 400);
  });

  it('a chosen order_number is taken once: the retry is 409 and no second order exists', async () => {
    const first = await api('PUT', '/api/order/new', reorder({ order_number: 'TL-7001' }));
    assert.equal(first.status, 201);
    const retry = await api('PUT', '/api/order/new', reorder({ order_number: 'TL-7001' }));
    assert.equal(retry.status, 409);
    assert.equal(retry.json['code'], 409);
    const found = await api('GET', '/api/order/number/TL-7001');
    assert.equal(found.json['_id'], first.json['_id']);
    const all = (await control('GET', '/_sim/state')).json['orders'] as Json[];
    assert.equal(all.filter((o) => o['order_number'] === 'TL-7001').length, 1);
  });

  it('refuses products of another brand portal, mixed brands, a missing retailer, an unknown size and bad JSON', async () => {
    const brand1 = state['brands'][1] as Json;
    const scoped: Credentials = {
      ...demo,
      token: `tl-demo-token-${brand1.code.toLowerCase()}`,
      tokenSecret: `tl-demo-token-${brand1.code.toLowerCase()}-secret`,
    };
    const before = ((await control('GET', '/_sim/state')).json['orders'] as Json[]).length;
    assert.equal((await api('PUT', '/api/order/new', reorder(), scoped)).status, 404);
    const other = productsOf(1)[0] as Json;
    const mixed = reorder();
    mixed['line_items'].push({
      product: { _id: other['_id'] },
      sizes: [{ size: other['sizes'][0].size, quantity: 1 }],
    });
    assert.equal((await api('PUT', '/api/order/new', mixed)).status, 400);
    assert.equal((await api('PUT', '/api/order/new', reorder({ retailer: undefined }))).status, 400);
    const badSize = reorder();
    badSize['line_items'][0].sizes[0].size = 'NO-SUCH-SIZE';
    assert.equal((await api('PUT', '/api/order/new', badSize)).status, 400);
    const res = await fetch(`${server.url}/api/order/new`, { method: 'PUT', body: '{' });
    assert.equal(res.status, 401, 'unsigned requests are refused first');
    const after = ((await control('GET', '/_sim/state')).json['orders'] as Json[]).length;
    assert.equal(after, before);
  });
});
