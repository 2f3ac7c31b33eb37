/**
 * What changed between two ingests of the same wholesale order. Edits after an export are never applied
 * silently: they become an amendment the buyer accepts, built from this list.
 */
import { equalsMoney } from './money.ts';
import type { Money } from './money.ts';
import { compareText } from './wholesale-order.ts';
import type { OrderLine, ShipWindow, WholesaleOrder, WholesaleOrderStatus } from './wholesale-order.ts';

/** Order-level changes carry `lineKey: null`. */
export type AmendmentChange =
  | { kind: 'line_added'; lineKey: string; before: null; after: OrderLine }
  | { kind: 'line_removed'; lineKey: string; before: OrderLine; after: null }
  | { kind: 'quantity_changed'; lineKey: string; before: number; after: number }
  | { kind: 'cost_changed'; lineKey: string; before: Money; after: Money }
  | { kind: 'retail_changed'; lineKey: string; before: Money | null; after: Money | null }
  /** The barcode changed: the line's match must be planned again. */
  | { kind: 'upc_changed'; lineKey: string; before: string | null; after: string | null }
  | { kind: 'ship_window_changed'; lineKey: string | null; before: ShipWindow | null; after: ShipWindow | null }
  | { kind: 'notes_changed'; lineKey: null; before: string; after: string }
  | {
      kind: 'status_changed';
      lineKey: null;
      before: WholesaleOrderStatus;
      after: WholesaleOrderStatus;
      cancellation: boolean;
    };

export type AmendmentKind = AmendmentChange['kind'];

/**
 * Changes from `before` to `after`, order-level first (status, ship window, notes), then lines in
 * line-key order. Deterministic; empty when nothing that matters changed.
 */
export function diffOrders(before: WholesaleOrder, after: WholesaleOrder): AmendmentChange[] {
  const changes: AmendmentChange[] = [];
  if (before.status !== after.status) {
    changes.push({
      kind: 'status_changed',
      lineKey: null,
      before: before.status,
      after: after.status,
      cancellation: after.status === 'cancelled',
    });
  }
  if (!sameWindow(before.shipWindow, after.shipWindow)) {
    changes.push({ kind: 'ship_window_changed', lineKey: null, before: before.shipWindow, after: after.shipWindow });
  }
  if (before.notes !== after.notes)
    changes.push({ kind: 'notes_changed', lineKey: null, before: before.notes, after: after.notes });

  const old = indexLines(before.lines);
  const now = indexLines(after.lines);
  const keys = [...new Set([...old.keys(), ...now.keys()])].sort(compareText);
  for (const lineKey of keys) {
    const a = old.get(lineKey);
    const b = now.get(lineKey);
    if (a === undefined && b !== undefined) {
      changes.push({ kind: 'line_added', lineKey, before: null, after: b });
    } else if (a !== undefined && b === undefined) {
      changes.push({ kind: 'line_removed', lineKey, before: a, after: null });
    } else if (a !== undefined && b !== undefined) {
      if (a.quantity !== b.quantity)
        changes.push({ kind: 'quantity_changed', lineKey, before: a.quantity, after: b.quantity });
      if (!equalsMoney(a.unitCost, b.unitCost))
        changes.push({ kind: 'cost_changed', lineKey, before: a.unitCost, after: b.unitCost });
      if (!equalsMoney(a.retailPrice, b.retailPrice)) {
        changes.push({ kind: 'retail_changed', lineKey, before: a.retailPrice, after: b.retailPrice });
      }
      if ((a.rawUpc ?? null) !== (b.rawUpc ?? null))
        changes.push({ kind: 'upc_changed', lineKey, before: a.rawUpc, after: b.rawUpc });
      if (!sameWindow(a.shipWindow, b.shipWindow)) {
        changes.push({ kind: 'ship_window_changed', lineKey, before: a.shipWindow, after: b.shipWindow });
      }
    }
  }
  return changes;
}

/** True when the changes cancel the order: the exported PO should be cancelled, not amended. */
export function isCancellation(changes: readonly AmendmentChange[]): boolean {
  return changes.some((c) => c.kind === 'status_changed' && c.cancellation);
}

/**
 * Lines sharing a key (a malformed order; see `orderProblems`) are summed into one, so the diff stays
 * about quantities rather than reporting phantom adds/removes.
 */
function indexLines(lines: readonly OrderLine[]): Map<string, OrderLine> {
  const map = new Map<string, OrderLine>();
  for (const line of lines) {
    const seen = map.get(line.lineKey);
    map.set(line.lineKey, seen === undefined ? line : { ...seen, quantity: seen.quantity + line.quantity });
  }
  return map;
}

function sameWindow(a: ShipWindow | null, b: ShipWindow | null): boolean {
  if (a === null || b === null) return a === b;
  return a.start === b.start && a.end === b.end;
}
