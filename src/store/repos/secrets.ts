import type { Db } from '../db.ts';
import type { SecretsTable } from '../schema.ts';

/** Already encrypted by src/secrets: the store keeps it as given. */
export interface EncryptedValue {
  keyId: string;
  ciphertext: string;
}

export interface StoredSecret extends EncryptedValue {
  id: string;
  tenantId: string;
  purpose: string;
  createdAt: number;
  updatedAt: number;
}

export async function put(
  db: Db,
  tenantId: string,
  purpose: string,
  value: EncryptedValue,
  now = Date.now(),
): Promise<StoredSecret> {
  const row: SecretsTable = {
    id: crypto.randomUUID(),
    tenant_id: tenantId,
    purpose,
    key_id: value.keyId,
    ciphertext: value.ciphertext,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('secrets').values(row).execute();
  return toStoredSecret(row);
}

/** Replaces the value of an existing secret (token refresh, key rotation). */
export async function update(
  db: Db,
  tenantId: string,
  id: string,
  value: EncryptedValue,
  now = Date.now(),
): Promise<boolean> {
  const result = await db
    .updateTable('secrets')
    .set({ key_id: value.keyId, ciphertext: value.ciphertext, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function get(db: Db, tenantId: string, id: string): Promise<StoredSecret | undefined> {
  const row = await db
    .selectFrom('secrets')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toStoredSecret(row);
}

export async function remove(db: Db, tenantId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('secrets')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export { remove as delete };

function toStoredSecret(row: SecretsTable): StoredSecret {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    purpose: row.purpose,
    keyId: row.key_id,
    ciphertext: row.ciphertext,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
