import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Kysely, sql } from 'kysely';
import type { Dialect, Transaction, TransactionBuilder } from 'kysely';
import { isConnectionLost } from './dialects/connection-errors.ts';
import type { DialectFeatures, DialectName } from './dialects/features.ts';
import { createPostgresDialect, postgresFeatures, type ConnectionErrorListener } from './dialects/postgres.ts';
import { NodeSqliteDialect, sqliteFeatures } from './dialects/sqlite.ts';
import type { Database } from './schema.ts';

export type { DialectName } from './dialects/features.ts';
export { isConnectionLost, isStorageUnwritable } from './dialects/connection-errors.ts';

export interface StoreOptions {
  /** A postgres:// URL. Absent: the embedded SQLite file. */
  databaseUrl?: string | undefined;
  sqliteFile?: string | undefined;
  pgSchema?: string | undefined;
  poolSize?: number | undefined;
  /** PostgreSQL: told when a pooled connection is lost while no query waits on it (for the log). */
  onConnectionError?: ConnectionErrorListener | undefined;
}

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  features: DialectFeatures;
  /** The PostgreSQL schema the store lives in, when one was chosen (tests give each its own). */
  pgSchema?: string | undefined;
  /** SQLite: the database file. */
  file?: string | undefined;
  close(): Promise<void>;
}

export const DEFAULT_SQLITE_FILE = 'data/tradeloop.db';
/** Tries of a transaction whose connection was lost before COMMIT (the first included). */
const TRANSACTION_TRIES = 4;
const TRANSACTION_RETRY_DELAYS_MS = [100, 500, 1_500];

export async function openStore(options: StoreOptions): Promise<Store> {
  const { dialect, features } = chooseDialect(options);
  const db = new StoreKysely({ dialect });
  await failFastIfUnreachable(db);
  return {
    db,
    dialect: features.name,
    features,
    pgSchema: options.databaseUrl ? options.pgSchema : undefined,
    file: options.databaseUrl ? undefined : (options.sqliteFile ?? DEFAULT_SQLITE_FILE),
    close: () => db.destroy(),
  };
}

/**
 * Bytes free for the SQLite file's directory (undefined on PostgreSQL, whose server minds its disk). A
 * probe write alone can succeed on a full disk: SQLite reuses the space of its write-ahead log.
 */
export async function freeBytes(store: Store): Promise<number | undefined> {
  if (store.file === undefined || store.file === ':memory:') return undefined;
  const stats = await statfs(dirname(store.file));
  return Number(stats.bavail) * Number(stats.bsize);
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
    onConnectionError: options.onConnectionError,
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

/**
 * Kysely whose transactions survive a lost connection: a transaction whose connection was lost before
 * COMMIT was sent was rolled back by the server, so it is run again from the start on a fresh
 * connection. A loss during COMMIT is not retried (the transaction may have committed): that error
 * reaches the caller. Every transaction callback in this codebase only talks to the store, which is what
 * makes running it again safe.
 */
class StoreKysely extends Kysely<Database> {
  override transaction(): TransactionBuilder<Database> {
    const builder = super.transaction();
    const execute = builder.execute.bind(builder);
    builder.execute = async <T>(callback: (trx: Transaction<Database>) => Promise<T>): Promise<T> => {
      for (let attempt = 1; ; attempt++) {
        let committing = false;
        try {
          return await execute(async (trx) => {
            const result = await callback(trx);
            committing = true;
            return result;
          });
        } catch (error) {
          if (committing || attempt >= TRANSACTION_TRIES || !isConnectionLost(error)) throw error;
          await new Promise((resolve) => setTimeout(resolve, TRANSACTION_RETRY_DELAYS_MS[attempt - 1]));
        }
      }
    };
    return builder;
  }
}

/** A store handle or a transaction on it: repos and enqueue accept both, so callers compose them. */
export type Db = Kysely<Database>;
