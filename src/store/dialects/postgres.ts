import pg from 'pg';
import { CompiledQuery, PostgresDialect, sql } from 'kysely';
import type { DatabaseConnection, Dialect } from 'kysely';
import type { DialectFeatures } from './features.ts';

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export const postgresFeatures: DialectFeatures = {
  name: 'postgres',
  supportsSkipLocked: true,
  lockForTransaction: async (trx, key) => {
    await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
  },
  // to_regclass resolves through the search path: the store's own schema only.
  tableExists: async (db, table) => {
    const result = await sql<{ found: boolean }>`select to_regclass(${table}) is not null as found`.execute(db);
    return result.rows[0]?.found === true;
  },
};

export interface PostgresDialectOptions {
  connectionString: string;
  /** Every pooled connection uses this schema first (tests get one schema each). */
  schema?: string | undefined;
  poolSize?: number | undefined;
}

export function createPostgresDialect(options: PostgresDialectOptions): Dialect {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    types: { getTypeParser: numberFriendlyTypeParser },
  });
  const schema = options.schema;
  if (schema === undefined) return new PostgresDialect({ pool });
  assertSchemaName(schema);
  return new PostgresDialect({
    pool,
    onCreateConnection: (connection) => setSearchPath(connection, schema),
  });
}

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name: ${schema}`);
}

async function setSearchPath(connection: DatabaseConnection, schema: string): Promise<void> {
  await connection.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`));
}

// Our timestamps are epoch milliseconds in bigint columns: well inside Number's safe range.
function numberFriendlyTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === INT8_OID || oid === NUMERIC_OID) return Number;
  return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
}
