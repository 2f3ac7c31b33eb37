import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { formatMoney, money } from '../../core/money.ts';
import type { EngineContext } from '../../flows/engine-context.ts';
import { syncFilter, syncStatuses } from '../../flows/order-status.ts';
import { exports, wholesaleOrders, type StoredOrder, type StoredPlan } from '../../store/repos/index.ts';

/**
 * What the export engine's API answers (orders, plans, exports): the zod schemas that also write the
 * OpenAPI document, and the functions that build each reply. The CLI's `--json` uses the same ones.
 */

export const syncStatusView = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  system: z.string(),
  status: z
    .object({ state: z.enum(['not_exported', 'needs_review', 'in_progress', 'exported', 'failed']) })
    .passthrough(),
});

export const orderSummaryView = z.object({
  id: z.string(),
  orderNumber: z.string(),
  brand: z.string(),
  status: z.string(),
  currency: z.string(),
  total: z.string(),
  totalMinor: z.number(),
  lineCount: z.number(),
  unitCount: z.number(),
  shipStart: z.string().nullable(),
  shipEnd: z.string().nullable(),
  createdAt: z.string().nullable(),
  sync: z.array(syncStatusView),
});

export const orderStatuses = ['draft', 'review', 'pending', 'approved', 'processed', 'shipped', 'cancelled'] as const;
export const syncStates = ['not_exported', 'needs_review', 'in_progress', 'exported', 'failed'] as const;

export const ordersQuery = z.object({
  brand: z.string().min(1).optional(),
  status: z.enum(orderStatuses).optional(),
  syncStatus: z.enum(syncStates).optional(),
  q: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ordersPage = z.object({
  orders: z.array(orderSummaryView),
  total: z.number(),
  brands: z.array(z.string()),
});

export const overrideSchema = z.object({
  scope: z.enum(['line', 'matrix']),
  key: z.string().min(1),
  action: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('link'), posItemId: z.string().min(1) }),
    z.object({ kind: z.literal('create_new') }),
  ]),
});

export const planView = z.object({
  id: z.string(),
  state: z.enum(['draft', 'applying', 'applied', 'superseded']),
  connectionId: z.string(),
  locationId: z.string(),
  orderIds: z.array(z.string()),
  overrides: z.array(overrideSchema),
  canApply: z.boolean(),
  counts: z.record(z.string(), z.number()),
  blockers: z.array(z.object({ code: z.string(), message: z.string() }).passthrough()),
  warnings: z.array(z.object({ code: z.string(), message: z.string() }).passthrough()),
  matrices: z
    .array(z.unknown())
    .describe('lines grouped by style/color, with the decision per variant and its evidence'),
  lines: z.array(z.unknown()),
  newProducts: z.array(z.unknown()),
  purchaseOrders: z.array(z.unknown()),
  overrideProblems: z.array(z.unknown()),
  fingerprint: z.string(),
  createdAt: z.string(),
  pricingVersion: z
    .number()
    .int()
    .describe('the pricing policy version that priced the new items; 0 = the MSRP as sent'),
  suppliers: z.array(z.unknown()).describe("each brand's POS supplier where the merchant mapped one"),
  itemUpdates: z
    .array(z.unknown())
    .describe('prices of items Tradeloop created that follow the brand (nobody changed them in the POS)'),
});

export const exportView = z.object({
  id: z.string(),
  orderId: z.string(),
  orderNumber: z.string().nullable(),
  connectionId: z.string(),
  planId: z.string(),
  state: z.enum(['in_progress', 'exported', 'failed']),
  poId: z.string().nullable(),
  poNumber: z.string().nullable(),
  poUrl: z.string().nullable(),
  failure: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).nullable(),
  waiting: z
    .object({ since: z.string(), reason: z.string(), nextTryAt: z.string() })
    .nullable()
    .describe('Waiting for the POS: it stopped answering; the export tries again by itself at nextTryAt'),
  summary: z.unknown(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A stored plan as the API answers it (also `tradeloop export --json`). */
export function toPlanView(p: StoredPlan): z.input<typeof planView> {
  return {
    id: p.id,
    state: p.state,
    connectionId: p.connectionId,
    locationId: p.locationId,
    orderIds: p.orderIds,
    overrides: p.overrides,
    canApply: p.plan.canApply,
    counts: { ...p.plan.counts },
    blockers: p.plan.blockers.map((b) => ({ ...b })),
    warnings: p.plan.warnings.map((w) => ({ ...w })),
    matrices: p.plan.matrices,
    lines: p.plan.lines,
    newProducts: p.plan.newProducts,
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
    finishedAt: iso(r.finishedAt),
  }));
}

export function orderSummary(
  o: Omit<StoredOrder, 'document'>,
  sync: z.input<typeof syncStatusView>[],
): z.input<typeof orderSummaryView> {
  return {
    id: o.id,
    orderNumber: o.orderNumber,
    brand: o.brandName,
    status: o.status,
    currency: o.currency,
    total: formatMoney(money(o.totalMinor, o.currency)),
    totalMinor: o.totalMinor,
    lineCount: o.lineCount,
    unitCount: o.unitCount,
    shipStart: iso(o.shipStart),
    shipEnd: iso(o.shipEnd),
    createdAt: null,
    sync,
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
  const orders = page.orders.map((o) => orderSummary(o, statuses.get(o.id) ?? []));
  return { orders, total: page.total, brands: await wholesaleOrders.brands(db, tenantId) };
}
