/**
 * The retail price a new item gets, by the connection's pricing policy, with the rule that produced it in
 * plain words ("cost × 2.2, rounded up to .99, raised to the MSRP floor") for the review.
 *
 * Exact arithmetic: costs are integer minor units and factors are exact fractions (pricing-policy
 * `exactDecimal`), so cost × 2.2 is computed as cost × 22 / 10 in integers. The order of steps is fixed and
 * stated: basis → rounded up to the minor unit → price ending → MSRP floor → margin guard. The floor comes
 * after the ending because the brand's MSRP/MAP is the contract: it is used as sent, never re-rounded.
 */
import { AppError } from './errors.ts';
import { currencyExponent, formatMoney, money } from './money.ts';
import type { Money } from './money.ts';
import { exactDecimal, ruleForBrand } from './pricing-policy.ts';
import type { PriceRounding, PriceRule, PricingPolicy } from './pricing-policy.ts';

export type PriceReviewCode =
  /** The rule prices from the MSRP and the brand sent none. */
  | 'NO_MSRP'
  /** The rule marks up a cost and the line has none (zero or negative). */
  | 'NO_COST'
  /** The price leaves less margin than the policy's minimum. */
  | 'BELOW_MIN_MARGIN';

export interface PriceInput {
  /** Wholesale unit cost. */
  cost: Money;
  /** The brand's MSRP, null when it sent none. */
  msrp: Money | null;
  /** The currency the POS keeps; cost and MSRP must be in it (a mismatch is a caller bug and throws). */
  currency: string;
  /** The brand whose override applies (`BrandRef.sourceId`). */
  brandSourceId?: string | null;
}

export interface RetailPrice {
  /** The price to write; null only when the rule had nothing to price from (then `needsReview` says why). */
  price: Money | null;
  /** How the price was made, in plain words. */
  rule: string;
  /** Margin of `price` over cost in tenths of a percent (562 = 56.2%), truncated; null without a price. */
  marginPermille: number | null;
  /** Set when a person should look at the line before anything is created. */
  needsReview?: { code: PriceReviewCode; message: string };
  policyVersion: number;
}

/** Prices one line by the policy (the brand's override over the connection's rule). */
export function retailPrice(policy: PricingPolicy, input: PriceInput): RetailPrice {
  return { ...priceWithRule(ruleForBrand(policy, input.brandSourceId ?? null), input), policyVersion: policy.version };
}

/** The same, with a rule already chosen. */
export function priceWithRule(rule: PriceRule, input: PriceInput): Omit<RetailPrice, 'policyVersion'> {
  const { cost, msrp, currency } = input;
  for (const m of [cost, msrp]) {
    if (m !== null && m.currency !== currency.toUpperCase()) {
      throw new AppError('MONEY_CURRENCY_MISMATCH', `cannot price ${m.currency} in ${currency}`, { details: input });
    }
  }
  const base = basePrice(rule, cost, msrp);
  if (base.minor === null) {
    return { price: null, rule: base.words, marginPermille: null, needsReview: base.review };
  }
  const words = [base.words];
  const rounded = applyRounding(base.minor, rule.rounding, currency);
  if (rounded.words !== null) words.push(rounded.words);
  let minor = rounded.minor;
  if (rule.floorAtMsrp) {
    if (msrp === null) words.push('no MSRP to floor at');
    else if (minor < msrp.minor) {
      minor = msrp.minor;
      words.push('raised to the MSRP floor');
    }
  }
  const price = money(minor, currency);
  const marginPermille = minor > 0 ? Number((BigInt(minor - cost.minor) * 1000n) / BigInt(minor)) : null;
  const result: Omit<RetailPrice, 'policyVersion'> = { price, rule: words.join(', '), marginPermille };
  if (rule.minMarginPercent !== null && belowMargin(minor, cost.minor, rule.minMarginPercent)) {
    const shownMargin = marginPermille === null ? 'no margin' : `a margin of ${(marginPermille / 10).toFixed(1)}%`;
    result.needsReview = {
      code: 'BELOW_MIN_MARGIN',
      message: `${formatMoney(price)} on a cost of ${formatMoney(cost)} leaves ${shownMargin}, below the ${rule.minMarginPercent}% minimum`,
    };
  }
  return result;
}

/**
 * The margin guard, exact: (price − cost) / price < min% ⇔ (price − cost) × 100·den < num × price, with
 * min = num/den. A price of zero or less has no margin and is always below.
 */
export function belowMargin(priceMinor: number, costMinor: number, minMarginPercent: number): boolean {
  if (priceMinor <= 0) return true;
  const min = exactDecimal(minMarginPercent);
  return BigInt(priceMinor - costMinor) * 100n * min.den < min.num * BigInt(priceMinor);
}

type Base =
  { minor: number; words: string } | { minor: null; words: string; review: { code: PriceReviewCode; message: string } };

function basePrice(rule: PriceRule, cost: Money, msrp: Money | null): Base {
  const basis = rule.basis;
  if (basis.kind === 'msrp') {
    if (msrp !== null) return { minor: msrp.minor, words: 'MSRP as sent' };
    return { minor: null, words: 'MSRP as sent', review: { code: 'NO_MSRP', message: 'the brand sent no MSRP' } };
  }
  const words = basis.kind === 'markup' ? `cost × ${basis.factor}` : `cost at a ${basis.percent}% margin`;
  if (cost.minor <= 0) {
    return {
      minor: null,
      words,
      review: { code: 'NO_COST', message: `the line has no cost to price from (${formatMoney(cost)})` },
    };
  }
  // price = cost × num / den, rounded up to the minor unit so a margin basis is never undershot
  let num: bigint;
  let den: bigint;
  if (basis.kind === 'markup') ({ num, den } = exactDecimal(basis.factor));
  else {
    const p = exactDecimal(basis.percent); // cost ÷ (1 − p/100) = cost × 100·den / (100·den − num)
    num = 100n * p.den;
    den = 100n * p.den - p.num;
  }
  const exact = BigInt(cost.minor) * num;
  const minor = exact / den + (exact % den === 0n ? 0n : 1n);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new AppError('MONEY_OVERFLOW', `price out of range: ${words}`);
  return { minor: Number(minor), words };
}

/** Minor units per major unit, and the minor amount of a given number of hundredths of the major unit. */
function hundredths(currency: string): ((h: number) => number) | null {
  const exponent = currencyExponent(currency);
  if (exponent < 2) return null;
  const perHundredth = 10 ** (exponent - 2);
  return (h) => h * perHundredth;
}

/**
 * Rounds a price (minor units, ≥ 0) by the policy's rounding, and says how. Endings round up: the result
 * is the smallest price at or above `minor` that ends in .99/.95/.00. `nearest_0.05` rounds half up to a
 * multiple of 0.05. A price that already has the ending is returned unchanged (idempotent). Currencies
 * without cents (JPY) have no .99/.95/0.05: the price is kept and the words say so.
 */
export function applyRounding(
  minor: number,
  rounding: PriceRounding,
  currency: string,
): { minor: number; words: string | null } {
  if (!Number.isSafeInteger(minor) || minor < 0)
    throw new RangeError(`a price to round is ≥ 0 minor units, got ${minor}`);
  if (rounding === 'none') return { minor, words: null };
  const unit = 10 ** currencyExponent(currency);
  if (rounding === '.00') return { minor: roundUpTo(minor, unit, 0), words: 'rounded up to .00' };
  const h = hundredths(currency);
  if (h === null)
    return { minor, words: `no ${rounding.replace('nearest_', '')} rounding in ${currency} (it has no cents)` };
  if (rounding === 'nearest_0.05') {
    const step = h(5);
    const q = Math.floor(minor / step);
    const r = minor - q * step;
    return { minor: (2 * r >= step ? q + 1 : q) * step, words: 'rounded to the nearest 0.05' };
  }
  const ending = h(rounding === '.99' ? 99 : 95);
  return { minor: roundUpTo(minor, unit, ending), words: `rounded up to ${rounding}` };
}

/** The smallest p ≥ minor with p mod unit = ending. */
function roundUpTo(minor: number, unit: number, ending: number): number {
  const candidate = Math.floor(minor / unit) * unit + ending;
  return candidate >= minor ? candidate : candidate + unit;
}

// ---------------------------------------------------------------------------------------------------
// Dry run

export interface PricePreviewLine {
  /** The caller's key for the line (an order line key, a variant key). */
  key: string;
  input: PriceInput;
  /** What the item has or would get without the policy (the MSRP so far, or the POS price of a matched item). */
  current: Money | null;
}

export interface PriceChange {
  key: string;
  current: Money | null;
  next: RetailPrice;
}

/**
 * A dry run: the lines whose price the policy would change, or that it sends to review. Lines it leaves
 * as they are do not appear, so an empty list means "nothing changes".
 */
export function previewPrices(policy: PricingPolicy, lines: readonly PricePreviewLine[]): PriceChange[] {
  const changes: PriceChange[] = [];
  for (const line of lines) {
    const next = retailPrice(policy, line.input);
    const same =
      next.price !== null &&
      line.current !== null &&
      next.price.minor === line.current.minor &&
      next.price.currency === line.current.currency;
    if (!same || next.needsReview !== undefined) changes.push({ key: line.key, current: line.current, next });
  }
  return changes;
}
