/**
 * New sizes of a style/colour whose family is already in the store join that family (POST /api/2.1/products, one
 * per size) instead of making a second family: over real loopback HTTP to the X-Series simulator, faults included.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { NewProductSpec, PointOfSale } from '../../core/ports/pos.ts';
import { RemoteUnavailable } from '../shared/errors.ts';
import { newProductSpec, startXHarness, upcMaker, type XHarness } from './harness.test-util.ts';

const ADD = 'POST /api/2.1/products';
const upc = upcMaker('87');
const productSpec = (tag: string, supplierId: string, sizes: string[]): NewProductSpec =>
  newProductSpec(
    upc,
    {
      key: 'brand-v',
      name: 'Variant Test Brand',
      stylePrefix: 'VT',
      namePrefix: 'Variant',
      season: null,
      category: null,
    },
    tag,
    supplierId,
    sizes,
  );

/** A family in the store with `first` sizes, and the spec of the sizes still to add to it. */
async function familyWithNewSizes(pos: PointOfSale, tag: string, supplierId: string, first: string[], more: string[]) {
  const full = productSpec(tag, supplierId, [...first, ...more]);
  const existing = await pos.createProduct({ ...full, variants: full.variants.slice(0, first.length) });
  assert.ok(existing.parentId);
  return {
    parentId: existing.parentId,
    spec: { ...full, existingParentId: existing.parentId, variants: full.variants.slice(first.length) },
  };
}

const queryOf = (spec: NewProductSpec) => ({
  correlationKey: spec.correlationKey,
  variants: spec.variants.map((v) => ({ variantKey: v.variantKey, correlationKey: v.correlationKey })),
});

describe('X-Series: new sizes join the family of their style/colour', () => {
  let h: XHarness;
  let pos: PointOfSale;
  let supplierId: string;

  before(async () => {
    h = await startXHarness();
    pos = h.pos;
    supplierId = (await pos.createSupplier({ name: 'Variant Brand', sourceBrandId: 'brand-v', currency: 'USD' })).id;
  });
  after(async () => h.close());

  test('each new size is one 2.1 POST into the family; no second family, no read', async () => {
    const { parentId, spec } = await familyWithNewSizes(pos, 'join', supplierId, ['S', 'M'], ['L', 'XL']);
    await h.resetCounts();
    const added = await pos.createProduct(spec);
    assert.equal(added.parentId, parentId);
    assert.equal(await h.count(ADD), 2, 'one request per new size');
    assert.equal(await h.count('POST /api/2.0/products'), 0, 'no new family');
    const requests = await h.control('/_sim/requests?limit=0');
    assert.equal(requests.total, 2, 'and nothing else: the attribute ids are known');
    const family = (await h.api(`/api/2.0/products?sku=${spec.variants[0]!.correlationKey}`)).body.data[0];
    assert.equal(family.variant_parent_id, parentId);
    const members = (h.sim.db.familyOf(h.sim.db.products.get(parentId)!) ?? []).map((p) => p.sku);
    assert.equal(members.length, 4, 'the family holds all four sizes');
    const inactive = Object.values(added.variantIds).map((id) => h.sim.db.products.get(id)!.is_active);
    assert.deepEqual(inactive, [false, false], 'new sizes are drafts, as new families are');
  });

  test("a reply without the product (Postman's `{}`): each size is found by its SKU", async () => {
    await h.control('/_sim/config', 'PUT', { addVariantReply: 'empty' });
    try {
      const { parentId, spec } = await familyWithNewSizes(pos, 'empty', supplierId, ['S'], ['M', 'L']);
      await h.resetCounts();
      const added = await pos.createProduct(spec);
      assert.equal(await h.count(ADD), 2);
      assert.equal(await h.count('GET /api/2.0/products'), 2, 'one load by SKU per size');
      const [found] = await pos.findProductsByCorrelation([queryOf(spec)]);
      assert.deepEqual(added, { parentId, variantIds: found?.variantIds });
      assert.equal(found?.parentId, parentId);
    } finally {
      await h.control('/_sim/config', 'PUT', { addVariantReply: 'product' });
    }
  });

  test('a family at the 200-variant limit refuses the size; it and the rest become their own family', async () => {
    const sizes = Array.from({ length: 200 }, (_, i) => `N${i + 1}`);
    const { parentId, spec } = await familyWithNewSizes(pos, 'full', supplierId, sizes, ['X1', 'X2']);
    await h.resetCounts();
    const added = await pos.createProduct(spec);
    assert.equal(await h.count(ADD), 1, 'the first add was refused (422)');
    assert.equal(await h.count('POST /api/2.0/products'), 1, 'then one family for both');
    assert.notEqual(added.parentId, parentId);
    assert.equal(h.sim.db.familyOf(h.sim.db.products.get(parentId)!).length, 200, 'the full family is unchanged');
    const [found] = await pos.findProductsByCorrelation([queryOf(spec)]);
    assert.deepEqual(found?.variantIds, added.variantIds);
  });

  for (const kind of ['ghost_write', 'ghost_drop'] as const) {
    test(`${kind} on a 2.1 add: the find sees the size in the family; a blind repeat is refused (SKU in use) and adopts it`, async () => {
      const { parentId, spec } = await familyWithNewSizes(pos, `ghost-${kind}`, supplierId, ['S'], ['M']);
      await h.fault({ kind, method: 'POST', path: '/api/2.1/products', times: 1 });
      await assert.rejects(pos.createProduct(spec), RemoteUnavailable);
      const [found] = await pos.findProductsByCorrelation([queryOf(spec)]);
      assert.equal(found?.parentId, parentId, 'found by SKU, in the existing family');
      assert.equal(Object.keys(found?.variantIds ?? {}).length, 1);
      // A retry whose search has not caught up sends the add again: refused (SKU in use), the size is loaded.
      await h.resetCounts();
      const again = await pos.createProduct(spec);
      assert.equal(await h.count(ADD), 1);
      assert.equal(await h.count('POST /api/2.0/products'), 0, 'no second family');
      assert.deepEqual(again, { parentId, variantIds: found?.variantIds });
      const carrying = (await h.api(`/api/2.0/search?type=products&sku=${spec.variants[0]!.correlationKey}`)).body.data;
      assert.equal(carrying.length, 1, 'the size exists once');
    });
  }
});
