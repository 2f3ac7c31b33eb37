import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { diffOrders } from './amendment.ts';
import { planAmendment, poStage, type ExportedPo, type PoStage } from './amendment-plan.ts';
import { R_SERIES_PO_CHANGES, X_SERIES_PO_CHANGES } from './po-change-rules.ts';
import { money } from './money.ts';
import { testLine, testOrder, upcA } from './testing.ts';

const s = testLine({ size: 'S', quantity: 4, upc: upcA('84427708245') });
const m = testLine({ size: 'M', quantity: 6 });
const l = testLine({ size: 'L', quantity: 2 });
const exported = testOrder({ lines: [s, m, l] });

type PosSystem = 'lightspeed-x' | 'lightspeed-r';
// Each POS's own description, as its manifest carries it (src/connectors/*/index.ts).
const rulesOf = { 'lightspeed-x': X_SERIES_PO_CHANGES, 'lightspeed-r': R_SERIES_PO_CHANGES } as const;

function po(system: PosSystem, stage: PoStage, received: Partial<Record<string, number>> = {}): ExportedPo {
  return {
    rules: rulesOf[system],
    stage,
    number: 'PO-7',
    lines: [s, m, l].map((x, i) => ({
      posItemId: `item-${i}`,
      quantity: x.quantity,
      unitCost: x.unitCost,
      received: received[x.lineKey] ?? 0,
      sourceLineKeys: [x.lineKey],
    })),
  };
}

describe('poStage', () => {
  it('reads both connectors’ status words', () => {
    assert.deepEqual(
      ['OPEN', 'SENT', 'DISPATCHED', 'RECEIVED', 'CANCELLED', 'WEIRD'].map((w) => poStage(X_SERIES_PO_CHANGES, w)),
      ['draft', 'ordered', 'receiving', 'received', 'cancelled', 'unknown'],
    );
    assert.deepEqual(
      ['open', 'ordered', 'check_in', 'finished', 'archived'].map((w) => poStage(R_SERIES_PO_CHANGES, w)),
      ['draft', 'ordered', 'receiving', 'closed', 'cancelled'],
    );
  });
});

describe('planAmendment', () => {
  const n = testLine({ productSourceId: 'p-new', size: 'M', quantity: 3 });
  const amended = testOrder({ lines: [{ ...s, quantity: 5 }, m, n] });
  const changes = diffOrders(exported, amended);

  it('an open PO on either POS: a quantity change, an added line to plan, a removed line', () => {
    for (const system of ['lightspeed-x', 'lightspeed-r'] as const) {
      const plan = planAmendment(changes, po(system, 'ordered'));
      assert.deepEqual(
        plan.changes.map((c) => [c.kind, 'posItemId' in c ? c.posItemId : null]),
        [
          ['remove_line', 'item-2'],
          ['set_quantity', 'item-0'],
          ['add_lines', null],
        ],
        system,
      );
      const add = plan.changes.find((c) => c.kind === 'add_lines');
      assert.deepEqual(add?.kind === 'add_lines' ? add.lines.map((x) => x.lineKey) : [], [n.lineKey]);
      const set = plan.changes.find((c) => c.kind === 'set_quantity');
      assert.deepEqual(set?.kind === 'set_quantity' ? [set.from, set.to] : [], [4, 5]);
      assert.deepEqual(plan.refused, []);
      assert.equal(plan.automatic, false, 'a new line is planned and reviewed like an export');
    }
  });

  it('a quantity change alone on an open PO applies automatically', () => {
    const plan = planAmendment(
      diffOrders(exported, testOrder({ lines: [{ ...s, quantity: 2 }, m, l] })),
      po('lightspeed-x', 'draft'),
    );
    assert.equal(plan.automatic, true);
  });

  it('a received X-Series PO refuses everything, with what to do by hand', () => {
    const plan = planAmendment(changes, po('lightspeed-x', 'received'));
    assert.deepEqual(plan.changes, []);
    assert.ok(plan.refused.length >= 2);
    assert.ok(plan.refused.every((r) => r.reason === 'po_received' && r.byHand.length > 0));
    assert.match(plan.refused[0]?.message ?? '', /PO-7 was received/);
  });

  it('X-Series receiving (DISPATCHED): no count change or removal, but new lines and costs', () => {
    const withCost = diffOrders(
      exported,
      testOrder({ lines: [{ ...s, quantity: 5, unitCost: money(2500, 'USD') }, m, n] }),
    );
    const plan = planAmendment(withCost, po('lightspeed-x', 'receiving'));
    assert.deepEqual(plan.changes.map((c) => c.kind).sort(), ['add_lines', 'set_cost']);
    assert.deepEqual(
      plan.refused.map((r) => r.reason),
      ['po_receiving', 'po_receiving'],
    );
  });

  it('R-Series keeps checked-in units: not below them, a line with any not removed; Finished refuses with how to reopen', () => {
    const down = diffOrders(exported, testOrder({ lines: [{ ...s, quantity: 1 }, m] }));
    const plan = planAmendment(down, po('lightspeed-r', 'receiving', { [s.lineKey]: 3, [l.lineKey]: 1 }));
    assert.deepEqual(
      plan.refused.map((r) => [r.reason, r.lineKeys]),
      [
        ['line_received', [l.lineKey]],
        ['below_received', [s.lineKey]],
      ],
    );
    const closed = planAmendment(down, po('lightspeed-r', 'closed'));
    assert.match(closed.refused[0]?.byHand[0] ?? '', /back to Ordered/);
  });

  it('a cancellation cancels on X-Series, archives or finishes on R-Series, and is refused once received', () => {
    const cancel = diffOrders(exported, { ...exported, status: 'cancelled' });
    const only = (p: ReturnType<typeof planAmendment>) =>
      p.changes.map((c) => (c.kind === 'cancel_po' ? c.how : c.kind));
    assert.deepEqual(only(planAmendment(cancel, po('lightspeed-x', 'ordered'))), ['cancel']);
    assert.deepEqual(only(planAmendment(cancel, po('lightspeed-x', 'receiving'))), ['cancel']);
    assert.deepEqual(only(planAmendment(cancel, po('lightspeed-r', 'ordered'))), ['archive']);
    assert.deepEqual(only(planAmendment(cancel, po('lightspeed-r', 'receiving', { [s.lineKey]: 2 }))), ['finish']);
    const refused = planAmendment(cancel, po('lightspeed-x', 'received'));
    assert.deepEqual(refused.changes, []);
    assert.equal(refused.refused[0]?.reason, 'po_received');
  });

  it('packs: a PO counting units scales quantity changes and divides costs', () => {
    const packs: ExportedPo = { ...po('lightspeed-x', 'draft'), unitsPerLine: { [m.lineKey]: 6 } };
    const plan = planAmendment(
      diffOrders(exported, testOrder({ lines: [s, { ...m, quantity: 7, unitCost: money(3000, 'USD') }, l] })),
      packs,
    );
    const set = plan.changes.find((c) => c.kind === 'set_quantity');
    assert.deepEqual(set?.kind === 'set_quantity' ? [set.from, set.to] : [], [6, 12]);
    const cost = plan.changes.find((c) => c.kind === 'set_cost');
    assert.equal(cost?.kind === 'set_cost' ? cost.to.minor : 0, 500);
  });

  it('a changed barcode and a line the PO never had go to review; retail and notes are only noted', () => {
    const changed = diffOrders(
      exported,
      testOrder({ notes: 'rush', lines: [{ ...s, rawUpc: '012345678905', retailPrice: money(5000, 'USD') }, m, l] }),
    );
    const plan = planAmendment(changed, po('lightspeed-r', 'draft'));
    assert.deepEqual(plan.changes, []);
    assert.equal(plan.review.length, 1);
    assert.equal(plan.notes.length, 2);
    assert.equal(plan.automatic, false);
  });
});

describe('planAmendment properties', () => {
  const stages: PoStage[] = ['draft', 'ordered', 'receiving', 'received', 'closed', 'cancelled'];
  it('no planned quantity is below what was received, and nothing is planned on a received, closed or cancelled PO', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('lightspeed-x', 'lightspeed-r' as const),
        fc.constantFrom(...stages),
        fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 })),
        fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 2 })),
        (system, stage, quantities, received) => {
          const after = testOrder({
            lines: [s, m, l].map((x, i) => ({ ...x, quantity: quantities[i] as number })).filter((x) => x.quantity > 0),
          });
          const receivedBy = Object.fromEntries([s, m, l].map((x, i) => [x.lineKey, received[i] as number]));
          const plan = planAmendment(diffOrders(exported, after), po(system, stage, receivedBy));
          const target = po(system, stage, receivedBy);
          const aboveReceived = plan.changes.every(
            (c) =>
              (c.kind !== 'set_quantity' ||
                c.to >= (target.lines.find((x) => x.posItemId === c.posItemId)?.received ?? 0)) &&
              (c.kind !== 'remove_line' ||
                (target.lines.find((x) => x.posItemId === c.posItemId)?.received ?? 0) === 0),
          );
          const frozen = ['received', 'closed', 'cancelled'].includes(stage) ? plan.changes.length === 0 : true;
          return aboveReceived && frozen;
        },
      ),
    );
  });
});
