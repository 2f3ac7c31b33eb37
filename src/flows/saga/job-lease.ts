import { JobLockLostError } from '../../jobs/errors.ts';
import type { Job } from '../../jobs/queue.ts';
import { heartbeatEveryMs, type JobContext } from '../../jobs/runner.ts';
import type { Db } from '../../store/db.ts';
import { leases } from '../../store/repos/index.ts';

/** The lease when the job says nothing of its lock (a job claimed before locks were stored). */
const defaultLeaseMs = 30_000;

/**
 * Runs `fn` holding the lease on `key` for as long as the job's lock, renewed as often: one run per key at a
 * time, whatever job runs it. A killed worker's lease runs out with its job lock, so the worker that takes the
 * job over finds it free. The lease is kept even when the job lock is lost (taken over after a stall): `fn`
 * sees its signal aborted and stops at its next step, and only then lets the new owner in.
 */
export function withJobLease<T>(
  db: Db,
  key: string,
  job: Job,
  jobCtx: JobContext,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const lockMs =
    job.lockedUntil !== null && job.lockedUntil > job.updatedAt ? job.lockedUntil - job.updatedAt : defaultLeaseMs;
  const lost = new AbortController();
  const signal = AbortSignal.any([jobCtx.signal, lost.signal]);
  return leases.withLease(db, key, () => fn(signal), {
    ttlMs: lockMs,
    renewEveryMs: heartbeatEveryMs(lockMs),
    waitMs: Math.max(60_000, 2 * lockMs),
    onLost: () => lost.abort(new JobLockLostError(job.id)),
  });
}
