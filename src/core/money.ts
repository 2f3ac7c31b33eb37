/**
 * Money as integer minor units plus an ISO 4217 currency. Amounts are parsed from their decimal text,
 * never by multiplying floats, so "28.10" is exactly 2810 cents.
 */
import { AppError } from './errors.ts';
import type { Result } from './errors.ts';

export interface Money {
  /** Amount in the currency's minor unit (cents for USD, yen for JPY, fils for KWD). A safe integer. */
  readonly minor: number;
  /** ISO 4217 code, upper case. */
  readonly currency: string;
}

const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Digits after the decimal point for a currency: JPY 0, KWD 3, most others 2. */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

export type MoneyProblem =
  'empty' | 'not_numeric' | 'bad_currency' | 'currency_mismatch' | 'too_precise' | 'out_of_range';

/** Why a value was refused; `message` is safe to show to a user. */
export interface MoneyError {
  readonly problem: MoneyProblem;
  readonly raw: number | string;
  readonly currency: string;
  readonly message: string;
}

export interface ParseMoneyOptions {
  /**
   * What to do with more decimals than the currency has ("12.345" USD). `reject` (default) refuses
   * the value; `half_up` rounds half away from zero. Trailing zeros ("100.00000", as X-Series sends)
   * are never a problem.
   */
  rounding?: 'reject' | 'half_up';
}

const SYMBOLS = /^[$€£¥₩₹]|^(?:US|CA|AU|NZ|HK|S)\$/;

/**
 * Reads the money shapes vendors send: 28, 28.5, "28.00", "$1,234.50", "USD 1234.5", "1234.5 USD",
 * "-5.00". Thousands separators are accepted only in groups of three, so the European "1.234,50"
 * (ambiguous here) is refused rather than misread.
 */
export function parseMoney(
  value: number | string,
  currency: string,
  options: ParseMoneyOptions = {},
): Result<Money, MoneyError> {
  const code = currency.trim().toUpperCase();
  const fail = (problem: MoneyProblem, message: string): Result<Money, MoneyError> => ({
    ok: false,
    error: { problem, raw: value, currency, message },
  });
  if (!/^[A-Z]{3}$/.test(code)) return fail('bad_currency', `"${currency}" is not an ISO 4217 currency code`);

  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return fail('not_numeric', `${value} is not an amount`);
    text = String(value); // shortest round-trip text: 28.1 -> "28.1", maybe "1e-7"
  } else {
    text = value.trim();
    if (text === '') return fail('empty', 'the amount is empty');
    const leading = /^([A-Z]{3})\s*(.*)$/.exec(text) ?? /^([A-Za-z]{3})\s+(.*)$/.exec(text);
    const trailing =
      leading === null ? (/^(.*?)\s*([A-Z]{3})$/.exec(text) ?? /^(.*?)\s+([A-Za-z]{3})$/.exec(text)) : null;
    const found = leading?.[1] ?? trailing?.[2];
    if (found !== undefined) {
      const rest = (leading?.[2] ?? trailing?.[1] ?? '').trim();
      if (!/\d/.test(rest)) return fail('not_numeric', `"${value}" is not an amount`);
      if (found.toUpperCase() !== code)
        return fail('currency_mismatch', `"${value}" is in ${found.toUpperCase()}, expected ${code}`);
      text = rest;
    }
    let negative = false;
    if (text.startsWith('-')) {
      negative = true;
      text = text.slice(1).trim();
    }
    text = text.replace(SYMBOLS, '').trim();
    if (text.startsWith('-')) {
      negative = !negative;
      text = text.slice(1).trim();
    }
    if (text.includes(',')) {
      if (!/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(text)) {
        return fail('not_numeric', `"${value}" has separators that do not read as thousands groups`);
      }
      text = text.replace(/,/g, '');
    }
    if (/[eE]/.test(text)) return fail('not_numeric', `"${value}" is not a plain decimal amount`);
    text = (negative ? '-' : '') + text;
  }

  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (match === null || ((match[2] ?? '') === '' && (match[3] ?? '') === '')) {
    return fail('not_numeric', `"${value}" is not an amount`);
  }
  const negative = match[1] === '-';
  let intDigits = match[2] ?? '';
  let fracDigits = match[3] ?? '';
  const exp = Number(match[4] ?? '0');
  if (Math.abs(exp) > 40) return fail('out_of_range', `${value} is out of range`);
  // shift the decimal point by the exponent, on the digit text
  if (exp > 0) {
    const moved = fracDigits.padEnd(exp, '0');
    intDigits += moved.slice(0, exp);
    fracDigits = moved.slice(exp);
  } else if (exp < 0) {
    const padded = intDigits.padStart(-exp, '0');
    fracDigits = padded.slice(padded.length + exp) + fracDigits;
    intDigits = padded.slice(0, padded.length + exp);
  }

  const exponent = currencyExponent(code);
  const kept = fracDigits.slice(0, exponent).padEnd(exponent, '0');
  const dropped = fracDigits.slice(exponent);
  let roundUp = false;
  if (/[1-9]/.test(dropped)) {
    if ((options.rounding ?? 'reject') === 'reject') {
      return fail(
        'too_precise',
        `${value} has more than ${exponent} decimal place${exponent === 1 ? '' : 's'} for ${code}`,
      );
    }
    roundUp = Number(dropped[0]) >= 5;
  }
  let minorBig = BigInt((intDigits === '' ? '0' : intDigits) + kept);
  if (roundUp) minorBig += 1n;
  if (minorBig > BigInt(Number.MAX_SAFE_INTEGER)) return fail('out_of_range', `${value} is out of range`);
  const minor = Number(minorBig);
  return { ok: true, value: { minor: negative && minor !== 0 ? -minor : minor, currency: code } };
}

/** Money from minor units; throws on a non-integer or unsafe amount (a caller bug). */
export function money(minor: number, currency: string): Money {
  const code = currency.toUpperCase();
  if (!Number.isSafeInteger(minor))
    throw new AppError('MONEY_INVALID', `minor units must be a safe integer, got ${minor}`);
  if (!/^[A-Z]{3}$/.test(code)) throw new AppError('MONEY_INVALID', `bad currency code ${currency}`);
  return { minor: minor === 0 ? 0 : minor, currency: code };
}

export const zeroMoney = (currency: string): Money => money(0, currency);

/** The plain decimal text APIs want: "28.00", "-5.50", "1500" (JPY), "1.250" (KWD). No grouping, no symbol. */
export function toDecimalString(m: Money): string {
  const exponent = currencyExponent(m.currency);
  const abs = Math.abs(m.minor)
    .toString()
    .padStart(exponent + 1, '0');
  const sign = m.minor < 0 ? '-' : '';
  if (exponent === 0) return sign + abs;
  return `${sign}${abs.slice(0, -exponent)}.${abs.slice(-exponent)}`;
}

/** For people and logs: "USD 1,234.50", "JPY -1,500". parseMoney reads it back exactly. */
export function formatMoney(m: Money): string {
  const decimal = toDecimalString(m);
  const sign = decimal.startsWith('-') ? '-' : '';
  const [intPart = '0', frac] = decimal.replace('-', '').split('.');
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${m.currency} ${sign}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new AppError('MONEY_CURRENCY_MISMATCH', `cannot combine ${a.currency} and ${b.currency}`, {
      details: { a, b },
    });
  }
}

function checked(minor: number, currency: string): Money {
  if (!Number.isSafeInteger(minor)) throw new AppError('MONEY_OVERFLOW', `amount out of range in ${currency}`);
  return { minor: minor === 0 ? 0 : minor, currency };
}

/** Sum of two amounts in one currency. Mixing currencies is a bug, so it throws MONEY_CURRENCY_MISMATCH. */
export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return checked(a.minor + b.minor, a.currency);
}

/** Sum of many amounts; zero in `currency` for an empty list. */
export function sumMoney(items: readonly Money[], currency: string): Money {
  return items.reduce(addMoney, zeroMoney(currency));
}

/** Unit cost × quantity. Quantities are whole units; a fractional quantity is a bug and throws. */
export function multiplyMoney(m: Money, qty: number): Money {
  if (!Number.isSafeInteger(qty)) throw new AppError('MONEY_INVALID', `quantity must be an integer, got ${qty}`);
  return checked(m.minor * qty, m.currency);
}

export function equalsMoney(a: Money | null, b: Money | null): boolean {
  if (a === null || b === null) return a === b;
  return a.minor === b.minor && a.currency === b.currency;
}
