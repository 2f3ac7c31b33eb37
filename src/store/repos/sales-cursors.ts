import type { Db } from '../db.ts';

/** Sync cursors (SuiteQL changed-since on NetSuite, the version cursor on X-Series), one per key and tenant. */
export async function get(db: Db, tenantId: string, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('sales_cursors')
    .select('value')
    .where('tenant_id', '=', tenantId)
    .where('cursor_key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

export async function set(db: Db, tenantId: string, key: string, value: string, now = Date.now()): Promise<void> {
  await db
    .insertInto('sales_cursors')
    .values({ tenant_id: tenantId, cursor_key: key, value, updated_at: now })
    .onConflict((oc) => oc.columns(['tenant_id', 'cursor_key']).doUpdateSet({ value, updated_at: now }))
    .execute();
}

export async function list(
  db: Db,
  tenantId: string,
): Promise<Array<{ key: string; value: string; updatedAt: number }>> {
  const rows = await db
    .selectFrom('sales_cursors')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('cursor_key')
    .execute();
  return rows.map((r) => ({ key: r.cursor_key, value: r.value, updatedAt: Number(r.updated_at) }));
}
