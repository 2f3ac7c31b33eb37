import type { Db } from '../db.ts';

export async function get(db: Db, tenantId: string, key: string): Promise<unknown> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row === undefined ? undefined : JSON.parse(row.value);
}

export async function set(db: Db, tenantId: string, key: string, value: unknown, now = Date.now()): Promise<void> {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`setting ${key} must be a JSON value`);
  await db
    .insertInto('settings')
    .values({ tenant_id: tenantId, key, value: json, updated_at: now })
    .onConflict((conflict) => conflict.columns(['tenant_id', 'key']).doUpdateSet({ value: json, updated_at: now }))
    .execute();
}
