import type { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { formatMoney, money } from '../../core/money.ts';
import type { WholesaleOrderStatus } from '../../core/wholesale-order.ts';
import type { EngineContext } from '../../flows/engine-context.ts';
import { syncFilter, syncStatuses, type OrderSyncStatus, type SyncStatus } from '../../flows/order-status.ts';
import { exports, wholesaleOrders, type StoredOrder, type StoredPlan } from '../../store/repos/index.ts';
import { orderTimelines, type OrderTimeline } from '../../flows/order-timelines.ts';
import { isoTime } from '../schemas/common.ts';
import type { exportView } from '../schemas/exports.ts';
import type { orderSummaryView, ordersPage, ordersQuery, orderSyncStatus, syncStatus } from '../schemas/orders.ts';
import type { planView } from '../schemas/plan.ts';
import { timelineStatusOf } from './timeline-views.ts';

/**
 * The functions that build the export engine's replies (orders, plans, exports) from what the store holds; the
 * reply schemas are in ../schemas/. The CLI's `--json` uses the same ones, so it prints the REST shape.
 */
export { orderStatuses, ordersPage, ordersQuery, orderSummaryView, syncStates } from '../schemas/orders.ts';
export { itemOverride as overrideSchema, planView } from '../schemas/plan.ts';
export { exportView } from '../schemas/exports.ts';

/** A page of a plan's styles/colors: `offset` and `limit` count matrices (a 10,000-line plan is ~1,000 of them). */
export interface MatrixPage {
  offset: number;
  limit?: number | undefined;
}

/**
 * A stored plan as the API answers it (also `tradeloop export --json`). With a page, only those styles/colors come
 * with their lines, new products and warnings; the counts, blockers and purchase orders are the whole plan's.
 */
export function toPlanView(p: StoredPlan, page?: MatrixPage): z.input<typeof planView> {
  const total = p.plan.matrices.length;
  const offset = Math.min(page?.offset ?? 0, total);
  const limit = page?.limit ?? total;
  const paged = offset > 0 || offset + limit < total;
  const matrices = paged ? p.plan.matrices.slice(offset, offset + limit) : p.plan.matrices;
  const keys = paged ? new Set(matrices.map((m) => m.matrixKey)) : null;
  const onPage = (item: { matrixKey?: string | undefined }): boolean =>
    keys === null || item.matrixKey === undefined || keys.has(item.matrixKey);
  return {
    matrixPage: { offset, limit: Math.max(1, Math.min(limit, total - offset)), total },
    id: p.id,
    state: p.state,
    connectionId: p.connectionId,
    locationId: p.locationId,
    orderIds: p.orderIds,
    overrides: p.overrides,
    canApply: p.plan.canApply,
    counts: p.plan.counts,
    blockers: p.plan.blockers,
    warnings: keys === null ? p.plan.warnings : p.plan.warnings.filter(onPage),
    matrices,
    lines: keys === null ? p.plan.lines : p.plan.lines.filter((l) => keys.has(l.matrixKey)),
    newProducts: keys === null ? p.plan.newProducts : p.plan.newProducts.filter(onPage),
    purchaseOrders: p.plan.purchaseOrders,
    overrideProblems: p.plan.overrideProblems,
    fingerprint: p.fingerprint,
    createdAt: new Date(p.createdAt).toISOString(),
    pricingVersion: p.plan.pricingVersion ?? 0,
    suppliers: p.plan.suppliers ?? [],
    itemUpdates: p.plan.itemUpdates ?? [],
  };
}

/** Exports as the API answers them (also `tradeloop export --json`). */
export async function toExportViews(
  ctx: AppContext,
  tenantId: string,
  rows: Awaited<ReturnType<typeof exports.forPlan>>,
): Promise<Array<z.input<typeof exportView>>> {
  const orders = await wholesaleOrders.getMany(
    ctx.store.db,
    tenantId,
    rows.map((r) => r.orderId),
  );
  return rows.map((r) => ({
    id: r.id,
    orderId: r.orderId,
    orderNumber: orders.find((o) => o.id === r.orderId)?.orderNumber ?? null,
    connectionId: r.connectionId,
    planId: r.planId,
    state: r.state,
    poId: r.poId,
    poNumber: r.poNumber,
    poUrl: r.poUrl,
    failure: r.failureCode
      ? { code: r.failureCode, message: r.failureMessage ?? '', retryable: r.failureRetryable ?? false }
      : null,
    waiting: r.waiting
      ? {
          since: new Date(r.waiting.since).toISOString(),
          reason: r.waiting.reason,
          nextTryAt: new Date(r.waiting.nextTryAt).toISOString(),
        }
      : null,
    summary: r.summary,
    startedAt: new Date(r.startedAt).toISOString(),
    finishedAt: isoTime(r.finishedAt),
  }));
}

/** An order's state on one POS connection, its times in ISO 8601 like every other reply. */
export function toSyncStatusView(status: SyncStatus): z.input<typeof syncStatus> {
  switch (status.state) {
    case 'in_progress':
      return {
        ...status,
        startedAt: isoTime(status.startedAt),
        waiting: status.waiting
          ? { ...status.waiting, since: isoTime(status.waiting.since), nextTryAt: isoTime(status.waiting.nextTryAt) }
          : null,
      };
    case 'exported':
      return { ...status, exportedAt: isoTime(status.exportedAt) };
    default:
      return status;
  }
}

export function orderSummary(
  o: Omit<StoredOrder, 'document'>,
  sync: readonly OrderSyncStatus[],
  timeline?: OrderTimeline,
): z.input<typeof orderSummaryView> {
  return {
    id: o.id,
    orderNumber: o.orderNumber,
    brand: o.brandName,
    // The column holds the document's status (core WholesaleOrderStatus), written by ingest only.
    status: o.status as WholesaleOrderStatus,
    currency: o.currency,
    total: formatMoney(money(o.totalMinor, o.currency)),
    totalMinor: o.totalMinor,
    lineCount: o.lineCount,
    unitCount: o.unitCount,
    shipStart: isoTime(o.shipStart),
    shipEnd: isoTime(o.shipEnd),
    createdAt: null,
    sync: sync.map((s): z.input<typeof orderSyncStatus> => ({ ...s, status: toSyncStatusView(s.status) })),
    timeline: timelineStatusOf(timeline),
  };
}

/** A page of orders as `GET /api/orders` answers it (also `tradeloop orders list --json`). */
export async function listOrders(
  engine: EngineContext,
  tenantId: string,
  query: z.output<typeof ordersQuery>,
): Promise<z.input<typeof ordersPage>> {
  const db = engine.store.db;
  const page = await wholesaleOrders.list(db, tenantId, {
    brand: query.brand,
    status: query.status,
    search: query.q,
    sync: query.syncStatus ? await syncFilter(engine, tenantId, query.syncStatus) : undefined,
    limit: query.limit,
    offset: query.offset,
  });
  const statuses = await syncStatuses(
    engine,
    tenantId,
    page.orders.map((o) => o.id),
  );
  const timelines = await orderTimelines(engine, tenantId, page.orders);
  const orders = page.orders.map((o) => orderSummary(o, statuses.get(o.id) ?? [], timelines.get(o.id)));
  return {
    orders,
    total: page.total,
    limit: query.limit,
    offset: query.offset,
    brands: await wholesaleOrders.brands(db, tenantId),
  };
}
