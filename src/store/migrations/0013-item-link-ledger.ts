import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they use Kysely<any>, never the current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  // The item-link ledger (core/item-links.ts): every change to a link is an event, never overwritten.
  // `item_links` stays the current link (what plans read); a forgotten link has no row there.
  await db.schema
    .createTable('item_link_events')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id'))
    .addColumn('variant_key', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    // linked | changed | forgotten | undone
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('by', 'text', (c) => c.notNull())
    .addColumn('pos_item_id', 'text')
    .addColumn('origin', 'text')
    .addColumn('previous_pos_item_id', 'text')
    .addColumn('previous_origin', 'text')
    .addColumn('evidence', 'text')
    .addColumn('undoes', 'integer')
    .addPrimaryKeyConstraint('item_link_events_pk', ['connection_id', 'variant_key', 'seq'])
    .execute();
  // The current link's origin, so "Confirmed" can name it without reading the history.
  await db.schema.alterTable('item_links').addColumn('origin', 'text').execute();

  // Links recorded before the ledger get their history's first event. What is known: `source` buyer = chosen by a
  // person; an export's link to an item Tradeloop wrote (item_ownership, or the item's SKU is Tradeloop's key,
  // `sty-…`) = created by an export; any other export link was a UPC match.
  await sql`
    update item_links set origin = case
      when source = 'buyer' then 'chosen_by_person'
      when exists (select 1 from item_ownership o
                   where o.connection_id = item_links.connection_id and o.pos_item_id = item_links.pos_item_id)
        or exists (select 1 from pos_catalog_items p
                   where p.connection_id = item_links.connection_id and p.pos_item_id = item_links.pos_item_id
                     and p.sku like 'sty-%')
        then 'created_by_export'
      else 'upc_match' end`.execute(db);
  await sql`
    insert into item_link_events
      (tenant_id, connection_id, variant_key, seq, kind, at, by, pos_item_id, origin,
       previous_pos_item_id, previous_origin, evidence, undoes)
    select tenant_id, connection_id, variant_key, 1, 'linked', updated_at, 'tradeloop', pos_item_id, origin,
      null, null, 'recorded before the ledger; origin read from what was known then', null
    from item_links`.execute(db);
}
