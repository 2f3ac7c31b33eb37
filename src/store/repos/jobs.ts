import type { Db } from '../db.ts';
import type { DialectFeatures } from '../dialects/features.ts';
import type { JobState, JobsTable } from '../schema.ts';

/**
 * The `jobs` table's queries. The queue (jobs/queue.ts) owns what they mean: states, attempts, backoff and
 * the lock token that guards every outcome; here are only rows. Every write to a claimed job names its
 * lock token, so a worker whose job was taken over writes nothing.
 */

export type JobRow = JobsTable;

/** Inserts the job unless one with the same (tenant, task, key) exists; then returns that one instead. */
export async function insertOrExisting(db: Db, row: JobRow): Promise<{ row: JobRow; created: boolean }> {
  const inserted = await db
    .insertInto('jobs')
    .values(row)
    .onConflict((conflict) => conflict.columns(['tenant_id', 'task', 'key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted !== undefined) return { row: inserted, created: true };
  const existing = await db
    .selectFrom('jobs')
    .selectAll()
    .where('tenant_id', '=', row.tenant_id)
    .where('task', '=', row.task)
    .where('key', '=', row.key)
    .executeTakeFirstOrThrow();
  return { row: existing, created: false };
}

/** Jobs of a task running under a lock that has not expired yet (every tenant). */
export async function countRunning(db: Db, task: string, now: number): Promise<number> {
  const { running } = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('running'))
    .where('task', '=', task)
    .where('state', '=', 'running')
    .where('locked_until', '>=', now)
    .executeTakeFirstOrThrow();
  return Number(running);
}

/** Running jobs of a task whose lock expired, oldest lock first (locked on PostgreSQL, skipping taken rows). */
export async function expiredLocks(
  trx: Db,
  features: DialectFeatures,
  task: string,
  now: number,
  limit: number,
): Promise<JobRow[]> {
  return trx
    .selectFrom('jobs')
    .selectAll()
    .where('task', '=', task)
    .where('state', '=', 'running')
    .where('locked_until', '<', now)
    .orderBy('locked_until')
    .limit(limit)
    .$if(features.supportsSkipLocked, (query) => query.forUpdate().skipLocked())
    .execute();
}

export interface ClaimDue {
  task: string;
  workerId: string;
  limit: number;
  lockedUntil: number;
  now: number;
}

/** Due queued jobs of a task in run order (locked on PostgreSQL, skipping rows another claim holds). */
function dueJobs(trx: Db, features: DialectFeatures, task: string, now: number, limit: number) {
  return trx
    .selectFrom('jobs')
    .where('task', '=', task)
    .where('state', '=', 'queued')
    .where('run_at', '<=', now)
    .orderBy('run_at')
    .orderBy('created_at')
    .limit(limit)
    .$if(features.supportsSkipLocked, (query) => query.forUpdate().skipLocked());
}

/** What a claim writes: running, locked for this worker until then, one fresh lock token for the claim. */
const lockedFor = (claim: Omit<ClaimDue, 'limit'>) => ({
  state: 'running' as const,
  locked_by: claim.workerId,
  locked_until: claim.lockedUntil,
  lock_token: crypto.randomUUID(),
  updated_at: claim.now,
});

const inRunOrder = (rows: JobRow[]): JobRow[] =>
  rows.sort((a, b) => a.run_at - b.run_at || a.created_at - b.created_at);

/** Locks due queued jobs of a task for one worker, each with a fresh lock token; in run order. */
export async function claimDue(trx: Db, features: DialectFeatures, claim: ClaimDue): Promise<JobRow[]> {
  const due = dueJobs(trx, features, claim.task, claim.now, claim.limit).select('id');
  const rows = await trx.updateTable('jobs').set(lockedFor(claim)).where('id', 'in', due).returningAll().execute();
  return inRunOrder(rows);
}

/** The payloads of a task's jobs running under a lock that has not expired yet (every tenant). */
export async function runningPayloads(db: Db, task: string, now: number): Promise<string[]> {
  const rows = await db
    .selectFrom('jobs')
    .select('payload')
    .where('task', '=', task)
    .where('state', '=', 'running')
    .where('locked_until', '>=', now)
    .execute();
  return rows.map((row) => row.payload);
}

/** Due queued jobs of a task in run order, id and payload (locked on PostgreSQL, skipping taken rows). */
export async function dueCandidates(
  trx: Db,
  features: DialectFeatures,
  task: string,
  now: number,
  limit: number,
): Promise<Array<{ id: string; payload: string }>> {
  return dueJobs(trx, features, task, now, limit).select(['id', 'payload']).execute();
}

/** Locks these queued jobs (chosen by the caller in the same transaction) for one worker; in run order. */
export async function claimIds(trx: Db, ids: readonly string[], claim: Omit<ClaimDue, 'limit'>): Promise<JobRow[]> {
  if (ids.length === 0) return [];
  const rows = await trx
    .updateTable('jobs')
    .set(lockedFor(claim))
    .where('id', 'in', ids)
    .where('task', '=', claim.task)
    .where('state', '=', 'queued')
    .returningAll()
    .execute();
  return inRunOrder(rows);
}

/** The job while this lock token still holds it. */
export async function findLocked(db: Db, id: string, lockToken: string | null): Promise<JobRow | undefined> {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', id)
    .where('state', '=', 'running')
    .where('lock_token', '=', lockToken)
    .executeTakeFirst();
}

export type LockedChanges = Partial<
  Pick<
    JobRow,
    | 'state'
    | 'attempts'
    | 'run_at'
    | 'last_error'
    | 'errors'
    | 'result'
    | 'finished_at'
    | 'locked_by'
    | 'locked_until'
    | 'lock_token'
  >
> & { updated_at: number };

/** Changes a running job while this lock token still holds it; undefined when the lock is lost. */
export async function updateLocked(
  db: Db,
  id: string,
  lockToken: string | null,
  changes: LockedChanges,
): Promise<JobRow | undefined> {
  return db
    .updateTable('jobs')
    .set(changes)
    .where('id', '=', id)
    .where('state', '=', 'running')
    .where('lock_token', '=', lockToken)
    .returningAll()
    .executeTakeFirst();
}

/** Changes a tenant's job if it is in one of these states (operator actions); undefined otherwise. */
export async function updateInStates(
  db: Db,
  tenantId: string,
  id: string,
  states: readonly JobState[],
  changes: LockedChanges,
): Promise<JobRow | undefined> {
  return db
    .updateTable('jobs')
    .set(changes)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('state', 'in', states)
    .returningAll()
    .executeTakeFirst();
}

export async function get(db: Db, tenantId: string, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** The jobs of a task with these keys (chunked: a page of orders asks for a few hundred). */
export async function findByKeys(db: Db, tenantId: string, task: string, keys: readonly string[]): Promise<JobRow[]> {
  const out: JobRow[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db
      .selectFrom('jobs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('task', '=', task)
      .where('key', 'in', keys.slice(i, i + 500))
      .execute();
    out.push(...rows);
  }
  return out;
}

/** A tenant's latest jobs of these tasks, most recently changed first. */
export async function recentOfTasks(
  db: Db,
  tenantId: string,
  tasks: readonly string[],
  limit: number,
): Promise<JobRow[]> {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('task', 'in', tasks)
    .orderBy('updated_at', 'desc')
    .limit(limit)
    .execute();
}

/** Deletes jobs in these (finished) states that finished before the time, in every tenant; how many went. */
export async function removeFinishedBefore(db: Db, states: readonly JobState[], before: number): Promise<number> {
  const deleted = await db
    .deleteFrom('jobs')
    .where('state', 'in', states)
    .where('finished_at', '<', before)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

export interface JobFilter {
  state?: JobState | undefined;
  task?: string | undefined;
}

/** Newest first. */
export async function list(
  db: Db,
  tenantId: string,
  filter: JobFilter,
  page: { limit: number; offset: number },
): Promise<JobRow[]> {
  return filtered(db, tenantId, filter)
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function count(db: Db, tenantId: string, filter: JobFilter): Promise<number> {
  const row = await filtered(db, tenantId, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function filtered(db: Db, tenantId: string, filter: JobFilter) {
  let query = db.selectFrom('jobs').where('tenant_id', '=', tenantId);
  if (filter.state !== undefined) query = query.where('state', '=', filter.state);
  if (filter.task !== undefined) query = query.where('task', '=', filter.task);
  return query;
}
