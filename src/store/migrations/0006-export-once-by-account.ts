import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Migrations are frozen history: they use Kysely<any>, never the current Database type.
//
// Export once per organization, POS account and source order, whichever connection row exported it: before
// this, unlinking and linking a POS account again made a second connection row, and its orders could be
// exported a second time. From now on one row per account (relinking revives it), and the export-once key no
// longer names the row.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('exports').addColumn('pos_account', 'text').execute();
  await db.schema.alterTable('exports').addColumn('source_order', 'text').execute();
  // Read before the replaced rows' account ids are marked below: every row of one account gets one key.
  await sql`update exports set pos_account = coalesce(
      (select c.system || ':' || c.external_account_id from connections c where c.id = exports.connection_id),
      'connection:' || exports.connection_id)`.execute(db);
  await sql`update exports set source_order = coalesce(
      (select c.system || ':' || o.source_id from wholesale_orders o
        inner join connections c on c.id = o.connection_id where o.id = exports.order_id),
      'order:' || exports.order_id)`.execute(db);
  await keepOneExportPerSourceOrder(db);
  await db.schema
    .createIndex('exports_account_once_uq')
    .on('exports')
    .columns(['tenant_id', 'pos_account', 'source_order'])
    .unique()
    .execute();

  await mergeRowsOfOneAccount(db);
  await db.schema
    .createIndex('connections_account_uq')
    .on('connections')
    .columns(['tenant_id', 'system', 'external_account_id'])
    .unique()
    .execute();
}

const stateRank: Record<string, number> = { exported: 0, in_progress: 1, failed: 2 };

/**
 * An order exported twice to one account (through two rows of it) keeps the first export as the one that
 * counts; the other stays as history, its key marked so the unique index holds.
 */
async function keepOneExportPerSourceOrder(db: Kysely<any>): Promise<void> {
  const rows = (await db
    .selectFrom('exports')
    .select(['id', 'tenant_id', 'pos_account', 'source_order', 'state', 'started_at'])
    .execute()) as Array<{
    id: string;
    tenant_id: string;
    pos_account: string;
    source_order: string;
    state: string;
    started_at: number | string;
  }>;
  const groups = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = JSON.stringify([row.tenant_id, row.pos_account, row.source_order]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort(
      (a, b) =>
        (stateRank[a.state] ?? 3) - (stateRank[b.state] ?? 3) ||
        Number(a.started_at) - Number(b.started_at) ||
        a.id.localeCompare(b.id),
    );
    for (const duplicate of group.slice(1)) {
      await sql`update exports set source_order = source_order || '#duplicate:' || id where id = ${duplicate.id}`.execute(
        db,
      );
    }
  }
}

const posSystems = new Set(['lightspeed-x', 'lightspeed-r']);

/**
 * Several rows of one account (relinked before this migration): the live one (else the newest) is kept. A POS
 * row's exports, plans and item links move to it, so its orders read Exported and a reorder is Confirmed
 * there; the others are unlinked (credentials destroyed) and their account id marked as replaced.
 */
async function mergeRowsOfOneAccount(db: Kysely<any>): Promise<void> {
  const rows = (await db
    .selectFrom('connections')
    .select(['id', 'tenant_id', 'system', 'external_account_id', 'status', 'secret_id', 'updated_at'])
    .execute()) as Array<{
    id: string;
    tenant_id: string;
    system: string;
    external_account_id: string;
    status: string;
    secret_id: string | null;
    updated_at: number | string;
  }>;
  const groups = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = JSON.stringify([row.tenant_id, row.system, row.external_account_id]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort(
      (a, b) =>
        Number(a.status === 'unlinked') - Number(b.status === 'unlinked') ||
        Number(b.updated_at) - Number(a.updated_at) ||
        a.id.localeCompare(b.id),
    );
    const keeper = (group[0] as (typeof rows)[number]).id;
    for (const other of group.slice(1)) {
      if (posSystems.has(other.system)) await moveToKeeper(db, other.id, keeper);
      if (other.secret_id !== null) await db.deleteFrom('secrets').where('id', '=', other.secret_id).execute();
      await sql`update connections set status = 'unlinked', secret_id = null,
          external_account_id = external_account_id || '#replaced-by:' || cast(${keeper} as text)
        where id = ${other.id}`.execute(db);
    }
  }
}

async function moveToKeeper(db: Kysely<any>, from: string, keeper: string): Promise<void> {
  // An order both rows exported keeps its row per connection (the older unique key).
  await sql`update exports set connection_id = ${keeper} where connection_id = ${from}
    and not exists (select 1 from exports k where k.tenant_id = exports.tenant_id
      and k.order_id = exports.order_id and k.connection_id = ${keeper})`.execute(db);
  await sql`update export_plans set connection_id = ${keeper} where connection_id = ${from}`.execute(db);
  // The keeper's own link wins where both have one (it is the newer).
  await sql`insert into item_links (tenant_id, connection_id, variant_key, pos_item_id, source, created_at, updated_at)
    select o.tenant_id, cast(${keeper} as text), o.variant_key, o.pos_item_id, o.source, o.created_at, o.updated_at
    from item_links o where o.connection_id = ${from}
      and not exists (select 1 from item_links k where k.connection_id = ${keeper} and k.variant_key = o.variant_key)`.execute(
    db,
  );
  await db.deleteFrom('item_links').where('connection_id', '=', from).execute();
  await db.deleteFrom('pos_catalog_codes').where('connection_id', '=', from).execute();
  await db.deleteFrom('pos_catalog_items').where('connection_id', '=', from).execute();
}
