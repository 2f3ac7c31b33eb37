import { AppError } from '../core/errors.ts';
import type { PointOfSale } from '../core/ports/pos.ts';
import { RemoteAuthLost, RemoteRateLimited, RemoteRejected, RemoteUnavailable } from '../connectors/shared/errors.ts';
import { DeferJob, isPermanentFailure, JobLockLostError, PermanentJobError } from '../jobs/errors.ts';
import type { Job } from '../jobs/queue.ts';
import { heartbeatEveryMs, type JobContext } from '../jobs/runner.ts';
import {
  connections,
  exportPlans,
  exports,
  leases,
  wholesaleOrders,
  type Connection,
  type StoredPlan,
} from '../store/repos/index.ts';
import type { EngineContext } from './engine-context.ts';
import { ownershipSteps } from './export-ownership.ts';
import { cooperation, type Cooperation } from './export-cooperation.ts';
import { createProductStep, exportOrder, SagaSteps, supplierStep, type ProductStepResult } from './export-steps.ts';
import { automaticSyncCreator, requirePlan, requirePosConnection } from './plan-export.ts';

/** The apply lease when the job says nothing of its lock (a job claimed before locks were stored). */
const defaultLeaseMs = 30_000;

interface SagaRun {
  ctx: EngineContext;
  job: Job;
  jobCtx: JobContext;
  plan: StoredPlan;
  signal: AbortSignal;
}

/**
 * Applies a plan (the export job): ensure suppliers → create new products → per order: create the PO,
 * add its lines, submit it, record item links, mark it exported (export-steps.ts). A POS that does not
 * answer (5xx, timeout) is waited out with a growing delay, without using the job's attempts, for up to
 * the worker's outage budget (24 h): every step reconciles by correlation key when it runs again.
 */
export async function runApplyJob(ctx: EngineContext, job: Job, jobCtx: JobContext): Promise<unknown> {
  const { planId } = job.payload as { planId: string };
  // One saga per plan at a time, whatever job runs it: a lease as long as the job's lock, renewed as
  // often, so a killed worker's lease runs out with its job lock and the worker that takes the job over
  // finds it free. The lease is kept even when the job lock is lost (taken over after a stall): the saga
  // stops at its next step, and only then lets the new owner in.
  const lockMs =
    job.lockedUntil !== null && job.lockedUntil > job.updatedAt ? job.lockedUntil - job.updatedAt : defaultLeaseMs;
  const lost = new AbortController();
  return leases.withLease(
    ctx.store.db,
    `apply:${planId}`,
    async () => {
      const plan = await requirePlan(ctx, job.tenantId, planId);
      return runSaga({ ctx, job, jobCtx, plan, signal: AbortSignal.any([jobCtx.signal, lost.signal]) });
    },
    {
      ttlMs: lockMs,
      renewEveryMs: heartbeatEveryMs(lockMs),
      waitMs: Math.max(60_000, 2 * lockMs),
      onLost: () => lost.abort(new JobLockLostError(job.id)),
    },
  );
}

async function runSaga(run: SagaRun): Promise<unknown> {
  const { ctx, job, plan } = run;
  let connection: Connection | undefined;
  try {
    connection = await requirePosConnection(ctx, job.tenantId, plan.connectionId);
    const pos = await ctx.connectors.pointOfSale(connection);
    const waiting = (await exports.forPlan(ctx.store.db, job.tenantId, plan.id)).some((e) => e.waiting !== null);
    const saga = new SagaSteps(ctx, job.tenantId, plan.id, {
      signal: run.signal,
      // The POS answered again: the order no longer shows as waiting for it.
      ...(waiting
        ? { onProgress: () => exports.setWaiting(ctx.store.db, job.tenantId, plan.id, null, ctx.now()) }
        : {}),
    });
    await saga.load();
    return await applySteps(run, saga, pos, connection);
  } catch (error) {
    return handleSagaError(run, connection, error);
  }
}

/**
 * The steps every order of the plan shares: a supplier per brand, then each new product; other exports to
 * the same POS account may share them too (export-cooperation.ts).
 */
async function sharedSteps(plan: StoredPlan['plan'], saga: SagaSteps, pos: PointOfSale, coop: Cooperation) {
  const supplierByBrand = new Map<string, string>();
  const brands = new Map(
    [...plan.purchaseOrders.map((po) => po.brand), ...plan.newProducts.map((p) => p.brand)].map((b) => [b.sourceId, b]),
  );
  for (const brand of brands.values()) {
    // A brand the merchant mapped to a POS supplier goes to it: nothing is looked up, nothing created.
    const mapped = plan.suppliers?.find((s) => s.brand.sourceId === brand.sourceId)?.supplierId;
    if (mapped) {
      supplierByBrand.set(brand.sourceId, mapped);
      continue;
    }
    const supplier = await supplierStep(saga, pos, brand, plan.purchaseOrders[0]?.currency ?? null, coop);
    supplierByBrand.set(brand.sourceId, supplier.id);
  }
  const productByMatrix = new Map<string, ProductStepResult>();
  for (const product of plan.newProducts) {
    const supplierId = supplierByBrand.get(product.brand.sourceId) as string;
    productByMatrix.set(product.matrixKey, await createProductStep(saga, pos, product, supplierId, coop));
  }
  return { supplierByBrand, productByMatrix };
}

async function applySteps(run: SagaRun, saga: SagaSteps, pos: PointOfSale, connection: Connection): Promise<unknown> {
  const { ctx, job, plan: stored } = run;
  const tenantId = job.tenantId;
  const plan = stored.plan;
  const started = ctx.now();
  const coop = cooperation(ctx, connection, stored);
  const { supplierByBrand, productByMatrix } = await sharedSteps(plan, saga, pos, coop);
  await ownershipSteps({ ctx, connection, plan, saga, pos, productByMatrix });

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
    const exportRow = (await exports.forPlan(ctx.store.db, tenantId, stored.id)).find((e) => e.orderId === orderId);
    if (!exportRow || exportRow.state === 'exported') continue;
    const order = { ctx, saga, pos, connection, plan: stored, po, orderId, exportRow, started };
    try {
      await exportOrder({ ...order, supplierByBrand, productByMatrix });
    } catch (error) {
      // The POS, the job or the worker says stop (an outage, a rate limit, lost credentials, a lost lock):
      // the other orders would meet the same, so the saga stops and the job handles it.
      if (stopsTheSaga(error, run.signal)) throw error;
      // One order's own failure (the POS refused its PO, say) does not hold the others back. While the queue
      // will run the job again, the export stays in progress.
      if (willNotRetry(error, run))
        await exports.update(
          ctx.store.db,
          tenantId,
          exportRow.id,
          { state: 'failed', failure: describeForBuyer(error), finishedAt: ctx.now(), waiting: null },
          ctx.now(),
        );
      failures.push(error);
    }
  }
  const rows = await exports.forPlan(ctx.store.db, tenantId, stored.id);
  if (rows.every((r) => r.state === 'exported' || r.state === 'failed')) {
    await exportPlans.transition(ctx.store.db, tenantId, stored.id, 'applying', 'applied', ctx.now());
  }
  await noticeAutomaticFailures(run, connection, failures);
  const retryable = failures.find((f) => !isPermanentFailure(f));
  if (retryable) throw retryable;
  return {
    exported: rows.filter((r) => r.state === 'exported').length,
    failed: rows.filter((r) => r.state === 'failed').length,
  };
}

function stopsTheSaga(error: unknown, signal: AbortSignal): boolean {
  return (
    error instanceof RemoteUnavailable ||
    error instanceof RemoteRateLimited ||
    error instanceof RemoteAuthLost ||
    error instanceof DeferJob ||
    error instanceof JobLockLostError ||
    signal.aborted
  );
}

async function handleSagaError(run: SagaRun, connection: Connection | undefined, error: unknown): Promise<never> {
  const { ctx, job, jobCtx, plan } = run;
  if (error instanceof RemoteRateLimited) jobCtx.defer(error.retryAt, error.message);
  // Another worker owns the job now (or this one is stopping): the outcome is not this run's to record.
  if (error instanceof JobLockLostError || error instanceof DeferJob || run.signal.aborted) throw error;
  if (error instanceof RemoteUnavailable) await waitForThePos(run, error);
  // The POS answered, with something else than an outage: the export no longer waits for it.
  await exports.setWaiting(ctx.store.db, job.tenantId, plan.id, null, ctx.now());
  if (error instanceof RemoteAuthLost && connection) {
    await connections.update(
      ctx.store.db,
      job.tenantId,
      connection.id,
      { status: 'needs_relink', lastError: error.message },
      ctx.now(),
    );
  }
  if (willNotRetry(error, run)) {
    await failOpenExports(ctx, job.tenantId, plan.id, error);
    if (connection) await noticeAutomaticFailures(run, connection, [error]);
  }
  throw error;
}

/**
 * The POS did not answer. Every step reconciles by its correlation key when it runs again, so the job is
 * put back (no attempt used) until the next try: the delay grows with the time the POS has been down,
 * up to the worker's cap. The exports show "Waiting for the POS", with the reason and the next try.
 * Returns only when the outage budget is spent, with the exports failed: the job fails for good.
 */
async function waitForThePos(run: SagaRun, error: RemoteUnavailable): Promise<void> {
  const { ctx, job, jobCtx, plan } = run;
  const rows = await exports.forPlan(ctx.store.db, job.tenantId, plan.id);
  const since = Math.min(ctx.now(), ...rows.flatMap((r) => (r.waiting ? [r.waiting.since] : [])));
  const nextTryAt = jobCtx.retryAfterOutage(since);
  if (nextTryAt !== null) {
    const reason = outageReason(error);
    await exports.setWaiting(ctx.store.db, job.tenantId, plan.id, { since, reason, nextTryAt }, ctx.now());
    jobCtx.defer(nextTryAt, `waiting for the POS: ${error.message}`);
  }
  const gaveUp = new AppError(
    error.code,
    `The POS did not answer for ${duration(ctx.now() - since)} (${outageReason(error)}). Nothing was duplicated; retry when it is back.`,
    { httpStatus: 503, retryable: true },
  );
  await failOpenExports(ctx, job.tenantId, plan.id, gaveUp);
  throw new PermanentJobError(gaveUp.message, { cause: error });
}

/** What the buyer reads while the export waits (no remote body: a proxy's error page says nothing useful). */
function outageReason(error: RemoteUnavailable): string {
  if (error.reason === 'timeout') return 'The POS did not answer in time';
  if (error.reason === 'network') return 'The POS could not be reached';
  return `The POS answered ${error.status ?? 'with a server error'}`;
}

function duration(ms: number): string {
  const [n, unit] =
    ms >= 3_600_000
      ? [Math.round(ms / 3_600_000), 'hour']
      : ms >= 60_000
        ? [Math.round(ms / 60_000), 'minute']
        : [Math.max(1, Math.round(ms / 1000)), 'second'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** The job queue's own rule (src/jobs/runner.ts): a permanent error, or the last attempt. */
function willNotRetry(error: unknown, run: SagaRun): boolean {
  return isPermanentFailure(error) || run.jobCtx.attempt >= run.job.maxAttempts;
}

async function failOpenExports(ctx: EngineContext, tenantId: string, planId: string, error: unknown): Promise<void> {
  for (const row of await exports.forPlan(ctx.store.db, tenantId, planId)) {
    if (row.state === 'in_progress')
      await exports.update(
        ctx.store.db,
        tenantId,
        row.id,
        { state: 'failed', failure: describeForBuyer(error), finishedAt: ctx.now(), waiting: null },
        ctx.now(),
      );
  }
}

/**
 * Automatic sync exports with nobody watching: an export of it that failed for good is also told on the
 * connection (its last problem), where the merchant looks when orders stop arriving in the POS.
 */
async function noticeAutomaticFailures(run: SagaRun, connection: Connection, failures: unknown[]): Promise<void> {
  const { ctx, job, plan } = run;
  if (plan.createdBy !== automaticSyncCreator) return;
  const failed = failures.filter((f) => willNotRetry(f, run));
  if (failed.length === 0) return;
  const orders = await wholesaleOrders.getMany(ctx.store.db, job.tenantId, plan.orderIds);
  const numbers = orders.map((o) => o.orderNumber).join(', ');
  await connections.update(
    ctx.store.db,
    job.tenantId,
    connection.id,
    { lastError: `Automatic export of order ${numbers} failed: ${describeForBuyer(failed[0]).message}` },
    ctx.now(),
  );
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
