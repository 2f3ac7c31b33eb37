import type { CancelHow } from '../../../core/ports/po-changes.ts';
import { amendmentStepKeys, type AmendmentStep } from '../types.ts';

/**
 * The order was cancelled: the PO is cancelled the way its POS allows (X-Series status CANCELLED; R-Series archived,
 * or finished once units are checked in). The port leaves a PO already so as it is, so a retry changes nothing.
 */
export function cancelPurchaseOrder(
  poNumber: string,
  how: CancelHow,
  message: string,
): AmendmentStep<{ status: string }> {
  return {
    key: amendmentStepKeys.cancel,
    label: message || `Cancel PO ${poNumber}`,
    async run(env) {
      const after = await env.ports.changes.cancelPurchaseOrder(env.loaded.apply.poId, how);
      return { status: after.status };
    },
  };
}
