import { Migrator } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely';
import type { Store } from '../db.ts';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-export-engine.ts';
import * as m0003 from './0003-sales-sync.ts';

/** Append new migrations here; names sort in the order they must run. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_export_engine': m0002,
  '0003_sales_sync': m0003,
};

const staticProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

function migratorFor(store: Store): Migrator {
  return new Migrator({ db: store.db, provider: staticProvider });
}

/** Applies every pending migration; throws (after rolling back the failing one) on error. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const { error, results } = await migratorFor(store).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(`migration ${failed ?? '(unknown)'} failed`, { cause: error });
  }
  return (results ?? []).map((result) => result.migrationName);
}

/** Names of migrations not yet applied (an empty list means the schema is current). */
export async function pendingMigrations(store: Store): Promise<string[]> {
  const all = await migratorFor(store).getMigrations();
  return all.filter((migration) => migration.executedAt === undefined).map((m) => m.name);
}
