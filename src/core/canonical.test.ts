import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { canonicalJson, hashCanonical, sha256Hex } from './canonical.ts';

// The form stored hashes were made with: a sorted copy, then JSON.stringify. canonicalJson must give the same text.
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value !== null && typeof value === 'object') {
    if (value instanceof Map) return sortedCopy(Object.fromEntries(value));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortedCopy(v);
    }
    return out;
  }
  return value;
}
const asBefore = (value: unknown): string => JSON.stringify(sortedCopy(value));

describe('canonicalJson', () => {
  it('gives the text the sorted-copy form gave, for the shapes plans and orders hold', () => {
    const values: unknown[] = [
      { b: 1, a: [3, 2, { z: null, y: 'é "quoted"\n' }], c: undefined },
      { '10': 'ten', '2': 'two', b: true, a: false, '01': 'lead zero', '-1': 'minus', '4294967295': 'big' },
      new Map<string, unknown>([
        ['z', 1],
        ['3', { m: new Map([['k', [undefined, () => 1, Symbol('s')]]]) }],
      ]),
      { when: new Date(0), n: [Number.NaN, Number.POSITIVE_INFINITY, -0, 1e21, 0.1 + 0.2, -5e-7] },
      [[], {}, [[[]]], '', 0, null],
      { fn: () => 1, sym: Symbol('x'), nested: { deeper: { list: [{ b: 2, a: 1 }] } } },
      'plain',
      42,
      null,
    ];
    for (const v of values) assert.equal(canonicalJson(v), asBefore(v));
  });

  it('is the same for the same meaning, whatever the key order', () => {
    assert.equal(canonicalJson({ a: 1, b: { c: 2, d: 3 } }), canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
    assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
  });

  it('refuses a BigInt as JSON.stringify does', () => {
    assert.throws(() => canonicalJson({ n: 1n }), TypeError);
  });

  it('hashes with sha256 in lower-case hex', () => {
    assert.equal(sha256Hex('abc'), createHash('sha256').update('abc', 'utf8').digest('hex'));
    assert.equal(hashCanonical({ b: 1, a: 2 }), sha256Hex('{"a":2,"b":1}'));
  });
});
