import type { PlannedPurchaseOrder } from '../../../core/plan.ts';
import type { PosPurchaseOrder } from '../../../core/ports/pos.ts';
import { stepKeys, type ExportEnv, type ExportStep } from '../types.ts';
import { lineOutcomes } from './add-lines.ts';

type Submitted = PosPurchaseOrder | { skipped: string };

/**
 * Moves the PO to the state a buyer expects (R-Series: Ordered; X-Series: SENT when configured). Idempotent in the
 * POS; a PO that got no line is left as it is (R-Series cannot order an empty PO).
 */
export function submitPurchaseOrder(po: PlannedPurchaseOrder, orderId: string): ExportStep<Submitted> {
  const submit = (env: ExportEnv, firstAttempt: boolean): Promise<Submitted> => {
    if (!lineOutcomes(env, po, orderId).some((o) => o.outcome === 'added'))
      return Promise.resolve({ skipped: 'no line was added' });
    const poId = env.result<PosPurchaseOrder>(stepKeys.purchaseOrder(orderId)).id;
    return env.ports.pos.submitPurchaseOrder(poId, firstAttempt ? { firstAttempt: true } : {});
  };
  return {
    key: stepKeys.submit(orderId),
    label: `Mark the purchase order for order ${po.orderNumber} as ordered`,
    scope: orderId,
    run: (env) => submit(env, true),
    reconcile: (env) => submit(env, false),
  };
}
