import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
// Tests may start the simulator; connector code never imports it.
import { createNuorderSimulator } from '../../simulators/nuorder/index.ts';
import { serveApp, type RunningServer } from '../../simulators/shared/server.ts';
import type { SourceOrderItem } from '../../core/ports/wholesale-source.ts';
import type { WholesaleOrder } from '../../core/wholesale-order.ts';
import { RemoteAuthLost } from '../shared/errors.ts';
import { memoryLogger, startTestServer, json } from '../shared/test-server.ts';
import { accessToken, authorizeUrl, createNuorderClient, requestToken, type NuorderCredentials } from './client.ts';
import { createNuorderSource } from './source.ts';

let server: RunningServer;
let consumer: { consumerKey: string; consumerSecret: string };
const brand = { sourceId: 'northwind', name: 'Northwind Outfitters' };
const fast = { attempts: 3, baseMs: 5, capMs: 20 };

async function sim<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(server.url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The full three-legged handshake over HTTP: initiate → a person approves → token. */
async function link(scheme: 'rfc5849' | 'nuorder-legacy' = 'rfc5849'): Promise<NuorderCredentials> {
  const rt = await requestToken({ baseUrl: server.url, scheme, ...consumer, applicationName: 'Tradeloop test' });
  assert.equal(rt.callbackConfirmed, true);
  const approved = await sim<{ oauth_verifier: string }>('POST', '/_sim/oauth/approve', { oauth_token: rt.token });
  return accessToken({
    baseUrl: server.url,
    scheme,
    ...consumer,
    requestToken: rt.token,
    requestTokenSecret: rt.tokenSecret,
    verifier: approved.oauth_verifier,
  });
}

async function all(items: AsyncIterable<SourceOrderItem>): Promise<SourceOrderItem[]> {
  const out: SourceOrderItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const orders = (items: SourceOrderItem[]): WholesaleOrder[] =>
  items.flatMap((i) => (i.kind === 'order' ? [i.order] : []));

let creds: NuorderCredentials;

before(async () => {
  server = await serveApp(createNuorderSimulator().app, 0);
  await sim('POST', '/_sim/seed', { scenario: 'demo' });
  const c = await sim<{ consumer_key: string; consumer_secret: string }>('POST', '/_sim/consumers', {
    name: 'Tradeloop',
  });
  consumer = { consumerKey: c.consumer_key, consumerSecret: c.consumer_secret };
  creds = await link();
});

after(async () => {
  await server.close();
});

beforeEach(async () => {
  await sim('DELETE', '/_sim/faults');
  await sim('DELETE', '/_sim/requests');
});

const source = (extra: Partial<Parameters<typeof createNuorderSource>[0]> = {}) =>
  createNuorderSource({ baseUrl: server.url, credentials: creds, brand, retry: fast, ...extra });

test('handshake: the authorize page exists for the request token, and both signature schemes link', async () => {
  const rt = await requestToken({ baseUrl: server.url, ...consumer, applicationName: 'Tradeloop page check' });
  const page = await fetch(authorizeUrl(server.url, rt.token));
  assert.equal(page.status, 200);
  await page.text();
  const legacy = await link('nuorder-legacy');
  assert.ok(legacy.token.length > 0 && legacy.tokenSecret.length > 0);
  const ids = await createNuorderClient({
    baseUrl: server.url,
    scheme: 'nuorder-legacy',
    credentials: legacy,
  }).listOrderIds('approved');
  assert.equal(ids.length, 12);
});

test('a wrong verifier is refused: RemoteAuthLost', async () => {
  const rt = await requestToken({ baseUrl: server.url, ...consumer, applicationName: 'Tradeloop bad verifier' });
  await sim('POST', '/_sim/oauth/approve', { oauth_token: rt.token });
  await assert.rejects(
    accessToken({
      baseUrl: server.url,
      ...consumer,
      requestToken: rt.token,
      requestTokenSecret: rt.tokenSecret,
      verifier: 'wrong',
    }),
    RemoteAuthLost,
  );
});

test('lists the 12 approved demo orders, complete, fetching each product once', async () => {
  const items = await all(source().listOrders({ status: 'approved' }));
  assert.equal(items.length, 12);
  assert.ok(items.every((i) => i.kind === 'order'));
  const list = orders(items);
  assert.ok(list.every((o) => o.status === 'approved' && typeof o.orderNumber === 'string' && o.lines.length > 0));
  const distinct = new Set(list.flatMap((o) => o.lines.map((l) => l.productSourceId)));
  const requests = await sim<{ byRoute: Record<string, number> }>('GET', '/_sim/requests');
  assert.equal(requests.byRoute['GET /api/orders/:status/detail'], 1);
  assert.equal(requests.byRoute['GET /api/product/:id'], distinct.size, 'one read per distinct product in the run');
});

test('modifiedSince filters on modified_on', async () => {
  const list = orders(await all(source().listOrders({ status: 'approved' })));
  const times = list.map((o) => o.modifiedAt).sort();
  const middle = times[6] as string;
  const recent = orders(await all(source().listOrders({ status: 'approved', modifiedSince: middle })));
  assert.equal(recent.length, list.filter((o) => o.modifiedAt >= middle).length);
  assert.ok(recent.length > 0 && recent.length < 12);
});

test('one full order maps against the raw vendor JSON', async () => {
  const client = createNuorderClient({ baseUrl: server.url, credentials: creds });
  const [id] = await client.listOrderIds('approved');
  assert.ok(id);
  const raw = await client.getOrder(id);
  assert.ok(raw);
  const order = await source().getOrder(id);
  assert.ok(order);
  assert.equal(order.sourceId, raw._id);
  assert.equal(order.orderNumber, raw.order_number);
  assert.equal(order.currency, raw.currency_code);
  assert.equal(order.customerPoNumber, raw.customer_po_number || null);
  assert.deepEqual(order.shipWindow, { start: raw.start_ship ?? null, end: raw.end_ship ?? null });
  assert.equal(order.retailer.name, raw.retailer?.retailer_name);
  assert.equal(order.brand, brand);
  const sizes = raw.line_items.reduce((n, l) => n + l.sizes.length, 0);
  assert.equal(order.lines.length, sizes);
  const item = raw.line_items[0];
  const size = item?.sizes[0];
  assert.ok(item && size);
  const line = order.lines.find((l) => l.productSourceId === item.product._id && l.size === size.size);
  assert.ok(line);
  assert.equal(line.quantity, size.quantity);
  assert.equal(line.unitCost.minor, Math.round(size.price * 100));
  assert.equal(line.styleNumber, item.product.style_number);
  assert.deepEqual(line.shipWindow, { start: item.ship_start ?? null, end: item.ship_end ?? null });
  const product = await client.getProduct(item.product._id);
  assert.equal(line.name, product?.name);
  assert.equal(line.retailPrice?.minor, Math.round((product?.pricing?.USD?.retail ?? 0) * 100));
  assert.equal(line.rawUpc, size.upc ?? null);
  assert.equal(await source().getOrder('ffffffffffffffffffffffff'), null);
});

test('a line without a UPC maps with gtin missing (it goes to review, nothing guessed)', async () => {
  const state = await sim<{
    brands: Array<{ _id: string }>;
    products: Array<{ brand: string; json: { _id: string; sizes: Array<{ size: string; upc?: string }> } }>;
  }>('GET', '/_sim/state');
  const product = state.products.find((p) => p.json.sizes.some((s) => !s.upc));
  assert.ok(product, 'the demo has a size without a UPC');
  const bare = product.json.sizes.find((s) => !s.upc)!;
  const withUpc = product.json.sizes.find((s) => s.upc);
  const { order: created } = await sim<{ order: { _id: string } }>('POST', '/_sim/orders', {
    brand: product.brand,
    status: 'approved',
    lines: [
      { productId: product.json._id, size: bare.size, quantity: 2 },
      ...(withUpc ? [{ productId: product.json._id, size: withUpc.size, quantity: 1 }] : []),
    ],
  });
  const order = await source().getOrder(created._id);
  assert.ok(order);
  const line = order.lines.find((l) => l.size === bare.size);
  assert.equal(line?.rawUpc, null);
  assert.deepEqual(line?.gtin, { ok: false, problem: 'missing', raw: null });
  assert.equal(line?.quantity, 2);
  if (withUpc) assert.equal(order.lines.find((l) => l.size === withUpc.size)?.gtin.ok, true);
});

test('fault: a 5xx on the listing GET is retried and the poll succeeds', async () => {
  const approved = await createNuorderClient({ baseUrl: server.url, credentials: creds }).listOrderIds('approved');
  await sim('DELETE', '/_sim/requests');
  await sim('POST', '/_sim/faults', {
    kind: 'error',
    status: 503,
    times: 2,
    method: 'GET',
    path: '/api/orders/approved/detail',
  });
  const items = await all(source().listOrders({ status: 'approved' }));
  assert.equal(items.length, approved.length);
  const requests = await sim<{ byRoute: Record<string, number> }>('GET', '/_sim/requests');
  assert.equal(requests.byRoute['GET /api/orders/:status/detail'], 3);
});

test('fault: the token is refused (expired or revoked) → RemoteAuthLost', async () => {
  await sim('POST', '/_sim/faults', { kind: 'token_expired', path: '*' });
  await assert.rejects(source().describeAccount(), (e: unknown) => {
    assert.ok(e instanceof RemoteAuthLost);
    assert.equal(e.code, 'CONNECTION_NEEDS_RELINK');
    return true;
  });
  await sim('DELETE', '/_sim/faults');
  const revoked = createNuorderSource({
    baseUrl: server.url,
    credentials: { ...creds, token: 'not-a-token' },
    brand,
    retry: fast,
  });
  await assert.rejects(all(revoked.listOrders({ status: 'approved' })), RemoteAuthLost);
  assert.deepEqual(await source().describeAccount(), {
    accountId: 'northwind',
    name: 'Northwind Outfitters',
    role: 'brand',
  });
});

test('shipments of a shipped order', async () => {
  const client = createNuorderClient({ baseUrl: server.url, credentials: creds });
  const [shippedId] = await client.listOrderIds('shipped');
  assert.ok(shippedId);
  const shipments = await source().listShipments(shippedId);
  assert.ok(shipments.length >= 1);
  assert.equal(shipments[0]?.orderSourceId, shippedId);
  assert.ok((shipments[0]?.lines.length ?? 0) > 0);
  const order = await source().getOrder(shippedId);
  const keys = new Set(order?.lines.map((l) => l.lineKey));
  assert.ok(
    shipments[0]?.lines.every((l) => keys.has(l.lineKey)),
    'shipment lines use the order line keys',
  );
});

test('no tokens or secrets in the logs', async () => {
  const logger = memoryLogger();
  await all(source({ logger }).listOrders({ status: 'approved' }));
  assert.ok(logger.lines.length > 12);
  for (const line of logger.lines) {
    for (const secret of [creds.token, creds.tokenSecret, creds.consumerSecret, creds.consumerKey])
      assert.ok(!line.includes(secret));
  }
});

test('one malformed order in a listing is reported as unreadable; the others still come (local fake)', async () => {
  const good = (id: string, n: string) => ({
    _id: id,
    order_number: n,
    status: 'approved',
    currency_code: 'USD',
    created_on: '2026-01-01T00:00:00.000Z',
    line_items: [
      {
        product: { _id: 'p1', style_number: 'S1', color: 'Red' },
        sizes: [{ size: 'M', quantity: 1, price: 10, upc: '012345678905' }],
      },
    ],
  });
  const fake = await startTestServer((req, res) => {
    if (req.path === '/api/orders/approved/detail')
      json(res, 200, [good('a1', '1'), { ...good('a2', '2'), order_number: 2 }, good('a3', '3')]);
    else if (req.path === '/api/product/p1')
      json(res, 200, {
        _id: 'p1',
        style_number: 'S1',
        color: 'Red',
        name: 'Shirt',
        pricing: { USD: { wholesale: 10, retail: 20 } },
      });
    else json(res, 404, { code: 404, message: 'not found' });
  });
  try {
    const items = await all(
      createNuorderSource({ baseUrl: fake.url, credentials: creds, brand, retry: fast }).listOrders({
        status: 'approved',
      }),
    );
    assert.deepEqual(
      items.map((i) => i.kind),
      ['order', 'unreadable', 'order'],
    );
    const bad = items[1];
    assert.ok(bad?.kind === 'unreadable');
    assert.equal(bad.sourceId, 'a2');
    assert.match(bad.reason, /\[1\]\.order_number/);
    assert.equal(fake.requests.filter((r) => r.path === '/api/product/p1').length, 1);
  } finally {
    await fake.close();
  }
});
