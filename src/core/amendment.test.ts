import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffOrders, isCancellation } from './amendment.ts';
import { money } from './money.ts';
import { testLine, testOrder, upcA } from './testing.ts';

describe('diffOrders', () => {
  const s = testLine({ size: 'S', upc: upcA('84427708245') });
  const m = testLine({ size: 'M' });
  const before = testOrder({ lines: [s, m] });

  it('is empty when nothing changed', () => {
    assert.deepEqual(diffOrders(before, { ...before, modifiedAt: 'later', lines: [m, s] }), []);
  });

  it('lists line and order changes with their keys and values', () => {
    const l = testLine({ size: 'L' });
    const after = testOrder({
      notes: 'please ship early',
      shipWindow: { start: '2023-10-01T00:00:00.000Z', end: '2023-12-20T00:00:00.000Z' },
      lines: [{ ...s, quantity: 5, unitCost: money(2600, 'USD'), rawUpc: null }, l],
    });
    const changes = diffOrders(before, after);
    assert.deepEqual(
      changes.map((c) => [c.kind, c.lineKey]),
      [
        ['ship_window_changed', null],
        ['notes_changed', null],
        ['line_added', l.lineKey],
        ['line_removed', m.lineKey],
        ['quantity_changed', s.lineKey],
        ['cost_changed', s.lineKey],
        ['upc_changed', s.lineKey],
      ],
    );
    const q = changes.find((c) => c.kind === 'quantity_changed');
    assert.deepEqual(q && [q.before, q.after], [3, 5]);
    assert.equal(isCancellation(changes), false);
  });

  it('flags a cancellation', () => {
    const changes = diffOrders(before, { ...before, status: 'cancelled' });
    assert.deepEqual(changes, [
      { kind: 'status_changed', lineKey: null, before: 'approved', after: 'cancelled', cancellation: true },
    ]);
    assert.ok(isCancellation(changes));
    assert.equal(isCancellation(diffOrders(before, { ...before, status: 'processed' })), false);
  });
});
