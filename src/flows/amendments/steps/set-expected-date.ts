import { amendmentStepKeys, currentPo, type AmendmentStep } from '../types.ts';

/** The order's new ship-window end as the PO's expected date (X-Series `due_at`, R-Series `arrivalDate`). */
export function setExpectedDate(poNumber: string, to: string | null): AmendmentStep<{ set: boolean }> {
  return {
    key: amendmentStepKeys.expectedDate,
    label: `Set the expected date of PO ${poNumber} to ${to ?? 'none'}`,
    async run(env) {
      const po = await currentPo(env);
      // Compared by day: the POS keeps a time (midnight UTC) where the order has a date.
      if ((po.expectedAt ?? '').slice(0, 10) === (to ?? '').slice(0, 10)) return { set: false };
      await env.ports.changes.setExpectedDate(po.id, to);
      return { set: true };
    },
  };
}
