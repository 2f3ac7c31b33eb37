import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addMoney,
  currencyExponent,
  formatMoney,
  money,
  multiplyMoney,
  parseMoney,
  sumMoney,
  toDecimalString,
} from './money.ts';
import type { Money } from './money.ts';

function parsed(value: number | string, currency = 'USD'): Money {
  const result = parseMoney(value, currency);
  assert.ok(result.ok, `expected ${value} to parse: ${result.ok ? '' : result.error.message}`);
  return result.value;
}

function problem(value: number | string, currency = 'USD'): string {
  const result = parseMoney(value, currency);
  assert.ok(!result.ok, `expected ${value} to be refused`);
  assert.ok(result.error.message.length > 0);
  return result.error.problem;
}

describe('parseMoney', () => {
  it('reads vendor shapes exactly', () => {
    assert.deepEqual(parsed(28), { minor: 2800, currency: 'USD' });
    assert.deepEqual(parsed(28.5), { minor: 2850, currency: 'USD' });
    assert.deepEqual(parsed('28.00'), { minor: 2800, currency: 'USD' });
    assert.deepEqual(parsed('$1,234.50'), { minor: 123450, currency: 'USD' });
    assert.deepEqual(parsed('1234.5'), { minor: 123450, currency: 'USD' });
    assert.deepEqual(parsed('USD 1,234.50'), { minor: 123450, currency: 'USD' });
    assert.deepEqual(parsed('1234.5 usd', 'usd'), { minor: 123450, currency: 'USD' });
    assert.deepEqual(parsed('-$5.00'), { minor: -500, currency: 'USD' });
    assert.deepEqual(parsed('.5'), { minor: 50, currency: 'USD' });
    assert.deepEqual(parsed('100.00000'), { minor: 10000, currency: 'USD' }); // X-Series decimal strings
    assert.deepEqual(parsed(19.99), { minor: 1999, currency: 'USD' });
  });

  it('uses the currency exponent', () => {
    assert.equal(currencyExponent('JPY'), 0);
    assert.equal(currencyExponent('KWD'), 3);
    assert.equal(currencyExponent('EUR'), 2);
    assert.deepEqual(parsed('1500', 'JPY'), { minor: 1500, currency: 'JPY' });
    assert.deepEqual(parsed('¥1,500', 'JPY'), { minor: 1500, currency: 'JPY' });
    assert.deepEqual(parsed('1.250', 'KWD'), { minor: 1250, currency: 'KWD' });
    assert.deepEqual(parsed(1e-7 * 1e7, 'USD'), { minor: 100, currency: 'USD' });
  });

  it('refuses garbage with a named problem', () => {
    assert.equal(problem(''), 'empty');
    assert.equal(problem('abc'), 'not_numeric');
    assert.equal(problem('12abc'), 'not_numeric');
    assert.equal(problem('1.234,50'), 'not_numeric');
    assert.equal(problem('1,23'), 'not_numeric');
    assert.equal(problem('1e5'), 'not_numeric');
    assert.equal(problem(Number.NaN), 'not_numeric');
    assert.equal(problem(Number.POSITIVE_INFINITY), 'not_numeric');
    assert.equal(problem('28.00', 'US'), 'bad_currency');
    assert.equal(problem('EUR 28.00'), 'currency_mismatch');
    assert.equal(problem('12.345'), 'too_precise');
    assert.equal(problem('1.5', 'JPY'), 'too_precise');
    assert.equal(problem(0.1 + 0.2), 'too_precise'); // 0.30000000000000004 is not a price
    assert.equal(problem('99999999999999999999'), 'out_of_range');
  });

  it('rounds half away from zero only when asked', () => {
    assert.deepEqual(parseMoney('12.345', 'USD', { rounding: 'half_up' }), {
      ok: true,
      value: { minor: 1235, currency: 'USD' },
    });
    assert.deepEqual(parseMoney('-12.344', 'USD', { rounding: 'half_up' }), {
      ok: true,
      value: { minor: -1234, currency: 'USD' },
    });
    assert.deepEqual(parseMoney(1e-7, 'USD', { rounding: 'half_up' }), {
      ok: true,
      value: { minor: 0, currency: 'USD' },
    });
  });
});

describe('formatting and arithmetic', () => {
  it('formats for APIs and people', () => {
    assert.equal(toDecimalString(money(2800, 'USD')), '28.00');
    assert.equal(toDecimalString(money(-5, 'USD')), '-0.05');
    assert.equal(toDecimalString(money(1500, 'JPY')), '1500');
    assert.equal(toDecimalString(money(1250, 'KWD')), '1.250');
    assert.equal(formatMoney(money(123450, 'USD')), 'USD 1,234.50');
    assert.equal(formatMoney(money(-1234567, 'JPY')), 'JPY -1,234,567');
  });

  it('adds and multiplies in one currency, and throws on a mix', () => {
    assert.deepEqual(addMoney(money(2800, 'USD'), money(50, 'USD')), money(2850, 'USD'));
    assert.deepEqual(multiplyMoney(money(2800, 'USD'), 3), money(8400, 'USD'));
    assert.deepEqual(sumMoney([], 'EUR'), money(0, 'EUR'));
    assert.throws(() => addMoney(money(1, 'USD'), money(1, 'EUR')), /cannot combine/);
    assert.throws(() => multiplyMoney(money(1, 'USD'), 1.5), /integer/);
    assert.throws(() => multiplyMoney(money(Number.MAX_SAFE_INTEGER, 'USD'), 2), /out of range/);
  });

  const currency = fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'GBP', 'CLF');
  const amount = fc
    .record({ minor: fc.integer({ min: -1e13, max: 1e13 }), currency })
    .map((m) => money(m.minor, m.currency));

  it('property: parse(format(x)) == x and parse(toDecimalString(x)) == x', () => {
    fc.assert(
      fc.property(amount, (m) => {
        assert.deepEqual(parseMoney(formatMoney(m), m.currency), { ok: true, value: m });
        assert.deepEqual(parseMoney(toDecimalString(m), m.currency), { ok: true, value: m });
      }),
    );
  });

  it('property: a float built from the decimal text parses to the same amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), (minor) => {
        const m = money(minor, 'USD');
        assert.deepEqual(parseMoney(Number(toDecimalString(m)), 'USD'), { ok: true, value: m });
      }),
    );
  });

  it('property: addition matches integer addition', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: -1e12, max: 1e12 }), (a, b) => {
        assert.equal(addMoney(money(a, 'USD'), money(b, 'USD')).minor, a + b);
      }),
    );
  });
});
