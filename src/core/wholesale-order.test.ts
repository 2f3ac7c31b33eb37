import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { money } from './money.ts';
import { testLine, testOrder, upcA } from './testing.ts';
import { contentHash, makeLineKey, orderProblems } from './wholesale-order.ts';
import type { WholesaleOrder } from './wholesale-order.ts';

/** The same object with its keys inserted in reverse order, at every depth. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    ) as T;
  }
  return value;
}

describe('wholesale order', () => {
  const order = testOrder({
    lines: [
      testLine({ size: 'S', upc: upcA('84427708245') }),
      testLine({ size: 'M', upc: null }),
      testLine({ size: 'L', quantity: 5 }),
    ],
  });

  it('line keys are product id + size, stable and unambiguous', () => {
    assert.equal(makeLineKey('p1', ' M '), 'p1:M');
    assert.notEqual(makeLineKey('a:b', 'c'), makeLineKey('a', 'b:c'));
  });

  it('content hash ignores key order, line order, timestamps and images', () => {
    const h = contentHash(order);
    assert.equal(contentHash(reverseKeys(order)), h);
    assert.equal(contentHash({ ...order, lines: [...order.lines].reverse() }), h);
    assert.equal(contentHash({ ...order, modifiedAt: '2024-01-01T00:00:00Z' }), h);
    assert.equal(
      contentHash({ ...order, lines: order.lines.map((l) => ({ ...l, images: ['https://cdn/x.jpg?sig=1'] })) }),
      h,
    );
  });

  it('content hash changes with what matters', () => {
    const h = contentHash(order);
    const changed: WholesaleOrder[] = [
      { ...order, status: 'cancelled' },
      { ...order, notes: 'ship early' },
      { ...order, shipWindow: { start: null, end: '2023-12-20T00:00:00.000Z' } },
      { ...order, lines: order.lines.slice(1) },
      { ...order, lines: order.lines.map((l, i) => (i === 0 ? { ...l, quantity: 4 } : l)) },
      { ...order, lines: order.lines.map((l, i) => (i === 0 ? { ...l, unitCost: money(2700, 'USD') } : l)) },
      { ...order, lines: order.lines.map((l, i) => (i === 0 ? { ...l, retailPrice: null } : l)) },
    ];
    for (const c of changed) assert.notEqual(contentHash(c), h);
  });

  it('property: any quantity edit changes the hash', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 }), fc.integer({ min: 1, max: 1000 }), (index, delta) => {
        const edited = {
          ...order,
          lines: order.lines.map((l, i) => (i === index ? { ...l, quantity: l.quantity + delta } : l)),
        };
        assert.notEqual(contentHash(edited), contentHash(order));
      }),
    );
  });

  it('reports malformed orders', () => {
    assert.deepEqual(orderProblems(order), []);
    const bad = testOrder({ lines: [testLine(), testLine({ quantity: -1, unitCost: money(1, 'EUR') })] });
    assert.equal(orderProblems(bad).length, 3);
  });
});
