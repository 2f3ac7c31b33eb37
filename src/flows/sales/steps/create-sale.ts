import { AppError } from '../../../core/errors.ts';
import type { SalesOrder } from '../../../core/ports/erp-sales-orders.ts';
import { SALE_SOURCE_TYPE } from '../../../core/sales/keys.ts';
import { formInStep, formOfStatus } from '../../../core/sales/status.ts';
import { saleIdForOrder } from '../env.ts';
import { prepareSale } from '../prepare.ts';
import { orderOf } from '../records.ts';
import { findOrMake, stepKeys, unknownOutcome, type SalesStep, type SalesStepEnv } from '../types.ts';

/**
 * NetSuite → X-Series: the sale a NetSuite order becomes, in the status its rule mapped it to (state + attributes
 * in step), paid when the mapping says so. Its id is derived from the order (the correlation key), so the sale an
 * earlier attempt or a lost reply made is found by it.
 */
export const createSale: SalesStep<{ id: string }> = {
  key: stepKeys.createSale,
  label: 'Create the X-Series sale',
  run: async (env) => {
    const order = await orderOf(env);
    const saleId = saleIdForOrder(env.ports, order.id);
    return findOrMake(
      env,
      async () => ((await env.ports.x.getSale(saleId)) ? { id: saleId } : undefined),
      () => makeSale(env, order, saleId),
    );
  },
  reconcileOn: unknownOutcome,
};

async function makeSale(env: SalesStepEnv, order: SalesOrder, saleId: string): Promise<{ id: string }> {
  const status = env.loaded.row.sentAs ?? '';
  const mapping = (await env.loaded.rules()).mapping.find((m) => m.key === status);
  if (!mapping) throw new AppError('SALES_RULES_OUTDATED', `Status ${status} is not in the mapping`);
  const prepared = await prepareSale(env.ports, order);
  if ('blocker' in prepared) throw new AppError('SALES_ORDER_BLOCKED', prepared.blocker, { retryable: false });
  const p = prepared.prepared;
  const form = formOfStatus(mapping.xStatus);
  const date = order.tranDate ? `${order.tranDate}T12:00:00Z` : new Date(env.now()).toISOString();
  const fulfilment = form.attributes.includes('delivery')
    ? ('DISPATCH' as const)
    : form.attributes.includes('pickup')
      ? ('PICKUP' as const)
      : null;
  const sale = await env.ports.x.createSale({
    id: saleId,
    authorId: p.authorId,
    registerId: p.registerId,
    sourceId: `NS-${order.tranId || order.id}`,
    sourceType: SALE_SOURCE_TYPE,
    date,
    state: form.state,
    attributes: form.attributes,
    note: `NetSuite sales order ${order.tranId}${order.entity?.name ? ` for ${order.entity.name}` : ''}`,
    lines: p.lines.map((l) => ({ ...l, taxId: p.taxId, taxAmount: 0 })),
    ...(mapping.paid && p.paymentTypeId ? { payment: { paymentTypeId: p.paymentTypeId, amount: p.total, date } } : {}),
    ...(fulfilment ? { fulfillment: { type: fulfilment, note: `NetSuite ${order.tranId}` } } : {}),
  });
  // The 2026-07 reply has `state` + `attributes`, no legacy status, and the spec requires neither: check the form
  // when the reply carries it. The status itself is read back through 2.0 by the sync.
  if (sale.state !== null && !formInStep(mapping.xStatus, sale.state, sale.attributes ?? form.attributes)) {
    throw new AppError(
      'SALES_STATUS_MISMATCH',
      `X-Series recorded sale ${sale.id} as ${sale.state} ${JSON.stringify(sale.attributes)}, not ${mapping.xStatus}`,
    );
  }
  return { id: sale.id };
}
