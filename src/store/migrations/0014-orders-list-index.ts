import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they use Kysely<any>, never the current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  // The orders list reads newest first, then by number: `source_created_at desc, order_number`. The index of 0005
  // holds both ascending, which neither dialect can walk for that mixed order, so every page sorted the tenant's
  // whole table (reading each row past its multi-KB document). This one is in the list's own order: a page is
  // the first 50 entries of the index, and only those 50 rows are read.
  await sql`create index wholesale_orders_newest_idx on wholesale_orders (tenant_id, source_created_at desc, order_number)`.execute(
    db,
  );
  await db.schema.dropIndex('wholesale_orders_list_idx').execute();
  // The brand filter's list: one index seek per brand (repos/wholesale-orders.ts `brands`) instead of a DISTINCT
  // over every order.
  await db.schema
    .createIndex('wholesale_orders_brand_idx')
    .on('wholesale_orders')
    .columns(['tenant_id', 'brand_name'])
    .execute();
}
