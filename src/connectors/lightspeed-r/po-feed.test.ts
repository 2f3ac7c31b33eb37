/**
 * The R-Series PO feed over the simulator: Orders after the cursor, oldest change first, none skipped when a second
 * order is made in the cursor's own second (that second is re-read until it has passed); the status as the UI says
 * it (Open and Ordered still being ordered, Check In not); lines by item; the tag in `refNum` when the merchant left
 * it empty, else a line of the order's note, the merchant's number kept; a second tag writes nothing; a Finished
 * order is refused with why. An order made in the back office's form is in the feed with its lines.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { RemoteRejected } from '../shared/errors.ts';
import type { RSeriesClient } from './client.ts';
import { startHarness, type Harness } from './harness.test-util.ts';
import { createRSeriesPoFeed } from './po-feed.ts';

let h: Harness;
let client: RSeriesClient;
let shopId: string;
let vendorId: string;
let items: string[];

const anyReply = z.unknown();
const orderReply = z.looseObject({ Order: z.looseObject({ orderID: z.string() }) });

before(async () => {
  h = await startHarness('small');
  ({ client } = await h.connect());
  const ids = async (resource: string, key: string, field: string): Promise<string[]> =>
    (
      (await client.request({ path: `${resource}.json`, query: { limit: 5 }, schema: z.looseObject({}) })) as Record<
        string,
        Array<Record<string, string>>
      >
    )[key]!.map((r) => r[field]!);
  shopId = (await ids('Shop', 'Shop', 'shopID'))[0] ?? '';
  vendorId = (await ids('Vendor', 'Vendor', 'vendorID'))[0] ?? '';
  items = await ids('Item', 'Item', 'itemID');
  assert.ok(shopId && vendorId && items.length >= 2);
});
after(() => h.close());

async function order(body: Record<string, unknown>, lines: Array<[string, number]>): Promise<string> {
  const made = await client.request({
    method: 'POST',
    path: 'Order.json',
    body: { shopID: shopId, ...body },
    schema: orderReply,
  });
  for (const [itemID, quantity] of lines)
    await client.request({
      method: 'POST',
      path: 'OrderLine.json',
      body: { orderID: made.Order.orderID, itemID, quantity },
      schema: anyReply,
    });
  return made.Order.orderID;
}

const clock = (body: unknown) => h.ctl('POST', '/_sim/clock', body);
const feedOf = () => createRSeriesPoFeed(client, `${h.url}/backoffice/orders#order-{orderID}`);

test('orders after the cursor, none skipped within one second; lines; the tag in refNum or the note, once', async () => {
  const feed = feedOf();
  await clock({ advanceSeconds: 5 });
  const start = await feed.changedSince(null);
  // Time stands still: the next orders share one timeStamp second with the cursor.
  await clock({ set: Date.parse((await h.ctl<{ now: string }>('GET', '/_sim/clock')).now) + 5_000, freeze: true });
  const plain = await order({ vendorID: vendorId }, [
    [items[0]!, 4],
    [items[1]!, 0],
  ]);
  const first = await feed.changedSince(start.cursor);
  assert.deepEqual(
    first.orders.map((o) => o.id),
    [plain],
  );
  const numbered = await order({ vendorID: vendorId, refNum: 'PO-77', Note: { note: 'Call before delivery' } }, [
    [items[1]!, 1],
  ]);
  const noVendor = await order({}, [[items[0]!, 1]]);
  // Same second as the cursor: re-read, so the new orders are there (and the first again; the poll dedupes).
  const second = await feed.changedSince(first.cursor);
  assert.deepEqual(second.orders.map((o) => o.id).sort(), [plain, numbered, noVendor].sort());
  const head = second.orders.find((o) => o.id === numbered)!;
  assert.deepEqual(
    [head.number, head.reference, head.supplierId, head.locationId, head.status, head.ordering, head.isRemainder],
    ['PO-77', 'PO-77', vendorId, shopId, 'open', true, false],
  );
  assert.equal(head.url, `${h.url}/backoffice/orders#order-${numbered}`);
  assert.ok(head.createdAt);
  assert.deepEqual(
    [second.orders.find((o) => o.id === plain)!.number, second.orders.find((o) => o.id === noVendor)!.supplierId],
    [plain, null],
  );
  // Once the second has passed, it is read one last time and never again.
  await clock({ set: Date.parse((await h.ctl<{ now: string }>('GET', '/_sim/clock')).now) + 3_000 });
  const settling = await feed.changedSince(second.cursor);
  assert.equal(settling.orders.length, 3);
  assert.deepEqual((await feed.changedSince(settling.cursor)).orders, []);

  assert.deepEqual(await feed.lines(plain), [{ posItemId: items[0], quantity: 4 }]);

  assert.deepEqual(await feed.tag(plain, 'TL-POS-1'), { field: 'refNum', written: true });
  assert.deepEqual(await feed.tag(plain, 'TL-POS-1'), { field: 'refNum', written: false });
  assert.deepEqual(await feed.tag(numbered, 'TL-POS-2'), { field: 'note', written: true });
  assert.deepEqual(await feed.tag(numbered, 'TL-POS-2'), { field: 'note', written: false });
  const tagged = await client.request({
    path: `Order/${numbered}.json`,
    query: { load_relations: '["Note"]' },
    schema: z.looseObject({
      Order: z.looseObject({ refNum: z.string(), Note: z.looseObject({ note: z.string() }) }),
    }),
  });
  assert.equal(tagged.Order.refNum, 'PO-77');
  assert.equal(tagged.Order.Note.note, 'Call before delivery\nNuORDER order TL-POS-2');
  // The tags changed the orders: they are in the feed again (the poll knows them by their pairing).
  assert.deepEqual((await feed.changedSince(settling.cursor)).orders.map((o) => o.id).sort(), [plain, numbered].sort());

  // Ordered is still being ordered; Check In is not; Finished refuses the tag and says why.
  await client.request({
    method: 'PUT',
    path: `Order/${plain}.json`,
    body: { orderedDate: '2026-01-02T00:00:00+00:00' },
    schema: anyReply,
  });
  await client.request({
    method: 'PUT',
    path: `Order/${numbered}.json`,
    body: { receivedDate: '2026-01-03T00:00:00+00:00' },
    schema: anyReply,
  });
  const states = (await feed.changedSince(settling.cursor)).orders;
  assert.deepEqual(
    [plain, numbered].map((id) => states.find((o) => o.id === id)).map((o) => [o?.status, o?.ordering]),
    [
      ['ordered', true],
      ['check_in', false],
    ],
  );
  await client.request({ method: 'PUT', path: `Order/${noVendor}.json`, body: { complete: true }, schema: anyReply });
  await assert.rejects(
    feed.tag(noVendor, 'TL-POS-3'),
    (e) => e instanceof RemoteRejected && /finished/.test(e.message),
  );
  await clock({ reset: true });
});

test('an order a merchant makes in the back office is in the feed with its lines; an archived one is not', async () => {
  const feed = feedOf();
  // Past every order made so far (the first test's are stamped ahead of real time).
  await clock({ advanceSeconds: 60 });
  const start = await feed.changedSince(null);
  await clock({ advanceSeconds: 3 });
  const made = await fetch(`${h.url}/backoffice/orders`, {
    method: 'POST',
    body: new URLSearchParams({
      vendorID: vendorId,
      shopID: shopId,
      refNum: '',
      lines: `${items[0]}, 2\n${items[1]}, 5`,
      then: 'ordered',
    }),
    redirect: 'manual',
  });
  assert.equal(made.status, 303);
  const poId = /order-(\d+)/.exec(made.headers.get('location') ?? '')?.[1];
  assert.ok(poId);
  const archived = await order({ vendorID: vendorId }, [[items[0]!, 1]]);
  await client.request({ method: 'DELETE', path: `Order/${archived}.json`, schema: anyReply });
  const page = await feed.changedSince(start.cursor);
  assert.deepEqual(
    page.orders.map((o) => [o.id, o.status, o.supplierId]),
    [[poId, 'ordered', vendorId]],
  );
  assert.deepEqual(await feed.lines(poId), [
    { posItemId: items[0], quantity: 2 },
    { posItemId: items[1], quantity: 5 },
  ]);
  await clock({ reset: true });
});
