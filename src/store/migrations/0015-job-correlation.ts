import type { Kysely } from 'kysely';

// Migrations are frozen history: they use Kysely<any>, never the current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  // The correlation id of the request or job that queued a job: its run logs with it, so one id follows a
  // request through its job to the outside calls. Null for jobs queued before, or outside any request.
  await db.schema.alterTable('jobs').addColumn('correlation_id', 'text').execute();
}
