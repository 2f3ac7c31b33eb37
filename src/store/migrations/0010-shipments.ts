import type { Kysely } from 'kysely';

// Migrations are frozen history: they use Kysely<any>, never the current Database type.
//
// Order status after export (issue 14): what the source says of each exported order since (its status, its
// shipments with carrier, tracking numbers, ship date, lines and quantities) and the history of every change, so the
// timeline shows each step and ingest stops re-reading an order once it is complete.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per exported order being followed: the source's status now, and whether it is complete (shipped in
  // full or cancelled: re-read no more).
  await db.schema
    .createTable('order_fulfilment')
    .addColumn('order_id', 'text', (c) => c.primaryKey().references('wholesale_orders.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id'))
    .addColumn('source_status', 'text', (c) => c.notNull())
    .addColumn('complete', 'integer', (c) => c.notNull())
    .addColumn('shipped_units', 'integer', (c) => c.notNull())
    // A hash of the shipment facts as last stored: a new hash is a change the POS PO is told of once.
    .addColumn('facts_hash', 'text', (c) => c.notNull())
    .addColumn('refreshed_at', 'bigint', (c) => c.notNull())
    .addColumn('changed_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('order_fulfilment_open_idx')
    .on('order_fulfilment')
    .columns(['connection_id', 'complete'])
    .execute();

  // The shipments as the source reports them now, one row each (key: the source's id, else a hash of it).
  await db.schema
    .createTable('order_shipments')
    .addColumn('order_id', 'text', (c) => c.notNull().references('wholesale_orders.id'))
    .addColumn('shipment_key', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('source_id', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('carrier', 'text')
    .addColumn('tracking_numbers', 'text', (c) => c.notNull())
    // As the source sent it (ISO 8601 or a date), or null.
    .addColumn('shipped_on', 'text')
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('units', 'integer', (c) => c.notNull())
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_shipments_pk', ['order_id', 'shipment_key'])
    .execute();

  // Every change seen: status moves, shipments added, changed or withdrawn (JSON detail), in time order.
  await db.schema
    .createTable('order_fulfilment_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('order_id', 'text', (c) => c.notNull().references('wholesale_orders.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    // The order of the changes one read found (they share its time).
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('order_fulfilment_events_order_idx')
    .on('order_fulfilment_events')
    .columns(['tenant_id', 'order_id', 'at'])
    .execute();
}
