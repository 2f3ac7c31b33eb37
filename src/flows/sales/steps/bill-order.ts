import type { ErpBillType } from '../../../core/ports/erp-sales-orders.ts';
import { billExternalId } from '../../../core/sales/keys.ts';
import { billTarget } from '../../../core/sales/order.ts';
import { readOrder } from '../records.ts';
import { findOrMake, stepKeys, unknownOutcome, type SalesStep } from '../types.ts';

export interface BillResult {
  id: string | null;
  type: ErpBillType;
  note?: string;
}

/**
 * The fulfilled sales order is billed as its form says (an invoice, or a cash sale), its external id
 * `TL-BILL-<order>`. A bill NetSuite already made (with the fulfilment, when Advanced Shipping is off) counts.
 */
export const billOrder: SalesStep<BillResult> = {
  key: stepKeys.bill,
  label: 'Bill the sales order in NetSuite',
  run: async (env) => {
    const orderId = env.loaded.row.nsId ?? '';
    const target = billTarget(await readOrder(env, orderId));
    return findOrMake<BillResult>(
      env,
      async () => {
        const made = await env.ports.ns.findByExternalId(target, billExternalId(orderId));
        if (made) return { id: made.id, type: target };
        const fresh = await readOrder(env, orderId);
        const unbilled = fresh.lines.some((l) => l.quantityFulfilled > l.quantityBilled);
        if (!['G', 'H'].includes(fresh.statusCode) && unbilled) return undefined;
        const child = (await env.ports.ns.recordsMadeFrom(orderId)).find((c) => c.type !== 'itemFulfillment');
        const type = child && child.type !== 'itemFulfillment' ? child.type : target;
        return { id: child?.id ?? null, type, note: 'already billed in NetSuite' };
      },
      async () => ({
        id: await env.ports.ns.bill(orderId, target, {
          externalId: billExternalId(orderId),
          memo: 'Billed by Tradeloop when the X-Series sale was completed',
        }),
        type: target,
      }),
    );
  },
  reconcileOn: unknownOutcome,
};
