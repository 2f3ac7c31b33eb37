import type { AddLineOutcome, PurchaseOrderLineSpec } from '../../../core/ports/pos.ts';
import { createdProducts, lineSpecOf } from '../../export/types.ts';
import { amendmentStepKeys, type AmendmentEnv, type AmendmentStep } from '../types.ts';

/**
 * The added order lines onto the PO, with their POS items (matched, or made by the create-product steps). Never sent
 * twice blindly: the port lists the PO's lines first and adds only those still missing (X-Series bulk counts add up).
 */
export function addLines(poNumber: string, lineCount: number): AmendmentStep<AddLineOutcome[]> {
  return {
    key: amendmentStepKeys.addLines,
    label: `Add ${lineCount} line${lineCount === 1 ? '' : 's'} to PO ${poNumber}`,
    async run(env) {
      return env.ports.pos.addPurchaseOrderLines(env.loaded.apply.poId, addedLineSpecs(env));
    },
  };
}

/** The added lines as PO lines: a planned line whose item is unknown (to review) is not sent. */
export function addedLineSpecs(env: AmendmentEnv): PurchaseOrderLineSpec[] {
  const products = createdProducts(env);
  const lines = env.loaded.apply.added?.purchaseOrders.flatMap((po) => po.lines) ?? [];
  return lines.flatMap((line) => lineSpecOf(line, products) ?? []);
}
