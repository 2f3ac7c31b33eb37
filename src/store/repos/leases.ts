import type { Db } from '../db.ts';

/**
 * Cross-process leases: a row per held key that expires on its own, so a crashed holder never blocks
 * the others for longer than its lease. Used where a database lock would have to be held across an HTTP
 * call (token refresh, catalog sync), which SQLite's single writer cannot afford.
 */
export async function tryAcquire(
  db: Db,
  key: string,
  owner: string,
  ttlMs: number,
  now = Date.now(),
): Promise<boolean> {
  await db.deleteFrom('leases').where('lease_key', '=', key).where('expires_at', '<=', now).execute();
  const inserted = await db
    .insertInto('leases')
    .values({ lease_key: key, owner, expires_at: now + ttlMs })
    .onConflict((oc) => oc.column('lease_key').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return true;
  // Re-entrant for the same owner: extend instead of waiting on ourselves.
  const extended = await db
    .updateTable('leases')
    .set({ expires_at: now + ttlMs })
    .where('lease_key', '=', key)
    .where('owner', '=', owner)
    .executeTakeFirst();
  return extended.numUpdatedRows > 0n;
}

export async function release(db: Db, key: string, owner: string): Promise<void> {
  await db.deleteFrom('leases').where('lease_key', '=', key).where('owner', '=', owner).execute();
}

/** Runs `fn` holding the lease, waiting (polling) for it up to `waitMs`. */
export async function withLease<T>(
  db: Db,
  key: string,
  fn: () => Promise<T>,
  options: { ttlMs?: number; waitMs?: number; pollMs?: number; owner?: string } = {},
): Promise<T> {
  const owner = options.owner ?? crypto.randomUUID();
  const ttlMs = options.ttlMs ?? 30_000;
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  while (!(await tryAcquire(db, key, owner, ttlMs))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for lease ${key}`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
  }
  try {
    return await fn();
  } finally {
    await release(db, key, owner);
  }
}
