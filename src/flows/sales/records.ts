/** The records a synced row's steps work on, as the sync just read them or read now. */
import { AppError } from '../../core/errors.ts';
import type { SalesOrder } from '../../core/ports/erp-sales-orders.ts';
import type { PosSale } from '../../core/ports/pos-sales.ts';
import type { SalesStepEnv } from './types.ts';

/** The NetSuite order this row syncs. */
export async function orderOf(env: SalesStepEnv): Promise<SalesOrder> {
  return env.loaded.given?.order ?? readOrder(env, env.loaded.row.nsId ?? '');
}

/** The order as NetSuite has it now (fulfilment and billing read what is left). */
export async function readOrder(env: SalesStepEnv, orderId: string): Promise<SalesOrder> {
  const order = await env.ports.ns.salesOrder(orderId);
  if (!order) throw new AppError('SALES_ORDER_MISSING', `NetSuite sales order ${orderId} no longer exists`);
  return order;
}

/** The POS sale this row imports. */
export async function saleOf(env: SalesStepEnv): Promise<PosSale> {
  const given = env.loaded.given?.sale;
  if (given) return given;
  const id = env.loaded.row.xSaleId ?? '';
  const sale = await env.ports.x.getSale(id);
  if (!sale) throw new AppError('SALES_SALE_MISSING', `X-Series sale ${id} no longer exists`, { retryable: false });
  return sale;
}
