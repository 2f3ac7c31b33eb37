import type { Kysely } from 'kysely';

// Migrations are frozen history: they use Kysely<any>, never the current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  // A purchase order the merchant made in the POS back office for a linked brand's supplier, paired with the
  // wholesale order Tradeloop sent the brand for it (flows/reorder/from-pos/). One row per POS PO and connection:
  // the unique pair is what makes "sent once" hold. `state` sending | sent | nothing_mapped | failed; `lines` the
  // lines sent (style, colour, size, quantity), `unmapped` the PO lines no item link named (reported, not guessed);
  // `order_id`/`export_id` once the brand approved and the order came in, recognised as already in the POS.
  await db.schema
    .createTable('pos_reorders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id'))
    .addColumn('pos_po_id', 'text', (c) => c.notNull())
    .addColumn('pos_po_number', 'text', (c) => c.notNull())
    .addColumn('pos_po_url', 'text')
    .addColumn('location_id', 'text')
    .addColumn('supplier_id', 'text', (c) => c.notNull())
    .addColumn('brand_connection_id', 'text', (c) => c.notNull().references('connections.id'))
    .addColumn('brand_name', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('order_number', 'text', (c) => c.notNull())
    .addColumn('source_order_id', 'text')
    .addColumn('tag_field', 'text')
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('unmapped', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('order_id', 'text')
    .addColumn('export_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('pos_reorders_po_uq', ['connection_id', 'pos_po_id'])
    .execute();
  await db.schema
    .createIndex('pos_reorders_tenant_idx')
    .on('pos_reorders')
    .columns(['tenant_id', 'connection_id', 'created_at'])
    .execute();
  // The approved order comes in from the brand's connection: found by its source id.
  await db.schema
    .createIndex('pos_reorders_source_idx')
    .on('pos_reorders')
    .columns(['brand_connection_id', 'source_order_id'])
    .execute();
  // Where each POS connection's PO feed read up to (X-Series: the consignment version).
  await db.schema
    .createTable('pos_po_feed_cursors')
    .addColumn('connection_id', 'text', (c) => c.primaryKey().references('connections.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('cursor', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
