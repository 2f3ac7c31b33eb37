/**
 * The discrepancy audit: what was ordered (the wholesale order as it is now), what was exported (the POS purchase
 * order as it is now), what the brand shipped and what the POS received, line by line. Pure: the flow reads the
 * four sides and the item links; this lines them up and says, in words, what does not agree. A clean order gives
 * rows without issues. Rows are per order line; a PO line no order line explains gets a row of its own, and so
 * does a shipped line the order does not have.
 */
import { toCsv } from './csv.ts';
import { equalsMoney, toDecimalString, type Money } from './money.ts';

export interface AuditOrderedLine {
  readonly lineKey: string;
  /** How a person recognises the line: style, colour, size. */
  readonly label: string;
  /** Units as the PO should carry them (a pack line already converted by the caller, as the export did). */
  readonly quantity: number;
  readonly unitCost: Money;
}

export interface AuditPoLine {
  readonly posItemId: string;
  readonly quantity: number;
  readonly unitCost: Money | null;
  /** Units received in the POS (X-Series `received`, R-Series `checkedIn` + `numReceived`). */
  readonly received: number;
  /** The POS's own name for the item, for lines no order line explains. */
  readonly label?: string;
}

export interface AuditLink {
  readonly lineKey: string;
  readonly posItemId: string;
}

export interface AuditInput {
  readonly orderNumber: string;
  readonly ordered: readonly AuditOrderedLine[];
  /** The links the export used (order line → POS item); null when the order was never exported. */
  readonly exportedLinks: readonly AuditLink[] | null;
  /** The links Tradeloop holds now; a line whose link differs was relinked since the export. */
  readonly currentLinks?: readonly AuditLink[];
  /** The PO as the POS has it now; null when not exported or unreadable. */
  readonly poLines: readonly AuditPoLine[] | null;
  /** Units shipped per order line, over every shipment. */
  readonly shipped: readonly { readonly lineKey: string; readonly quantity: number }[];
  /** The brand shipped its last shipment: what was not shipped will not be. */
  readonly shippedInFull: boolean;
  /** The PO is received, finished or cancelled: what was not received will not be. */
  readonly poClosed: boolean;
}

export type AuditIssueKind =
  | 'missing_from_po'
  | 'quantity_differs'
  | 'cost_differs'
  | 'only_on_po'
  | 'removed_from_order'
  | 'relinked'
  | 'over_shipped'
  | 'short_shipped'
  | 'shipped_not_ordered'
  | 'over_received'
  | 'short_received';

export interface AuditIssue {
  readonly kind: AuditIssueKind;
  readonly message: string;
}

export interface AuditRow {
  readonly orderNumber: string;
  readonly lineKey: string | null;
  readonly posItemId: string | null;
  readonly label: string;
  readonly ordered: number | null;
  readonly onPo: number | null;
  readonly shipped: number | null;
  readonly received: number | null;
  readonly orderedCost: Money | null;
  readonly poCost: Money | null;
  readonly issues: readonly AuditIssue[];
}

interface RowDraft {
  orderNumber: string;
  lineKey: string | null;
  posItemId: string | null;
  label: string;
  ordered: number | null;
  onPo: number | null;
  shipped: number | null;
  received: number | null;
  orderedCost: Money | null;
  poCost: Money | null;
  issues: AuditIssue[];
}

const units = (n: number): string => `${n} unit${n === 1 ? '' : 's'}`;

/** A PO line no current order line explains: removed from the order since the export, or added in the POS. */
function unexplained(input: AuditInput, po: AuditPoLine, onOrder: ReadonlySet<string>): RowDraft {
  const formerly = input.exportedLinks?.find((l) => l.posItemId === po.posItemId && !onOrder.has(l.lineKey));
  return {
    ...blankRow(input.orderNumber, po.label ?? `POS item ${po.posItemId}`),
    lineKey: formerly?.lineKey ?? null,
    posItemId: po.posItemId,
    onPo: po.quantity,
    received: po.received,
    poCost: po.unitCost,
    issues: [
      formerly
        ? { kind: 'removed_from_order', message: `No longer on the order, still ${units(po.quantity)} on the PO` }
        : { kind: 'only_on_po', message: `On the PO only (${units(po.quantity)}), not on the order` },
    ],
  };
}

/**
 * One order line against its PO line. Quantities and receipts are compared for the group of order lines the
 * export put on that PO line (`ordered`, `shipped` are the group's sums); cost per line.
 */
function compareLine(
  row: RowDraft,
  line: AuditOrderedLine,
  po: AuditPoLine,
  group: { ordered: number; shipped: number; shippedAny: boolean; size: number; poClosed: boolean },
): void {
  const shared = group.size > 1 ? ` (${group.size} order lines share this POS item)` : '';
  Object.assign(row, { posItemId: po.posItemId, onPo: po.quantity, received: po.received, poCost: po.unitCost });
  if (group.ordered !== po.quantity)
    row.issues.push({
      kind: 'quantity_differs',
      message: `Ordered ${group.ordered}, the PO has ${po.quantity}${shared}`,
    });
  if (po.unitCost && po.unitCost.currency === line.unitCost.currency && !equalsMoney(po.unitCost, line.unitCost))
    row.issues.push({
      kind: 'cost_differs',
      message: `Unit cost ${toDecimalString(line.unitCost)} on the order, ${toDecimalString(po.unitCost)} on the PO`,
    });
  // Receipts are measured against what the brand shipped once it reported shipments, else against the PO.
  const arriving = group.shippedAny ? group.shipped : po.quantity;
  if (po.received > po.quantity || po.received > arriving) {
    const than = po.received > po.quantity ? `the PO's ${po.quantity}` : `the ${group.shipped} shipped`;
    row.issues.push({ kind: 'over_received', message: `Received ${po.received}, more than ${than}${shared}` });
  } else if (group.poClosed && po.received < arriving) {
    const of = group.shippedAny ? `${group.shipped} shipped` : `${po.quantity} ordered`;
    row.issues.push({
      kind: 'short_received',
      message: `The PO is closed with ${po.received} received of ${of}${shared}`,
    });
  }
}

/** The PO side of the ordered lines: each PO line with the order lines the export put on it. */
function comparePo(input: AuditInput, rows: Map<string, RowDraft>, extra: RowDraft[]): void {
  if (input.exportedLinks === null || input.poLines === null) return;
  const linkOf = new Map(input.exportedLinks.map((l) => [l.lineKey, l.posItemId]));
  const onOrder = new Set(input.ordered.filter((l) => l.quantity > 0).map((l) => l.lineKey));
  const shippedAny = input.shipped.some((s) => s.quantity > 0);
  for (const po of input.poLines) {
    const members = input.ordered.filter((l) => onOrder.has(l.lineKey) && linkOf.get(l.lineKey) === po.posItemId);
    if (members.length === 0) {
      extra.push(unexplained(input, po, onOrder));
      continue;
    }
    const group = {
      ordered: members.reduce((n, l) => n + l.quantity, 0),
      shipped: members.reduce((n, l) => n + (rows.get(l.lineKey)?.shipped ?? 0), 0),
      shippedAny,
      size: members.length,
      poClosed: input.poClosed,
    };
    for (const line of members) compareLine(rows.get(line.lineKey) as RowDraft, line, po, group);
  }
  for (const line of input.ordered) {
    const row = rows.get(line.lineKey) as RowDraft;
    if (line.quantity > 0 && row.onPo === null)
      row.issues.push({
        kind: 'missing_from_po',
        message: linkOf.has(line.lineKey) ? 'Its POS item is not on the PO' : 'Not on the PO (never exported)',
      });
  }
}

function blankRow(orderNumber: string, label: string): RowDraft {
  return {
    orderNumber,
    lineKey: null,
    posItemId: null,
    label,
    ordered: null,
    onPo: null,
    shipped: null,
    received: null,
    orderedCost: null,
    poCost: null,
    issues: [],
  };
}

function compareShipped(input: AuditInput, rows: Map<string, RowDraft>, extra: RowDraft[]): void {
  const shipped = new Map<string, number>();
  for (const s of input.shipped) shipped.set(s.lineKey, (shipped.get(s.lineKey) ?? 0) + s.quantity);
  for (const [lineKey, quantity] of shipped) {
    const row = rows.get(lineKey);
    if (!row) {
      if (quantity > 0)
        extra.push({
          ...blankRow(input.orderNumber, lineKey),
          lineKey,
          shipped: quantity,
          issues: [
            { kind: 'shipped_not_ordered', message: `${units(quantity)} shipped for a line the order does not have` },
          ],
        });
      continue;
    }
    row.shipped = quantity;
  }
  for (const row of rows.values()) {
    const ordered = row.ordered ?? 0;
    const sent = row.shipped ?? 0;
    if (sent > ordered) row.issues.push({ kind: 'over_shipped', message: `Shipped ${sent}, ordered ${ordered}` });
    else if (input.shippedInFull && sent < ordered)
      row.issues.push({ kind: 'short_shipped', message: `The brand shipped its last with ${sent} of ${ordered} sent` });
  }
}

function compareLinks(input: AuditInput, rows: Map<string, RowDraft>): void {
  if (!input.exportedLinks || !input.currentLinks) return;
  const now = new Map(input.currentLinks.map((l) => [l.lineKey, l.posItemId]));
  for (const link of input.exportedLinks) {
    const current = now.get(link.lineKey);
    const row = rows.get(link.lineKey);
    if (row && current !== link.posItemId)
      row.issues.push({
        kind: 'relinked',
        message:
          current === undefined
            ? `Exported to POS item ${link.posItemId}; that link was forgotten since`
            : `Exported to POS item ${link.posItemId}; now linked to ${current}`,
      });
  }
}

export function auditOrder(input: AuditInput): AuditRow[] {
  const rows = new Map<string, RowDraft>();
  for (const line of input.ordered)
    rows.set(line.lineKey, {
      ...blankRow(input.orderNumber, line.label),
      lineKey: line.lineKey,
      ordered: line.quantity,
      shipped: 0,
      orderedCost: line.unitCost,
    });
  const extra: RowDraft[] = [];
  compareShipped(input, rows, extra);
  comparePo(input, rows, extra);
  compareLinks(input, rows);
  return [...rows.values(), ...extra];
}

/** Rows with at least one issue. */
export function discrepancies(rows: readonly AuditRow[]): AuditRow[] {
  return rows.filter((r) => r.issues.length > 0);
}

export function auditSummary(rows: readonly AuditRow[]): {
  clean: boolean;
  counts: Partial<Record<AuditIssueKind, number>>;
} {
  const counts: Partial<Record<AuditIssueKind, number>> = {};
  for (const row of rows) for (const issue of row.issues) counts[issue.kind] = (counts[issue.kind] ?? 0) + 1;
  return { clean: Object.keys(counts).length === 0, counts };
}

export const auditCsvHeader = [
  'Order',
  'Line',
  'Item',
  'POS item',
  'Ordered',
  'On PO',
  'Shipped',
  'Received',
  'Currency',
  'Ordered unit cost',
  'PO unit cost',
  'Issues',
] as const;

/** The audit as the page shows it, one CSV record per row (RFC 4180, see csv.ts). */
export function auditCsv(rows: readonly AuditRow[]): string {
  return toCsv(
    auditCsvHeader,
    rows.map((r) => [
      r.orderNumber,
      r.lineKey,
      r.label,
      r.posItemId,
      r.ordered,
      r.onPo,
      r.shipped,
      r.received,
      (r.orderedCost ?? r.poCost)?.currency ?? null,
      r.orderedCost ? toDecimalString(r.orderedCost) : null,
      r.poCost ? toDecimalString(r.poCost) : null,
      r.issues.map((i) => i.message).join('; '),
    ]),
  );
}
