/**
 * The export saga (the job that applies a plan): ensure a supplier per brand → create each new product → record
 * what Tradeloop wrote on them → update the prices that follow the brand → per order: create the PO, add its lines
 * a step's worth at a time, submit it, record its item links and mark it exported. One step per file in steps/.
 * The runtime (flows/saga/) records, resumes, waits out POS outages (24 h) and reports progress; this file says
 * what the steps are and what the plan's export rows learn.
 */
import { z } from 'zod';
import { AppError, notFound } from '../../core/errors.ts';
import { isPermanentFailure } from '../../jobs/errors.ts';
import { connections, exportPlans, exports, wholesaleOrders } from '../../store/repos/index.ts';
import type { EngineContext } from '../engine-context.ts';
import { requirePlan, requirePosConnection } from '../plan-export.ts';
import { defineSaga, type SagaRun } from '../saga/index.ts';
import { cooperation } from './cooperation.ts';
import { failExport, failOpenExports, noticeAutomaticFailures } from './outcome.ts';
import { addLines } from './steps/add-lines.ts';
import { createProduct, familiesJoinedBy } from './steps/create-product.ts';
import { createPurchaseOrder } from './steps/create-purchase-order.ts';
import { ensureSupplier } from './steps/ensure-supplier.ts';
import { followBrandPrices } from './steps/follow-brand-prices.ts';
import { recordLinks } from './steps/record-links.ts';
import { recordOwnership } from './steps/record-ownership.ts';
import { submitPurchaseOrder } from './steps/submit-purchase-order.ts';
import type { ExportLoaded, ExportPorts, ExportStep } from './types.ts';

// The POS connection the plan writes to (absent on jobs queued before it was recorded): exports are limited per
// POS account, not across the cluster.
const payload = z.object({ planId: z.string().min(1), connectionId: z.string().min(1).optional() });
type Payload = z.infer<typeof payload>;
type Run = SagaRun<EngineContext, Payload, ExportLoaded>;

export const exportSaga = defineSaga<EngineContext, Payload, ExportLoaded, ExportPorts>({
  name: 'export',
  task: 'export.apply',
  payload,
  // The worker renews every job's lock every few seconds, so a long export needs no longer lock. No cap across the
  // cluster: each worker runs as many exports as its own concurrency allows (capacity grows with workers), and one
  // POS account takes two at once whoever runs them (its rate budget is shared through the store; more would only
  // queue on it). Exports to different accounts never wait for each other: an export held up by its POS (a long
  // outage, a slow reply) does not hold a slot another account's export needs.
  options: {
    concurrencyKey: (p) => (p.connectionId === undefined ? undefined : `pos:${p.connectionId}`),
    concurrencyPerKey: 2,
    maxAttempts: 8,
  },
  lockKey: (p) => `apply:${p.planId}`,
  sagaId: (p) => p.planId,
  remoteLabel: 'the POS',
  // A unit is an order: its line names the order and its export; the whole run names the exports not yet done.
  logIds(run, orderId) {
    const rows = run.loaded?.exportRows ?? [];
    const connectionId = run.loaded?.connection.id;
    if (orderId !== undefined)
      return {
        planId: run.payload.planId,
        connectionId,
        orderId,
        exportId: rows.find((e) => e.orderId === orderId)?.id,
      };
    const open = rows.filter((e) => e.state !== 'exported');
    if (open.length === 1)
      return { planId: run.payload.planId, connectionId, orderId: open[0]!.orderId, exportId: open[0]!.id };
    return {
      planId: run.payload.planId,
      connectionId,
      orderIds: open.map((e) => e.orderId),
      exportIds: open.map((e) => e.id),
    };
  },
  load,
  steps,
  async open(ctx, loaded) {
    const connection = await requirePosConnection(ctx, loaded.plan.tenantId, loaded.plan.connectionId);
    const missing = loaded.plan.plan.purchaseOrders.find((po) => !loaded.orderIdBySource.has(po.orderSourceId));
    if (missing) throw new AppError('PLAN_ORDER_MISSING', `Order ${missing.orderNumber} of this plan no longer exists`);
    return {
      pos: await ctx.connectors.pointOfSale(connection),
      coop: cooperation(ctx, connection, loaded.plan),
      started: ctx.now(),
    };
  },
  // An order exported in an earlier run is not exported again.
  scopeFinished: (loaded, orderId) => {
    const row = loaded.exportRows.find((e) => e.orderId === orderId);
    return row === undefined || row.state === 'exported';
  },
  finish,
  hooks: {
    async waitingSince(run) {
      const rows = await exports.forPlan(run.deps.store.db, run.tenantId, run.payload.planId);
      return Math.min(run.deps.now(), ...rows.flatMap((r) => (r.waiting ? [r.waiting.since] : [])));
    },
    async onWaiting(run, waiting) {
      await exports.setWaiting(run.deps.store.db, run.tenantId, run.payload.planId, waiting, run.deps.now());
    },
    // The POS answered again: the orders no longer show as waiting for it.
    async onAnswered(run) {
      if (run.loaded && !run.loaded.exportRows.some((e) => e.waiting !== null)) return;
      await exports.setWaiting(run.deps.store.db, run.tenantId, run.payload.planId, null, run.deps.now());
      for (const row of run.loaded?.exportRows ?? []) row.waiting = null;
    },
    connectionFor: (run) => run.loaded?.connection.id,
    async onFailed(run, error) {
      await failOpenExports(run.deps, run.tenantId, run.payload.planId, error);
      if (run.loaded && run.willNotRetry(error))
        await noticeAutomaticFailures(run.deps, run.loaded.plan, run.loaded.connection, [error]);
    },
    // While the queue will run the job again, the order's export stays in progress.
    async onScopeFailed(run, orderId, error, final) {
      const row = run.loaded?.exportRows.find((e) => e.orderId === orderId);
      if (final && row) await failExport(run.deps, run.tenantId, row.id, error);
    },
  },
});

async function load(ctx: EngineContext, tenantId: string, { planId }: Payload): Promise<ExportLoaded> {
  const plan = await requirePlan(ctx, tenantId, planId);
  const connection = await connections.get(ctx.store.db, tenantId, plan.connectionId);
  if (!connection) throw notFound('POS connection', plan.connectionId);
  // Ids only: the orders' documents (many MB for a bulk export) are not needed to run the steps.
  const orders = await wholesaleOrders.sourceIdsOf(ctx.store.db, tenantId, plan.orderIds);
  return {
    ctx,
    plan,
    connection,
    capabilities: ctx.connectors.posCapabilities(connection.system),
    exportRows: await exports.forPlan(ctx.store.db, tenantId, plan.id),
    orderIdBySource: new Map(orders.map((o) => [o.sourceId, o.id])),
  };
}

/** The planned steps, in the order they run (the progress page lists exactly these). */
function steps(loaded: ExportLoaded): ExportStep[] {
  const plan = loaded.plan.plan;
  const brands = new Map(
    [...plan.purchaseOrders.map((po) => po.brand), ...plan.newProducts.map((p) => p.brand)].map((b) => [b.sourceId, b]),
  );
  // A brand the merchant mapped to a POS supplier goes to it: nothing is looked up, nothing created.
  const unmapped = [...brands.values()].filter(
    (b) => !plan.suppliers?.some((s) => s.brand.sourceId === b.sourceId && s.supplierId !== null),
  );
  const currency = plan.purchaseOrders[0]?.currency ?? null;
  const joined = familiesJoinedBy(plan.newProducts);
  const shared: ExportStep[] = [
    ...unmapped.map((brand) => ensureSupplier(loaded, brand, currency)),
    ...plan.newProducts.map((product) => createProduct(loaded, product, joined)),
    ...(plan.newProducts.length > 0 ? [recordOwnership(plan.newProducts.length)] : []),
    ...((plan.itemUpdates ?? []).length > 0 ? [followBrandPrices(plan.itemUpdates ?? [])] : []),
  ];
  const perOrder = plan.purchaseOrders.flatMap((po): ExportStep[] => {
    const orderId = loaded.orderIdBySource.get(po.orderSourceId) ?? `missing:${po.orderSourceId}`;
    return [
      createPurchaseOrder(po, orderId),
      ...addLines(loaded, po, orderId),
      submitPurchaseOrder(po, orderId),
      recordLinks(po, orderId),
    ];
  });
  return [...shared, ...perOrder];
}

/** Every order exported or failed: the plan is applied. A failure the queue may still retry fails the job. */
async function finish(run: Run, failures: ReadonlyArray<{ scope: string; error: unknown }>): Promise<unknown> {
  const { deps: ctx, tenantId, payload } = run;
  const rows = await exports.forPlan(ctx.store.db, tenantId, payload.planId);
  if (rows.every((r) => r.state === 'exported' || r.state === 'failed'))
    await exportPlans.transition(ctx.store.db, tenantId, payload.planId, 'applying', 'applied', ctx.now());
  if (run.loaded)
    await noticeAutomaticFailures(
      ctx,
      run.loaded.plan,
      run.loaded.connection,
      failures.map((f) => f.error).filter((e) => run.willNotRetry(e)),
    );
  const retryable = failures.find((f) => !isPermanentFailure(f.error));
  if (retryable) throw retryable.error;
  return {
    exported: rows.filter((r) => r.state === 'exported').length,
    failed: rows.filter((r) => r.state === 'failed').length,
  };
}
