import type { Kysely } from 'kysely';

// Migrations are frozen history: they use Kysely<any>, never the current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  // Concurrent exports to one POS account ask whether another plan started a step (a shared new product or
  // supplier) before they create it: by tenant and step key, from an index.
  await db.schema.createIndex('export_steps_key_idx').on('export_steps').columns(['tenant_id', 'step_key']).execute();
}
