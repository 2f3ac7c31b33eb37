import { invalidInput } from '../../../core/errors.ts';
import { receipts } from '../../../store/repos/index.ts';
import { receivingStepKeys, type RecordedReceipt, type ReceivingStep } from '../types.ts';

/**
 * Fixes the running totals this receipt writes: what the PO shows received now plus this receipt's units. Recorded
 * once (the step's result and the receipt row), so a retried commit or a resumed saga writes the same totals and the
 * units land once. Nothing is written to the POS here, so running it again after a crash is safe.
 */
export const recordReceipt: ReceivingStep<RecordedReceipt> = {
  key: receivingStepKeys.record,
  label: 'Record the receipt and the totals it writes',
  async run(env) {
    const { ctx, tenantId, receipt } = env.loaded;
    const state = await env.ports.receiving.readReceiving(receipt.poId);
    const units = new Map<string, number>();
    for (const line of receipt.lines) units.set(line.posItemId, (units.get(line.posItemId) ?? 0) + line.quantity);
    const totals = [...units].map(([posItemId, quantity]) => {
      const line = state.lines.find((l) => l.posItemId === posItemId);
      if (!line) throw invalidInput(`POS item ${posItemId} is not on purchase order ${receipt.poNumber}`);
      return { posItemId, received: line.received + quantity };
    });
    await receipts.update(ctx.store.db, tenantId, receipt.id, { state: 'committing', totals, error: null });
    return { totals };
  },
};
