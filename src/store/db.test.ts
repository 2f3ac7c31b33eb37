import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openStore } from './db.ts';
import { migrateToLatest, migrations, pendingMigrations } from './migrations/index.ts';
import { forEachDialect } from './testing.ts';

const TABLES = ['organizations', 'users', 'sessions', 'api_tokens', 'secrets', 'jobs', 'rate_budgets', 'settings'];

/**
 * The store's own tables and their columns. Not Kysely's introspection: that reads every schema of the
 * database, and other tests drop theirs meanwhile.
 */
async function ownTables(
  store: ReturnType<Parameters<Parameters<typeof forEachDialect>[1]>[0]>,
): Promise<Array<{ name: string; columns: string[] }>> {
  if (store.dialect === 'postgres') {
    const rows = await sql<{
      table_name: string;
      column_name: string;
    }>`select table_name, column_name from information_schema.columns where table_schema = current_schema()`.execute(
      store.db,
    );
    const byTable = new Map<string, string[]>();
    for (const row of rows.rows) byTable.set(row.table_name, [...(byTable.get(row.table_name) ?? []), row.column_name]);
    return [...byTable].map(([name, columns]) => ({ name, columns }));
  }
  const tables = await sql<{
    name: string;
  }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(store.db);
  const out = [];
  for (const { name } of tables.rows) {
    const columns = await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(store.db);
    out.push({ name, columns: columns.rows.map((c) => c.name) });
  }
  return out;
}

forEachDialect('migrations', (getStore) => {
  test('apply every migration, leaving none pending', async () => {
    const store = getStore();
    assert.deepEqual(await pendingMigrations(store), []);
    const names = (await ownTables(store)).map((table) => table.name);
    for (const table of TABLES) assert.ok(names.includes(table), `table ${table} exists`);
  });

  test('running them again changes nothing', async () => {
    assert.deepEqual(await migrateToLatest(getStore()), []);
  });

  test('every business table carries tenant_id', async () => {
    const tables = await ownTables(getStore());
    // Infrastructure tables that belong to no tenant: the tenants themselves, cross-process leases, the migration
    // log, sign-in throttles (an email or address, before any tenant is known) and the readiness probe.
    const systemTables = ['organizations', 'leases', 'tradeloop_migrations', 'login_throttles', 'store_probes'];
    const business = tables.filter((t) => !systemTables.includes(t.name));
    assert.ok(business.length >= TABLES.length - 1);
    for (const table of business) {
      assert.ok(table.columns.includes('tenant_id'), `${table.name} has tenant_id`);
    }
  });

  test('timestamps round-trip as numbers of epoch milliseconds', async () => {
    const store = getStore();
    const createdAt = Date.UTC(2030, 0, 2, 3, 4, 5, 678);
    await store.db.insertInto('organizations').values({ id: 'o1', name: 'Acme', created_at: createdAt }).execute();
    const row = await store.db.selectFrom('organizations').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.created_at, createdAt);
    const count = await store.db
      .selectFrom('organizations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(count.n, 1);
  });
});

test('[sqlite] a fresh file store lists every migration as pending, then none', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'tradeloop-db-'));
  const store = await openStore({ sqliteFile: join(directory, 'nested', 'store.db') });
  try {
    assert.deepEqual(await pendingMigrations(store), Object.keys(migrations));
    assert.deepEqual(await migrateToLatest(store), Object.keys(migrations));
    assert.deepEqual(await pendingMigrations(store), []);
    const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
    assert.equal(rows[0]?.journal_mode, 'wal');
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
    assert.equal(fk.rows[0]?.foreign_keys, 1);
  } finally {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
