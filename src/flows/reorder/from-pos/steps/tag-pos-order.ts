import type { PoTagOutcome } from '../../../../core/ports/po-feed.ts';
import { stepKeys, type CreatedOrderResult, type PosReorderEnv, type PosReorderStep } from '../types.ts';

/**
 * Writes the wholesale order's number on the POS purchase order, so the merchant sees which NuORDER order it became.
 * The port reads the PO first: a retry, or a write whose reply was lost, finds the tag there and writes nothing.
 */
export function tagPosOrder(loaded: { reorder: { posPoNumber: string } }): PosReorderStep<PoTagOutcome> {
  const tag = async (env: PosReorderEnv): Promise<PoTagOutcome> => {
    const created = env.result<CreatedOrderResult>(stepKeys.createOrder);
    return env.ports.feed.tag(env.loaded.reorder.posPoId, created.orderNumber);
  };
  return {
    key: stepKeys.tag,
    label: `Write the NuORDER order number on purchase order ${loaded.reorder.posPoNumber}`,
    run: tag,
    reconcile: tag,
  };
}
