import type { AddLineOutcome } from '../../../core/ports/pos.ts';
import { amendmentDecisions } from '../../../store/repos/index.ts';
import { amendmentStepKeys, type AmendmentStep } from '../types.ts';

export interface AmendmentApplied {
  poNumber: string;
  /** What the steps did, by step key (their recorded results). */
  steps: Record<string, unknown>;
  /** Added lines the POS refused, with its message. */
  rejectedLines: Array<{ posItemId: string; lineKeys: string[]; message: string }>;
  /** Changes the PO could not take (from the plan), with what to do by hand. */
  refused: unknown[];
}

/** The amendment is applied: what each step did and what stays to do by hand, on the amendment. */
export function markApplied(stepKeys: readonly string[]): AmendmentStep<{ applied: true }> {
  return {
    key: amendmentStepKeys.applied,
    label: 'Mark the amendment applied',
    async run(env) {
      const { ctx, amendment, apply } = env.loaded;
      const steps = Object.fromEntries(stepKeys.filter((k) => env.isDone(k)).map((k) => [k, env.result(k)]));
      const outcomes = env.isDone(amendmentStepKeys.addLines)
        ? env.result<AddLineOutcome[]>(amendmentStepKeys.addLines)
        : [];
      const result: AmendmentApplied = {
        poNumber: apply.poNumber,
        steps,
        rejectedLines: outcomes.flatMap((o) =>
          o.outcome === 'rejected' ? [{ posItemId: o.posItemId, lineKeys: o.sourceLineKeys, message: o.message }] : [],
        ),
        refused: [...apply.plan.refused],
      };
      await amendmentDecisions.finishApply(
        ctx.store.db,
        amendment.tenantId,
        amendment.id,
        'applied',
        result,
        ctx.now(),
      );
      return { applied: true };
    },
  };
}
