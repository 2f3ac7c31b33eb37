import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { classifyGtin, matchability } from './gs1-prefix.ts';
import type { GtinClass } from './gs1-prefix.ts';
import { caseGtinOf, gtinCheckDigit } from './gtin.ts';

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

/** A valid code: `prefix`, random digits up to `length - 1`, and the check digit. */
const withPrefix = (prefix: string, length: number) =>
  digits(length - 1 - prefix.length).map((rest) => {
    const body = prefix + rest;
    return body + String(gtinCheckDigit(body));
  });

const complete = (body: string): string => body + String(gtinCheckDigit(body));

const CLASSES: readonly GtinClass[] = [
  'trade_item',
  'restricted_regional',
  'restricted_company',
  'coupon',
  'refund_receipt',
  'isbn',
  'ismn',
  'issn',
  'demo',
  'variable_measure',
];

function classOf(code: string): GtinClass {
  const m = matchability(code);
  assert.ok(m.gtin14 !== null, `${code} should read`);
  return classifyGtin(m.gtin14).class;
}

describe('classifyGtin', () => {
  it('names each GS1 range (GS1 General Specifications, GS1 Prefixes)', () => {
    assert.equal(classOf(complete('01234567890')), 'trade_item'); // UPC-A number system 0
    assert.equal(classOf(complete('21234567890')), 'restricted_regional'); // number system 2 = prefix 021
    assert.equal(classOf(complete('020000000000')), 'restricted_regional');
    assert.equal(classOf(complete('299999999999')), 'restricted_regional'); // EAN-13 200–299
    assert.equal(classOf(complete('41234567890')), 'restricted_company'); // number system 4 = prefix 04x
    assert.equal(classOf(complete('51234567890')), 'coupon'); // number system 5
    assert.equal(classOf(complete('981000000000')), 'coupon');
    assert.equal(classOf(complete('984000000000')), 'coupon');
    assert.equal(classOf(complete('991234567890')), 'coupon');
    assert.equal(classOf(complete('980000000000')), 'refund_receipt');
    assert.equal(classOf('9780306406157'), 'isbn'); // the ISBN of a real book
    assert.equal(classOf(complete('979100000000')), 'isbn');
    assert.equal(classOf(complete('979000000000')), 'ismn');
    assert.equal(classOf(complete('977123456700')), 'issn');
    assert.equal(classOf('9520123456788'), 'demo'); // GS1's demo GTIN (prefix 952)
    assert.equal(classOf('4006381333931'), 'trade_item');
    assert.equal(classOf('96385074'), 'trade_item'); // GTIN-8, GS1-8 prefix 963
    assert.equal(classOf('07654329'), 'restricted_company'); // GTIN-8 starting with 0: RCN-8
    assert.equal(classOf(complete('2123456')), 'restricted_company'); // GTIN-8 starting with 2: RCN-8
    assert.equal(classOf(complete('9061414100041')), 'variable_measure'); // indicator 9
  });

  it('gives a case code its unit class and the unit it packs', () => {
    const restrictedUnit = '0' + complete('021234567890');
    const caseCode = caseGtinOf(restrictedUnit, 3);
    const c = classifyGtin(caseCode);
    assert.equal(c.class, 'restricted_regional');
    assert.deepEqual(c.pack, { indicator: 3, unitGtin14: restrictedUnit });
    assert.match(c.description, /^a pack \(indicator 3\) of a restricted-circulation code/);
    assert.equal(classifyGtin('10614141000415').class, 'trade_item');
  });

  it('property: classification is total, deterministic, and a pack shares its unit class', () => {
    fc.assert(
      fc.property(digits(14), (gtin14) => {
        const a = classifyGtin(gtin14);
        assert.deepEqual(classifyGtin(gtin14), a);
        assert.ok(CLASSES.includes(a.class));
        assert.ok(a.description.length > 0 && a.prefix.length > 0);
        if (a.pack !== undefined) assert.equal(a.class, classifyGtin(a.pack.unitGtin14).class);
      }),
    );
  });
});

describe('matchability', () => {
  it('matches ordinary codes, and a UPC-E with number system 0 by its UPC-A', () => {
    const m = matchability('01234558');
    assert.ok(m.matchable);
    assert.equal(m.gtin14, '00012345000058');
    assert.deepEqual(m.lookupGtins, ['00012345000058']); // its GTIN-8 reading is an RCN-8, not looked up
    const upcA = matchability('012345000058');
    assert.ok(upcA.matchable && upcA.gtin14 === m.gtin14);
  });

  it('looks up both readings of an 8-digit code that is a valid UPC-E and a valid ordinary GTIN-8', () => {
    const m = matchability('11234562'); // number system 1 UPC-E, and GTIN-8 with GS1-8 prefix 112
    assert.ok(m.matchable);
    assert.deepEqual(m.lookupGtins, ['00112345000062', '00000011234562']);
  });

  it('never matches variable-measure, internal or coupon codes, and says why in words', () => {
    const cases: Array<[string, string, RegExp]> = [
      [complete('21234567890'), 'restricted_regional', /restricted-circulation/],
      [complete('9061414100041'), 'variable_measure', /variable-measure/],
      [complete('41234567890'), 'restricted_company', /company-internal/],
      [complete('51234567890'), 'coupon', /coupon/],
      [complete('991234567890'), 'coupon', /coupon/],
      ['9520123456788', 'demo', /demonstration/],
      [complete('977123456700'), 'issn', /periodical/],
    ];
    for (const [code, reason, words] of cases) {
      const m = matchability(code);
      assert.ok(!m.matchable, code);
      assert.equal(m.reason, reason);
      assert.match(m.message, words);
      assert.ok(m.message.includes(code), 'the message names the code');
      assert.match(m.message, /never matched/);
    }
  });

  it('still refuses a known-bad check digit, and a missing code', () => {
    const bad = matchability('012345678906');
    assert.ok(!bad.matchable && bad.reason === 'bad_check_digit' && bad.gtin14 === null);
    const missing = matchability('N/A');
    assert.ok(!missing.matchable && missing.reason === 'missing');
  });

  it('property: restricted, variable-measure, internal and coupon ranges are never matchable', () => {
    const refused = fc.oneof(
      fc.integer({ min: 20, max: 29 }).chain((p) => withPrefix('0' + String(p), 13)),
      fc.integer({ min: 200, max: 299 }).chain((p) => withPrefix(String(p), 13)),
      fc.integer({ min: 40, max: 59 }).chain((p) => withPrefix('0' + String(p), 13)),
      fc.integer({ min: 980, max: 984 }).chain((p) => withPrefix(String(p), 13)),
      withPrefix('99', 13),
      withPrefix('9', 14),
    );
    fc.assert(
      fc.property(refused, (code) => {
        const m = matchability(code);
        assert.equal(m.matchable, false);
      }),
    );
  });

  it('property: a matchable code is a readable trade item, book or music code, looked up first by itself', () => {
    fc.assert(
      fc.property(fc.oneof(digits(8), digits(12), digits(13), digits(14)), (code) => {
        const m = matchability(code);
        if (!m.matchable) return;
        assert.ok(['trade_item', 'isbn', 'ismn'].includes(m.classification.class));
        assert.equal(m.lookupGtins[0], m.gtin14);
        for (const g of m.lookupGtins) assert.ok(['trade_item', 'isbn', 'ismn'].includes(classifyGtin(g).class));
      }),
    );
  });
});
