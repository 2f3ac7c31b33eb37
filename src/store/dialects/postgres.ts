import pg from 'pg';
import { CompiledQuery, PostgresDialect, PostgresDriver, sql } from 'kysely';
import type {
  DatabaseConnection,
  Dialect,
  Driver,
  PostgresDialectConfig,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import { isConnectionLost, wasNeverSent } from './connection-errors.ts';
import type { DialectFeatures } from './features.ts';

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Pauses before each new try of a statement or a connection after a connection loss (~1.5 s in all). */
const RETRY_DELAYS_MS = [0, 100, 400, 1_000];

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

/** What PostgresDriver hands out (kysely does not export its class). */
type PostgresConnection = Parameters<PostgresDriver['releaseConnection']>[0];

/** Told about connection errors that no query is waiting for (an idle pooled connection was cut). */
export type ConnectionErrorListener = (error: Error) => void;

export interface PostgresDialectOptions {
  connectionString: string;
  /** Every pooled connection uses this schema first (tests get one schema each). */
  schema?: string | undefined;
  poolSize?: number | undefined;
  onConnectionError?: ConnectionErrorListener | undefined;
}

export function createPostgresDialect(options: PostgresDialectOptions): Dialect {
  const onError = options.onConnectionError ?? (() => {});
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    // An unreachable host must fail in seconds, not after the kernel's TCP timeout; keep-alive notices a
    // peer that vanished without closing.
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    types: { getTypeParser: numberFriendlyTypeParser },
  });
  // Without these listeners a connection cut while idle (pg_terminate_backend, a database restart) is an
  // unhandled 'error' event, and Node ends the process. The pool drops the dead client by itself.
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  const schema = options.schema;
  if (schema !== undefined) assertSchemaName(schema);
  return new ResilientPostgresDialect({
    pool,
    ...(schema === undefined ? {} : { onCreateConnection: (connection) => setSearchPath(connection, schema) }),
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

class ResilientPostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;

  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ResilientPostgresDriver(this.#config);
  }
}

/**
 * Survives a lost connection where that is safe. Getting a connection is retried (the server may be
 * restarting). A statement outside a transaction is tried again on a fresh connection when it could not
 * have changed anything: a read, or a statement the client never sent. Inside a transaction nothing is
 * repeated here: the whole transaction is, by the store (src/store/db.ts), when it was lost before COMMIT.
 */
class ResilientPostgresDriver extends PostgresDriver {
  override async acquireConnection(): Promise<DatabaseConnection> {
    return new ResilientConnection(this, await this.acquireInner());
  }

  async acquireInner(): Promise<DatabaseConnection> {
    return withRetries(
      () => super.acquireConnection(),
      (error) => isConnectionLost(error),
    );
  }

  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    (connection as ResilientConnection).inTransaction = true;
    await super.beginTransaction(connection, settings);
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.commitTransaction(connection);
    } finally {
      (connection as ResilientConnection).inTransaction = false;
    }
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } finally {
      (connection as ResilientConnection).inTransaction = false;
    }
  }

  override async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const resilient = connection as ResilientConnection;
    // pg's pool drops a client that errored (it is no longer queryable) instead of reusing it.
    if (resilient.inner) await super.releaseConnection(resilient.inner as PostgresConnection);
    resilient.inner = null;
  }

  /** Gives back a connection that failed and takes a fresh one in its place. */
  async replace(connection: ResilientConnection): Promise<DatabaseConnection> {
    if (connection.inner) await super.releaseConnection(connection.inner as PostgresConnection);
    connection.inner = null;
    connection.inner = await this.acquireInner();
    return connection.inner;
  }
}

class ResilientConnection implements DatabaseConnection {
  inTransaction = false;
  readonly driver: ResilientPostgresDriver;
  /** Null between giving back a failed connection and getting its replacement. */
  inner: DatabaseConnection | null;

  constructor(driver: ResilientPostgresDriver, inner: DatabaseConnection) {
    this.driver = driver;
    this.inner = inner;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    let first = true;
    return withRetries(
      async () => {
        const connection = first && this.inner ? this.inner : await this.driver.replace(this);
        first = false;
        return connection.executeQuery<R>(query);
      },
      (error) => !this.inTransaction && isConnectionLost(error) && (wasNeverSent(error) || isReadOnly(query)),
    );
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    if (!this.inner) throw new Error('the connection was lost and could not be replaced');
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

function isReadOnly(query: CompiledQuery): boolean {
  if (query.query.kind === 'SelectQueryNode') return true;
  return query.query.kind === 'RawNode' && /^\s*select\b/i.test(query.sql) && !/\bfor\s+update\b/i.test(query.sql);
}

async function withRetries<T>(attempt: () => Promise<T>, retryable: (error: unknown) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      const delay = RETRY_DELAYS_MS[i + 1];
      if (delay === undefined || !retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
