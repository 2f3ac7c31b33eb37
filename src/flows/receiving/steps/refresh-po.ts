import { receipts } from '../../../store/repos/index.ts';
import { receivingStepKeys, type ClosedStep, type ReceivingStep } from '../types.ts';

/** Reads the PO as the POS shows it now and marks the receipt committed, with where its open units went. */
export const refreshPo: ReceivingStep<{ received: number; ordered: number }> = {
  key: receivingStepKeys.refresh,
  label: 'Read the purchase order back and mark the receipt committed',
  async run(env) {
    const { ctx, tenantId, receipt } = env.loaded;
    const state = await env.ports.receiving.readReceiving(receipt.poId);
    const closed = env.result<ClosedStep>(receivingStepKeys.close);
    await receipts.update(ctx.store.db, tenantId, receipt.id, {
      state: 'committed',
      remainderPoId: closed.remainderPoId,
      remainderPoNumber: closed.remainderPoNumber,
      stockOnCommit: env.ports.receiving.stockOnCommit,
      committedAt: env.now(),
      error: null,
    });
    return {
      received: state.lines.reduce((n, l) => n + l.received, 0),
      ordered: state.lines.reduce((n, l) => n + l.ordered, 0),
    };
  },
};
