/** Task names of the sales sync and the helpers that queue them (keys make each enqueue idempotent). */
import { enqueue, type Job } from '../../jobs/queue.ts';
import type { Db } from '../../store/db.ts';

export const SALES_NETSUITE_SYNC = 'sales.netsuite-sync';
export const SALES_XSERIES_SYNC = 'sales.xseries-sync';
export const SALES_COMPLETE = 'sales.complete';
export const SALES_RETRY = 'sales.retry';

export type SyncDirection = 'netsuite' | 'xseries';

export const taskOf = (direction: SyncDirection): string =>
  direction === 'netsuite' ? SALES_NETSUITE_SYNC : SALES_XSERIES_SYNC;

/** Fulfil and bill a synced order: one job per synced row, ever (the key), so it happens once. */
export async function enqueueComplete(db: Db, tenantId: string, syncId: string, now: number): Promise<Job> {
  const { job } = await enqueue(db, {
    tenantId,
    task: SALES_COMPLETE,
    key: `complete:${syncId}`,
    payload: { syncId },
    maxAttempts: 8,
    now,
  });
  return job;
}

/**
 * A scheduled sync in the time bucket `runAt` falls in: however many workers or earlier runs ask, one job per
 * direction and bucket exists.
 */
export async function enqueueScheduledSync(
  db: Db,
  tenantId: string,
  direction: SyncDirection,
  runAt: number,
  intervalMs: number,
  now: number,
): Promise<{ job: Job; created: boolean }> {
  const bucket = Math.floor(runAt / intervalMs);
  return enqueue(db, {
    tenantId,
    task: taskOf(direction),
    key: `scheduled:${bucket}`,
    payload: { scheduled: true },
    runAt,
    now,
  });
}

/** A sync someone asked for now (the API, the CLI, the web page). */
export async function enqueueManualSync(db: Db, tenantId: string, direction: SyncDirection, now: number): Promise<Job> {
  const { job } = await enqueue(db, {
    tenantId,
    task: taskOf(direction),
    key: `manual:${crypto.randomUUID()}`,
    payload: { scheduled: false },
    now,
  });
  return job;
}

export async function enqueueRetry(db: Db, tenantId: string, syncId: string, now: number): Promise<Job> {
  const { job } = await enqueue(db, {
    tenantId,
    task: SALES_RETRY,
    key: `retry:${syncId}:${crypto.randomUUID()}`,
    payload: { syncId },
    now,
  });
  return job;
}
