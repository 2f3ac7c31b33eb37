import type { PoTagOutcome } from '../../../../core/ports/po-feed.ts';
import { posReorders } from '../../../../store/repos/index.ts';
import { stepKeys, type CreatedOrderResult, type PosReorderEnv, type PosReorderStep } from '../types.ts';

/**
 * Records the pairing as sent: the wholesale order's source id is what the order pull recognises when the brand
 * approves it (adopt.ts). A store write that sets values, so running it again changes nothing.
 */
export function recordPairing(): PosReorderStep<{ sourceOrderId: string }> {
  const record = async (env: PosReorderEnv): Promise<{ sourceOrderId: string }> => {
    const created = env.result<CreatedOrderResult>(stepKeys.createOrder);
    const tagged = env.result<PoTagOutcome>(stepKeys.tag);
    const { ctx, reorder } = env.loaded;
    await posReorders.markSent(
      ctx.store.db,
      reorder.tenantId,
      reorder.id,
      { sourceOrderId: created.sourceId, orderNumber: created.orderNumber, tagField: tagged.field },
      env.now(),
    );
    return { sourceOrderId: created.sourceId };
  };
  return {
    key: stepKeys.record,
    label: 'Record the pairing of the purchase order and the NuORDER order',
    run: record,
    reconcile: record,
  };
}
