/**
 * GTIN codes (GTIN-8, UPC-A 12, EAN-13, GTIN-14) in one canonical form: 14 digits, left-padded with
 * zeros. Comparing canonical forms is how a brand's UPC-A `012345678905` finds the POS item stored
 * with EAN-13 `0012345678905`.
 *
 * Not handled on purpose: UPC-E (8-digit zero-suppressed UPC) is read as a GTIN-8, not expanded;
 * brands send UPC-A in practice, and an expansion guess could match the wrong item.
 */

export type GtinProblem = 'missing' | 'not_numeric' | 'bad_length' | 'bad_check_digit';

export type GtinResult =
  { ok: true; gtin14: string } | { ok: false; problem: GtinProblem; raw: string | null | undefined };

/** Placeholders vendors put where a UPC is absent (NuORDER accepts "N/A"). They mean "no UPC", not "bad UPC". */
const PLACEHOLDERS = new Set(['', 'n/a', 'na', 'none', 'null', '-', '0']);

const ACCEPTED_LENGTHS = new Set([8, 12, 13, 14]);

/**
 * Canonicalises a barcode to GTIN-14. Spaces and hyphens are stripped. An all-zero code is treated as
 * missing (it is a placeholder, and matching it would link unrelated items).
 */
export function parseGtin(raw: string | null | undefined): GtinResult {
  if (raw === null || raw === undefined) return { ok: false, problem: 'missing', raw };
  const compact = raw.replace(/[\s-]+/g, '');
  if (PLACEHOLDERS.has(compact.toLowerCase())) return { ok: false, problem: 'missing', raw };
  if (!/^[0-9]+$/.test(compact)) return { ok: false, problem: 'not_numeric', raw };
  if (/^0+$/.test(compact)) return { ok: false, problem: 'missing', raw };
  if (!ACCEPTED_LENGTHS.has(compact.length)) return { ok: false, problem: 'bad_length', raw };
  const body = compact.slice(0, -1);
  const check = Number(compact.slice(-1));
  if (gtinCheckDigit(body) !== check) return { ok: false, problem: 'bad_check_digit', raw };
  return { ok: true, gtin14: compact.padStart(14, '0') };
}

/**
 * The GS1 mod-10 check digit for a code body (the code without its last digit): weights 3,1,3,…
 * from the right. Leading zeros do not change it, which is why padding is safe.
 * Throws on a non-digit body: that is a caller bug, not data.
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
 * present; the 14-digit form is always present.
 */
export function gtinForms(gtin14: string): { gtin14: string; ean13?: string; upcA?: string; gtin8?: string } {
  const forms: { gtin14: string; ean13?: string; upcA?: string; gtin8?: string } = { gtin14 };
  if (gtin14.startsWith('0')) forms.ean13 = gtin14.slice(1);
  if (gtin14.startsWith('00')) forms.upcA = gtin14.slice(2);
  if (gtin14.startsWith('000000')) forms.gtin8 = gtin14.slice(6);
  return forms;
}
