import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe } from 'node:test';
import pg from 'pg';
import { openStore } from './db.ts';
import type { DialectName, Store, StoreOptions } from './db.ts';
import { assertSchemaName } from './dialects/postgres.ts';
import { migrateToLatest } from './migrations/index.ts';

export interface TestStore extends Store {
  /** Opens the same database again (another process, another pool). */
  options: StoreOptions;
  /** Closes the store and deletes its database (temp file or schema). */
  dispose(): Promise<void>;
}

export const POSTGRES_SKIP_REASON = 'TEST_DATABASE_URL is not set: PostgreSQL not tested';

export function testDatabaseUrl(): string | undefined {
  const url = process.env['TEST_DATABASE_URL'];
  return url === undefined || url === '' ? undefined : url;
}

/** The dialects this run covers: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function testedDialects(): DialectName[] {
  return testDatabaseUrl() === undefined ? ['sqlite'] : ['sqlite', 'postgres'];
}

/**
 * Defines the same suite once per dialect, named `[sqlite] title` and `[postgres] title`; each
 * test gets a fresh, migrated store. Without TEST_DATABASE_URL the PostgreSQL suite is a visible
 * skip.
 */
export function forEachDialect(
  title: string,
  defineTests: (getStore: () => TestStore, dialect: DialectName) => void,
): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const skip = dialect === 'postgres' && testDatabaseUrl() === undefined ? POSTGRES_SKIP_REASON : false;
    describe(`[${dialect}] ${title}`, { skip }, () => {
      if (skip !== false) return;
      let store: TestStore | undefined;
      beforeEach(async () => {
        store = await createTestStore(dialect);
      });
      afterEach(async () => {
        await store?.dispose();
        store = undefined;
      });
      defineTests(() => {
        if (store === undefined) throw new Error('the test store exists only inside a test');
        return store;
      }, dialect);
    });
  }
}

/** A fresh, migrated store in its own temp file (SQLite) or its own schema (PostgreSQL). */
export async function createTestStore(dialect: DialectName): Promise<TestStore> {
  return dialect === 'sqlite' ? createSqliteTestStore() : createPostgresTestStore();
}

async function createSqliteTestStore(): Promise<TestStore> {
  const directory = mkdtempSync(join(tmpdir(), 'tradeloop-test-'));
  const options: StoreOptions = { sqliteFile: join(directory, 'store.db') };
  const removeDirectory = async () => rmSync(directory, { recursive: true, force: true });
  return openMigrated(options, removeDirectory);
}

async function createPostgresTestStore(): Promise<TestStore> {
  const databaseUrl = testDatabaseUrl();
  if (databaseUrl === undefined) throw new Error(POSTGRES_SKIP_REASON);
  const schema = `test_${crypto.randomUUID().replaceAll('-', '')}`;
  assertSchemaName(schema);
  await runAdminStatement(databaseUrl, `create schema "${schema}"`);
  const dropSchema = () => runAdminStatement(databaseUrl, `drop schema if exists "${schema}" cascade`);
  return openMigrated({ databaseUrl, pgSchema: schema, poolSize: 5 }, dropSchema);
}

async function openMigrated(options: StoreOptions, removeDatabase: () => Promise<void>): Promise<TestStore> {
  let store: Store | undefined;
  try {
    store = await openStore(options);
    await migrateToLatest(store);
  } catch (error) {
    await store?.close();
    await removeDatabase();
    throw error;
  }
  const opened = store;
  let disposed = false;
  return {
    ...opened,
    options,
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await opened.close();
      await removeDatabase();
    },
  };
}

async function runAdminStatement(databaseUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
