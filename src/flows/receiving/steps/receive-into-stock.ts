import { receivingStepKeys, remainderKeyOf, type ClosedStep, type ReceivingStep } from '../types.ts';

/**
 * Makes the received units stock where the POS API can (X-Series: the PO is RECEIVED, the units still open go on a
 * new order found again by its key); R-Series checks units in in the POS itself, so nothing is written there. The
 * port reads first, so a PO already received is not written again.
 */
export const receiveIntoStock: ReceivingStep<ClosedStep> = {
  key: receivingStepKeys.close,
  label: 'Receive the units into stock and keep the rest on order',
  async run(env) {
    const { receipt } = env.loaded;
    const closed = await env.ports.receiving.closeReceipt(receipt.poId, { remainderKey: remainderKeyOf(receipt) });
    return { remainderPoId: closed.remainder?.id ?? null, remainderPoNumber: closed.remainder?.number ?? null };
  },
};
