import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { gtinCheckDigit } from './gtin.ts';
import {
  acceptOver,
  scan,
  sessionResult,
  setCount,
  startSession,
  undoLast,
  type ExpectedItem,
  type ReceivingSession,
} from './receiving.ts';
import { upcA } from './testing.ts';

const tee = upcA('84427708245');
const cap = upcA('04210000526');
const items: ExpectedItem[] = [
  { key: 'item-1', label: 'Tee Navy M', codes: [tee, 'TL-TEE-M'], expected: 2 },
  { key: 'item-2', label: 'Cap Red OS', codes: [cap], expected: 1, alreadyReceived: 1 },
];

const run = (session: ReceivingSession, codes: string[]): ReceivingSession =>
  codes.reduce((s, code) => scan(s, code).session, session);

describe('a receiving session', () => {
  it('matches any GTIN form and a typed SKU; flags one too many and an unknown code without adding them', () => {
    let s = startSession(items);
    const steps = [tee, `0${tee}`, `00${tee}`, 'tl-tee-m', cap, '0000000000000', 'NOPE-1'];
    const outcomes = steps.map((code) => {
      const r = scan(s, code);
      s = r.session;
      return r.outcome.kind;
    });
    assert.deepEqual(outcomes, ['matched', 'matched', 'over', 'over', 'matched', 'unknown', 'unknown']);
    const result = sessionResult(s);
    assert.deepEqual(
      result.lines.map((l) => [l.key, l.received, l.remaining]),
      [
        ['item-1', 2, 0],
        ['item-2', 1, 0],
      ],
    );
    assert.deepEqual(result.toCommit, [
      { key: 'item-1', quantity: 2, total: 2 },
      { key: 'item-2', quantity: 1, total: 2 },
    ]);
    assert.equal(result.flags.length, 4);
    assert.equal(result.complete, true);
  });

  it('says why an unknown code is not a product: store-internal and coupon codes, bad check digits', () => {
    const s = startSession(items);
    const internal = scan(s, '2123456789012'.slice(0, 12) + String(gtinCheckDigit('212345678901'))).outcome;
    assert.equal(internal.kind, 'unknown');
    assert.match(internal.kind === 'unknown' ? internal.message : '', /restricted|internal/i);
    const typo = scan(s, tee.slice(0, 11) + String((Number(tee[11]) + 1) % 10)).outcome;
    assert.equal(typo.kind, 'unknown');
    assert.match(typo.kind === 'unknown' ? typo.message : '', /check digit/);
  });

  it('a person accepts extra units (counted and flagged); typed counts past the expected are refused', () => {
    let s = run(startSession(items), [tee, tee]);
    const over = setCount(s, 'item-1', 5);
    assert.equal(over.outcome.kind, 'over');
    s = acceptOver(over.session, 'item-1', 1);
    const r = sessionResult(s);
    assert.deepEqual(
      r.lines.map((l) => [l.key, l.received, l.over]),
      [
        ['item-1', 3, 1],
        ['item-2', 0, 0],
      ],
    );
    assert.equal(r.complete, false, 'item-2 is still open');
    assert.deepEqual(r.toCommit, [{ key: 'item-1', quantity: 3, total: 3 }]);
  });

  it('partial receipts leave the rest open; undo reverts the last change', () => {
    let s = run(startSession(items), [tee]);
    assert.equal(sessionResult(s).lines[0]?.remaining, 1);
    s = undoLast(s);
    assert.equal(sessionResult(s).lines[0]?.received, 0);
    assert.deepEqual(sessionResult(s).toCommit, []);
  });

  it('a code shared by two lines is ambiguous, and items with one key merge', () => {
    const s = startSession([
      { key: 'a', label: 'A', codes: ['SHARED'], expected: 1 },
      { key: 'b', label: 'B', codes: ['shared'], expected: 1 },
      { key: 'a', label: 'A', codes: [tee], expected: 2 },
    ]);
    assert.equal(s.items.length, 2);
    assert.equal(s.items[0]?.expected, 3);
    assert.equal(scan(s, 'Shared').outcome.kind, 'ambiguous');
    assert.equal(scan(s, tee).outcome.kind, 'matched');
  });
});

describe('receiving properties', () => {
  const itemArb = fc.uniqueArray(
    fc.record({ body: fc.stringMatching(/^[0-9]{11}$/), expected: fc.integer({ min: 0, max: 5 }) }),
    { minLength: 1, maxLength: 5, selector: (i) => i.body },
  );
  const sessionOf = (list: Array<{ body: string; expected: number }>) =>
    startSession(list.map((i, n) => ({ key: `k${n}`, label: `L${n}`, codes: [upcA(i.body)], expected: i.expected })));
  const scansArb = (list: Array<{ body: string }>) =>
    fc.array(
      fc.oneof(
        fc
          .nat({ max: list.length - 1 })
          .chain((n) => fc.constantFrom(upcA(list[n]!.body), `0${upcA(list[n]!.body)}`, `00${upcA(list[n]!.body)}`)),
        fc.constantFrom('99999', 'junk', ''),
      ),
      { maxLength: 25 },
    );

  it('no line ever counts past what is expected, unknown scans change nothing, and the commit sums the counts', () => {
    fc.assert(
      fc.property(
        itemArb.chain((list) => fc.tuple(fc.constant(list), scansArb(list))),
        ([list, scans]) => {
          const s = run(sessionOf(list), scans);
          const r = sessionResult(s);
          const ok = r.lines.every((l) => l.received <= l.expected && l.remaining === l.expected - l.received);
          const known = new Set(list.flatMap((i) => [upcA(i.body), `0${upcA(i.body)}`, `00${upcA(i.body)}`]));
          const matched = scans.filter((c) => known.has(c)).length;
          const counted = r.lines.reduce((n, l) => n + l.received, 0);
          const flaggedOver = r.flags.filter((f) => f.kind === 'over').length;
          return ok && counted + flaggedOver === matched && r.toCommit.reduce((n, c) => n + c.quantity, 0) === counted;
        },
      ),
    );
  });

  it('the order of scans does not change what is counted when nothing goes over', () => {
    fc.assert(
      fc.property(
        itemArb.chain((list) => fc.tuple(fc.constant(list), scansArb(list))),
        fc.nat(),
        ([list, scans], seed) => {
          const a = sessionResult(run(sessionOf(list), scans));
          if (a.flags.some((f) => f.kind === 'over')) return true;
          const shuffled = [...scans].sort((x, y) => ((x.length * 31 + seed) % 7) - ((y.length * 31 + seed) % 7));
          const b = sessionResult(run(sessionOf(list), shuffled));
          return JSON.stringify(a.lines) === JSON.stringify(b.lines);
        },
      ),
    );
  });

  it('undo after any scan gives back the session before it', () => {
    fc.assert(
      fc.property(
        itemArb.chain((list) => fc.tuple(fc.constant(list), scansArb(list))),
        ([list, scans]) => {
          if (scans.length === 0) return true;
          const before = run(sessionOf(list), scans.slice(0, -1));
          const after = undoLast(scan(before, scans.at(-1) as string).session);
          return JSON.stringify(sessionResult(after).lines) === JSON.stringify(sessionResult(before).lines);
        },
      ),
    );
  });
});
