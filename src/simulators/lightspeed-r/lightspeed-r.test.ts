import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { loadSnapshot } from '../shared/control.ts';
import { buildScenario, scenarioOptions } from '../shared/scenario.ts';
import { serveApp, type RunningServer } from '../shared/server.ts';
import { createLightspeedRSimulator, type LightspeedRSimulator } from './index.ts';

type Json = Record<string, any>;

const clientId = 'tradeloop-sim-client';
const clientSecret = 'tradeloop-sim-secret';
const acct = '83050';
let sim: LightspeedRSimulator;
let server: RunningServer;
let base: string;
let token: string;
const tmp = mkdtempSync(join(tmpdir(), 'ls-r-sim-'));

async function control(path: string, body?: unknown, method = 'POST'): Promise<Json> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as Json;
}

async function api(
  path: string,
  init: { method?: string; body?: unknown; token?: string; signal?: AbortSignal } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const url = path.startsWith('http') ? path : `${base}/API/V3/Account/${acct}/${path}`;
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token ?? token}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

function list<T>(x: T | T[] | undefined | ''): T[] {
  return x === undefined || x === '' ? [] : Array.isArray(x) ? x : [x];
}

/** Every scalar in an R-Series response is a string. */
function assertAllStrings(value: unknown, path = '$'): void {
  if (value === null) assert.fail(`${path} is null`);
  if (Array.isArray(value)) return value.forEach((v, i) => assertAllStrings(v, `${path}[${i}]`));
  if (typeof value === 'object')
    return Object.entries(value as object).forEach(([k, v]) => assertAllStrings(v, `${path}.${k}`));
  assert.equal(typeof value, 'string', `${path} should be a string`);
}

async function freshSmall(): Promise<void> {
  await control('/_sim/reset');
  await control('/_sim/config', { bucketSize: 1_000_000, dripRate: 1000, resetBuckets: true }, 'PUT');
  await control('/_sim/seed', { scenario: 'small', options: {} });
  token = (await control('/_sim/tokens', {})).access_token as string;
}

before(async () => {
  sim = createLightspeedRSimulator({ snapshotFile: join(tmp, 'snap.json') });
  server = await serveApp(sim.app, 0);
  base = server.url;
});
after(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('OAuth 2 authorization-code flow', () => {
  beforeEach(freshSmall);

  async function authorize(params: Record<string, string>): Promise<Response> {
    return fetch(`${base}/auth/oauth/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
  }
  async function allow(fields: Record<string, string>): Promise<URL> {
    const res = await fetch(`${base}/auth/oauth/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ decision: 'allow', ...fields }),
      redirect: 'manual',
    });
    assert.equal(res.status, 302);
    return new URL(res.headers.get('location') ?? '');
  }
  async function tokenCall(body: Record<string, string>): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${base}/auth/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  }
  const redirect = 'http://127.0.0.1:9/callback';

  test('authorize page, allow, code exchange, account discovery, rotating refresh', async () => {
    const page = await authorize({
      response_type: 'code',
      client_id: clientId,
      scope: 'employee:all',
      state: 'xyz',
      redirect_uri: redirect,
    });
    assert.equal(page.status, 200);
    const htmlText = await page.text();
    assert.match(htmlText, /Allow/);
    assert.match(htmlText, new RegExp(acct));
    const loc = await allow({ client_id: clientId, redirect_uri: redirect, scope: 'employee:all', state: 'xyz' });
    assert.equal(loc.searchParams.get('state'), 'xyz');
    const code = loc.searchParams.get('code') ?? '';
    assert.ok(code.length > 20);
    const exchanged = await tokenCall({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'authorization_code',
      code,
    });
    assert.equal(exchanged.status, 200);
    assert.equal(exchanged.body.token_type, 'Bearer');
    assert.equal(exchanged.body.expires_in, 3600);
    const claims = JSON.parse(
      Buffer.from(String(exchanged.body.access_token).split('.')[1] ?? '', 'base64url').toString(),
    ) as Json;
    assert.equal(claims.acct, acct);
    assert.equal(claims.aud, clientId);
    const account = await api(`${base}/API/V3/Account.json`, { token: exchanged.body.access_token });
    assert.equal(account.status, 200);
    assert.equal(account.body.Account.accountID, acct);

    // Form-encoded refresh; the old refresh token still works until the new access token is used.
    const form = await fetch(`${base}/auth/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: clientId,
        client_secret: clientSecret,
        grant_type: 'refresh_token',
        refresh_token: exchanged.body.refresh_token,
      }),
    });
    const refreshed = (await form.json()) as Json;
    assert.equal(form.status, 200);
    assert.notEqual(refreshed.refresh_token, exchanged.body.refresh_token);
    const retry = await tokenCall({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'refresh_token',
      refresh_token: exchanged.body.refresh_token,
    });
    assert.equal(retry.status, 200, 'a refresh can be retried before the new access token is used');
    assert.equal((await api('Shop.json', { token: retry.body.access_token })).status, 200);
    const stale = await tokenCall({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'refresh_token',
      refresh_token: exchanged.body.refresh_token,
    });
    assert.equal(stale.status, 400);
    assert.equal(stale.body.error, 'invalid_grant');
  });

  test('PKCE public client', async () => {
    const verifier = 'a'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const loc = await allow({
      client_id: clientId,
      redirect_uri: redirect,
      scope: 'employee:all',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const code = loc.searchParams.get('code') ?? '';
    const bad = await tokenCall({
      client_id: clientId,
      grant_type: 'authorization_code',
      code,
      code_verifier: 'b'.repeat(50),
    });
    assert.equal(bad.body.error, 'invalid_grant');
    const good = await tokenCall({
      client_id: clientId,
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
    });
    assert.equal(good.status, 200);
  });

  test('refusals', async () => {
    assert.equal((await authorize({ response_type: 'code', client_id: 'nope', redirect_uri: redirect })).status, 400);
    const badScope = await authorize({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirect,
      scope: 'employee:everything',
      state: 's',
    });
    assert.equal(new URL(badScope.headers.get('location') ?? '').searchParams.get('error'), 'invalid_scope');
    const denied = await fetch(`${base}/auth/oauth/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ decision: 'deny', client_id: clientId, redirect_uri: redirect, state: 's' }),
      redirect: 'manual',
    });
    const deniedUrl = new URL(denied.headers.get('location') ?? '');
    assert.equal(deniedUrl.searchParams.get('error'), 'access_denied');
    assert.equal(deniedUrl.searchParams.get('state'), 's');

    const code =
      (await allow({ client_id: clientId, redirect_uri: redirect, scope: 'employee:all' })).searchParams.get('code') ??
      '';
    const wrongSecret = await tokenCall({
      client_id: clientId,
      client_secret: 'wrong',
      grant_type: 'authorization_code',
      code,
    });
    assert.equal(wrongSecret.status, 401);
    assert.equal(wrongSecret.body.error, 'invalid_client');
    assert.equal(
      (await tokenCall({ client_id: clientId, client_secret: clientSecret, grant_type: 'authorization_code' })).body
        .error,
      'invalid_request',
    );
    assert.equal(
      (await tokenCall({ client_id: clientId, client_secret: clientSecret, grant_type: 'password' })).body.error,
      'unsupported_grant_type',
    );
    assert.equal(
      (
        await tokenCall({
          client_id: clientId,
          client_secret: clientSecret,
          grant_type: 'authorization_code',
          code: 'bogus',
        })
      ).body.error,
      'invalid_grant',
    );
    assert.equal(
      (await tokenCall({ client_id: clientId, client_secret: clientSecret, grant_type: 'authorization_code', code }))
        .status,
      200,
    );
    const reused = await tokenCall({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'authorization_code',
      code,
    });
    assert.equal(reused.body.error, 'invalid_grant');
    assert.match(String(reused.body.hint), /revoked/);

    const late =
      (await allow({ client_id: clientId, redirect_uri: redirect, scope: 'employee:all' })).searchParams.get('code') ??
      '';
    await control('/_sim/clock', { advanceSeconds: 61 });
    const expired = await tokenCall({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'authorization_code',
      code: late,
    });
    assert.equal(expired.body.error, 'invalid_grant');
    assert.match(String(expired.body.hint), /expired/);
    assert.equal((await fetch(`${base}/auth/oauth/token`)).status, 405);
    assert.equal(
      (
        await tokenCall({
          client_id: clientId,
          client_secret: clientSecret,
          grant_type: 'refresh_token',
          refresh_token: 'def50200nope',
        })
      ).body.error,
      'invalid_grant',
    );
  });

  test('bearer token refusals: missing, unknown, expired by the sim clock, insufficient scope', async () => {
    const missing = await fetch(`${base}/API/V3/Account/${acct}/Item.json`);
    assert.equal(missing.status, 401);
    assert.equal(((await missing.json()) as Json).error, 'access_denied');
    const unknown = await api('Item.json', { token: 'nope' });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.hint, 'Access token could not be verified');
    assert.equal((await api('Item.json')).status, 200);
    await control('/_sim/clock', { advanceSeconds: 3601 });
    const expired = await api('Item.json');
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error_description, 'The resource owner or authorization server denied the request.');
    const narrow = (await control('/_sim/tokens', { scope: 'employee:inventory_read' })).access_token as string;
    assert.equal((await api('Item.json', { token: narrow })).status, 200);
    const forbidden = await api('Order.json', { token: narrow });
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.errorClass, 'InsufficientRightsException');
    assert.equal((await api(`${base}/API/V3/Account/999/Item.json`, { token: narrow })).status, 403);
  });
});

describe('resources', () => {
  beforeEach(freshSmall);

  test('a NuORDER-style export: manufacturer, vendor, matrix, variants, order, lines', async () => {
    const man = await api('Manufacturer.json', { method: 'POST', body: { name: 'Acme Knits' } });
    assert.equal(man.status, 200);
    assert.equal(man.body['@attributes'].count, '1');
    const manufacturerID = man.body.Manufacturer.manufacturerID as string;
    const vendor = await api('Vendor.json', {
      method: 'POST',
      body: { name: 'Acme Knits', b2bSellerUID: 'brand-123' },
    });
    assert.equal(vendor.body.Vendor.b2bSellerUID, 'brand-123');
    const vendorID = vendor.body.Vendor.vendorID as string;
    const matrix = await api('ItemMatrix.json', {
      method: 'POST',
      body: { description: 'Crew Tee', itemAttributeSetID: 1, manufacturerID: Number(manufacturerID), defaultCost: 10 },
    });
    assert.equal(matrix.status, 200);
    assert.equal(matrix.body.ItemMatrix.attribute1Values, '');
    const itemMatrixID = matrix.body.ItemMatrix.itemMatrixID as string;
    const created = await api('Item.json', {
      method: 'POST',
      body: {
        itemMatrixID,
        upc: '012345678905',
        customSku: 'NUO-1',
        defaultVendorID: vendorID,
        ItemAttributes: { itemAttributeSetID: '1', attribute1: 'Black', attribute2: 'M' },
        Prices: { ItemPrice: [{ amount: '25', useTypeID: '1' }] },
      },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const item = created.body.Item as Json;
    assertAllStrings(created.body);
    assert.equal(item.description, 'Crew Tee Black M');
    assert.equal(item.manufacturerID, manufacturerID, 'variant inherits the matrix brand');
    assert.equal(item.defaultCost, '10');
    assert.equal(list(item.ItemShops.ItemShop).length, 3, 'one ItemShop per shop plus shopID 0');
    assert.equal(list(item.Prices.ItemPrice).find((p: Json) => p.useTypeID === '1')?.amount, '25');
    const m2 = await api(`ItemMatrix/${itemMatrixID}.json?load_relations=["Items"]`);
    assert.equal(m2.body.ItemMatrix.attribute1Values, 'Black', 'one value comes back bare');
    assert.equal(m2.body.ItemMatrix.Items.Item.itemID, item.itemID, 'one item comes back as an object');

    const order = await api('Order.json', {
      method: 'POST',
      body: {
        shopID: 1,
        vendorID: Number(vendorID),
        refNum: 'NUORDER-3100007',
        b2bOrderUID: 'abc123',
        b2bOrderNumber: '3100007',
        orderedDate: '2026-11-01T10:00:00Z',
        Note: { note: 'PO-55' },
      },
    });
    assert.equal(order.status, 200, JSON.stringify(order.body));
    const orderID = order.body.Order.orderID as string;
    assert.equal(order.body.Order.orderedDate, '2026-11-01T10:00:00+00:00');
    const line = await api('OrderLine.json', {
      method: 'POST',
      body: { orderID: Number(orderID), itemID: Number(item.itemID), quantity: 4, price: 9.5 },
    });
    assert.equal(line.status, 200);
    assert.equal(line.body.OrderLine.total, '38');
    assert.equal(line.body.OrderLine.checkedIn, '0');
    const byRef = await api('Order.json?refNum=NUORDER-3100007&load_relations=["OrderLines","Note"]');
    assert.equal(byRef.body.Order.orderID, orderID);
    assert.equal(byRef.body.Order.OrderLines.OrderLine.orderLineID, line.body.OrderLine.orderLineID);
    assert.equal(byRef.body.Order.Note.note, 'PO-55');
    assert.equal((await api('Order.json?b2bOrderUID=abc123')).body.Order.orderID, orderID);
    assert.equal((await api(`OrderLine.json?orderID=${orderID}`)).body.OrderLine.itemID, item.itemID);
    const shops = await api(`ItemShop.json?itemID=${item.itemID}`);
    assert.equal(list(shops.body.ItemShop).find((r: Json) => r.shopID === '1')?.backorder, '4');

    // Update: timeStamp moves with the sim clock; ItemShop changes do not touch it.
    await control('/_sim/clock', { advanceSeconds: 120 });
    const updated = await api(`Item/${item.itemID}.json`, {
      method: 'PUT',
      body: { description: 'Crew Tee Black Medium' },
    });
    assert.equal(updated.body.Item.description, 'Crew Tee Black Medium');
    assert.ok(Date.parse(updated.body.Item.timeStamp) > Date.parse(item.timeStamp));
    await control('/_sim/clock', { advanceSeconds: 120 });
    const stockSet = await api(`Item/${item.itemID}.json?load_relations=["ItemShops"]`, {
      method: 'PUT',
      body: { ItemShops: { ItemShop: { shopID: 1, qoh: 3 } } },
    });
    assert.equal(stockSet.body.Item.timeStamp, updated.body.Item.timeStamp);
    assert.equal(list(stockSet.body.Item.ItemShops.ItemShop).find((r: Json) => r.shopID === '1')?.qoh, '3');

    const vendorPut = await api(`Vendor/${vendorID}.json`, { method: 'PUT', body: { accountNumber: 'A-1' } });
    assert.equal(vendorPut.body.Vendor.accountNumber, 'A-1');
    assert.equal(
      (await api(`Manufacturer/${manufacturerID}.json`, { method: 'PUT', body: { name: 'Acme' } })).body.Manufacturer
        .name,
      'Acme',
    );
    assert.equal(
      (await api(`Order/${orderID}.json`, { method: 'PUT', body: { arrivalDate: '2026-12-01T00:00:00Z' } })).body.Order
        .arrivalDate,
      '2026-12-01T00:00:00+00:00',
    );
    assert.equal(
      (await api(`OrderLine/${line.body.OrderLine.orderLineID}.json`, { method: 'PUT', body: { quantity: 6 } })).body
        .OrderLine.total,
      '57',
    );
    const del = await api(`OrderLine/${line.body.OrderLine.orderLineID}.json`, { method: 'DELETE' });
    assert.equal(del.status, 200);
    assert.equal((await api(`OrderLine/${line.body.OrderLine.orderLineID}.json`)).status, 404);
    assert.equal((await api(`Order/${orderID}.json`, { method: 'DELETE' })).body.Order.archived, 'true');
  });

  test('reference data: shops, categories, attribute sets, price levels, session', async () => {
    assert.equal(list((await api('Shop.json')).body.Shop).length, 2);
    assert.equal(list((await api('ItemAttributeSet.json')).body.ItemAttributeSet).length, 4);
    const sizeSet = (await api('ItemAttributeSet/2.json')).body.ItemAttributeSet as Json;
    assert.equal(sizeSet.attributeName2, 'Size');
    assert.equal(sizeSet.attributeName1, '');
    const cat = await api('Category.json', { method: 'POST', body: { name: 'Knitwear', parentID: 1 } });
    assert.match(cat.body.Category.fullPathName, /\/Knitwear$/);
    assert.equal(
      (await api('Category.json', { method: 'POST', body: { name: '' } })).body.message,
      'name cannot be blank.',
    );
    assert.equal((await api('PriceLevel.json')).status, 200);
    assert.equal((await api(`${base}/API/Session.json`)).body.systemCustomerID, acct);
  });

  test('archiving: DELETE archives, archived items are hidden unless archived=true|only', async () => {
    const all = list((await api('Item.json')).body.Item);
    const target = all[0] as Json;
    const del = await api(`Item/${target.itemID}.json`, { method: 'DELETE' });
    assert.equal(del.body.Item.archived, 'true');
    const active = list((await api('Item.json')).body.Item);
    assert.ok(!active.some((i: Json) => i.itemID === target.itemID));
    const withArchived = list((await api('Item.json?archived=true')).body.Item);
    assert.ok(withArchived.some((i: Json) => i.itemID === target.itemID));
    const only = list((await api('Item.json?archived=only')).body.Item);
    assert.ok(only.every((i: Json) => i.archived === 'true'));
    assert.equal((await api(`Item/${target.itemID}.json`)).body.Item.archived, 'true', 'single GET still finds it');
    const again = await api(`Item/${target.itemID}.json`, { method: 'PUT', body: { archived: false } });
    assert.equal(again.body.Item.archived, 'false');
  });

  test('errors in both shapes, 404, 405, malformed JSON', async () => {
    const noDesc = await api('Item.json', { method: 'POST', body: { upc: '012345678905' } });
    assert.equal(noDesc.status, 400);
    assert.deepEqual(noDesc.body, {
      httpCode: '400',
      httpMessage: 'Bad Request',
      message: 'Item not created. An Item must have a description.',
      errorClass: 'Exception',
    });
    const badUpc = await api('Item.json', { method: 'POST', body: { description: 'x', upc: '123' } });
    assert.equal(badUpc.status, 400);
    const emptyPut = await api('Item/1.json', { method: 'PUT', body: { description: '' } });
    assert.equal(emptyPut.body.message, 'Item not updated. An Item must have a description.');
    const missing = await api('Item/999999.json');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.httpCode, '404');
    assert.equal((await api('Manufacturer/1.json', { method: 'DELETE' })).status, 405);
    const res = await fetch(`${base}/API/V3/Account/${acct}/Vendor.json`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: '{nope',
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as Json).httpCode, '400');
    const oauthShape = await api('Item.json', { token: 'bad' });
    assert.deepEqual(Object.keys(oauthShape.body).sort(), ['error', 'error_description', 'hint', 'message']);
    assert.equal(
      (await api('Order.json', { method: 'POST', body: { vendorID: 1 } })).status,
      400,
      'shopID is required',
    );
  });
});

describe('queries and pagination', () => {
  beforeEach(async () => {
    await freshSmall();
    await control('/_sim/seed', { scenario: 'demo', options: {} });
  });

  test('operators: =, ~ like, ~,=, IN (max 100), or, ranges, itemCode, sort', async () => {
    const items = list((await api('Item.json?limit=100')).body.Item) as Json[];
    const withUpc = items.filter((i) => i.upc !== '' && sim.core.store.itemsByUpc.get(i.upc).length === 1);
    const a = withUpc[0] as Json;
    const b = withUpc[1] as Json;
    assert.equal((await api(`Item.json?upc=${a.upc}`)).body.Item.itemID, a.itemID);
    assert.equal((await api(`Item.json?upc=${encodeURIComponent(`~,=,${a.upc}`)}`)).body.Item.itemID, a.itemID);
    const inList = list((await api(`Item.json?upc=${encodeURIComponent(`IN,[${a.upc},${b.upc}]`)}`)).body.Item);
    assert.equal(inList.length, 2);
    const tildeIn = list(
      (await api(`Item.json?itemID=${encodeURIComponent(`~,IN,[${a.itemID},${b.itemID}]`)}`)).body.Item,
    );
    assert.equal(tildeIn.length, 2);
    const tooMany = Array.from({ length: 101 }, (_, i) => i + 1).join(',');
    const refused = await api(`Item.json?itemID=${encodeURIComponent(`IN,[${tooMany}]`)}`);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.httpCode, '400');
    const like = list((await api(`Item.json?description=${encodeURIComponent('~,%Hoodie%')}`)).body.Item) as Json[];
    assert.ok(like.length > 0 && like.every((i) => /hoodie/i.test(i.description)));
    const either = list((await api(`Item.json?or=${encodeURIComponent(`upc=${a.upc}|upc=${b.upc}`)}`)).body.Item);
    assert.equal(either.length, 2);
    const range = list((await api(`Item.json?itemID=${encodeURIComponent('><,10,19')}`)).body.Item);
    assert.equal(range.length, 10);
    assert.equal(
      list((await api(`Item.json?itemID=${encodeURIComponent('>=,200')}&archived=true`)).body.Item).length,
      14,
    );
    const since = await api(`Item.json?timeStamp=${encodeURIComponent('>,2000-01-01T00:00:00-0400')}&limit=1`);
    assert.equal(since.status, 200);
    assert.equal((await api(`Item.json?itemCode=${a.upc}`)).body.Item.itemID, a.itemID);
    const eanItem = items.find((i) => i.ean !== '' && i.upc === '');
    if (eanItem) assert.equal((await api(`Item.json?itemCode=${eanItem.ean}`)).body.Item.itemID, eanItem.itemID);
    const desc = list((await api('Item.json?sort=-itemID&limit=3')).body.Item) as Json[];
    assert.deepEqual(
      desc.map((i) => Number(i.itemID)),
      [...desc.map((i) => Number(i.itemID))].sort((x, y) => y - x),
    );
    const badSort = await api('Item.json?sort=upc');
    assert.equal(badSort.status, 400);
    assert.match(badSort.body.message, /itemID, timeStamp, description/);
    assert.equal((await api('Item.json?nosuchfield=1')).status, 400);
    assert.equal((await api('Item.json?load_relations=notjson')).status, 400);
    assert.equal((await api('Item.json?upc=999999999999')).body.Item, undefined, 'empty result: resource key absent');
    const stocked = list(
      (
        await api(
          `Item.json?load_relations=["ItemShops"]&${encodeURIComponent('ItemShops.qoh')}=${encodeURIComponent('>=,10')}`,
        )
      ).body.Item,
    ) as Json[];
    assert.ok(stocked.length > 0);
    assert.ok(stocked.every((i) => list(i.ItemShops.ItemShop).some((r: Json) => Number(r.qoh) >= 10)));
    assert.equal(
      (await api(`Item.json?${encodeURIComponent('ItemShops.qoh')}=1`)).status,
      400,
      'relation filters need the relation loaded',
    );
  });

  test('cursor pagination to the end via @attributes.next, previous, count=1', async () => {
    const count = Number((await api('Item.json?count=1')).body['@attributes'].count);
    assert.equal(count, sim.core.store.tables.Item.size - 1, 'count excludes the archived item');
    const seen = new Set<string>();
    let next = `${base}/API/V3/Account/${acct}/Item.json?limit=50&load_relations=${encodeURIComponent('["ItemShops"]')}`;
    let pages = 0;
    let second = '';
    while (next) {
      const page = await api(next);
      assert.equal(page.status, 200);
      for (const item of list(page.body.Item) as Json[]) seen.add(item.itemID);
      assert.equal(page.body['@attributes'].count, undefined);
      next = page.body['@attributes'].next as string;
      if (pages === 1) second = page.body['@attributes'].previous as string;
      if (next) assert.match(next, /after=/);
      pages++;
    }
    assert.equal(seen.size, count);
    assert.equal(pages, Math.ceil(count / 50));
    const back = await api(second);
    assert.equal(list(back.body.Item).length, 50);
    assert.equal((back.body.Item as Json[])[0]?.itemID, '1');
    const sorted = await api('Item.json?sort=description&limit=100');
    const afterSorted = await api(sorted.body['@attributes'].next as string);
    assert.equal(afterSorted.status, 200);
    assert.equal((await api('Item.json?count=1&limit=5')).status, 400);
    assert.equal((await api('Item.json?limit=101')).status, 400);
  });

  test('one-element collections are objects; every value is a string', async () => {
    const one = await api('Item.json?limit=1&load_relations=all');
    assert.ok(!Array.isArray(one.body.Item));
    assertAllStrings(one.body);
    const shop = await api('Shop.json?shopID=1');
    assert.equal(typeof shop.body.Shop, 'object');
    assert.ok(!Array.isArray(shop.body.Shop));
    assertAllStrings((await api('Order.json?load_relations=["OrderLines","Vendor","Shop"]')).body);
  });
});

describe('rate limiting', () => {
  beforeEach(freshSmall);

  test('bucket headers, 429 with Retry-After, recovery after the drip', async () => {
    await control('/_sim/clock', { set: '2026-11-01T00:00:00Z', freeze: true });
    await control('/_sim/config', { bucketSize: 60, dripRate: 1, costModel: 'legacy', resetBuckets: true }, 'PUT');
    const first = await api('Item.json?limit=1');
    assert.equal(first.headers.get('x-ls-api-bucket-level'), '1/60');
    assert.equal(first.headers.get('x-ls-api-drip-rate'), '1');
    for (let i = 0; i < 6; i++) {
      const res = await api('Vendor.json', { method: 'POST', body: { name: `V${i}` } });
      assert.equal(res.status, 200);
    }
    assert.equal((await api('Item.json?limit=1')).status, 429);
    const limited = await api('Vendor.json', { method: 'POST', body: { name: 'late' } });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('x-ls-api-bucket-level'), '61/60');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1);
    assert.equal(limited.body.httpCode, '429');
    assert.equal((await api('Vendor.json?name=late')).status, 429, 'nothing was written');
    await control('/_sim/clock', { advanceSeconds: retryAfter });
    const ok = await api('Vendor.json?name=late');
    assert.equal(ok.status, 200);
    assert.equal(ok.body.Vendor, undefined);
    await control('/_sim/config', { bucketSize: 90, dripRate: 20, resetBuckets: true }, 'PUT');
    assert.equal((await api('Item.json?limit=1')).headers.get('x-ls-api-bucket-level'), '1/90');
    await control('/_sim/clock', { reset: true });
  });
});

describe('faults and request counting', () => {
  beforeEach(async () => {
    await freshSmall();
    await control('/_sim/faults', undefined, 'DELETE');
  });
  after(() => control('/_sim/faults', undefined, 'DELETE'));

  test('latency, error, rate_limit, token_expired, times', async () => {
    await control('/_sim/faults', {
      kind: 'latency',
      path: `/API/V3/Account/${acct}/Shop.json`,
      latencyMs: 150,
      times: 1,
    });
    const started = Date.now();
    assert.equal((await api('Shop.json')).status, 200);
    assert.ok(Date.now() - started >= 140);
    await control('/_sim/faults', {
      kind: 'error',
      path: '/API/V3/Account/:accountID/Item.json',
      status: 503,
      times: 2,
    });
    assert.equal((await api('Item.json')).status, 503);
    const second = await api('Item.json');
    assert.equal(second.status, 503);
    assert.equal(second.body.httpCode, '503');
    assert.equal((await api('Item.json')).status, 200, 'times: 2 used up');
    await control('/_sim/faults', { kind: 'rate_limit', path: '*/Item.json', retryAfterSeconds: 7, times: 1 });
    const limited = await api('Item.json');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.ok(limited.headers.get('x-ls-api-bucket-level'));
    await control('/_sim/faults', { kind: 'token_expired', times: 1 });
    const expired = await api('Item.json');
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error, 'access_denied');
  });

  test('hang (client timeout), ghost_write, ghost_drop', async () => {
    await control('/_sim/faults', { kind: 'hang', path: '*/Shop.json', times: 1 });
    await assert.rejects(api('Shop.json', { signal: AbortSignal.timeout(200) }));
    await control('/_sim/faults', { kind: 'ghost_write', method: 'POST', path: '*/Vendor.json', times: 1 });
    const ghost = await api('Vendor.json', { method: 'POST', body: { name: 'Ghost Vendor' } });
    assert.equal(ghost.status, 500);
    assert.equal(
      (await api(`Vendor.json?name=${encodeURIComponent('Ghost Vendor')}`)).body.Vendor.name,
      'Ghost Vendor',
    );
    await control('/_sim/faults', {
      kind: 'ghost_drop',
      method: 'POST',
      path: '/API/V3/Account/:accountID/Order.json',
      times: 1,
    });
    await assert.rejects(api('Order.json', { method: 'POST', body: { shopID: 1, refNum: 'DROPPED-1' } }));
    assert.equal((await api('Order.json?refNum=DROPPED-1')).body.Order.refNum, 'DROPPED-1');
  });

  test('requests are counted per route', async () => {
    await control('/_sim/requests', undefined, 'DELETE');
    await api('Item.json');
    await api('Item.json');
    await api('Item/1.json');
    const counts = await control('/_sim/requests', undefined, 'GET');
    assert.equal(counts.byRoute['GET /API/V3/Account/:accountID/Item.json'], 2);
    assert.equal(counts.byRoute['GET /API/V3/Account/:accountID/Item/:id'], 1);
    const unknown = await api('Nothing.json');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.httpCode, '404');
  });
});

describe('back office, merge, receiving, seeding, snapshots', () => {
  beforeEach(freshSmall);

  test('item merge: permanent, merged item 404s, stock added', async () => {
    const items = list((await api('Item.json?load_relations=["ItemShops"]&limit=2')).body.Item) as Json[];
    const [keep, gone] = items as [Json, Json];
    const qoh = (i: Json): number => Number(list(i.ItemShops.ItemShop).find((r: Json) => r.shopID === '1')?.qoh);
    await api(`Item/${gone.itemID}.json`, { method: 'PUT', body: { ItemShops: { ItemShop: { shopID: 1, qoh: 5 } } } });
    const merged = await control('/_sim/merge-items', {
      keepItemID: Number(keep.itemID),
      mergeItemID: Number(gone.itemID),
    });
    assert.equal(merged.ok, true);
    assert.equal((await api(`Item/${gone.itemID}.json`)).status, 404);
    const after = (await api(`Item/${keep.itemID}.json?load_relations=["ItemShops"]`)).body.Item as Json;
    assert.equal(qoh(after), qoh(keep) + 5);
    const form = await fetch(`${base}/backoffice/merge`, {
      method: 'POST',
      body: new URLSearchParams({ keepItemID: keep.itemID, mergeItemID: gone.itemID }),
    });
    assert.equal(form.status, 400, 'merging a gone item is refused');
  });

  test('receiving (check-in) adds ItemShop qoh; back office shows the PO tagged as NuORDER', async () => {
    const item = (await api('Item.json?limit=1&load_relations=["ItemShops"]')).body.Item as Json;
    const before = Number(list(item.ItemShops.ItemShop).find((r: Json) => r.shopID === '1')?.qoh);
    const order = (
      await api('Order.json', {
        method: 'POST',
        body: { shopID: 1, b2bOrderUID: 'nu-1', b2bOrderNumber: '3100001', refNum: '3100001' },
      })
    ).body.Order as Json;
    const line = (
      await api('OrderLine.json', {
        method: 'POST',
        body: { orderID: order.orderID, itemID: item.itemID, quantity: 5 },
      })
    ).body.OrderLine as Json;
    await api(`OrderLine/${line.orderLineID}.json`, { method: 'PUT', body: { numReceived: 3 } });
    const unchanged = (await api(`Item/${item.itemID}.json?load_relations=["ItemShops"]`)).body.Item as Json;
    assert.equal(
      Number(list(unchanged.ItemShops.ItemShop).find((r: Json) => r.shopID === '1')?.qoh),
      before,
      'numReceived alone adds no stock',
    );
    const checked = await control(`/_sim/orders/${order.orderID}/check-in`, {});
    assert.equal(checked.ok, true);
    const after = (await api(`Item/${item.itemID}.json?load_relations=["ItemShops"]`)).body.Item as Json;
    assert.equal(Number(list(after.ItemShops.ItemShop).find((r: Json) => r.shopID === '1')?.qoh), before + 3);
    assert.equal((await api(`OrderLine/${line.orderLineID}.json`)).body.OrderLine.checkedIn, '3');
    const page = await (await fetch(`${base}/backoffice/orders`)).text();
    assert.match(page, /Synced from NuORDER/);
    assert.match(page, /3100001/);
    const items = await (await fetch(`${base}/backoffice?q=${item.upc || item.customSku}`)).text();
    assert.match(items, new RegExp(String(item.description)));
    const form = await fetch(`${base}/backoffice/orders/${order.orderID}/check-in`, {
      method: 'POST',
      body: new URLSearchParams({ finish: '1' }),
      redirect: 'manual',
    });
    assert.equal(form.status, 303);
    assert.equal((await api(`Order/${order.orderID}.json`)).body.Order.complete, 'true');
  });

  test('seeding demo gives the expected counts', async () => {
    const seeded = await control('/_sim/seed', { scenario: 'demo', options: {} });
    const scenario = buildScenario(scenarioOptions('demo'));
    assert.equal(seeded.summary.items, scenario.posItems.length);
    assert.equal(seeded.summary.itemMatrices, new Set(scenario.posItems.map((p) => p.matrixKey)).size);
    assert.equal(seeded.summary.shops, 2);
    assert.equal(seeded.summary.vendors, scenario.brands.length + 1);
    assert.equal(seeded.summary.itemShops, scenario.posItems.length * 3);
    assert.equal(seeded.summary.archivedItems, 1);
    assert.equal(
      Number((await api('Item.json?count=1&archived=true')).body['@attributes'].count),
      scenario.posItems.length,
    );
    const dup = scenario.posItems.find((p) => p.key.endsWith('-OLD'));
    assert.ok(dup?.upc);
    const holders = list((await api(`Item.json?or=${encodeURIComponent(`upc=${dup.upc}|ean=0${dup.upc}`)}`)).body.Item);
    assert.equal(holders.length, 2, 'a duplicated UPC is held by two items');
    const again = await control('/_sim/seed', { scenario: 'demo', options: {} });
    assert.deepEqual(again.summary, seeded.summary, 'deterministic');
    assert.equal((await api('Item.json?limit=1')).status, 200, 'seeding keeps tokens');
  });

  test('snapshot round-trip', async () => {
    await api('Vendor.json', { method: 'POST', body: { name: 'Snapshot Vendor' } });
    const state = await control('/_sim/state', undefined, 'GET');
    await control('/_sim/reset');
    assert.equal((await control('/_sim/state', undefined, 'GET')).tables.Item.length, 0);
    await control('/_sim/state', state, 'PUT');
    assert.equal(
      (await api(`Vendor.json?name=${encodeURIComponent('Snapshot Vendor')}`)).body.Vendor.name,
      'Snapshot Vendor',
      'tokens survive too',
    );
    assert.equal((await control('/_sim/snapshot')).ok, true);
    const copy = createLightspeedRSimulator();
    assert.equal(loadSnapshot(copy, join(tmp, 'snap.json')), true);
    assert.deepEqual(copy.exportState(), sim.exportState());
    assert.equal((await control('/_sim/state', { nope: true }, 'PUT')).error !== undefined, true);
  });
});
