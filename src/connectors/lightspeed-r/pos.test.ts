import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { money } from '../../core/money.ts';
import type { NewProductSpec, PointOfSale, PurchaseOrderSpec } from '../../core/ports/pos.ts';
import {
  productCorrelationKey,
  purchaseOrderCorrelationKey,
  variantCorrelationKey,
  type PosCatalogEntry,
} from '../../core/pos-catalog.ts';
import { RemoteRejected, RemoteUnavailable } from '../shared/errors.ts';
import type { RSeriesClient } from './client.ts';
import { createLightspeedRPos } from './pos.ts';
import { startHarness, type Harness } from './harness.test-util.ts';

let h: Harness;
let client: RSeriesClient;
let pos: PointOfSale;
let shopId: string;

const ITEM_POST = '/API/V3/Account/:accountID/Item.json';
const MATRIX_POST = '/API/V3/Account/:accountID/ItemMatrix.json';
const ORDER_POST = '/API/V3/Account/:accountID/Order.json';
const LINE_POST = '/API/V3/Account/:accountID/OrderLine.json';
const VENDOR_POST = '/API/V3/Account/:accountID/Vendor.json';

before(async () => {
  h = await startHarness('demo');
  ({ client } = await h.connect());
  pos = createLightspeedRPos(client, {
    currency: 'USD',
    purchaseOrderUrl: `${h.url}/backoffice/orders#order-{orderID}`,
  });
  const shops = await pos.listLocations();
  shopId = shops[0]?.id ?? '';
});

after(async () => {
  await h.close();
});

beforeEach(async () => {
  await h.ctl('DELETE', '/_sim/faults');
});

const usd = (cents: number) => money(cents, 'USD');

/** The API requests the simulator saw since the last `forgetRequests()`: `GET Vendor.json?…`. */
async function requestsSeen(): Promise<string[]> {
  const log = (await h.ctl('GET', '/_sim/requests?limit=1000')) as {
    recent: Array<{ method: string; path: string; query: string }>;
  };
  return log.recent.map(
    (r) =>
      `${r.method} ${r.path.replace(/^.*\/Account\/\d+\//, '')}${r.query ? `?${decodeURIComponent(r.query)}` : ''}`,
  );
}

async function forgetRequests(): Promise<void> {
  await h.ctl('DELETE', '/_sim/requests');
}
let seq = 0;

/** A NuORDER style/color with `sizes`, keys built the way core builds them. */
function productSpec(supplierId: string, sizes: string[], extra: Partial<NewProductSpec> = {}): NewProductSpec {
  seq++;
  const matrix = `brand-x|style-${seq}|navy`;
  const base = 400_000_000_000 + seq * 100;
  return {
    correlationKey: productCorrelationKey(matrix),
    matrixKey: matrix,
    supplierId,
    brandName: 'Brand X',
    styleNumber: `STY-${seq}`,
    color: 'Navy',
    name: `Test Jacket ${seq}`,
    season: null,
    category: null,
    images: [],
    existingParentId: null,
    variants: sizes.map((size, i) => {
      const body = String(base + i).padStart(11, '0');
      const upc = body + String(checkDigit(body));
      return {
        variantKey: `${matrix}|${size.toLowerCase()}`,
        correlationKey: variantCorrelationKey(`${matrix}|${size.toLowerCase()}`),
        size,
        gtin14: upc.padStart(14, '0'),
        upc,
        cost: usd(2_810),
        retail: usd(6_000),
      };
    }),
    ...extra,
  };
}

function checkDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

const query = (spec: NewProductSpec) => ({
  correlationKey: spec.correlationKey,
  name: spec.name,
  color: spec.color,
  variants: spec.variants.map((v) => ({ variantKey: v.variantKey, correlationKey: v.correlationKey })),
});

async function supplier(name: string): Promise<string> {
  const found = await pos.findSupplier({ name, sourceBrandId: `src-${name}` });
  return found[0]?.id ?? (await pos.createSupplier({ name, sourceBrandId: `src-${name}`, currency: 'USD' })).id;
}

function poSpec(supplierId: string, orderNumber: string): PurchaseOrderSpec {
  return {
    correlationKey: purchaseOrderCorrelationKey('nuorder', `order-${orderNumber}`),
    orderNumber,
    locationId: shopId,
    supplierId,
    name: `NuORDER #${orderNumber}`,
    notes: 'Customer PO 4411 · buyer Dana',
    shipWindow: { start: '2026-08-01', end: '2026-08-15' },
    currency: 'USD',
    sourceOrderId: `order-${orderNumber}`,
  };
}

test('capabilities and locations (Shops)', async () => {
  assert.deepEqual(pos.capabilities, { system: 'lightspeed-r', bulkLineLimit: 1, addsVariantsToExistingParent: true });
  const shops = await pos.listLocations();
  assert.equal(shops.length, 2);
  assert.ok(shops.every((s) => /^\d+$/.test(s.id) && s.name !== '' && s.archived === false && s.currency === null));
});

test('catalog feed: a full pass to the end, archived items included, one-element pages, then a tied re-read', async () => {
  const count = await client.request({
    path: 'Item.json',
    query: { archived: 'true', count: 1 },
    schema: z.looseObject({ '@attributes': z.looseObject({ count: z.string() }) }),
  });
  const total = Number(count['@attributes'].count);
  assert.ok(total > 60, `items: ${total}`);
  const seen = new Map<string, PosCatalogEntry>();
  // The first pages one item at a time: each page's `Item` is then an object, not an array.
  let page = await pos.catalogChanges(null, 1);
  assert.equal(page.entries.length, 1);
  for (const e of page.entries) seen.set(e.posItemId, e);
  for (let i = 0; i < 3 && !page.done; i++) {
    page = await pos.catalogChanges(page.nextCursor, 1);
    assert.equal(page.entries.length, 1);
    for (const e of page.entries) seen.set(e.posItemId, e);
  }
  let pages = 0;
  while (!page.done) {
    page = await pos.catalogChanges(page.nextCursor, 50);
    for (const e of page.entries) seen.set(e.posItemId, e);
    assert.deepEqual(page.removedIds, []);
    pages++;
    assert.ok(pages < 1000);
  }
  assert.equal(seen.size, total);
  const all = [...seen.values()];
  assert.ok(
    all.some((e) => e.archived),
    'archived items are in the feed',
  );
  assert.ok(all.some((e) => e.parentId !== null) && all.some((e) => e.gtins.length > 0));
  assert.ok(all.every((e) => e.gtins.every((g) => /^\d{14}$/.test(g))));

  // Nothing changed: the next poll re-reads at most the items tied with the cursor and reaches the present.
  const lastVersion = [...seen.values()]
    .map((e) => e.version)
    .sort()
    .pop();
  let again = await pos.catalogChanges(page.nextCursor, 100);
  while (!again.done) {
    assert.ok(again.entries.every((e) => e.version === lastVersion));
    again = await pos.catalogChanges(again.nextCursor, 100);
  }
  assert.ok(again.entries.every((e) => e.version === lastVersion));

  // A change shows up in the next poll with a new version.
  const victim = all.find((e) => !e.archived);
  assert.ok(victim);
  await h.ctl('POST', '/_sim/clock', { advanceSeconds: 5 });
  await client.request({
    method: 'PUT',
    path: `Item/${victim.posItemId}.json`,
    body: { description: 'Renamed by the merchant' },
    schema: z.unknown(),
  });
  let changed = await pos.catalogChanges(again.nextCursor, 100);
  const polled = [...changed.entries];
  while (!changed.done) {
    changed = await pos.catalogChanges(changed.nextCursor, 100);
    polled.push(...changed.entries);
  }
  // Sorted by timeStamp: the change comes last.
  assert.equal(polled[polled.length - 1]?.posItemId, victim.posItemId);
  const entry = polled.find((e) => e.posItemId === victim.posItemId);
  assert.equal(entry?.name, 'Renamed by the merchant');
  assert.notEqual(entry?.version, victim.version);
});

test('catalog feed: items tied with the cursor are re-read until the server clock has left their second', async () => {
  const rename = (id: string, description: string) =>
    client.request({ method: 'PUT', path: `Item/${id}.json`, body: { description }, schema: z.unknown() });
  const drain = async (cursor: string | null) => {
    let page = await pos.catalogChanges(cursor, 100);
    const entries = [...page.entries];
    while (!page.done) {
      page = await pos.catalogChanges(page.nextCursor, 100);
      entries.push(...page.entries);
    }
    return { entries, cursor: page.nextCursor };
  };
  const full = await drain(null);
  let cursor = full.cursor;
  const everything = full.entries;
  const [older, oldest] = everything.filter((e) => !e.archived).slice(0, 2);
  assert.ok(older && oldest);
  // Frozen a whole second after any seeded stamp: every write below is stamped with that one second.
  const second = Math.ceil(Date.now() / 1000) * 1000 + 10_000;
  await h.ctl('POST', '/_sim/clock', { set: second + 400, freeze: true });
  try {
    // Ten seconds after the seed: this poll settles the cursor (it may re-read the newest seeded items).
    cursor = (await drain(cursor)).cursor;
    await rename(older.posItemId, 'Renamed first');
    let poll = await drain(cursor);
    assert.deepEqual(
      poll.entries.map((e) => e.posItemId),
      [older.posItemId],
    );
    // Same second, after that poll: an item with a lower id gets the same stamp and must not be lost.
    await rename(oldest.posItemId, 'Renamed in the same second');
    await forgetRequests();
    poll = await drain(poll.cursor);
    assert.deepEqual(poll.entries.map((e) => e.posItemId).sort(), [older.posItemId, oldest.posItemId].sort());
    assert.match((await requestsSeen())[0] ?? '', /timeStamp=>=,/);
    // Two seconds on, the tied items are re-read once more; after that a quiet poll reads nothing again.
    await h.ctl('POST', '/_sim/clock', { advanceMs: 2_000 });
    poll = await drain(poll.cursor);
    assert.equal(poll.entries.length, 2);
    await forgetRequests();
    poll = await drain(poll.cursor);
    assert.deepEqual(poll.entries, []);
    const asked = await requestsSeen();
    assert.equal(asked.length, 1);
    assert.match(asked[0] ?? '', /timeStamp=>,/);
    // And a later change still shows.
    await h.ctl('POST', '/_sim/clock', { advanceMs: 1_000 });
    await rename(oldest.posItemId, 'Renamed later');
    poll = await drain(poll.cursor);
    assert.deepEqual(
      poll.entries.map((e) => [e.posItemId, e.name]),
      [[oldest.posItemId, 'Renamed later']],
    );
  } finally {
    await h.ctl('POST', '/_sim/clock', { reset: true });
  }
});

test('getCatalogEntries: one id (one-element collection), unknown and non-numeric ids are missing', async () => {
  const first = (await pos.catalogChanges(null, 2)).entries;
  const id = first[0]?.posItemId ?? '';
  const one = await pos.getCatalogEntries([id]);
  assert.equal(one.entries.length, 1);
  assert.equal(one.entries[0]?.posItemId, id);
  const mixed = await pos.getCatalogEntries([id, '99999999', 'abc']);
  assert.deepEqual(mixed.missingIds.sort(), ['99999999', 'abc']);
});

test('merged-away item disappears from getCatalogEntries (missingIds)', async () => {
  const supplierId = await supplier('Merge Brand');
  const spec = productSpec(supplierId, ['S', 'M']);
  const made = await pos.createProduct(spec);
  const [keep, gone] = Object.values(made.variantIds);
  assert.ok(keep && gone);
  await h.ctl('POST', '/_sim/merge-items', { keepItemID: Number(keep), mergeItemID: Number(gone) });
  const recheck = await pos.getCatalogEntries([keep, gone]);
  assert.deepEqual(recheck.missingIds, [gone]);
  assert.deepEqual(
    recheck.entries.map((e) => e.posItemId),
    [keep],
  );
});

test('findCatalogEntriesByGtin: UPC-A and EAN-13 forms, archived included, unknown → []', async () => {
  const items = await client.list(
    'Item.json',
    { archived: 'true', limit: 100 },
    z
      .looseObject({
        Item: z.array(z.looseObject({ itemID: z.string(), upc: z.string(), ean: z.string(), archived: z.string() })),
        '@attributes': z.looseObject({ next: z.string() }),
      })
      .transform((b) => ({ next: b['@attributes'].next, items: b.Item })),
  );
  const withUpc = items.find((i) => /^\d{12}$/.test(i.upc));
  const withEan = items.find((i) => /^\d{13}$/.test(i.ean));
  const archived = items.find((i) => i.archived === 'true' && /^\d{12}$/.test(i.upc));
  assert.ok(withUpc && withEan && archived, 'the seed has UPC, EAN-only and archived items');
  const g = (code: string) => code.padStart(14, '0');
  const unknown = '00000000000000'.slice(0, 13) + '0';
  const found = await pos.findCatalogEntriesByGtin([g(withUpc.upc), g(withEan.ean), g(archived.upc), unknown]);
  assert.ok(found[g(withUpc.upc)]?.some((e) => e.posItemId === withUpc.itemID));
  assert.ok(found[g(withEan.ean)]?.some((e) => e.posItemId === withEan.itemID));
  assert.ok(found[g(archived.upc)]?.some((e) => e.posItemId === archived.itemID && e.archived));
  assert.deepEqual(found[unknown], []);
});

test('suppliers: by b2bSellerUID first, then by name; create writes b2bSellerUID', async () => {
  await forgetRequests();
  assert.deepEqual(await pos.findSupplier({ name: 'Fresh Vendor Co', sourceBrandId: 'brand-fresh' }), []);
  // Both questions in one request (`or=`).
  assert.deepEqual(await requestsSeen(), [
    'GET Vendor.json?or=b2bSellerUID=brand-fresh|name=~,%Fresh+Vendor+Co%&limit=100',
  ]);
  const created = await pos.createSupplier({ name: 'Fresh Vendor Co', sourceBrandId: 'brand-fresh', currency: 'USD' });
  assert.equal(created.matchedBy, 'created');
  const bySource = await pos.findSupplier({ name: 'Renamed in NuORDER', sourceBrandId: 'brand-fresh' });
  assert.deepEqual(bySource, [{ id: created.id, name: 'Fresh Vendor Co', matchedBy: 'source_id' }]);
  // A seeded vendor (no b2bSellerUID) matches by name, without regard to case and spaces.
  const seeded = await client.list(
    'Vendor.json',
    { limit: 1 },
    z
      .looseObject({
        Vendor: z.looseObject({ vendorID: z.string(), name: z.string() }),
        '@attributes': z.looseObject({ next: z.string() }),
      })
      .transform((b) => ({ next: '', items: [b.Vendor] })),
  );
  const v = seeded[0];
  assert.ok(v);
  const byName = await pos.findSupplier({ name: `  ${v.name.toUpperCase()} `, sourceBrandId: 'brand-unlinked' });
  assert.deepEqual(byName, [{ id: v.vendorID, name: v.name, matchedBy: 'name' }]);
  // A `|` would split the `or=`: such a brand is asked about in two requests, with the same answers.
  await forgetRequests();
  assert.deepEqual(await pos.findSupplier({ name: v.name, sourceBrandId: 'brand|piped' }), byName);
  assert.equal((await requestsSeen()).length, 2);
  const piped = await pos.createSupplier({ name: 'Pipe | Co', sourceBrandId: 'brand-pipe', currency: 'USD' });
  assert.deepEqual(await pos.findSupplier({ name: 'Pipe | Co', sourceBrandId: 'brand-pipe' }), [
    { id: piped.id, name: 'Pipe | Co', matchedBy: 'source_id' },
  ]);
  // Linked to another NuORDER brand: not this brand's, whatever its name.
  assert.deepEqual(await pos.findSupplier({ name: 'pipe | co', sourceBrandId: 'brand-other' }), []);
});

test('an account that refuses the combined vendor query is asked twice instead, with the same answer', async () => {
  const own = createLightspeedRPos(client, {
    currency: 'USD',
    purchaseOrderUrl: `${h.url}/backoffice/orders#order-{orderID}`,
  });
  const created = await own.createSupplier({ name: 'Or Refused Co', sourceBrandId: 'brand-or', currency: 'USD' });
  await h.ctl('POST', '/_sim/faults', {
    kind: 'error',
    status: 400,
    method: 'GET',
    path: '/API/V3/Account/*/Vendor.json',
    times: 1,
  });
  await forgetRequests();
  const expected = [{ id: created.id, name: 'Or Refused Co', matchedBy: 'source_id' }];
  assert.deepEqual(await own.findSupplier({ name: 'Or Refused Co', sourceBrandId: 'brand-or' }), expected);
  assert.deepEqual(
    (await requestsSeen()).map((r) => r.replace(/=.*/, '')),
    ['GET Vendor.json?or', 'GET Vendor.json?b2bSellerUID', 'GET Vendor.json?name'],
  );
  // Remembered: the next lookup goes straight to the two documented queries.
  await forgetRequests();
  assert.deepEqual(await own.findSupplier({ name: 'Or Refused Co', sourceBrandId: 'brand-or' }), expected);
  assert.equal((await requestsSeen()).length, 2);
});

test('supplier ghost write → RemoteUnavailable, then findSupplier returns it', async () => {
  await h.ctl('POST', '/_sim/faults', { kind: 'ghost_write', method: 'POST', path: VENDOR_POST, times: 1 });
  await assert.rejects(
    pos.createSupplier({ name: 'Ghost Vendor', sourceBrandId: 'brand-ghost', currency: 'USD' }),
    RemoteUnavailable,
  );
  const found = await pos.findSupplier({ name: 'Ghost Vendor', sourceBrandId: 'brand-ghost' });
  assert.equal(found.length, 1);
  assert.equal(found[0]?.matchedBy, 'source_id');
});

test('createProduct: matrix + items, then findProductsByCorrelation finds them all; the matrix name is clean', async () => {
  const supplierId = await supplier('Product Brand');
  const spec = productSpec(supplierId, ['S', 'M', 'L']);
  assert.deepEqual(await pos.findProductsByCorrelation([query(spec)]), []);
  const made = await pos.createProduct(spec);
  assert.ok(made.parentId);
  assert.equal(Object.keys(made.variantIds).length, 3);
  const found = await pos.findProductsByCorrelation([query(spec)]);
  assert.deepEqual(found, [
    { correlationKey: spec.correlationKey, parentId: made.parentId, variantIds: made.variantIds },
  ]);

  const matrix = await client.request({
    path: `ItemMatrix/${made.parentId}.json`,
    query: { load_relations: '["Items"]' },
    schema: z.looseObject({ ItemMatrix: z.looseObject({ description: z.string(), itemAttributeSetID: z.string() }) }),
  });
  assert.equal(matrix.ItemMatrix.description, `${spec.name} Navy`);
  assert.equal(matrix.ItemMatrix.itemAttributeSetID, '1');
  const sId = made.variantIds[spec.variants[0]?.variantKey ?? ''] ?? '';
  const item = await client.request({
    path: `Item/${sId}.json`,
    query: { load_relations: '["ItemAttributes","ItemVendorNums"]' },
    schema: z.looseObject({
      Item: z.looseObject({
        customSku: z.string(),
        upc: z.string(),
        defaultCost: z.string(),
        description: z.string(),
        manufacturerSku: z.string(),
        ItemAttributes: z.looseObject({ attribute1: z.string(), attribute2: z.string() }),
        Prices: z.unknown(),
      }),
    }),
  });
  assert.equal(item.Item.customSku, spec.variants[0]?.correlationKey);
  assert.equal(item.Item.upc, spec.variants[0]?.upc);
  assert.equal(item.Item.defaultCost, '28.1');
  assert.equal(item.Item.manufacturerSku, spec.styleNumber);
  assert.equal(item.Item.description, `${spec.name} Navy S`);
  assert.deepEqual([item.Item.ItemAttributes.attribute1, item.Item.ItemAttributes.attribute2], ['Navy', 'S']);

  // The live GTIN lookup sees the new items, and the catalog entry maps them.
  const g = spec.variants[0]?.gtin14 ?? '';
  const byGtin = await pos.findCatalogEntriesByGtin([g]);
  assert.equal(byGtin[g]?.length, 1);
  assert.equal(byGtin[g]?.[0]?.parentId, made.parentId);
  assert.equal(byGtin[g]?.[0]?.sku, spec.variants[0]?.correlationKey);
});

test('ItemMatrix ghost write → RemoteUnavailable; the find returns the matrix; the retry adds the items to it', async () => {
  const supplierId = await supplier('Ghost Matrix Brand');
  const spec = productSpec(supplierId, ['S', 'M']);
  await h.ctl('POST', '/_sim/faults', { kind: 'ghost_write', method: 'POST', path: MATRIX_POST, times: 1 });
  await assert.rejects(pos.createProduct(spec), RemoteUnavailable);
  const found = await pos.findProductsByCorrelation([query(spec)]);
  assert.equal(found.length, 1);
  const parentId = found[0]?.parentId;
  assert.ok(parentId);
  assert.deepEqual(found[0]?.variantIds, {});
  const made = await pos.createProduct({ ...spec, existingParentId: parentId, existingParentIsOurs: true });
  assert.equal(made.parentId, parentId);
  const again = await pos.findProductsByCorrelation([query(spec)]);
  assert.deepEqual(again[0]?.variantIds, made.variantIds);
  const matrix = await client.request({
    path: `ItemMatrix/${parentId}.json`,
    schema: z.looseObject({ ItemMatrix: z.looseObject({ description: z.string() }) }),
  });
  assert.equal(matrix.ItemMatrix.description, `${spec.name} Navy`, 'the key tag is gone');
  const matrices = await client.request({
    path: 'ItemMatrix.json',
    query: { description: `~,${spec.name}%` },
    schema: z.looseObject({ ItemMatrix: z.unknown() }),
  });
  assert.ok(!Array.isArray(matrices.ItemMatrix), 'exactly one matrix for the style');
});

test('Item ghost drop → RemoteUnavailable; the find returns the matrix and the item; only the rest are created', async () => {
  const supplierId = await supplier('Ghost Item Brand');
  const spec = productSpec(supplierId, ['S', 'M', 'L']);
  await h.ctl('POST', '/_sim/faults', { kind: 'ghost_drop', method: 'POST', path: ITEM_POST, times: 1 });
  await assert.rejects(pos.createProduct(spec), RemoteUnavailable);
  const [found] = await pos.findProductsByCorrelation([query(spec)]);
  assert.ok(found?.parentId);
  const first = spec.variants[0];
  assert.ok(first);
  assert.deepEqual(Object.keys(found.variantIds), [first.variantKey]);
  const rest = await pos.createProduct({ ...spec, existingParentId: found.parentId, variants: spec.variants.slice(1) });
  const [all] = await pos.findProductsByCorrelation([query(spec)]);
  assert.equal(Object.keys(all?.variantIds ?? {}).length, 3);
  assert.equal(all?.parentId, found.parentId);
  assert.deepEqual(all?.variantIds, { ...found.variantIds, ...rest.variantIds });
});

test('purchase order: create, find by refNum, lines one per POST (existing ones kept), submit → Ordered', async () => {
  const supplierId = await supplier('PO Brand');
  const spec = productSpec(supplierId, ['S', 'M']);
  const made = await pos.createProduct(spec);
  const [itemS, itemM] = Object.values(made.variantIds);
  assert.ok(itemS && itemM);
  const order = poSpec(supplierId, '100596-1');
  assert.equal(await pos.findPurchaseOrderByCorrelation(order), null);
  const po = await pos.createPurchaseOrder(order);
  assert.equal(po.status, 'open');
  assert.equal(po.open, true);
  assert.equal(po.url, `${h.url}/backoffice/orders#order-${po.id}`);
  assert.deepEqual(await pos.findPurchaseOrderByCorrelation(order), po);

  const raw = await client.request({
    path: `Order/${po.id}.json`,
    query: { load_relations: '["Note"]' },
    schema: z.looseObject({
      Order: z.looseObject({
        refNum: z.string(),
        b2bOrderUID: z.string(),
        b2bOrderNumber: z.string(),
        shopID: z.string(),
        vendorID: z.string(),
        arrivalDate: z.string(),
        Note: z.looseObject({ note: z.string() }),
      }),
    }),
  });
  assert.equal(raw.Order.refNum, order.correlationKey);
  assert.equal(raw.Order.b2bOrderUID, 'order-100596-1');
  assert.equal(raw.Order.b2bOrderNumber, '100596-1');
  assert.equal(raw.Order.vendorID, supplierId);
  assert.match(raw.Order.arrivalDate, /^2026-08-15T00:00:00/);
  assert.match(raw.Order.Note.note, /NuORDER #100596-1[\s\S]*Customer PO 4411/);

  await assert.rejects(pos.submitPurchaseOrder(po.id), RemoteRejected, 'no lines yet');

  const line = (posItemId: string, quantity: number) => ({
    posItemId,
    quantity,
    unitCost: usd(2_810),
    sourceLineKeys: [`line-${posItemId}`],
  });
  assert.deepEqual(await pos.addPurchaseOrderLines(po.id, [line(itemS, 4)]), [
    { posItemId: itemS, sourceLineKeys: [`line-${itemS}`], outcome: 'added' },
  ]);
  // Sent again (e.g. after a crash): nothing is added twice.
  const outcomes = await pos.addPurchaseOrderLines(po.id, [line(itemS, 4), line(itemM, 6), line('99999999', 1)]);
  assert.deepEqual(
    outcomes.map((o) => o.outcome),
    ['added', 'added', 'rejected'],
  );
  const lines = await pos.listPurchaseOrderLines(po.id);
  assert.deepEqual(
    lines.map((l) => [l.posItemId, l.quantity, l.unitCost?.minor, l.received]).sort(),
    [
      [itemS, 4, 2_810, 0],
      [itemM, 6, 2_810, 0],
    ].sort(),
  );

  await forgetRequests();
  const submitted = await pos.submitPurchaseOrder(po.id);
  // Not a first attempt: the PO and a line are read before orderedDate is written.
  assert.deepEqual(
    (await requestsSeen()).map((r) => r.replace(/\?.*/, '')),
    [`GET Order/${po.id}.json`, 'GET OrderLine.json', `PUT Order/${po.id}.json`],
  );
  assert.equal(submitted.status, 'ordered');
  assert.equal(submitted.open, true);
  const twice = await pos.submitPurchaseOrder(po.id);
  assert.deepEqual(twice, submitted);

  // Received in the back office: the lines report it.
  await h.ctl('POST', `/_sim/orders/${po.id}/check-in`, {});
  const received = await pos.listPurchaseOrderLines(po.id);
  assert.deepEqual(received.map((l) => l.received).sort(), [4, 6]);
  const after = await pos.findPurchaseOrderByCorrelation(order);
  assert.equal(after?.status, 'check_in');
  assert.equal(after?.open, false);
});

test('submit on a first attempt: one PUT, no reads; a resumed submit checks and changes nothing', async () => {
  const supplierId = await supplier('Submit Brand');
  const made = await pos.createProduct(productSpec(supplierId, ['S']));
  const itemId = Object.values(made.variantIds)[0] ?? '';
  const po = await pos.createPurchaseOrder(poSpec(supplierId, `submit-${seq}`));
  await pos.addPurchaseOrderLines(po.id, [
    { posItemId: itemId, quantity: 2, unitCost: usd(1_000), sourceLineKeys: ['l1'] },
  ]);
  await forgetRequests();
  const submitted = await pos.submitPurchaseOrder(po.id, { firstAttempt: true });
  assert.equal(submitted.status, 'ordered');
  assert.deepEqual(await requestsSeen(), [`PUT Order/${po.id}.json`]);
  await forgetRequests();
  assert.deepEqual(await pos.submitPurchaseOrder(po.id), submitted);
  assert.deepEqual(await requestsSeen(), [`GET Order/${po.id}.json`]);
});

test('a PO in another currency is refused before anything is written', async () => {
  const supplierId = await supplier('Euro Brand');
  await assert.rejects(pos.createPurchaseOrder({ ...poSpec(supplierId, 'EUR-1'), currency: 'EUR' }), RemoteRejected);
  assert.equal(await pos.findPurchaseOrderByCorrelation(poSpec(supplierId, 'EUR-1')), null);
});

test('Order ghost write → RemoteUnavailable; findPurchaseOrderByCorrelation returns the order', async () => {
  const supplierId = await supplier('Ghost PO Brand');
  const order = poSpec(supplierId, 'GHOST-1');
  await h.ctl('POST', '/_sim/faults', { kind: 'ghost_write', method: 'POST', path: ORDER_POST, times: 1 });
  await assert.rejects(pos.createPurchaseOrder(order), RemoteUnavailable);
  const found = await pos.findPurchaseOrderByCorrelation(order);
  assert.ok(found);
  assert.equal(found.status, 'open');
});

test('OrderLine ghost write and ghost drop → RemoteUnavailable; the line is listed and never added twice', async () => {
  const supplierId = await supplier('Ghost Line Brand');
  const made = await pos.createProduct(productSpec(supplierId, ['S', 'M']));
  const [itemS, itemM] = Object.values(made.variantIds);
  assert.ok(itemS && itemM);
  const po = await pos.createPurchaseOrder(poSpec(supplierId, 'GHOST-LINES'));
  const line = (posItemId: string) => ({ posItemId, quantity: 3, unitCost: usd(1_999), sourceLineKeys: ['k'] });

  for (const [kind, item] of [
    ['ghost_write', itemS],
    ['ghost_drop', itemM],
  ] as const) {
    await h.ctl('POST', '/_sim/faults', { kind, method: 'POST', path: LINE_POST, times: 1 });
    await assert.rejects(pos.addPurchaseOrderLines(po.id, [line(item)]), RemoteUnavailable);
    const listed = await pos.listPurchaseOrderLines(po.id);
    assert.ok(listed.some((l) => l.posItemId === item && l.quantity === 3));
    assert.deepEqual(
      (await pos.addPurchaseOrderLines(po.id, [line(item)])).map((o) => o.outcome),
      ['added'],
    );
  }
  const lines = await pos.listPurchaseOrderLines(po.id);
  assert.equal(lines.length, 2);
});
