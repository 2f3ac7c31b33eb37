import type { Db } from '../db.ts';

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
