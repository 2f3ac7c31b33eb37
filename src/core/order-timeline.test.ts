import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  buildTimeline,
  shipmentFact,
  type ReceiptFact,
  type ShipmentFact,
  type TimelineFacts,
} from './order-timeline.ts';

const base: TimelineFacts = {
  status: 'approved',
  createdAt: '2026-11-01T10:00:00.000Z',
  orderedUnits: 10,
  exported: { at: '2026-11-02T09:00:00.000Z', poNumber: 'PO-42', poUrl: 'https://pos/po/42' },
  shipments: [],
  receipts: [],
};
const ship = (
  at: string,
  units: number,
  tracking = ['1Z999AA10123456784'],
  carrier: string | null = 'UPS',
): ShipmentFact => ({
  id: `s-${at}`,
  carrier,
  trackingNumbers: tracking,
  shippedAt: at,
  units,
});
const receipt = (at: string, units: number): ReceiptFact => ({ id: `r-${at}`, receivedAt: at, units, source: 'pos' });

describe('buildTimeline', () => {
  it('an exported order: created, submitted and approved (dates unknown kept in place), exported with its PO', () => {
    const t = buildTimeline(base);
    assert.deepEqual(
      t.milestones.map((m) => [m.kind, m.at]),
      [
        ['created', '2026-11-01T10:00:00.000Z'],
        ['submitted', null],
        ['approved', null],
        ['exported', '2026-11-02T09:00:00.000Z'],
      ],
    );
    assert.equal(t.milestones[3]?.poNumber, 'PO-42');
    assert.equal(t.label, 'Exported');
  });

  it('two shipments read Partially shipped then Shipped, each with carrier and a tracking link', () => {
    const first = buildTimeline({ ...base, status: 'processed', shipments: [ship('2026-11-05T00:00:00.000Z', 4)] });
    assert.equal(first.label, 'Partially shipped');
    assert.equal(first.milestones.at(-1)?.tracking?.[0]?.url, 'https://www.ups.com/track?tracknum=1Z999AA10123456784');
    const both = buildTimeline({
      ...base,
      status: 'shipped',
      shipments: [ship('2026-11-05T00:00:00.000Z', 4), ship('2026-11-07T00:00:00.000Z', 6, ['123456789012'], 'FedEx')],
    });
    assert.equal(both.label, 'Shipped');
    assert.deepEqual(
      both.milestones.filter((m) => m.kind === 'shipped').map((m) => [m.label, m.carrier, m.units]),
      [
        ['Shipment 1 of 2', 'UPS', 4],
        ['Shipment 2 of 2', 'FedEx', 6],
      ],
    );
  });

  it('receipts read Partially received, then Received with a Delivered milestone at the completing receipt', () => {
    const shipments = [ship('2026-11-05T00:00:00.000Z', 10)];
    const partial = buildTimeline({
      ...base,
      status: 'shipped',
      shipments,
      receipts: [receipt('2026-11-08T00:00:00.000Z', 6)],
    });
    assert.equal(partial.label, 'Partially received');
    assert.ok(!partial.milestones.some((m) => m.kind === 'delivered'));
    const full = buildTimeline({
      ...base,
      status: 'shipped',
      shipments,
      receipts: [receipt('2026-11-08T00:00:00.000Z', 6), receipt('2026-11-09T00:00:00.000Z', 4)],
    });
    assert.equal(full.label, 'Received');
    assert.deepEqual(
      full.milestones.slice(-2).map((m) => [m.kind, m.at]),
      [
        ['received', '2026-11-09T00:00:00.000Z'],
        ['delivered', '2026-11-09T00:00:00.000Z'],
      ],
    );
  });

  it('a short shipment the brand called final: delivered once what was shipped is received', () => {
    const t = buildTimeline({
      ...base,
      status: 'shipped',
      shipments: [ship('2026-11-05T00:00:00.000Z', 7)],
      receipts: [receipt('2026-11-09T00:00:00.000Z', 7)],
    });
    assert.equal(t.label, 'Received');
  });

  it('a blank carrier is named from the tracking number when it can be; a cancelled order reads Cancelled', () => {
    const t = buildTimeline({
      ...base,
      shipments: [ship('2026-11-05T00:00:00.000Z', 3, ['9400111899223197428490'], '')],
    });
    const m = t.milestones.find((x) => x.kind === 'shipped');
    assert.equal(m?.carrier, 'USPS');
    assert.equal(m?.tracking?.[0]?.guessed, true);
    const cancelled = buildTimeline({ ...base, status: 'cancelled', cancelledAt: '2026-11-03T00:00:00.000Z' });
    assert.equal(cancelled.label, 'Cancelled');
    assert.equal(cancelled.milestones.at(-1)?.kind, 'cancelled');
  });

  it('shipmentFact sums a source shipment’s lines', () => {
    const fact = shipmentFact({
      sourceId: 's1',
      orderSourceId: 'o1',
      carrier: 'UPS',
      trackingNumbers: ['1Z1'],
      shippedAt: null,
      lines: [
        { lineKey: 'a', quantity: 2 },
        { lineKey: 'b', quantity: 3 },
      ],
    });
    assert.equal(fact.units, 5);
  });
});

const iso = fc
  .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) })
  .map((ms) => new Date(ms).toISOString());
const maybeIso = fc.option(iso, { nil: null });
const factsArb = fc.record({
  status: fc.constantFrom('draft', 'review', 'pending', 'approved', 'processed', 'shipped', 'cancelled' as const),
  createdAt: maybeIso,
  approvedAt: maybeIso,
  orderedUnits: fc.integer({ min: 0, max: 50 }),
  exported: fc.option(fc.record({ at: maybeIso, poNumber: fc.constant('PO-1') }), { nil: null }),
  shipments: fc.array(
    fc.record({
      id: fc.option(fc.string(), { nil: null }),
      carrier: fc.option(fc.constantFrom('UPS', 'FedEx', '', 'Acme'), { nil: null }),
      trackingNumbers: fc.array(fc.constantFrom('1Z999AA10123456784', '123456789012', ''), { maxLength: 2 }),
      shippedAt: maybeIso,
      units: fc.integer({ min: 0, max: 20 }),
    }),
    { maxLength: 4 },
  ),
  receipts: fc.array(
    fc.record({
      id: fc.option(fc.string(), { nil: null }),
      receivedAt: maybeIso,
      units: fc.integer({ min: 0, max: 20 }),
      source: fc.constantFrom('pos', 'tradeloop' as const),
    }),
    { maxLength: 4 },
  ),
}) as fc.Arbitrary<TimelineFacts>;

describe('buildTimeline properties', () => {
  it('dated milestones are in time order; every shipment and receipt appears once; created comes first', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const t = buildTimeline(facts);
        const dated = t.milestones.map((m) => m.at).filter((a): a is string => a !== null);
        const sorted = dated.every((a, i) => i === 0 || (dated[i - 1] as string) <= a);
        const counts =
          t.milestones.filter((m) => m.kind === 'shipped').length === facts.shipments.length &&
          t.milestones.filter((m) => m.kind === 'received').length === facts.receipts.length;
        const createdFirst =
          facts.createdAt === null || dated.every((a) => a >= (facts.createdAt as string))
            ? t.milestones[0]?.kind === 'created'
            : true;
        return sorted && counts && createdFirst;
      }),
    );
  });

  it('Received exactly when delivered; the label always matches the status; units add up', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const t = buildTimeline(facts);
        const delivered = t.milestones.some((m) => m.kind === 'delivered');
        const received = facts.receipts.reduce((s, r) => s + r.units, 0);
        return (
          (t.status === 'received') === (delivered && facts.status !== 'cancelled') &&
          t.units.received === received &&
          (t.status !== 'partially_received' || received > 0) &&
          (facts.status !== 'cancelled' || t.status === 'cancelled')
        );
      }),
    );
  });
});
