import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { auditCsv, auditCsvHeader, auditOrder, auditSummary, discrepancies, type AuditInput } from './discrepancy.ts';
import { money } from './money.ts';

const usd = (cents: number) => money(cents, 'USD');

/** A clean order: three lines, exported one to one, shipped and received in full. */
function clean(): AuditInput {
  const ordered = [
    { lineKey: 'p1:S', label: 'Tee Navy S', quantity: 4, unitCost: usd(1200) },
    { lineKey: 'p1:M', label: 'Tee Navy M', quantity: 6, unitCost: usd(1200) },
    { lineKey: 'p2:OS', label: 'Cap Red OS', quantity: 2, unitCost: usd(800) },
  ];
  return {
    orderNumber: '3100082',
    ordered,
    exportedLinks: ordered.map((l, i) => ({ lineKey: l.lineKey, posItemId: `item-${i}` })),
    currentLinks: ordered.map((l, i) => ({ lineKey: l.lineKey, posItemId: `item-${i}` })),
    poLines: ordered.map((l, i) => ({
      posItemId: `item-${i}`,
      quantity: l.quantity,
      unitCost: l.unitCost,
      received: l.quantity,
    })),
    shipped: ordered.map((l) => ({ lineKey: l.lineKey, quantity: l.quantity })),
    shippedInFull: true,
    poClosed: true,
  };
}

describe('auditOrder', () => {
  it('finds nothing on a clean order', () => {
    const rows = auditOrder(clean());
    assert.equal(rows.length, 3);
    assert.deepEqual(discrepancies(rows), []);
    assert.equal(auditSummary(rows).clean, true);
  });

  it('finds a quantity difference, a line missing from the PO and a cost change', () => {
    const input = clean();
    const po = [...(input.poLines ?? [])];
    po[0] = { ...po[0]!, quantity: 3, received: 3 };
    po[1] = { ...po[1]!, unitCost: usd(1150) };
    po.splice(2, 1);
    const rows = auditOrder({ ...input, poLines: po });
    assert.deepEqual(
      rows.map((r) => [r.lineKey, r.issues.map((i) => i.kind)]),
      [
        ['p1:S', ['quantity_differs', 'short_received']],
        ['p1:M', ['cost_differs']],
        ['p2:OS', ['missing_from_po']],
      ],
    );
    assert.equal(rows[0]?.issues[0]?.message, 'Ordered 4, the PO has 3');
    assert.equal(rows[1]?.issues[0]?.message, 'Unit cost 12.00 on the order, 11.50 on the PO');
    assert.deepEqual(auditSummary(rows).counts, {
      quantity_differs: 1,
      short_received: 1,
      cost_differs: 1,
      missing_from_po: 1,
    });
  });

  it('lines on one side only: added in the POS, removed from the order, shipped but not ordered', () => {
    const input = clean();
    const rows = auditOrder({
      ...input,
      ordered: input.ordered.slice(0, 2),
      poLines: [
        ...(input.poLines ?? []),
        { posItemId: 'merchant-9', quantity: 5, unitCost: null, received: 0, label: 'Socks' },
      ],
      shipped: [...input.shipped.slice(0, 2), { lineKey: 'p9:L', quantity: 1 }],
    });
    assert.deepEqual(
      rows.slice(2).map((r) => [r.posItemId ?? r.lineKey, r.issues.map((i) => i.kind)]),
      [
        ['p9:L', ['shipped_not_ordered']],
        ['item-2', ['removed_from_order']],
        ['merchant-9', ['only_on_po']],
      ],
    );
    assert.equal(rows[3]?.lineKey, 'p2:OS', 'the removed line is named');
  });

  it('shipping and receiving: over and short, relinked items, two order lines on one POS item', () => {
    const input = clean();
    const rows = auditOrder({
      ...input,
      exportedLinks: [...(input.exportedLinks ?? []).slice(0, 2), { lineKey: 'p2:OS', posItemId: 'item-1' }],
      currentLinks: [...(input.currentLinks ?? []).slice(0, 2), { lineKey: 'p2:OS', posItemId: 'item-7' }],
      poLines: [
        { posItemId: 'item-0', quantity: 4, unitCost: usd(1200), received: 5 },
        { posItemId: 'item-1', quantity: 8, unitCost: usd(1200), received: 8 },
      ],
      shipped: [
        { lineKey: 'p1:S', quantity: 4 },
        { lineKey: 'p1:M', quantity: 5 },
        { lineKey: 'p2:OS', quantity: 3 },
      ],
    });
    assert.deepEqual(
      rows.map((r) => r.issues.map((i) => i.kind)),
      [['over_received'], ['short_shipped'], ['over_shipped', 'cost_differs', 'relinked']],
    );
    assert.match(rows[2]?.issues[1]?.message ?? '', /8\.00 on the order, 12\.00 on the PO/);
  });

  it('an order never exported: no PO comparisons, only shipments', () => {
    const input = clean();
    const rows = auditOrder({ ...input, exportedLinks: null, poLines: null, shipped: [], shippedInFull: false });
    assert.deepEqual(discrepancies(rows), []);
    assert.equal(rows[0]?.onPo, null);
  });

  it('CSV: the header and one record per row, cells as on the page', () => {
    const input = clean();
    const rows = auditOrder({ ...input, poLines: (input.poLines ?? []).slice(0, 2) });
    const csv = auditCsv(rows);
    const lines = csv.split('\r\n');
    assert.equal(lines[0], auditCsvHeader.join(','));
    assert.equal(lines.length, rows.length + 2);
    assert.equal(lines[3], '3100082,p2:OS,Cap Red OS,,2,,2,,USD,8.00,,Its POS item is not on the PO');
  });
});

describe('auditOrder properties', () => {
  const orderArb = fc
    .uniqueArray(
      fc.record({
        key: fc.stringMatching(/^[a-z]{1,4}:[A-Z]{1,2}$/),
        qty: fc.integer({ min: 1, max: 9 }),
        cost: fc.integer({ min: 1, max: 9999 }),
      }),
      {
        minLength: 1,
        maxLength: 6,
        selector: (l) => l.key,
      },
    )
    .map((lines): AuditInput => {
      const ordered = lines.map((l) => ({ lineKey: l.key, label: l.key, quantity: l.qty, unitCost: usd(l.cost) }));
      const links = ordered.map((l, i) => ({ lineKey: l.lineKey, posItemId: `i${i}` }));
      return {
        orderNumber: 'N',
        ordered,
        exportedLinks: links,
        currentLinks: links,
        poLines: ordered.map((l, i) => ({
          posItemId: `i${i}`,
          quantity: l.quantity,
          unitCost: l.unitCost,
          received: l.quantity,
        })),
        shipped: ordered.map((l) => ({ lineKey: l.lineKey, quantity: l.quantity })),
        shippedInFull: true,
        poClosed: true,
      };
    });

  it('a consistent order is clean, whatever its lines', () => {
    fc.assert(fc.property(orderArb, (input) => auditSummary(auditOrder(input)).clean));
  });

  it('any one change to the PO, shipments or receipts is found on that line', () => {
    fc.assert(
      fc.property(
        orderArb,
        fc.nat(),
        fc.constantFrom('qty', 'cost', 'drop', 'ship', 'receive'),
        (input, pick, change) => {
          const i = pick % input.ordered.length;
          const po = [...(input.poLines ?? [])];
          const shipped = [...input.shipped];
          const line = po[i]!;
          if (change === 'qty') po[i] = { ...line, quantity: line.quantity + 1 };
          if (change === 'cost') po[i] = { ...line, unitCost: usd((line.unitCost?.minor ?? 0) + 1) };
          if (change === 'drop') po.splice(i, 1);
          if (change === 'ship') shipped[i] = { ...shipped[i]!, quantity: shipped[i]!.quantity + 1 };
          if (change === 'receive') po[i] = { ...line, received: line.received - 1 };
          const row = auditOrder({ ...input, poLines: po, shipped })[i];
          return (row?.issues.length ?? 0) > 0;
        },
      ),
    );
  });

  it('CSV has exactly one record per row plus the header', () => {
    fc.assert(
      fc.property(orderArb, (input) => {
        const rows = auditOrder(input);
        return auditCsv(rows).split('\r\n').length === rows.length + 2;
      }),
    );
  });
});
