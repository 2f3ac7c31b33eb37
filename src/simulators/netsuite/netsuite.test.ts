import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveApp, type RunningServer } from '../shared/server.ts';
import { SimClock } from '../shared/clock.ts';
import { createNetsuiteSimulator, defaultAccountId, defaultCredentials, type Simulator } from './index.ts';
import { hmacSha256Signature, signatureBaseString, verifyTbaRequest } from './oauth.ts';

// ---- a small OAuth 1.0 HMAC-SHA256 signer of the test's own (no simulator or connector code) ----------------

const enc = (v: string): string =>
  encodeURIComponent(v).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

interface Creds {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

function sign(
  method: string,
  url: string,
  creds: Creds,
  opts: { realm?: string; timestamp?: number; nonce?: string } = {},
): string {
  const u = new URL(url);
  const oauth: Record<string, string> = {
    oauth_consumer_key: creds.consumerKey,
    oauth_token: creds.tokenId,
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_nonce: opts.nonce ?? randomBytes(12).toString('hex'),
    oauth_version: '1.0',
  };
  const params = [...u.searchParams.entries(), ...Object.entries(oauth)]
    .map(([k, v]) => [enc(k), enc(v)])
    .sort(([a, av], [b, bv]) => (a! < b! ? -1 : a! > b! ? 1 : av! < bv! ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = `${method}&${enc(`${u.protocol}//${u.host}${u.pathname}`)}&${enc(params)}`;
  const signature = createHmac('sha256', `${enc(creds.consumerSecret)}&${enc(creds.tokenSecret)}`)
    .update(base)
    .digest('base64');
  const header = { realm: opts.realm ?? defaultAccountId, ...oauth, oauth_signature: signature };
  return `OAuth ${Object.entries(header)
    .map(([k, v]) => `${k}="${k === 'realm' ? v : enc(v)}"`)
    .join(',')}`;
}

let sim: Simulator;
let server: RunningServer;
let clock: SimClock;

async function api(
  method: string,
  path: string,
  opts: {
    body?: unknown;
    creds?: Creds;
    headers?: Record<string, string>;
    signal?: AbortSignal;
    realm?: string;
    timestamp?: number;
    nonce?: string;
  } = {},
): Promise<Response> {
  const url = `${server.url}${path}`;
  return fetch(url, {
    method,
    headers: {
      Authorization: sign(method, url, opts.creds ?? defaultCredentials, {
        timestamp: opts.timestamp ?? Math.floor(clock.now() / 1000),
        ...(opts.realm ? { realm: opts.realm } : {}),
        ...(opts.nonce ? { nonce: opts.nonce } : {}),
      }),
      ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...opts.headers,
    },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

async function json(res: Response): Promise<Record<string, any>> {
  return (await res.json()) as Record<string, any>;
}

async function control(method: string, path: string, body?: unknown): Promise<Record<string, any>> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return json(res);
}

const idFrom = (res: Response): string => {
  const location = res.headers.get('location');
  assert.ok(location, 'Location header');
  return location.split('/').pop() as string;
};

async function suiteql(q: string, query = ''): Promise<Record<string, any>> {
  const res = await api('POST', `/services/rest/query/v1/suiteql${query}`, {
    body: { q },
    headers: { Prefer: 'transient' },
  });
  assert.equal(res.status, 200, JSON.stringify(await res.clone().json()));
  return json(res);
}

function itemBySku(sku: string): string {
  const state = sim.exportState() as { items: Record<string, { id: string; itemId: string }> };
  const found = Object.values(state.items).find((i) => i.itemId === sku);
  assert.ok(found, sku);
  return found.id;
}

function regularItem(n = 0): string {
  const state = sim.exportState() as { items: Record<string, { id: string; itemType: string; itemId: string }> };
  const found = Object.values(state.items).filter((i) => i.itemType === 'inventoryItem' && !i.itemId.startsWith('TL-'))[
    n
  ];
  assert.ok(found);
  return found.id;
}

function numbersOf(sku: string, locationId: string): string[] {
  const state = sim.exportState() as {
    inventoryNumbers: Record<string, { id: string; item: string; location: string; quantityOnHand: number }>;
  };
  const item = itemBySku(sku);
  return Object.values(state.inventoryNumbers)
    .filter((n) => n.item === item && n.location === locationId && n.quantityOnHand > 0)
    .map((n) => n.id);
}

const MAIN = '1';
const HARBOR = '2';
const WAREHOUSE = '3';

before(async () => {
  clock = new SimClock();
  sim = createNetsuiteSimulator({ clock });
  server = await serveApp(sim.app, 0);
});

after(async () => {
  await server.close();
});

beforeEach(async () => {
  await control('POST', '/_sim/reset');
  await control('POST', '/_sim/seed', { scenario: 'small' });
});

describe('TBA signature', () => {
  it('reproduces the NetSuite REST vector (oauth1-test-vectors.md #8)', () => {
    const url =
      'https://9876543-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/123?expandSubResources=true';
    const params: Array<[string, string]> = [
      ['expandSubResources', 'true'],
      ['oauth_consumer_key', 'CONSUMER_KEY_VALUE'],
      ['oauth_token', 'TOKEN_ID_VALUE'],
      ['oauth_signature_method', 'HMAC-SHA256'],
      ['oauth_timestamp', '1234567890'],
      ['oauth_nonce', 'asdfasdf'],
      ['oauth_version', '1.0'],
    ];
    const base = signatureBaseString('GET', url, params);
    assert.equal(
      base,
      'GET&https%3A%2F%2F9876543-sb1.suitetalk.api.netsuite.com%2Fservices%2Frest%2Frecord%2Fv1%2Fcustomer%2F123&expandSubResources%3Dtrue%26oauth_consumer_key%3DCONSUMER_KEY_VALUE%26oauth_nonce%3Dasdfasdf%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1234567890%26oauth_token%3DTOKEN_ID_VALUE%26oauth_version%3D1.0',
    );
    assert.equal(
      hmacSha256Signature(base, 'CONSUMER_SECRET_VALUE', 'TOKEN_SECRET_VALUE'),
      'cId0B3hP0sFVQw/gjQ/P6YiOSx76u0WfyO8umOlq3gg=',
    );
    // …and the verifier accepts the vector's exact header.
    const result = verifyTbaRequest({
      method: 'GET',
      urls: [url],
      authorization:
        'OAuth realm="9876543_SB1",oauth_consumer_key="CONSUMER_KEY_VALUE",oauth_token="TOKEN_ID_VALUE",oauth_signature_method="HMAC-SHA256",oauth_timestamp="1234567890",oauth_nonce="asdfasdf",oauth_version="1.0",oauth_signature="cId0B3hP0sFVQw%2FgjQ%2FP6YiOSx76u0WfyO8umOlq3gg%3D"',
      realm: '9876543_SB1',
      nowMs: 1234567890_000,
      toleranceSeconds: 300,
      lookup: () => ({ consumerSecret: 'CONSUMER_SECRET_VALUE', tokenSecret: 'TOKEN_SECRET_VALUE' }),
      useNonce: () => true,
    });
    assert.deepEqual(result, { ok: true, tokenId: 'TOKEN_ID_VALUE', consumerKey: 'CONSUMER_KEY_VALUE' });
  });

  it('reproduces the NetSuite RESTlet vector (#7)', () => {
    const url =
      'https://1234567.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=6&deploy=1&customParam=someValue&testParam=someOtherValue';
    const params: Array<[string, string]> = [
      ...new URL(url).searchParams.entries(),
      ['oauth_consumer_key', 'ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4'],
      ['oauth_token', '2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc'],
      ['oauth_signature_method', 'HMAC-SHA256'],
      ['oauth_timestamp', '1508242306'],
      ['oauth_nonce', 'fjaLirsIcCGVZWzBX0pg'],
      ['oauth_version', '1.0'],
    ];
    const sig = hmacSha256Signature(
      signatureBaseString('POST', url, params),
      'd26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5',
      'c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295',
    );
    assert.equal(sig, 'i7MEtGwhCTIZbTsTrNGw9LdcERn4wsjt5C7TxmKWIfU=');
  });
});

describe('authentication over HTTP', () => {
  const assertRefused = async (res: Response): Promise<void> => {
    assert.equal(res.status, 401);
    const body = await json(res);
    assert.equal(body.status, 401);
    assert.equal(body.title, 'Unauthorized');
    assert.equal(body['o:errorDetails'][0]['o:errorCode'], 'INVALID_LOGIN');
  };

  it('accepts a correctly signed request', async () => {
    const res = await api('GET', '/services/rest/record/v1/location/1?expandSubResources=true');
    assert.equal(res.status, 200);
    assert.equal((await json(res)).name, 'Main Street');
  });

  it('refuses a missing header, a bad signature, an unknown token, a wrong realm, a stale timestamp and a replayed nonce', async () => {
    await assertRefused(await fetch(`${server.url}/services/rest/record/v1/location/1`));
    await assertRefused(
      await api('GET', '/services/rest/record/v1/location/1', {
        creds: { ...defaultCredentials, tokenSecret: 'wrong' },
      }),
    );
    await assertRefused(
      await api('GET', '/services/rest/record/v1/location/1', { creds: { ...defaultCredentials, tokenId: 'nope' } }),
    );
    await assertRefused(await api('GET', '/services/rest/record/v1/location/1', { realm: '1234567' }));
    await assertRefused(
      await api('GET', '/services/rest/record/v1/location/1', { timestamp: Math.floor(clock.now() / 1000) - 3600 }),
    );
    const url = `${server.url}/services/rest/record/v1/location/1`;
    const header = sign('GET', url, defaultCredentials, {
      timestamp: Math.floor(clock.now() / 1000),
      nonce: 'onceonly123',
    });
    assert.equal((await fetch(url, { headers: { Authorization: header } })).status, 200);
    const replay = await fetch(url, { headers: { Authorization: header } });
    await assertRefused(replay);
    assert.match(replay.headers.get('x-sim-auth-reason') ?? '', /replay/);
  });

  it('mints a token pair through the control API and honours revocation and a configured lifetime', async () => {
    const minted = await control('POST', '/_sim/tokens', { name: 'CI' });
    const creds = minted as unknown as Creds;
    assert.equal(minted.realm, defaultAccountId);
    assert.equal((await api('GET', '/services/rest/record/v1/location/2', { creds })).status, 200);
    await control('DELETE', `/_sim/tokens/${minted.tokenId}`);
    assert.equal((await api('GET', '/services/rest/record/v1/location/2', { creds })).status, 401);
    await control('PUT', '/_sim/config', { tokenLifetimeSeconds: 60 });
    await control('POST', '/_sim/clock', { advanceSeconds: 120 });
    assert.equal((await api('GET', '/services/rest/record/v1/location/2')).status, 401);
    await control('PUT', '/_sim/config', { tokenLifetimeSeconds: null });
    assert.equal((await api('GET', '/services/rest/record/v1/location/2')).status, 200);
  });
});

describe('sales orders', () => {
  it('creates (204 + Location), reads, patches and refuses bad input with NetSuite error bodies', async () => {
    const item = regularItem();
    // The account defines a line field of its own (the seeded one defines custbody_tl_xseries_sale_id).
    await control('POST', '/_sim/seed', { data: { customFields: [{ scriptId: 'custcol_note', label: 'Note' }] } });
    const create = await api('POST', '/services/rest/record/v1/salesOrder', {
      body: {
        entity: { id: '201' },
        location: { id: MAIN },
        custbody_tl_xseries_sale_id: 'abc-123',
        item: { items: [{ item: { id: item }, quantity: 2, rate: 10, custcol_note: 'x' }] },
      },
    });
    assert.equal(create.status, 204);
    assert.match(create.headers.get('location') ?? '', /\/services\/rest\/record\/v1\/salesOrder\/\d+$/);
    const id = idFrom(create);

    const got = await json(await api('GET', `/services/rest/record/v1/salesOrder/${id}`));
    // As a real record shows it: display text in `status`, the code in `orderStatus` (divergences.md F1).
    assert.deepEqual(got.status, { id: 'Pending Approval', refName: 'Pending Approval' });
    assert.deepEqual(got.orderStatus, { id: 'A', refName: 'A' });
    assert.equal(got.custbody_tl_xseries_sale_id, 'abc-123');
    assert.equal(got.entity.id, '201');
    assert.deepEqual(Object.keys(got.item), ['links']);
    const expanded = await json(await api('GET', `/services/rest/record/v1/salesOrder/${id}?expandSubResources=true`));
    assert.equal(expanded.item.items[0].quantity, 2);
    assert.equal(expanded.item.items[0].amount, 20);
    assert.equal(expanded.item.items[0].custcol_note, 'x');

    assert.equal(
      (
        await api('PATCH', `/services/rest/record/v1/salesOrder/${id}`, {
          body: { orderStatus: 'B', item: { items: [{ item: { id: regularItem(1) }, quantity: 1 }] } },
        })
      ).status,
      204,
    );
    const lines = await json(await api('GET', `/services/rest/record/v1/salesOrder/${id}/item`));
    assert.equal(lines.items.length, 2);
    assert.deepEqual((await json(await api('GET', `/services/rest/record/v1/salesOrder/${id}`))).orderStatus, {
      id: 'B',
      refName: 'B',
    });

    const missing = await api('POST', '/services/rest/record/v1/salesOrder', {
      body: { item: { items: [{ item: { id: item } }] } },
    });
    assert.equal(missing.status, 400);
    const err = await json(missing);
    assert.equal(err.title, 'Bad Request');
    assert.deepEqual(err['o:errorDetails'][0], {
      detail: 'Please enter a value for [entity]',
      'o:errorCode': 'FIELD_PARAM_REQD',
      'o:errorPath': 'entity',
    });
    const bad = await api('POST', '/services/rest/record/v1/salesOrder', {
      body: { entity: { id: '201' }, item: { items: [{ item: { id: '99999' } }] } },
    });
    // Oracle's documented answer to a reference to nothing (section_156570709583).
    assert.deepEqual((await json(bad))['o:errorDetails'][0], {
      detail:
        'Error while accessing resource: You have entered an Invalid Field Value 99999 for the following field: item',
      'o:errorPath': 'item.items[0].item',
      'o:errorCode': 'INVALID_CONTENT',
    });
    // What the account does not have is refused (F8): a refName-only reference that names nothing, a currency or a
    // department it does not have, a custom field nobody defined. Nothing is created.
    const before = Object.keys((sim.exportState() as { transactions: object }).transactions).length;
    for (const [body, code, path] of [
      [{ shipMethod: { refName: 'Teleport' } }, 'INVALID_CONTENT', 'shipMethod'],
      [{ currency: { refName: 'Bitcoin' } }, 'INVALID_CONTENT', 'currency'],
      [{ department: { id: '7' } }, 'INVALID_CONTENT', 'department'],
      [{ custbody_not_defined: 'x' }, 'INVALID_PARAMETER', 'custbody_not_defined'],
    ] as const) {
      const refused = await api('POST', '/services/rest/record/v1/salesOrder', {
        body: { entity: { id: '201' }, item: { items: [{ item: { id: item } }] }, ...body },
      });
      assert.equal(refused.status, 400, JSON.stringify(body));
      const detail = (await json(refused))['o:errorDetails'][0];
      assert.equal(detail['o:errorCode'], code, JSON.stringify(body));
      assert.equal(detail['o:errorPath'], path);
    }
    assert.equal(Object.keys((sim.exportState() as { transactions: object }).transactions).length, before);
    const junk = await fetch(`${server.url}/services/rest/record/v1/salesOrder`, {
      method: 'POST',
      headers: {
        Authorization: sign('POST', `${server.url}/services/rest/record/v1/salesOrder`, defaultCredentials, {
          timestamp: Math.floor(clock.now() / 1000),
        }),
        'Content-Type': 'application/json',
      },
      body: '{not json',
    });
    assert.equal(junk.status, 400);
    assert.equal((await json(junk))['o:errorDetails'][0]['o:errorCode'], 'INVALID_CONTENT');
    const none = await api('GET', '/services/rest/record/v1/salesOrder/999999');
    assert.equal(none.status, 404);
    assert.equal((await json(none))['o:errorDetails'][0]['o:errorCode'], 'NONEXISTENT_ID');
  });

  it('upserts by external id: twice gives one record, updated', async () => {
    const body = {
      entity: { id: '201' },
      orderStatus: 'B',
      memo: 'first',
      item: { items: [{ item: { id: regularItem() }, quantity: 1 }] },
    };
    const first = await api('PUT', '/services/rest/record/v1/salesOrder/eid:XS-SALE-1', { body });
    assert.equal(first.status, 204);
    const second = await api('PUT', '/services/rest/record/v1/salesOrder/eid:XS-SALE-1', { body: { memo: 'second' } });
    assert.equal(second.status, 204);
    assert.equal(idFrom(first), idFrom(second));
    const got = await json(await api('GET', '/services/rest/record/v1/salesOrder/eid:XS-SALE-1'));
    assert.equal(got.memo, 'second');
    assert.equal(got.externalId, 'XS-SALE-1');
    const found = await suiteql("SELECT id FROM transaction WHERE type = 'SalesOrd' AND externalid = 'XS-SALE-1'");
    assert.equal(found.totalResults, 1);
    const dup = await api('POST', '/services/rest/record/v1/salesOrder', {
      body: { ...body, externalId: 'XS-SALE-1' },
    });
    assert.equal(dup.status, 400);
  });

  it('moves status through partial fulfilment, billing and closing (E → D → F → G)', async () => {
    const create = await api('POST', '/services/rest/record/v1/salesOrder', {
      body: {
        entity: { id: '201' },
        orderStatus: 'B',
        location: { id: MAIN },
        item: {
          items: [
            { item: { id: regularItem() }, quantity: 3 },
            { item: { id: regularItem(1) }, quantity: 1 },
          ],
        },
      },
    });
    const id = idFrom(create);
    const status = async (): Promise<string> =>
      (await json(await api('GET', `/services/rest/record/v1/salesOrder/${id}`))).orderStatus.id;

    const invoiceEarly = await api('POST', `/services/rest/record/v1/salesOrder/${id}/!transform/invoice`, {
      body: {},
    });
    assert.equal(invoiceEarly.status, 400);

    const f1 = await api('POST', `/services/rest/record/v1/salesorder/${id}/!transform/itemfulfillment`, {
      body: {
        item: {
          items: [
            { orderLine: 1, location: 1, quantity: 2 },
            { orderLine: 2, itemreceive: false },
          ],
        },
      },
    });
    assert.equal(f1.status, 204);
    assert.match(f1.headers.get('location') ?? '', /itemFulfillment\/\d+$/);
    assert.equal(await status(), 'E');
    const fulfilment = await json(
      await api('GET', `/services/rest/record/v1/itemFulfillment/${idFrom(f1)}?expandSubResources=true`),
    );
    assert.equal(fulfilment.createdFrom.id, id);
    assert.deepEqual(
      fulfilment.item.items.map((l: any) => [l.orderLine, l.quantity]),
      [[1, 2]],
    );

    const inv1 = await api('POST', `/services/rest/record/v1/salesOrder/${id}/!transform/invoice`, { body: {} });
    assert.equal(inv1.status, 204);
    assert.equal(await status(), 'D');
    const invoice = await json(
      await api('GET', `/services/rest/record/v1/invoice/${idFrom(inv1)}?expandSubResources=true`),
    );
    assert.deepEqual(invoice.status, { id: 'Open', refName: 'Open' });
    assert.equal(invoice.item.items[0].quantity, 2);

    assert.equal(
      (await api('POST', `/services/rest/record/v1/salesOrder/${id}/!transform/itemFulfillment`, { body: {} })).status,
      204,
    );
    assert.equal(await status(), 'F');
    // The order uses the invoice form: a cash sale is refused.
    assert.equal(
      (await api('POST', `/services/rest/record/v1/salesOrder/${id}/!transform/cashSale`, { body: {} })).status,
      400,
    );
    assert.equal((await api('POST', `/services/rest/record/v1/salesOrder/${id}/!transform/invoice`)).status, 204);
    const billed = await json(await api('GET', `/services/rest/record/v1/salesOrder/${id}`));
    assert.deepEqual(
      [billed.orderStatus, billed.status],
      [
        { id: 'G', refName: 'G' },
        { id: 'Billed', refName: 'Billed' },
      ],
    );
    assert.equal(
      (await api('POST', `/services/rest/record/v1/salesOrder/${id}/!transform/itemFulfillment`, { body: {} })).status,
      400,
    );
  });

  it('bills a cash-sale-form order with !transform/cashSale; closing every line gives H; pending approval cannot be fulfilled', async () => {
    const create = await api('POST', '/services/rest/record/v1/salesOrder', {
      body: {
        entity: { id: '202' },
        orderStatus: 'B',
        customForm: { id: '88' },
        location: { id: HARBOR },
        item: { items: [{ item: { id: regularItem() }, quantity: 1 }] },
      },
    });
    const id = idFrom(create);
    assert.equal(
      (await api('POST', `/services/rest/record/v1/salesOrder/${id}/!transform/itemFulfillment`)).status,
      204,
    );
    const cs = await api('POST', `/services/rest/record/v1/salesOrder/${id}/!transform/cashSale`, {
      body: { externalId: 'XS-PAY-1', custbody_tl_xseries_sale_id: 's-1' },
    });
    assert.equal(cs.status, 204);
    const sale = await json(await api('GET', '/services/rest/record/v1/cashSale/eid:XS-PAY-1'));
    assert.equal(sale.createdFrom.id, id);
    assert.equal(sale.custbody_tl_xseries_sale_id, 's-1');
    assert.equal((await json(await api('GET', `/services/rest/record/v1/salesOrder/${id}`))).orderStatus.id, 'G');

    const other = idFrom(
      await api('POST', '/services/rest/record/v1/salesOrder', {
        body: {
          entity: { id: '202' },
          location: { id: HARBOR },
          item: { items: [{ item: { id: regularItem() }, quantity: 1 }] },
        },
      }),
    );
    const refused = await api('POST', `/services/rest/record/v1/salesOrder/${other}/!transform/itemFulfillment`);
    assert.equal(refused.status, 400);
    assert.equal((await json(refused))['o:errorDetails'][0]['o:errorCode'], 'INVALID_INITIALIZE_REF');
    await api('PATCH', `/services/rest/record/v1/salesOrder/${other}`, {
      body: { orderStatus: 'B', item: { items: [{ line: 1, isclosed: true }] } },
    });
    assert.equal((await json(await api('GET', `/services/rest/record/v1/salesOrder/${other}`))).orderStatus.id, 'H');
  });
});

describe('inventory detail and kits', () => {
  const order = async (sku: string, location: string, quantity = 1): Promise<string> =>
    idFrom(
      await api('POST', '/services/rest/record/v1/salesOrder', {
        body: {
          entity: { id: '201' },
          orderStatus: 'B',
          location: { id: location },
          item: { items: [{ item: { id: itemBySku(sku) }, quantity }] },
        },
      }),
    );

  it('refuses a serial item without inventory detail and accepts it with serial numbers', async () => {
    const id = await order('TL-GPS-RIDGE', MAIN, 2);
    const refused = await api('POST', `/services/rest/record/v1/salesOrder/${id}/!transform/itemFulfillment`, {
      body: {},
    });
    assert.equal(refused.status, 400);
    const err = (await json(refused))['o:errorDetails'][0];
    assert.match(err.detail, /inventory detail/);
    const serials = numbersOf('TL-GPS-RIDGE', MAIN).slice(0, 2);
    const wrongCount = await api('POST', `/services/rest/record/v1/salesOrder/${id}/!transform/itemFulfillment`, {
      body: {
        item: {
          items: [
            {
              orderLine: 1,
              inventoryDetail: {
                inventoryAssignment: { items: [{ issueInventoryNumber: { id: serials[0] }, quantity: 1 }] },
              },
            },
          ],
        },
      },
    });
    assert.equal(wrongCount.status, 400);
    const ok = await api('POST', `/services/rest/record/v1/salesOrder/${id}/!transform/itemFulfillment`, {
      body: {
        item: {
          items: [
            {
              orderLine: 1,
              inventoryDetail: {
                inventoryAssignment: { items: serials.map((s) => ({ issueInventoryNumber: { id: s }, quantity: 1 })) },
              },
            },
          ],
        },
      },
    });
    assert.equal(ok.status, 204, JSON.stringify(await ok.clone().text()));
    const f = await json(
      await api('GET', `/services/rest/record/v1/itemFulfillment/${idFrom(ok)}?expandSubResources=true`),
    );
    assert.equal(f.item.items[0].inventoryDetail.inventoryAssignment.items.length, 2);
    // The serials are used up.
    assert.equal(numbersOf('TL-GPS-RIDGE', MAIN).length, 2);
  });

  it('needs a lot number for a lot item and a bin for a bin item at the warehouse', async () => {
    const lotOrder = await order('TL-BALM-BEESWAX', HARBOR, 3);
    assert.equal(
      (await api('POST', `/services/rest/record/v1/salesOrder/${lotOrder}/!transform/itemFulfillment`)).status,
      400,
    );
    const lot = numbersOf('TL-BALM-BEESWAX', HARBOR)[0];
    const lotOk = await api('POST', `/services/rest/record/v1/salesOrder/${lotOrder}/!transform/itemFulfillment`, {
      body: {
        item: {
          items: [
            {
              orderLine: 1,
              inventoryDetail: { inventoryAssignment: { items: [{ issueInventoryNumber: { id: lot }, quantity: 3 }] } },
            },
          ],
        },
      },
    });
    assert.equal(lotOk.status, 204);

    const binOrder = await order('TL-TOTE-CANVAS', WAREHOUSE, 2);
    assert.equal(
      (await api('POST', `/services/rest/record/v1/salesOrder/${binOrder}/!transform/itemFulfillment`)).status,
      400,
    );
    const state = sim.exportState() as { bins: Record<string, { id: string; binNumber: string }> };
    const bin = Object.values(state.bins).find((b) => b.binNumber === 'A-01-01')?.id;
    const binOk = await api('POST', `/services/rest/record/v1/salesOrder/${binOrder}/!transform/itemFulfillment`, {
      body: {
        item: {
          items: [
            {
              orderLine: 1,
              inventoryDetail: { inventoryAssignment: { items: [{ binNumber: { id: bin }, quantity: 2 }] } },
            },
          ],
        },
      },
    });
    assert.equal(binOk.status, 204);
    // The same bin item at a store (no bins there) needs no detail.
    const storeOrder = await order('TL-TOTE-CANVAS', MAIN, 1);
    assert.equal(
      (await api('POST', `/services/rest/record/v1/salesOrder/${storeOrder}/!transform/itemFulfillment`)).status,
      204,
    );
  });

  it('fulfils a kit whose components include a serial item, from one location', async () => {
    const kit = itemBySku('TL-KIT-EXPLORER');
    const kitRecord = await json(await api('GET', `/services/rest/record/v1/kitItem/${kit}?expandSubResources=true`));
    assert.equal(kitRecord.member.items.length, 3);
    const id = await order('TL-KIT-EXPLORER', MAIN, 1);
    assert.equal(
      (await api('POST', `/services/rest/record/v1/salesOrder/${id}/!transform/itemFulfillment`)).status,
      400,
    );
    const watch = itemBySku('TL-WATCH-TIDAL');
    const serial = numbersOf('TL-WATCH-TIDAL', MAIN)[0];
    const wrongLocation = await api('POST', `/services/rest/record/v1/salesOrder/${id}/!transform/itemFulfillment`, {
      body: {
        item: {
          items: [
            {
              orderLine: 1,
              item: { id: watch },
              location: HARBOR,
              inventoryDetail: { inventoryAssignment: { items: [{ issueInventoryNumber: { id: serial } }] } },
            },
          ],
        },
      },
    });
    assert.equal(wrongLocation.status, 400);
    const ok = await api('POST', `/services/rest/record/v1/salesOrder/${id}/!transform/itemFulfillment`, {
      body: {
        item: {
          items: [
            {
              orderLine: 1,
              item: { id: watch },
              inventoryDetail: {
                inventoryAssignment: { items: [{ issueInventoryNumber: { id: serial }, quantity: 1 }] },
              },
            },
          ],
        },
      },
    });
    assert.equal(ok.status, 204, await ok.clone().text());
    const f = await json(
      await api('GET', `/services/rest/record/v1/itemFulfillment/${idFrom(ok)}?expandSubResources=true`),
    );
    assert.equal(f.item.items.length, 4);
    assert.equal(f.item.items.filter((l: any) => l.kitMemberOf === 1).length, 3);
    assert.equal((await json(await api('GET', `/services/rest/record/v1/salesOrder/${id}`))).orderStatus.id, 'F');
  });
});

describe('cash sales', () => {
  it('creates, reads, upserts and patches a standalone cash sale; serial lines need detail', async () => {
    const item = regularItem();
    const create = await api('POST', '/services/rest/record/v1/cashSale', {
      body: {
        entity: { id: '201' },
        location: { id: MAIN },
        externalId: 'XS-CS-1',
        item: { items: [{ item: { id: item }, quantity: 2, rate: 5 }] },
      },
    });
    assert.equal(create.status, 204);
    const id = idFrom(create);
    const got = await json(await api('GET', `/services/rest/record/v1/cashSale/${id}?expandSubResources=true`));
    assert.equal(got.total, 10);
    assert.deepEqual(got.status, { id: 'Not Deposited', refName: 'Not Deposited' });
    assert.equal(
      (
        await api('PATCH', `/services/rest/record/v1/cashSale/${id}`, {
          body: { memo: 'paid at till', custbody_tl_xseries_sale_id: 'x-9' },
        })
      ).status,
      204,
    );
    assert.equal((await json(await api('GET', `/services/rest/record/v1/cashSale/eid:XS-CS-1`))).memo, 'paid at till');
    const again = await api('PUT', '/services/rest/record/v1/cashSale/eid:XS-CS-1', { body: { memo: 'upserted' } });
    assert.equal(idFrom(again), id);
    const fresh = await api('PUT', '/services/rest/record/v1/cashSale/eid:XS-CS-2', {
      body: { entity: { id: '201' }, location: { id: MAIN }, item: { items: [{ item: { id: item } }] } },
    });
    assert.notEqual(idFrom(fresh), id);
    const serial = await api('POST', '/services/rest/record/v1/cashSale', {
      body: {
        entity: { id: '201' },
        location: { id: MAIN },
        item: { items: [{ item: { id: itemBySku('TL-GPS-RIDGE') }, quantity: 1 }] },
      },
    });
    assert.equal(serial.status, 400);
    const kit = await api('POST', '/services/rest/record/v1/cashSale', {
      body: {
        entity: { id: '201' },
        location: { id: MAIN },
        item: { items: [{ item: { id: itemBySku('TL-KIT-EXPLORER') }, quantity: 1 }] },
      },
    });
    assert.equal(kit.status, 400);
  });
});

describe('SuiteQL', () => {
  it('lists sales orders changed since a time, paging to the end', async () => {
    await control('POST', '/_sim/reset');
    await control('POST', '/_sim/seed', { scenario: 'demo' });
    const since = new Date(clock.now() - 30 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const q = `SELECT id, tranid, status, BUILTIN.DF(status) AS statusname, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD"T"HH24:MI:SS') AS modified, externalid FROM transaction WHERE type = 'SalesOrd' AND lastmodifieddate >= TO_TIMESTAMP('${since}', 'YYYY-MM-DD HH24:MI:SS') ORDER BY lastmodifieddate, id`;
    const seen: Array<Record<string, any>> = [];
    let offset = 0;
    let page: Record<string, any>;
    do {
      page = await suiteql(q, `?limit=4&offset=${offset}`);
      seen.push(...page.items);
      offset += 4;
      if (page.hasMore) assert.ok(page.links.some((l: any) => l.rel === 'next'));
    } while (page.hasMore);
    assert.equal(seen.length, page.totalResults);
    assert.ok(seen.length >= 8 && seen.length < 15, `changed-since subset, got ${seen.length}`);
    const modified = seen.map((r) => r.modified as string);
    assert.deepEqual([...modified].sort(), modified);
    assert.ok(
      seen.every((r) => typeof r.id === 'string' && /^SO/.test(r.tranid) && /^Sales Order : /.test(r.statusname)),
    );
    assert.ok(seen.every((r) => r.links && !('externalid' in r && r.externalid === null)));

    const all = await suiteql("SELECT id, status FROM transaction WHERE type = 'SalesOrd'");
    assert.deepEqual([...new Set(all.items.map((r: any) => r.status))].sort(), [
      'A',
      'B',
      'C',
      'D',
      'E',
      'F',
      'G',
      'H',
    ]);
    const open = await suiteql(
      "SELECT id FROM transaction WHERE type = 'SalesOrd' AND status IN ('SalesOrd:B','SalesOrd:D','SalesOrd:E')",
    );
    assert.equal(open.totalResults, all.items.filter((r: any) => ['B', 'D', 'E'].includes(r.status)).length);
    const raw = await suiteql("SELECT t.lastmodifieddate FROM transaction t WHERE t.type = 'SalesOrd' AND t.id > 0");
    assert.match(raw.items[0].lastmodifieddate, /^\d{1,2}\/\d{1,2}\/\d{4}$/);
  });

  it('requires Prefer: transient and refuses queries it cannot run', async () => {
    const noPrefer = await api('POST', '/services/rest/query/v1/suiteql', {
      body: { q: 'SELECT id FROM transaction' },
    });
    assert.equal(noPrefer.status, 400);
    const bad = await api('POST', '/services/rest/query/v1/suiteql', {
      body: { q: 'DELETE FROM transaction' },
      headers: { Prefer: 'transient' },
    });
    assert.equal(bad.status, 400);
    assert.equal((await json(bad))['o:errorDetails'][0]['o:errorCode'], 'INVALID_PARAMETER');
    const limit = await api('POST', '/services/rest/query/v1/suiteql?limit=5000', {
      body: { q: 'SELECT id FROM item' },
      headers: { Prefer: 'transient' },
    });
    assert.equal(limit.status, 400);
  });
});

describe('faults, limits and counting', () => {
  const path = '/services/rest/record/v1/location/1';
  const newOrder = {
    entity: { id: '201' },
    externalId: 'GHOST-1',
    item: { items: [{ item: { id: '' }, quantity: 1 }] },
  };

  it('applies latency, error, rate_limit and token_expired, and `times`', async () => {
    await control('POST', '/_sim/faults', { kind: 'latency', path, latencyMs: 150, times: 1 });
    const t0 = Date.now();
    assert.equal((await api('GET', path)).status, 200);
    assert.ok(Date.now() - t0 >= 140);

    await control('POST', '/_sim/faults', { kind: 'error', path, status: 503, times: 2 });
    const e1 = await api('GET', path);
    assert.equal(e1.status, 503);
    assert.equal((await json(e1)).status, 503);
    assert.equal((await api('GET', path)).status, 503);
    assert.equal((await api('GET', path)).status, 200);

    await control('POST', '/_sim/faults', { kind: 'rate_limit', path: '/services/*', retryAfterSeconds: 2, times: 1 });
    const limited = await api('GET', path);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '2');
    assert.equal((await json(limited))['o:errorDetails'][0]['o:errorCode'], 'CONCURRENCY_LIMIT_EXCEEDED');

    await control('POST', '/_sim/faults', { kind: 'token_expired', times: 1 });
    const expired = await api('GET', path);
    assert.equal(expired.status, 401);
    assert.equal((await json(expired))['o:errorDetails'][0]['o:errorCode'], 'INVALID_LOGIN');
    assert.equal((await api('GET', path)).status, 200);
  });

  it('hangs until the client gives up', async () => {
    await control('POST', '/_sim/faults', { kind: 'hang', path, times: 1 });
    await assert.rejects(
      api('GET', path, { signal: AbortSignal.timeout(200) }),
      (e: Error) => e.name === 'TimeoutError' || e.name === 'AbortError',
    );
    await control('DELETE', '/_sim/faults');
  });

  it('ghost_write commits and answers 500; ghost_drop commits and drops the connection', async () => {
    newOrder.item.items[0]!.item.id = regularItem();
    await control('POST', '/_sim/faults', {
      kind: 'ghost_write',
      method: 'PUT',
      path: '/services/rest/record/v1/salesOrder/:id',
      times: 1,
    });
    const ghost = await api('PUT', '/services/rest/record/v1/salesOrder/eid:GHOST-1', { body: newOrder });
    assert.equal(ghost.status, 500);
    assert.equal((await api('GET', '/services/rest/record/v1/salesOrder/eid:GHOST-1')).status, 200);

    await control('POST', '/_sim/faults', {
      kind: 'ghost_drop',
      method: 'POST',
      path: '/services/rest/record/v1/salesOrder',
      times: 1,
    });
    await assert.rejects(
      api('POST', '/services/rest/record/v1/salesOrder', { body: { ...newOrder, externalId: 'GHOST-2' } }),
    );
    assert.equal((await api('GET', '/services/rest/record/v1/salesOrder/eid:GHOST-2')).status, 200);
  });

  it('answers 429 beyond the concurrency limit', async () => {
    await control('PUT', '/_sim/config', { concurrencyLimit: 2, processingMs: 150 });
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => api('GET', path)));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 429, 429, 429]);
    const body = await json(results.find((r) => r.status === 429) as Response);
    assert.equal(body['o:errorDetails'][0]['o:errorCode'], 'CONCURRENCY_LIMIT_EXCEEDED');
    await control('PUT', '/_sim/config', { concurrencyLimit: 5, processingMs: 0 });
  });

  it('counts requests per route pattern', async () => {
    await control('DELETE', '/_sim/requests');
    await api('GET', '/services/rest/record/v1/location/1');
    await api('GET', '/services/rest/record/v1/location/2');
    await api('POST', '/services/rest/query/v1/suiteql', {
      body: { q: 'SELECT id FROM location' },
      headers: { Prefer: 'transient' },
    });
    const counts = await control('GET', '/_sim/requests');
    assert.equal(counts.total, 3);
    assert.equal(counts.byRoute['GET /services/rest/record/v1/:recordType/:id'], 2);
    assert.equal(counts.byRoute['POST /services/rest/query/v1/suiteql'], 1);
  });
});

describe('seeding, control routes, back office and snapshots', () => {
  it('seeds demo with locations, special items and fifteen orders across every status', async () => {
    await control('POST', '/_sim/reset');
    const seeded = await control('POST', '/_sim/seed', { scenario: 'demo' });
    assert.equal(seeded.summary.salesOrders, 15);
    assert.equal(seeded.summary.locations, 3);
    const locations = await suiteql('SELECT id, name FROM location ORDER BY id');
    assert.deepEqual(
      locations.items.map((l: any) => l.name),
      ['Main Street', 'Harbor Mall', 'Warehouse'],
    );
    const special = await suiteql(
      "SELECT itemid, isserialitem, islotitem, usebins, itemtype FROM item WHERE itemid LIKE 'TL-%' ORDER BY itemid",
    );
    assert.ok(special.items.some((i: any) => i.isserialitem === 'T'));
    assert.ok(special.items.some((i: any) => i.islotitem === 'T'));
    assert.ok(special.items.some((i: any) => i.itemtype === 'Kit'));
    const withUpc = await suiteql('SELECT id, itemid, upccode FROM item WHERE upccode IS NOT NULL', '?limit=5');
    assert.ok(withUpc.totalResults > 100);
    const again = createNetsuiteSimulator({ clock });
    again.seedScenario('demo', {});
    const a = (again.exportState() as any).items;
    const b = (sim.exportState() as any).items;
    assert.deepEqual(Object.keys(a), Object.keys(b));
  });

  it('raises a sales order as a person would, and shows it on the back office', async () => {
    const made = await control('POST', '/_sim/sales-orders', {
      customer: '201',
      items: [{ item: 'TL-GPS-RIDGE', quantity: 1 }],
      location: 'Main Street',
      fulfilment: 'pickup',
      status: 'F',
      externalId: 'PERSON-1',
    });
    assert.equal(made.record.orderStatus.id, 'F');
    assert.equal(made.record.shipMethod.refName, 'Store Pickup');
    assert.equal(made.record.item.items[0].itemFulfillmentChoice.id, 'storePickup');
    const page = await (await fetch(`${server.url}/backoffice`)).text();
    assert.match(page, new RegExp(made.tranId));
    assert.match(page, /Pending Billing/);
    const form = await fetch(`${server.url}/backoffice/sales-orders`, {
      method: 'POST',
      body: new URLSearchParams({
        customer: '201',
        location: '2',
        fulfilment: 'delivery',
        status: 'B',
        item0: 'TL-TOTE-CANVAS',
        quantity0: '2',
      }),
      redirect: 'manual',
    });
    assert.equal(form.status, 303);
    assert.match(form.headers.get('location') ?? '', /created=SO/);
    const bad = await fetch(`${server.url}/_sim/sales-orders`, {
      method: 'POST',
      body: JSON.stringify({ customer: 'nobody', items: [] }),
    });
    assert.equal(bad.status, 400);
  });

  it('round-trips the state through export/import and the snapshot file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ns-sim-'));
    try {
      const file = join(dir, 'snap.json');
      const one = createNetsuiteSimulator({ clock, snapshotFile: file });
      one.seedScenario('small', {});
      const running = await serveApp(one.app, 0);
      try {
        const res = await fetch(`${running.url}/_sim/snapshot`, { method: 'POST' });
        assert.equal(res.status, 200);
      } finally {
        await running.close();
      }
      assert.ok(existsSync(file));
      const two = createNetsuiteSimulator({ clock, snapshotFile: file });
      assert.deepEqual(two.exportState(), one.exportState());
      const three = createNetsuiteSimulator({ clock });
      three.importState(JSON.parse(JSON.stringify(one.exportState())));
      assert.deepEqual(three.exportState(), one.exportState());
      assert.throws(() => three.importState({ nonsense: true }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
