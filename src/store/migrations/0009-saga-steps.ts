import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they use Kysely<any>, never the current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  // One steps table for every saga (flows/saga/): the export's (export_steps) and the sales sync's
  // (sales_sync_steps) move into it with their history, so a saga in flight resumes from its recorded steps.
  // `saga_id` is the plan id or the sales sync id; the steps of one saga id share one key space.
  await db.schema
    .createTable('saga_steps')
    .addColumn('saga_id', 'text', (c) => c.notNull())
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('organizations.id'))
    // export | sales: which family of sagas recorded it (the export's concurrency check reads its own).
    .addColumn('saga', 'text', (c) => c.notNull())
    // The unit of the saga a step belongs to (an order of a plan), or null for the steps they share.
    .addColumn('scope', 'text')
    // running | done | failed
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addPrimaryKeyConstraint('saga_steps_pk', ['saga_id', 'step_key'])
    .execute();
  // Concurrent exports to one POS account ask whether another plan started a step (a shared product).
  await db.schema
    .createIndex('saga_steps_key_idx')
    .on('saga_steps')
    .columns(['tenant_id', 'saga', 'step_key'])
    .execute();

  // The export's steps kept their first-start order in `position`; a re-run step counted as one attempt.
  await sql`
    insert into saga_steps
      (saga_id, step_key, tenant_id, saga, scope, state, result, error, position, attempts, started_at, finished_at)
    select plan_id, step_key, tenant_id, 'export', order_id, state, result, error, position, 1, started_at, finished_at
    from export_steps`.execute(db);
  // The sales sync's steps had no position: their start order within their sync stands in for it.
  await sql`
    insert into saga_steps
      (saga_id, step_key, tenant_id, saga, scope, state, result, error, position, attempts, started_at, finished_at)
    select sync_id, step_key, tenant_id, 'sales', null, state, result, error,
      row_number() over (partition by sync_id order by started_at, step_key) - 1, attempts, started_at, finished_at
    from sales_sync_steps`.execute(db);

  await db.schema.dropTable('export_steps').execute();
  await db.schema.dropTable('sales_sync_steps').execute();
}
