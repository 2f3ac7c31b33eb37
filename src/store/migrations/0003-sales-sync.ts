import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Migrations are frozen history: they use Kysely<any>, never the current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  // Sales-order rules as versioned configuration: every saved draft is a new version; at most one is active.
  await db.schema
    .createTable('sales_rule_sets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    // draft | active | retired
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('activated_at', 'bigint')
    .addUniqueConstraint('sales_rule_sets_version_uq', ['tenant_id', 'version'])
    .execute();
  // One active rule set per organization, held by the store rather than by a read-then-write.
  await sql`create unique index sales_rule_sets_active_uq on sales_rule_sets (tenant_id) where state = 'active'`.execute(
    db,
  );

  // One row per synced order or sale, in either direction: the log the merchant reads, and the saga's head.
  await db.schema
    .createTable('sales_syncs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    // ns_to_x | x_to_ns
    .addColumn('direction', 'text', (c) => c.notNull())
    // ns:<netsuite connection>:<sales order id> or x:<x-series connection>:<sale id>
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('ns_connection_id', 'text', (c) => c.notNull().references('connections.id'))
    .addColumn('x_connection_id', 'text', (c) => c.notNull().references('connections.id'))
    // salesOrder | cashSale
    .addColumn('ns_record_type', 'text')
    .addColumn('ns_id', 'text')
    .addColumn('ns_tran_id', 'text')
    .addColumn('x_sale_id', 'text')
    .addColumn('x_invoice_number', 'text')
    .addColumn('x_status', 'text')
    // the mapping key a rule chose (ns_to_x) or salesOrder | cashSale (x_to_ns)
    .addColumn('sent_as', 'text')
    .addColumn('rule_id', 'text')
    .addColumn('rule_set_version', 'integer')
    // not_sent | sending | sent | completing | completed | failed
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('fulfilment_id', 'text')
    .addColumn('bill_id', 'text')
    .addColumn('bill_type', 'text')
    .addColumn('source_modified', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('sales_syncs_source_uq', ['tenant_id', 'source_key'])
    .execute();
  await db.schema.createIndex('sales_syncs_x_sale_idx').on('sales_syncs').columns(['tenant_id', 'x_sale_id']).execute();
  await db.schema
    .createIndex('sales_syncs_recent_idx')
    .on('sales_syncs')
    .columns(['tenant_id', 'updated_at'])
    .execute();

  // The saga's memory per synced row: each named step with what it created, written before the next begins.
  await db.schema
    .createTable('sales_sync_steps')
    .addColumn('sync_id', 'text', (c) => c.notNull().references('sales_syncs.id'))
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    // running | done | failed
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addPrimaryKeyConstraint('sales_sync_steps_pk', ['sync_id', 'step_key'])
    .execute();

  // Where each scheduled sync got to: SuiteQL changed-since on NetSuite, the version cursor on X-Series.
  await db.schema
    .createTable('sales_cursors')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('cursor_key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sales_cursors_pk', ['tenant_id', 'cursor_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['sales_cursors', 'sales_sync_steps', 'sales_syncs', 'sales_rule_sets']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
