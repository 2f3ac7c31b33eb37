/**
 * From an accepted amendment (amendment.ts: what changed on the wholesale order since the export) and the exported
 * PO as the POS has it now, what to change on the PO: quantities, lines to add (planned and reviewed like an
 * export), lines to remove, a new cost or expected date, or the whole PO cancelled the way the POS allows. What the
 * PO can no longer take is refused with the reason and what a person would do by hand. Pure; the flow applies the
 * changes as a saga.
 *
 * What each POS allows, per stage, is its own description (po-change-rules.ts, from its connector's manifest),
 * carried on the exported PO.
 */
import type { AmendmentChange } from './amendment.ts';
import { isCancellation } from './amendment.ts';
import { money, type Money } from './money.ts';
import type { OrderLine } from './wholesale-order.ts';
import { statusWord, type PoChangeRules, type PoStage } from './po-change-rules.ts';

export { poStage, type PoChangeRules, type PoStage } from './po-change-rules.ts';

export interface ExportedPoLine {
  readonly posItemId: string;
  readonly quantity: number;
  readonly unitCost: Money | null;
  /** Units received so far (X-Series `received`, R-Series `checkedIn`). */
  readonly received: number;
  /** The order lines the export put on this PO line. */
  readonly sourceLineKeys: readonly string[];
}

export interface ExportedPo {
  /** How the PO's POS takes changes, as its manifest says. */
  readonly rules: PoChangeRules;
  readonly stage: PoStage;
  /** The PO's number, for messages. */
  readonly number: string;
  readonly lines: readonly ExportedPoLine[];
  /** PO units per ordered unit of a source line, when the export converted packs into units (default 1). */
  readonly unitsPerLine?: Readonly<Record<string, number>>;
}

export type PoChange =
  | {
      readonly kind: 'set_quantity';
      readonly posItemId: string;
      readonly from: number;
      readonly to: number;
      readonly lineKeys: readonly string[];
    }
  | { readonly kind: 'remove_line'; readonly posItemId: string; readonly lineKeys: readonly string[] }
  /** New order lines: plan them like an export (match or create items, review), then add them to this PO. */
  | { readonly kind: 'add_lines'; readonly lines: readonly OrderLine[] }
  | {
      readonly kind: 'set_cost';
      readonly posItemId: string;
      readonly from: Money | null;
      readonly to: Money;
      readonly lineKeys: readonly string[];
    }
  /** The order's ship-window end: X-Series `due_at`, R-Series `arrivalDate`. */
  | { readonly kind: 'set_expected_date'; readonly to: string | null }
  /** X-Series: status CANCELLED; R-Series: archive (nothing checked in) or finish (some units checked in). */
  | { readonly kind: 'cancel_po'; readonly how: 'cancel' | 'archive' | 'finish'; readonly message: string };

export type RefusalReason =
  | 'po_received'
  | 'po_closed'
  | 'po_cancelled'
  | 'po_receiving'
  | 'po_status_unknown'
  | 'below_received'
  | 'line_received';

export interface Refusal {
  readonly reason: RefusalReason;
  /** The order lines the refused change is about; empty for the whole PO. */
  readonly lineKeys: readonly string[];
  readonly message: string;
  /** What a person would do instead, in the POS or with the brand. */
  readonly byHand: readonly string[];
}

export interface AmendmentPlan {
  readonly changes: readonly PoChange[];
  readonly refused: readonly Refusal[];
  /** Things a person must look at (a changed barcode, a line the PO never had). */
  readonly review: ReadonlyArray<{ readonly lineKey: string | null; readonly message: string }>;
  /** Informational: what changed but is not PO data (retail prices, notes). */
  readonly notes: readonly string[];
  /** True when the changes can be applied without a person: nothing refused, nothing to plan or review. */
  readonly automatic: boolean;
}

interface StageRules {
  setQuantity: boolean;
  removeLine: boolean;
  addLine: boolean;
  setCost: boolean;
  setDate: boolean;
  cancel: 'cancel' | 'archive' | null;
}

const none: StageRules = {
  setQuantity: false,
  removeLine: false,
  addLine: false,
  setCost: false,
  setDate: false,
  cancel: null,
};
const all = (cancel: 'cancel' | 'archive'): StageRules => ({
  setQuantity: true,
  removeLine: true,
  addLine: true,
  setCost: true,
  setDate: true,
  cancel,
});

function rulesFor(pos: PoChangeRules, stage: PoStage): StageRules {
  const open = pos.open[stage];
  if (!open) return none;
  const rules = all(pos.cancel.kind === 'status' ? 'cancel' : 'archive');
  return open === 'all' ? rules : { ...rules, setQuantity: false, removeLine: false };
}

/** Why a PO in this stage takes no change at all, and what to do instead. */
function stageRefusal(po: ExportedPo, lineKeys: readonly string[], what: string): Refusal {
  const pos = po.rules;
  switch (po.stage) {
    case 'received':
      return {
        reason: 'po_received',
        lineKeys,
        message: `PO ${po.number} was received in the POS; it can no longer ${what}`,
        byHand: [
          'Make a new purchase order in the POS for units to add',
          'Return units no longer wanted to the supplier, or ask the brand for a credit',
        ],
      };
    case 'closed':
      return {
        reason: 'po_closed',
        lineKeys,
        message: `PO ${po.number} is Finished; it can no longer ${what}`,
        byHand: ['In Retail POS set the PO back to Ordered (Status), then accept the amendment again'],
      };
    case 'cancelled':
      return {
        reason: 'po_cancelled',
        lineKeys,
        message: `PO ${po.number} is ${pos.cancel.kind === 'status' ? 'cancelled' : 'archived'}; it can no longer ${what}`,
        byHand: ['Make a new purchase order in the POS if the goods are still wanted'],
      };
    case 'receiving':
      return {
        reason: 'po_receiving',
        lineKeys,
        message: `Receiving has begun on PO ${po.number} (${statusWord(pos, 'receiving') ?? po.stage}): ${pos.label} no longer changes ordered counts or removes lines`,
        byHand: [
          'Receive what arrived and mark the PO received',
          'Make a new purchase order for extra units; ask the brand for a credit for units that will not come',
        ],
      };
    default:
      return {
        reason: 'po_status_unknown',
        lineKeys,
        message: `PO ${po.number} is in a state Tradeloop does not know; nothing was changed`,
        byHand: ['Check the PO in the POS and change it by hand'],
      };
  }
}

function cancellationPlan(po: ExportedPo, rules: StageRules): Pick<AmendmentPlan, 'changes' | 'refused'> {
  if (rules.cancel === null) return { changes: [], refused: [stageRefusal(po, [], 'be cancelled')] };
  const received = po.lines.reduce((n, l) => n + l.received, 0);
  const cancelStatus = po.rules.cancel.kind === 'status' ? po.rules.cancel.status : 'cancelled';
  if (rules.cancel === 'cancel')
    return {
      changes: [{ kind: 'cancel_po', how: 'cancel', message: `Cancel PO ${po.number} (status ${cancelStatus})` }],
      refused: [],
    };
  if (received === 0)
    return {
      changes: [
        {
          kind: 'cancel_po',
          how: 'archive',
          message: `Archive PO ${po.number} (${po.rules.label} has no cancelled status)`,
        },
      ],
      refused: [],
    };
  const message = `Finish PO ${po.number}: ${received} units already checked in stay in stock, the rest leaves the backorder`;
  return { changes: [{ kind: 'cancel_po', how: 'finish', message }], refused: [] };
}

/** Cost per PO unit when the PO counts units of a pack: rounded half up to the minor unit. */
function perUnit(cost: Money, factor: number): Money {
  return factor === 1 ? cost : money(Math.round(cost.minor / factor), cost.currency);
}

interface Working {
  po: ExportedPo;
  rules: StageRules;
  quantity: Map<string, number>;
  touched: Map<string, Set<string>>;
  changes: PoChange[];
  refused: Refusal[];
  review: Array<{ lineKey: string | null; message: string }>;
  notes: string[];
  added: OrderLine[];
}

function applyLineChange(w: Working, change: AmendmentChange): void {
  const line =
    change.lineKey === null ? undefined : w.po.lines.find((l) => l.sourceLineKeys.includes(change.lineKey as string));
  const factor = change.lineKey === null ? 1 : (w.po.unitsPerLine?.[change.lineKey] ?? 1);
  const touch = (key: string): void => {
    const set = w.touched.get(line?.posItemId ?? '') ?? new Set<string>();
    set.add(key);
    w.touched.set(line?.posItemId ?? '', set);
  };
  switch (change.kind) {
    case 'line_added':
      if (w.rules.addLine) w.added.push(change.after);
      else w.refused.push(stageRefusal(w.po, [change.lineKey], 'take new lines'));
      return;
    case 'quantity_changed':
    case 'line_removed': {
      if (!line) {
        w.review.push({
          lineKey: change.lineKey,
          message: `Line ${change.lineKey} is not on PO ${w.po.number}; plan it like a new line`,
        });
        return;
      }
      const before = change.kind === 'quantity_changed' ? change.before : change.before.quantity;
      const after = change.kind === 'quantity_changed' ? change.after : 0;
      w.quantity.set(line.posItemId, (w.quantity.get(line.posItemId) ?? line.quantity) + (after - before) * factor);
      touch(change.lineKey);
      return;
    }
    case 'cost_changed':
      if (!line) return;
      if (!w.rules.setCost) w.refused.push(stageRefusal(w.po, [change.lineKey], 'change costs'));
      else
        w.changes.push({
          kind: 'set_cost',
          posItemId: line.posItemId,
          from: line.unitCost,
          to: perUnit(change.after, factor),
          lineKeys: [change.lineKey],
        });
      return;
    case 'upc_changed':
      w.review.push({
        lineKey: change.lineKey,
        message: `The barcode changed from ${change.before ?? 'none'} to ${change.after ?? 'none'}: check the POS item this line is linked to`,
      });
      return;
    case 'retail_changed':
      w.notes.push(`The retail price of ${change.lineKey} changed: it is item data, not on the PO`);
      return;
    default:
      orderLevelChange(w, change);
  }
}

function orderLevelChange(w: Working, change: AmendmentChange): void {
  if (change.kind === 'ship_window_changed' && change.lineKey === null) {
    if (w.rules.setDate) w.changes.push({ kind: 'set_expected_date', to: change.after?.end ?? null });
    else w.notes.push(`The ship window changed; PO ${w.po.number} can no longer take a new expected date`);
  } else if (change.kind === 'ship_window_changed') w.notes.push(`The ship window of ${change.lineKey} changed`);
  else if (change.kind === 'notes_changed') w.notes.push('The order notes changed');
}

/** Quantity changes and removals, per PO line, against what was received and what the stage allows. */
function settleQuantities(w: Working): void {
  for (const [posItemId, to] of w.quantity) {
    const line = w.po.lines.find((l) => l.posItemId === posItemId) as ExportedPoLine;
    const lineKeys = [...(w.touched.get(posItemId) ?? [])];
    const target = Math.max(0, to);
    if (target === line.quantity) continue;
    const removing = target === 0;
    if (!(removing ? w.rules.removeLine : w.rules.setQuantity)) {
      w.refused.push(stageRefusal(w.po, lineKeys, removing ? 'remove lines' : 'change quantities'));
    } else if (target < line.received) {
      w.refused.push({
        reason: removing ? 'line_received' : 'below_received',
        lineKeys,
        message: `${line.received} units of this line are already received; the PO cannot go below that`,
        byHand: [
          removing
            ? 'Keep the line, or return the received units to the supplier'
            : `Set the quantity to ${line.received} or more`,
          'Ask the brand for a credit for units received but no longer wanted',
        ],
      });
    } else if (removing) w.changes.push({ kind: 'remove_line', posItemId, lineKeys });
    else w.changes.push({ kind: 'set_quantity', posItemId, from: line.quantity, to: target, lineKeys });
  }
}

export function planAmendment(amendment: readonly AmendmentChange[], po: ExportedPo): AmendmentPlan {
  const rules = rulesFor(po.rules, po.stage);
  if (isCancellation(amendment)) {
    const plan = cancellationPlan(po, rules);
    return { ...plan, review: [], notes: [], automatic: plan.refused.length === 0 };
  }
  const w: Working = {
    po,
    rules,
    quantity: new Map(),
    touched: new Map(),
    changes: [],
    refused: [],
    review: [],
    notes: [],
    added: [],
  };
  if (po.stage === 'unknown' && amendment.length > 0) w.refused.push(stageRefusal(po, [], 'change'));
  else for (const change of amendment) applyLineChange(w, change);
  settleQuantities(w);
  if (w.added.length > 0) w.changes.push({ kind: 'add_lines', lines: w.added });
  return {
    changes: w.changes,
    refused: w.refused,
    review: w.review,
    notes: w.notes,
    automatic: w.refused.length === 0 && w.review.length === 0 && w.added.length === 0 && w.changes.length > 0,
  };
}
