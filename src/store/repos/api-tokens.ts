import type { Db } from '../db.ts';
import type { ApiTokensTable } from '../schema.ts';

export interface ApiToken {
  id: string;
  tenantId: string;
  userId: string;
  name: string;
  tokenHash: string;
  /** The first characters of the token, shown so a person can tell tokens apart. */
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface NewApiToken {
  userId: string;
  name: string;
  tokenHash: string;
  prefix: string;
  now?: number;
}

export async function create(db: Db, tenantId: string, input: NewApiToken): Promise<ApiToken> {
  const row: ApiTokensTable = {
    id: crypto.randomUUID(),
    tenant_id: tenantId,
    user_id: input.userId,
    name: input.name,
    token_hash: input.tokenHash,
    prefix: input.prefix,
    created_at: input.now ?? Date.now(),
    last_used_at: null,
    revoked_at: null,
  };
  await db.insertInto('api_tokens').values(row).execute();
  return toApiToken(row);
}

/** Global on purpose: the bearer token is what tells us the tenant. Revoked tokens are not found. */
export async function findByHash(db: Db, tokenHash: string): Promise<ApiToken | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row && toApiToken(row);
}

export async function list(db: Db, tenantId: string): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toApiToken);
}

export async function revoke(db: Db, tenantId: string, id: string, now = Date.now()): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function touch(db: Db, tenantId: string, id: string, now = Date.now()): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

function toApiToken(row: ApiTokensTable): ApiToken {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    name: row.name,
    tokenHash: row.token_hash,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
