import { z } from 'zod';
import type { JobHandler } from '../jobs/runner.ts';
import { enqueue } from '../jobs/queue.ts';
import { taskHandlers } from '../jobs/task.ts';
import { connections } from '../store/repos/index.ts';
import { autoApplyAmendmentJob, enqueueAutoApply } from './amendments/decide.ts';
import { amendmentSaga } from './amendments/saga.ts';
import { autoSyncJob, enqueueAutoSync } from './auto-sync.ts';
import { syncCatalogMirror } from './catalog-mirror.ts';
import { defineConnectionTask, onlyConnection } from './connection-job.ts';
import type { EngineContext } from './engine-context.ts';
import { exportSaga } from './export/saga.ts';
import { brandForecastJob, enqueueBrandForecast } from './forecast.ts';
import { ingestOrders } from './ingest-orders.ts';
import { adoptPosReorders } from './reorder/from-pos/adopt.ts';
import { enqueuePurchaseOrderFeedPolls, posPurchaseOrderFeedJob } from './reorder/from-pos/poll.ts';
import { posReorderSaga } from './reorder/from-pos/saga.ts';
import { shipmentFactsSaga } from './shipment-facts/saga.ts';
import { refreshShipments } from './shipment-refresh.ts';

/**
 * Pulls a NuORDER connection's approved orders; new ones go to automatic sync and the brand's forecast. Then the
 * exported ones not complete yet are re-read for their status and shipments.
 */
export const ingestOrdersJob = defineConnectionTask(
  'orders.ingest',
  onlyConnection,
  { concurrency: 4 },
  async (ctx, connection) => {
    const source = await ctx.connectors.wholesaleSource(connection);
    const report = await ingestOrders(ctx, connection, source);
    // A reorder started in the POS back office, approved by the brand: in the POS already (export once).
    const fromPos = await adoptPosReorders(ctx, connection);
    const newOrderIds = report.newOrderIds.filter((id) => !fromPos.pairedOrderIds.has(id));
    const autoSynced = await enqueueAutoSync(ctx, ctx.store.db, connection.tenantId, newOrderIds);
    await enqueueBrandForecast(ctx, connection);
    // An amendment raised by this pull is applied by itself where the POS connection says so (decide.ts).
    if (report.amendments > 0) await enqueueAutoApply(ctx, connection.tenantId);
    // The orders exported from this connection, re-read until complete (status, shipments).
    const shipments = await refreshShipments(ctx, connection, source);
    return { ...report, autoSynced, adoptedFromPos: fromPos.adopted, shipments };
  },
);

/**
 * A scheduled full catalog pass is skipped when one finished less than this long ago. Less than a day: the daily
 * job runs at the first tick of each day, a little later some days, and must not skip the next day's pass.
 */
const DAILY_FULL_PASS_MS = 20 * 3_600_000;

/** Brings a POS connection's catalog mirror up to date (`full`: a whole pass, for what the feed cannot say). */
export const catalogSyncJob = defineConnectionTask(
  'catalog.sync',
  z.object({ connectionId: z.string().min(1), full: z.boolean().optional() }),
  { concurrency: 2 },
  async (ctx, connection, payload) =>
    syncCatalogMirror(ctx, connection, await ctx.connectors.pointOfSale(connection), {
      full: payload.full === true,
      // The daily full pass is for what the change feed cannot report (R-Series merges): one a day is enough,
      // so a full pass made since (the link's first one, a merge followed) stands in for it.
      fullUnlessWithinMs: DAILY_FULL_PASS_MS,
    }),
);

/** The task names (the worker's handlers are keyed by them). */
export const ingestTask = ingestOrdersJob.name;
export const catalogSyncTask = catalogSyncJob.name;

/** The export engine's background work, by task name. */
export function exportEngineHandlers(ctx: EngineContext): Record<string, JobHandler> {
  return taskHandlers(ctx, [
    ingestOrdersJob,
    catalogSyncJob,
    exportSaga.task,
    autoSyncJob,
    brandForecastJob,
    amendmentSaga.task,
    autoApplyAmendmentJob,
    shipmentFactsSaga.task,
    posPurchaseOrderFeedJob,
    posReorderSaga.task,
  ]);
}

/**
 * Recurring work, enqueued by every worker with a key per time bucket, so however many workers run,
 * each connection is polled once per period.
 */
export async function enqueueScheduledWork(ctx: EngineContext, periodMs: number): Promise<number> {
  const bucket = Math.floor(ctx.now() / periodMs);
  let enqueued = 0;
  for (const system of ctx.connectors.systems('wholesale'))
    for (const connection of await connections.listAllLinked(ctx.store.db, system)) {
      const { created } = await enqueue(
        ctx.store.db,
        ingestOrdersJob,
        { connectionId: connection.id },
        { tenantId: connection.tenantId, key: `poll:${connection.id}:${bucket}`, now: ctx.now() },
      );
      if (created) enqueued++;
    }
  // The catalog mirror: the change feed hourly (plans and applies also read it first), and once a day a
  // full pass for what the feed cannot report (R-Series merges); a full pass reads the whole catalog,
  // a page per hundred items on R-Series, so it is not hourly.
  const hourly = Math.floor(ctx.now() / 3_600_000);
  const daily = Math.floor(ctx.now() / 86_400_000);
  for (const system of ctx.connectors.systems('pos')) {
    for (const connection of await connections.listAllLinked(ctx.store.db, system)) {
      for (const [key, full] of [
        [`daily:${connection.id}:${daily}`, true],
        [`hourly:${connection.id}:${hourly}`, false],
      ] as const) {
        const { created } = await enqueue(
          ctx.store.db,
          catalogSyncJob,
          { connectionId: connection.id, full },
          { tenantId: connection.tenantId, key, now: ctx.now() },
        );
        if (created) enqueued++;
      }
    }
  }
  // Purchase orders the merchant made in the POS for a linked brand (reorders from the POS back office).
  enqueued += await enqueuePurchaseOrderFeedPolls(ctx, periodMs);
  return enqueued;
}
