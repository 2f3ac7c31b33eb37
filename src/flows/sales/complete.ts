/**
 * Pull back, then fulfil and bill: when the POS finishes a sale that stands for a NetSuite sales order (CLOSED,
 * DISPATCHED_CLOSED, PICKED_UP_CLOSED; LAYBY_CLOSED for an imported layby), the sales order is fulfilled (item
 * fulfilment with serial/lot/bin detail) and billed (invoice or cash sale, by its form), exactly once.
 *
 * Two recorded steps, `fulfil` then `bill`, each with an external id on the record it makes (`TL-IF-<order>`,
 * `TL-BILL-<order>`): a step recorded done is never repeated, and a step that was running when its worker died
 * (or whose reply was lost) is looked up before anything is sent again. What NetSuite already did by itself
 * (fulfilled in the warehouse, billed with the fulfilment when Advanced Shipping is off) counts as done.
 */
import { AppError } from '../../core/errors.ts';
import type { ErpBillType, SalesOrder } from '../../core/ports/erp-sales-orders.ts';
import { billExternalId, fulfilmentExternalId } from '../../core/sales/keys.ts';
import { billTarget, notedNumbers, openRemaining } from '../../core/sales/order.ts';
import { salesSyncs, type SalesSync } from '../../store/repos/index.ts';
import type { SalesEnv } from './env.ts';
import { runStep } from './steps.ts';

export interface CompleteResult {
  syncId: string;
  fulfilmentId: string | null;
  billId: string | null;
  billType: ErpBillType;
}

export async function completeSync(
  env: SalesEnv,
  syncId: string,
  options: { heartbeat?: () => Promise<void> } = {},
): Promise<CompleteResult | { skipped: string }> {
  const heartbeat = options.heartbeat ?? (async () => {});
  const { ctx, tenantId } = env;
  const db = ctx.store.db;
  const row = await salesSyncs.get(db, tenantId, syncId);
  if (!row) return { skipped: 'no such synced order' };
  if (!row.nsId || (row.nsRecordType !== null && row.nsRecordType !== 'salesOrder'))
    return { skipped: 'not a NetSuite sales order' };
  if (row.state === 'completed')
    return {
      syncId,
      fulfilmentId: row.fulfilmentId,
      billId: row.billId,
      billType: (row.billType as ErpBillType | null) ?? 'invoice',
    };
  await salesSyncs.update(
    db,
    tenantId,
    syncId,
    { state: 'completing', errorCode: null, errorMessage: null },
    ctx.now(),
  );
  const orderId = row.nsId;
  const stepEnv = { db, tenantId, now: ctx.now };
  const readOrder = async (): Promise<SalesOrder> => {
    const order = await env.ns.salesOrder(orderId);
    if (!order) throw new AppError('SALES_ORDER_MISSING', `NetSuite sales order ${orderId} no longer exists`);
    return order;
  };

  await heartbeat();
  const fulfilment = await runStep<{ id: string | null; note?: string }>(stepEnv, syncId, 'fulfil', {
    lookup: async () => {
      const made = await env.ns.findByExternalId('itemFulfillment', fulfilmentExternalId(orderId));
      if (made) return { id: made.id };
      const order = await readOrder();
      if (['F', 'G', 'H'].includes(order.statusCode) || openRemaining(order).length === 0) {
        const child = (await env.ns.recordsMadeFrom(orderId)).find((c) => c.type === 'itemFulfillment');
        return { id: child?.id ?? null, note: 'already fulfilled in NetSuite' };
      }
      return undefined;
    },
    perform: async () => {
      const order = await readOrder();
      const sale = row.xSaleId ? await env.x.getSale(row.xSaleId) : undefined;
      const id = await env.ns.fulfil(order, {
        externalId: fulfilmentExternalId(orderId),
        memo: 'Fulfilled by Tradeloop when the X-Series sale was completed',
        preferredNumbers: notedNumbers(sale?.lines.map((l) => l.note) ?? []),
      });
      return { id };
    },
  });
  await salesSyncs.update(db, tenantId, syncId, { fulfilmentId: fulfilment.id }, ctx.now());

  await heartbeat();
  const order = await readOrder();
  const target = billTarget(order);
  const bill = await runStep<{ id: string | null; type: ErpBillType; note?: string }>(stepEnv, syncId, 'bill', {
    lookup: async () => {
      const made = await env.ns.findByExternalId(target, billExternalId(orderId));
      if (made) return { id: made.id, type: target };
      const fresh = await readOrder();
      const unbilled = fresh.lines.some((l) => l.quantityFulfilled > l.quantityBilled);
      if (['G', 'H'].includes(fresh.statusCode) || !unbilled) {
        const child = (await env.ns.recordsMadeFrom(orderId)).find((c) => c.type !== 'itemFulfillment');
        return {
          id: child?.id ?? null,
          type: child && child.type !== 'itemFulfillment' ? child.type : target,
          note: 'already billed in NetSuite',
        };
      }
      return undefined;
    },
    perform: async () => ({
      id: await env.ns.bill(orderId, target, {
        externalId: billExternalId(orderId),
        memo: 'Billed by Tradeloop when the X-Series sale was completed',
      }),
      type: target,
    }),
  });

  await salesSyncs.update(
    db,
    tenantId,
    syncId,
    {
      state: 'completed',
      fulfilmentId: fulfilment.id,
      billId: bill.id,
      billType: bill.type,
      errorCode: null,
      errorMessage: null,
    },
    ctx.now(),
  );
  return { syncId, fulfilmentId: fulfilment.id, billId: bill.id, billType: bill.type };
}

export type { SalesSync };
