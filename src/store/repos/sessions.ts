import type { Db } from '../db.ts';
import type { SessionsTable } from '../schema.ts';

export interface Session {
  /** Hash of the cookie token. */
  id: string;
  tenantId: string;
  userId: string;
  csrfToken: string;
  expiresAt: number;
  createdAt: number;
  lastSeenAt: number;
}

export interface NewSession {
  tokenHash: string;
  userId: string;
  csrfToken: string;
  expiresAt: number;
  now?: number;
}

export async function create(db: Db, tenantId: string, input: NewSession): Promise<Session> {
  const row: SessionsTable = {
    id: input.tokenHash,
    tenant_id: tenantId,
    user_id: input.userId,
    csrf_token: input.csrfToken,
    expires_at: input.expiresAt,
    created_at: input.now ?? Date.now(),
    last_seen_at: input.now ?? Date.now(),
  };
  await db.insertInto('sessions').values(row).execute();
  return toSession(row);
}

/**
 * Global on purpose: the cookie is what tells us the tenant. A session is valid until its absolute
 * expiry, and only while it was used within the last `idleMs`.
 */
export async function findValid(
  db: Db,
  tokenHash: string,
  now: number,
  idleMs = Number.POSITIVE_INFINITY,
): Promise<Session | undefined> {
  const row = await db
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  const session = toSession(row);
  return now - session.lastSeenAt < idleMs ? session : undefined;
}

/** Records a request made with the session; at most one write a minute per session. */
export async function touch(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', now - 60_000)]))
    .execute();
}

export async function remove(db: Db, tenantId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('sessions')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function removeExpired(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export { remove as delete };

function toSession(row: SessionsTable): Session {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at ?? row.created_at,
  };
}
