import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  caseGtinOf,
  compressToUpcE,
  expandUpcE,
  gtinCheckDigit,
  gtinForms,
  isSameGtin,
  packagingOf,
  parseGtin,
  readGtin,
} from './gtin.ts';
import type { GtinResult } from './gtin.ts';

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
    // GS1's own worked example of the mod-10 calculation (General Specifications §7.9.1): 629104150021 → 3.
    assert.equal(gtinCheckDigit('629104150021'), 3);
    assert.equal(gtinCheckDigit('01234567890'), 5);
    assert.equal(gtinCheckDigit('84427708245'), 7);
    assert.throws(() => gtinCheckDigit('12a'), RangeError);
  });
});

function pick(result: ReturnType<typeof parseGtin>): string {
  return result.ok ? 'ok' : result.problem;
}

/** A UPC-E with number system 0 or 1 and the check digit of its expansion. */
const anyUpcE = fc
  .tuple(fc.constantFrom('0', '1'), digits(6))
  // exactly one of the ten last digits is the expansion's check digit
  .map(([ns, six]) => [...'0123456789'].map((c) => `${ns}${six}${c}`).filter((e) => expandUpcE(e).ok))
  .map((valid) => {
    assert.equal(valid.length, 1);
    return valid[0] ?? '';
  });

/** A UPC-E as GS1 encodes it: each rule only where its conditions hold, so every UPC-A has one UPC-E. */
const canonicalUpcE = anyUpcE.filter((e) => {
  const d6 = Number(e[6]);
  if (d6 === 3) return Number(e[3]) >= 3;
  if (d6 === 4) return e[4] !== '0';
  if (d6 >= 5) return e[5] !== '0';
  return true;
});

describe('UPC-E', () => {
  it('expands the GS1 General Specifications examples (§5.2.2.4.2, one per suppression rule)', () => {
    // The four worked examples of the UPC-E decoding table; the expansions were transcribed, not computed.
    const examples: Array<[string, string]> = [
      ['01234558', '012345000058'], // sixth digit 5–9: item digit kept at the end
      ['04567840', '045670000080'], // sixth digit 4
      ['03456703', '034000005673'], // sixth digit 0–2: it becomes the fourth UPC-A digit
      ['09847531', '098400000751'], // sixth digit 3
    ];
    for (const [upcE, upcA] of examples) {
      assert.deepEqual(expandUpcE(upcE), { ok: true, upcA });
      assert.equal(compressToUpcE(upcA), upcE);
    }
    // rules 1 and 2 (hand-derived from the same table): the sixth digit becomes the fourth UPC-A digit
    assert.deepEqual(expandUpcE('01234514'), { ok: true, upcA: '012100003454' });
    assert.deepEqual(expandUpcE('01234523'), { ok: true, upcA: '012200003453' });
  });

  it('refuses another number system, and says why', () => {
    const result = expandUpcE('21234565');
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.problem === 'not_upc_e' && /number system 0 or 1/.test(result.message));
    assert.equal(compressToUpcE('212345000058'), null);
    assert.equal(expandUpcE('0123455').ok, false);
  });

  it('refuses a UPC-E whose check digit does not fit its expansion', () => {
    const result = expandUpcE('01234559');
    assert.ok(!result.ok && result.problem === 'bad_check_digit');
  });

  it('property: every UPC-E from number system 0/1 expands to a UPC-A that compresses back', () => {
    fc.assert(
      fc.property(canonicalUpcE, (upcE) => {
        const expanded = expandUpcE(upcE);
        assert.ok(expanded.ok);
        assert.equal(expanded.upcA.length, 12);
        assert.equal(expanded.upcA[0], upcE[0]);
        assert.equal(compressToUpcE(expanded.upcA), upcE);
      }),
    );
  });

  it('property: any UPC-E (canonical or not) and the UPC-E of its expansion name the same UPC-A', () => {
    fc.assert(
      fc.property(anyUpcE, (upcE) => {
        const expanded = expandUpcE(upcE);
        assert.ok(expanded.ok);
        const again = compressToUpcE(expanded.upcA);
        assert.ok(again !== null);
        assert.deepEqual(expandUpcE(again), expanded);
      }),
    );
  });

  it('property: a UPC-A that has a UPC-E form expands back from it', () => {
    fc.assert(
      fc.property(fc.constantFrom('0', '1'), digits(10), (ns, rest) => {
        const body = ns + rest;
        const upcA = body + String(gtinCheckDigit(body));
        const upcE = compressToUpcE(upcA);
        if (upcE !== null) assert.deepEqual(expandUpcE(upcE), { ok: true, upcA });
      }),
    );
  });
});

describe('readGtin', () => {
  it('names the symbology and canonicalises like parseGtin for 12, 13 and 14 digits', () => {
    for (const code of ['012345678905', '0012345678905', '00012345678905']) {
      const read = readGtin(code);
      assert.ok(read.ok);
      assert.equal(read.gtin14, '00012345678905');
      assert.deepEqual(parseGtin(code), { ok: true, gtin14: read.gtin14 });
    }
    assert.equal(pickSymbology(readGtin('012345678905')), 'upc-a');
    assert.equal(pickSymbology(readGtin('4006381333931')), 'ean-13');
    assert.equal(pickSymbology(readGtin('10614141000415')), 'gtin-14');
  });

  it('reads a UPC-E with number system 0 as its UPC-A (so it matches the UPC-A item)', () => {
    const read = readGtin('0123 4558');
    assert.ok(read.ok);
    assert.equal(read.symbology, 'upc-e');
    assert.equal(read.gtin14, '00012345000058');
    assert.ok(isSameGtin('012345000058', '0' + read.gtin14.slice(1)));
    // the GTIN-8 reading (a company-internal RCN-8) stays visible
    assert.deepEqual(read.alternatives, [{ symbology: 'gtin-8', gtin14: '00000001234558' }]);
  });

  it('falls back to GTIN-8 when the UPC-E reading fails, and keeps GTIN-8s of other prefixes', () => {
    const gtin8 = readGtin('96385074'); // starts with 9: no UPC-E reading at all
    assert.ok(gtin8.ok);
    assert.equal(gtin8.symbology, 'gtin-8');
    assert.equal(gtin8.gtin14, '00000096385074');
    // starts with 0, its UPC-E check fails, its GTIN-8 check holds
    assert.equal(expandUpcE('07654329').ok, false);
    const read = readGtin('07654329');
    assert.ok(read.ok && read.symbology === 'gtin-8' && read.gtin14 === '00000007654329');
  });

  it('refuses a known-bad check digit with words, for every length', () => {
    for (const code of ['012345678906', '0012345678906', '00012345678906', '96385075', '01234559']) {
      const read = readGtin(code);
      assert.ok(!read.ok && read.problem === 'bad_check_digit', code);
      assert.match(read.message, /check digit/);
    }
    const notUpcE = readGtin('21234566');
    assert.ok(!notUpcE.ok && /no UPC-E either/.test(notUpcE.message));
  });

  it('returns a superset of GtinResult, so a caller of parseGtin can switch in one line', () => {
    const asBefore: GtinResult = readGtin('012345678905'); // compiles only while the shapes stay compatible
    assert.deepEqual(asBefore.ok && asBefore.gtin14, '00012345678905');
  });

  it('treats placeholders as missing, like parseGtin', () => {
    for (const raw of [null, undefined, '', 'N/A', '0', '00000000']) {
      const read = readGtin(raw);
      assert.ok(!read.ok && read.problem === 'missing');
    }
  });

  it('property: every valid UPC-A equals its EAN-13 and GTIN-14 forms canonically', () => {
    fc.assert(
      fc.property(validCode(12), (upcA) => {
        const read = readGtin(upcA);
        assert.ok(read.ok);
        assert.equal(read.gtin14, '00' + upcA);
        for (const form of ['0' + upcA, '00' + upcA]) {
          const other = readGtin(form);
          assert.ok(other.ok);
          assert.equal(other.gtin14, read.gtin14);
        }
      }),
    );
  });

  it('property: a wrong check digit is refused (12, 13, 14 digits), and never reads as the UPC-E it spoils', () => {
    fc.assert(
      fc.property(
        fc.oneof(validCode(12), validCode(13), validCode(14)),
        fc.integer({ min: 1, max: 9 }),
        (code, delta) => {
          const wrong = code.slice(0, -1) + String((Number(code.slice(-1)) + delta) % 10);
          const read = readGtin(wrong);
          assert.ok(!read.ok && read.problem === 'bad_check_digit');
        },
      ),
    );
    fc.assert(
      fc.property(anyUpcE, fc.integer({ min: 1, max: 9 }), (upcE, delta) => {
        const expanded = expandUpcE(upcE);
        assert.ok(expanded.ok);
        const wrong = upcE.slice(0, -1) + String((Number(upcE.slice(-1)) + delta) % 10);
        const read = readGtin(wrong);
        // it may still be a valid GTIN-8 (another code), but never the UPC-A of the spoiled UPC-E
        if (read.ok) {
          assert.equal(read.symbology, 'gtin-8');
          assert.notEqual(read.gtin14, '00' + expanded.upcA);
        } else assert.equal(read.problem, 'bad_check_digit');
      }),
    );
  });

  it('property: agrees with parseGtin except on UPC-E readings', () => {
    fc.assert(
      fc.property(fc.oneof(validCode(8), validCode(12), validCode(13), validCode(14), digits(12)), (code) => {
        const read = readGtin(code);
        const parsed = parseGtin(code);
        if (read.ok && read.symbology === 'upc-e') return;
        assert.equal(read.ok, parsed.ok);
        if (read.ok && parsed.ok) assert.equal(read.gtin14, parsed.gtin14);
        if (!read.ok && !parsed.ok) assert.equal(read.problem, parsed.problem);
      }),
    );
  });
});

describe('GTIN-14 indicator digit', () => {
  it('links a case code to its unit GTIN (GS1 example company prefix 0614141, indicator 1)', () => {
    // GTIN-14 (01)10614141000415: indicator 1, then the unit's 061414100041, then a fresh check digit.
    assert.deepEqual(packagingOf('10614141000415'), { kind: 'pack', indicator: 1, unitGtin14: '00614141000418' });
    assert.equal(caseGtinOf('00614141000418', 1), '10614141000415');
    assert.deepEqual(packagingOf('00614141000418'), { kind: 'unit' });
    assert.deepEqual(packagingOf('90614141000417'), { kind: 'variable_measure' });
    assert.throws(() => caseGtinOf('00614141000418', 9), RangeError);
    assert.throws(() => packagingOf('123'), RangeError);
  });

  it('property: a case code of any level 1–8 leads back to its unit', () => {
    fc.assert(
      fc.property(validCode(13), fc.integer({ min: 1, max: 8 }), (ean13, level) => {
        const unit = '0' + ean13;
        const caseCode = caseGtinOf(unit, level);
        assert.ok(parseGtin(caseCode).ok);
        assert.deepEqual(packagingOf(caseCode), { kind: 'pack', indicator: level, unitGtin14: unit });
      }),
    );
  });
});

function pickSymbology(read: ReturnType<typeof readGtin>): string {
  return read.ok ? read.symbology : read.problem;
}
