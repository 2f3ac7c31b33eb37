import { receivingStepKeys, type RecordedReceipt, type ReceivingStep } from '../types.ts';

/**
 * Writes the recorded running totals on the POS PO's lines. The port reads what the PO already shows received first
 * and writes only the lines that differ, so a repeated run (a retry, a worker killed after the write) writes nothing.
 */
export const writeReceivedQuantities: ReceivingStep<{ lines: number }> = {
  key: receivingStepKeys.write,
  label: 'Write the received quantities on the purchase order',
  async run(env) {
    const { totals } = env.result<RecordedReceipt>(receivingStepKeys.record);
    await env.ports.receiving.writeReceived(env.loaded.receipt.poId, totals);
    return { lines: totals.length };
  },
};
