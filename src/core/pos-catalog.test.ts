import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildCatalogIndex,
  canonicalGtins,
  matrixKey,
  matrixKeyOfVariant,
  productCorrelationKey,
  variantCorrelationKey,
  variantKey,
} from './pos-catalog.ts';
import { testBrand, testEntry, testLine } from './testing.ts';

describe('pos catalog', () => {
  it('canonicalises every code an item carries, dropping non-barcodes', () => {
    assert.deepEqual(canonicalGtins(['012345678905', '0012345678905', 'SKU-1', null, '123456', '96385074']), [
      '00000096385074',
      '00012345678905',
    ]);
  });

  it('indexes by GTIN and id, archived included', () => {
    const index = buildCatalogIndex([
      testEntry({ posItemId: 'a', codes: ['012345678905'] }),
      testEntry({ posItemId: 'b', codes: ['0012345678905'], archived: true }),
      testEntry({ posItemId: 'c' }),
    ]);
    assert.equal(index.size, 3);
    assert.deepEqual(
      index.byGtin('00012345678905').map((e) => e.posItemId),
      ['a', 'b'],
    );
    assert.deepEqual(index.byGtin('00000000000000'), []);
    assert.equal(index.byId('c')?.posItemId, 'c');
    assert.equal(index.byId('zz'), undefined);
  });

  it('keys variants by brand, style, color and size, ignoring case and spacing', () => {
    const a = testLine({ styleNumber: 'ts-100', color: 'Navy  Blue', size: 'm' });
    const b = testLine({ styleNumber: 'TS-100 ', color: 'navy blue', size: 'M' });
    assert.equal(variantKey(a), variantKey(b));
    assert.equal(matrixKey(a), matrixKey(b));
    assert.equal(matrixKeyOfVariant(variantKey(a)), matrixKey(a));
    assert.ok(variantKey(a).startsWith(`${matrixKey(a)}|`));
    assert.notEqual(variantKey(a), variantKey({ ...a, size: 'L' }));
    assert.notEqual(matrixKey(a), matrixKey({ ...a, brand: { ...testBrand, sourceId: 'other' } }));
    // a separator inside a part cannot make two identities collide
    assert.notEqual(
      matrixKey({ brand: testBrand, styleNumber: 'a|b', color: 'c' }),
      matrixKey({ brand: testBrand, styleNumber: 'a', color: 'b|c' }),
    );
  });

  it('correlation keys are short, stable and distinct', () => {
    const vk = variantKey(testLine());
    assert.equal(variantCorrelationKey(vk), variantCorrelationKey(vk));
    assert.equal(variantCorrelationKey(vk).length, 24);
    assert.notEqual(productCorrelationKey(vk), variantCorrelationKey(vk));
    assert.match(variantCorrelationKey(vk), /^tlv-[0-9a-f]{20}$/);
  });
});

it('a purchase order key reads as the order number, stays unique per source order, and fits 24 characters', async () => {
  const { purchaseOrderCorrelationKey } = await import('./pos-catalog.ts');
  const key = purchaseOrderCorrelationKey('nuorder', '65089de8ce0aac042cc47b32', '3100082');
  assert.match(key, /^nuo-3100082-[0-9a-f]{4}$/);
  assert.equal(purchaseOrderCorrelationKey('nuorder', '65089de8ce0aac042cc47b32', '3100082'), key, 'deterministic');
  assert.notEqual(
    purchaseOrderCorrelationKey('nuorder', 'another-source-id', '3100082'),
    key,
    'another order with the same number',
  );
  assert.match(
    purchaseOrderCorrelationKey('nuorder', 'x', '100596-1'),
    /^nuo-100596-1-[0-9a-f]{4}$/,
    'split orders keep their suffix',
  );
  const long = purchaseOrderCorrelationKey('nuorder', 'x', 'A VERY LONG ORDER NUMBER 123456789');
  assert.match(long, /^tlo-[0-9a-f]{20}$/, 'too long: the opaque form');
  assert.match(purchaseOrderCorrelationKey('nuorder', 'x'), /^tlo-[0-9a-f]{20}$/);
  for (const k of [key, long]) assert.ok(k.length <= 24 && /^[a-z0-9-]+$/.test(k));
});
