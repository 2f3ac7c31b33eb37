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

export interface LeaseOptions {
  /** How long the lease lasts without a renewal. Default 30 s. */
  ttlMs?: number;
  /** How long to wait (polling) for a lease another holder has. Default 60 s. */
  waitMs?: number;
  pollMs?: number;
  owner?: string;
  /**
   * Renew the lease this often while `fn` runs (default: a third of ttlMs), so a long holder keeps it and a
   * dead one loses it within ttlMs. 0 = never renew (fn is short).
   */
  renewEveryMs?: number;
  /** Called when a renewal finds the lease taken by another owner: `fn` should stop at its next step. */
  onLost?: () => void;
}

/** Another holder kept the lease for longer than the caller would wait. */
export class LeaseTimeout extends Error {
  constructor(key: string) {
    super(`timed out waiting for lease ${key}`);
    this.name = 'LeaseTimeout';
  }
}

/** Runs `fn` holding the lease, waiting (polling) for it up to `waitMs`, renewing it while `fn` runs. */
export async function withLease<T>(db: Db, key: string, fn: () => Promise<T>, options: LeaseOptions = {}): Promise<T> {
  const owner = options.owner ?? crypto.randomUUID();
  const ttlMs = options.ttlMs ?? 30_000;
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  while (!(await tryAcquire(db, key, owner, ttlMs))) {
    if (Date.now() > deadline) throw new LeaseTimeout(key);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
  }
  const renewEveryMs = options.renewEveryMs ?? Math.max(20, Math.floor(ttlMs / 3));
  let renewing: Promise<void> | undefined;
  const renew = (): void => {
    if (renewing) return;
    renewing = tryAcquire(db, key, owner, ttlMs)
      .then((held) => {
        if (!held) options.onLost?.();
      })
      // A store hiccup: the next renewal comes well before the lease runs out.
      .catch(() => {})
      .finally(() => {
        renewing = undefined;
      });
  };
  const renewal = renewEveryMs > 0 ? setInterval(renew, renewEveryMs) : undefined;
  try {
    return await fn();
  } finally {
    clearInterval(renewal);
    // A renewal still in flight could insert the lease again after the release: let it land first.
    await renewing;
    await release(db, key, owner);
  }
}
