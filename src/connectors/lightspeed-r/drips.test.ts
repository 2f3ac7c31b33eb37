// R-Series on the current cost model (reference §6): what the connector's writes cost in drips, as charged
// by the simulator over real HTTP, and how the governor prices a write from its body.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { money } from '../../core/money.ts';
import type { NewProductSpec, PointOfSale } from '../../core/ports/pos.ts';
import { productCorrelationKey, variantCorrelationKey } from '../../core/pos-catalog.ts';
import { currentModelCost, nestedEntities } from './cost.ts';
import { createLightspeedRPos } from './pos.ts';
import { count429, startHarness, type Harness } from './harness.test-util.ts';

let h: Harness;
let pos: PointOfSale;
let supplierId: string;
const anything = z.unknown();

before(async () => {
  h = await startHarness('small');
  const { client } = await h.connect();
  pos = createLightspeedRPos(client, {
    currency: 'USD',
    purchaseOrderUrl: `${h.url}/backoffice/orders#order-{orderID}`,
  });
  supplierId = (await pos.createSupplier({ name: 'Drip Brand', sourceBrandId: 'src-drip', currency: 'USD' })).id;
});

after(async () => {
  await h.close();
});

interface Charges {
  requests: number;
  drips: number;
  rateLimited: number;
}
const charges = (): Promise<Charges> => h.ctl<Charges>('GET', '/_sim/charges');

function spec(seq: number, retail: number[], extra: Partial<NewProductSpec> = {}): NewProductSpec {
  const matrix = `drip|style-${seq}|navy`;
  return {
    correlationKey: productCorrelationKey(matrix),
    matrixKey: matrix,
    supplierId,
    brandName: 'Drip Brand',
    styleNumber: `DRP-${seq}`,
    color: 'Navy',
    name: `Drip Jacket ${seq}`,
    season: null,
    category: null,
    images: [],
    existingParentId: null,
    variants: retail.map((cents, i) => ({
      variantKey: `${matrix}|s${i}`,
      correlationKey: variantCorrelationKey(`${matrix}|s${i}`),
      size: `S${i}`,
      gtin14: null,
      upc: null,
      cost: money(2_000, 'USD'),
      retail: money(cents, 'USD'),
    })),
    ...extra,
  };
}

async function itemPrices(itemID: string): Promise<string[]> {
  const { client } = await h.connect();
  const reply = await client.request({
    path: `Item/${itemID}.json`,
    schema: z.looseObject({
      Item: z.looseObject({ Prices: z.looseObject({ ItemPrice: z.array(z.looseObject({ amount: z.string() })) }) }),
    }),
  });
  return reply.Item.Prices.ItemPrice.map((p) => p.amount);
}

test('nested entities: ItemPrice, ItemVendorNum and ItemAttributes count, wrappers and the top level do not', () => {
  const body = {
    description: 'x',
    ItemAttributes: { itemAttributeSetID: '1', attribute1: 'Navy', attribute2: 'S' },
    Prices: { ItemPrice: [{ amount: '1' }, { amount: '1' }, { amount: '1' }] },
    ItemVendorNums: { ItemVendorNum: [{ vendorID: '1', value: 'A' }] },
  };
  assert.equal(nestedEntities(body), 5);
  assert.equal(currentModelCost('POST', '/Item.json', body), 3.5);
  assert.equal(currentModelCost('POST', '/Category.json', { name: 'x' }), 10);
  assert.equal(currentModelCost('GET', '/Item.json', undefined), 1);
});

test('createProduct: the prices go on the matrix once; items priced like it carry none, one priced apart carries its own', async () => {
  await h.ctl('DELETE', '/_sim/charges');
  const made = await pos.createProduct(spec(1, [6_000, 6_000, 6_000, 7_500]));
  const seen = await charges();
  // Matrix: 1 + 3 prices × 0.5. Items: 1 + attributes 0.5 + vendor number 0.5; the one priced apart + 1.5.
  // Plus the attribute-set and manufacturer look-ups and the manufacturer create (1 each).
  const matrix = 2.5;
  const items = 4 * 2 + 1.5;
  assert.equal(seen.drips, 3 + matrix + items, JSON.stringify(seen));
  const ids = Object.values(made.variantIds);
  assert.deepEqual(await itemPrices(ids[0]!), ['60', '60', '60'], 'inherited from the matrix');
  assert.deepEqual(await itemPrices(ids[3]!), ['75', '75', '75'], 'its own');
});

test('createProduct into an existing matrix: one read of its prices, then items priced like it carry none', async () => {
  const first = await pos.createProduct(spec(2, [5_000]));
  // Another connector instance (a later export) knows nothing of that matrix yet.
  const later = createLightspeedRPos((await h.connect()).client, { currency: 'USD', purchaseOrderUrl: h.url });
  await h.ctl('DELETE', '/_sim/charges');
  const more = spec(2, [5_000, 5_000, 5_000], { existingParentId: first.parentId, existingParentIsOurs: true });
  const made = await later.createProduct({ ...more, variants: more.variants.map((v, i) => ({ ...v, size: `L${i}` })) });
  const seen = await charges();
  // Attribute sets, manufacturer look-up (1 each), one GET of the matrix (1), three items at 2 drips each.
  assert.equal(seen.drips, 3 + 3 * 2, JSON.stringify(seen));
  // The same instance reads it no more.
  await h.ctl('DELETE', '/_sim/charges');
  const again = spec(2, [5_000, 5_000], { existingParentId: first.parentId, existingParentIsOurs: true });
  await later.createProduct({ ...again, variants: again.variants.map((v, i) => ({ ...v, size: `XL${i}` })) });
  assert.equal((await charges()).drips, 2 * 2);
  assert.deepEqual(await itemPrices(Object.values(made.variantIds)[2]!), ['50', '50', '50']);
});

test('families joined in one run: one read of all their prices, then each joining item priced like its family carries none', async () => {
  const a = await pos.createProduct(spec(3, [4_000]));
  const b = await pos.createProduct(spec(4, [4_500]));
  const later = createLightspeedRPos((await h.connect()).client, { currency: 'USD', purchaseOrderUrl: h.url });
  const joined = [a.parentId!, b.parentId!];
  await h.ctl('DELETE', '/_sim/charges');
  // One new size each: alone, a family would not be read for one item (1.5 on it instead).
  const joinA = spec(3, [4_000], { existingParentId: a.parentId, familiesJoinedInRun: joined });
  const madeA = await later.createProduct({ ...joinA, variants: joinA.variants.map((v) => ({ ...v, size: 'M' })) });
  const joinB = spec(4, [4_500], { existingParentId: b.parentId, familiesJoinedInRun: joined });
  const madeB = await later.createProduct({ ...joinB, variants: joinB.variants.map((v) => ({ ...v, size: 'M' })) });
  const seen = await charges();
  // Attribute sets, manufacturer look-up (1 each), one ItemMatrix read for both (1), two items at 2 drips each.
  assert.equal(seen.drips, 3 + 2 * 2, JSON.stringify(seen));
  assert.equal(seen.requests, 3 + 2, JSON.stringify(seen));
  assert.deepEqual(await itemPrices(Object.values(madeA.variantIds)[0]!), ['40', '40', '40']);
  assert.deepEqual(await itemPrices(Object.values(madeB.variantIds)[0]!), ['45', '45', '45']);
});

test('a family re-priced in the POS after the prices were read is read again by a later export', async () => {
  const a = await pos.createProduct(spec(5, [3_000]));
  let now = Date.parse('2026-12-01T09:00:00Z');
  const clock = { now: () => now, sleep: async () => {} };
  const later = createLightspeedRPos((await h.connect()).client, { currency: 'USD', purchaseOrderUrl: h.url, clock });
  const join = (size: string) => {
    const s = spec(5, [3_000, 3_000], { existingParentId: a.parentId });
    return { ...s, variants: s.variants.map((v, i) => ({ ...v, size: `${size}${i}` })) };
  };
  await later.createProduct(join('A'));
  // The merchant re-prices the family in the back office.
  const { client } = await h.connect();
  await client.request({
    method: 'PUT',
    path: `ItemMatrix/${a.parentId}.json`,
    body: { Prices: { ItemPrice: ['1', '2', '3'].map((useTypeID) => ({ amount: '35', useTypeID })) } },
    schema: anything,
  });
  now += 60 * 60_000; // the next export, an hour later
  const made = await later.createProduct(join('B'));
  // The family is read again, so the new sizes (MSRP 30) carry their own prices instead of taking the family's 35.
  assert.deepEqual(await itemPrices(Object.values(made.variantIds)[0]!), ['30', '30', '30']);
});

test('governor on the current model: writes priced from their bodies, a burst meets no 429 near the minimum', async () => {
  await h.ctl('PUT', '/_sim/config', {
    bucketSize: 20,
    dripRate: 10,
    costModel: 'current',
    burstLimiter: false,
    resetBuckets: true,
  });
  try {
    const { client } = await h.connect();
    await h.ctl('DELETE', '/_sim/requests');
    await h.ctl('DELETE', '/_sim/charges');
    // The first write teaches the model; then 12 writes of 3 drips each (1 + 4 nested) go at once.
    const body = (i: number) => ({
      name: `Burst ${i}`,
      a: { x: 1 },
      b: [{ x: 1 }, { x: 2 }, { x: 3 }],
    });
    await client.request({ method: 'POST', path: 'Manufacturer.json', body: body(0), schema: anything });
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        client.request({ method: 'POST', path: 'Manufacturer.json', body: body(i + 1), schema: anything }),
      ),
    );
    const elapsed = (Date.now() - started) / 1000;
    const seen = await charges();
    assert.equal(seen.drips, 13 * 3);
    assert.equal(await count429(h), 0);
    // 39 drips through a 20-drip bucket at 10 a second: at least (39 − 20) / 10 s from an empty bucket; the
    // first write's 3 drips have partly leaked, so the burst needs ≥ (36 − 20) / 10 s.
    assert.ok(elapsed >= 1.2, `faster than the bucket allows: ${elapsed} s`);
  } finally {
    await h.roomyBucket();
  }
});
