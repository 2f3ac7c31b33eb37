import type { Kysely } from 'kysely';

// Migrations are frozen history: they use Kysely<any>, never the current Database type.
//
// Merchant-grade product data (issue 16): versioned pricing policies per POS connection, the merchant's
// brand → supplier and ship-to → location mappings, what Tradeloop wrote on the items it created (field
// ownership), and the POS's current retail price in the catalog mirror (to see what the merchant changed).
export async function up(db: Kysely<any>): Promise<void> {
  // Every saved version is kept: a plan records the version that priced it.
  await db.schema
    .createTable('pricing_policies')
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('pricing_policies_pk', ['connection_id', 'version'])
    .execute();

  // A brand's POS supplier (X-Series supplier, R-Series vendor), chosen by the merchant.
  await db.schema
    .createTable('brand_suppliers')
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id'))
    .addColumn('brand_source_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('brand_name', 'text', (c) => c.notNull())
    .addColumn('supplier_id', 'text', (c) => c.notNull())
    .addColumn('supplier_name', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('brand_suppliers_pk', ['connection_id', 'brand_source_id'])
    .execute();

  // A wholesale ship-to address (normalised key) → the POS location that receives its orders.
  await db.schema
    .createTable('location_mappings')
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id'))
    .addColumn('address_key', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('location_mappings_pk', ['connection_id', 'address_key'])
    .execute();

  // The brand's values Tradeloop wrote on an item it created (JSON), and when.
  await db.schema
    .createTable('item_ownership')
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id'))
    .addColumn('pos_item_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('variant_key', 'text', (c) => c.notNull())
    .addColumn('written', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_ownership_pk', ['connection_id', 'pos_item_id'])
    .execute();

  // The item's retail price as the POS shows it, decimal text; null when unknown (rows from before).
  await db.schema.alterTable('pos_catalog_items').addColumn('retail', 'text').execute();
}
