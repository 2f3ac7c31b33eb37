// PostgreSQL for the benches: the database CI and this machine run (TEST_DATABASE_URL, else the local default), a
// schema of its own per measurement so runs never see each other's rows, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { StoreOptions } from '../../src/store/db.ts';

export const benchDatabaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function pgReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: benchDatabaseUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: benchDatabaseUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A new schema and the store options that use it; `drop` removes it with everything in it. */
export async function pgSchema(poolSize = 5): Promise<{ options: StoreOptions; drop(): Promise<void> }> {
  const schema = `bench_${randomBytes(8).toString('hex')}`;
  await admin(`create schema "${schema}"`);
  return {
    options: { databaseUrl: benchDatabaseUrl, pgSchema: schema, poolSize },
    drop: () => admin(`drop schema if exists "${schema}" cascade`),
  };
}

/** Runs `use` in a schema of its own, dropped after; null (and a line saying why) when PostgreSQL is not reachable. */
export async function inPgSchema<T>(use: (options: StoreOptions) => Promise<T>, poolSize = 5): Promise<T | null> {
  if (!(await pgReachable())) {
    console.log(`  PostgreSQL not reachable at ${benchDatabaseUrl}: not measured`);
    return null;
  }
  const { options, drop } = await pgSchema(poolSize);
  try {
    return await use(options);
  } finally {
    await drop();
  }
}
