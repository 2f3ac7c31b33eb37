import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { money } from './money.ts';
import { applyRounding, belowMargin, previewPrices, priceWithRule, retailPrice } from './pricing.ts';
import { MSRP_AS_SENT, parsePricingPolicy, ruleForBrand } from './pricing-policy.ts';
import type { PriceRounding, PriceRule, PricingPolicy } from './pricing-policy.ts';

const usd = (minor: number) => money(minor, 'USD');

const keystonePlus: PriceRule = {
  basis: { kind: 'markup', factor: 2.2 },
  rounding: '.99',
  floorAtMsrp: true,
  minMarginPercent: null,
};

const policy = (rule: PriceRule, brands: PricingPolicy['brands'] = {}): PricingPolicy => ({ version: 3, rule, brands });

describe('retailPrice', () => {
  it('cost × 2.2 rounded up to .99 with an MSRP floor, saying which rule made the price', () => {
    const under = retailPrice(policy(keystonePlus), { cost: usd(2000), msrp: usd(5000), currency: 'USD' });
    assert.deepEqual(under.price, usd(5000));
    assert.equal(under.rule, 'cost × 2.2, rounded up to .99, raised to the MSRP floor');
    assert.equal(under.policyVersion, 3);
    assert.equal(under.needsReview, undefined);

    const over = retailPrice(policy(keystonePlus), { cost: usd(2850), msrp: usd(4500), currency: 'USD' });
    assert.deepEqual(over.price, usd(6299)); // 28.50 × 2.2 = 62.70 → 62.99
    assert.equal(over.rule, 'cost × 2.2, rounded up to .99');
    assert.equal(over.marginPermille, 547); // (62.99 − 28.50) / 62.99 = 54.75…%
  });

  it('computes markups exactly, rounding a fraction of a cent up', () => {
    const rule: PriceRule = {
      ...keystonePlus,
      rounding: 'none',
      floorAtMsrp: false,
      basis: { kind: 'markup', factor: 2.15 },
    };
    // 10.01 × 2.15 = 21.5215 → 21.53; floats would give 21.521499999…
    assert.deepEqual(priceWithRule(rule, { cost: usd(1001), msrp: null, currency: 'USD' }).price, usd(2153));
    const exact = priceWithRule(rule, { cost: usd(1000), msrp: null, currency: 'USD' });
    assert.deepEqual(exact.price, usd(2150));
  });

  it('prices for a target margin', () => {
    const rule: PriceRule = { ...MSRP_AS_SENT, basis: { kind: 'margin', percent: 55 } };
    const r = priceWithRule(rule, { cost: usd(4500), msrp: usd(9000), currency: 'USD' });
    assert.deepEqual(r.price, usd(10000)); // 45 / (1 − 0.55) = 100
    assert.equal(r.rule, 'cost at a 55% margin');
    assert.equal(r.marginPermille, 550);
  });

  it('keeps MSRP as sent by default, and sends a line without MSRP or cost to review', () => {
    assert.deepEqual(
      priceWithRule(MSRP_AS_SENT, { cost: usd(2800), msrp: usd(4500), currency: 'USD' }).price,
      usd(4500),
    );
    const noMsrp = priceWithRule(MSRP_AS_SENT, { cost: usd(2800), msrp: null, currency: 'USD' });
    assert.equal(noMsrp.price, null);
    assert.equal(noMsrp.needsReview?.code, 'NO_MSRP');
    const noCost = priceWithRule(keystonePlus, { cost: usd(0), msrp: usd(4500), currency: 'USD' });
    assert.equal(noCost.price, null);
    assert.equal(noCost.needsReview?.code, 'NO_COST');
  });

  it('sends a line below the minimum margin to review, naming the numbers', () => {
    const rule: PriceRule = { ...MSRP_AS_SENT, minMarginPercent: 40 };
    const r = priceWithRule(rule, { cost: usd(3000), msrp: usd(4000), currency: 'USD' });
    assert.deepEqual(r.price, usd(4000));
    assert.equal(r.needsReview?.code, 'BELOW_MIN_MARGIN');
    assert.equal(
      r.needsReview?.message,
      'USD 40.00 on a cost of USD 30.00 leaves a margin of 25.0%, below the 40% minimum',
    );
    const exactlyAtMin = priceWithRule(rule, { cost: usd(2400), msrp: usd(4000), currency: 'USD' });
    assert.equal(exactlyAtMin.needsReview, undefined); // 40.0% is not below 40%
  });

  it('applies the brand override over the connection rule', () => {
    const p = policy(keystonePlus, { acme: { basis: { kind: 'markup', factor: 2.5 }, floorAtMsrp: false } });
    assert.deepEqual(ruleForBrand(p, 'acme'), {
      ...keystonePlus,
      basis: { kind: 'markup', factor: 2.5 },
      floorAtMsrp: false,
    });
    const r = retailPrice(p, { cost: usd(2000), msrp: usd(9900), currency: 'USD', brandSourceId: 'acme' });
    assert.deepEqual(r.price, usd(5099)); // 20 × 2.5 = 50.00 → 50.99, no floor
    assert.deepEqual(
      retailPrice(p, { cost: usd(2000), msrp: usd(9900), currency: 'USD', brandSourceId: 'other' }).price,
      usd(9900),
    );
  });

  it('rounds in the currency minor unit: KWD has three decimals, JPY has no cents', () => {
    const kwd = priceWithRule(keystonePlus, { cost: money(10_000, 'KWD'), msrp: null, currency: 'KWD' });
    assert.deepEqual(kwd.price, money(22_990, 'KWD')); // 22.000 → 22.990
    const jpy = priceWithRule(keystonePlus, { cost: money(1000, 'JPY'), msrp: null, currency: 'JPY' });
    assert.deepEqual(jpy.price, money(2200, 'JPY'));
    assert.equal(jpy.rule, 'cost × 2.2, no .99 rounding in JPY (it has no cents), no MSRP to floor at');
    assert.deepEqual(applyRounding(2201, '.00', 'JPY'), { minor: 2201, words: 'rounded up to .00' });
  });

  it('refuses mixed currencies (a caller bug)', () => {
    assert.throws(
      () => priceWithRule(keystonePlus, { cost: money(100, 'EUR'), msrp: null, currency: 'USD' }),
      /cannot price EUR in USD/,
    );
  });
});

const ENDINGS: Array<[PriceRounding, number]> = [
  ['.99', 99],
  ['.95', 95],
  ['.00', 0],
];

describe('applyRounding (properties)', () => {
  const price = fc.integer({ min: 0, max: 10_000_000 });

  it('an ending rounds up to the smallest price at or above with that ending, and is idempotent', () => {
    for (const [rounding, cents] of ENDINGS) {
      fc.assert(
        fc.property(price, (minor) => {
          const once = applyRounding(minor, rounding, 'USD').minor;
          assert.equal(once % 100, cents);
          assert.ok(once >= minor && once - minor < 100);
          assert.equal(applyRounding(once, rounding, 'USD').minor, once);
        }),
      );
    }
  });

  it('nearest 0.05 moves at most 2 cents, ties up, and is idempotent', () => {
    fc.assert(
      fc.property(price, (minor) => {
        const once = applyRounding(minor, 'nearest_0.05', 'USD').minor;
        assert.equal(once % 5, 0);
        assert.ok(Math.abs(once - minor) <= 2);
        if (minor % 5 === 3 || minor % 5 === 4) assert.ok(once > minor);
        if (minor % 5 === 1 || minor % 5 === 2) assert.ok(once < minor);
        assert.equal(applyRounding(once, 'nearest_0.05', 'USD').minor, once);
      }),
    );
  });
});

const anyRule: fc.Arbitrary<PriceRule> = fc.record({
  basis: fc.oneof(
    fc.constant({ kind: 'msrp' as const }),
    fc.integer({ min: 10_000, max: 50_000 }).map((f) => ({ kind: 'markup' as const, factor: f / 10_000 })),
    fc.integer({ min: 0, max: 9000 }).map((p) => ({ kind: 'margin' as const, percent: p / 100 })),
  ),
  rounding: fc.constantFrom<PriceRounding>('none', '.99', '.95', '.00', 'nearest_0.05'),
  floorAtMsrp: fc.boolean(),
  minMarginPercent: fc.option(fc.integer({ min: 0, max: 9999 }).map((p) => p / 100)),
});

describe('priceWithRule (properties)', () => {
  const cost = fc.integer({ min: 1, max: 1_000_000 });
  const msrp = fc.option(fc.integer({ min: 0, max: 3_000_000 }));

  it('never below the MSRP when floored; the margin guard triggers exactly below the minimum', () => {
    fc.assert(
      fc.property(anyRule, cost, msrp, (rule, c, m) => {
        const r = priceWithRule(rule, { cost: usd(c), msrp: m === null ? null : usd(m), currency: 'USD' });
        if (r.price === null) {
          assert.ok(r.needsReview !== undefined);
          return;
        }
        const p = r.price.minor;
        if (rule.floorAtMsrp && m !== null) assert.ok(p >= m);
        // the guard, recomputed another way: percentages have 2 decimals, so min × 100 is a whole number
        const below =
          rule.minMarginPercent !== null && (p <= 0 || (p - c) * 10_000 < Math.round(rule.minMarginPercent * 100) * p);
        assert.equal(r.needsReview?.code === 'BELOW_MIN_MARGIN', below);
        assert.equal(
          belowMargin(p, c, rule.minMarginPercent ?? 0),
          p <= 0 || (p - c) * 10_000 < Math.round((rule.minMarginPercent ?? 0) * 100) * p,
        );
      }),
    );
  });

  it('the guard is exact at the boundary: a margin of exactly the minimum passes, one cent of cost more fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 99 }), (k, min) => {
        const price = 100 * k;
        const cost = k * (100 - min); // (price − cost) / price = min% exactly
        assert.equal(belowMargin(price, cost, min), false);
        assert.equal(belowMargin(price, cost + 1, min), true);
      }),
    );
  });

  it('an unfloored price ends in the rounding’s cents and never undershoots the basis', () => {
    fc.assert(
      fc.property(anyRule, cost, msrp, (rule, c, m) => {
        const input = { cost: usd(c), msrp: m === null ? null : usd(m), currency: 'USD' };
        const r = priceWithRule(rule, input);
        if (r.price === null || r.rule.includes('MSRP floor')) return;
        const p = r.price.minor;
        const ending = ENDINGS.find(([k]) => k === rule.rounding);
        if (ending !== undefined) assert.equal(p % 100, ending[1]);
        if (rule.rounding === 'nearest_0.05') assert.equal(p % 5, 0);
        if (rule.basis.kind === 'markup' && rule.rounding !== 'nearest_0.05') {
          // p ≥ cost × factor, in integers: factor has 4 decimals
          assert.ok(p * 10_000 >= c * Math.round(rule.basis.factor * 10_000));
        }
        // idempotent: pricing the MSRP-as-sent of an already-rounded price changes nothing
        const again = priceWithRule({ ...MSRP_AS_SENT, rounding: rule.rounding }, { ...input, msrp: r.price });
        assert.deepEqual(again.price, r.price);
      }),
    );
  });
});

describe('previewPrices', () => {
  it('lists only the lines whose price would change or that need review', () => {
    const p = policy(keystonePlus);
    const changes = previewPrices(p, [
      { key: 'same', input: { cost: usd(2000), msrp: usd(5000), currency: 'USD' }, current: usd(5000) },
      { key: 'up', input: { cost: usd(2850), msrp: usd(4500), currency: 'USD' }, current: usd(4500) },
      { key: 'no-cost', input: { cost: usd(0), msrp: usd(4500), currency: 'USD' }, current: usd(4500) },
    ]);
    assert.deepEqual(
      changes.map((c) => [c.key, c.next.price?.minor ?? null]),
      [
        ['up', 6299],
        ['no-cost', null],
      ],
    );
  });
});

describe('parsePricingPolicy', () => {
  const valid = {
    version: 2,
    rule: { basis: { kind: 'markup', factor: 2.2 }, rounding: '.99', floorAtMsrp: true, minMarginPercent: 35 },
    brands: { acme: { rounding: '.95' } },
  };

  it('accepts a valid policy as is', () => {
    assert.deepEqual(parsePricingPolicy(valid), { ok: true, value: valid });
    const noBrands = parsePricingPolicy({ version: 1, rule: MSRP_AS_SENT });
    assert.deepEqual(noBrands, { ok: true, value: { version: 1, rule: MSRP_AS_SENT, brands: {} } });
  });

  it('names every bad field', () => {
    const result = parsePricingPolicy({
      version: 0,
      rule: { basis: { kind: 'markup', factor: 0.5 }, rounding: '.98', floorAtMsrp: 'yes', minMarginPerc: 30 },
      brands: { acme: { basis: { kind: 'margin', percent: 100 } }, beta: 'x' },
    });
    assert.ok(!result.ok);
    const paths = result.error.map((p) => p.path);
    assert.deepEqual(paths, [
      'version',
      'rule.minMarginPerc',
      'rule.basis.factor',
      'rule.rounding',
      'rule.floorAtMsrp',
      'rule.minMarginPercent',
      'brands.acme.basis.percent',
      'brands.beta',
    ]);
    const byPath = new Map(result.error.map((p) => [p.path, p.message]));
    assert.match(byPath.get('rule.basis.factor') ?? '', /from 1 to 100 .* got 0\.5/);
    assert.match(byPath.get('rule.rounding') ?? '', /one of none, \.99, \.95, \.00, nearest_0\.05, got "\.98"/);
    assert.match(byPath.get('rule.minMarginPerc') ?? '', /not a field here/);
    assert.match(byPath.get('rule.minMarginPercent') ?? '', /required/);
    assert.match(byPath.get('brands.acme.basis.percent') ?? '', /100% has no price/);
  });

  it('refuses factors too precise to be exact and non-objects', () => {
    const r = parsePricingPolicy({ ...valid, rule: { ...valid.rule, basis: { kind: 'markup', factor: 2.123456 } } });
    assert.ok(!r.ok && r.error[0]?.path === 'rule.basis.factor');
    assert.deepEqual(parsePricingPolicy('msrp'), {
      ok: false,
      error: [{ path: '', message: 'a pricing policy is an object' }],
    });
    const badKind = parsePricingPolicy({ ...valid, rule: { ...valid.rule, basis: { kind: 'cost_plus' } } });
    assert.ok(!badKind.ok && badKind.error[0]?.path === 'rule.basis.kind');
  });

  it('property: every policy it accepts prices any line without throwing', () => {
    fc.assert(
      fc.property(anyRule, fc.integer({ min: 0, max: 1_000_000 }), (rule, c) => {
        const parsed = parsePricingPolicy({ version: 1, rule, brands: {} });
        assert.ok(parsed.ok, JSON.stringify(parsed));
        const r = retailPrice(parsed.value, { cost: usd(c), msrp: usd(c * 2), currency: 'USD' });
        assert.ok(r.price !== null || r.needsReview !== undefined);
      }),
    );
  });
});
