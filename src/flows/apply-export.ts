import { AppError, notFound } from '../core/errors.ts';
import type { ErrorCode } from '../core/error-codes.ts';
import { buildCatalogIndex } from '../core/pos-catalog.ts';
import { diffEvidence, evidenceFingerprint, refreshEvidence } from '../core/plan.ts';
import type { PointOfSale } from '../core/ports/pos.ts';
import { enqueue, retry as retryJob, type Job } from '../jobs/queue.ts';
import { isUniqueViolation } from '../store/errors.ts';
import {
  catalogMirror,
  connections,
  exportPlans,
  exports,
  wholesaleOrders,
  type Connection,
  type StoredExport,
  type StoredPlan,
} from '../store/repos/index.ts';
import { syncCatalogMirror } from './catalog-mirror.ts';
import { exportSaga } from './export/saga.ts';
import type { EngineContext } from './engine-context.ts';
import { computePlan, refuseCancelled, requirePlan, requirePosConnection } from './plan-export.ts';

// The saga the export job runs lives in export/ (saga.ts, one step per file in steps/), on the saga runtime.
export { describeForBuyer } from './export/outcome.ts';

/** The export job's task name (the worker's handlers are keyed by it). */
export const applyTask = exportSaga.task.name;

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
      { details: { blockers: plan.plan.blockers } },
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
        throw new AppError('PLAN_ALREADY_APPLYING', 'This plan is already being exported');
      }
      await exports.insertInProgress(trx, tenantId, planId, connection.id, plan.orderIds, ctx.now());
      const { job } = await enqueue(
        trx,
        exportSaga.task,
        { planId, connectionId: connection.id },
        { tenantId, key: planId, now: ctx.now() },
      );
      const rows = await exports.forPlan(trx, tenantId, planId);
      for (const row of rows) await exports.update(trx, tenantId, row.id, { jobId: job.id }, ctx.now());
      return { planId, jobId: job.id, exports: rows.map((r) => ({ ...r, jobId: job.id })) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const existing = await exports.onAccount(ctx.store.db, tenantId, connection.id, plan.orderIds);
      throw new AppError(
        'ORDER_ALREADY_EXPORTED',
        'An order of this plan was exported (or is being exported) to this POS meanwhile',
        { details: existing.map((e) => ({ orderId: e.forOrderId, state: e.state, poNumber: e.poNumber })) },
      );
    }
    throw error;
  }
}

function refuseUnlessDraft(plan: StoredPlan): void {
  if (plan.state === 'draft') return;
  const messages: Record<string, [ErrorCode, string]> = {
    applying: ['PLAN_ALREADY_APPLYING', 'This plan is already being exported'],
    applied: ['PLAN_ALREADY_APPLIED', 'This plan was already exported; each order is exported once'],
    superseded: [
      'PLAN_SUPERSEDED',
      'This plan was replaced by a fresh one after the POS catalog changed; review the new plan',
    ],
  };
  const [code, message] = messages[plan.state] ?? ['PLAN_NOT_DRAFT', `This plan is ${plan.state}`];
  throw new AppError(code, message, { details: { state: plan.state } });
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
    throw new AppError('PLAN_ALREADY_APPLYING', 'This plan is already being exported');
  }
  throw new AppError(
    'PLAN_DRIFTED',
    `The POS catalog changed since this plan was made (${changes.length} change(s)); review the refreshed plan`,
    { details: { changes, freshPlanId: freshPlan.id } },
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
    );
  if (row.failureCode === 'PLAN_DRIFTED') {
    throw new AppError('PLAN_DRIFTED', 'The POS catalog changed; make a new plan for this order instead of retrying');
  }
  const connection = await connections.get(ctx.store.db, tenantId, row.connectionId);
  if (connection?.status !== 'linked') throw new AppError('CONNECTION_NEEDS_RELINK', 'Link the POS again, then retry');
  return ctx.store.db.transaction().execute(async (trx) => {
    const failed = (await exports.forPlan(trx, tenantId, row.planId)).filter((e) => e.state === 'failed');
    for (const e of failed)
      await exports.update(trx, tenantId, e.id, { state: 'in_progress', failure: null, finishedAt: null }, ctx.now());
    let job: Job | undefined = row.jobId ? await retryJob(trx, tenantId, row.jobId, ctx.now()) : undefined;
    if (!job) {
      const key = `${row.planId}:retry:${ctx.now()}`;
      job = (
        await enqueue(
          trx,
          exportSaga.task,
          { planId: row.planId, connectionId: row.connectionId },
          { tenantId, key, now: ctx.now() },
        )
      ).job;
    }
    for (const e of failed) await exports.update(trx, tenantId, e.id, { jobId: job.id }, ctx.now());
    await exportPlans.transition(trx, tenantId, row.planId, 'applied', 'applying', ctx.now());
    return { planId: row.planId, jobId: job.id, exports: await exports.forPlan(trx, tenantId, row.planId) };
  });
}
