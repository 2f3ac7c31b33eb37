import { AppError } from '../core/errors.ts';
import { enqueue, type Job } from '../jobs/queue.ts';
import type { Db } from '../store/db.ts';
import { connections } from '../store/repos/index.ts';
import { requestApply } from './apply-export.ts';
import type { EngineContext } from './engine-context.ts';
import { automaticSyncCreator, createPlan, posSystems } from './plan-export.ts';

export const autoSyncTask = 'export.auto';

/** Default per system, as the two Lightspeed integrations behave: X-Series syncs POs automatically. */
export function defaultSyncMode(system: string): 'manual' | 'automatic' {
  return system === 'lightspeed-x' ? 'automatic' : 'manual';
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
      (posSystems as readonly string[]).includes(c.system) &&
      c.status === 'linked' &&
      c.settings['syncMode'] === 'automatic' &&
      typeof c.settings['defaultLocationId'] === 'string',
  );
  let enqueued = 0;
  for (const connection of targets) {
    for (const orderId of orderIds) {
      const { created } = await enqueue(db, {
        tenantId,
        task: autoSyncTask,
        key: `${orderId}:${connection.id}`,
        payload: { orderId, connectionId: connection.id },
        now: ctx.now(),
      });
      if (created) enqueued++;
    }
  }
  return enqueued;
}

/**
 * Plans the order for the connection's default location; applies it when no line needs review. An
 * order that needs review keeps its draft plan and shows as waiting until the buyer resolves it.
 */
export async function runAutoSync(ctx: EngineContext, job: Job): Promise<unknown> {
  const { orderId, connectionId } = job.payload as { orderId: string; connectionId: string };
  const connection = await connections.get(ctx.store.db, job.tenantId, connectionId);
  const locationId = connection?.settings['defaultLocationId'];
  if (!connection || connection.settings['syncMode'] !== 'automatic' || typeof locationId !== 'string')
    return { skipped: 'automatic sync is off' };
  try {
    const plan = await createPlan(ctx, job.tenantId, {
      connectionId,
      locationId,
      orderIds: [orderId],
      createdBy: automaticSyncCreator,
    });
    if (!plan.plan.canApply) return { waitingForReview: plan.id, needsReview: plan.plan.counts.needsReview };
    const accepted = await requestApply(ctx, job.tenantId, plan.id);
    return { applying: accepted.planId, jobId: accepted.jobId };
  } catch (error) {
    if (error instanceof AppError && error.code === 'ORDER_ALREADY_EXPORTED') return { skipped: 'already exported' };
    if (error instanceof AppError && error.code === 'ORDER_CANCELLED') return { skipped: 'cancelled in NuORDER' };
    throw error;
  }
}
