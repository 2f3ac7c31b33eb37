import type { Db } from '../db.ts';
import type { ConnectionSystem } from '../schema.ts';

/**
 * A pending link, read without taking it: NuORDER may deliver its verifier before the person comes back
 * (a POST to the callback), so the verifier is stored with the pending link until the person's own session
 * finishes it. Global by id on purpose: the id is the unguessable state of the callback URL.
 */
export async function peek(
  db: Db,
  id: string,
): Promise<{ tenantId: string; sealedData: string; expiresAt: number } | undefined> {
  const row = await db
    .selectFrom('oauth_states')
    .select(['tenant_id', 'sealed_data', 'expires_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { tenantId: row.tenant_id, sealedData: row.sealed_data, expiresAt: Number(row.expires_at) } : undefined;
}

export async function reseal(db: Db, id: string, sealedData: string): Promise<void> {
  await db.updateTable('oauth_states').set({ sealed_data: sealedData }).where('id', '=', id).execute();
}

export interface NewOauthState {
  id: string;
  system: ConnectionSystem;
  sealedData: string;
  /** Who started the flow (`session:<id>` or `user:<id>`): only they may finish it. */
  boundTo: string;
  expiresAt: number;
  now: number;
}

export async function create(db: Db, tenantId: string, state: NewOauthState): Promise<void> {
  await db
    .insertInto('oauth_states')
    .values({
      id: state.id,
      tenant_id: tenantId,
      bound_to: state.boundTo,
      system: state.system,
      sealed_data: state.sealedData,
      expires_at: state.expiresAt,
      created_at: state.now,
    })
    .execute();
}

export interface StoredOauthState {
  id: string;
  tenantId: string;
  boundTo: string | null;
  sealedData: string;
  expiresAt: number;
}

/** By id alone (the unguessable state of the callback URL); the caller checks tenant and binding. */
export async function get(db: Db, id: string): Promise<StoredOauthState | undefined> {
  const row = await db.selectFrom('oauth_states').selectAll().where('id', '=', id).executeTakeFirst();
  return row
    ? {
        id: row.id,
        tenantId: row.tenant_id,
        boundTo: row.bound_to,
        sealedData: row.sealed_data,
        expiresAt: Number(row.expires_at),
      }
    : undefined;
}

export async function remove(db: Db, id: string): Promise<void> {
  await db.deleteFrom('oauth_states').where('id', '=', id).execute();
}

/** Linking attempts nobody finished: their sealed secrets (a NuORDER consumer secret) go once they expire. */
export async function removeExpired(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('oauth_states').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
