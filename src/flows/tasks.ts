import { RemoteAuthLost, RemoteRateLimited } from '../connectors/shared/errors.ts';
import type { JobHandler } from '../jobs/runner.ts';
import { enqueue } from '../jobs/queue.ts';
import { connections } from '../store/repos/index.ts';
import { applyTask, runApplyJob } from './apply-export.ts';
import { autoSyncTask, enqueueAutoSync, runAutoSync } from './auto-sync.ts';
import { syncCatalogMirror } from './catalog-mirror.ts';
import type { EngineContext } from './engine-context.ts';
import { ingestOrders } from './ingest-orders.ts';

export const ingestTask = 'orders.ingest';
export const catalogSyncTask = 'catalog.sync';

/** The export engine's background work, by task name. */
export function exportEngineHandlers(ctx: EngineContext): Record<string, JobHandler> {
  return {
    [ingestTask]: {
      concurrency: 4,
      run: async (job, jobCtx) => {
        const { connectionId } = job.payload as { connectionId: string };
        const connection = await connections.get(ctx.store.db, job.tenantId, connectionId);
        if (!connection || connection.status !== 'linked')
          return { skipped: `connection is ${connection?.status ?? 'gone'}` };
        try {
          const report = await ingestOrders(ctx, connection, await ctx.connectors.wholesaleSource(connection));
          const autoSynced = await enqueueAutoSync(ctx, ctx.store.db, job.tenantId, report.newOrderIds);
          return { ...report, autoSynced };
        } catch (error) {
          if (error instanceof RemoteRateLimited) jobCtx.defer(error.retryAt, error.message);
          if (error instanceof RemoteAuthLost) {
            // Paused, not failing in a loop: the buyer relinks, and polling resumes.
            await connections.update(
              ctx.store.db,
              job.tenantId,
              connectionId,
              { status: 'needs_relink', lastError: error.message },
              ctx.now(),
            );
            return { paused: 'connection needs re-link' };
          }
          await connections.update(
            ctx.store.db,
            job.tenantId,
            connectionId,
            { lastError: error instanceof Error ? error.message : String(error) },
            ctx.now(),
          );
          throw error;
        }
      },
    },
    [catalogSyncTask]: {
      concurrency: 2,
      lockMs: 15 * 60_000,
      run: async (job, jobCtx) => {
        const { connectionId, full } = job.payload as { connectionId: string; full?: boolean };
        const connection = await connections.get(ctx.store.db, job.tenantId, connectionId);
        if (!connection || connection.status !== 'linked')
          return { skipped: `connection is ${connection?.status ?? 'gone'}` };
        try {
          return await syncCatalogMirror(ctx, connection, await ctx.connectors.pointOfSale(connection), {
            full: full === true,
          });
        } catch (error) {
          if (error instanceof RemoteRateLimited) jobCtx.defer(error.retryAt, error.message);
          if (error instanceof RemoteAuthLost) {
            await connections.update(
              ctx.store.db,
              job.tenantId,
              connectionId,
              { status: 'needs_relink', lastError: error.message },
              ctx.now(),
            );
            return { paused: 'connection needs re-link' };
          }
          throw error;
        }
      },
    },
    [applyTask]: { concurrency: 4, lockMs: 10 * 60_000, run: (job, jobCtx) => runApplyJob(ctx, job, jobCtx) },
    [autoSyncTask]: {
      concurrency: 2,
      run: async (job, jobCtx) => {
        try {
          return await runAutoSync(ctx, job);
        } catch (error) {
          if (error instanceof RemoteRateLimited) jobCtx.defer(error.retryAt, error.message);
          throw error;
        }
      },
    },
  };
}

/**
 * Recurring work, enqueued by every worker with a key per time bucket, so however many workers run,
 * each connection is polled once per period.
 */
export async function enqueueScheduledWork(ctx: EngineContext, periodMs: number): Promise<number> {
  const bucket = Math.floor(ctx.now() / periodMs);
  let enqueued = 0;
  for (const connection of await connections.listAllLinked(ctx.store.db, 'nuorder')) {
    const { created } = await enqueue(ctx.store.db, {
      tenantId: connection.tenantId,
      task: ingestTask,
      key: `poll:${connection.id}:${bucket}`,
      payload: { connectionId: connection.id },
      now: ctx.now(),
    });
    if (created) enqueued++;
  }
  // The full catalog pass catches what the change feed cannot report (R-Series merges); hourly.
  const hourly = Math.floor(ctx.now() / 3_600_000);
  for (const system of ['lightspeed-x', 'lightspeed-r'] as const) {
    for (const connection of await connections.listAllLinked(ctx.store.db, system)) {
      const { created } = await enqueue(ctx.store.db, {
        tenantId: connection.tenantId,
        task: catalogSyncTask,
        key: `hourly:${connection.id}:${hourly}`,
        payload: { connectionId: connection.id, full: false },
        now: ctx.now(),
      });
      if (created) enqueued++;
    }
  }
  return enqueued;
}
