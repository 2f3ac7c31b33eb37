import { poStage } from '../../../core/po-change-rules.ts';
import { PermanentJobError } from '../../../jobs/errors.ts';
import { amendmentStepKeys, currentPo, type AmendmentStep } from '../types.ts';

const finalStages = new Set(['received', 'closed', 'cancelled']);

/**
 * The PO as the POS has it when the apply begins: one received, finished or cancelled since the amendment was
 * accepted takes nothing more, and the apply stops there with the reason rather than fail change by change.
 */
export function readPurchaseOrder(poNumber: string): AmendmentStep<{ status: string }> {
  return {
    key: amendmentStepKeys.check,
    label: `Read PO ${poNumber} as the POS has it now`,
    async run(env) {
      const po = await currentPo(env);
      const stage = poStage(env.loaded.poChanges, po.status);
      if (finalStages.has(stage))
        throw new PermanentJobError(
          `PO ${po.number} is ${po.status} in the POS now; it takes no more changes. Make them by hand in the POS`,
        );
      return { status: po.status };
    },
  };
}
