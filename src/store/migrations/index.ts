import { sql } from 'kysely';
import type { Migration } from 'kysely';
import type { Store } from '../db.ts';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-export-engine.ts';
import * as m0003 from './0003-sales-sync.ts';
import * as m0004s from './0004-security-operations.ts';
import * as m0005w from './0005-export-waits.ts';
import * as m0006a from './0006-export-once-by-account.ts';
import * as m0007m from './0007-merchant-data.ts';
import * as m0008s from './0008-export-step-lookup.ts';
import * as m0009s from './0009-saga-steps.ts';
import * as m0010s from './0010-shipments.ts';
import * as m0011r from './0011-receipts.ts';
import * as m0012a from './0012-amendment-decisions.ts';
import * as m0013l from './0013-item-link-ledger.ts';
import * as m0014o from './0014-orders-list-index.ts';
import * as m0015c from './0015-job-correlation.ts';
import * as m0016r from './0016-pos-reorders.ts';

/** Append new migrations here; names sort in the order they must run. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_export_engine': m0002,
  '0003_sales_sync': m0003,
  '0004_security_operations': m0004s,
  '0005_export_waits': m0005w,
  '0006_export_once_by_account': m0006a,
  '0007_merchant_data': m0007m,
  '0008_export_step_lookup': m0008s,
  '0009_saga_steps': m0009s,
  '0010_shipments': m0010s,
  '0011_receipts': m0011r,
  '0012_amendment_decisions': m0012a,
  '0013_item_link_ledger': m0013l,
  '0014_orders_list_index': m0014o,
  '0015_job_correlation': m0015c,
  '0016_pos_reorders': m0016r,
};

const table = 'tradeloop_migrations';

/**
 * Applies every pending migration in one transaction, under a lock, so processes starting together
 * (several workers) apply each migration once. Our own small migrator rather than Kysely's: Kysely's
 * introspects every schema of the database, which races with other schemas being dropped (parallel
 * tests on PostgreSQL, one schema each) and fails.
 */
export async function migrateToLatest(store: Store): Promise<string[]> {
  return store.db.transaction().execute(async (trx) => {
    await store.features.lockForTransaction(trx, `tradeloop-migrations:${store.pgSchema ?? 'public'}`);
    await sql`create table if not exists ${sql.table(table)} (name varchar(255) primary key, executed_at varchar(64) not null)`.execute(
      trx,
    );
    const done = await appliedNames(store, trx);
    const applied: string[] = [];
    for (const name of Object.keys(migrations).sort()) {
      if (done.has(name)) continue;
      try {
        await (migrations[name] as Migration).up(trx);
      } catch (error) {
        throw new Error(`migration ${name} failed`, { cause: error });
      }
      await sql`insert into ${sql.table(table)} (name, executed_at) values (${name}, ${new Date().toISOString()})`.execute(
        trx,
      );
      applied.push(name);
    }
    return applied;
  });
}

/** Names of migrations not yet applied (an empty list means the schema is current). */
export async function pendingMigrations(store: Store): Promise<string[]> {
  if (!(await store.features.tableExists(store.db, table))) return Object.keys(migrations).sort();
  const done = await appliedNames(store, store.db);
  return Object.keys(migrations)
    .sort()
    .filter((name) => !done.has(name));
}

/** Applied names; a database migrated by Kysely's migrator before (table kysely_migration) counts too. */
async function appliedNames(store: Store, db: Store['db']): Promise<Set<string>> {
  const rows = await sql<{ name: string }>`select name from ${sql.table(table)}`.execute(db);
  const names = new Set(rows.rows.map((r) => r.name));
  if (names.size === 0 && (await store.features.tableExists(db, 'kysely_migration'))) {
    const legacy = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    for (const row of legacy.rows) names.add(row.name);
  }
  return names;
}
