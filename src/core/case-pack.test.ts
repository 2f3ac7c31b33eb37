import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { convertPackLine } from './case-pack.ts';
import type { CasePackPolicy, PackConversion, PackLine } from './case-pack.ts';
import { money } from './money.ts';

const usd = (minor: number) => money(minor, 'USD');
const split: CasePackPolicy = { stock: 'units', remainder: 'split' };
const round: CasePackPolicy = { stock: 'units', remainder: 'round' };
const packs: CasePackPolicy = { stock: 'packs', remainder: 'split' };

function converted(line: PackLine, policy: CasePackPolicy): PackConversion {
  const r = convertPackLine(line, policy);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

const lineOf = (over: Partial<PackLine>): PackLine => ({
  packs: 1,
  unitsPerPack: 12,
  cost: usd(10_000),
  costPer: 'pack',
  gtin14: null,
  ...over,
});

describe('convertPackLine', () => {
  it('a 12-unit prepack becomes 12 units at cost ÷ 12, its cents kept exactly', () => {
    const c = converted(lineOf({}), split);
    assert.deepEqual(
      c.lines.map((l) => [l.quantity, l.unitCost.minor]),
      [
        [4, 834],
        [8, 833],
      ],
    );
    assert.deepEqual(c.total, usd(10_000));
    assert.deepEqual(c.difference, usd(0));
    assert.equal(
      c.rule,
      "1 pack of 12 → 12 units, USD 100.00 ÷ 12 each: 4 of every 12 at USD 8.34, the rest at USD 8.33, so the total is the brand's to the cent",
    );
  });

  it('or rounded, with the difference reported', () => {
    const c = converted(lineOf({ packs: 3 }), round);
    assert.deepEqual(
      c.lines.map((l) => [l.quantity, l.unitCost.minor]),
      [[36, 833]],
    );
    assert.deepEqual(c.sourceTotal, usd(30_000));
    assert.deepEqual(c.difference, usd(-12));
    assert.match(c.rule, /USD 8\.33 a unit, rounded half up \(USD 0\.12 less than the brand's total\)/);
  });

  it('an even division is exact either way', () => {
    for (const policy of [split, round]) {
      const c = converted(lineOf({ packs: 3, unitsPerPack: 6, cost: usd(3000) }), policy);
      assert.deepEqual(
        c.lines.map((l) => [l.quantity, l.unitCost.minor]),
        [[18, 500]],
      );
      assert.deepEqual(c.difference, usd(0));
    }
  });

  it('keeps packs as packs when the merchant stocks packs', () => {
    const c = converted(lineOf({ packs: 3, unitsPerPack: 6, cost: usd(500), costPer: 'unit' }), packs);
    assert.deepEqual(c.lines, [{ size: null, quantity: 3, unitCost: usd(3000) }]);
    assert.equal(c.packLabel, 'pack of 6');
    assert.equal(c.rule, '3 packs of 6 at USD 30.00, as ordered');
    assert.deepEqual(c.total, c.sourceTotal);
  });

  it('spreads a mixed prepack over its sizes', () => {
    const contents = [
      { size: 'S', units: 1 },
      { size: 'M', units: 2 },
      { size: 'L', units: 2 },
      { size: 'XL', units: 1 },
    ];
    const c = converted(lineOf({ packs: 2, unitsPerPack: 6, cost: usd(10_000), contents }), split);
    // 100.00 = 6 × 16.66 + 0.04: four units of every pack carry one more cent, in size order
    assert.deepEqual(
      c.lines.map((l) => [l.size, l.quantity, l.unitCost.minor]),
      [
        ['S', 2, 1667],
        ['M', 4, 1667],
        ['L', 2, 1667],
        ['L', 2, 1666],
        ['XL', 2, 1666],
      ],
    );
    assert.deepEqual(c.total, usd(20_000));
  });

  it('links a case GTIN-14 to its unit: matched by the unit in units, carried by the pack item in packs', () => {
    const line = lineOf({ gtin14: '10614141000415' });
    const units = converted(line, split);
    assert.equal(units.matchGtin14, '00614141000418');
    assert.equal(units.itemGtin14, '00614141000418');
    assert.match(units.notes[0] ?? '', /pack of unit 00614141000418/);
    const asPacks = converted(line, packs);
    assert.equal(asPacks.matchGtin14, '10614141000415');
    assert.equal(asPacks.itemGtin14, '10614141000415');
  });

  it('never puts a plain code (maybe the unit UPC) on a pack item', () => {
    const line = lineOf({ gtin14: '00844277082457' });
    assert.equal(converted(line, split).matchGtin14, '00844277082457');
    const asPacks = converted(line, packs);
    assert.equal(asPacks.matchGtin14, null);
    assert.equal(asPacks.itemGtin14, null);
    assert.match(asPacks.notes[0] ?? '', /may be the unit's code/);
  });

  it('names bad input instead of guessing', () => {
    const bad = (over: Partial<PackLine>) => {
      const r = convertPackLine(lineOf(over), split);
      assert.ok(!r.ok);
      return r.error.problem;
    };
    assert.equal(bad({ packs: 1.5 }), 'bad_packs');
    assert.equal(bad({ unitsPerPack: 0 }), 'bad_units_per_pack');
    assert.equal(bad({ cost: usd(-1) }), 'negative_cost');
    assert.equal(bad({ contents: [{ size: 'S', units: 5 }] }), 'bad_contents');
  });
});

const anyLine: fc.Arbitrary<PackLine> = fc
  .record({
    packs: fc.integer({ min: 0, max: 500 }),
    unitsPerPack: fc.integer({ min: 1, max: 48 }),
    cost: fc.integer({ min: 0, max: 500_000 }),
    costPer: fc.constantFrom<'pack' | 'unit'>('pack', 'unit'),
    sizes: fc.integer({ min: 0, max: 4 }),
  })
  .map(({ packs, unitsPerPack, cost, costPer, sizes }) => {
    // a prepack of `sizes` sizes sharing the units (only when there are enough units)
    const n = Math.min(sizes, unitsPerPack);
    const contents =
      n < 2
        ? undefined
        : Array.from({ length: n }, (_, i) => ({
            size: `S${i}`,
            units: Math.floor(unitsPerPack / n) + (i < unitsPerPack % n ? 1 : 0),
          }));
    return { packs, unitsPerPack, cost: usd(cost), costPer, gtin14: null, ...(contents ? { contents } : {}) };
  });

describe('convertPackLine (properties)', () => {
  it('units are conserved: quantities add up to packs × units per pack (and per size)', () => {
    fc.assert(
      fc.property(anyLine, fc.constantFrom(split, round), (line, policy) => {
        const c = converted(line, policy);
        const qty = c.lines.reduce((s, l) => s + l.quantity, 0);
        assert.equal(qty, line.unitsPerPack === 1 ? line.packs : line.packs * line.unitsPerPack);
        for (const part of line.contents ?? []) {
          const ofSize = c.lines.filter((l) => l.size === part.size).reduce((s, l) => s + l.quantity, 0);
          assert.equal(ofSize, line.packs * part.units);
        }
      }),
    );
  });

  it('split preserves the total exactly with costs one minor unit apart; round stays within half a cent a unit', () => {
    fc.assert(
      fc.property(anyLine, (line) => {
        const s = converted(line, split);
        assert.deepEqual(s.total, s.sourceTotal);
        assert.equal(s.difference.minor, 0);
        const costs = new Set(s.lines.map((l) => l.unitCost.minor));
        assert.ok(costs.size <= 2);
        if (costs.size === 2) assert.equal(Math.max(...costs) - Math.min(...costs), 1);
        const r = converted(line, round);
        const units = r.lines.reduce((sum, l) => sum + l.quantity, 0);
        assert.ok(2 * Math.abs(r.difference.minor) <= units);
      }),
    );
  });

  it('packs are kept as ordered, at the pack cost, to the cent', () => {
    fc.assert(
      fc.property(anyLine, (line) => {
        const c = converted(line, packs);
        assert.equal(
          c.lines.reduce((s, l) => s + l.quantity, 0),
          line.packs,
        );
        assert.deepEqual(c.total, c.sourceTotal);
      }),
    );
  });
});
