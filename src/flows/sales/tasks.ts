/** The sales sync's tasks and the helpers that queue them (keys make each enqueue idempotent). */
import { z } from 'zod';
import { enqueue, type Job, type TaskRef } from '../../jobs/index.ts';
import type { Db } from '../../store/db.ts';
import { SALES_COMPLETE, salesSaga } from './saga.ts';

export { SALES_COMPLETE };
export const SALES_NETSUITE_SYNC = 'sales.netsuite-sync';
export const SALES_XSERIES_SYNC = 'sales.xseries-sync';
export const SALES_RETRY = 'sales.retry';

export type SyncDirection = 'netsuite' | 'xseries';

const syncPayload = z.object({ scheduled: z.boolean() });
export type SyncPayload = z.infer<typeof syncPayload>;

/** A scheduled sync may read many changes: its claim lasts ten minutes between the worker's renewals. */
const syncOptions = { lockMs: 10 * 60_000 };

export const syncTasks: Record<SyncDirection, TaskRef<SyncPayload>> = {
  netsuite: { name: SALES_NETSUITE_SYNC, payload: syncPayload, options: syncOptions },
  xseries: { name: SALES_XSERIES_SYNC, payload: syncPayload, options: syncOptions },
};

export const retryTask: TaskRef<{ syncId: string }> = {
  name: SALES_RETRY,
  payload: z.object({ syncId: z.string().min(1) }),
  options: { concurrency: 2 },
};

/** Fulfil and bill a synced order: one job per synced row (the key), so it happens once; a retry names its own key. */
export async function enqueueComplete(
  db: Db,
  tenantId: string,
  syncId: string,
  now: number,
  key = `complete:${syncId}`,
): Promise<Job> {
  const { job } = await enqueue(db, salesSaga.task, { syncId }, { tenantId, key, now });
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
  return enqueue(db, syncTasks[direction], { scheduled: true }, { tenantId, key: `scheduled:${bucket}`, runAt, now });
}

/** A sync someone asked for now (the API, the CLI, the web page). */
export async function enqueueManualSync(db: Db, tenantId: string, direction: SyncDirection, now: number): Promise<Job> {
  const key = `manual:${crypto.randomUUID()}`;
  const { job } = await enqueue(db, syncTasks[direction], { scheduled: false }, { tenantId, key, now });
  return job;
}

export async function enqueueRetry(db: Db, tenantId: string, syncId: string, now: number): Promise<Job> {
  const key = `retry:${syncId}:${crypto.randomUUID()}`;
  const { job } = await enqueue(db, retryTask, { syncId }, { tenantId, key, now });
  return job;
}
