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
import fc from 'fast-check';
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
    assert.notEqual(productCorrelationKey(vk), variantCorrelationKey(vk));
    assert.match(productCorrelationKey(vk), /^tlp-[0-9a-f]{20}$/);
  });

  it('a new item key (its SKU) reads as style, color and size, and stays unique per variant', () => {
    const line = testLine();
    const key = variantCorrelationKey(variantKey(line));
    const expected = [line.styleNumber, line.color, line.size]
      .map((p) =>
        p
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, ''),
      )
      .join('-');
    assert.equal(key.slice(0, -9), expected);
    assert.match(key, /^[a-z0-9-]+-[0-9a-f]{8}$/);
    // Another brand with the same style, color and size: the same words, another key.
    const other = variantCorrelationKey(variantKey({ ...line, brand: { ...line.brand, sourceId: 'another-brand' } }));
    assert.equal(other.slice(0, -9), expected);
    assert.notEqual(other, key);
    // Accents go, punctuation becomes a dash; long parts are cut to 40 characters in all.
    assert.match(
      variantCorrelationKey(variantKey({ ...line, styleNumber: 'Ärmel #12', color: 'Navy / Gold', size: 'XL' })),
      /^armel-12-navy-gold-xl-[0-9a-f]{8}$/,
    );
    const long = variantCorrelationKey(variantKey({ ...line, styleNumber: 'x'.repeat(60) }));
    assert.ok(long.length <= 40 && /^x+-[0-9a-f]{8}$/.test(long), long);
    // No Latin letters or digits in the style: the opaque form.
    assert.match(variantCorrelationKey(variantKey({ ...line, styleNumber: '夏季' })), /^tlv-[0-9a-f]{20}$/);
    // Every key is SKU-safe, whatever the words.
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (styleNumber, color, size) => {
        const k = variantCorrelationKey(variantKey({ ...line, styleNumber, color, size }));
        return /^[a-z0-9-]{1,40}$/.test(k) && !k.startsWith('-') && !k.includes('--');
      }),
    );
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

it('keys are scoped to the organization: two organizations on one POS account never share one', async () => {
  const { productCorrelationKey, purchaseOrderCorrelationKey, purchaseOrderKeyOf, variantCorrelationKey } =
    await import('./pos-catalog.ts');
  const vk = 'northwind|st-1042|navy|m';
  const [a, b] = ['org-a', 'org-b'];
  assert.notEqual(variantCorrelationKey(vk, a), variantCorrelationKey(vk, b));
  assert.equal(variantCorrelationKey(vk, a).slice(0, -9), variantCorrelationKey(vk).slice(0, -9), 'reads the same');
  assert.notEqual(productCorrelationKey(vk, a), productCorrelationKey(vk, b));
  const po = purchaseOrderCorrelationKey('nuorder', '65089de8ce0aac042cc47b32', '3100046', a);
  assert.match(po, /^nuo-3100046-[0-9a-f]{6}$/);
  assert.notEqual(po, purchaseOrderCorrelationKey('nuorder', '65089de8ce0aac042cc47b32', '3100046', b));
  // Unscoped keys are the ones earlier plans wrote: unchanged, and what a plan without a stored key finds.
  assert.equal(variantCorrelationKey(vk), variantCorrelationKey(vk, undefined));
  const old = purchaseOrderCorrelationKey('nuorder', '65089de8ce0aac042cc47b32', '3100046');
  assert.match(old, /^nuo-3100046-[0-9a-f]{4}$/);
  assert.equal(purchaseOrderKeyOf({ orderSourceId: '65089de8ce0aac042cc47b32', orderNumber: '3100046' }), old);
  assert.equal(purchaseOrderKeyOf({ orderSourceId: 'x', orderNumber: '1', correlationKey: po }), po);
});
