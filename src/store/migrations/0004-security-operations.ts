import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Migrations are frozen history: they use Kysely<any>, never the current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  // Idle timeout: when a session last made a request (null = never since it was created).
  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'bigint').execute();
  await sql`update sessions set last_seen_at = created_at`.execute(db);

  // An OAuth state belongs to the session (or API token user) that started the flow, not only its organization.
  await db.schema.alterTable('oauth_states').addColumn('bound_to', 'text').execute();

  // Failed sign-ins per account (account:<email>) and per client address (ip:<address>), in a window.
  await db.schema
    .createTable('login_throttles')
    .addColumn('throttle_key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_throttles_updated_idx').on('login_throttles').column('updated_at').execute();

  // The readiness probe's tiny write: one row per probe name, rewritten on every /ready.
  await db.schema
    .createTable('store_probes')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('written_at', 'bigint', (c) => c.notNull())
    .execute();
}
