/**
 * An order's milestones from created to delivered, and the one-word status its latest step reads as ("Partially
 * shipped", "Received"), for the order page, the synced-PO page, the orders list, the API and the CLI alike. Pure:
 * the flow gathers the facts (the source order and its shipments, the export, the POS's receipts) and this orders
 * them. Delivered means fully received: every unit the brand shipped once it shipped its last, else every unit
 * ordered.
 */
import { trackingLink, type TrackingLink } from './carriers.ts';
import type { WholesaleOrderStatus, WholesaleShipment } from './wholesale-order.ts';

export interface ShipmentFact {
  readonly id: string | null;
  /** Free text as the brand wrote it, or null. */
  readonly carrier: string | null;
  readonly trackingNumbers: readonly string[];
  readonly shippedAt: string | null;
  readonly units: number;
}

export interface ReceiptFact {
  readonly id: string | null;
  readonly receivedAt: string | null;
  readonly units: number;
  /** Who recorded it: Tradeloop's receiving page, or the POS itself (R-Series OrderShipment, X-Series RECEIVED). */
  readonly source: 'tradeloop' | 'pos';
  /** A packing slip or receipt reference, when one was given. */
  readonly reference?: string | null;
}

export interface ExportFact {
  readonly at: string | null;
  /** The PO's number in the POS, as the buyer sees it. */
  readonly poNumber: string;
  readonly poUrl?: string | null;
}

export interface TimelineFacts {
  readonly status: WholesaleOrderStatus;
  readonly createdAt: string | null;
  /** When the order was submitted for approval, if known (NuORDER reports no date for it). */
  readonly submittedAt?: string | null;
  readonly approvedAt?: string | null;
  readonly cancelledAt?: string | null;
  /** Units on the order now (all lines, all sizes). */
  readonly orderedUnits: number;
  readonly exported?: ExportFact | null;
  readonly shipments: readonly ShipmentFact[];
  readonly receipts: readonly ReceiptFact[];
}

export type MilestoneKind =
  'created' | 'submitted' | 'approved' | 'exported' | 'shipped' | 'received' | 'delivered' | 'cancelled';

export interface Milestone {
  readonly kind: MilestoneKind;
  /** ISO-8601; null when the step surely happened but its date is unknown (an approved order was submitted). */
  readonly at: string | null;
  readonly label: string;
  /** One line of words for the page ("2 of 3 shipments · 14 units"). */
  readonly detail: string;
  readonly id?: string | null;
  readonly units?: number;
  readonly tracking?: readonly TrackingLink[];
  readonly carrier?: string | null;
  readonly poNumber?: string;
  readonly poUrl?: string | null;
}

export type TimelineStatus =
  | 'created'
  | 'submitted'
  | 'approved'
  | 'exported'
  | 'partially_shipped'
  | 'shipped'
  | 'partially_received'
  | 'received'
  | 'cancelled';

export const timelineStatusLabels: Readonly<Record<TimelineStatus, string>> = {
  created: 'Created',
  submitted: 'Submitted',
  approved: 'Approved',
  exported: 'Exported',
  partially_shipped: 'Partially shipped',
  shipped: 'Shipped',
  partially_received: 'Partially received',
  received: 'Received',
  cancelled: 'Cancelled',
};

export interface Timeline {
  readonly milestones: readonly Milestone[];
  readonly status: TimelineStatus;
  /** `timelineStatusLabels[status]`. */
  readonly label: string;
  readonly units: { readonly ordered: number; readonly shipped: number; readonly received: number };
}

/** A source shipment as a timeline fact: its units summed over its lines. */
export function shipmentFact(shipment: WholesaleShipment): ShipmentFact {
  return {
    id: shipment.sourceId,
    carrier: shipment.carrier,
    trackingNumbers: shipment.trackingNumbers,
    shippedAt: shipment.shippedAt,
    units: shipment.lines.reduce((sum, l) => sum + l.quantity, 0),
  };
}

const rank: Readonly<Record<MilestoneKind, number>> = {
  created: 0,
  submitted: 1,
  approved: 2,
  exported: 3,
  shipped: 4,
  received: 5,
  delivered: 6,
  cancelled: 7,
};

const submittedStatuses: ReadonlySet<WholesaleOrderStatus> = new Set([
  'review',
  'pending',
  'approved',
  'processed',
  'shipped',
]);
const approvedStatuses: ReadonlySet<WholesaleOrderStatus> = new Set(['approved', 'processed', 'shipped']);

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function orderSteps(facts: TimelineFacts): Milestone[] {
  const steps: Milestone[] = [{ kind: 'created', at: facts.createdAt, label: 'Created', detail: 'Order created' }];
  const exported = Boolean(facts.exported);
  // An exported or approved order was surely submitted and approved, even when no date says when.
  if (facts.submittedAt || submittedStatuses.has(facts.status) || exported)
    steps.push({ kind: 'submitted', at: facts.submittedAt ?? null, label: 'Submitted', detail: 'Sent for approval' });
  if (facts.approvedAt || approvedStatuses.has(facts.status) || exported)
    steps.push({ kind: 'approved', at: facts.approvedAt ?? null, label: 'Approved', detail: 'Approved by the brand' });
  if (facts.exported)
    steps.push({
      kind: 'exported',
      at: facts.exported.at,
      label: 'Exported',
      detail: `Purchase order ${facts.exported.poNumber} in the POS`,
      poNumber: facts.exported.poNumber,
      poUrl: facts.exported.poUrl ?? null,
    });
  return steps;
}

function shipmentSteps(shipments: readonly ShipmentFact[]): Milestone[] {
  return shipments.map((s, i) => {
    const tracking = s.trackingNumbers.filter((n) => n.trim() !== '').map((n) => trackingLink(s.carrier, n));
    const carrier = s.carrier?.trim() || tracking.find((t) => t.carrierName)?.carrierName || null;
    const by = carrier ? ` by ${carrier}` : '';
    return {
      kind: 'shipped' as const,
      at: s.shippedAt,
      label: shipments.length > 1 ? `Shipment ${i + 1} of ${shipments.length}` : 'Shipped',
      detail: `${plural(s.units, 'unit')}${by}${tracking.length ? ` · ${tracking.map((t) => t.number).join(', ')}` : ''}`,
      id: s.id,
      units: s.units,
      tracking,
      carrier,
    };
  });
}

function receiptSteps(receipts: readonly ReceiptFact[]): Milestone[] {
  return receipts.map((r) => ({
    kind: 'received' as const,
    at: r.receivedAt,
    label: 'Received',
    detail: `${plural(r.units, 'unit')} received ${r.source === 'pos' ? 'in the POS' : 'in Tradeloop'}${r.reference ? ` · ${r.reference}` : ''}`,
    id: r.id,
    units: r.units,
  }));
}

/**
 * Milestones in time order. A step without a date keeps its place after the step before it (by kind), so an
 * approval of unknown date still sits between creation and export; steps with dates are chronological.
 */
function chronological(steps: Milestone[]): Milestone[] {
  const byKind = steps
    .map((m, i) => ({ m, i }))
    .sort((a, b) => rank[a.m.kind] - rank[b.m.kind] || compareAt(a.m.at, b.m.at) || a.i - b.i);
  let carried = '';
  const keyed = byKind.map(({ m }, i) => {
    if (m.at !== null && m.at > carried) carried = m.at;
    return { m, key: m.at ?? carried, i };
  });
  return keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i)).map((x) => x.m);
}

function compareAt(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

export function buildTimeline(facts: TimelineFacts): Timeline {
  const shipped = facts.shipments.reduce((sum, s) => sum + Math.max(0, s.units), 0);
  const received = facts.receipts.reduce((sum, r) => sum + Math.max(0, r.units), 0);
  const ordered = Math.max(0, facts.orderedUnits);
  // The brand's last shipment fixes what can arrive; before that, the order does.
  const shippedInFull = facts.status === 'shipped' || (ordered > 0 && shipped >= ordered);
  const expected = facts.status === 'shipped' && shipped > 0 ? shipped : ordered;
  const steps = [...orderSteps(facts), ...shipmentSteps(facts.shipments), ...receiptSteps(facts.receipts)];
  const delivered = expected > 0 && received >= expected;
  if (delivered) {
    // Delivered the moment the receipt that completed it was recorded.
    let sum = 0;
    const done = chronological(receiptSteps(facts.receipts)).find((r) => (sum += r.units ?? 0) >= expected);
    const detail = `All ${plural(expected, 'unit')} received`;
    steps.push({ kind: 'delivered', at: done?.at ?? null, label: 'Delivered', detail });
  }
  if (facts.status === 'cancelled')
    steps.push({
      kind: 'cancelled',
      at: facts.cancelledAt ?? null,
      label: 'Cancelled',
      detail: 'Cancelled at the source',
    });
  const milestones = chronological(steps);
  const status: TimelineStatus =
    facts.status === 'cancelled'
      ? 'cancelled'
      : delivered
        ? 'received'
        : received > 0
          ? 'partially_received'
          : shippedInFull && (shipped > 0 || facts.shipments.length > 0 || facts.status === 'shipped')
            ? 'shipped'
            : facts.shipments.length > 0
              ? 'partially_shipped'
              : facts.exported
                ? 'exported'
                : approvedStatuses.has(facts.status)
                  ? 'approved'
                  : submittedStatuses.has(facts.status)
                    ? 'submitted'
                    : 'created';
  return { milestones, status, label: timelineStatusLabels[status], units: { ordered, shipped, received } };
}
