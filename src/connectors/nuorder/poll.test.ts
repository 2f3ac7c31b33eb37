import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
// Tests may start the simulator; connector code never imports it.
import { createNuorderSimulator } from '../../simulators/nuorder/index.ts';
import { serveApp, type RunningServer } from '../../simulators/shared/server.ts';
import type { KnownOrders, SourceOrderItem } from '../../core/ports/wholesale-source.ts';
import type { WholesaleOrder } from '../../core/wholesale-order.ts';
import { createNuorderSource } from './source.ts';

// The poll given what the caller holds (`known`): ids first, then only new or changed orders, over real HTTP.
let server: RunningServer;
const brand = { sourceId: 'northwind', name: 'Northwind Outfitters' };
const creds = {
  consumerKey: 'tl-demo-consumer-key',
  consumerSecret: 'tl-demo-consumer-secret',
  token: 'tl-demo-token-northwind-outfitters',
  tokenSecret: 'tl-demo-token-northwind-outfitters-secret',
};
let lakeside: { sourceId: string; name: string };

async function sim<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(server.url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const poll = async (known: KnownOrders): Promise<SourceOrderItem[]> => {
  const out: SourceOrderItem[] = [];
  const source = createNuorderSource({ baseUrl: server.url, credentials: creds, brand, retailer: lakeside });
  for await (const item of source.listOrders({ status: 'approved', known })) out.push(item);
  return out;
};
const ordersOf = (items: SourceOrderItem[]): WholesaleOrder[] =>
  items.flatMap((i) => (i.kind === 'order' ? [i.order] : []));
const othersOf = (items: SourceOrderItem[]): string[] =>
  items.flatMap((i) => (i.kind === 'other-store' ? [i.sourceId] : [])).sort();
/** What an ingest would hold after these orders, as the store keeps it. */
const hold = (orders: WholesaleOrder[], otherStores: string[]): KnownOrders => ({
  held: new Map(orders.map((o) => [o.sourceId, { modifiedAt: Date.parse(o.modifiedAt), orderNumber: o.orderNumber }])),
  otherStores: new Set(otherStores),
});
const routes = async () => (await sim<{ byRoute: Record<string, number> }>('GET', '/_sim/requests')).byRoute;

before(async () => {
  server = await serveApp(createNuorderSimulator().app, 0);
  await sim('POST', '/_sim/seed', { scenario: 'demo' });
  const state = await sim<{ retailers: Array<{ _id: string; name: string }> }>('GET', '/_sim/state');
  const r = state.retailers.find((x) => x.name === 'Lakeside Goods Co.');
  assert.ok(r);
  lakeside = { sourceId: r._id, name: r.name };
});

after(async () => {
  await server.close();
});

beforeEach(async () => {
  await sim('DELETE', '/_sim/requests');
});

test('first poll, idle poll, an edit and a split: only new or changed orders are read', async () => {
  const first = await poll({ held: new Map(), otherStores: new Set() });
  const mine = ordersOf(first);
  // The same orders as the whole listing (the poll without `known`) gives.
  const listed: WholesaleOrder[] = [];
  const source = createNuorderSource({ baseUrl: server.url, credentials: creds, brand, retailer: lakeside });
  for await (const item of source.listOrders({ status: 'approved' }))
    if (item.kind === 'order') listed.push(item.order);
  assert.ok(mine.length >= 2);
  assert.deepEqual(mine, listed);
  assert.ok(othersOf(first).length > 0, "the other store's, reported by id");
  let known = hold(mine, othersOf(first));

  await sim('DELETE', '/_sim/requests');
  const idle = await poll(known);
  assert.deepEqual(ordersOf(idle), [], 'nothing changed, nothing yielded');
  assert.deepEqual(othersOf(idle), [...known.otherStores].sort(), 'the known other-store ids, still approved');
  assert.deepEqual(await routes(), { 'GET /api/orders/:status/list': 2 }, 'two id lists: approved and edited');

  // An edit after approval: only that order is read (with its products) and yielded.
  const target = mine[0]!;
  await sim('POST', '/_sim/clock', { advanceMs: 1000 });
  const line = target.lines[0]!;
  await sim('POST', `/_sim/orders/${target.sourceId}/edit`, { notes: 'edited by the brand' });
  await sim('DELETE', '/_sim/requests');
  const edited = ordersOf(await poll(known));
  assert.deepEqual(
    edited.map((o) => o.sourceId),
    [target.sourceId],
  );
  assert.ok(Date.parse(edited[0]!.modifiedAt) > Date.parse(target.modifiedAt));
  assert.equal((await routes())['GET /api/order/:id'], 1);
  known = hold(
    mine.map((o) => (o.sourceId === target.sourceId ? edited[0]! : o)),
    [...known.otherStores],
  );
  // Read again (still flagged edited) but unchanged since: not yielded.
  assert.deepEqual(ordersOf(await poll(known)), []);

  // A split: the new child is new, the original (not flagged edited) lost lines and is read too.
  const original = mine.find((o) => o.sourceId !== target.sourceId && o.lines.length >= 2)!;
  await sim('POST', `/_sim/clock`, { advanceMs: 1000 });
  const split = await sim<{ split: { _id: string } }>('POST', `/_sim/orders/${original.sourceId}/split`, {});
  const after = ordersOf(await poll(known));
  assert.deepEqual(after.map((o) => o.sourceId).sort(), [original.sourceId, split.split._id].sort());
  assert.equal(after.find((o) => o.sourceId === original.sourceId)?.orderNumber, `${original.orderNumber}-1`);
  assert.ok(line.productSourceId.length > 0);
});

test('more to read than single reads cost: one detail listing, unchanged orders screened out before parsing', async () => {
  await sim('POST', '/_sim/seed', {
    scenario: 'small',
    options: { brands: 1, approvedOrders: 80, linesPerOrder: [2, 2], missingUpcShare: 0 },
  });
  const state = await sim('GET', '/_sim/state');
  const name = String(state.brands[0].name);
  const code = name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .toLowerCase();
  Object.assign(creds, { token: `tl-demo-token-${code}`, tokenSecret: `tl-demo-token-${code}-secret` });
  lakeside = { sourceId: state.retailers[0]._id, name: state.retailers[0].name };

  await sim('DELETE', '/_sim/requests');
  const first = await poll({ held: new Map(), otherStores: new Set() });
  const mine = ordersOf(first);
  assert.ok(mine.length > 50, `${mine.length} orders of the chosen store`);
  let byRoute = await routes();
  assert.equal(byRoute['GET /api/orders/:status/detail'], 1, 'one listing');
  assert.equal(byRoute['GET /api/order/:id'], undefined, 'no single reads');

  // More than 50 edited: a listing again, and only the edited orders come out of it.
  const edited = mine.slice(0, 55);
  await sim('POST', '/_sim/clock', { advanceMs: 1000 });
  for (const o of edited) await sim('POST', `/_sim/orders/${o.sourceId}/edit`, { notes: 'bulk edit' });
  await sim('DELETE', '/_sim/requests');
  const again = ordersOf(await poll(hold(mine, othersOf(first))));
  assert.deepEqual(again.map((o) => o.sourceId).sort(), edited.map((o) => o.sourceId).sort());
  byRoute = await routes();
  assert.equal(byRoute['GET /api/orders/:status/detail'], 1);
  assert.equal(byRoute['GET /api/order/:id'], undefined);
});
