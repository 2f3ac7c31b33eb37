import type { Kysely } from 'kysely';

// Migrations are frozen history: they use Kysely<any>, never the current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  // A linked external account: NuORDER, a Lightspeed X-/R-Series store, NetSuite.
  await db.schema
    .createTable('connections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // linked | needs_relink | unlinked
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('external_account_id', 'text', (c) => c.notNull())
    .addColumn('secret_id', 'text')
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('catalog_cursor', 'text')
    .addColumn('last_sync_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('rate_headroom', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('connections_tenant_idx').on('connections').columns(['tenant_id', 'system']).execute();

  // The short-lived state of an OAuth flow between "go to the provider" and its callback.
  await db.schema
    .createTable('oauth_states')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('sealed_data', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // Cross-process leases (token refresh, catalog sync): a row per held key, expiring on its own.
  await db.schema
    .createTable('leases')
    .addColumn('lease_key', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('wholesale_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id'))
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('order_number', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('brand_name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('ship_start', 'bigint')
    .addColumn('ship_end', 'bigint')
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('line_count', 'integer', (c) => c.notNull())
    .addColumn('unit_count', 'integer', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    // The normalised WholesaleOrder (src/core/wholesale-order.ts) as JSON.
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('source_created_at', 'bigint')
    .addColumn('source_modified_at', 'bigint')
    .addColumn('ingested_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('wholesale_orders_source_uq', ['tenant_id', 'connection_id', 'source_id'])
    .execute();
  await db.schema
    .createIndex('wholesale_orders_number_idx')
    .on('wholesale_orders')
    .columns(['tenant_id', 'order_number'])
    .execute();

  await db.schema
    .createTable('amendments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('order_id', 'text', (c) => c.notNull().references('wholesale_orders.id'))
    .addColumn('before_hash', 'text', (c) => c.notNull())
    .addColumn('after_hash', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    // open | accepted | dismissed
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('detected_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('amendments_hash_uq', ['order_id', 'after_hash'])
    .execute();

  // The mirror of each POS catalog's identifying fields, so matching costs no API call per line.
  await db.schema
    .createTable('pos_catalog_items')
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id'))
    .addColumn('pos_item_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('parent_id', 'text')
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('gtins', 'text', (c) => c.notNull())
    .addColumn('archived', 'integer', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('pos_catalog_items_pk', ['connection_id', 'pos_item_id'])
    .execute();
  await db.schema
    .createTable('pos_catalog_codes')
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('gtin14', 'text', (c) => c.notNull())
    .addColumn('pos_item_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pos_catalog_codes_pk', ['connection_id', 'gtin14', 'pos_item_id'])
    .execute();
  await db.schema
    .createIndex('pos_catalog_codes_item_idx')
    .on('pos_catalog_codes')
    .columns(['connection_id', 'pos_item_id'])
    .execute();

  // "Confirmed": a wholesale variant linked to a POS item by an earlier export or by the buyer.
  await db.schema
    .createTable('item_links')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id'))
    .addColumn('variant_key', 'text', (c) => c.notNull())
    .addColumn('pos_item_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_links_pk', ['connection_id', 'variant_key'])
    .execute();

  await db.schema
    .createTable('export_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id'))
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('order_ids', 'text', (c) => c.notNull())
    // draft | applying | applied | superseded
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('overrides', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('export_plans_tenant_idx')
    .on('export_plans')
    .columns(['tenant_id', 'created_at'])
    .execute();

  // One row per (order, POS connection): the order's POS-sync status. The unique constraint is what
  // makes "export once" hold under any concurrency.
  await db.schema
    .createTable('exports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('order_id', 'text', (c) => c.notNull().references('wholesale_orders.id'))
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id'))
    .addColumn('plan_id', 'text', (c) => c.notNull().references('export_plans.id'))
    // in_progress | exported | failed
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('po_id', 'text')
    .addColumn('po_number', 'text')
    .addColumn('po_url', 'text')
    .addColumn('failure_code', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('failure_retryable', 'integer')
    .addColumn('summary', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('exports_once_uq', ['tenant_id', 'order_id', 'connection_id'])
    .execute();
  await db.schema.createIndex('exports_plan_idx').on('exports').column('plan_id').execute();

  // The saga's memory: each named step of applying a plan, with what it created, written before the
  // next step begins so a restarted worker resumes instead of repeating.
  await db.schema
    .createTable('export_steps')
    .addColumn('plan_id', 'text', (c) => c.notNull().references('export_plans.id'))
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('order_id', 'text')
    // running | done | failed
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addPrimaryKeyConstraint('export_steps_pk', ['plan_id', 'step_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'export_steps',
    'exports',
    'export_plans',
    'item_links',
    'pos_catalog_codes',
    'pos_catalog_items',
    'amendments',
    'wholesale_orders',
    'leases',
    'oauth_states',
    'connections',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
