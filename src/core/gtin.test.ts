import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { gtinCheckDigit, gtinForms, isSameGtin, parseGtin } from './gtin.ts';

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

/** A valid code of the given length (body + correct check digit), not all zeros. */
const validCode = (length: 8 | 12 | 13 | 14) =>
  digits(length - 1)
    .map((body) => body + String(gtinCheckDigit(body)))
    .filter((code) => !/^0+$/.test(code));

describe('parseGtin', () => {
  it('treats UPC-A and its EAN-13 / GTIN-14 forms as one code', () => {
    assert.deepEqual(parseGtin('012345678905'), { ok: true, gtin14: '00012345678905' });
    assert.deepEqual(parseGtin('0012345678905'), { ok: true, gtin14: '00012345678905' });
    assert.ok(isSameGtin('012345678905', '0012345678905'));
    assert.ok(isSameGtin('0 12345-67890 5', '00012345678905'));
  });

  it('accepts the real NuORDER UPC and a GTIN-8', () => {
    assert.deepEqual(parseGtin('844277082457'), { ok: true, gtin14: '00844277082457' });
    assert.deepEqual(parseGtin('96385074'), { ok: true, gtin14: '00000096385074' });
  });

  it('names each problem', () => {
    assert.deepEqual(parseGtin(undefined), { ok: false, problem: 'missing', raw: undefined });
    assert.deepEqual(parseGtin(null), { ok: false, problem: 'missing', raw: null });
    assert.equal(pick(parseGtin('  ')), 'missing');
    assert.equal(pick(parseGtin('N/A')), 'missing');
    assert.equal(pick(parseGtin('000000000000')), 'missing');
    assert.equal(pick(parseGtin('SPREE-T-SHIRT-TEST-S')), 'not_numeric');
    assert.equal(pick(parseGtin('12345.678905')), 'not_numeric');
    assert.equal(pick(parseGtin('12345678901')), 'bad_length');
    assert.equal(pick(parseGtin('012345678906')), 'bad_check_digit');
  });

  it('keeps the raw input on failure', () => {
    assert.deepEqual(parseGtin('abc'), { ok: false, problem: 'not_numeric', raw: 'abc' });
  });

  it('property: every valid code canonicalises to the same GTIN-14 from all its padded forms', () => {
    fc.assert(
      fc.property(fc.oneof(validCode(8), validCode(12), validCode(13), validCode(14)), (code) => {
        const canonical = parseGtin(code);
        assert.ok(canonical.ok);
        for (let len = code.length; len <= 14; len++) {
          if (![8, 12, 13, 14].includes(len)) continue;
          const padded = code.padStart(len, '0');
          assert.deepEqual(parseGtin(padded), canonical);
          assert.ok(isSameGtin(code, padded));
        }
        assert.equal(canonical.gtin14.length, 14);
        const forms = gtinForms(canonical.gtin14);
        for (const form of Object.values(forms)) assert.deepEqual(parseGtin(form), canonical);
      }),
    );
  });

  it('property: changing any one digit breaks the check digit', () => {
    fc.assert(
      fc.property(
        fc.oneof(validCode(8), validCode(12), validCode(13), validCode(14)),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (code, position, delta) => {
          const i = position % code.length;
          const flipped = code.slice(0, i) + String((Number(code[i]) + delta) % 10) + code.slice(i + 1);
          const result = parseGtin(flipped);
          // an all-zero result is "missing"; every other flip must fail the check digit
          assert.equal(result.ok, false);
          if (!result.ok) assert.ok(result.problem === 'bad_check_digit' || result.problem === 'missing');
        },
      ),
    );
  });
});

describe('gtinCheckDigit', () => {
  it('computes the GS1 digit and refuses non-digits', () => {
    assert.equal(gtinCheckDigit('01234567890'), 5);
    assert.equal(gtinCheckDigit('84427708245'), 7);
    assert.throws(() => gtinCheckDigit('12a'), RangeError);
  });
});

function pick(result: ReturnType<typeof parseGtin>): string {
  return result.ok ? 'ok' : result.problem;
}
