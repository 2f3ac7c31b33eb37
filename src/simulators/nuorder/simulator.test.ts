import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { serveApp, type RunningServer } from '../shared/server.ts';
import { createNuorderSimulator, demoCredentials, type Simulator } from './index.ts';
import { authorizationHeader, signedFetch, type Credentials } from './test-client.ts';

type Json = Record<string, any>;

const demo: Credentials = {
  consumerKey: demoCredentials.consumerKey,
  consumerSecret: demoCredentials.consumerSecret,
  token: demoCredentials.token,
  tokenSecret: demoCredentials.tokenSecret,
};

let sim: Simulator;
let server: RunningServer;
let url: string;

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${url}${path}`, {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

async function api(
  method: string,
  path: string,
  options: Parameters<typeof signedFetch>[3] & { creds?: Credentials } = {},
): Promise<{ status: number; json: any; res: Response }> {
  const res = await signedFetch(method, `${url}${path}`, options.creds ?? demo, options);
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, json, res };
}

async function approvedOrder(index = 0): Promise<Json> {
  const { json } = await api('GET', '/api/orders/approved/detail');
  return json[index] as Json;
}

before(async () => {
  sim = createNuorderSimulator();
  server = await serveApp(sim.app, 0);
  url = server.url;
});

after(async () => {
  await server.close();
});

beforeEach(async () => {
  await control('POST', '/_sim/reset');
  const seeded = await control('POST', '/_sim/seed', { scenario: 'demo' });
  assert.equal(seeded.status, 200);
});

describe('seeding', () => {
  it('demo gives 3 brands, 120 products, 12 approved orders of the demo store and 3 of another store, deterministically', async () => {
    const state = (await control('GET', '/_sim/state')).json;
    assert.equal(state.brands.length, 3);
    assert.equal(state.products.length, 120);
    assert.deepEqual(
      state.retailers.map((r: Json) => [r.name, r.code]),
      [
        ['Lakeside Goods Co.', 'LAKESIDE'],
        ['Harbor Street Mercantile', ''],
      ],
    );
    const { status, json } = await api('GET', '/api/orders/approved/list');
    assert.equal(status, 200);
    assert.equal(json.length, 15);
    assert.ok(json.every((id: unknown) => typeof id === 'string' && /^[0-9a-f]{24}$/.test(id)));
    // A brand token sees every retailer's orders (divergences.md F3 [I]): one brand, two stores.
    const detail = (await api('GET', '/api/orders/approved/detail')).json as Json[];
    const byRetailer = new Map<string, number>();
    for (const o of detail)
      byRetailer.set(o.retailer.retailer_name, (byRetailer.get(o.retailer.retailer_name) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(byRetailer), { 'Lakeside Goods Co.': 12, 'Harbor Street Mercantile': 3 });
    const harbor = detail.find((o) => o.retailer.retailer_name === 'Harbor Street Mercantile') as Json;
    assert.equal(harbor.retailer.retailer_code, '');
    assert.match(harbor.retailer._id, /^[0-9a-f]{24}$/);
    const harborRecord = state.orders.find((o: Json) => o._id === harbor._id);
    assert.ok(
      state.orders.some((o: Json) => o.brand === harborRecord.brand && o.retailer !== harborRecord.retailer),
      'the same brand sells to both stores',
    );
    await control('POST', '/_sim/seed', { scenario: 'demo' });
    const again = (await control('GET', '/_sim/state')).json;
    assert.deepEqual(again.orders, state.orders);
    assert.deepEqual(again.products, state.products);
  });

  it('small and large presets seed too, and size overrides apply', async () => {
    const small = await control('POST', '/_sim/seed', { scenario: 'small' });
    assert.equal(small.json.summary.brands, 1);
    assert.equal(small.json.summary.approvedOrders, 3, '2 of the scenario store, 1 of the other store');
    assert.equal(small.json.summary.retailers, 2);
    const custom = await control('POST', '/_sim/seed', {
      scenario: 'demo',
      options: { approvedOrders: 3, stylesPerBrand: 2 },
    });
    assert.equal(custom.json.summary.approvedOrders, 6, '3 + one per brand of the other store');
    assert.equal(custom.json.summary.products, 12);
    const bad = await control('POST', '/_sim/seed', { scenario: 'nope' });
    assert.equal(bad.status, 400);
  });

  it('accepts posted data in NuORDER shapes', async () => {
    await control('POST', '/_sim/reset');
    const res = await control('POST', '/_sim/seed', {
      data: {
        consumers: [{ key: 'ck', secret: 'cs' }],
        access_tokens: [{ consumer_key: 'ck', token: 'tok', secret: 'toksecret' }],
        retailers: [{ _id: 'aaaaaaaaaaaaaaaaaaaaaaaa', name: 'Shop', code: 'SHOP' }],
        brands: [{ _id: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: 'Brandy', code: 'BRANDY' }],
        products: [
          {
            brand: 'BRANDY',
            _id: 'cccccccccccccccccccccccc',
            style_number: 'S-1',
            season: 'SS27',
            color: 'Red',
            name: 'Tee',
            pricing: { USD: { wholesale: 10.5, retail: 25 } },
            sizes: [{ size: 'M', upc: '012345678905' }, { size: 'L' }],
          },
        ],
        orders: [
          {
            order_number: '900',
            status: 'approved',
            line_items: [
              {
                product: { _id: 'cccccccccccccccccccccccc' },
                sizes: [
                  { size: 'M', quantity: 2 },
                  { size: 'L', quantity: 1 },
                ],
              },
            ],
          },
        ],
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    const creds = { consumerKey: 'ck', consumerSecret: 'cs', token: 'tok', tokenSecret: 'toksecret' };
    const order = await api('GET', '/api/order/number/900', { creds });
    assert.equal(order.status, 200);
    assert.equal(order.json.total, 31.5);
    assert.equal(order.json.line_items[0].sizes[0].upc, '012345678905');
    assert.equal('upc' in order.json.line_items[0].sizes[1], false);
    const bad = await control('POST', '/_sim/seed', {
      data: {
        products: [
          {
            brand: 'nobody',
            style_number: 'x',
            season: 's',
            color: 'c',
            name: 'n',
            pricing: {},
            sizes: [{ size: 'M' }],
          },
        ],
      },
    });
    assert.equal(bad.status, 400);
  });
});

describe('OAuth 1.0a handshake and refusals', () => {
  it('runs initiate → authorize page → approve (oob) → token, then signs with the new token', async () => {
    const consumer = (await control('POST', '/_sim/consumers', { name: 'Tradeloop' })).json;
    const creds: Credentials = {
      consumerKey: consumer.consumer_key,
      consumerSecret: consumer.consumer_secret,
      token: '',
      tokenSecret: '',
    };
    const init = await api('GET', '/api/initiate', { creds, callback: 'oob', applicationName: 'Tradeloop Test' });
    assert.equal(init.status, 200, JSON.stringify(init.json));
    assert.equal(init.json.oauth_token.length, 16);
    assert.equal(init.json.oauth_token_secret.length, 24);
    assert.equal(init.json.oauth_callback_confirmed, true);

    const pageRes = await fetch(`${url}/oauth/authorize?oauth_token=${init.json.oauth_token}`);
    const pageHtml = await pageRes.text();
    assert.equal(pageRes.status, 200);
    assert.match(pageHtml, /brand portal/);
    assert.match(pageHtml, /Tradeloop Test/);
    assert.match(pageHtml, /Approve/);

    // Exchanging before approval is refused.
    const early = await api('GET', '/api/token', {
      creds: { ...creds, token: init.json.oauth_token, tokenSecret: init.json.oauth_token_secret },
      verifier: 'x',
    });
    assert.equal(early.status, 401);

    const approved = await fetch(`${url}/oauth/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ oauth_token: init.json.oauth_token, brand: '' }),
    });
    const approvedHtml = await approved.text();
    const verifier = /<code id="verifier"[^>]*>([^<]+)<\/code>/.exec(approvedHtml)?.[1];
    assert.ok(verifier, approvedHtml);

    const temp = { ...creds, token: init.json.oauth_token, tokenSecret: init.json.oauth_token_secret };
    const wrong = await api('GET', '/api/token', { creds: temp, verifier: 'not-the-verifier' });
    assert.equal(wrong.status, 401);
    const tok = await api('GET', '/api/token', { creds: temp, verifier });
    assert.equal(tok.status, 200, JSON.stringify(tok.json));
    assert.equal(tok.json.oauth_token.length, 24);
    assert.equal(tok.json.oauth_token_secret.length, 64);
    const again = await api('GET', '/api/token', { creds: temp, verifier });
    assert.equal(again.status, 401, 'a request token is exchanged once');

    const access = { ...creds, token: tok.json.oauth_token, tokenSecret: tok.json.oauth_token_secret };
    const list = await api('GET', '/api/orders/approved/list', { creds: access });
    assert.equal(list.status, 200);
    assert.equal(list.json.length, 15);
  });

  it('runs the handshake with RFC 5849 signatures and a callback URL (the verifier POSTed to it)', async () => {
    const creds: Credentials = { consumerKey: demo.consumerKey, consumerSecret: demo.consumerSecret };
    const init = await api('POST', '/api/initiate', {
      creds,
      scheme: 'rfc5849',
      callback: 'http://127.0.0.1:9/callback',
    });
    assert.equal(init.status, 200, JSON.stringify(init.json));
    const approve = await fetch(`${url}/oauth/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ oauth_token: init.json.oauth_token, brand: '' }),
      redirect: 'manual',
    });
    // NuORDER POSTs the verifier to the callback (S-SB README): a form that submits itself from the browser.
    assert.equal(approve.status, 200);
    const form = await approve.text();
    assert.match(form, /<form id="callback" method="post" action="http:\/\/127\.0\.0\.1:9\/callback">/);
    assert.match(form, new RegExp(`name="oauth_token" value="${init.json.oauth_token}"`));
    assert.match(form, /\.submit\(\)/);
    const verifier = /name="oauth_verifier" value="([^"]+)"/.exec(form)?.[1] ?? '';
    assert.ok(verifier.length > 0);
    const tok = await api('POST', '/api/token', {
      creds: { ...creds, token: init.json.oauth_token, tokenSecret: init.json.oauth_token_secret },
      scheme: 'rfc5849',
      verifier,
    });
    assert.equal(tok.status, 200, JSON.stringify(tok.json));
  });

  it('initiate is accepted with an existing access token too, as recorded in 2014; an unknown one is refused', async () => {
    const withToken = await api('GET', '/api/initiate', {
      creds: { ...demo },
      callback: 'oob',
      applicationName: 'Again',
    });
    assert.equal(withToken.status, 200, JSON.stringify(withToken.json));
    assert.equal(withToken.json.oauth_token.length, 16);
    const unknown = await api('GET', '/api/initiate', {
      creds: { ...demo, token: 'not-a-token' },
      callback: 'oob',
    });
    assert.equal(unknown.status, 401);
  });

  it('approves through the control API and scopes a token to one brand portal', async () => {
    const init = await api('GET', '/api/initiate', {
      creds: { consumerKey: demo.consumerKey, consumerSecret: demo.consumerSecret },
      callback: 'oob',
      applicationName: 'Scoped',
    });
    const state = (await control('GET', '/_sim/state')).json;
    const brand = state.brands[0];
    const ok = await control('POST', '/_sim/oauth/approve', {
      oauth_token: init.json.oauth_token,
      brands: [brand.code],
    });
    assert.equal(ok.status, 200);
    const tok = await api('GET', '/api/token', {
      creds: { ...demo, token: init.json.oauth_token, tokenSecret: init.json.oauth_token_secret },
      verifier: ok.json.oauth_verifier,
    });
    const scoped = { ...demo, token: tok.json.oauth_token, tokenSecret: tok.json.oauth_token_secret };
    const orders = await api('GET', '/api/orders/approved/detail', { creds: scoped });
    assert.equal(orders.status, 200);
    assert.ok(orders.json.length > 0 && orders.json.length < 12);
    const all = (await api('GET', '/api/orders/approved/detail')).json as Json[];
    const other = all.find((o) => !orders.json.some((x: Json) => x._id === o._id));
    assert.ok(other);
    assert.equal((await api('GET', `/api/order/${other._id}`, { creds: scoped })).status, 404);
  });

  it('accepts the legacy scheme and RFC 5849 on resources, including query strings', async () => {
    assert.equal((await api('GET', '/api/orders/approved/list?__populate=__payments')).status, 200);
    assert.equal(
      (await api('GET', '/api/orders/approved/list?__populate=__payments', { scheme: 'rfc5849' })).status,
      200,
    );
    const quoted = await fetch(`${url}/api/orders/approved/list`, {
      headers: {
        Authorization: authorizationHeader('GET', `${url}/api/orders/approved/list`, demo)
          .replace(/^oAuth /, 'OAuth ')
          .replace(/=([^,]*)/g, '="$1"'),
      },
    });
    assert.equal(quoted.status, 200, 'quoted legacy values (the official Node sample) are accepted');
  });

  it('refuses a bad signature, an unknown consumer or token, a replayed nonce, a stale timestamp and no header', async () => {
    const bad = await api('GET', '/api/orders/approved/list', { creds: { ...demo, tokenSecret: 'wrong' } });
    assert.equal(bad.status, 401);
    assert.equal(bad.json.code, 401);
    assert.match(bad.json.message, /signature/);

    const badRfc = await api('GET', '/api/orders/approved/list', {
      creds: { ...demo, consumerSecret: 'wrong' },
      scheme: 'rfc5849',
    });
    assert.equal(badRfc.status, 401);

    const unknownToken = await api('GET', '/api/orders/approved/list', { creds: { ...demo, token: 'no-such-token' } });
    assert.equal(unknownToken.status, 401);
    assert.match(unknownToken.json.message, /token/);

    const unknownConsumer = await api('GET', '/api/orders/approved/list', {
      creds: { ...demo, consumerKey: 'nobody' },
    });
    assert.equal(unknownConsumer.status, 401);
    assert.match(unknownConsumer.json.message, /consumer/);

    const nonce = 'fixednonce123456';
    const timestamp = Math.floor(Date.now() / 1000);
    assert.equal((await api('GET', '/api/orders/approved/list', { nonce, timestamp })).status, 200);
    const replay = await api('GET', '/api/orders/approved/list', { nonce, timestamp });
    assert.equal(replay.status, 401);
    assert.match(replay.json.message, /nonce/);

    const stale = await api('GET', '/api/orders/approved/list', { timestamp: Math.floor(Date.now() / 1000) - 600 });
    assert.equal(stale.status, 401);
    assert.match(stale.json.message, /timestamp/);
    await control('POST', '/_sim/clock', { advanceSeconds: 600 });
    const behind = await api('GET', '/api/orders/approved/list');
    assert.equal(behind.status, 401, 'a timestamp 10 minutes behind the sim clock is stale');

    const none = await fetch(`${url}/api/orders/approved/list`);
    assert.equal(none.status, 401);
    assert.deepEqual(Object.keys((await none.json()) as object).sort(), ['code', 'message']);
  });

  it('expires access tokens when a lifetime is configured', async () => {
    await control('PUT', '/_sim/config', { accessTokenTtlSeconds: 60 });
    const minted = (await control('POST', '/_sim/tokens', {})).json;
    const creds = {
      consumerKey: minted.consumer_key,
      consumerSecret: minted.consumer_secret,
      token: minted.oauth_token,
      tokenSecret: minted.oauth_token_secret,
    };
    assert.equal((await api('GET', '/api/orders/approved/list', { creds })).status, 200);
    await control('POST', '/_sim/clock', { advanceSeconds: 120 });
    const expired = await api('GET', '/api/orders/approved/list', {
      creds,
      timestamp: Math.floor(Date.now() / 1000) + 120,
    });
    assert.equal(expired.status, 401);
    assert.match(expired.json.message, /expired/);
    assert.equal((await control('PUT', '/_sim/config', { nonsense: 1 })).status, 400);
  });
});

describe('resources', () => {
  it('lists orders by every status, detail and id list alike', async () => {
    const expected: Record<string, number> = {
      draft: 1,
      review: 1,
      pending: 1,
      approved: 15,
      processed: 1,
      shipped: 1,
      cancelled: 1,
      edited: 0,
    };
    for (const [status, count] of Object.entries(expected)) {
      const detail = await api('GET', `/api/orders/${status}/detail`);
      const list = await api('GET', `/api/orders/${status}/list`);
      assert.equal(detail.status, 200);
      assert.equal(detail.json.length, count, status);
      assert.deepEqual(
        list.json,
        detail.json.map((o: Json) => o._id),
      );
      for (const o of detail.json) if (status !== 'edited') assert.equal(o.status, status);
    }
    const bad = await api('GET', '/api/orders/bogus/detail');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.code, 400);
  });

  it('serves the §3.3 order shape with its field types', async () => {
    const o = await approvedOrder();
    assert.equal(typeof o.order_number, 'string');
    assert.match(o._id, /^[0-9a-f]{24}$/);
    assert.equal(typeof o.total, 'number');
    assert.equal(typeof o.total_quantity, 'number');
    assert.equal(typeof o.order_discounts.original_total, 'string');
    assert.ok('customer_po_number' in o && !('customer_po' in o));
    assert.match(o.start_ship, /^\d{4}-\d\d-\d\dT00:00:00\.000Z$/);
    assert.ok(o.end_ship > o.start_ship);
    assert.equal(o.retailer.retailer_name, 'Lakeside Goods Co.');
    const line = o.line_items[0];
    assert.deepEqual(Object.keys(line.product).sort(), [
      '_id',
      'brand_id',
      'color',
      'color_code',
      'department',
      'division',
      'season',
      'style_number',
    ]);
    assert.equal(line.ship_start, o.start_ship);
    assert.equal(typeof line.sizes[0].price, 'number');
    assert.equal(typeof line.sizes[0].quantity, 'number');
    assert.equal(typeof line.discounted_total, 'string');
    assert.match(line.retail_string, /^\$\d+\.\d\d$/);
    let sum = 0;
    for (const li of o.line_items) for (const s of li.sizes) sum += s.price * s.quantity;
    assert.ok(Math.abs(sum - o.total) < 0.001);

    const byId = await api('GET', `/api/order/${o._id}`);
    assert.deepEqual(byId.json, o);
    const byNumber = await api('GET', `/api/order/number/${o.order_number}`);
    assert.deepEqual(byNumber.json, o);
    const missing = await api('GET', '/api/order/ffffffffffffffffffffffff');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { code: 404, message: 'order not found' });
    assert.equal((await api('GET', '/api/order/number/nope')).status, 404);
  });

  it('serves products by id and by external id, with pricing numbers and sizes whose UPC may be missing', async () => {
    const o = await approvedOrder();
    const ref = o.line_items[0].product;
    const p = await api('GET', `/api/product/${ref._id}`);
    assert.equal(p.status, 200);
    assert.equal(p.json.style_number, ref.style_number);
    assert.equal(typeof p.json.pricing.USD.wholesale, 'number');
    assert.equal(typeof p.json.pricing.USD.retail, 'number');
    assert.ok(Array.isArray(p.json.images) && typeof p.json.images[0] === 'string');
    const ext = await api('GET', `/api/product/external_id/${ref.brand_id.toUpperCase()}`);
    assert.deepEqual(ext.json, p.json);
    const missing = await api('GET', '/api/product/ffffffffffffffffffffffff');
    assert.deepEqual(missing.json, { code: 404, message: 'product not found' });
    const state = (await control('GET', '/_sim/state')).json;
    const sizes = state.products.flatMap((x: Json) => x.json.sizes);
    assert.ok(
      sizes.some((s: Json) => !('upc' in s)),
      'some sizes carry no upc key',
    );
    assert.ok(sizes.every((s: Json) => s.upc !== null));
    const season = await api('GET', `/api/products/season/${p.json.season}/list`);
    assert.ok(season.json.includes(p.json._id));
  });

  it('seeds and serves a product whose retail price is "" and whose dates are "" (recorded, divergences.md F4)', async () => {
    const brand = (await control('GET', '/_sim/state')).json.brands[0];
    const seeded = await control('POST', '/_sim/seed', {
      data: {
        products: [
          {
            brand: brand._id,
            _id: 'dddddddddddddddddddddddd',
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
            sizes: [{ size: 'One' }],
          },
          {
            brand: brand._id,
            _id: 'eeeeeeeeeeeeeeeeeeeeeeee',
            style_number: '4156302',
            season: 'F22',
            color: 'Ink',
            name: 'Runner II',
            pricing: { USD: { wholesale: 30 } },
            sizes: [{ size: 'One' }],
          },
        ],
        orders: [
          {
            order_number: '955',
            line_items: [{ product: 'dddddddddddddddddddddddd', sizes: [{ size: 'One', quantity: 2 }] }],
          },
        ],
      },
    });
    assert.equal(seeded.status, 200, JSON.stringify(seeded.json));
    const p = (await api('GET', '/api/product/dddddddddddddddddddddddd')).json;
    assert.deepEqual(p.pricing, { USD: { wholesale: 28, retail: '' } });
    assert.deepEqual(
      [p.description, p.available_from, p.available_until, p.order_closing, p.seasons],
      ['', '', '', '', ['undefined']],
    );
    assert.deepEqual((await api('GET', '/api/product/eeeeeeeeeeeeeeeeeeeeeeee')).json.pricing, {
      USD: { wholesale: 30 },
    });
    const order = (await api('GET', '/api/order/number/955')).json;
    assert.equal(order.line_items[0].sizes[0].price, 28);
    assert.equal(order.line_items[0].retail_string, '');
  });

  it('serves the retailer company (§3.4)', async () => {
    const o = await approvedOrder();
    const company = await api('GET', `/api/company/${o.retailer._id}`);
    assert.equal(company.status, 200);
    assert.equal(company.json.name, 'Lakeside Goods Co.');
    assert.equal(company.json.code, 'LAKESIDE');
    assert.equal(company.json.addresses[0].line_1, '410 Harbor Street');
    assert.equal(company.json.buyers[0].email, 'dana@lakeside-goods.test');
    assert.deepEqual((await api('GET', '/api/companies/codes/list')).json, ['LAKESIDE', '']);
    assert.equal((await api('GET', '/api/company/code/lakeside')).json._id, o.retailer._id);
    assert.equal((await api('GET', '/api/company/ffffffffffffffffffffffff')).status, 404);
  });

  it('serves shipments with carrier and tracking numbers', async () => {
    const shipped = (await api('GET', '/api/orders/shipped/detail')).json[0];
    assert.equal(shipped.shipments.length, 1);
    assert.equal(shipped.shipments[0].carrier, 'UPS');
    assert.match(shipped.shipments[0].tracking_numbers[0], /^1Z/);
    const list = await api('GET', `/api/order/${shipped._id}/shipments`);
    assert.deepEqual(list.json, shipped.shipments);

    const o = await approvedOrder();
    const ship = await control('POST', `/_sim/orders/${o._id}/shipments`, {
      carrier: 'FedEx',
      trackingNumbers: ['7777', '8888'],
    });
    assert.equal(ship.status, 201, JSON.stringify(ship.json));
    assert.equal(ship.json.order.status, 'shipped');
    const after = await api('GET', `/api/order/${o._id}/shipments`);
    assert.deepEqual(after.json[0].tracking_numbers, ['7777', '8888']);
    assert.equal(after.json[0].carrier, 'FedEx');
    const again = await control('POST', `/_sim/orders/${o._id}/shipments`, {
      carrier: 'FedEx',
      trackingNumbers: ['9'],
    });
    assert.equal(again.status, 400);
  });
});

describe('buyer and brand steps, transitions, edits and splits', () => {
  it('builds an order, submits it, the brand suggests changes, approves, processes; illegal moves are refused', async () => {
    const state = (await control('GET', '/_sim/state')).json;
    const brand = state.brands[1];
    const product = state.products.find((p: Json) => p.brand === brand._id).json;
    const created = await control('POST', '/_sim/orders', {
      brand: brand.code,
      customerPoNumber: 'PO-1',
      lines: [
        { styleNumber: product.style_number, color: product.color, size: product.sizes[0].size, quantity: 3 },
        { productId: product._id, size: product.sizes[1]?.size ?? product.sizes[0].size, quantity: 2 },
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const id = created.json.order._id;
    assert.equal(created.json.order.status, 'draft');
    assert.ok((await api('GET', '/api/orders/draft/list')).json.includes(id));

    const skip = await control('POST', `/_sim/orders/${id}/status`, { status: 'processed' });
    assert.equal(skip.status, 400);
    assert.match(skip.json.error, /cannot change order .* from draft to processed/);

    assert.equal(
      (await control('POST', `/_sim/orders/${id}/status`, { action: 'submit' })).json.order.status,
      'review',
    );
    const suggest = await control('POST', `/_sim/orders/${id}/status`, {
      action: 'suggest_changes',
      lines: [{ productId: product._id, size: product.sizes[0].size, quantity: 6 }],
    });
    assert.equal(suggest.status, 200, JSON.stringify(suggest.json));
    assert.equal(suggest.json.order.status, 'pending');
    assert.equal(suggest.json.order.edited, true);

    const approve = await api('PUT', `/api/order/number/${created.json.order.order_number}/approved`);
    assert.equal(approve.status, 200);
    assert.equal(approve.json.status, 'approved');
    assert.ok((await api('GET', '/api/orders/approved/list')).json.includes(id));

    const processed = await api('POST', `/api/order/${id}/process`);
    assert.equal(processed.json.status, 'processed');
    const same = await api('POST', `/api/order/${id}/processed`);
    assert.equal(same.status, 304, 'an unchanged status answers 304 (Order Not Updated)');
    const backwards = await api('POST', `/api/order/${id}/status`, { body: { status: 'APPROVED' } });
    assert.equal(backwards.status, 400);
    assert.equal(backwards.json.code, 400);
    const cancel = await api('POST', `/api/order/${id}/cancel`);
    assert.equal(cancel.json.status, 'cancelled');
    assert.equal(cancel.json.locked, true);
    assert.equal(
      (await control('POST', `/_sim/orders/${id}/edit`, { notes: 'x' })).status,
      400,
      'cancelled orders are locked',
    );
    assert.equal((await api('POST', `/api/order/${id}/bogus`)).status, 400);
  });

  it('an edit after approval changes modified_on and shows in the edited list', async () => {
    const o = await approvedOrder();
    await control('POST', '/_sim/clock', { advanceMs: 1000 });
    const line = o.line_items[0];
    const edit = await control('POST', `/_sim/orders/${o._id}/edit`, {
      lines: [{ productId: line.product._id, size: line.sizes[0].size, quantity: line.sizes[0].quantity + 5 }],
    });
    assert.equal(edit.status, 200, JSON.stringify(edit.json));
    const after = (await api('GET', `/api/order/${o._id}`, { timestamp: Math.floor(Date.now() / 1000) + 1 })).json;
    assert.notEqual(after.modified_on, o.modified_on);
    assert.ok(after.modified_on > o.modified_on);
    assert.equal(after.edited, true);
    assert.equal(after.status, 'approved');
    assert.equal(after.total_quantity, o.total_quantity + 5);
    assert.deepEqual(
      (await api('GET', '/api/orders/edited/list', { timestamp: Math.floor(Date.now() / 1000) + 1 })).json,
      [o._id],
    );
  });

  it('splits an order into -N numbered orders of one group', async () => {
    const o = await approvedOrder();
    const split = await control('POST', `/_sim/orders/${o._id}/split`, {});
    assert.equal(split.status, 201, JSON.stringify(split.json));
    assert.equal(split.json.original.order_number, `${o.order_number}-1`);
    assert.equal(split.json.split.order_number, `${o.order_number}-2`);
    assert.equal(split.json.split.split, true);
    assert.equal(split.json.split.order_group_id, split.json.original.order_group_id);
    assert.equal(split.json.original.line_items.length + split.json.split.line_items.length, o.line_items.length);
    const byNumber = await api('GET', `/api/order/number/${o.order_number}-2`);
    assert.equal(byNumber.json._id, split.json.split._id);
    assert.equal((await api('GET', '/api/orders/approved/list')).json.length, 16);
    const third = await control('POST', `/_sim/orders/${o._id}/split`, {});
    assert.equal(third.json.split.order_number, `${o.order_number}-3`);
  });

  it('back-office forms build and submit an order; pages render', async () => {
    const state = (await control('GET', '/_sim/state')).json;
    const product = state.products[0].json;
    const form = new URLSearchParams({
      brand: state.products[0].brand,
      customer_po_number: 'BO-1',
      notes: '',
      then: 'submit',
      [`q:${product._id}:${product.sizes[0].size}`]: '4',
    });
    const res = await fetch(`${url}/backoffice/orders`, { method: 'POST', body: form, redirect: 'manual' });
    assert.equal(res.status, 303);
    const id = (res.headers.get('location') ?? '').split('/').pop() ?? '';
    const order = await api('GET', `/api/order/${id}`);
    assert.equal(order.json.status, 'review');
    const approve = await fetch(`${url}/backoffice/orders/${id}/action`, {
      method: 'POST',
      body: new URLSearchParams({ action: 'approve' }),
      redirect: 'manual',
    });
    assert.equal(approve.status, 303);
    assert.equal((await api('GET', `/api/order/${id}`)).json.status, 'approved');
    const refused = await fetch(`${url}/backoffice/orders/${id}/action`, {
      method: 'POST',
      body: new URLSearchParams({ action: 'submit' }),
    });
    assert.equal(refused.status, 400);
    for (const path of [
      '/backoffice',
      '/backoffice/catalog',
      '/backoffice/orders',
      '/backoffice/orders/new',
      `/backoffice/orders/${id}`,
      '/backoffice/shipments',
      '/backoffice/api',
    ]) {
      const page = await fetch(`${url}${path}`);
      assert.equal(page.status, 200, path);
      assert.match(await page.text(), /NuORDER/);
    }
  });
});

describe('faults, rate limits and request counting', () => {
  it('latency delays, error answers the status, rate_limit answers 429 with Retry-After', async () => {
    await control('POST', '/_sim/faults', { kind: 'latency', path: '/api/orders/*', latencyMs: 150, times: 1 });
    const started = Date.now();
    assert.equal((await api('GET', '/api/orders/approved/list')).status, 200);
    assert.ok(Date.now() - started >= 140);

    await control('POST', '/_sim/faults', { kind: 'error', path: '/api/order/:id', times: 1 });
    const o = await approvedOrder();
    const err = await api('GET', `/api/order/${o._id}`);
    assert.equal(err.status, 500);
    assert.equal(err.json, 'Oops, there was a problem!');
    await control('POST', '/_sim/faults', { kind: 'error', status: 503, path: '/api/order/:id', times: 1 });
    const unavailable = await api('GET', `/api/order/${o._id}`);
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.json.code, 503);

    await control('POST', '/_sim/faults', { kind: 'rate_limit', retryAfterSeconds: 7, times: 1 });
    const limited = await api('GET', '/api/orders/approved/list');
    assert.equal(limited.status, 429);
    assert.equal(limited.res.headers.get('retry-after'), '7');
    assert.deepEqual(limited.json, { code: 429, message: 'Too Many Requests' });
    assert.equal((await api('GET', '/api/orders/approved/list')).status, 200);
  });

  it('hang never answers until the client gives up', async () => {
    await control('POST', '/_sim/faults', { kind: 'hang', path: '/api/orders/approved/list', times: 1 });
    await assert.rejects(api('GET', '/api/orders/approved/list', { signal: AbortSignal.timeout(200) }));
    assert.equal((await api('GET', '/api/orders/approved/list')).status, 200);
  });

  it('ghost_write commits then answers 500; ghost_drop commits then drops the connection', async () => {
    const [a, b] = (await api('GET', '/api/orders/approved/detail')).json as Json[];
    assert.ok(a && b);
    await control('POST', '/_sim/faults', {
      kind: 'ghost_write',
      method: 'POST',
      path: '/api/order/:id/:status',
      times: 1,
    });
    const ghost = await api('POST', `/api/order/${a._id}/process`);
    assert.equal(ghost.status, 500);
    assert.equal((await api('GET', `/api/order/${a._id}`)).json.status, 'processed');

    await control('POST', '/_sim/faults', {
      kind: 'ghost_drop',
      method: 'POST',
      path: '/api/order/:id/:status',
      times: 1,
    });
    await assert.rejects(api('POST', `/api/order/${b._id}/process`));
    assert.equal((await api('GET', `/api/order/${b._id}`)).json.status, 'processed');
  });

  it('token_expired answers the expired-token 401; times limits a rule to the next N requests', async () => {
    await control('POST', '/_sim/faults', { kind: 'token_expired', times: 2 });
    const first = await api('GET', '/api/orders/approved/list');
    assert.equal(first.status, 401);
    assert.match(first.json.message, /expired/);
    assert.equal((await api('GET', '/api/orders/approved/list')).status, 401);
    assert.equal((await api('GET', '/api/orders/approved/list')).status, 200);
    assert.deepEqual((await control('GET', '/_sim/faults')).json.faults, []);
  });

  it('a configured rate limit answers 429 per token until the window passes (inferred; off by default)', async () => {
    await control('PUT', '/_sim/config', { rateLimit: { limit: 2, windowSeconds: 60 } });
    assert.equal((await api('GET', '/api/orders/approved/list')).status, 200);
    assert.equal((await api('GET', '/api/orders/approved/list')).status, 200);
    const limited = await api('GET', '/api/orders/approved/list');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.res.headers.get('retry-after')) > 0);
    await control('POST', '/_sim/clock', { advanceSeconds: 61 });
    assert.equal(
      (await api('GET', '/api/orders/approved/list', { timestamp: Math.floor(Date.now() / 1000) + 61 })).status,
      200,
    );
  });

  it('counts requests per route', async () => {
    await control('DELETE', '/_sim/requests');
    const o = await approvedOrder();
    await api('GET', `/api/order/${o._id}`);
    await api('GET', `/api/order/${o._id}`);
    await api('GET', '/api/nothing/here');
    const counts = (await control('GET', '/_sim/requests')).json;
    assert.equal(counts.byRoute['GET /api/order/:id'], 2);
    assert.equal(counts.byRoute['GET /api/orders/:status/detail'], 1);
    assert.equal(counts.total, 4);
    assert.equal(counts.recent.length, 4);
  });
});

describe('state', () => {
  it('exports and imports the state, and writes and loads a snapshot file', async () => {
    const o = await approvedOrder();
    await control('POST', `/_sim/orders/${o._id}/edit`, { notes: 'changed' });
    const exported = (await control('GET', '/_sim/state')).json;
    await control('POST', '/_sim/reset');
    assert.equal((await api('GET', '/api/orders/approved/list')).status, 401, 'reset removes tokens');
    assert.equal((await control('PUT', '/_sim/state', exported)).status, 200);
    assert.deepEqual((await control('GET', '/_sim/state')).json, exported);
    assert.equal((await api('GET', `/api/order/${o._id}`)).json.notes, 'changed');
    assert.equal((await control('PUT', '/_sim/state', { hello: 1 })).status, 400);

    const dir = mkdtempSync(join(tmpdir(), 'nuorder-sim-'));
    try {
      const file = join(dir, 'snap.json');
      const withFile = createNuorderSimulator({ snapshotFile: file });
      withFile.seedScenario('small', {});
      const res = await withFile.app.request('/_sim/snapshot', { method: 'POST' });
      assert.equal(res.status, 200);
      const loaded = createNuorderSimulator({ snapshotFile: file });
      assert.deepEqual(loaded.exportState(), withFile.exportState());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
