/** The X-Series PointOfSale against the X-Series simulator over real loopback HTTP, faults included. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseGtin } from '../../core/gtin.ts';
import { money } from '../../core/money.ts';
import { purchaseOrderCorrelationKey } from '../../core/pos-catalog.ts';
import type { NewProductSpec, PointOfSale, PurchaseOrderLineSpec, PurchaseOrderSpec } from '../../core/ports/pos.ts';
import { RemoteRejected, RemoteUnavailable } from '../shared/errors.ts';
import { newProductSpec, startXHarness, upcMaker, type XHarness } from './harness.test-util.ts';

const BULK = 'POST /api/2.0/consignments/:id/bulk';
const upc = upcMaker('89');
const productSpec = (tag: string, supplierId: string, sizes: string[]): NewProductSpec =>
  newProductSpec(
    upc,
    {
      key: 'brand-x',
      name: 'Tradeloop Test Brand',
      stylePrefix: 'ST',
      namePrefix: 'Test',
      season: 'SS27',
      category: 'Tops',
    },
    tag,
    supplierId,
    sizes,
  );

function poSpec(orderNumber: string, locationId: string, supplierId: string): PurchaseOrderSpec {
  return {
    correlationKey: purchaseOrderCorrelationKey('nuorder', `order-${orderNumber}`),
    orderNumber,
    locationId,
    supplierId,
    name: `NuORDER ${orderNumber}`,
    notes: 'Customer PO 7781. Buyer: Dana. Ship complete.',
    shipWindow: { start: '2026-12-01', end: '2026-12-15' },
    currency: 'USD',
    sourceOrderId: `order-${orderNumber}`,
  };
}

const linesFor = (ids: string[], qty = 2): PurchaseOrderLineSpec[] =>
  ids.map((posItemId, i) => ({
    posItemId,
    quantity: qty,
    unitCost: money(1250, 'USD'),
    sourceLineKeys: [`line-${i}`],
  }));

describe('X-Series PointOfSale', () => {
  let h: XHarness;
  let pos: PointOfSale;
  let outletId: string;
  let supplierId: string;

  before(async () => {
    h = await startXHarness();
    pos = h.pos;
    const locations = await pos.listLocations();
    outletId = locations.find((l) => !l.archived)!.id;
    const created = await pos.createSupplier({
      name: 'Tradeloop Test Brand',
      sourceBrandId: 'brand-x',
      currency: 'USD',
    });
    supplierId = created.id;
  });
  after(async () => h.close());

  test('capabilities and locations', async () => {
    assert.equal(pos.capabilities.system, 'lightspeed-x');
    assert.equal(pos.capabilities.bulkLineLimit, 500);
    assert.equal(pos.capabilities.addsVariantsToExistingParent, true, 'new sizes join their family by default');
    assert.equal(h.makePos({ addVariantsToExistingParent: false }).capabilities.addsVariantsToExistingParent, false);
    const locations = await pos.listLocations();
    assert.ok(locations.length >= 2);
    for (const l of locations) assert.equal(l.currency, 'USD');
  });

  test('catalog feed runs to the end with the cursor; inactive items are archived, deleted ones removed', async () => {
    const all = (await h.api('/api/2.0/products?page_size=10000')).body.data as Array<{
      id: string;
      is_active: boolean;
    }>;
    const victim = all.find((p) => p.is_active)!;
    assert.equal((await h.api(`/api/2.0/products/${victim.id}`, 'DELETE')).status, 200);

    let cursor: string | null = null;
    const seen = new Map<string, boolean>();
    const removed: string[] = [];
    let pages = 0;
    for (;;) {
      const page = await pos.catalogChanges(cursor, 7);
      pages++;
      for (const e of page.entries) seen.set(e.posItemId, e.archived);
      removed.push(...page.removedIds);
      if (cursor !== null) assert.ok(Number(page.nextCursor) >= Number(cursor), 'the cursor never goes back');
      cursor = page.nextCursor;
      if (page.done) break;
      assert.ok(pages < 1000);
    }
    assert.ok(pages > 2, 'several pages');
    assert.deepEqual(removed, [victim.id]);
    assert.equal(seen.size, all.length - 1);
    assert.ok(
      [...seen.values()].some((archived) => archived),
      'the seeded inactive item is archived',
    );
    assert.ok(!seen.has(victim.id));

    // Polling again from the stored cursor sees only what changed since.
    const quiet = await pos.catalogChanges(cursor, 100);
    assert.deepEqual([quiet.entries.length, quiet.removedIds.length, quiet.done], [0, 0, true]);
    const other = all.find((p) => p.is_active && p.id !== victim.id)!;
    await h.api(`/api/2.1/products/${other.id}`, 'PUT', { details: { is_active: false } });
    const changed = await pos.catalogChanges(cursor, 100);
    assert.deepEqual(
      changed.entries.map((e) => [e.posItemId, e.archived]),
      [[other.id, true]],
    );

    // Rechecks: the deleted id and an unknown id are missing.
    const recheck = await pos.getCatalogEntries([other.id, victim.id, '00000000-0000-0000-0000-000000000000']);
    assert.deepEqual(
      recheck.entries.map((e) => e.posItemId),
      [other.id],
    );
    assert.deepEqual(recheck.missingIds.sort(), [victim.id, '00000000-0000-0000-0000-000000000000'].sort());
  });

  test('findCatalogEntriesByGtin finds a UPC-A item by its GTIN-14, archived items included', async () => {
    const all = (await h.api('/api/2.0/products?page_size=10000')).body.data as Array<{
      id: string;
      product_codes: Array<{ type: string; code: string }>;
    }>;
    const withUpc = all.find((p) => p.product_codes.some((c) => c.type === 'UPC'))!;
    const code = withUpc.product_codes.find((c) => c.type === 'UPC')!.code;
    const gtin = (parseGtin(code) as { ok: true; gtin14: string }).gtin14;
    const found = await pos.findCatalogEntriesByGtin([gtin, '00000000000000'.slice(0, 13) + '0']);
    assert.ok(found[gtin]!.some((e) => e.posItemId === withUpc.id));
    assert.ok(found[gtin]!.every((e) => e.gtins.includes(gtin)));
    assert.deepEqual(found['00000000000000'], []);
  });

  test('suppliers: case-insensitive name match, create, then find by the source id', async () => {
    const seeded = (await h.api('/api/2.0/suppliers')).body.data[0] as { id: string; name: string };
    const byName = await pos.findSupplier({ name: `  ${seeded.name.toUpperCase()} `, sourceBrandId: 'unknown-brand' });
    assert.deepEqual(byName, [{ id: seeded.id, name: seeded.name, matchedBy: 'name' }]);

    const found = await pos.findSupplier({ name: 'renamed later', sourceBrandId: 'brand-x' });
    assert.deepEqual(found, [{ id: supplierId, name: 'Tradeloop Test Brand', matchedBy: 'source_id' }]);
    assert.deepEqual(await pos.findSupplier({ name: 'No Such Brand', sourceBrandId: 'nope' }), []);
  });

  test('createProduct makes one inactive family with Color/Size variants; findProductsByCorrelation finds it', async () => {
    const spec = productSpec('family', supplierId, ['S', 'M', 'L']);
    const query = {
      correlationKey: spec.correlationKey,
      variants: spec.variants.map((v) => ({ variantKey: v.variantKey, correlationKey: v.correlationKey })),
    };
    assert.deepEqual(await pos.findProductsByCorrelation([query]), []);
    const created = await pos.createProduct(spec);
    assert.equal(Object.keys(created.variantIds).length, 3);
    const [found] = await pos.findProductsByCorrelation([query]);
    assert.deepEqual(found, {
      correlationKey: spec.correlationKey,
      parentId: created.parentId,
      variantIds: created.variantIds,
    });

    const medium = (await h.api(`/api/2.0/products/${created.variantIds[spec.variants[1]!.variantKey]}`)).body.data;
    assert.equal(medium.is_active, false);
    assert.equal(medium.source_id, spec.correlationKey);
    // The SKU staff see reads as the item and marks it as Tradeloop's draft: `variants[].source_variant_id`
    // is not in the 2.0 schema, and the simulator drops it as the real API may (F9).
    assert.equal(medium.sku, spec.variants[1]!.correlationKey);
    assert.match(medium.sku, /-navy-m-[0-9a-f]{8}$/);
    assert.equal(medium.source_variant_id, null);
    assert.equal(medium.supplier_id, supplierId);
    assert.equal(medium.supply_price, 12.5);
    assert.equal(medium.price_excluding_tax, 29.99);
    assert.deepEqual(
      medium.variant_options.map((o: { name: string; value: string }) => [o.name, o.value]),
      [
        ['Color', 'Navy'],
        ['Size', 'M'],
      ],
    );
    assert.ok(
      medium.product_codes.some(
        (c: { type: string; code: string }) => c.type === 'UPC' && c.code === spec.variants[1]!.upc,
      ),
    );

    // The live GTIN lookup now sees the new item, as a draft in the family: inactive, yet not archived,
    // because it is Tradeloop's own draft and the next export of this style must match it.
    const gtin = spec.variants[1]!.gtin14!;
    const byGtin = await pos.findCatalogEntriesByGtin([gtin]);
    assert.deepEqual(
      byGtin[gtin]!.map((e) => [e.posItemId, e.parentId, e.archived]),
      [[medium.id, created.parentId, false]],
    );
  });

  test('purchase order: a SUPPLIER consignment found again by its correlation key', async () => {
    const spec = poSpec('100596-1', outletId, supplierId);
    assert.equal(await pos.findPurchaseOrderByCorrelation(spec), null);
    const po = await pos.createPurchaseOrder(spec);
    assert.equal(po.status, 'OPEN');
    assert.equal(po.open, true);
    assert.equal(po.number, spec.correlationKey);
    assert.deepEqual(await pos.findPurchaseOrderByCorrelation(spec), po);
    const raw = (await h.api(`/api/2.0/consignments/${po.id}`)).body.data;
    assert.equal(raw.type, 'SUPPLIER');
    assert.equal(raw.outlet_id, outletId);
    assert.equal(raw.supplier_id, supplierId);
    assert.equal(raw.reference, spec.correlationKey);
    assert.match(raw.name, /100596-1/);
    assert.match(raw.name, /Customer PO 7781/);
    assert.equal(Date.parse(raw.due_at), Date.parse('2026-12-15T00:00:00Z'));

    // §3.5: the list is read whether it comes bare (spec 1) or wrapped like the other 2.0 lists.
    await h.control('/_sim/config', 'PUT', { consignmentListEnvelope: 'data' });
    assert.deepEqual(await pos.findPurchaseOrderByCorrelation(spec), po);
    await h.control('/_sim/config', 'PUT', { consignmentListEnvelope: 'array' });

    // A PO in another currency cannot be expressed: refused before anything is sent.
    await assert.rejects(
      pos.createPurchaseOrder({ ...poSpec('100596-2', outletId, supplierId), currency: 'EUR' }),
      RemoteRejected,
    );
  });

  test('lines: 500 go in one bulk call, 501 in two; a repeat never doubles counts; submit is configurable', async () => {
    // A family holds at most 200 variants (the simulator refuses more, as X-Series does): 501 lines from three.
    const ids: string[] = [];
    for (const [part, count] of [
      ['a', 200],
      ['b', 200],
      ['c', 101],
    ] as const) {
      const sizes = Array.from({ length: count }, (_, i) => `Z${i + 1}`);
      ids.push(...Object.values((await pos.createProduct(productSpec(`bulk-${part}`, supplierId, sizes))).variantIds));
    }
    assert.equal(ids.length, 501);

    const po500 = await pos.createPurchaseOrder(poSpec('200-1', outletId, supplierId));
    await h.resetCounts();
    const outcomes = await pos.addPurchaseOrderLines(po500.id, linesFor(ids.slice(0, 500), 3));
    assert.equal(await h.count(BULK), 1);
    assert.ok(outcomes.every((o) => o.outcome === 'added'));
    assert.deepEqual(outcomes[7]!.sourceLineKeys, ['line-7']);

    const po501 = await pos.createPurchaseOrder(poSpec('200-2', outletId, supplierId));
    await h.resetCounts();
    await pos.addPurchaseOrderLines(po501.id, linesFor(ids, 3));
    assert.equal(await h.count(BULK), 2);
    const lines = await pos.listPurchaseOrderLines(po501.id);
    assert.equal(lines.length, 501);
    assert.ok(
      lines.every(
        (l) => l.quantity === 3 && l.received === 0 && l.unitCost?.minor === 1250 && l.unitCost.currency === 'USD',
      ),
    );

    // A partial earlier attempt (300 lines in), then the full set: only the 201 missing ones are sent.
    const poPartial = await pos.createPurchaseOrder(poSpec('200-3', outletId, supplierId));
    await pos.addPurchaseOrderLines(poPartial.id, linesFor(ids.slice(0, 300), 4));
    await h.resetCounts();
    const again = await pos.addPurchaseOrderLines(poPartial.id, linesFor(ids, 4));
    assert.ok(again.every((o) => o.outcome === 'added'));
    assert.equal(await h.count(BULK), 1);
    const after = await pos.listPurchaseOrderLines(poPartial.id);
    assert.equal(after.length, 501);
    assert.ok(
      after.every((l) => l.quantity === 4),
      'no counts doubled',
    );

    // Submit: OPEN by default (no-op), SENT when configured; idempotent.
    assert.equal((await pos.submitPurchaseOrder(po500.id)).status, 'OPEN');
    const sender = h.makePos({ submitStatus: 'SENT' });
    // A first attempt, straight after the lines: the status is written without reading the consignment.
    await h.resetCounts();
    assert.equal((await sender.submitPurchaseOrder(poPartial.id, { firstAttempt: true })).status, 'SENT');
    assert.equal(await h.count('GET /api/2.0/consignments/:id'), 0);
    assert.equal(await h.count('PUT /api/2.0/consignments/:id'), 1);
    assert.equal((await sender.submitPurchaseOrder(po500.id)).status, 'SENT');
    const twice = await sender.submitPurchaseOrder(po500.id);
    assert.deepEqual([twice.status, twice.open], ['SENT', true]);
  });

  test('one refused line (a composite product) is a value; the other lines go in', async () => {
    const family = await pos.createProduct(productSpec('mixed', supplierId, ['A', 'B', 'C', 'D']));
    const ids = Object.values(family.variantIds);
    const composite = await h.api('/api/2.0/products', 'POST', {
      name: 'Gift Set',
      sku: 'gift-set-1',
      composite: [{ product_id: ids[0], quantity: 1 }],
    });
    const compositeId = composite.body.data[0] as string;
    const po = await pos.createPurchaseOrder(poSpec('300-1', outletId, supplierId));
    const outcomes = await pos.addPurchaseOrderLines(
      po.id,
      linesFor([ids[0]!, ids[1]!, compositeId, ids[2]!, ids[3]!]),
    );
    assert.deepEqual(
      outcomes.map((o) => o.outcome),
      ['added', 'added', 'rejected', 'added', 'added'],
    );
    const rejected = outcomes[2]!;
    assert.ok(rejected.outcome === 'rejected' && /composite/i.test(rejected.message));
    assert.deepEqual((await pos.listPurchaseOrderLines(po.id)).map((l) => l.posItemId).sort(), ids.slice().sort());
  });

  test('with addVariantsToExistingParent, missing variants join the existing family (2.1 Add Single Variant)', async () => {
    const adder = h.makePos({ addVariantsToExistingParent: true });
    assert.equal(adder.capabilities.addsVariantsToExistingParent, true);
    const full = productSpec('resume', supplierId, ['S', 'M', 'L']);
    const first = await adder.createProduct({ ...full, variants: full.variants.slice(0, 1) });
    const rest = await adder.createProduct({
      ...full,
      existingParentId: first.parentId,
      variants: full.variants.slice(1),
    });
    assert.equal(rest.parentId, first.parentId);
    const [found] = await adder.findProductsByCorrelation([
      {
        correlationKey: full.correlationKey,
        variants: full.variants.map((v) => ({ variantKey: v.variantKey, correlationKey: v.correlationKey })),
      },
    ]);
    assert.deepEqual(found, {
      correlationKey: full.correlationKey,
      parentId: first.parentId,
      variantIds: { ...first.variantIds, ...rest.variantIds },
    });
  });

  test('updateMatchedItems sets the supply price (idempotent)', async () => {
    const family = await pos.createProduct(productSpec('cost', supplierId, ['One']));
    const id = Object.values(family.variantIds)[0]!;
    const result = await pos.updateMatchedItems!([
      { posItemId: id, cost: money(1375, 'USD') },
      { posItemId: id, cost: money(1, 'EUR') },
    ]);
    assert.deepEqual(
      result.map((r) => r.outcome),
      ['updated', 'rejected'],
    );
    assert.equal((await h.api(`/api/2.0/products/${id}`)).body.data.supply_price, 13.75);
  });
});

describe('ghost writes: the write commits, the reply is lost → RemoteUnavailable, and the find sees the record', () => {
  let h: XHarness;
  let pos: PointOfSale;
  let outletId: string;
  let supplierId: string;

  before(async () => {
    h = await startXHarness();
    pos = h.pos;
    outletId = (await pos.listLocations())[0]!.id;
    supplierId = (await pos.createSupplier({ name: 'Ghost Brand', sourceBrandId: 'brand-ghost', currency: 'USD' })).id;
  });
  after(async () => h.close());

  for (const kind of ['ghost_write', 'ghost_drop'] as const) {
    test(`${kind} on product create`, async () => {
      const spec = productSpec(`ghost-${kind}`, supplierId, ['S', 'M']);
      // Warm the caches (attributes, brand) so the fault hits the product POST itself.
      await pos.createProduct(productSpec(`warm-${kind}`, supplierId, ['S']));
      await h.resetCounts();
      await h.fault({ kind, method: 'POST', path: '/api/2.0/products', times: 1 });
      await assert.rejects(pos.createProduct(spec), RemoteUnavailable);
      assert.equal(await h.count('POST /api/2.0/products'), 1, 'a create is never retried inside the connector');
      const [found] = await pos.findProductsByCorrelation([
        {
          correlationKey: spec.correlationKey,
          variants: spec.variants.map((v) => ({ variantKey: v.variantKey, correlationKey: v.correlationKey })),
        },
      ]);
      assert.ok(found);
      assert.equal(Object.keys(found.variantIds).length, 2);
      assert.ok(found.parentId);
    });

    test(`${kind} on product create, then a search that has not caught up: the second create is refused, the products are loaded`, async () => {
      const spec = productSpec(`lagging-${kind}`, supplierId, ['S', 'M']);
      await pos.createProduct(productSpec(`warm-lag-${kind}`, supplierId, ['S']));
      await h.fault({ kind, method: 'POST', path: '/api/2.0/products', times: 1 });
      await assert.rejects(pos.createProduct(spec), RemoteUnavailable);
      await h.fault({ kind: 'stale_read', method: 'GET', path: '/api/2.0/search', times: 1, body: { data: [] } });
      const query = {
        correlationKey: spec.correlationKey,
        variants: spec.variants.map((v) => ({ variantKey: v.variantKey, correlationKey: v.correlationKey })),
      };
      assert.deepEqual(await pos.findProductsByCorrelation([query]), [], 'the search does not see them yet');
      await h.resetCounts();
      const again = await pos.createProduct(spec);
      assert.equal(await h.count('POST /api/2.0/products'), 1, 'the create was tried once and refused (SKU in use)');
      assert.equal(await h.count('GET /api/2.0/products'), 2, 'then each variant loaded by its SKU');
      const [found] = await pos.findProductsByCorrelation([query]);
      assert.deepEqual(again, { parentId: found?.parentId, variantIds: found?.variantIds });
      const skus = spec.variants.map((v) => `sku=${encodeURIComponent(v.correlationKey)}`).join('&');
      const carrying = (await h.api(`/api/2.0/search?type=products&${skus}`)).body.data;
      assert.equal(carrying.length, 2, 'one product per variant: nothing created twice');
    });

    test(`${kind} on consignment create`, async () => {
      const spec = poSpec(`ghost-${kind}`, outletId, supplierId);
      await h.resetCounts();
      await h.fault({ kind, method: 'POST', path: '/api/2.0/consignments', times: 1 });
      await assert.rejects(pos.createPurchaseOrder(spec), RemoteUnavailable);
      assert.equal(await h.count('POST /api/2.0/consignments'), 1);
      const found = await pos.findPurchaseOrderByCorrelation(spec);
      assert.ok(found);
      assert.equal(found.status, 'OPEN');
    });

    test(`${kind} on bulk lines`, async () => {
      const family = await pos.createProduct(productSpec(`ghost-lines-${kind}`, supplierId, ['S', 'M', 'L']));
      const ids = Object.values(family.variantIds);
      const po = await pos.createPurchaseOrder(poSpec(`ghost-lines-${kind}`, outletId, supplierId));
      await h.resetCounts();
      await h.fault({ kind, method: 'POST', path: '/api/2.0/consignments/:id/bulk', times: 1 });
      await assert.rejects(pos.addPurchaseOrderLines(po.id, linesFor(ids, 5)), RemoteUnavailable);
      assert.equal(await h.count(BULK), 1);
      // The flow re-lists and sends what is missing; even a blind repeat sends nothing twice.
      assert.deepEqual(
        (await pos.listPurchaseOrderLines(po.id)).map((l) => l.quantity),
        [5, 5, 5],
      );
      const again = await pos.addPurchaseOrderLines(po.id, linesFor(ids, 5));
      assert.ok(again.every((o) => o.outcome === 'added'));
      assert.equal(await h.count(BULK), 1, 'nothing was resent');
      assert.deepEqual(
        (await pos.listPurchaseOrderLines(po.id)).map((l) => l.quantity),
        [5, 5, 5],
      );
    });
  }

  test('a 5xx on a read is retried; a 5xx on a create is not', async () => {
    await h.resetCounts();
    await h.fault({ kind: 'error', status: 503, method: 'GET', path: '/api/2.0/outlets', times: 1 });
    assert.ok((await pos.listLocations()).length > 0);
    assert.equal(await h.count('GET /api/2.0/outlets'), 3, 'the 503, its retry, the closing empty page');
    await h.fault({ kind: 'error', status: 500, method: 'POST', path: '/api/2.0/suppliers', times: 1 });
    await assert.rejects(
      pos.createSupplier({ name: 'Never', sourceBrandId: 'never', currency: 'USD' }),
      RemoteUnavailable,
    );
    assert.equal(await h.count('POST /api/2.0/suppliers'), 1);
    assert.deepEqual(
      await pos.findSupplier({ name: 'Never', sourceBrandId: 'never' }),
      [],
      'a plain 500 committed nothing',
    );
  });
});
