import { sql } from 'kysely';
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

// ---- The ledger (migration 0013): events per variant, and the current link kept beside them. ----

/** One stored event; `at` is epoch ms (the core's LinkEvent carries ISO text). */
export interface StoredLinkEvent {
  variantKey: string;
  seq: number;
  kind: 'linked' | 'changed' | 'forgotten' | 'undone';
  at: number;
  by: string;
  posItemId: string | null;
  origin: string | null;
  previousPosItemId: string | null;
  previousOrigin: string | null;
  evidence: string | null;
  undoes: number | null;
}

/** Every event of the given variants, in seq order, by variant. */
export async function historyFor(
  db: Db,
  tenantId: string,
  connectionId: string,
  variantKeys: readonly string[],
): Promise<Map<string, StoredLinkEvent[]>> {
  const out = new Map<string, StoredLinkEvent[]>();
  for (const part of chunks(variantKeys)) {
    const rows = await db
      .selectFrom('item_link_events')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('connection_id', '=', connectionId)
      .where('variant_key', 'in', part)
      .orderBy('variant_key')
      .orderBy('seq')
      .execute();
    for (const r of rows) {
      const list = out.get(r.variant_key) ?? [];
      list.push({
        variantKey: r.variant_key,
        seq: Number(r.seq),
        kind: r.kind as StoredLinkEvent['kind'],
        at: Number(r.at),
        by: r.by,
        posItemId: r.pos_item_id,
        origin: r.origin,
        previousPosItemId: r.previous_pos_item_id,
        previousOrigin: r.previous_origin,
        evidence: r.evidence,
        undoes: r.undoes === null ? null : Number(r.undoes),
      });
      out.set(r.variant_key, list);
    }
  }
  return out;
}

/**
 * Appends events (each the next seq of its variant: the primary key refuses a second writer of the same seq) and
 * sets each variant's current link to what its last event says: a forgotten link has no row.
 */
export async function appendEvents(
  db: Db,
  tenantId: string,
  connectionId: string,
  events: readonly StoredLinkEvent[],
): Promise<void> {
  for (const e of events) {
    await db
      .insertInto('item_link_events')
      .values({
        tenant_id: tenantId,
        connection_id: connectionId,
        variant_key: e.variantKey,
        seq: e.seq,
        kind: e.kind,
        at: e.at,
        by: e.by,
        pos_item_id: e.posItemId,
        origin: e.origin,
        previous_pos_item_id: e.previousPosItemId,
        previous_origin: e.previousOrigin,
        evidence: e.evidence,
        undoes: e.undoes,
      })
      .execute();
    if (e.posItemId === null) {
      await db
        .deleteFrom('item_links')
        .where('tenant_id', '=', tenantId)
        .where('connection_id', '=', connectionId)
        .where('variant_key', '=', e.variantKey)
        .execute();
      continue;
    }
    const source = e.origin === 'chosen_by_person' ? 'buyer' : 'export';
    const posItemId = e.posItemId;
    await db
      .insertInto('item_links')
      .values({
        tenant_id: tenantId,
        connection_id: connectionId,
        variant_key: e.variantKey,
        pos_item_id: posItemId,
        source,
        origin: e.origin,
        created_at: e.at,
        updated_at: e.at,
      })
      .onConflict((oc) =>
        oc
          .columns(['connection_id', 'variant_key'])
          .doUpdateSet({ pos_item_id: posItemId, source, origin: e.origin, updated_at: e.at }),
      )
      .execute();
  }
}

export interface LinkRow {
  variantKey: string;
  posItemId: string;
  origin: string | null;
  updatedAt: number;
  /** From the catalog mirror, when the item is in it. */
  itemName: string | null;
  itemSku: string | null;
  itemArchived: boolean | null;
  changes: number;
}

/**
 * The connection's current links, optionally of one brand (variant keys start with the brand's key part) and
 * matching a search (variant key, POS item id, or the item's name or SKU), in variant-key order, with the total.
 */
export async function list(
  db: Db,
  tenantId: string,
  connectionId: string,
  options: { brandPrefix?: string; search?: string; limit: number; offset: number },
): Promise<{ links: LinkRow[]; total: number }> {
  let base = db
    .selectFrom('item_links as l')
    .leftJoin('pos_catalog_items as p', (j) =>
      j.onRef('p.connection_id', '=', 'l.connection_id').onRef('p.pos_item_id', '=', 'l.pos_item_id'),
    )
    .where('l.tenant_id', '=', tenantId)
    .where('l.connection_id', '=', connectionId);
  if (options.brandPrefix) {
    const prefix = `${options.brandPrefix}|`;
    // substr, not LIKE: a brand's key part may hold `_`, a LIKE wildcard.
    base = base.where(sql<string>`substr(l.variant_key, 1, ${prefix.length})`, '=', prefix);
  }
  const q = options.search?.trim().toLowerCase();
  if (q) {
    const pattern = `%${likeEscape(q)}%`;
    const encoded = `%${likeEscape(encodeURIComponent(q))}%`;
    base = base.where((eb) =>
      eb.or([
        eb('l.variant_key', 'like', pattern),
        eb('l.variant_key', 'like', encoded),
        eb('l.pos_item_id', '=', q),
        eb(eb.fn('lower', ['p.name']), 'like', pattern),
        eb(eb.fn('lower', ['p.sku']), 'like', pattern),
      ]),
    );
  }
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select(['l.variant_key', 'l.pos_item_id', 'l.origin', 'l.updated_at', 'p.name', 'p.sku', 'p.archived'])
    .select((eb) =>
      eb
        .selectFrom('item_link_events as e')
        .select((x) => x.fn.countAll<number>().as('c'))
        .whereRef('e.connection_id', '=', 'l.connection_id')
        .whereRef('e.variant_key', '=', 'l.variant_key')
        .as('changes'),
    )
    .orderBy('l.variant_key')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return {
    total: Number(total.n),
    links: rows.map((r) => ({
      variantKey: r.variant_key,
      posItemId: r.pos_item_id,
      origin: r.origin,
      updatedAt: Number(r.updated_at),
      itemName: r.name ?? null,
      itemSku: r.sku ?? null,
      itemArchived: r.archived === null || r.archived === undefined ? null : Number(r.archived) === 1,
      changes: Number(r.changes ?? 0),
    })),
  };
}

/** variantKey → origin of the current link, for the given variants ("Confirmed" names it). */
export async function originsFor(
  db: Db,
  tenantId: string,
  connectionId: string,
  variantKeys: readonly string[],
): Promise<Map<string, { origin: string | null; updatedAt: number }>> {
  const out = new Map<string, { origin: string | null; updatedAt: number }>();
  for (const part of chunks(variantKeys)) {
    const rows = await db
      .selectFrom('item_links')
      .select(['variant_key', 'origin', 'updated_at'])
      .where('tenant_id', '=', tenantId)
      .where('connection_id', '=', connectionId)
      .where('variant_key', 'in', part)
      .execute();
    for (const r of rows) out.set(r.variant_key, { origin: r.origin, updatedAt: Number(r.updated_at) });
  }
  return out;
}

/** Variant keys whose current link points at one of these POS items (a merge took them away). */
export async function linkedTo(
  db: Db,
  tenantId: string,
  connectionId: string,
  posItemIds: readonly string[],
): Promise<Array<{ variantKey: string; posItemId: string; origin: string | null }>> {
  const out: Array<{ variantKey: string; posItemId: string; origin: string | null }> = [];
  for (const part of chunks(posItemIds)) {
    const rows = await db
      .selectFrom('item_links')
      .select(['variant_key', 'pos_item_id', 'origin'])
      .where('tenant_id', '=', tenantId)
      .where('connection_id', '=', connectionId)
      .where('pos_item_id', 'in', part)
      .execute();
    for (const r of rows) out.push({ variantKey: r.variant_key, posItemId: r.pos_item_id, origin: r.origin });
  }
  return out;
}

/** A search's LIKE wildcards are dropped (no ESCAPE clause to keep alike on both dialects). */
function likeEscape(text: string): string {
  return text.replace(/[%_\\]/g, '');
}

export interface MirrorItem {
  posItemId: string;
  name: string;
  sku: string | null;
  gtins: string[];
  archived: boolean;
}

/**
 * Mirror items whose SKU or name mentions one of the needles (a style number), at most `perNeedle` each: where a
 * merchant's own item for a style can be. Wildcards in a needle are dropped.
 */
export async function mirrorItemsMentioning(
  db: Db,
  connectionId: string,
  needles: readonly string[],
  perNeedle = 200,
): Promise<MirrorItem[]> {
  const seen = new Map<string, MirrorItem>();
  for (const needle of new Set(needles.map((n) => likeEscape(n.trim().toLowerCase())).filter(Boolean))) {
    const rows = await db
      .selectFrom('pos_catalog_items')
      .select(['pos_item_id', 'name', 'sku', 'gtins', 'archived'])
      .where('connection_id', '=', connectionId)
      .where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['sku']), 'like', `%${needle}%`),
          eb(eb.fn('lower', ['name']), 'like', `%${needle}%`),
        ]),
      )
      .limit(perNeedle)
      .execute();
    for (const r of rows)
      seen.set(r.pos_item_id, {
        posItemId: r.pos_item_id,
        name: r.name,
        sku: r.sku || null,
        gtins: r.gtins.split(' ').filter(Boolean),
        archived: Number(r.archived) === 1,
      });
  }
  return [...seen.values()];
}

/** Mirror items carrying one of these SKUs (case-insensitive) or codes: where a merged-away item went. */
export async function mirrorItemsBySkuOrGtin(
  db: Db,
  connectionId: string,
  skus: readonly string[],
  gtins: readonly string[],
): Promise<MirrorItem[]> {
  const ids = new Set<string>();
  for (const part of chunks(skus.map((s) => s.trim().toLowerCase()).filter(Boolean))) {
    const rows = await db
      .selectFrom('pos_catalog_items')
      .select('pos_item_id')
      .where('connection_id', '=', connectionId)
      .where((eb) => eb(eb.fn('lower', ['sku']), 'in', part))
      .execute();
    for (const r of rows) ids.add(r.pos_item_id);
  }
  for (const part of chunks(gtins)) {
    const rows = await db
      .selectFrom('pos_catalog_codes')
      .select('pos_item_id')
      .where('connection_id', '=', connectionId)
      .where('gtin14', 'in', part)
      .execute();
    for (const r of rows) ids.add(r.pos_item_id);
  }
  const out: MirrorItem[] = [];
  for (const part of chunks([...ids])) {
    const rows = await db
      .selectFrom('pos_catalog_items')
      .select(['pos_item_id', 'name', 'sku', 'gtins', 'archived'])
      .where('connection_id', '=', connectionId)
      .where('pos_item_id', 'in', part)
      .execute();
    for (const r of rows)
      out.push({
        posItemId: r.pos_item_id,
        name: r.name,
        sku: r.sku || null,
        gtins: r.gtins.split(' ').filter(Boolean),
        archived: Number(r.archived) === 1,
      });
  }
  return out;
}

/** The connection's current links of a given origin (likely duplicates start from the items exports created). */
export async function withOrigin(
  db: Db,
  tenantId: string,
  connectionId: string,
  origin: string,
): Promise<Array<{ variantKey: string; posItemId: string }>> {
  const rows = await db
    .selectFrom('item_links')
    .select(['variant_key', 'pos_item_id'])
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .where('origin', '=', origin)
    .orderBy('variant_key')
    .execute();
  return rows.map((r) => ({ variantKey: r.variant_key, posItemId: r.pos_item_id }));
}

/** Every current link with its item, for following merges (the items as the mirror last saw them). */
export async function linksWithItems(
  db: Db,
  tenantId: string,
  connectionId: string,
): Promise<Array<{ variantKey: string; item: MirrorItem | null; posItemId: string }>> {
  const rows = await db
    .selectFrom('item_links as l')
    .leftJoin('pos_catalog_items as p', (j) =>
      j.onRef('p.connection_id', '=', 'l.connection_id').onRef('p.pos_item_id', '=', 'l.pos_item_id'),
    )
    .select(['l.variant_key', 'l.pos_item_id', 'p.name', 'p.sku', 'p.gtins', 'p.archived'])
    .where('l.tenant_id', '=', tenantId)
    .where('l.connection_id', '=', connectionId)
    .execute();
  return rows.map((r) => ({
    variantKey: r.variant_key,
    posItemId: r.pos_item_id,
    item:
      r.name === null || r.name === undefined
        ? null
        : {
            posItemId: r.pos_item_id,
            name: r.name,
            sku: r.sku || null,
            gtins: (r.gtins ?? '').split(' ').filter(Boolean),
            archived: Number(r.archived) === 1,
          },
  }));
}
