import { RemoteAuthLost, RemoteRateLimited } from '../connectors/shared/errors.ts';
import type { JobHandler } from '../jobs/runner.ts';
import { enqueue } from '../jobs/queue.ts';
import { taskHandlers } from '../jobs/task.ts';
import { connections, type Connection } from '../store/repos/index.ts';
import { autoSyncTask, enqueueAutoSync, runAutoSyncJob } from './auto-sync.ts';
import { syncCatalogMirror } from './catalog-mirror.ts';
import type { EngineContext } from './engine-context.ts';
import { exportSaga } from './export/saga.ts';
import { enqueueBrandForecast, forecastTask, runBrandForecastJob } from './forecast.ts';
import { ingestOrders } from './ingest-orders.ts';

export const ingestTask = 'orders.ingest';
export const catalogSyncTask = 'catalog.sync';

type ConnectionJob = (connection: Connection, payload: Record<string, unknown>) => Promise<unknown>;

/**
 * A job about one connection: skipped when the connection is no longer linked, deferred (no attempt
 * used) on a rate limit, and paused — not failing in a loop — when the connection lost its
 * authorization: the buyer relinks and the work resumes.
 */
function connectionJob(ctx: EngineContext, work: ConnectionJob): JobHandler['run'] {
  return async (job, jobCtx) => {
    const payload = job.payload as { connectionId: string } & Record<string, unknown>;
    const connection = await connections.get(ctx.store.db, job.tenantId, payload.connectionId);
    if (!connection || connection.status !== 'linked')
      return { skipped: `connection is ${connection?.status ?? 'gone'}` };
    try {
      return await work(connection, payload);
    } catch (error) {
      if (error instanceof RemoteRateLimited) jobCtx.defer(error.retryAt, error.message);
      const lastError = error instanceof Error ? error.message : String(error);
      if (error instanceof RemoteAuthLost) {
        await connections.update(
          ctx.store.db,
          job.tenantId,
          connection.id,
          { status: 'needs_relink', lastError },
          ctx.now(),
        );
        return { paused: 'connection needs re-link' };
      }
      await connections.update(ctx.store.db, job.tenantId, connection.id, { lastError }, ctx.now());
      throw error;
    }
  };
}

/** The export engine's background work, by task name. */
export function exportEngineHandlers(ctx: EngineContext): Record<string, JobHandler> {
  return {
    [ingestTask]: {
      concurrency: 4,
      run: connectionJob(ctx, async (connection) => {
        const report = await ingestOrders(ctx, connection, await ctx.connectors.wholesaleSource(connection));
        const autoSynced = await enqueueAutoSync(ctx, ctx.store.db, connection.tenantId, report.newOrderIds);
        await enqueueBrandForecast(ctx, connection);
        return { ...report, autoSynced };
      }),
    },
    [catalogSyncTask]: {
      concurrency: 2,
      run: connectionJob(ctx, async (connection, payload) =>
        syncCatalogMirror(ctx, connection, await ctx.connectors.pointOfSale(connection), {
          full: payload['full'] === true,
        }),
      ),
    },
    ...taskHandlers(ctx, [exportSaga.task]),
    [autoSyncTask]: { concurrency: 2, run: (job, jobCtx) => runAutoSyncJob(ctx, job, jobCtx) },
    [forecastTask]: {
      concurrency: 1,
      run: connectionJob(ctx, (connection, payload) =>
        runBrandForecastJob(ctx, connection, String(payload['posConnectionId'])),
      ),
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
  // The catalog mirror: the change feed hourly (plans and applies also read it first), and once a day a
  // full pass for what the feed cannot report (R-Series merges); a full pass reads the whole catalog,
  // a page per hundred items on R-Series, so it is not hourly.
  const hourly = Math.floor(ctx.now() / 3_600_000);
  const daily = Math.floor(ctx.now() / 86_400_000);
  for (const system of ['lightspeed-x', 'lightspeed-r'] as const) {
    for (const connection of await connections.listAllLinked(ctx.store.db, system)) {
      for (const [key, full] of [
        [`daily:${connection.id}:${daily}`, true],
        [`hourly:${connection.id}:${hourly}`, false],
      ] as const) {
        const { created } = await enqueue(ctx.store.db, {
          tenantId: connection.tenantId,
          task: catalogSyncTask,
          key,
          payload: { connectionId: connection.id, full },
          now: ctx.now(),
        });
        if (created) enqueued++;
      }
    }
  }
  return enqueued;
}
