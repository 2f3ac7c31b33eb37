import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { proposeVariantShape, R_SERIES_SHAPE, rSeriesAttributeSet, X_SERIES_SHAPE } from './variant-shape.ts';
import type { PosShapeLimits, ShapeProposal, StyleShape } from './variant-shape.ts';

/** A style with every combination of the given values, keyed by them. */
function style(attributes: string[], ...valueLists: string[][]): StyleShape {
  let combos: string[][] = [[]];
  for (const list of valueLists) combos = combos.flatMap((c) => list.map((v) => [...c, v]));
  return { key: 'acme:sty-1', attributes, variants: combos.map((values) => ({ key: values.join('-'), values })) };
}

const sizes = (n: number) => Array.from({ length: n }, (_, i) => `W${28 + Math.floor(i / 10)}L${30 + (i % 10)}`);

function assertWithin(p: ShapeProposal, s: StyleShape, limits: PosShapeLimits): void {
  const seen = p.products.flatMap((prod) => prod.variants.map((v) => v.key));
  assert.deepEqual([...seen].sort(), s.variants.map((v) => v.key).sort(), 'every variant exactly once');
  assert.equal(new Set(p.products.map((prod) => prod.key)).size, p.products.length, 'product keys are distinct');
  for (const prod of p.products) {
    assert.ok(prod.attributes.length <= limits.maxAttributes);
    if (limits.maxVariants !== null) assert.ok(prod.variants.length <= limits.maxVariants);
    for (const v of prod.variants) assert.equal(v.values.length, prod.attributes.length);
    for (const f of prod.fixed) {
      const i = s.attributes.indexOf(f.attribute);
      for (const v of prod.variants) assert.equal(s.variants.find((o) => o.key === v.key)?.values[i], f.value);
    }
  }
}

describe('proposeVariantShape', () => {
  it('a 240-variant style for X-Series splits into products within the limit', () => {
    const s = style(['Color', 'Size'], ['Navy'], sizes(240));
    const p = proposeVariantShape(s, X_SERIES_SHAPE);
    assert.equal(p.fits, false);
    assertWithin(p, s, X_SERIES_SHAPE);
    assert.deepEqual(
      p.products.map((prod) => [prod.key, prod.nameSuffix, prod.variants.length]),
      [
        ['acme:sty-1|part=1of2', ' (1 of 2)', 120],
        ['acme:sty-1|part=2of2', ' (2 of 2)', 120],
      ],
    );
    // runs keep the order given, so each product is a size range
    assert.equal(p.products[0]?.variants[0]?.key, 'Navy-W28L30');
    assert.equal(p.products[1]?.variants[0]?.key, `Navy-${sizes(240)[120]}`);
    assert.deepEqual(p.steps, [
      'the style: 240 variants split into 2 products of 120, 120 in the order given (X-Series allows 200)',
    ]);
    assert.deepEqual(p.problems, []);
  });

  it('splits by colour first, then by size runs only where a colour is still too big', () => {
    const byColour = proposeVariantShape(style(['Color', 'Size'], ['Navy', 'Red', 'Sand'], sizes(80)), X_SERIES_SHAPE);
    assert.deepEqual(
      byColour.products.map((prod) => [prod.nameSuffix, prod.variants.length]),
      [
        [' — Navy', 80],
        [' — Red', 80],
        [' — Sand', 80],
      ],
    );
    assert.equal(byColour.products[0]?.key, 'acme:sty-1|Color=Navy');
    const s = style(['Color', 'Size'], ['Navy', 'Red'], sizes(240));
    const both = proposeVariantShape(s, X_SERIES_SHAPE);
    assertWithin(both, s, X_SERIES_SHAPE);
    assert.deepEqual(
      both.products.map((prod) => prod.nameSuffix),
      [' — Navy (1 of 2)', ' — Navy (2 of 2)', ' — Red (1 of 2)', ' — Red (2 of 2)'],
    );
  });

  it('leaves a style that fits alone', () => {
    const s = style(['Color', 'Size'], ['Navy', 'Red'], sizes(100));
    const p = proposeVariantShape(s, X_SERIES_SHAPE);
    assert.equal(p.fits, true);
    assert.deepEqual(p.steps, []);
    assert.equal(p.products.length, 1);
    assert.equal(p.products[0]?.key, s.key);
    assert.equal(p.products[0]?.nameSuffix, '');
    assert.deepEqual(p.products[0]?.variants, s.variants);
  });

  it('fits too many attributes: constant ones into the name, then the last ones combined', () => {
    const constant = proposeVariantShape(
      style(['Color', 'Size', 'Inseam', 'Fit'], ['Navy'], ['30', '32'], ['30', '32'], ['Slim', 'Loose']),
      X_SERIES_SHAPE,
    );
    assert.deepEqual(constant.products[0]?.attributes, ['Size', 'Inseam', 'Fit']);
    assert.equal(constant.products[0]?.nameSuffix, ' — Navy');
    assert.deepEqual(constant.steps, ['Color "Navy" is the same for every variant, so it goes in the product name']);
    const s = style(['Color', 'Size', 'Inseam', 'Fit'], ['Navy', 'Red'], ['30', '32'], ['30', '32'], ['Slim', 'Loose']);
    const combined = proposeVariantShape(s, X_SERIES_SHAPE);
    assertWithin(combined, s, X_SERIES_SHAPE);
    assert.deepEqual(combined.products[0]?.attributes, ['Color', 'Size', 'Inseam / Fit']);
    assert.deepEqual(combined.products[0]?.variants[0]?.values, ['Navy', '30', '30 / Slim']);
    assert.deepEqual(combined.steps, ['Inseam and Fit combined into one attribute (X-Series allows 3)']);
  });

  it('R-Series: no variant limit, and the attribute set each product needs', () => {
    const s = style(['Color', 'Size'], ['Navy'], sizes(240));
    const p = proposeVariantShape(s, R_SERIES_SHAPE);
    assert.equal(p.fits, true);
    assert.deepEqual(p.products[0]?.rSeriesSet, { name: 'Color/Size', slots: ['Color', 'Size', null] });
    assert.deepEqual(rSeriesAttributeSet(['Size']), { name: 'Size', slots: [null, 'Size', null] });
    assert.deepEqual(rSeriesAttributeSet(['Colour']), { name: 'Color', slots: ['Colour', null, null] });
    assert.deepEqual(rSeriesAttributeSet(['Color', 'Size', 'Inseam']), {
      name: '3 Attributes',
      slots: ['Color', 'Size', 'Inseam'],
    });
    assert.deepEqual(rSeriesAttributeSet(['Width']), { name: '3 Attributes', slots: ['Width', null, null] });
    const limited = proposeVariantShape(s, { ...R_SERIES_SHAPE, maxVariants: 100 });
    assert.equal(limited.products.length, 3);
  });

  it('reports what a split cannot fix: the same values twice, a blank value', () => {
    const s: StyleShape = {
      key: 'k',
      attributes: ['Color', 'Size'],
      variants: [
        { key: 'a', values: ['Navy', 'M'] },
        { key: 'b', values: ['navy', 'M '] },
        { key: 'c', values: ['Navy', ''] },
      ],
    };
    const p = proposeVariantShape(s, X_SERIES_SHAPE);
    assert.deepEqual(
      p.problems.map((x) => [x.code, x.variantKeys]),
      [
        ['DUPLICATE_COMBINATION', ['a', 'b']],
        ['BLANK_VALUE', ['c']],
      ],
    );
    assert.throws(
      () =>
        proposeVariantShape({ key: 'k', attributes: ['Size'], variants: [{ key: 'x', values: [] }] }, X_SERIES_SHAPE),
      RangeError,
    );
  });

  it('property: every proposal is within the limits, covers every variant once, and is deterministic', () => {
    const arbitraryStyle = fc
      .record({
        attributes: fc.integer({ min: 1, max: 5 }),
        counts: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 5, maxLength: 5 }),
      })
      .map(({ attributes, counts }) => {
        const names = ['Color', 'Size', 'Inseam', 'Fit', 'Cup'].slice(0, attributes);
        return style(names, ...names.map((n, i) => Array.from({ length: counts[i] ?? 1 }, (_, j) => `${n}${j}`)));
      });
    const limits = fc.record({
      system: fc.constantFrom<'lightspeed-x' | 'lightspeed-r'>('lightspeed-x', 'lightspeed-r'),
      maxAttributes: fc.integer({ min: 1, max: 3 }),
      maxVariants: fc.option(fc.integer({ min: 1, max: 300 })),
    });
    fc.assert(
      fc.property(arbitraryStyle, limits, (s, l) => {
        const p = proposeVariantShape(s, l);
        assertWithin(p, s, l);
        assert.deepEqual(proposeVariantShape(s, l), p);
        assert.equal(p.fits, p.steps.length === 0);
        if (p.fits) assert.deepEqual(p.products, [{ ...p.products[0], key: s.key, variants: s.variants }]);
      }),
    );
  });
});
