import { Kysely, sql } from 'kysely';
import type { Dialect } from 'kysely';
import type { DialectFeatures, DialectName } from './dialects/features.ts';
import { createPostgresDialect, postgresFeatures } from './dialects/postgres.ts';
import { NodeSqliteDialect, sqliteFeatures } from './dialects/sqlite.ts';
import type { Database } from './schema.ts';

export type { DialectName } from './dialects/features.ts';

export interface StoreOptions {
  /** A postgres:// URL. Absent: the embedded SQLite file. */
  databaseUrl?: string | undefined;
  sqliteFile?: string | undefined;
  pgSchema?: string | undefined;
  poolSize?: number | undefined;
}

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  features: DialectFeatures;
  /** The PostgreSQL schema the store lives in, when one was chosen (tests give each its own). */
  pgSchema?: string | undefined;
  close(): Promise<void>;
}

export const DEFAULT_SQLITE_FILE = 'data/tradeloop.db';

export async function openStore(options: StoreOptions): Promise<Store> {
  const { dialect, features } = chooseDialect(options);
  const db = new Kysely<Database>({ dialect });
  await failFastIfUnreachable(db);
  return {
    db,
    dialect: features.name,
    features,
    pgSchema: options.databaseUrl ? options.pgSchema : undefined,
    close: () => db.destroy(),
  };
}

function chooseDialect(options: StoreOptions): { dialect: Dialect; features: DialectFeatures } {
  if (options.databaseUrl === undefined || options.databaseUrl === '') {
    const file = options.sqliteFile ?? DEFAULT_SQLITE_FILE;
    return { dialect: new NodeSqliteDialect({ file }), features: sqliteFeatures };
  }
  const dialect = createPostgresDialect({
    connectionString: options.databaseUrl,
    schema: options.pgSchema,
    poolSize: options.poolSize,
  });
  return { dialect, features: postgresFeatures };
}

async function failFastIfUnreachable(db: Kysely<Database>): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/** A store handle or a transaction on it: repos and enqueue accept both, so callers compose them. */
export type Db = Kysely<Database>;
