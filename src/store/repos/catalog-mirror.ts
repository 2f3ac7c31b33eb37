import type { PosCatalogEntry } from '../../core/pos-catalog.ts';
import type { Db } from '../db.ts';
import { chunks } from '../errors.ts';

/**
 * The per-connection mirror of a POS catalog's identifying fields (ids, codes, SKU, family, archived,
 * version), kept fresh from the POS change feed, so a plan of 1,000 lines costs no API call per line.
 */
export async function upsertEntries(
  db: Db,
  tenantId: string,
  connectionId: string,
  entries: readonly PosCatalogEntry[],
  now = Date.now(),
): Promise<void> {
  for (const part of chunks(entries, 200)) {
    const ids = part.map((e) => e.posItemId);
    await db
      .deleteFrom('pos_catalog_codes')
      .where('connection_id', '=', connectionId)
      .where('pos_item_id', 'in', ids)
      .execute();
    await db
      .insertInto('pos_catalog_items')
      .values(
        part.map((e) => ({
          connection_id: connectionId,
          pos_item_id: e.posItemId,
          tenant_id: tenantId,
          parent_id: e.parentId,
          sku: e.sku ?? '',
          name: e.name,
          gtins: e.gtins.join(' '),
          archived: e.archived ? 1 : 0,
          version: e.version,
          retail: e.retail ?? null,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['connection_id', 'pos_item_id']).doUpdateSet((eb) => ({
          parent_id: eb.ref('excluded.parent_id'),
          sku: eb.ref('excluded.sku'),
          name: eb.ref('excluded.name'),
          gtins: eb.ref('excluded.gtins'),
          archived: eb.ref('excluded.archived'),
          version: eb.ref('excluded.version'),
          retail: eb.ref('excluded.retail'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
    const codes = part.flatMap((e) =>
      [...new Set(e.gtins)].map((gtin14) => ({
        connection_id: connectionId,
        tenant_id: tenantId,
        gtin14,
        pos_item_id: e.posItemId,
      })),
    );
    for (const codePart of chunks(codes, 300)) {
      await db
        .insertInto('pos_catalog_codes')
        .values(codePart)
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
}

export async function removeItems(db: Db, connectionId: string, ids: readonly string[]): Promise<void> {
  for (const part of chunks(ids)) {
    await db
      .deleteFrom('pos_catalog_codes')
      .where('connection_id', '=', connectionId)
      .where('pos_item_id', 'in', part)
      .execute();
    await db
      .deleteFrom('pos_catalog_items')
      .where('connection_id', '=', connectionId)
      .where('pos_item_id', 'in', part)
      .execute();
  }
}

/** Items a full pass did not see (not written since it began): the POS no longer has them (R-Series merges). */
export async function idsNotSeenSince(db: Db, connectionId: string, since: number): Promise<string[]> {
  const rows = await db
    .selectFrom('pos_catalog_items')
    .select('pos_item_id')
    .where('connection_id', '=', connectionId)
    .where('updated_at', '<', since)
    .execute();
  return rows.map((r) => r.pos_item_id);
}

/** Drops the whole mirror of a connection (unlink, or before a full re-read). */
export async function clear(db: Db, connectionId: string): Promise<void> {
  await db.deleteFrom('pos_catalog_codes').where('connection_id', '=', connectionId).execute();
  await db.deleteFrom('pos_catalog_items').where('connection_id', '=', connectionId).execute();
}

/** The entries a plan needs: every item carrying one of the GTINs, and the items named by id. */
export async function lookup(
  db: Db,
  connectionId: string,
  wanted: { gtins: readonly string[]; posItemIds: readonly string[] },
): Promise<PosCatalogEntry[]> {
  const ids = new Set(wanted.posItemIds);
  for (const part of chunks(wanted.gtins)) {
    const rows = await db
      .selectFrom('pos_catalog_codes')
      .select('pos_item_id')
      .where('connection_id', '=', connectionId)
      .where('gtin14', 'in', part)
      .execute();
    for (const row of rows) ids.add(row.pos_item_id);
  }
  return getByIds(db, connectionId, [...ids]);
}

export async function getByIds(db: Db, connectionId: string, ids: readonly string[]): Promise<PosCatalogEntry[]> {
  const out: PosCatalogEntry[] = [];
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom('pos_catalog_items')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('pos_item_id', 'in', part)
      .execute();
    for (const row of rows) {
      out.push({
        posItemId: row.pos_item_id,
        parentId: row.parent_id,
        gtins: row.gtins === '' ? [] : row.gtins.split(' '),
        sku: row.sku === '' ? null : row.sku,
        name: row.name,
        archived: row.archived === 1,
        version: row.version,
        ...(row.retail === null ? {} : { retail: row.retail }),
      });
    }
  }
  return out;
}

/** How many items each of these parents has (a matrix's family size). */
export async function familySizes(
  db: Db,
  connectionId: string,
  parentIds: readonly string[],
): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const part of chunks(parentIds)) {
    const rows = await db
      .selectFrom('pos_catalog_items')
      .select(['parent_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('connection_id', '=', connectionId)
      .where('parent_id', 'in', part)
      .groupBy('parent_id')
      .execute();
    for (const row of rows) if (row.parent_id !== null) sizes.set(row.parent_id, Number(row.n));
  }
  return sizes;
}

/** Ids of items whose name or SKU contains the text, ignoring case; live items first, then by name. */
export async function searchText(db: Db, connectionId: string, text: string, limit: number): Promise<string[]> {
  // Case-insensitive on both dialects (PostgreSQL's LIKE is case-sensitive).
  const like = `%${text.toLowerCase().replace(/[%_\\]/g, '')}%`;
  const rows = await db
    .selectFrom('pos_catalog_items')
    .select('pos_item_id')
    .where('connection_id', '=', connectionId)
    .where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', like), eb(eb.fn('lower', ['sku']), 'like', like)]))
    .orderBy('archived')
    .orderBy('name')
    .limit(limit)
    .execute();
  return rows.map((r) => r.pos_item_id);
}

export async function count(db: Db, connectionId: string): Promise<number> {
  const row = await db
    .selectFrom('pos_catalog_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('connection_id', '=', connectionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
