/**
 * The X-Series PO feed over the simulator: SUPPLIER consignments after the cursor (other types left out), lines by
 * POS item, and the tag: in `reference` when the merchant left it empty, else a line of the note (`name`), the
 * merchant's number kept; a second tag writes nothing; a RECEIVED consignment is refused with why.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RemoteRejected } from '../shared/errors.ts';
import { startXHarness, type XHarness } from './harness.test-util.ts';
import { createXSeriesPoFeed } from './po-feed.ts';

let h: XHarness;
before(async () => {
  h = await startXHarness();
});
after(() => h.close());

async function consignment(body: Record<string, unknown>, lines: Array<{ product_id: string; count: number }>) {
  const made = await h.api('/api/2.0/consignments', 'POST', body);
  const id = (made.body as any).data.id as string;
  for (const line of lines) await h.api(`/api/2.0/consignments/${id}/products`, 'POST', line);
  return id;
}

test('the feed lists SUPPLIER POs after its cursor, reads their lines and tags each once', async () => {
  const feed = createXSeriesPoFeed(h.client, h.pos, (id) => `${h.url}/backoffice/consignments/${id}`);
  const start = await feed.changedSince(null);
  const outlet = (await h.api('/api/2.0/outlets')).body.data[0].id as string;
  const supplier = (await h.api('/api/2.0/suppliers')).body.data[0].id as string;
  const product = (await h.api('/api/2.0/products?page_size=5')).body.data.find((p: any) => !p.is_composite).id;
  const plain = await consignment(
    { type: 'SUPPLIER', status: 'OPEN', outlet_id: outlet, supplier_id: supplier, name: 'Restock' },
    [{ product_id: product, count: 4 }],
  );
  const numbered = await consignment(
    { type: 'SUPPLIER', status: 'OPEN', outlet_id: outlet, supplier_id: supplier, name: 'Mine', reference: 'PO-77' },
    [{ product_id: product, count: 1 }],
  );
  await consignment({ type: 'STOCKTAKE', status: 'STOCKTAKE_SCHEDULED', outlet_id: outlet, name: 'Count' }, []);

  const page = await feed.changedSince(start.cursor);
  assert.deepEqual(page.orders.map((o) => o.id).sort(), [plain, numbered].sort());
  const head = page.orders.find((o) => o.id === numbered)!;
  assert.deepEqual([head.number, head.supplierId, head.locationId, head.status], ['PO-77', supplier, outlet, 'OPEN']);
  assert.deepEqual(await feed.lines(plain), [{ posItemId: product, quantity: 4 }]);
  assert.deepEqual((await feed.changedSince(page.cursor)).orders, []);

  assert.deepEqual(await feed.tag(plain, 'TL-POS-1'), { field: 'reference', written: true });
  assert.deepEqual(await feed.tag(plain, 'TL-POS-1'), { field: 'reference', written: false });
  assert.deepEqual(await feed.tag(numbered, 'TL-POS-2'), { field: 'name', written: true });
  assert.deepEqual(await feed.tag(numbered, 'TL-POS-2'), { field: 'name', written: false });
  const after = (await h.api(`/api/2.0/consignments/${numbered}`)).body.data;
  assert.equal(after.reference, 'PO-77');
  assert.equal(after.name, 'Mine\nNuORDER order TL-POS-2');

  await h.api(`/api/2.0/consignments/${plain}/products/${product}`, 'PUT', { received: 4 });
  await h.api(`/api/2.0/consignments/${plain}`, 'PUT', { status: 'RECEIVED' });
  await assert.rejects(feed.tag(plain, 'TL-POS-3'), (e) => e instanceof RemoteRejected && /RECEIVED/.test(e.message));
});

test('the rest of a partly received PO (its remainder) is marked, so it is never sent as a new order', async () => {
  const feed = createXSeriesPoFeed(h.client, h.pos, (id) => `${h.url}/backoffice/consignments/${id}`);
  const start = await feed.changedSince(null);
  const outlet = (await h.api('/api/2.0/outlets')).body.data[0].id as string;
  const supplier = (await h.api('/api/2.0/suppliers')).body.data[0].id as string;
  const product = (await h.api('/api/2.0/products?page_size=5')).body.data.find((p: any) => !p.is_composite).id;
  const po = await consignment(
    { type: 'SUPPLIER', status: 'OPEN', outlet_id: outlet, supplier_id: supplier, name: 'Autumn' },
    [{ product_id: product, count: 5 }],
  );
  await h.api(`/api/2.0/consignments/${po}`, 'PUT', { status: 'SENT' });
  // Received in the back office: 2 of 5, the rest kept on order (a new SENT PO).
  const received = await fetch(`${h.url}/backoffice/consignments/${po}/receive`, {
    method: 'POST',
    body: new URLSearchParams({ [`r:${product}`]: '2', remainder: '1' }),
    redirect: 'manual',
  });
  assert.equal(received.status, 303);
  const heads = (await feed.changedSince(start.cursor)).orders;
  const rest = heads.find((o) => o.id !== po);
  assert.ok(rest, 'the remainder is in the feed');
  assert.deepEqual([rest.status, rest.isRemainder], ['SENT', true]);
  assert.equal(heads.find((o) => o.id === po)?.isRemainder, false);
});
