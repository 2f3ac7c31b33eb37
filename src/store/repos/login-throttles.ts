import { sql } from 'kysely';
import type { Db } from '../db.ts';

export interface ThrottleState {
  key: string;
  failures: number;
  lockedUntil: number | null;
}

/** The keys' current states (absent keys have no failures). */
export async function get(db: Db, keys: readonly string[], windowStart: number): Promise<ThrottleState[]> {
  if (keys.length === 0) return [];
  const rows = await db.selectFrom('login_throttles').selectAll().where('throttle_key', 'in', keys).execute();
  return rows.map((row) => ({
    key: row.throttle_key,
    // A window that ended counts from zero again; a lock outlives it until its own end.
    failures: row.window_started_at < windowStart ? 0 : row.failures,
    lockedUntil: row.locked_until,
  }));
}

/**
 * Counts one attempt against the key, atomically, and returns the count in the current window. Counted
 * before the password is checked, so a burst of parallel attempts cannot all slip through one check.
 */
export async function countAttempt(db: Db, key: string, now: number, windowStart: number): Promise<number> {
  const row = await db
    .insertInto('login_throttles')
    .values({ throttle_key: key, failures: 1, window_started_at: now, locked_until: null, updated_at: now })
    .onConflict((oc) =>
      oc.column('throttle_key').doUpdateSet({
        failures: sql<number>`case when login_throttles.window_started_at < ${windowStart} then 1 else login_throttles.failures + 1 end`,
        window_started_at: sql<number>`case when login_throttles.window_started_at < ${windowStart} then ${now} else login_throttles.window_started_at end`,
        updated_at: now,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return Number(row.failures);
}

/**
 * Locks the key until `until` unless it is locked already; true when this call set the lock (so of
 * several concurrent attempts exactly one learns it was first).
 */
export async function lockIfFree(db: Db, key: string, until: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('login_throttles')
    .set({ locked_until: until, updated_at: now })
    .where('throttle_key', '=', key)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A success: the account starts afresh. */
export async function clear(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_throttles').where('throttle_key', '=', key).execute();
}

/** A success from this address: its attempt does not count against it. */
export async function uncount(db: Db, key: string, now: number): Promise<void> {
  await db
    .updateTable('login_throttles')
    .set({ failures: sql<number>`case when failures > 0 then failures - 1 else 0 end`, updated_at: now })
    .where('throttle_key', '=', key)
    .execute();
}

/** Forgets keys untouched since `before` whose lock has ended. */
export async function removeStale(db: Db, before: number): Promise<number> {
  const result = await db
    .deleteFrom('login_throttles')
    .where('updated_at', '<', before)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', before)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
