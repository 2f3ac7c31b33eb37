import { sql } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { SQLInputValue, StatementSync } from 'node:sqlite';
import { CompiledQuery, SqliteAdapter, SqliteDriver, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type {
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  SqliteDatabase,
  SqliteStatement,
} from 'kysely';
import type { DialectFeatures } from './features.ts';

const PRAGMAS = [
  'PRAGMA journal_mode = WAL',
  'PRAGMA busy_timeout = 5000',
  'PRAGMA foreign_keys = ON',
  'PRAGMA synchronous = NORMAL',
];

export const sqliteFeatures: DialectFeatures = {
  name: 'sqlite',
  supportsSkipLocked: false,
  // Every transaction already holds the single write lock (BEGIN IMMEDIATE).
  lockForTransaction: async () => {},
  tableExists: async (db, table) => {
    const result = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'table' and name = ${table}`.execute(db);
    return result.rows.length > 0;
  },
};

export interface NodeSqliteDialectOptions {
  file: string;
}

/** Kysely dialect over the built-in `node:sqlite`, so the embedded store needs no native module. */
export class NodeSqliteDialect implements Dialect {
  readonly #file: string;

  constructor(options: NodeSqliteDialectOptions) {
    this.#file = options.file;
  }

  createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: async () => openSqliteDatabase(this.#file) });
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/**
 * A deferred BEGIN that reads and then writes fails with SQLITE_BUSY (without waiting) when
 * another process wrote in between. Taking the write lock up front makes every transaction wait
 * its turn under busy_timeout instead: SQLite's single writer, used on purpose.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export function openSqliteDatabase(file: string): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new DatabaseSync(file);
  for (const pragma of PRAGMAS) database.exec(pragma);
  return {
    prepare: (sql) => adaptStatement(database.prepare(sql)),
    close: () => database.close(),
  };
}

function adaptStatement(statement: StatementSync): SqliteStatement {
  return {
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...toSqliteValues(parameters)),
    run: (parameters) => statement.run(...toSqliteValues(parameters)),
    iterate: (parameters) => statement.iterate(...toSqliteValues(parameters)),
  };
}

function toSqliteValues(parameters: ReadonlyArray<unknown>): SQLInputValue[] {
  return parameters.map(toSqliteValue);
}

function toSqliteValue(value: unknown): SQLInputValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    typeof value === 'string' ||
    value instanceof Uint8Array
  ) {
    return value;
  }
  throw new TypeError(`cannot bind a value of type ${describe(value)} to a SQLite parameter`);
}

function describe(value: unknown): string {
  return value instanceof Object ? value.constructor.name : typeof value;
}
