import { sql } from 'kysely';
import type { Db } from '../db.ts';

/** Whether the database answers at all (the readiness probe's first question). */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/**
 * The readiness probe's write: a real committed write of one tiny row, so a full disk, a read-only file
 * or a database in read-only mode shows on /ready instead of as failed requests.
 */
export async function write(db: Db, name: string, now: number): Promise<void> {
  await db
    .insertInto('store_probes')
    .values({ name, written_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet({ written_at: now }))
    .execute();
}
