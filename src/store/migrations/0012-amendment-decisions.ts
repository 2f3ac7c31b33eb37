import type { Kysely } from 'kysely';

// Migrations are frozen history: they use Kysely<any>, never the current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  // A person's decision on an amendment (accepted or dismissed: `state`), who made it and when, and what applying
  // it to the POS purchase order did: `apply_state` applying | applied | refused | failed, the amendment plan it
  // applies (core/amendment-plan.ts, with the added lines' export plan) and its outcome, as JSON. The saga that
  // applies it records its steps under the amendment's id (saga_steps.saga = 'amendment').
  for (const [name, type] of [
    ['decided_by', 'text'],
    ['decided_at', 'bigint'],
    ['apply_state', 'text'],
    ['apply_plan', 'text'],
    ['apply_result', 'text'],
    ['apply_job_id', 'text'],
    ['applied_at', 'bigint'],
  ] as const) {
    await db.schema.alterTable('amendments').addColumn(name, type).execute();
  }
  // Automatic apply per POS connection reads the open amendments of an order.
  await db.schema.createIndex('amendments_order_state_idx').on('amendments').columns(['order_id', 'state']).execute();
}
