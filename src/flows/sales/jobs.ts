/**
 * The sales sync's background work: the two scheduled syncs (each run queues the next one, keyed by time bucket, so
 * the schedule survives restarts and never doubles), the saga's own job that fulfils and bills a synced order
 * (saga.ts), and retries from the log. Each sync holds the runtime's lease per organization and direction, renewed
 * with its job's lock; a remote error goes through the runtime's one policy (a rate limit defers without using an
 * attempt; lost credentials pause the sync until a re-link; an outage is waited out).
 */
import type { EngineContext } from '../engine-context.ts';
import { AppError } from '../../core/errors.ts';
import { isCompleting } from '../../core/sales/status.ts';
import { defineTask, taskHandlers, type Job, type JobContext, type JobHandler } from '../../jobs/index.ts';
import { connections, salesSyncs } from '../../store/repos/index.ts';
import { markNeedsRelink, remoteVerdict, waitOutOutage, withJobLease } from '../saga/index.ts';
import { activeRules, loadSalesSettings } from './config.ts';
import { openSalesEnv, type SalesEnv } from './env.ts';
import { syncNetsuiteOrder } from './netsuite-to-xseries.ts';
import { SALES_COMPLETE, salesSaga, stepDone } from './saga.ts';
import { syncFromNetsuite, syncFromXSeries } from './sync.ts';
import {
  enqueueComplete,
  enqueueScheduledSync,
  retryTask,
  syncTasks,
  type SyncDirection,
  type SyncPayload,
} from './tasks.ts';
import { stepKeys } from './types.ts';
import { importSale } from './xseries-to-netsuite.ts';

/** Opens both connections, or says why the sync cannot run (not linked yet: the schedule stops until a link). */
async function envOrSkip(ctx: EngineContext, tenantId: string): Promise<SalesEnv | { skipped: string }> {
  try {
    return await openSalesEnv(ctx, tenantId);
  } catch (error) {
    if (error instanceof AppError && (error.code === 'SALES_NOT_CONNECTED' || error.code === 'CONNECTION_NEEDS_RELINK'))
      return { skipped: error.message };
    throw error;
  }
}

/**
 * The runtime's remote-error policy for a sync or a retry. Lost credentials mark the connection for a re-link and
 * pause this run (the next scheduled one skips until the link is back) rather than fail it.
 */
async function onRemoteError(
  ctx: EngineContext,
  env: SalesEnv | undefined,
  job: Job,
  jobCtx: JobContext,
  error: unknown,
): Promise<{ paused: string }> {
  const verdict = remoteVerdict(error, env?.signal);
  if (verdict.kind === 'defer') jobCtx.defer(verdict.until, verdict.reason);
  if (verdict.kind === 'wait') waitOutOutage(jobCtx, verdict.error, job.createdAt, 'NetSuite or X-Series');
  if (verdict.kind === 'relink' && env) {
    const connection = verdict.error.vendor === 'netsuite' ? env.pair.netsuite : env.pair.xseries;
    await markNeedsRelink(ctx.store.db, env.tenantId, connection.id, error, ctx.now());
    return { paused: `${connection.name} needs to be linked again` };
  }
  throw error;
}

function syncTask(direction: SyncDirection) {
  const ref = syncTasks[direction];
  return defineTask(ref.name, ref.payload, ref.options, (ctx: EngineContext, _payload: SyncPayload, job, jobCtx) =>
    withJobLease(ctx.store.db, `sales-sync:${direction}:${job.tenantId}`, job, jobCtx, (signal) =>
      runSync(ctx, direction, job, jobCtx, signal),
    ),
  );
}

async function runSync(
  ctx: EngineContext,
  direction: SyncDirection,
  job: Job,
  jobCtx: JobContext,
  signal: AbortSignal,
): Promise<unknown> {
  let env: SalesEnv | undefined;
  try {
    const opened = await envOrSkip(ctx, job.tenantId);
    if ('skipped' in opened) return opened;
    env = { ...opened, signal };
    const intervalMs = Math.max(1, env.settings.syncIntervalMinutes) * 60_000;
    // The next run first, so a failure of this one does not end the schedule.
    await enqueueScheduledSync(ctx.store.db, job.tenantId, direction, ctx.now() + intervalMs, intervalMs, ctx.now());
    const { results, ...report } = direction === 'netsuite' ? await syncFromNetsuite(env) : await syncFromXSeries(env);
    return { ...report, results: results.slice(0, 50) };
  } catch (error) {
    return onRemoteError(ctx, env, job, jobCtx, error);
  }
}

/**
 * A person's retry from the log: a row whose record exists on both sides is fulfilled and billed by the saga's job
 * (queued again under a key of its own) once the POS has finished the sale; any other is synced again, its steps
 * looked up first, so nothing is made twice.
 */
async function retrySync(ctx: EngineContext, env: SalesEnv, syncId: string): Promise<unknown> {
  const db = ctx.store.db;
  const row = await salesSyncs.get(db, env.tenantId, syncId);
  if (!row) return { skipped: 'no such synced order' };
  const made = await stepDone(
    ctx,
    env.tenantId,
    row.id,
    row.direction === 'ns_to_x' ? stepKeys.linkInNetsuite : stepKeys.createSalesOrder,
  );
  if (made) {
    const sale = row.xSaleId ? await env.x.getSale(row.xSaleId) : undefined;
    if (!sale || !isCompleting(sale.status)) {
      const changes = {
        state: 'sent' as const,
        errorCode: null,
        errorMessage: null,
        xStatus: sale?.status ?? row.xStatus,
      };
      await salesSyncs.update(db, env.tenantId, row.id, changes, ctx.now());
      return { waiting: `the X-Series sale is ${sale?.status ?? 'gone'}` };
    }
    const key = `complete:${row.id}:retry:${crypto.randomUUID()}`;
    return { queued: (await enqueueComplete(db, env.tenantId, row.id, ctx.now(), key)).id };
  }
  const rules = await activeRules(db, env.tenantId);
  if (row.direction === 'ns_to_x')
    return row.nsId ? syncNetsuiteOrder(env, rules, row.nsId) : { skipped: 'no NetSuite order' };
  const sale = row.xSaleId ? await env.x.getSale(row.xSaleId) : undefined;
  if (!sale) return { skipped: 'the X-Series sale is gone' };
  return importSale(env, rules, sale);
}

const retry = defineTask(
  retryTask.name,
  retryTask.payload,
  retryTask.options,
  async (ctx: EngineContext, p, job, jobCtx) => {
    let env: SalesEnv | undefined;
    try {
      const opened = await envOrSkip(ctx, job.tenantId);
      if ('skipped' in opened) return opened;
      env = { ...opened, signal: jobCtx.signal };
      return await retrySync(ctx, env, p.syncId);
    } catch (error) {
      return onRemoteError(ctx, env, job, jobCtx, error);
    }
  },
);

/** Every task of the sales sync, for the worker (src/main.ts). */
export const salesTasks = [syncTask('netsuite'), syncTask('xseries'), salesSaga.task, retry];

export interface SalesHandlerOptions {
  /** How long a claim of a sync job lasts without a heartbeat (default 10 minutes). */
  syncLockMs?: number;
  /** How long a claim of a fulfil-and-bill job lasts (default 2 minutes); a dead worker's job is taken over after it. */
  completeLockMs?: number;
}

/** The sales sync's job handlers, by task name; tests shorten the locks, so a killed worker's job is taken sooner. */
export function salesJobHandlers(ctx: EngineContext, options: SalesHandlerOptions = {}): Record<string, JobHandler> {
  const handlers = taskHandlers(ctx, salesTasks);
  const withLock = (name: string, lockMs: number | undefined) => {
    const handler = handlers[name];
    if (handler && lockMs !== undefined) handlers[name] = { ...handler, lockMs };
  };
  withLock(syncTasks.netsuite.name, options.syncLockMs);
  withLock(syncTasks.xseries.name, options.syncLockMs);
  withLock(SALES_COMPLETE, options.completeLockMs);
  return handlers;
}

/**
 * Makes sure each organization with both connections has its two scheduled syncs queued (for a scheduler or a
 * worker's start-up; each job also queues its successor).
 */
export async function ensureSalesSchedules(ctx: EngineContext): Promise<number> {
  let created = 0;
  const tenants = new Set((await connections.listAllLinked(ctx.store.db, 'netsuite')).map((c) => c.tenantId));
  const withX = new Set((await connections.listAllLinked(ctx.store.db, 'lightspeed-x')).map((c) => c.tenantId));
  for (const tenantId of tenants) {
    if (!withX.has(tenantId)) continue;
    const settings = await loadSalesSettings(ctx.store.db, tenantId);
    const intervalMs = Math.max(1, settings.syncIntervalMinutes) * 60_000;
    for (const direction of ['netsuite', 'xseries'] as const) {
      if ((await enqueueScheduledSync(ctx.store.db, tenantId, direction, ctx.now(), intervalMs, ctx.now())).created)
        created++;
    }
  }
  return created;
}
