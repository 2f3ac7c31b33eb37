import type { Db, Store } from '../store/db.ts';
import type { DialectFeatures } from '../store/dialects/features.ts';
import * as jobRows from '../store/repos/jobs.ts';
import type { JobRow } from '../store/repos/jobs.ts';
import type { JobState } from '../store/schema.ts';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
import type { BackoffOptions } from './backoff.ts';
import { describeFailure } from './errors.ts';
import type { TaskRef } from './task.ts';
import { currentLogContext } from '../observability/context.ts';

export type { JobState } from '../store/schema.ts';

export interface JobError {
  at: number;
  attempt: number;
  message: string;
}

export interface Job {
  id: string;
  tenantId: string;
  task: string;
  key: string | null;
  payload: unknown;
  state: JobState;
  /** Failed attempts so far; deferring and releasing do not count. */
  attempts: number;
  maxAttempts: number;
  runAt: number;
  lockedBy: string | null;
  lockedUntil: number | null;
  lastError: string | null;
  errors: JobError[];
  result: unknown;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  /** The request or job that queued it (observability/context.ts); null when queued outside any. */
  correlationId: string | null;
}

/** A job this worker holds: outcomes are written only while its lock token is still current. */
export interface ClaimedJob extends Job {
  lockToken: string;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
const MAX_RECORDED_ERRORS = 50;
const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 500;

// ---------------------------------------------------------------------------------------------
// Enqueue

export interface EnqueueInput {
  tenantId: string;
  task: string;
  payload?: unknown;
  /** Deduplicates: one job per (tenant, task, key), ever. A second enqueue returns the first job. */
  key?: string | undefined;
  runAt?: number | undefined;
  maxAttempts?: number | undefined;
  now?: number | undefined;
  /** Default: the correlation id of the work running now (observability/context.ts). */
  correlationId?: string | undefined;
}

export interface EnqueueResult {
  job: Job;
  /** False when a job with the same key already existed and was returned instead. */
  created: boolean;
}

/** Where and how a typed task's job is queued (its name and payload come from the task). */
export interface EnqueueOptions {
  tenantId: string;
  /** Deduplicates: one job per (tenant, task, key), ever. A second enqueue returns the first job. */
  key?: string | undefined;
  runAt?: number | undefined;
  /** Default: the task's own maxAttempts, else the queue's. */
  maxAttempts?: number | undefined;
  now?: number | undefined;
}

/**
 * Pass a transaction as `db` to enqueue atomically with the caller's own writes. With a task (jobs/task.ts) the
 * payload is checked against the task's schema at compile time and again here; the untyped form is for the
 * queue's own tests and tools.
 */
export function enqueue(db: Db, input: EnqueueInput): Promise<EnqueueResult>;
export function enqueue<P>(
  db: Db,
  task: TaskRef<P>,
  payload: NoInfer<P>,
  options: EnqueueOptions,
): Promise<EnqueueResult>;
export function enqueue<P>(
  db: Db,
  inputOrTask: EnqueueInput | TaskRef<P>,
  payload?: P,
  options?: EnqueueOptions,
): Promise<EnqueueResult> {
  if (!('name' in inputOrTask)) return insertJob(db, inputOrTask);
  const task = inputOrTask;
  if (!options) throw new RangeError(`enqueue ${task.name}: say which organization the job is for`);
  return insertJob(db, {
    ...options,
    task: task.name,
    payload: task.payload.parse(payload),
    maxAttempts: options.maxAttempts ?? task.options.maxAttempts,
  });
}

async function insertJob(db: Db, input: EnqueueInput): Promise<EnqueueResult> {
  const { row, created } = await jobRows.insertOrExisting(db, newJobRow(input));
  return { job: toJob(row), created };
}

function newJobRow(input: EnqueueInput): JobRow {
  const maxAttempts = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  if (input.task === '') throw new RangeError('a job needs a task name');
  const now = input.now ?? Date.now();
  return {
    id: crypto.randomUUID(),
    tenant_id: input.tenantId,
    task: input.task,
    key: input.key ?? null,
    payload: JSON.stringify(input.payload ?? null),
    state: 'queued',
    attempts: 0,
    max_attempts: maxAttempts,
    run_at: input.runAt ?? now,
    locked_by: null,
    locked_until: null,
    lock_token: null,
    last_error: null,
    errors: '[]',
    result: null,
    created_at: now,
    updated_at: now,
    finished_at: null,
    // Whoever queues it (a request, another job) is who its run's log lines point back to.
    correlation_id: input.correlationId ?? currentLogContext()?.correlationId ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Claim

export interface ClaimOptions {
  task: string;
  workerId: string;
  /** At most this many jobs. */
  limit: number;
  lockMs: number;
  now: number;
  /** Jobs of this task running at once across every worker, when set. */
  concurrencyLimit?: number | undefined;
  /** Jobs with the same key (read from the payload) running at once across every worker, when set. */
  perKey?: PerKeyLimit | undefined;
  backoff?: BackoffOptions | undefined;
  random?: (() => number) | undefined;
}

/** A limit per key (e.g. per POS account), the key read from a job's stored payload. */
export interface PerKeyLimit {
  limit: number;
  keyOf(payload: unknown): string | undefined;
}

/** Due jobs looked at per claim to find some whose key has room (a busy key's backlog is skipped over). */
const PER_KEY_WINDOW = 200;

/**
 * Takes due jobs of one task and locks them for this worker. A running job whose lock expired
 * (its worker died or stalled) counts as a failed attempt and becomes claimable again.
 */
export async function claimJobs(store: Store, options: ClaimOptions): Promise<ClaimedJob[]> {
  return store.db.transaction().execute(async (trx) => {
    const limit = await claimableCount(trx, store.features, options);
    if (limit <= 0) return [];
    await recoverExpiredLocks(trx, store.features, { ...options, limit });
    return claimDueJobs(trx, store.features, { ...options, limit });
  });
}

async function claimableCount(trx: Db, features: DialectFeatures, options: ClaimOptions): Promise<number> {
  const { concurrencyLimit } = options;
  if (concurrencyLimit === undefined && options.perKey === undefined) return options.limit;
  // Serialize claims of this task so two workers cannot both see the same free slot.
  await features.lockForTransaction(trx, `jobs.claim:${options.task}`);
  if (concurrencyLimit === undefined) return options.limit;
  const running = await jobRows.countRunning(trx, options.task, options.now);
  return Math.min(options.limit, concurrencyLimit - running);
}

async function recoverExpiredLocks(trx: Db, features: DialectFeatures, options: ClaimOptions): Promise<void> {
  const expired = await jobRows.expiredLocks(trx, features, options.task, options.now, options.limit);
  for (const row of expired) {
    const message = `lock expired: worker ${row.locked_by ?? '?'} stopped or stalled before finishing`;
    await recordFailure(trx, row, message, { ...options, permanent: false });
  }
}

async function claimDueJobs(trx: Db, features: DialectFeatures, options: ClaimOptions): Promise<ClaimedJob[]> {
  const claim = {
    task: options.task,
    workerId: options.workerId,
    limit: options.limit,
    lockedUntil: options.now + options.lockMs,
    now: options.now,
  };
  if (options.perKey === undefined) return (await jobRows.claimDue(trx, features, claim)).map(toClaimedJob);
  const ids = await idsWithRoom(trx, features, options, options.perKey);
  return (await jobRows.claimIds(trx, ids, claim)).map(toClaimedJob);
}

/**
 * The due jobs, in run order, whose key has room under the per-key limit (claims of the task are serialized,
 * so the running jobs counted here cannot change under us).
 */
async function idsWithRoom(
  trx: Db,
  features: DialectFeatures,
  options: ClaimOptions,
  perKey: PerKeyLimit,
): Promise<string[]> {
  const runningByKey = new Map<string, number>();
  const keyOf = (payload: string): string | undefined => perKey.keyOf(JSON.parse(payload));
  for (const payload of await jobRows.runningPayloads(trx, options.task, options.now)) {
    const key = keyOf(payload);
    if (key !== undefined) runningByKey.set(key, (runningByKey.get(key) ?? 0) + 1);
  }
  const ids: string[] = [];
  const window = Math.max(PER_KEY_WINDOW, options.limit);
  for (const candidate of await jobRows.dueCandidates(trx, features, options.task, options.now, window)) {
    if (ids.length >= options.limit) break;
    const key = keyOf(candidate.payload);
    if (key !== undefined) {
      const running = runningByKey.get(key) ?? 0;
      if (running >= perKey.limit) continue;
      runningByKey.set(key, running + 1);
    }
    ids.push(candidate.id);
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Outcomes of a claimed job. Each returns false when the lock was lost: the outcome is dropped.

export async function complete(db: Db, job: ClaimedJob, result: unknown, now = Date.now()): Promise<boolean> {
  const updated = await jobRows.updateLocked(db, job.id, job.lockToken, {
    state: 'succeeded',
    result: result === undefined ? null : JSON.stringify(result),
    finished_at: now,
    updated_at: now,
    ...UNLOCKED,
  });
  return updated !== undefined;
}

export interface FailOptions {
  now?: number | undefined;
  /** Fail for good now, whatever attempts are left. */
  permanent?: boolean | undefined;
  backoff?: BackoffOptions | undefined;
  random?: (() => number) | undefined;
}

/** Records the failure; the job is retried after a backoff, or failed for good. */
export async function fail(
  db: Db,
  job: ClaimedJob,
  error: unknown,
  options: FailOptions = {},
): Promise<Job | undefined> {
  const row = await jobRows.findLocked(db, job.id, job.lockToken);
  if (row === undefined) return undefined;
  return recordFailure(db, row, describeFailure(error), { ...options, now: options.now ?? Date.now() });
}

interface FailureOptions extends FailOptions {
  now: number;
}

async function recordFailure(db: Db, row: JobRow, message: string, options: FailureOptions): Promise<Job | undefined> {
  const attempts = row.attempts + 1;
  const exhausted = options.permanent === true || attempts >= row.max_attempts;
  const errors = [...parseErrors(row.errors), { at: options.now, attempt: attempts, message }];
  const retryAt = options.now + backoffDelay(attempts, options.backoff ?? DEFAULT_BACKOFF, options.random);
  const updated = await jobRows.updateLocked(db, row.id, row.lock_token, {
    state: exhausted ? 'failed' : 'queued',
    attempts,
    run_at: exhausted ? row.run_at : retryAt,
    last_error: message,
    errors: JSON.stringify(errors.slice(-MAX_RECORDED_ERRORS)),
    finished_at: exhausted ? options.now : null,
    updated_at: options.now,
    ...UNLOCKED,
  });
  return updated && toJob(updated);
}

/** Back to the queue until `untilMs`, keeping the attempt count (a rate limit is not a failure). */
export async function defer(db: Db, job: ClaimedJob, untilMs: number, now = Date.now()): Promise<boolean> {
  return requeue(db, job, Math.max(untilMs, now), now);
}

/** Back to the queue at once, keeping the attempt count (the worker is shutting down). */
export async function release(db: Db, job: ClaimedJob, now = Date.now()): Promise<boolean> {
  return requeue(db, job, now, now);
}

async function requeue(db: Db, job: ClaimedJob, runAt: number, now: number): Promise<boolean> {
  const updated = await jobRows.updateLocked(db, job.id, job.lockToken, {
    state: 'queued',
    run_at: runAt,
    updated_at: now,
    ...UNLOCKED,
  });
  return updated !== undefined;
}

/** Extends the lock of a long job; false means the lock is lost and the work should stop. */
export async function heartbeat(db: Db, job: ClaimedJob, options: { lockMs: number; now?: number }): Promise<boolean> {
  const now = options.now ?? Date.now();
  const updated = await jobRows.updateLocked(db, job.id, job.lockToken, {
    locked_until: now + options.lockMs,
    updated_at: now,
  });
  return updated !== undefined;
}

const UNLOCKED = { locked_by: null, locked_until: null, lock_token: null } as const;

// ---------------------------------------------------------------------------------------------
// Operator actions and reads, always scoped to a tenant

/** Queued, running or failed → cancelled. Undefined when there is no such job in that state. */
export async function cancel(db: Db, tenantId: string, id: string, now = Date.now()): Promise<Job | undefined> {
  const row = await jobRows.updateInStates(db, tenantId, id, ['queued', 'running', 'failed'], {
    state: 'cancelled',
    finished_at: now,
    updated_at: now,
    ...UNLOCKED,
  });
  return row && toJob(row);
}

/** Failed or cancelled → queued now, with a fresh set of attempts. The error history stays. */
export async function retry(db: Db, tenantId: string, id: string, now = Date.now()): Promise<Job | undefined> {
  const row = await jobRows.updateInStates(db, tenantId, id, ['failed', 'cancelled'], {
    state: 'queued',
    attempts: 0,
    run_at: now,
    finished_at: null,
    updated_at: now,
    ...UNLOCKED,
  });
  return row && toJob(row);
}

export async function get(db: Db, tenantId: string, id: string): Promise<Job | undefined> {
  const row = await jobRows.get(db, tenantId, id);
  return row && toJob(row);
}

/** The jobs of a task with these keys (chunked: a page of orders asks for a few hundred). */
export async function findByKeys(db: Db, tenantId: string, task: string, keys: readonly string[]): Promise<Job[]> {
  return (await jobRows.findByKeys(db, tenantId, task, keys)).map(toJob);
}

export interface ListOptions {
  state?: JobState | undefined;
  task?: string | undefined;
  limit?: number | undefined;
  /** Jobs to skip (paging). */
  offset?: number | undefined;
}

/** Newest first. */
export async function list(db: Db, tenantId: string, options: ListOptions = {}): Promise<Job[]> {
  const limit = Math.min(Math.max(1, options.limit ?? DEFAULT_LIST_LIMIT), MAX_LIST_LIMIT);
  const filter = { state: options.state, task: options.task };
  const rows = await jobRows.list(db, tenantId, filter, { limit, offset: Math.max(0, options.offset ?? 0) });
  return rows.map(toJob);
}

/** How many jobs `list` pages through with these filters. */
export async function count(
  db: Db,
  tenantId: string,
  options: Pick<ListOptions, 'state' | 'task'> = {},
): Promise<number> {
  return jobRows.count(db, tenantId, { state: options.state, task: options.task });
}

// ---------------------------------------------------------------------------------------------
// Rows

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    task: row.task,
    key: row.key,
    payload: JSON.parse(row.payload),
    state: row.state,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    lastError: row.last_error,
    errors: parseErrors(row.errors),
    result: row.result === null ? null : JSON.parse(row.result),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    correlationId: row.correlation_id ?? null,
  };
}

function toClaimedJob(row: JobRow): ClaimedJob {
  if (row.lock_token === null) throw new Error(`claimed job ${row.id} has no lock token`);
  return { ...toJob(row), lockToken: row.lock_token };
}

function parseErrors(json: string): JobError[] {
  return JSON.parse(json) as JobError[];
}
