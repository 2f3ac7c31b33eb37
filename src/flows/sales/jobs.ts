/**
 * The sales sync's background work: the two scheduled syncs (each run queues the next one, keyed by time bucket, so
 * the schedule survives restarts and never doubles), fulfil-and-bill per synced order, and retries from the log.
 * A rate limit defers the job without using an attempt; lost credentials pause the connection for a re-link.
 */
import type { AppContext } from '../../app-context.ts';
import { AppError } from '../../core/errors.ts';
import { isCompleting } from '../../core/sales/status.ts';
import { RemoteAuthLost, RemoteRateLimited } from '../../connectors/shared/errors.ts';
import { DeferJob } from '../../jobs/errors.ts';
import type { Job } from '../../jobs/queue.ts';
import type { JobContext, JobHandler } from '../../jobs/runner.ts';
import { connections, leases, salesSyncs } from '../../store/repos/index.ts';
import { activeRules, loadSalesSettings } from './config.ts';
import { completeSync } from './complete.ts';
import { openSalesEnv, type SalesEnv } from './env.ts';
import { recordFailure, syncNetsuiteOrder } from './netsuite-to-xseries.ts';
import { stepDone } from './steps.ts';
import { syncFromNetsuite, syncFromXSeries } from './sync.ts';
import {
  SALES_COMPLETE,
  SALES_NETSUITE_SYNC,
  SALES_RETRY,
  SALES_XSERIES_SYNC,
  enqueueScheduledSync,
  type SyncDirection,
} from './tasks.ts';
import { importSale } from './xseries-to-netsuite.ts';

const SYNC_LOCK_MS = 10 * 60_000;

/** Opens both connections, or says why the sync cannot run (not linked yet: the schedule stops until a link). */
async function envOrSkip(ctx: AppContext, tenantId: string): Promise<SalesEnv | { skipped: string }> {
  try {
    return await openSalesEnv(ctx, tenantId);
  } catch (error) {
    if (error instanceof AppError && (error.code === 'SALES_NOT_CONNECTED' || error.code === 'CONNECTION_NEEDS_RELINK'))
      return { skipped: error.message };
    throw error;
  }
}

async function handleRemote(
  ctx: AppContext,
  env: SalesEnv | undefined,
  jobCtx: JobContext,
  error: unknown,
  options: { failOnAuthLost?: boolean } = {},
): Promise<{ paused: string }> {
  if (error instanceof RemoteRateLimited) jobCtx.defer(error.retryAt, error.message);
  if (error instanceof RemoteAuthLost && env) {
    const connection = error.vendor === 'netsuite' ? env.pair.netsuite : env.pair.xseries;
    await connections.update(
      ctx.store.db,
      env.tenantId,
      connection.id,
      { status: 'needs_relink', lastError: error.message },
      ctx.now(),
    );
    if (!options.failOnAuthLost) return { paused: `${connection.name} needs to be linked again` };
  }
  throw error;
}

function syncHandler(ctx: AppContext, direction: SyncDirection, lockMs: number): JobHandler {
  return {
    lockMs,
    run: async (job: Job, jobCtx: JobContext) => {
      const tenantId = job.tenantId;
      const owner = `${jobCtx.workerId}:${job.id}`;
      const leaseKey = `sales-sync:${direction}:${tenantId}`;
      if (!(await leases.tryAcquire(ctx.store.db, leaseKey, owner, lockMs, ctx.now()))) {
        jobCtx.defer(ctx.now() + 2_000, 'another sync of this organization in this direction is running');
      }
      let env: SalesEnv | undefined;
      try {
        const opened = await envOrSkip(ctx, tenantId);
        if ('skipped' in opened) return opened;
        env = opened;
        const intervalMs = Math.max(1, env.settings.syncIntervalMinutes) * 60_000;
        // The next run first, so a failure of this one does not end the schedule.
        await enqueueScheduledSync(ctx.store.db, tenantId, direction, ctx.now() + intervalMs, intervalMs, ctx.now());
        if (direction === 'netsuite') {
          const { results, ...report } = await syncFromNetsuite(env);
          return { ...report, results: results.slice(0, 50) };
        }
        const { results, ...report } = await syncFromXSeries(env);
        return { ...report, results: results.slice(0, 50) };
      } catch (error) {
        return handleRemote(ctx, env, jobCtx, error);
      } finally {
        await leases.release(ctx.store.db, leaseKey, owner);
      }
    },
  };
}

async function retrySync(
  ctx: AppContext,
  env: SalesEnv,
  syncId: string,
  completeLockMs: number,
  owner: string,
): Promise<unknown> {
  const db = ctx.store.db;
  const row = await salesSyncs.get(db, env.tenantId, syncId);
  if (!row) return { skipped: 'no such synced order' };
  const stepEnv = { db, tenantId: env.tenantId, now: ctx.now };
  const made =
    row.direction === 'ns_to_x'
      ? await stepDone(stepEnv, row.id, 'link-netsuite')
      : await stepDone(stepEnv, row.id, 'create-sales-order');
  if (made) {
    // The record exists on both sides: what is left is to fulfil and bill, once the POS has finished the sale.
    const sale = row.xSaleId ? await env.x.getSale(row.xSaleId) : undefined;
    if (!sale || !isCompleting(sale.status)) {
      await salesSyncs.update(
        db,
        env.tenantId,
        row.id,
        { state: 'sent', errorCode: null, errorMessage: null, xStatus: sale?.status ?? row.xStatus },
        ctx.now(),
      );
      return { waiting: `the X-Series sale is ${sale?.status ?? 'gone'}` };
    }
    // The recorded steps make this safe to run here, whatever became of the original fulfil-and-bill job.
    return completeOnce(ctx, env, row.id, completeLockMs, owner);
  }
  const rules = await activeRules(db, env.tenantId);
  if (row.direction === 'ns_to_x')
    return row.nsId ? syncNetsuiteOrder(env, rules, row.nsId) : { skipped: 'no NetSuite order' };
  const sale = row.xSaleId ? await env.x.getSale(row.xSaleId) : undefined;
  if (!sale) return { skipped: 'the X-Series sale is gone' };
  return importSale(env, rules, sale);
}

/**
 * One organization's fulfilments one at a time: each picks serial and lot numbers from what is on hand, and two at
 * once would pick the same. (A dead worker's lease runs out with its job's lock.)
 */
function completeOnce(
  ctx: AppContext,
  env: SalesEnv,
  syncId: string,
  lockMs: number,
  owner: string,
  jobCtx?: JobContext,
) {
  const key = `sales-complete:${env.tenantId}`;
  // Between steps the job's lock and the lease are both renewed, so a slow run keeps them and a dead one loses them.
  const heartbeat = async (): Promise<void> => {
    await jobCtx?.heartbeat();
    await leases.tryAcquire(ctx.store.db, key, owner, lockMs, ctx.now());
  };
  return leases.withLease(ctx.store.db, key, () => completeSync(env, syncId, { heartbeat }), {
    ttlMs: lockMs,
    waitMs: 60_000,
    owner,
  });
}

export interface SalesHandlerOptions {
  /** How long a claim of a sync job lasts without a heartbeat (default 10 minutes). */
  syncLockMs?: number;
  /** How long a claim of a fulfil-and-bill job lasts (default 2 minutes); a dead worker's job is taken over after it. */
  completeLockMs?: number;
}

/** The sales sync's job handlers, by task name. */
export function salesJobHandlers(ctx: AppContext, options: SalesHandlerOptions = {}): Record<string, JobHandler> {
  const completeLockMs = options.completeLockMs ?? 2 * 60_000;
  return {
    [SALES_NETSUITE_SYNC]: syncHandler(ctx, 'netsuite', options.syncLockMs ?? SYNC_LOCK_MS),
    [SALES_XSERIES_SYNC]: syncHandler(ctx, 'xseries', options.syncLockMs ?? SYNC_LOCK_MS),
    [SALES_COMPLETE]: {
      concurrency: 4,
      lockMs: completeLockMs,
      run: async (job, jobCtx) => {
        const { syncId } = job.payload as { syncId: string };
        let env: SalesEnv | undefined;
        try {
          const opened = await envOrSkip(ctx, job.tenantId);
          if ('skipped' in opened) throw new AppError('SALES_NOT_CONNECTED', opened.skipped, { retryable: true });
          env = opened;
          return await completeOnce(ctx, opened, syncId, completeLockMs, `${jobCtx.workerId}:${job.id}`, jobCtx);
        } catch (error) {
          if (error instanceof DeferJob) throw error;
          if (env && !(error instanceof RemoteRateLimited)) await recordFailure(env, syncId, error);
          // Lost credentials fail this job (the row shows it; a retry after the re-link finishes the work).
          return handleRemote(ctx, env, jobCtx, error, { failOnAuthLost: true });
        }
      },
    },
    [SALES_RETRY]: {
      concurrency: 2,
      run: async (job, jobCtx) => {
        const { syncId } = job.payload as { syncId: string };
        let env: SalesEnv | undefined;
        try {
          const opened = await envOrSkip(ctx, job.tenantId);
          if ('skipped' in opened) return opened;
          env = opened;
          return await retrySync(ctx, env, syncId, completeLockMs, `${jobCtx.workerId}:${job.id}`);
        } catch (error) {
          return handleRemote(ctx, env, jobCtx, error);
        }
      },
    },
  };
}

/**
 * Makes sure each organization with both connections has its two scheduled syncs queued (for a scheduler or a
 * worker's start-up; each job also queues its successor).
 */
export async function ensureSalesSchedules(ctx: AppContext): Promise<number> {
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
