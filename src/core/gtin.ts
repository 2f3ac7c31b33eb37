/**
 * GTIN codes (GTIN-8, UPC-E, UPC-A 12, EAN-13, GTIN-14) in one canonical form: 14 digits, left-padded with
 * zeros. Comparing canonical forms is how a brand's UPC-A `012345678905` finds the POS item stored with
 * EAN-13 `0012345678905`.
 *
 * Two readers:
 * - `parseGtin` (what plans and the catalog mirror use today) reads an 8-digit code as a GTIN-8 only.
 * - `readGtin` is the GS1-correct reader: it also expands UPC-E (the 8-digit rule below) and names the
 *   symbology. Its results are a superset of `parseGtin`'s, so switching a caller is one line; the switch
 *   changes the canonical form of UPC-E codes, so stored canonical codes (the catalog mirror) must be
 *   rebuilt in the same change. `gs1-prefix.ts` classifies what a code is (restricted, coupon, ...).
 *
 * References: GS1 General Specifications (Release 26): §7.9.1 check digit; §5.2.2.4.2 decoding UPC-E
 * (the zero-suppression table); §3.3.2 / §4.2 GTIN-14 and its indicator digit.
 */

export type GtinProblem = 'missing' | 'not_numeric' | 'bad_length' | 'bad_check_digit';

export type GtinResult =
  { ok: true; gtin14: string } | { ok: false; problem: GtinProblem; raw: string | null | undefined };

/** Placeholders vendors put where a UPC is absent (NuORDER accepts "N/A"). They mean "no UPC", not "bad UPC". */
const PLACEHOLDERS = new Set(['', 'n/a', 'na', 'none', 'null', '-', '0']);

const ACCEPTED_LENGTHS = new Set([8, 12, 13, 14]);

type Compacted = { ok: true; digits: string } | { ok: false; problem: GtinProblem };

/** Spaces and hyphens stripped; placeholders and all-zero codes are "missing" (matching them would link unrelated items). */
function compact(raw: string | null | undefined): Compacted {
  if (raw === null || raw === undefined) return { ok: false, problem: 'missing' };
  const digits = raw.replace(/[\s-]+/g, '');
  if (PLACEHOLDERS.has(digits.toLowerCase())) return { ok: false, problem: 'missing' };
  if (!/^[0-9]+$/.test(digits)) return { ok: false, problem: 'not_numeric' };
  if (/^0+$/.test(digits)) return { ok: false, problem: 'missing' };
  if (!ACCEPTED_LENGTHS.has(digits.length)) return { ok: false, problem: 'bad_length' };
  return { ok: true, digits };
}

/** True when the last digit is the GS1 check digit of the others. */
function checkDigitHolds(code: string): boolean {
  return gtinCheckDigit(code.slice(0, -1)) === Number(code.slice(-1));
}

/**
 * Canonicalises a barcode to GTIN-14, reading an 8-digit code as a GTIN-8 (see `readGtin` for UPC-E).
 * Spaces and hyphens are stripped. An all-zero code is treated as missing.
 */
export function parseGtin(raw: string | null | undefined): GtinResult {
  const c = compact(raw);
  if (!c.ok) return { ok: false, problem: c.problem, raw };
  if (!checkDigitHolds(c.digits)) return { ok: false, problem: 'bad_check_digit', raw };
  return { ok: true, gtin14: c.digits.padStart(14, '0') };
}

/**
 * The GS1 mod-10 check digit for a code body (the code without its last digit): weights 3,1,3,…
 * from the right (GS1 General Specifications §7.9.1). Leading zeros do not change it, which is why
 * padding is safe. Throws on a non-digit body: that is a caller bug, not data.
 */
export function gtinCheckDigit(body: string): number {
  if (!/^[0-9]*$/.test(body)) throw new RangeError(`gtin body must be digits: ${JSON.stringify(body)}`);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when both codes are valid and denote the same GTIN. Invalid or missing codes never match anything. */
export function isSameGtin(a: string | null | undefined, b: string | null | undefined): boolean {
  const pa = parseGtin(a);
  const pb = parseGtin(b);
  return pa.ok && pb.ok && pa.gtin14 === pb.gtin14;
}

/**
 * The shorter forms a GTIN-14 can be written in, for connectors that must search a POS by the code as a
 * person typed it (X-Series `product_codes`, R-Series `upc`/`ean`). Only forms the zeros allow are
 * present; the 14-digit form is always present. (The UPC-E form, when one exists, is `compressToUpcE`.)
 */
export function gtinForms(gtin14: string): { gtin14: string; ean13?: string; upcA?: string; gtin8?: string } {
  const forms: { gtin14: string; ean13?: string; upcA?: string; gtin8?: string } = { gtin14 };
  if (gtin14.startsWith('0')) forms.ean13 = gtin14.slice(1);
  if (gtin14.startsWith('00')) forms.upcA = gtin14.slice(2);
  if (gtin14.startsWith('000000')) forms.gtin8 = gtin14.slice(6);
  return forms;
}

// ---------------------------------------------------------------------------------------------------
// UPC-E

export type UpcEResult =
  { ok: true; upcA: string } | { ok: false; problem: 'not_upc_e' | 'bad_check_digit'; message: string };

/**
 * Expands an 8-digit UPC-E (number system, six digits, check digit) to its 12-digit UPC-A by the four
 * zero-suppression rules, keyed on the sixth digit (GS1 General Specifications §5.2.2.4.2):
 *   0–2: NS X1 X2 d6 0000 X3 X4 X5;  3: NS X1 X2 X3 00000 X4 X5;  4: NS X1 X2 X3 X4 00000 X5;
 *   5–9: NS X1 X2 X3 X4 X5 0000 d6.
 * The check digit is the UPC-A's, so it is verified on the expansion. Only number systems 0 and 1 have a
 * UPC-E (GS1 itself allocates 0 only; scanners also expand 1); anything else is refused, with why.
 */
export function expandUpcE(code: string): UpcEResult {
  if (!/^[0-9]{8}$/.test(code)) {
    return { ok: false, problem: 'not_upc_e', message: `"${code}" is not 8 digits, so it is not a UPC-E` };
  }
  const ns = code[0] ?? '';
  if (ns !== '0' && ns !== '1') {
    return {
      ok: false,
      problem: 'not_upc_e',
      message: `"${code}" starts with ${ns}: UPC-E exists only for number system 0 or 1, so this is not a UPC-E`,
    };
  }
  const [x1, x2, x3, x4, x5, d6] = code.slice(1, 7);
  const body =
    d6 === '0' || d6 === '1' || d6 === '2'
      ? `${ns}${x1}${x2}${d6}0000${x3}${x4}${x5}`
      : d6 === '3'
        ? `${ns}${x1}${x2}${x3}00000${x4}${x5}`
        : d6 === '4'
          ? `${ns}${x1}${x2}${x3}${x4}00000${x5}`
          : `${ns}${x1}${x2}${x3}${x4}${x5}0000${d6}`;
  const upcA = body + code.slice(7);
  if (!checkDigitHolds(upcA)) {
    return {
      ok: false,
      problem: 'bad_check_digit',
      message: `"${code}" read as UPC-E expands to ${body}…, whose check digit is ${gtinCheckDigit(body)}, not ${code.slice(7)}`,
    };
  }
  return { ok: true, upcA };
}

/**
 * The UPC-E form of a 12-digit UPC-A, or null when its zeros do not allow one (or its number system is
 * not 0/1). The rules' conditions (a company prefix ending in 0–2 then 0000; in 3–9 then 00000; a
 * non-zero fifth digit then 00000; a non-zero sixth digit, 0000 and an item digit 5–9) do not overlap, so
 * the form is unique and `expandUpcE(compressToUpcE(a))` gives `a` back.
 */
export function compressToUpcE(upcA: string): string | null {
  if (!/^[01][0-9]{11}$/.test(upcA) || !checkDigitHolds(upcA)) return null;
  const d = upcA;
  const at = (i: number): number => Number(d[i]);
  const check = d.slice(11);
  if (at(3) <= 2 && d.slice(4, 8) === '0000') return d.slice(0, 3) + d.slice(8, 11) + d[3] + check;
  if (at(3) >= 3 && d.slice(4, 9) === '00000') return d.slice(0, 4) + d.slice(9, 11) + '3' + check;
  if (at(4) !== 0 && d.slice(5, 10) === '00000') return d.slice(0, 5) + d[10] + '4' + check;
  if (at(5) !== 0 && d.slice(6, 10) === '0000' && at(10) >= 5) return d.slice(0, 6) + d[10] + check;
  return null;
}

// ---------------------------------------------------------------------------------------------------
// The GS1-correct reader

export type GtinSymbology = 'gtin-8' | 'upc-e' | 'upc-a' | 'ean-13' | 'gtin-14';

export interface GtinReading {
  readonly symbology: GtinSymbology;
  readonly gtin14: string;
}

export type GtinRead =
  | {
      ok: true;
      gtin14: string;
      symbology: GtinSymbology;
      /** The code as written, spaces and hyphens removed. */
      digits: string;
      /**
       * Other valid readings of the same digits: only an 8-digit code valid both as UPC-E and as GTIN-8
       * has one. The plan looks both up (see `matchability`).
       */
      alternatives: readonly GtinReading[];
    }
  | { ok: false; problem: GtinProblem; raw: string | null | undefined; message: string };

const PROBLEM_WORDS: Record<GtinProblem, string> = {
  missing: 'no barcode was sent',
  not_numeric: 'a barcode has digits only',
  bad_length: 'a barcode has 8, 12, 13 or 14 digits',
  bad_check_digit: 'its check digit is wrong (a mistyped or made-up code)',
};

/**
 * Reads a barcode the GS1 way. 12 digits are a UPC-A, 13 an EAN-13, 14 a GTIN-14. An 8-digit code is
 * ambiguous (UPC-E and GTIN-8 have the same length), and is read by this rule:
 *   1. number system 0 or 1 and the UPC-E expansion's check digit holds → UPC-E (canonical = its UPC-A);
 *      if the digits are also a valid GTIN-8, that reading is kept in `alternatives`;
 *   2. otherwise a valid GTIN-8 check digit → GTIN-8;
 *   3. otherwise the check digit is wrong (both readings were tried).
 * Why UPC-E first: a GTIN-8 starting with 0 is a restricted circulation number (company-internal, GS1
 * General Specifications §2.1.11–2.1.12), never a trade item a brand would send, while UPC-E is printed on
 * small North American items, the brands NuORDER serves. For number system 1 both readings can be real,
 * which is why the alternative is kept rather than dropped.
 */
export function readGtin(raw: string | null | undefined): GtinRead {
  const c = compact(raw);
  const fail = (problem: GtinProblem, detail?: string): GtinRead => ({
    ok: false,
    problem,
    raw,
    message: `${raw === null || raw === undefined ? 'no barcode' : JSON.stringify(raw)}: ${detail ?? PROBLEM_WORDS[problem]}`,
  });
  if (!c.ok) return fail(c.problem);
  const digits = c.digits;
  const gtin8 = checkDigitHolds(digits) ? { symbology: 'gtin-8' as const, gtin14: digits.padStart(14, '0') } : null;
  if (digits.length === 8) {
    const upcE = expandUpcE(digits);
    if (upcE.ok) {
      const gtin14 = upcE.upcA.padStart(14, '0');
      const alternatives = gtin8 !== null && gtin8.gtin14 !== gtin14 ? [gtin8] : [];
      return { ok: true, gtin14, symbology: 'upc-e', digits, alternatives };
    }
    if (gtin8 !== null) return { ok: true, ...gtin8, digits, alternatives: [] };
    const why =
      upcE.problem === 'not_upc_e'
        ? `its GTIN-8 check digit is wrong, and it is no UPC-E either (UPC-E exists only for number system 0 or 1; this starts with ${digits[0]})`
        : 'its check digit is wrong both as a UPC-E and as a GTIN-8 (a mistyped or made-up code)';
    return fail('bad_check_digit', why);
  }
  if (gtin8 === null) return fail('bad_check_digit');
  const symbology: GtinSymbology = digits.length === 12 ? 'upc-a' : digits.length === 13 ? 'ean-13' : 'gtin-14';
  return { ok: true, gtin14: digits.padStart(14, '0'), symbology, digits, alternatives: [] };
}

// ---------------------------------------------------------------------------------------------------
// GTIN-14 indicator digit

export type Packaging =
  | { kind: 'unit' }
  /** Indicator 1–8: a packaging level (inner pack, case) of the unit GTIN `unitGtin14`. */
  | { kind: 'pack'; indicator: number; unitGtin14: string }
  /** Indicator 9: a variable-measure trade item (its quantity or weight travels in another field). */
  | { kind: 'variable_measure' };

/**
 * What the indicator digit (the first of the 14) says. For 1–8 the unit's GTIN is the remaining twelve
 * digits behind a 0 with a fresh check digit: the usual way a brand numbers its cases. GS1 does not oblige
 * a brand to number cases that way, so the link is a presumption the plan confirms by finding the unit.
 */
export function packagingOf(gtin14: string): Packaging {
  if (!/^[0-9]{14}$/.test(gtin14)) throw new RangeError(`not a GTIN-14: ${JSON.stringify(gtin14)}`);
  const indicator = Number(gtin14[0]);
  if (indicator === 0) return { kind: 'unit' };
  if (indicator === 9) return { kind: 'variable_measure' };
  const body = '0' + gtin14.slice(1, 13);
  return { kind: 'pack', indicator, unitGtin14: body + String(gtinCheckDigit(body)) };
}

/** The GTIN-14 of packaging level `indicator` (1–8) of a unit GTIN-14: the inverse of `packagingOf`. */
export function caseGtinOf(unitGtin14: string, indicator: number): string {
  if (!/^0[0-9]{13}$/.test(unitGtin14)) throw new RangeError(`not a unit GTIN-14: ${JSON.stringify(unitGtin14)}`);
  if (!Number.isInteger(indicator) || indicator < 1 || indicator > 8) {
    throw new RangeError(`a packaging indicator is 1–8, got ${indicator}`);
  }
  const body = String(indicator) + unitGtin14.slice(1, 13);
  return body + String(gtinCheckDigit(body));
}
