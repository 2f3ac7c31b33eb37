/**
 * The one remote-error policy. Every job that talks to a remote system decides what an error means here, and
 * nowhere else:
 *
 *   rate limited  → defer until the budget allows (no attempt used)
 *   auth lost     → the connection needs a re-link (a person must act; retrying cannot help)
 *   unavailable   → the remote state is unknown: wait it out (no attempt used) and reconcile by correlation key
 *   rejected      → fail (the remote said no; the same request gets the same answer)
 *   anything else → the queue's attempts decide
 */
import { AppError } from '../../core/errors.ts';
import { RemoteAuthLost, RemoteRateLimited, RemoteUnavailable } from '../../core/ports/errors.ts';
import { DeferJob, isPermanentFailure, JobLockLostError, WorkerStoppingError } from '../../jobs/errors.ts';
import type { JobContext } from '../../jobs/runner.ts';
import type { Db } from '../../store/db.ts';
import { connections } from '../../store/repos/index.ts';

export type RemoteVerdict =
  | { kind: 'defer'; until: number; reason: string }
  | { kind: 'relink'; error: RemoteAuthLost }
  | { kind: 'wait'; error: RemoteUnavailable }
  /** Not this run's outcome to record: the job was taken over, deferred, or the worker is stopping. */
  | { kind: 'stop' }
  | { kind: 'fail' }
  | { kind: 'retry' };

export function remoteVerdict(error: unknown, signal?: AbortSignal): RemoteVerdict {
  if (error instanceof RemoteRateLimited) return { kind: 'defer', until: error.retryAt, reason: error.message };
  if (error instanceof JobLockLostError || error instanceof DeferJob || error instanceof WorkerStoppingError)
    return { kind: 'stop' };
  if (signal?.aborted) return { kind: 'stop' };
  if (error instanceof RemoteAuthLost) return { kind: 'relink', error };
  if (error instanceof RemoteUnavailable) return { kind: 'wait', error };
  return isPermanentFailure(error) ? { kind: 'fail' } : { kind: 'retry' };
}

/**
 * Whether the error ends a whole run (every other unit would meet it too: an outage, a rate limit, lost
 * credentials, a lost lock) rather than one unit of it (the POS refused this order's PO).
 */
export function stopsTheRun(error: unknown, signal?: AbortSignal): boolean {
  const kind = remoteVerdict(error, signal).kind;
  return kind === 'defer' || kind === 'relink' || kind === 'wait' || kind === 'stop';
}

/** A rate limit defers the job until its time, without using an attempt (returns only for other errors). */
export function deferIfRateLimited(jobCtx: JobContext, error: unknown): void {
  const verdict = remoteVerdict(error);
  if (verdict.kind === 'defer') jobCtx.defer(verdict.until, verdict.reason);
}

/**
 * An outage that began at `since`: the job is deferred to its next try (the worker's backoff over the time
 * already waited). Returns only once the worker's outage budget is spent.
 */
export function waitOutOutage(jobCtx: JobContext, error: RemoteUnavailable, since: number, who: string): void {
  const nextTryAt = jobCtx.retryAfterOutage(since);
  if (nextTryAt !== null) jobCtx.defer(nextTryAt, `waiting for ${who}: ${error.message}`);
}

/**
 * The policy for a job that reaches a remote outside a saga's steps (planning an amendment, an order pull): a rate
 * limit defers it (no attempt used), an outage waits out the worker's budget counted from `since`, lost
 * credentials mark the connection for a re-link and pause the job (the value to return). Anything else is
 * thrown back for the caller's own handling (the queue's attempts).
 */
export async function followRemotePolicy(
  deps: { store: { db: Db }; now(): number },
  jobCtx: JobContext,
  error: unknown,
  at: { tenantId: string; connectionId: string; since: number; who: string },
): Promise<{ paused: string }> {
  const verdict = remoteVerdict(error, jobCtx.signal);
  if (verdict.kind === 'defer') jobCtx.defer(verdict.until, verdict.reason);
  if (verdict.kind === 'wait') waitOutOutage(jobCtx, verdict.error, at.since, at.who);
  if (verdict.kind === 'relink') {
    await markNeedsRelink(deps.store.db, at.tenantId, at.connectionId, error, deps.now());
    return { paused: 'connection needs re-link' };
  }
  throw error;
}

/** The connection's credentials are gone: it shows as needing a re-link, with the reason. */
export async function markNeedsRelink(
  db: Db,
  tenantId: string,
  connectionId: string,
  error: unknown,
  now: number,
): Promise<void> {
  const lastError = error instanceof Error ? error.message : String(error);
  await connections.update(db, tenantId, connectionId, { status: 'needs_relink', lastError }, now);
}

/** What a person reads while the work waits (no remote body: a proxy's error page says nothing useful). */
export function outageReason(error: RemoteUnavailable, who: string): string {
  const Who = capitalized(who);
  if (error.reason === 'timeout') return `${Who} did not answer in time`;
  if (error.reason === 'network') return `${Who} could not be reached`;
  return `${Who} answered ${error.status ?? 'with a server error'}`;
}

/** The outage budget is spent: the error the work fails with, in a person's words. */
export function outageGaveUp(error: RemoteUnavailable, who: string, waitedMs: number): AppError {
  return new AppError(
    error.code,
    `${capitalized(who)} did not answer for ${duration(waitedMs)} (${outageReason(error, who)}). Nothing was duplicated; retry when it is back.`,
    { retryable: true },
  );
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function duration(ms: number): string {
  const [n, unit] =
    ms >= 3_600_000
      ? [Math.round(ms / 3_600_000), 'hour']
      : ms >= 60_000
        ? [Math.round(ms / 60_000), 'minute']
        : [Math.max(1, Math.round(ms / 1000)), 'second'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
