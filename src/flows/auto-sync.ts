import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { isPermanentFailure, PermanentJobError, permanentFailureMessage } from '../jobs/errors.ts';
import { enqueue, list as listJobs, retry as retryJob, type Job } from '../jobs/queue.ts';
import { defineTask } from '../jobs/task.ts';
import type { Db } from '../store/db.ts';
import { connections, exportPlans, mappings, wholesaleOrders } from '../store/repos/index.ts';
import { describeForBuyer, requestApply } from './apply-export.ts';
import type { EngineContext } from './engine-context.ts';
import { locationForOrders } from './mappings.ts';
import { automaticSyncCreator, createPlan } from './plan-export.ts';
import { remoteVerdict, waitOutOutage } from './saga/index.ts';

/** The automatic sync job of one order on one POS connection (one per pair, ever: the key dedupes). */
export const autoSyncKey = (orderId: string, connectionId: string): string => `${orderId}:${connectionId}`;

/** A new POS connection's sync mode: its connector's default (X-Series syncs POs automatically), else manual. */
export function defaultSyncMode(ctx: EngineContext, system: string): 'manual' | 'automatic' {
  return ctx.connectors.manifest(system)?.defaultSyncMode ?? 'manual';
}

/** After an ingest: one automatic-sync job per new order and POS connection set to automatic. */
export async function enqueueAutoSync(
  ctx: EngineContext,
  db: Db,
  tenantId: string,
  orderIds: readonly string[],
): Promise<number> {
  const targets = (await connections.list(db, tenantId)).filter(
    (c) =>
      ctx.connectors.isPos(c.system) &&
      c.status === 'linked' &&
      c.settings['syncMode'] === 'automatic' &&
      typeof c.settings['defaultLocationId'] === 'string',
  );
  let enqueued = 0;
  for (const connection of targets) {
    for (const orderId of orderIds) {
      const { created } = await enqueue(
        db,
        autoSyncJob,
        { orderId, connectionId: connection.id },
        { tenantId, key: autoSyncKey(orderId, connection.id), now: ctx.now() },
      );
      if (created) enqueued++;
    }
  }
  return enqueued;
}

const autoSyncPayload = z.object({ orderId: z.string().min(1), connectionId: z.string().min(1) });
type AutoSyncPayload = z.infer<typeof autoSyncPayload>;

/**
 * The automatic sync job. A rate limit or a POS outage waits (no attempt used; an outage for up to the
 * worker's outage budget, counted from when the job was queued), as the one remote-error policy says. A
 * failure for good is told in the buyer's words on the order (the job's reason, see `autoSyncFailure`) and
 * on the connection (its last problem), instead of leaving the order "Not exported" with nobody told.
 */
export const autoSyncJob = defineTask(
  'export.auto',
  autoSyncPayload,
  { concurrency: 2 },
  async (ctx: EngineContext, payload, job, jobCtx) => {
    try {
      return await runAutoSync(ctx, job.tenantId, payload);
    } catch (error) {
      const verdict = remoteVerdict(error, jobCtx.signal);
      if (verdict.kind === 'defer') jobCtx.defer(verdict.until, verdict.reason);
      if (verdict.kind === 'wait') waitOutOutage(jobCtx, verdict.error, job.createdAt, 'the POS');
      if (!(isPermanentFailure(error) || verdict.kind === 'wait' || jobCtx.attempt >= job.maxAttempts)) throw error;
      const message = describeForBuyer(error).message;
      const order = await wholesaleOrders.get(ctx.store.db, job.tenantId, payload.orderId);
      await connections.update(
        ctx.store.db,
        job.tenantId,
        payload.connectionId,
        { lastError: `Automatic export of order ${order?.orderNumber ?? payload.orderId} failed: ${message}` },
        ctx.now(),
      );
      throw new PermanentJobError(message, { cause: error });
    }
  },
);
export const autoSyncTask = autoSyncJob.name;

/** Why a failed automatic sync job failed, in the buyer's words. */
export function autoSyncFailure(job: Job): string {
  return (
    permanentFailureMessage(job.lastError) ??
    `The automatic export stopped (${job.lastError ?? 'no reason recorded'}); export the order by hand, or retry`
  );
}

/**
 * Plans the order for the connection's default location; applies it when no line needs review. An
 * order that needs review keeps its draft plan and shows as waiting until the buyer resolves it.
 */
export async function runAutoSync(
  ctx: EngineContext,
  tenantId: string,
  { orderId, connectionId }: AutoSyncPayload,
): Promise<unknown> {
  const connection = await connections.get(ctx.store.db, tenantId, connectionId);
  const locationId = connection?.settings['defaultLocationId'];
  if (!connection || connection.settings['syncMode'] !== 'automatic' || typeof locationId !== 'string')
    return { skipped: 'automatic sync is off' };
  try {
    // The location mapped to the order's ship-to address, else the connection's default. Once the merchant maps
    // addresses, an address without one is not guessed: its plan waits for a person to choose (asked once; the
    // review remembers the answer).
    const order = await wholesaleOrders.get(ctx.store.db, tenantId, orderId);
    const where = order ? await locationForOrders(ctx, tenantId, connectionId, [order.document]) : null;
    const asks =
      where !== null &&
      !where.mapped &&
      (await mappings.locationMappings(ctx.store.db, tenantId, connectionId)).length > 0;
    const plan = await createPlan(ctx, tenantId, {
      connectionId,
      locationId: where?.locationId ?? locationId,
      orderIds: [orderId],
      createdBy: automaticSyncCreator,
    });
    if (asks) return { waitingForLocation: plan.id, address: where.address };
    if (!plan.plan.canApply) return { waitingForReview: plan.id, needsReview: plan.plan.counts.needsReview };
    return await applyOrRetryFresh(ctx, tenantId, plan.id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'ORDER_ALREADY_EXPORTED') return { skipped: 'already exported' };
    if (error instanceof AppError && error.code === 'ORDER_CANCELLED') return { skipped: 'cancelled in NuORDER' };
    throw error;
  }
}

/**
 * The POS catalog can change between the plan and the apply (the merchant added an item): apply then
 * withdraws the plan and makes a fresh one. Automatic sync applies the fresh one if it needs no review.
 */
async function applyOrRetryFresh(ctx: EngineContext, tenantId: string, planId: string): Promise<unknown> {
  try {
    const accepted = await requestApply(ctx, tenantId, planId);
    return { applying: accepted.planId, jobId: accepted.jobId };
  } catch (error) {
    const fresh = (error as AppError).details as { freshPlanId?: string } | undefined;
    if (!(error instanceof AppError && error.code === 'PLAN_DRIFTED' && fresh?.freshPlanId)) throw error;
    const plan = await exportPlans.get(ctx.store.db, tenantId, fresh.freshPlanId);
    if (!plan?.plan.canApply) return { waitingForReview: fresh.freshPlanId, drifted: true };
    const accepted = await requestApply(ctx, tenantId, plan.id);
    return { applying: accepted.planId, jobId: accepted.jobId, drifted: true };
  }
}

/**
 * After the buyer fixed what made automatic sync fail (a default location, say): its failed jobs on this
 * connection run again, so the orders go to the POS without anyone exporting them by hand.
 */
export async function retryFailedAutoSync(ctx: EngineContext, tenantId: string, connectionId: string): Promise<number> {
  const failed = (await listJobs(ctx.store.db, tenantId, { task: autoSyncTask, state: 'failed', limit: 500 })).filter(
    (j) => autoSyncPayload.safeParse(j.payload).data?.connectionId === connectionId,
  );
  for (const job of failed) await retryJob(ctx.store.db, tenantId, job.id, ctx.now());
  return failed.length;
}
