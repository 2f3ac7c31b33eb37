import type { Kysely } from 'kysely';

// Migrations are frozen history: they use Kysely<any>, never the current Database type.
//
// Receiving against shipments and the discrepancy audit (issue 14): each receipt staff commit from Tradeloop (the
// units per POS item, the running totals written to the POS PO, where the units still open went), recorded once
// whatever retries; and per order the last audit's fingerprint, so a scheduled audit flags only new discrepancies.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('receipts')
    // Chosen by the client that commits (a retried request names the same receipt).
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('order_id', 'text', (c) => c.notNull().references('wholesale_orders.id'))
    .addColumn('export_id', 'text', (c) => c.notNull().references('exports.id'))
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id'))
    // The PO the units were received against (the export's, or where an earlier receipt kept the rest on order).
    .addColumn('po_id', 'text', (c) => c.notNull())
    .addColumn('po_number', 'text', (c) => c.notNull())
    // queued | committing | committed | failed
    .addColumn('state', 'text', (c) => c.notNull())
    // JSON: [{posItemId, label, quantity}] (this receipt's units).
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('units', 'integer', (c) => c.notNull())
    // JSON: the flagged scans staff saw when committing (over-receipts, unknown codes).
    .addColumn('flags', 'text', (c) => c.notNull())
    // JSON: [{posItemId, received}], the running totals written (set by the saga's first step).
    .addColumn('totals', 'text')
    .addColumn('remainder_po_id', 'text')
    .addColumn('remainder_po_number', 'text')
    .addColumn('stock_on_commit', 'integer')
    .addColumn('error', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('committed_at', 'bigint')
    .addPrimaryKeyConstraint('receipts_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('receipts_export_idx').on('receipts').columns(['tenant_id', 'export_id']).execute();

  await db.schema
    .createTable('order_audits')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('order_id', 'text', (c) => c.notNull().references('wholesale_orders.id'))
    // A hash of the issues found (kinds and lines): a different one is a new discrepancy.
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('issues', 'integer', (c) => c.notNull())
    // 1: the last scheduled audit found discrepancies it had not found before (the orders list flags it).
    .addColumn('flagged', 'integer', (c) => c.notNull())
    .addColumn('checked_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_audits_pk', ['tenant_id', 'order_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('order_audits').execute();
  await db.schema.dropTable('receipts').execute();
}
