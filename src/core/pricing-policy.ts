/**
 * The retail-pricing policy of one POS connection, as the merchant sets it, and its validator. Plain
 * JSON-shaped types: the store keeps the policy as JSON text and the HTTP layer may add a zod schema in
 * front, but core imports nothing outside itself, so the rules that make a policy valid live here once and
 * every error names the field.
 *
 * Numbers in a policy are factors and percentages, never money. They are read through their decimal text
 * (at most 4 decimals for a factor, 2 for a percentage) so that pricing can use exact fractions.
 */
import type { Result } from './errors.ts';

export type PriceBasis =
  /** The brand's MSRP as sent. */
  | { kind: 'msrp' }
  /** Wholesale cost × factor (2.2 = "keystone plus"). */
  | { kind: 'markup'; factor: number }
  /** The price that leaves `percent` of it as margin: cost ÷ (1 − percent/100). */
  | { kind: 'margin'; percent: number };

/**
 * How the computed price is rounded, in the currency's minor unit:
 * `.99`, `.95`, `.00` round UP to the next price with that ending (rounding down would give away the
 * margin the basis asked for); `nearest_0.05` rounds to the nearest 0.05, half up (cash rounding); `none`
 * keeps the price, itself rounded up to the minor unit.
 */
export type PriceRounding = 'none' | '.99' | '.95' | '.00' | 'nearest_0.05';

export interface PriceRule {
  basis: PriceBasis;
  rounding: PriceRounding;
  /** Never below the brand's MSRP (MAP): a lower computed price is raised to it. */
  floorAtMsrp: boolean;
  /** A line whose margin ends below this percentage goes to review; null = no guard. */
  minMarginPercent: number | null;
}

export interface PricingPolicy {
  /** 1, 2, …: a saved change is a new version; a plan records the version that priced it. */
  version: number;
  /** The connection's rule. */
  rule: PriceRule;
  /** Per brand (`BrandRef.sourceId`): the fields that differ from `rule`. */
  brands: Record<string, Partial<PriceRule>>;
}

/** What new items got before pricing policies: the MSRP, unrounded, no guard. */
export const MSRP_AS_SENT: PriceRule = {
  basis: { kind: 'msrp' },
  rounding: 'none',
  floorAtMsrp: false,
  minMarginPercent: null,
};

/** The rule a brand's lines are priced with: the connection's rule with the brand's fields over it. */
export function ruleForBrand(policy: PricingPolicy, brandSourceId: string | null): PriceRule {
  const override = brandSourceId === null ? undefined : policy.brands[brandSourceId];
  return override === undefined ? policy.rule : { ...policy.rule, ...override };
}

// ---------------------------------------------------------------------------------------------------
// Validation

export interface PolicyProblem {
  /** Dotted path of the field: `rule.basis.factor`, `brands.acme.rounding`. */
  readonly path: string;
  readonly message: string;
}

const ROUNDINGS: readonly PriceRounding[] = ['none', '.99', '.95', '.00', 'nearest_0.05'];
const RULE_FIELDS = ['basis', 'rounding', 'floorAtMsrp', 'minMarginPercent'] as const;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const shown = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** Digits after the decimal point of a finite number's shortest text, or null when it is not plain decimal text. */
function decimals(n: number): number | null {
  const text = String(n);
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  return text.split('.')[1]?.length ?? 0;
}

/**
 * Checks an unknown value (parsed JSON) as a pricing policy. Every problem is reported, each naming its
 * field, so a settings form can mark them all at once. Unknown fields are refused: a misspelt
 * `floorAtMsrp` silently ignored would price below the MSRP.
 */
export function parsePricingPolicy(input: unknown): Result<PricingPolicy, PolicyProblem[]> {
  const problems: PolicyProblem[] = [];
  const add = (path: string, message: string): void => void problems.push({ path, message });
  if (!isObject(input)) return { ok: false, error: [{ path: '', message: 'a pricing policy is an object' }] };
  unknownFields(input, ['version', 'rule', 'brands'], '', add);
  if (!Number.isSafeInteger(input.version) || (input.version as number) < 1) {
    add('version', `must be a whole number from 1, got ${shown(input.version)}`);
  }
  const rule = readRule(input.rule, 'rule', false, add);
  const brands: Record<string, Partial<PriceRule>> = {};
  if (input.brands !== undefined) {
    if (!isObject(input.brands)) add('brands', 'must be an object keyed by brand id');
    else {
      for (const [brandId, value] of Object.entries(input.brands)) {
        if (brandId.trim() === '') add('brands', 'a brand id is empty');
        const partial = readRule(value, `brands.${brandId}`, true, add);
        if (partial !== null) brands[brandId] = partial;
      }
    }
  }
  if (problems.length > 0 || rule === null) return { ok: false, error: problems };
  return { ok: true, value: { version: input.version as number, rule: rule as PriceRule, brands } };
}

function unknownFields(o: Obj, known: readonly string[], at: string, add: (p: string, m: string) => void): void {
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) add(join(at, key), `is not a field here; expected ${known.join(', ')}`);
  }
}

const join = (at: string, key: string): string => (at === '' ? key : `${at}.${key}`);

/** A full rule, or (partial) only the fields present. Null when the value is not an object at all. */
function readRule(
  value: unknown,
  at: string,
  partial: boolean,
  add: (p: string, m: string) => void,
): Partial<PriceRule> | null {
  if (!isObject(value)) {
    add(at, `must be an object with ${RULE_FIELDS.join(', ')}, got ${shown(value)}`);
    return null;
  }
  unknownFields(value, RULE_FIELDS, at, add);
  const out: Partial<PriceRule> = {};
  const present = (key: (typeof RULE_FIELDS)[number]): boolean => {
    if (value[key] !== undefined) return true;
    if (!partial) add(join(at, key), 'is required');
    return false;
  };
  if (present('basis')) {
    const basis = readBasis(value.basis, join(at, 'basis'), add);
    if (basis !== null) out.basis = basis;
  }
  if (present('rounding')) {
    if (ROUNDINGS.includes(value.rounding as PriceRounding)) out.rounding = value.rounding as PriceRounding;
    else add(join(at, 'rounding'), `must be one of ${ROUNDINGS.join(', ')}, got ${shown(value.rounding)}`);
  }
  if (present('floorAtMsrp')) {
    if (typeof value.floorAtMsrp === 'boolean') out.floorAtMsrp = value.floorAtMsrp;
    else add(join(at, 'floorAtMsrp'), `must be true or false, got ${shown(value.floorAtMsrp)}`);
  }
  if (present('minMarginPercent')) {
    const v = value.minMarginPercent;
    if (v === null) out.minMarginPercent = null;
    else if (isPercent(v)) out.minMarginPercent = v;
    else add(join(at, 'minMarginPercent'), `must be null or a percentage from 0 to 99.99, got ${shown(v)}`);
  }
  return out;
}

/** 0 ≤ n < 100 with at most 2 decimals. */
function isPercent(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n < 100 && (decimals(n) ?? 99) <= 2;
}

function readBasis(value: unknown, at: string, add: (p: string, m: string) => void): PriceBasis | null {
  if (!isObject(value)) {
    add(at, `must be {"kind":"msrp"}, {"kind":"markup","factor":…} or {"kind":"margin","percent":…}`);
    return null;
  }
  switch (value.kind) {
    case 'msrp':
      unknownFields(value, ['kind'], at, add);
      return { kind: 'msrp' };
    case 'markup': {
      unknownFields(value, ['kind', 'factor'], at, add);
      const f = value.factor;
      const ok = typeof f === 'number' && Number.isFinite(f) && f >= 1 && f <= 100 && (decimals(f) ?? 99) <= 4;
      if (ok) return { kind: 'markup', factor: f };
      add(join(at, 'factor'), `must be a number from 1 to 100 with at most 4 decimals, got ${shown(f)}`);
      return null;
    }
    case 'margin': {
      unknownFields(value, ['kind', 'percent'], at, add);
      if (isPercent(value.percent)) return { kind: 'margin', percent: value.percent };
      add(join(at, 'percent'), `must be a percentage from 0 to 99.99 (100% has no price), got ${shown(value.percent)}`);
      return null;
    }
    default:
      add(join(at, 'kind'), `must be msrp, markup or margin, got ${shown(value.kind)}`);
      return null;
  }
}

/** A validated factor or percentage as an exact fraction: 2.2 → 22/10. */
export function exactDecimal(n: number): { num: bigint; den: bigint } {
  const places = decimals(n);
  if (places === null) throw new RangeError(`not a plain decimal: ${n}`);
  const den = 10n ** BigInt(places);
  return { num: BigInt(String(n).replace('.', '')), den };
}
