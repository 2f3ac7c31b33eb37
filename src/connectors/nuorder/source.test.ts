import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
// Tests may start the simulator; connector code never imports it.
import { createNuorderSimulator } from '../../simulators/nuorder/index.ts';
import { serveApp, type RunningServer } from '../../simulators/shared/server.ts';
import type { SourceOrderItem } from '../../core/ports/wholesale-source.ts';
import type { WholesaleOrder } from '../../core/wholesale-order.ts';
import { RemoteAuthLost } from '../shared/errors.ts';
import { memoryLogger, startTestServer, json } from '../shared/test-server.ts';
import { accessToken, createNuorderClient, requestToken, type NuorderCredentials } from './client.ts';
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
/** The demo store and the other store buying from the same brands (the simulator seeds both). */
let lakeside: { sourceId: string; name: string };
let harbor: { sourceId: string; name: string };

before(async () => {
  server = await serveApp(createNuorderSimulator().app, 0);
  await sim('POST', '/_sim/seed', { scenario: 'demo' });
  const c = await sim<{ consumer_key: string; consumer_secret: string }>('POST', '/_sim/consumers', {
    name: 'Tradeloop',
  });
  consumer = { consumerKey: c.consumer_key, consumerSecret: c.consumer_secret };
  creds = await link();
  const state = await sim<{ retailers: Array<{ _id: string; name: string }> }>('GET', '/_sim/state');
  const byName = (name: string) => {
    const r = state.retailers.find((x) => x.name === name);
    assert.ok(r, name);
    return { sourceId: r._id, name: r.name };
  };
  lakeside = byName('Lakeside Goods Co.');
  harbor = byName('Harbor Street Mercantile');
});

after(async () => {
  await server.close();
});

beforeEach(async () => {
  await sim('DELETE', '/_sim/faults');
  await sim('DELETE', '/_sim/requests');
});

const source = (extra: Partial<Parameters<typeof createNuorderSource>[0]> = {}) =>
  createNuorderSource({ baseUrl: server.url, credentials: creds, brand, retailer: lakeside, retry: fast, ...extra });

test('handshake: the application name reaches NuORDER, replies are JSON, and both signature schemes link', async () => {
  const rt = await requestToken({ baseUrl: server.url, ...consumer, applicationName: 'Tradeloop page check' });
  const state = await sim<{ requestTokens: Array<{ token: string; application_name: string }> }>('GET', '/_sim/state');
  assert.equal(state.requestTokens.find((t) => t.token === rt.token)?.application_name, 'Tradeloop page check');
  const legacy = await link('nuorder-legacy');
  assert.ok(legacy.token.length > 0 && legacy.tokenSecret.length > 0);
  const ids = await createNuorderClient({
    baseUrl: server.url,
    scheme: 'nuorder-legacy',
    credentials: legacy,
  }).listOrderIds('approved');
  assert.equal(ids.length, 15, 'ids of every store buying from the brands');
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
  assert.equal(items.length, 12, 'only the orders of the chosen store (Lakeside), not the 3 of Harbor Street');
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
  assert.equal(line.retailPrice?.minor, Math.round(Number(product?.pricing?.USD?.retail ?? 0) * 100));
  assert.equal(line.gaps, undefined, 'a line with its retail price has no gap');
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
  const approved = await all(source().listOrders({ status: 'approved' }));
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
    retailer: lakeside,
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
    retailer: { _id: lakeside.sourceId, retailer_name: 'Lakeside Goods Co.', retailer_code: '', buyer_name: 'Dana' },
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
      json(res, 200, [
        good('a1', '1'),
        { ...good('a2', '2'), order_number: 2 },
        good('a3', '3'),
        // Another store's broken order is not this connection's to report.
        { ...good('a4', '4'), order_number: 4, retailer: { _id: harbor.sourceId, retailer_name: 'Harbor' } },
      ]);
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
      createNuorderSource({ baseUrl: fake.url, credentials: creds, brand, retailer: lakeside, retry: fast }).listOrders(
        {
          status: 'approved',
        },
      ),
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

test('retailer scope: the same brand token, scoped to the other store, gets only its orders; unscoped gets none', async () => {
  const theirs = orders(await all(source({ retailer: harbor }).listOrders({ status: 'approved' })));
  assert.equal(theirs.length, 3);
  assert.ok(theirs.every((o) => o.retailer.sourceId === harbor.sourceId && o.retailer.code === null));
  const mine = orders(await all(source().listOrders({ status: 'approved' })));
  assert.ok(mine.every((o) => o.retailer.sourceId === lakeside.sourceId));
  const every = await createNuorderClient({ baseUrl: server.url, credentials: creds }).listOrderIds('approved');
  assert.equal(new Set([...mine, ...theirs].map((o) => o.sourceId)).size, every.length, 'each order in one store');
  // Read one by one (ingest re-reads held orders), another store's order is not there for this connection.
  assert.equal(await source().getOrder(theirs[0]!.sourceId), null);
  assert.deepEqual(await source().listShipments(theirs[0]!.sourceId), []);

  await sim('DELETE', '/_sim/requests');
  const unscoped = source({ retailer: null });
  assert.match(unscoped.blocked?.() ?? '', /choose which of its retailers is your store/);
  await assert.rejects(all(unscoped.listOrders({ status: 'approved' })), /until you choose/);
  assert.equal(await unscoped.getOrder(mine[0]!.sourceId), null);
  const requests = await sim<{ byRoute: Record<string, number> }>('GET', '/_sim/requests');
  assert.equal(requests.byRoute['GET /api/orders/:status/detail'], undefined, 'fail-closed: nothing was listed');
  assert.equal(requests.byRoute['GET /api/product/:id'], undefined);
});

test('the retailers a brand sells to, by retailer._id, busiest first', async () => {
  const retailers = await source({ retailer: null }).listRetailers?.();
  assert.deepEqual(
    retailers?.map((r) => [r.sourceId, r.name, r.code]),
    [
      [lakeside.sourceId, 'Lakeside Goods Co.', 'LAKESIDE'],
      [harbor.sourceId, 'Harbor Street Mercantile', null],
    ],
  );
  assert.ok((retailers?.[0]?.orders ?? 0) > (retailers?.[1]?.orders ?? 0));
});

test('a product whose retail price is "" is read; the line says what is missing (divergences.md F4)', async () => {
  const state = await sim<{ brands: Array<{ _id: string }> }>('GET', '/_sim/state');
  const brandId = state.brands[0]!._id;
  await sim('POST', '/_sim/seed', {
    data: {
      products: [
        {
          brand: brandId,
          _id: 'abcdefabcdefabcdefabcdef',
          style_number: '4156301',
          season: 'F22',
          seasons: ['undefined'],
          color: 'Ink',
          name: 'Runner',
          description: '',
          available_from: '',
          available_until: '',
          order_closing: '',
          pricing: { USD: { wholesale: 28, retail: '' } },
          sizes: [{ size: 'One', upc: '012345678905' }],
        },
      ],
      orders: [
        {
          _id: 'abcdefabcdefabcdef000001',
          retailer: lakeside.sourceId,
          line_items: [{ product: 'abcdefabcdefabcdefabcdef', sizes: [{ size: 'One', quantity: 2 }] }],
        },
      ],
    },
  });
  const order = await source().getOrder('abcdefabcdefabcdef000001');
  assert.ok(order, 'the order is read, not dropped');
  const [line] = order.lines;
  assert.equal(line?.unitCost.minor, 2800);
  assert.equal(line?.retailPrice, null);
  assert.deepEqual(line?.gaps, [
    {
      field: 'retailPrice',
      reason: "NuORDER has no retail price (MSRP) for it: the product's pricing.USD.retail is empty",
    },
  ]);
  const listed = await all(source().listOrders({ status: 'approved' }));
  assert.ok(listed.some((i) => i.kind === 'order' && i.order.sourceId === 'abcdefabcdefabcdef000001'));
  assert.ok(
    listed.every((i) => i.kind === 'order'),
    'nothing unreadable',
  );
});

test('doctor: every NuORDER read is probed, read-only, and all fit against the simulator', async () => {
  await sim('DELETE', '/_sim/requests');
  const checks = await source().doctor?.();
  assert.ok(checks);
  assert.deepEqual(
    checks.map((c) => [c.call, c.outcome]),
    [
      ['retailer scope (retailer._id)', 'ok'],
      ['GET /api/orders/approved/detail', 'ok'],
      ['GET /api/orders/cancelled/list', 'ok'],
      ['GET /api/order/{id}', 'ok'],
      ['GET /api/product/{id}', 'ok'],
      ['GET /api/order/{id}/shipments', 'ok'],
    ],
  );
  const requests = await sim<{ recent: Array<{ method: string }> }>('GET', '/_sim/requests?limit=50');
  assert.ok(
    requests.recent.every((r) => r.method === 'GET'),
    'read-only',
  );
});

test('doctor: a changed shape is a mismatch naming the field; an unscoped connection says what to choose', async () => {
  await sim('POST', '/_sim/faults', {
    kind: 'reshape',
    method: 'GET',
    path: '/api/orders/approved/detail',
    reshape: { drop: ['order_number'], rename: { 'line_items.sizes.price': 'unit_price' } },
  });
  await sim('POST', '/_sim/faults', {
    kind: 'reshape',
    method: 'GET',
    path: '/api/product/*',
    reshape: { set: { style_number: 42 } },
  });
  try {
    const checks = (await source().doctor?.()) ?? [];
    const listing = checks.find((c) => c.call === 'GET /api/orders/approved/detail');
    assert.equal(listing?.outcome, 'mismatch');
    const paths = new Set(listing?.fields.map((f) => f.path.replace(/^\[\d+\]\.?/, '').replace(/\[\d+\]/g, '')));
    assert.ok(paths.has('order_number'), JSON.stringify(listing?.fields.slice(0, 5)));
    assert.ok(paths.has('line_items.sizes.price'), 'the renamed price is named by the field the schema needs');
    // With no order to read, the probes that need one are skipped, not failed.
    assert.equal(checks.find((c) => c.call === 'GET /api/product/{id}')?.outcome, 'skipped');
  } finally {
    await sim('DELETE', '/_sim/faults');
  }
  await sim('POST', '/_sim/faults', {
    kind: 'reshape',
    method: 'GET',
    path: '/api/product/*',
    reshape: { set: { style_number: 42 } },
  });
  try {
    const product = (await source().doctor?.())?.find((c) => c.call === 'GET /api/product/{id}');
    assert.equal(product?.outcome, 'mismatch');
    assert.deepEqual(
      product?.fields.map((f) => f.path),
      ['style_number'],
    );
  } finally {
    await sim('DELETE', '/_sim/faults');
  }
  const unscoped = (await source({ retailer: null }).doctor?.()) ?? [];
  assert.equal(unscoped[0]?.outcome, 'error');
  assert.match(unscoped[0]?.detail ?? '', /until you choose which of its retailers is your store/);
  assert.ok(
    unscoped.slice(1).every((c) => c.outcome === 'ok'),
    'the reads themselves still fit',
  );
});
