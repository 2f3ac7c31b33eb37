import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { FaultBook, faultMiddleware, reshapeJson } from './faults.ts';

test('reshape drops, renames and sets fields at dotted paths, through arrays and with *', () => {
  const value = {
    data: [
      { id: 1, source: { id: 'a' }, lines: [{ product: { id: 'p' } }] },
      { id: 2, source: { id: 'b' }, lines: [] },
    ],
  };
  reshapeJson(value, {
    drop: ['data.*.source'],
    rename: { 'data.lines.product': 'product_id' },
    set: { 'data.*.status': 'X' },
  });
  assert.deepEqual(value, {
    data: [
      { id: 1, lines: [{ product_id: { id: 'p' } }], status: 'X' },
      { id: 2, lines: [], status: 'X' },
    ],
  });
  const bare = [{ retailer: { _id: 'r' } }, { retailer: { _id: 's' } }];
  reshapeJson(bare, { drop: ['retailer._id'] });
  assert.deepEqual(bare, [{ retailer: {} }, { retailer: {} }]);
});

test('a reshape rule changes the reply of the route it names, once per `times`', async () => {
  const book = new FaultBook();
  const app = new Hono();
  app.use('*', faultMiddleware(book, { rateLimited: (c) => c.text('', 429), tokenExpired: (c) => c.text('', 401) }));
  app.get('/orders', (c) => c.json([{ status: 'approved', retailer: { _id: 'r1' } }]));
  book.add({ kind: 'reshape', path: '/orders', times: 1, reshape: { rename: { status: 'state' } } });
  const first = (await (await app.request('/orders')).json()) as unknown;
  assert.deepEqual(first, [{ state: 'approved', retailer: { _id: 'r1' } }]);
  const second = (await (await app.request('/orders')).json()) as unknown;
  assert.deepEqual(second, [{ status: 'approved', retailer: { _id: 'r1' } }]);
  assert.equal(book.requestLog()[0]?.fault, 'reshape');
});
