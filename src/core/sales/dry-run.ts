/**
 * The dry run: the same orders judged by the active rules and by a draft, side by side, with the figures an
 * actual sync of those orders would produce. Pure: the flow gathers the orders and their blockers.
 */
import { evaluateRules, orderFacts, type NsOrderSummary, type RuleDecision, type RuleSetDocument } from './rules.ts';

export interface DryRunOrder {
  order: NsOrderSummary;
  /** Already sent by an earlier sync (as this mapping key): a sync does not send it again. */
  alreadySent: { status: string; xSaleId: string } | null;
  /** Why the order could not be sent even if a rule says so (unmapped location or item), if anything. */
  blocker: string | null;
  /** An X-Series sale id NetSuite already carries that is not the one Tradeloop would make: never sent again. */
  linkedElsewhere?: string | null;
}

export type PlannedOutcome =
  | { outcome: 'send'; status: string; xStatus: string; ruleId: string; ruleName: string }
  | { outcome: 'not_sent'; reason: string; ruleId: string | null }
  | { outcome: 'blocked'; status: string; reason: string; ruleId: string }
  | { outcome: 'already_sent'; status: string };

/** What a sync does with one order under one rule set. */
export function planOrder(
  document: RuleSetDocument,
  item: DryRunOrder,
): { decision: RuleDecision; planned: PlannedOutcome } {
  const decision = evaluateRules(document, orderFacts(item.order, document));
  if (item.alreadySent) return { decision, planned: { outcome: 'already_sent', status: item.alreadySent.status } };
  if (item.linkedElsewhere) {
    return {
      decision,
      planned: {
        outcome: 'not_sent',
        reason: `NetSuite already links it to X-Series sale ${item.linkedElsewhere}`,
        ruleId: null,
      },
    };
  }
  if (!decision.send)
    return { decision, planned: { outcome: 'not_sent', reason: decision.reason, ruleId: decision.ruleId } };
  if (item.blocker)
    return {
      decision,
      planned: { outcome: 'blocked', status: decision.status, reason: item.blocker, ruleId: decision.ruleId },
    };
  return {
    decision,
    planned: {
      outcome: 'send',
      status: decision.status,
      xStatus: decision.xStatus,
      ruleId: decision.ruleId,
      ruleName: decision.ruleName,
    },
  };
}

export interface DryRunFigures {
  orders: number;
  send: number;
  sendByStatus: Record<string, number>;
  notSent: number;
  blocked: number;
  alreadySent: number;
}

export type ChangeKind = 'same' | 'newly_sent' | 'no_longer_sent' | 'status_changed';

export interface DryRunRow {
  orderId: string;
  tranId: string;
  active: PlannedOutcome;
  draft: PlannedOutcome;
  change: ChangeKind;
}

export interface DryRunReport {
  draft: DryRunFigures;
  active: DryRunFigures;
  changed: number;
  rows: DryRunRow[];
}

export function emptyFigures(): DryRunFigures {
  return { orders: 0, send: 0, sendByStatus: {}, notSent: 0, blocked: 0, alreadySent: 0 };
}

export function addToFigures(figures: DryRunFigures, planned: PlannedOutcome): void {
  figures.orders++;
  if (planned.outcome === 'send') {
    figures.send++;
    figures.sendByStatus[planned.status] = (figures.sendByStatus[planned.status] ?? 0) + 1;
  } else if (planned.outcome === 'not_sent') figures.notSent++;
  else if (planned.outcome === 'blocked') figures.blocked++;
  else figures.alreadySent++;
}

function changeOf(active: PlannedOutcome, draft: PlannedOutcome): ChangeKind {
  const sends = (p: PlannedOutcome): boolean => p.outcome === 'send' || p.outcome === 'blocked';
  if (sends(active) && !sends(draft)) return 'no_longer_sent';
  if (!sends(active) && sends(draft)) return 'newly_sent';
  if (sends(active) && sends(draft) && 'status' in active && 'status' in draft && active.status !== draft.status)
    return 'status_changed';
  return 'same';
}

export function dryRun(active: RuleSetDocument, draft: RuleSetDocument, orders: DryRunOrder[]): DryRunReport {
  const report: DryRunReport = { draft: emptyFigures(), active: emptyFigures(), changed: 0, rows: [] };
  for (const item of orders) {
    const a = planOrder(active, item).planned;
    const d = planOrder(draft, item).planned;
    addToFigures(report.active, a);
    addToFigures(report.draft, d);
    const change = changeOf(a, d);
    if (change !== 'same') report.changed++;
    report.rows.push({ orderId: item.order.id, tranId: item.order.tranId, active: a, draft: d, change });
  }
  return report;
}
