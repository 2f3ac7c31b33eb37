import type { Kysely } from 'kysely';

// Migrations are frozen history: they use Kysely<any>, never the current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  // An export waiting out a POS outage: since when, why, and when the next try is due. The export stays
  // in progress (nothing failed; the outcome of the last write is unknown until the retry reconciles it).
  await db.schema.alterTable('exports').addColumn('waiting_since', 'bigint').execute();
  await db.schema.alterTable('exports').addColumn('waiting_reason', 'text').execute();
  await db.schema.alterTable('exports').addColumn('next_try_at', 'bigint').execute();

  // The orders list filtered by POS-sync status: the orders with an export in a state, from an index.
  await db.schema.createIndex('exports_state_idx').on('exports').columns(['tenant_id', 'state', 'order_id']).execute();
  // Automatic sync's draft plans waiting for review, per POS connection.
  await db.schema
    .createIndex('export_plans_connection_state_idx')
    .on('export_plans')
    .columns(['connection_id', 'state'])
    .execute();
  // The orders list's order (newest first), so a page is read from an index at any size.
  await db.schema
    .createIndex('wholesale_orders_list_idx')
    .on('wholesale_orders')
    .columns(['tenant_id', 'source_created_at', 'order_number'])
    .execute();
}
