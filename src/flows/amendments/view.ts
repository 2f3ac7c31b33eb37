/**
 * An amendment as the order page, the API and the CLI show it: its changes, the decision, and — for the plan — what
 * will change on the PO in words, what is refused and why, with what to do by hand.
 */
import type { PoChange, RefusalReason } from '../../core/amendment-plan.ts';
import { formatMoney } from '../../core/money.ts';
import type { AmendmentRecord } from '../../store/repos/index.ts';
import type { AmendmentApplyPlan } from './plan.ts';

export interface PlannedChangeView {
  kind: PoChange['kind'];
  /** What will be done, in words (`Set the quantity of item 123 from 4 to 6`). */
  description: string;
  posItemId: string | null;
  lineKeys: string[];
}

export interface AmendmentPlanView {
  amendmentId: string;
  orderId: string;
  poNumber: string;
  poUrl: string;
  poStatus: string;
  fingerprint: string;
  /** Nothing refused, nothing to review: it could be applied without a person. */
  needsNoReview: boolean;
  changesSomething: boolean;
  changes: PlannedChangeView[];
  refused: Array<{ reason: RefusalReason; lineKeys: string[]; message: string; byHand: string[] }>;
  review: Array<{ lineKey: string | null; message: string }>;
  notes: string[];
  /** The added lines as planned against the POS catalog (null: none added). */
  added: {
    newProducts: number;
    lines: Array<{ lineKey: string; name: string; size: string; quantity: number; decision: string }>;
    blockers: string[];
  } | null;
}

function describe(change: PoChange, po: string): string {
  switch (change.kind) {
    case 'set_quantity':
      return `Set the quantity of item ${change.posItemId} from ${change.from} to ${change.to} on PO ${po}`;
    case 'remove_line':
      return `Remove item ${change.posItemId} from PO ${po}`;
    case 'add_lines':
      return `Add ${change.lines.length} line${change.lines.length === 1 ? '' : 's'} to PO ${po} (matched or new items, as planned below)`;
    case 'set_cost':
      return `Set the unit cost of item ${change.posItemId} to ${formatMoney(change.to)} on PO ${po}`;
    case 'set_expected_date':
      return `Set the expected date of PO ${po} to ${change.to ?? 'none'}`;
    case 'cancel_po':
      return change.message;
  }
}

export function planView(p: AmendmentApplyPlan): AmendmentPlanView {
  return {
    amendmentId: p.amendmentId,
    orderId: p.orderId,
    poNumber: p.poNumber,
    poUrl: p.poUrl,
    poStatus: p.poStatus,
    fingerprint: p.fingerprint,
    needsNoReview: p.needsNoReview,
    changesSomething: p.changesSomething,
    changes: p.plan.changes.map((c) => ({
      kind: c.kind,
      description: describe(c, p.poNumber),
      posItemId: 'posItemId' in c ? c.posItemId : null,
      lineKeys: 'lineKeys' in c ? [...c.lineKeys] : c.kind === 'add_lines' ? c.lines.map((l) => l.lineKey) : [],
    })),
    refused: p.plan.refused.map((r) => ({ ...r, lineKeys: [...r.lineKeys], byHand: [...r.byHand] })),
    review: p.plan.review.map((r) => ({ ...r })),
    notes: [...p.plan.notes],
    added: p.added
      ? {
          newProducts: p.added.newProducts.length,
          lines: p.added.lines.map((l) => ({
            lineKey: l.lineKey,
            name: l.name,
            size: l.size,
            quantity: l.quantity,
            decision: l.decision.kind,
          })),
          blockers: p.added.blockers.map((b) => b.message),
        }
      : null,
  };
}

export interface AmendmentView {
  id: string;
  orderId: string;
  state: 'open' | 'accepted' | 'dismissed';
  detectedAt: number;
  changes: AmendmentRecord['changes'];
  decidedBy: string | null;
  decidedAt: number | null;
  /** applying | applied | failed once accepted; null while open or when dismissed. */
  applyState: 'applying' | 'applied' | 'refused' | 'failed' | null;
  /** Why the apply failed, or what it left to do by hand. */
  applyMessage: string | null;
  applyJobId: string | null;
  appliedAt: number | null;
}

export function amendmentView(a: AmendmentRecord): AmendmentView {
  const result = (a.applyResult ?? {}) as { message?: string; refused?: Array<{ message: string }> };
  const byHand = result.refused?.length ? `Not applied: ${result.refused.map((r) => r.message).join('; ')}` : null;
  return {
    id: a.id,
    orderId: a.orderId,
    state: a.state,
    detectedAt: a.detectedAt,
    changes: a.changes,
    decidedBy: a.decidedBy,
    decidedAt: a.decidedAt,
    applyState: a.applyState,
    applyMessage: result.message ?? byHand,
    applyJobId: a.applyJobId,
    appliedAt: a.appliedAt,
  };
}
