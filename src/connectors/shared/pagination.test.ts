import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createHttpClient } from './http.ts';
import {
  asArray,
  collect,
  describeRemoteErrorBody,
  lsBoolean,
  lsCollection,
  lsNumber,
  rSeriesPages,
  xSeriesPages,
} from './pagination.ts';
import { json, startTestServer, type TestServer } from './test-server.ts';

const servers: TestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

test('asArray normalises one-or-many collections', () => {
  assert.deepEqual(asArray(undefined), []);
  assert.deepEqual(asArray(null), []);
  assert.deepEqual(asArray(''), []);
  assert.deepEqual(asArray({ a: 1 }), [{ a: 1 }]);
  assert.deepEqual(asArray([1, 2]), [1, 2]);
});

test('R-Series strings become numbers and booleans; collections become arrays', () => {
  const Item = z.object({
    itemID: lsNumber,
    archived: lsBoolean,
    ItemShops: z.object({ ItemShop: lsCollection(z.object({ qoh: lsNumber })) }),
  });
  const one = Item.parse({ itemID: '12', archived: 'false', ItemShops: { ItemShop: { qoh: '3' } } });
  assert.deepEqual(one, { itemID: 12, archived: false, ItemShops: { ItemShop: [{ qoh: 3 }] } });
  assert.equal(Item.safeParse({ itemID: 'x', archived: 'true', ItemShops: { ItemShop: [] } }).success, false);
});

test('X-Series version cursor: after=version.max until an empty page', async () => {
  const rows = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, version: (i + 1) * 10 }));
  const server = await startTestServer((req, res) => {
    const after = Number(new URL(req.url, 'http://x').searchParams.get('after') ?? 0);
    const data = rows.filter((r) => r.version > after).slice(0, 2);
    json(res, 200, { data, version: data.length ? { min: data[0]?.version, max: data.at(-1)?.version } : null });
  });
  servers.push(server);
  const http = createHttpClient({
    baseUrl: server.url,
    name: 'lightspeed-x',
    timeoutMs: 2000,
    retry: { attempts: 1, baseMs: 1, capMs: 1 },
  });
  const schema = z.object({
    data: z.array(z.object({ id: z.string(), version: z.number() })),
    version: z.object({ min: z.number(), max: z.number() }).nullable(),
  });
  const items = await collect(
    xSeriesPages((after) => http.request({ method: 'GET', path: '/api/2.0/products', query: { after }, schema })),
  );
  assert.deepEqual(
    items.map((i) => i.id),
    ['p0', 'p1', 'p2', 'p3', 'p4'],
  );
  assert.equal(server.requests.length, 4);
});

test('R-Series @attributes.next URLs are followed as-is, one-element pages included', async () => {
  let base = '';
  const server = await startTestServer((req, res) => {
    const after = new URL(req.url, 'http://x').searchParams.get('after');
    if (after === null)
      json(res, 200, {
        '@attributes': { next: `${base}/API/V3/Account/1/Item.json?after=WzJd&limit=2`, previous: '' },
        Item: [{ itemID: '1' }, { itemID: '2' }],
      });
    else json(res, 200, { '@attributes': { next: '', previous: 'x' }, Item: { itemID: '3' } });
  });
  servers.push(server);
  base = server.url;
  const http = createHttpClient({
    baseUrl: server.url,
    name: 'lightspeed-r',
    timeoutMs: 2000,
    retry: { attempts: 1, baseMs: 1, capMs: 1 },
  });
  const items = await collect(
    rSeriesPages(
      (next) =>
        http.request({
          method: 'GET',
          path: next ?? '/API/V3/Account/1/Item.json',
          query: next ? undefined : { limit: 2 },
          schema: z.record(z.string(), z.unknown()),
        }),
      'Item',
      z.object({ itemID: lsNumber }),
    ),
  );
  assert.deepEqual(items, [{ itemID: 1 }, { itemID: 2 }, { itemID: 3 }]);
  assert.equal(server.requests[1]?.url, '/API/V3/Account/1/Item.json?after=WzJd&limit=2');
});

test('both R-Series error body shapes (and the others) are read', () => {
  assert.deepEqual(
    describeRemoteErrorBody({
      httpCode: '403',
      httpMessage: 'Forbidden',
      message: 'Not Authorized',
      errorClass: 'InsufficientRightsException',
    }),
    {
      message: 'Not Authorized',
      code: 'InsufficientRightsException',
    },
  );
  assert.deepEqual(
    describeRemoteErrorBody({
      error: 'access_denied',
      error_description: 'denied',
      hint: 'Access token could not be verified',
    }),
    {
      message: 'denied',
      code: 'access_denied',
    },
  );
  assert.deepEqual(describeRemoteErrorBody({ errors: [{ message: 'bad sku' }] }), {
    message: 'bad sku',
    code: undefined,
  });
  assert.deepEqual(describeRemoteErrorBody({ code: 404, message: 'product not found' }), {
    message: 'product not found',
    code: undefined,
  });
});
