import { AppError, notFound } from '../core/errors.ts';
import { buildCatalogIndex } from '../core/pos-catalog.ts';
import {
  diffEvidence,
  evidenceFingerprint,
  refreshEvidence,
  type NewProduct,
  type PlannedPurchaseOrder,
} from '../core/plan.ts';
import type { AddLineOutcome, PointOfSale, PosPurchaseOrder, PurchaseOrderLineSpec } from '../core/ports/pos.ts';
import { purchaseOrderCorrelationKey } from '../core/pos-catalog.ts';
import { RemoteAuthLost, RemoteRateLimited, RemoteRejected, RemoteUnavailable } from '../connectors/shared/errors.ts';
import { DeferJob, isPermanentFailure, JobLockLostError } from '../jobs/errors.ts';
import { enqueue, retry as retryJob, type Job } from '../jobs/queue.ts';
import type { JobContext } from '../jobs/runner.ts';
import { isUniqueViolation } from '../store/errors.ts';
import {
  catalogMirror,
  connections,
  exportPlans,
  exports,
  itemLinks,
  leases,
  wholesaleOrders,
  type Connection,
  type ExportSummary,
  type StoredExport,
  type StoredPlan,
} from '../store/repos/index.ts';
import { syncCatalogMirror } from './catalog-mirror.ts';
import type { EngineContext } from './engine-context.ts';
import { computePlan, refuseCancelled, requirePlan, requirePosConnection } from './plan-export.ts';

export const applyTask = 'export.apply';

export interface ApplyAccepted {
  planId: string;
  jobId: string;
  exports: StoredExport[];
}

/**
 * Accepts a reviewed plan for export. Before anything is written to the POS, the catalog mirror is
 * brought up to date and the plan's evidence is looked up again: if it changed, the plan is withdrawn
 * and a fresh one returned with the differences (PLAN_DRIFTED), so nothing is created twice. Then, in
 * one transaction, the plan moves from draft to applying (only one concurrent request can win that),
 * one export row per order is inserted (the unique constraint enforces "export once"), and the job that
 * runs the saga is enqueued.
 */
export async function requestApply(ctx: EngineContext, tenantId: string, planId: string): Promise<ApplyAccepted> {
  const plan = await requirePlan(ctx, tenantId, planId);
  refuseUnlessDraft(plan);
  if (!plan.plan.canApply) {
    throw new AppError(
      'PLAN_NEEDS_REVIEW',
      `This plan cannot be exported yet: ${plan.plan.blockers.map((b) => b.message).join('; ')}`,
      {
        httpStatus: 409,
        details: { blockers: plan.plan.blockers },
      },
    );
  }
  // Cancelled in NuORDER after the plan was made (the ingest noticed): no PO for it.
  refuseCancelled(await wholesaleOrders.getMany(ctx.store.db, tenantId, plan.orderIds));
  const connection = await requirePosConnection(ctx, tenantId, plan.connectionId);
  const pos = await ctx.connectors.pointOfSale(connection);
  await checkForDrift(ctx, connection, pos, plan);

  try {
    return await ctx.store.db.transaction().execute(async (trx) => {
      if (!(await exportPlans.transition(trx, tenantId, planId, 'draft', 'applying', ctx.now()))) {
        const current = await exportPlans.get(trx, tenantId, planId);
        refuseUnlessDraft(current ?? plan);
        throw new AppError('PLAN_ALREADY_APPLYING', 'This plan is already being exported', { httpStatus: 409 });
      }
      await exports.insertInProgress(trx, tenantId, planId, connection.id, plan.orderIds, ctx.now());
      const { job } = await enqueue(trx, {
        tenantId,
        task: applyTask,
        key: planId,
        payload: { planId },
        maxAttempts: 8,
        now: ctx.now(),
      });
      const rows = await exports.forPlan(trx, tenantId, planId);
      for (const row of rows) await exports.update(trx, tenantId, row.id, { jobId: job.id }, ctx.now());
      return { planId, jobId: job.id, exports: rows.map((r) => ({ ...r, jobId: job.id })) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const existing = (await exports.forOrders(ctx.store.db, tenantId, plan.orderIds)).filter(
        (e) => e.connectionId === connection.id,
      );
      throw new AppError(
        'ORDER_ALREADY_EXPORTED',
        'An order of this plan was exported (or is being exported) to this POS meanwhile',
        {
          httpStatus: 409,
          details: existing.map((e) => ({ orderId: e.orderId, state: e.state, poNumber: e.poNumber })),
        },
      );
    }
    throw error;
  }
}

function refuseUnlessDraft(plan: StoredPlan): void {
  if (plan.state === 'draft') return;
  const messages: Record<string, [string, string]> = {
    applying: ['PLAN_ALREADY_APPLYING', 'This plan is already being exported'],
    applied: ['PLAN_ALREADY_APPLIED', 'This plan was already exported; each order is exported once'],
    superseded: [
      'PLAN_SUPERSEDED',
      'This plan was replaced by a fresh one after the POS catalog changed; review the new plan',
    ],
  };
  const [code, message] = messages[plan.state] ?? ['PLAN_NOT_DRAFT', `This plan is ${plan.state}`];
  throw new AppError(code, message, { httpStatus: 409, details: { state: plan.state } });
}

/**
 * The re-check before apply: the change feed (one call when nothing changed) reports every item that
 * changed since the mirror was filled, then the plan's lookups are repeated against the mirror.
 */
async function checkForDrift(
  ctx: EngineContext,
  connection: Connection,
  pos: PointOfSale,
  plan: StoredPlan,
): Promise<void> {
  await syncCatalogMirror(ctx, connection, pos);
  const ids = [
    ...plan.plan.evidence.items.map((i) => i.posItemId),
    ...plan.plan.evidence.gtins.flatMap((g) => g.candidates.map((c) => c.posItemId)),
  ];
  const entries = await catalogMirror.lookup(ctx.store.db, connection.id, {
    gtins: plan.plan.evidence.gtins.map((g) => g.gtin14),
    posItemIds: ids,
  });
  const fresh = refreshEvidence(plan.plan.evidence, buildCatalogIndex(entries));
  if (evidenceFingerprint(fresh) === plan.fingerprint) return;
  const changes = diffEvidence(plan.plan.evidence, fresh);
  const orders = (await wholesaleOrders.getMany(ctx.store.db, plan.tenantId, plan.orderIds)).map((o) => o.document);
  const replanned = await computePlan(ctx, connection, orders, plan.overrides);
  const freshPlan = await ctx.store.db.transaction().execute(async (trx) => {
    // Only the request that withdraws the draft makes the fresh plan. If a concurrent request applied it
    // meanwhile, what "changed" may be that export's own new items: refuse as already applying instead.
    if (!(await exportPlans.transition(trx, plan.tenantId, plan.id, 'draft', 'superseded', ctx.now())))
      return undefined;
    return exportPlans.create(trx, plan.tenantId, {
      connectionId: plan.connectionId,
      locationId: plan.locationId,
      orderIds: plan.orderIds,
      overrides: plan.overrides,
      plan: replanned,
      createdBy: plan.createdBy,
      now: ctx.now(),
    });
  });
  if (!freshPlan) {
    refuseUnlessDraft((await exportPlans.get(ctx.store.db, plan.tenantId, plan.id)) ?? plan);
    throw new AppError('PLAN_ALREADY_APPLYING', 'This plan is already being exported', { httpStatus: 409 });
  }
  throw new AppError(
    'PLAN_DRIFTED',
    `The POS catalog changed since this plan was made (${changes.length} change(s)); review the refreshed plan`,
    {
      httpStatus: 409,
      details: { changes, freshPlanId: freshPlan.id },
    },
  );
}

/** Re-runs the saga of a plan whose exports failed; finished steps are not repeated. */
export async function retryExport(ctx: EngineContext, tenantId: string, exportId: string): Promise<ApplyAccepted> {
  const row = await exports.get(ctx.store.db, tenantId, exportId);
  if (!row) throw notFound('Export', exportId);
  if (row.state !== 'failed')
    throw new AppError(
      'EXPORT_NOT_FAILED',
      `This export is ${row.state.replace('_', ' ')}; only a failed export can be retried`,
      { httpStatus: 409 },
    );
  if (row.failureCode === 'PLAN_DRIFTED') {
    throw new AppError('PLAN_DRIFTED', 'The POS catalog changed; make a new plan for this order instead of retrying', {
      httpStatus: 409,
    });
  }
  const connection = await connections.get(ctx.store.db, tenantId, row.connectionId);
  if (connection?.status !== 'linked')
    throw new AppError('CONNECTION_NEEDS_RELINK', 'Link the POS again, then retry', { httpStatus: 409 });
  return ctx.store.db.transaction().execute(async (trx) => {
    const failed = (await exports.forPlan(trx, tenantId, row.planId)).filter((e) => e.state === 'failed');
    for (const e of failed)
      await exports.update(trx, tenantId, e.id, { state: 'in_progress', failure: null, finishedAt: null }, ctx.now());
    let job: Job | undefined = row.jobId ? await retryJob(trx, tenantId, row.jobId, ctx.now()) : undefined;
    if (!job) {
      job = (
        await enqueue(trx, {
          tenantId,
          task: applyTask,
          key: `${row.planId}:retry:${ctx.now()}`,
          payload: { planId: row.planId },
          maxAttempts: 8,
          now: ctx.now(),
        })
      ).job;
    }
    for (const e of failed) await exports.update(trx, tenantId, e.id, { jobId: job.id }, ctx.now());
    await exportPlans.transition(trx, tenantId, row.planId, 'applied', 'applying', ctx.now());
    return { planId: row.planId, jobId: job.id, exports: await exports.forPlan(trx, tenantId, row.planId) };
  });
}

// ---------------------------------------------------------------------------------------------------
// The saga (run by the job queue)

interface ProductStepResult {
  parentId: string | null;
  variantIds: Record<string, string>;
  created: number;
}

/**
 * Applies a plan: ensure suppliers → create new products → per order: create the PO, add its lines,
 * submit it, record item links, mark it exported. Each step is recorded before it talks to the POS
 * and again with what it created; a step found "started but not finished" (a crash, a timeout, a
 * lost reply) first looks up its correlation key in the POS, and creates only what is missing.
 */
export async function runApplyJob(ctx: EngineContext, job: Job, jobCtx: JobContext): Promise<unknown> {
  const { planId } = job.payload as { planId: string };
  // One saga per plan at a time, whatever job runs it: a lease that lives as long as the job's lock and
  // is renewed with it while this process is alive. A killed worker's lease thus expires with its job
  // lock, and the worker that takes the job over finds it free instead of waiting out a fixed TTL.
  const lockMs =
    job.lockedUntil !== null && job.lockedUntil > job.updatedAt ? job.lockedUntil - job.updatedAt : 10 * 60_000;
  const key = `apply:${planId}`;
  const owner = crypto.randomUUID();
  return leases.withLease(
    ctx.store.db,
    key,
    async () => {
      const stop = new AbortController();
      const keepAlive = setInterval(
        () => {
          // The lease is kept even when the job lock was lost (taken over after a stall): the saga stops at
          // its next step, and only then lets the new owner in (withLease releases it).
          leases
            .tryAcquire(ctx.store.db, key, owner, lockMs)
            .then((held) => {
              if (!held) stop.abort(new JobLockLostError(job.id));
            })
            .catch(() => {});
          jobCtx.heartbeat().catch(() => {});
        },
        Math.max(100, Math.floor(lockMs / 3)),
      );
      try {
        return await runSaga(ctx, job, jobCtx, planId, AbortSignal.any([jobCtx.signal, stop.signal]));
      } finally {
        clearInterval(keepAlive);
      }
    },
    { ttlMs: lockMs, waitMs: Math.max(60_000, lockMs), owner },
  );
}

async function runSaga(
  ctx: EngineContext,
  job: Job,
  jobCtx: JobContext,
  planId: string,
  signal: AbortSignal,
): Promise<unknown> {
  const tenantId = job.tenantId;
  const started = ctx.now();
  const stored = await requirePlan(ctx, tenantId, planId);
  const connection = await requirePosConnection(ctx, tenantId, stored.connectionId).catch(async (error: unknown) => {
    await failOpenExports(ctx, tenantId, planId, error);
    throw error;
  });
  const pos = await ctx.connectors.pointOfSale(connection);
  const saga = new SagaSteps(ctx, tenantId, planId, signal);
  await saga.load();
  const plan = stored.plan;

  try {
    const supplierByBrand = new Map<string, string>();
    const brands = new Map(
      [...plan.purchaseOrders.map((po) => po.brand), ...plan.newProducts.map((p) => p.brand)].map((b) => [
        b.sourceId,
        b,
      ]),
    );
    for (const brand of brands.values()) {
      const supplier = await saga.step(`supplier:${brand.sourceId}`, null, async () => {
        const found = await pos.findSupplier({ name: brand.name, sourceBrandId: brand.sourceId });
        const bySource = found.filter((s) => s.matchedBy === 'source_id');
        const chosen = bySource.length === 1 ? bySource[0] : found.length === 1 ? found[0] : undefined;
        if (chosen) return { id: chosen.id, name: chosen.name, created: false };
        if (found.length > 1) {
          throw new AppError(
            'SUPPLIER_AMBIGUOUS',
            `Several suppliers in the POS are called ${brand.name}; keep one, or name the brand's id on it`,
            { httpStatus: 409 },
          );
        }
        const created = await pos.createSupplier({
          name: brand.name,
          sourceBrandId: brand.sourceId,
          currency: plan.purchaseOrders[0]?.currency ?? null,
        });
        return { id: created.id, name: created.name, created: true };
      });
      supplierByBrand.set(brand.sourceId, supplier.id);
    }

    const productByMatrix = new Map<string, ProductStepResult>();
    for (const product of plan.newProducts) {
      productByMatrix.set(
        product.matrixKey,
        await createProductStep(saga, pos, product, supplierByBrand.get(product.brand.sourceId) as string),
      );
    }

    const failures: unknown[] = [];
    const orderIdBySource = new Map(
      (await wholesaleOrders.getMany(ctx.store.db, tenantId, stored.orderIds)).map((o) => [o.sourceId, o.id]),
    );
    for (const po of plan.purchaseOrders) {
      const orderId = orderIdBySource.get(po.orderSourceId);
      if (!orderId)
        throw new AppError('PLAN_ORDER_MISSING', `Order ${po.orderNumber} of this plan no longer exists`, {
          httpStatus: 409,
        });
      const exportRow = (await exports.forPlan(ctx.store.db, tenantId, planId)).find((e) => e.orderId === orderId);
      if (!exportRow || exportRow.state === 'exported') continue;
      try {
        await exportOrder(
          ctx,
          saga,
          pos,
          connection,
          stored,
          po,
          orderId,
          exportRow,
          supplierByBrand,
          productByMatrix,
          started,
        );
      } catch (error) {
        if (
          error instanceof RemoteRateLimited ||
          error instanceof DeferJob ||
          error instanceof JobLockLostError ||
          signal.aborted
        )
          throw error;
        if (error instanceof RemoteAuthLost) throw error;
        // While the queue will run the job again, the export stays in progress: an unknown outcome (a
        // timeout, a 5xx, a lost reply) is not a failure, and the retry reconciles it.
        if (willNotRetry(error, job, jobCtx)) {
          await exports.update(
            ctx.store.db,
            tenantId,
            exportRow.id,
            { state: 'failed', failure: describeForBuyer(error), finishedAt: ctx.now() },
            ctx.now(),
          );
        }
        failures.push(error);
      }
    }
    const rows = await exports.forPlan(ctx.store.db, tenantId, planId);
    if (rows.every((r) => r.state === 'exported' || r.state === 'failed')) {
      await exportPlans.transition(ctx.store.db, tenantId, planId, 'applying', 'applied', ctx.now());
    }
    const retryable = failures.find((f) => !isPermanentFailure(f));
    if (retryable) throw retryable;
    return {
      exported: rows.filter((r) => r.state === 'exported').length,
      failed: rows.filter((r) => r.state === 'failed').length,
    };
  } catch (error) {
    if (error instanceof RemoteRateLimited) jobCtx.defer(error.retryAt, error.message);
    if (error instanceof RemoteAuthLost) {
      await connections.update(
        ctx.store.db,
        tenantId,
        connection.id,
        { status: 'needs_relink', lastError: error.message },
        ctx.now(),
      );
    }
    // Another worker owns the job now (or this one is stopping): the outcome is not this run's to record.
    if (error instanceof JobLockLostError || signal.aborted) throw error;
    if (willNotRetry(error, job, jobCtx)) await failOpenExports(ctx, tenantId, planId, error);
    throw error;
  }
}

/** The job queue's own rule (src/jobs/runner.ts): a permanent error, or the last attempt. */
function willNotRetry(error: unknown, job: Job, jobCtx: JobContext): boolean {
  return isPermanentFailure(error) || jobCtx.attempt >= job.maxAttempts;
}

async function createProductStep(
  saga: SagaSteps,
  pos: PointOfSale,
  product: NewProduct,
  supplierId: string,
): Promise<ProductStepResult> {
  const canExtend = pos.capabilities.addsVariantsToExistingParent;
  const spec = (variants: NewProduct['variants'], existingParentId: string | null, existingParentIsOurs = false) => ({
    correlationKey: product.correlationKey,
    matrixKey: product.matrixKey,
    supplierId,
    brandName: product.brand.name,
    styleNumber: product.styleNumber,
    color: product.color,
    name: product.name,
    season: product.season,
    category: product.category,
    images: product.images,
    existingParentId: canExtend ? existingParentId : null,
    existingParentIsOurs: canExtend && existingParentId !== null && existingParentIsOurs,
    variants: variants.map((v) => ({
      variantKey: v.variantKey,
      correlationKey: v.correlationKey,
      size: v.size,
      gtin14: v.gtin14,
      upc: v.upc,
      cost: v.cost,
      retail: v.retail,
    })),
  });
  return saga.step(
    `product:${product.matrixKey}`,
    null,
    async () => {
      const created = await pos.createProduct(spec(product.variants, product.existingParentId));
      return { parentId: created.parentId, variantIds: created.variantIds, created: product.variants.length };
    },
    async () => {
      const [found] = await pos.findProductsByCorrelation([
        {
          correlationKey: product.correlationKey,
          name: product.name,
          color: product.color,
          variants: product.variants.map((v) => ({ variantKey: v.variantKey, correlationKey: v.correlationKey })),
        },
      ]);
      const have = found?.variantIds ?? {};
      const missing = product.variants.filter((v) => !have[v.variantKey]);
      if (missing.length === 0)
        return { parentId: found?.parentId ?? null, variantIds: have, created: product.variants.length };
      const created = await pos.createProduct(
        found?.parentId ? spec(missing, found.parentId, true) : spec(missing, product.existingParentId),
      );
      return {
        parentId: created.parentId ?? found?.parentId ?? null,
        variantIds: { ...have, ...created.variantIds },
        created: product.variants.length,
      };
    },
  );
}

async function exportOrder(
  ctx: EngineContext,
  saga: SagaSteps,
  pos: PointOfSale,
  connection: Connection,
  plan: StoredPlan,
  po: PlannedPurchaseOrder,
  orderId: string,
  exportRow: StoredExport,
  supplierByBrand: Map<string, string>,
  productByMatrix: Map<string, ProductStepResult>,
  started: number,
): Promise<void> {
  const tenantId = plan.tenantId;
  const correlationKey = purchaseOrderCorrelationKey('nuorder', po.orderSourceId, po.orderNumber);
  const spec = {
    correlationKey,
    orderNumber: po.orderNumber,
    locationId: plan.locationId,
    supplierId: supplierByBrand.get(po.brand.sourceId) as string,
    name: `NuORDER #${po.orderNumber} · ${po.brand.name}`,
    notes: [
      `Synced from NuORDER order ${po.orderNumber}`,
      po.customerPoNumber ? `Customer PO ${po.customerPoNumber}` : null,
      po.shipWindow.start || po.shipWindow.end
        ? `Ship window ${dateOnly(po.shipWindow.start)} – ${dateOnly(po.shipWindow.end)}`
        : null,
      po.notes || null,
    ]
      .filter(Boolean)
      .join('\n'),
    shipWindow: po.shipWindow,
    currency: po.currency,
    sourceOrderId: po.orderSourceId,
  };
  const created: PosPurchaseOrder = await saga.step(
    `po:${orderId}`,
    orderId,
    () => pos.createPurchaseOrder(spec),
    async () =>
      (await pos.findPurchaseOrderByCorrelation({ correlationKey, orderNumber: po.orderNumber })) ??
      pos.createPurchaseOrder(spec),
  );
  await exports.update(
    ctx.store.db,
    tenantId,
    exportRow.id,
    { poId: created.id, poNumber: created.number, poUrl: created.url },
    ctx.now(),
  );

  const lines: PurchaseOrderLineSpec[] = po.lines.flatMap((line) => {
    const target = line.target;
    const posItemId =
      target.kind === 'existing'
        ? target.posItemId
        : target.kind === 'new'
          ? productByMatrix.get(target.matrixKey)?.variantIds[target.variantKey]
          : undefined;
    if (!posItemId) return [];
    return [{ posItemId, quantity: line.quantity, unitCost: line.unitCost, sourceLineKeys: line.sourceLineKeys }];
  });
  // A step's worth of lines: one bulk request on X-Series, a hundred one-line requests on R-Series.
  const stepSize = Math.max(pos.capabilities.bulkLineLimit, 100);
  const outcomes: AddLineOutcome[] = [];
  for (let i = 0; i < lines.length; i += stepSize) {
    const chunk = lines.slice(i, i + stepSize);
    const result = await saga.step(
      `lines:${orderId}:${i / stepSize}`,
      orderId,
      () => pos.addPurchaseOrderLines(created.id, chunk, { firstAttempt: true }),
      async () => {
        const present = new Set((await pos.listPurchaseOrderLines(created.id)).map((l) => l.posItemId));
        const missing = chunk.filter((l) => !present.has(l.posItemId));
        const added = missing.length ? await pos.addPurchaseOrderLines(created.id, missing) : [];
        return [
          ...chunk
            .filter((l) => present.has(l.posItemId))
            .map((l) => ({ posItemId: l.posItemId, sourceLineKeys: l.sourceLineKeys, outcome: 'added' as const })),
          ...added,
        ];
      },
    );
    outcomes.push(...result);
  }
  const addedCount = outcomes.filter((o) => o.outcome === 'added').length;
  if (addedCount > 0)
    await saga.step(
      `submit:${orderId}`,
      orderId,
      () => pos.submitPurchaseOrder(created.id, { firstAttempt: true }),
      () => pos.submitPurchaseOrder(created.id),
    );

  const newItemIds = new Set(
    plan.plan.newProducts.flatMap((p) => Object.values(productByMatrix.get(p.matrixKey)?.variantIds ?? {})),
  );
  const lineByVariant = plan.plan.lines.filter((l) => l.orderSourceId === po.orderSourceId);
  const links = lineByVariant.flatMap((line) => {
    const d = line.decision;
    const posItemId =
      d.kind === 'confirmed' || d.kind === 'upc_match' || d.kind === 'linked_by_buyer'
        ? d.posItemId
        : d.kind === 'new_item'
          ? productByMatrix.get(d.matrixKey)?.variantIds[d.variantKey]
          : undefined;
    return posItemId
      ? [
          {
            variantKey: line.variantKey,
            posItemId,
            source: d.kind === 'linked_by_buyer' ? ('buyer' as const) : ('export' as const),
          },
        ]
      : [];
  });
  const rejected = outcomes.filter(
    (o): o is Extract<AddLineOutcome, { outcome: 'rejected' }> => o.outcome === 'rejected',
  );
  const summary: ExportSummary = {
    linesSynced: addedCount,
    matchedItemsUpdated: outcomes.filter((o) => o.outcome === 'added' && !newItemIds.has(o.posItemId)).length,
    newDraftItems: outcomes.filter((o) => o.outcome === 'added' && newItemIds.has(o.posItemId)).length,
    newProducts: new Set(lineByVariant.flatMap((l) => (l.decision.kind === 'new_item' ? [l.decision.matrixKey] : [])))
      .size,
    rejectedLines: rejected.map((r) => ({ posItemId: r.posItemId, lineKeys: r.sourceLineKeys, message: r.message })),
    warnings: [
      ...plan.plan.warnings.map((w) => w.message),
      ...rejected.map((r) => `A line was refused by the POS: ${r.message}`),
    ],
    timeTakenMs: ctx.now() - started,
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    await itemLinks.upsertMany(trx, tenantId, connection.id, links, ctx.now());
    await exports.update(
      trx,
      tenantId,
      exportRow.id,
      { state: 'exported', summary, failure: null, finishedAt: ctx.now() },
      ctx.now(),
    );
  });
}

function dateOnly(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '?';
}

async function failOpenExports(ctx: EngineContext, tenantId: string, planId: string, error: unknown): Promise<void> {
  for (const row of await exports.forPlan(ctx.store.db, tenantId, planId)) {
    if (row.state === 'in_progress')
      await exports.update(
        ctx.store.db,
        tenantId,
        row.id,
        { state: 'failed', failure: describeForBuyer(error), finishedAt: ctx.now() },
        ctx.now(),
      );
  }
}

/** A failure in plain words for the buyer, and whether Retry can help. */
export function describeForBuyer(error: unknown): { code: string; message: string; retryable: boolean } {
  if (error instanceof RemoteAuthLost)
    return {
      code: error.code,
      message: 'The POS no longer accepts our authorization. Link the POS again under Connections, then retry.',
      retryable: true,
    };
  if (error instanceof RemoteUnavailable)
    return {
      code: error.code,
      message: 'The POS did not answer in time. Nothing was duplicated; retry to finish the export.',
      retryable: true,
    };
  if (error instanceof RemoteRejected)
    return { code: error.code, message: `The POS refused the export: ${error.message}`, retryable: false };
  if (error instanceof AppError) return { code: error.code, message: error.message, retryable: error.retryable };
  return {
    code: 'INTERNAL',
    message: 'Something went wrong on our side; the error was logged. Retry, or contact support if it persists.',
    retryable: true,
  };
}

/** The recorded steps of one plan's saga, with the resume rule. */
class SagaSteps {
  readonly #ctx: EngineContext;
  readonly #tenantId: string;
  readonly #planId: string;
  #known = new Map<string, { state: string; result: unknown }>();
  #position = 0;

  readonly #signal: AbortSignal | undefined;

  constructor(ctx: EngineContext, tenantId: string, planId: string, signal?: AbortSignal) {
    this.#ctx = ctx;
    this.#tenantId = tenantId;
    this.#planId = planId;
    this.#signal = signal;
  }

  async load(): Promise<void> {
    const rows = await exports.steps(this.#ctx.store.db, this.#tenantId, this.#planId);
    this.#known = new Map(rows.map((r) => [r.stepKey, { state: r.state, result: r.result }]));
    this.#position = rows.length;
  }

  /**
   * Runs a step once. A finished step returns its recorded result. A step that was started before but
   * not finished runs `reconcile` (look up by correlation key, create what is missing) instead of `run`.
   */
  async step<T>(
    key: string,
    orderId: string | null,
    run: () => Promise<T>,
    reconcile: () => Promise<T> = run,
  ): Promise<T> {
    const known = this.#known.get(key);
    if (known?.state === 'done') return known.result as T;
    // The job was taken over (lock lost) or the worker is stopping: start no new POS call.
    if (this.#signal?.aborted)
      throw this.#signal.reason instanceof Error ? this.#signal.reason : new Error(String(this.#signal.reason));
    const db = this.#ctx.store.db;
    await exports.startStep(
      db,
      this.#tenantId,
      this.#planId,
      key,
      orderId,
      known ? this.#position : this.#position++,
      this.#ctx.now(),
    );
    try {
      const result = await (known ? reconcile() : run());
      await exports.finishStep(db, this.#planId, key, result, this.#ctx.now());
      this.#known.set(key, { state: 'done', result });
      return result;
    } catch (error) {
      await exports.failStep(
        db,
        this.#planId,
        key,
        error instanceof Error ? error.message : String(error),
        this.#ctx.now(),
      );
      this.#known.set(key, { state: 'failed', result: null });
      throw error;
    }
  }
}
