/**
 * A store taken back to the schema before migration 0009 (one steps table), with what it holds: the export's
 * `export_steps` and the sales sync's `sales_sync_steps` (as 0002, 0003 and 0008 made them) get the rows of
 * `saga_steps`, which is dropped, and 0009 is no longer recorded as applied. Migrating again must bring every saga
 * in flight back with its history.
 */
import { sql, type Kysely } from 'kysely';
import type { Store } from '../../src/store/db.ts';

export async function backToBefore0009(store: Store): Promise<void> {
  const db = store.db as unknown as Kysely<any>;
  await db.schema
    .createTable('export_steps')
    .addColumn('plan_id', 'text', (c) => c.notNull().references('export_plans.id'))
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('order_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addPrimaryKeyConstraint('export_steps_pk', ['plan_id', 'step_key'])
    .execute();
  await db.schema.createIndex('export_steps_key_idx').on('export_steps').columns(['tenant_id', 'step_key']).execute();
  await db.schema
    .createTable('sales_sync_steps')
    .addColumn('sync_id', 'text', (c) => c.notNull().references('sales_syncs.id'))
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addPrimaryKeyConstraint('sales_sync_steps_pk', ['sync_id', 'step_key'])
    .execute();
  await sql`insert into export_steps (plan_id, step_key, tenant_id, order_id, state, result, error, position, started_at, finished_at)
    select saga_id, step_key, tenant_id, scope, state, result, error, position, started_at, finished_at
    from saga_steps where saga = 'export'`.execute(db);
  await sql`insert into sales_sync_steps (sync_id, step_key, tenant_id, state, result, error, attempts, started_at, finished_at)
    select saga_id, step_key, tenant_id, state, result, error, attempts, started_at, finished_at
    from saga_steps where saga = 'sales'`.execute(db);
  await db.schema.dropTable('saga_steps').execute();
  await sql`delete from tradeloop_migrations where name = '0009_saga_steps'`.execute(db);
}
