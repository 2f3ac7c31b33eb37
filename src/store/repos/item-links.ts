import type { Db } from '../db.ts';
import { chunks } from '../errors.ts';

export interface NewItemLink {
  variantKey: string;
  posItemId: string;
  /** export: written by an export; buyer: chosen in a review. */
  source: 'export' | 'buyer';
}

/** Records links; an existing link for the same variant is pointed at the new item. */
export async function upsertMany(
  db: Db,
  tenantId: string,
  connectionId: string,
  links: readonly NewItemLink[],
  now = Date.now(),
): Promise<void> {
  for (const part of chunks(links, 300)) {
    await db
      .insertInto('item_links')
      .values(
        part.map((l) => ({
          tenant_id: tenantId,
          connection_id: connectionId,
          variant_key: l.variantKey,
          pos_item_id: l.posItemId,
          source: l.source,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['connection_id', 'variant_key']).doUpdateSet((eb) => ({
          pos_item_id: eb.ref('excluded.pos_item_id'),
          source: eb.ref('excluded.source'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/** variantKey → posItemId for the given variants (all of the connection's when omitted). */
export async function mapFor(
  db: Db,
  tenantId: string,
  connectionId: string,
  variantKeys?: readonly string[],
): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const base = db
    .selectFrom('item_links')
    .select(['variant_key', 'pos_item_id'])
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId);
  if (variantKeys === undefined) {
    for (const row of await base.execute()) map.set(row.variant_key, row.pos_item_id);
    return map;
  }
  for (const part of chunks(variantKeys)) {
    for (const row of await base.where('variant_key', 'in', part).execute()) map.set(row.variant_key, row.pos_item_id);
  }
  return map;
}

/** Which variants are linked to each of these POS items. */
export async function variantsLinkedTo(
  db: Db,
  tenantId: string,
  connectionId: string,
  posItemIds: readonly string[],
): Promise<Array<{ variantKey: string; posItemId: string }>> {
  const out: Array<{ variantKey: string; posItemId: string }> = [];
  for (const part of chunks(posItemIds)) {
    const rows = await db
      .selectFrom('item_links')
      .select(['variant_key', 'pos_item_id'])
      .where('tenant_id', '=', tenantId)
      .where('connection_id', '=', connectionId)
      .where('pos_item_id', 'in', part)
      .execute();
    for (const row of rows) out.push({ variantKey: row.variant_key, posItemId: row.pos_item_id });
  }
  return out;
}

export async function count(db: Db, tenantId: string, connectionId: string): Promise<number> {
  const row = await db
    .selectFrom('item_links')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
