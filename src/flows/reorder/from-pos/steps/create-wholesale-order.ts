import type { NewOrderLine } from '../../../../core/ports/wholesale-orders-out.ts';
import type { PosReorderLine } from '../../../../store/repos/index.ts';
import { stepKeys, type CreatedOrderResult, type PosReorderEnv, type PosReorderStep } from '../types.ts';

/** The PO's mapped lines as the wholesale order takes them: one line per style/colour, its sizes beneath. */
export function orderLinesOf(lines: readonly PosReorderLine[]): NewOrderLine[] {
  const groups = new Map<
    string,
    { productSourceId: string; styleNumber: string; color: string; sizes: Array<{ size: string; quantity: number }> }
  >();
  for (const l of lines) {
    const key = `${l.productSourceId}|${l.color}`;
    const group = groups.get(key) ?? {
      productSourceId: l.productSourceId,
      styleNumber: l.styleNumber,
      color: l.color,
      sizes: [],
    };
    const size = group.sizes.find((s) => s.size === l.size);
    if (size) size.quantity += l.quantity;
    else group.sizes.push({ size: l.size, quantity: l.quantity });
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * Sends the PO's mapped lines to the brand as a new order under the number the pairing chose. The number is the
 * retry key at the source: a resend after a lost reply or a crash gets 409 and reads the order made the first time
 * (connectors/nuorder/create-order.ts), so running the step again is its own reconcile.
 */
export function createWholesaleOrder(loaded: {
  reorder: { orderNumber: string; posPoNumber: string; brandName: string };
}): PosReorderStep<CreatedOrderResult> {
  const send = async (env: PosReorderEnv): Promise<CreatedOrderResult> => {
    const { reorder } = env.loaded;
    return env.ports.orders.createOrder({
      orderNumber: reorder.orderNumber,
      customerPoNumber: reorder.posPoNumber,
      notes: `Reorder from the POS back office: purchase order ${reorder.posPoNumber}`,
      lines: orderLinesOf(reorder.lines),
    });
  };
  return {
    key: stepKeys.createOrder,
    label: `Send purchase order ${loaded.reorder.posPoNumber} to ${loaded.reorder.brandName} as order ${loaded.reorder.orderNumber}`,
    run: send,
    reconcile: send,
  };
}
