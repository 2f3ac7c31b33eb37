/**
 * NetSuite → X-Series: one NetSuite sales order judged by the rules and, when a rule sends it, created in X-Series as
 * a sale in the mapped status (legacy status and `state` + `attributes` in step), then linked back in NetSuite
 * (`custbody_tl_xseries_sale_id`). The sale's id is derived from the order (the correlation key), so a retry finds
 * the sale it made instead of making another. The dry run judges orders with the same `assessOrder` + `planOrder`.
 */
import { AppError } from '../../core/errors.ts';
import type { SalesOrder } from '../../core/ports/erp-sales-orders.ts';
import { RemoteAuthLost, RemoteRateLimited } from '../../core/ports/errors.ts';
import { planOrder, type DryRunOrder, type PlannedOutcome } from '../../core/sales/dry-run.ts';
import { orderSummary } from '../../core/sales/order.ts';
import { XSERIES_SALE_ID_FIELD } from '../../core/sales/rules.ts';
import { isCompleting, xStatusLabels } from '../../core/sales/status.ts';
import { salesSyncs, type SalesSync, type SalesSyncChanges } from '../../store/repos/index.ts';
import type { ActiveRules } from './config.ts';
import { nsSourceKey, saleIdForOrder, type SalesEnv } from './env.ts';
import { prepareSale } from './prepare.ts';
import { recordFailure, runRowSteps, stepDone } from './saga.ts';
import { enqueueComplete } from './tasks.ts';
import { stepKeys } from './types.ts';

export const sentStates = ['sent', 'completing', 'completed'] as const;

/** The order as the planner sees it: already sent?, linked to someone else's sale?, blocked? */
export async function assessOrder(env: SalesEnv, order: SalesOrder, row: SalesSync | undefined): Promise<DryRunOrder> {
  const summary = orderSummary(order);
  const ours = saleIdForOrder(env, order.id);
  const carried =
    typeof order.custom[XSERIES_SALE_ID_FIELD] === 'string' && order.custom[XSERIES_SALE_ID_FIELD] !== ''
      ? (order.custom[XSERIES_SALE_ID_FIELD] as string)
      : null;
  if (row && (sentStates as readonly string[]).includes(row.state)) {
    return {
      order: summary,
      alreadySent: { status: row.sentAs ?? '?', xSaleId: row.xSaleId ?? ours },
      blocker: null,
      linkedElsewhere: null,
    };
  }
  if (carried && carried === ours)
    return {
      order: summary,
      alreadySent: { status: row?.sentAs ?? '?', xSaleId: ours },
      blocker: null,
      linkedElsewhere: null,
    };
  const prepared = await prepareSale(env, order);
  return {
    order: summary,
    alreadySent: null,
    blocker: 'blocker' in prepared ? prepared.blocker : null,
    linkedElsewhere: carried,
  };
}

export interface OrderSyncResult {
  orderId: string;
  tranId: string;
  outcome: PlannedOutcome['outcome'] | 'failed' | 'missing';
  status?: string;
  syncId?: string;
}

/**
 * Syncs one NetSuite sales order under the active rules. Expected failures (blocked orders, a refused write) are
 * recorded on the order's row and returned; rate limits and lost credentials are thrown (the job defers or pauses).
 */
export async function syncNetsuiteOrder(env: SalesEnv, rules: ActiveRules, orderId: string): Promise<OrderSyncResult> {
  const { ctx, tenantId } = env;
  const order = await env.ns.salesOrder(orderId);
  if (!order) return { orderId, tranId: '', outcome: 'missing' };
  const sourceKey = nsSourceKey(env, order.id);
  const existing = await salesSyncs.findBySource(ctx.store.db, tenantId, sourceKey);
  if (existing && (sentStates as readonly string[]).includes(existing.state)) {
    const status = existing.sentAs ?? undefined;
    return { orderId, tranId: order.tranId, outcome: 'already_sent', status, syncId: existing.id };
  }
  const { sync: row } = await salesSyncs.claim(ctx.store.db, tenantId, {
    direction: 'ns_to_x',
    sourceKey,
    nsConnectionId: env.pair.netsuite.id,
    xConnectionId: env.pair.xseries.id,
    nsId: order.id,
    nsTranId: order.tranId,
    state: 'sending',
    now: ctx.now(),
  });
  try {
    // A sale already made by an earlier attempt is finished with the plan it was made under.
    const decided = (await stepDone(ctx, tenantId, row.id, stepKeys.createSale))
      ? { send: row }
      : await decide(env, rules, order, row);
    if (!('send' in decided)) return decided;
    return await send(env, rules, order, decided.send);
  } catch (error) {
    if (error instanceof RemoteRateLimited || error instanceof RemoteAuthLost) throw error;
    await recordFailure(ctx, tenantId, row.id, error);
    return { orderId, tranId: order.tranId, outcome: 'failed', syncId: row.id };
  }
}

/** What the rules make of the order, on its row: not sent, already sent, blocked (all returned), or to send. */
async function decide(
  env: SalesEnv,
  rules: ActiveRules,
  order: SalesOrder,
  row: SalesSync,
): Promise<OrderSyncResult | { send: SalesSync }> {
  const item = await assessOrder(env, order, row);
  const { planned, decision } = planOrder(rules.document, item);
  const common = {
    nsTranId: order.tranId,
    ruleSetVersion: rules.version,
    ruleId: 'ruleId' in planned ? planned.ruleId : null,
    sourceModified: order.lastModified,
  };
  const result = { orderId: order.id, tranId: order.tranId, syncId: row.id };
  const update = (changes: SalesSyncChanges) =>
    salesSyncs.update(env.ctx.store.db, env.tenantId, row.id, { ...common, ...changes }, env.ctx.now());
  if (planned.outcome === 'not_sent') {
    // NetSuite's own words for the status, for the person reading the log.
    const reason = order.statusName ? `${planned.reason} (NetSuite: ${order.statusName})` : planned.reason;
    await update({ state: 'not_sent', reason, errorCode: null, errorMessage: null });
    return { ...result, outcome: 'not_sent' };
  }
  if (planned.outcome === 'already_sent') {
    const xSaleId = item.alreadySent?.xSaleId ?? null;
    await update({ state: 'sent', xSaleId, reason: 'NetSuite already carries this order’s X-Series sale' });
    return { ...result, outcome: 'already_sent' };
  }
  if (planned.outcome === 'blocked') {
    await update({
      state: 'failed',
      sentAs: planned.status,
      reason: `Rule "${decision.ruleName ?? ''}" sends it as ${planned.status}`,
      errorCode: 'SALES_ORDER_BLOCKED',
      errorMessage: planned.reason,
    });
    return { ...result, outcome: 'blocked', status: planned.status };
  }
  if (!decision.send) throw new Error('unreachable: a planned send without a sending decision');
  const sending = await update({
    state: 'sending',
    sentAs: decision.status,
    reason: `Rule "${decision.ruleName}" sends it as ${decision.status} (${xStatusLabels[decision.xStatus]})`,
    errorCode: null,
    errorMessage: null,
  });
  return { send: sending ?? row };
}

/** The row's first steps (create the sale, link it in NetSuite), then the sale as X-Series reads it back. */
async function send(env: SalesEnv, rules: ActiveRules, order: SalesOrder, row: SalesSync): Promise<OrderSyncResult> {
  const { ctx, tenantId } = env;
  const loaded = { ctx, tenantId, row, rules: async () => rules.document, given: { order } };
  const done = await runRowSteps(env, loaded, stepKeys.linkInNetsuite);
  const saleId = done.result<{ id: string }>(stepKeys.createSale).id;
  // The 2026-07 create answers without the legacy status: 2.0 reads it back.
  const sale = await env.x.getSale(saleId);
  if (!sale)
    throw new AppError('SALES_SALE_MISSING', `X-Series sale ${saleId} was recorded but cannot be read`, {
      retryable: true,
    });
  const updated = await salesSyncs.update(
    ctx.store.db,
    tenantId,
    row.id,
    {
      state: 'sent',
      xSaleId: sale.id,
      xStatus: sale.status,
      xInvoiceNumber: sale.invoiceNumber,
      errorCode: null,
      errorMessage: null,
    },
    ctx.now(),
  );
  if (isCompleting(sale.status) && updated) await enqueueComplete(ctx.store.db, tenantId, row.id, ctx.now());
  const status = row.sentAs ?? undefined;
  return { orderId: order.id, tranId: order.tranId, outcome: 'send', status, syncId: row.id };
}
