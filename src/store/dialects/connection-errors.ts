/**
 * How store errors are told apart when the database itself, not the query, is the problem: the
 * connection was lost (a restart, a failover, `pg_terminate_backend`, a network cut) or the storage
 * refuses writes (full disk, read-only files). Both dialects' shapes are recognised here so the
 * retry logic, the HTTP layer and the CLI agree on one answer.
 */

// PostgreSQL SQLSTATEs: class 08 (connection exception) and the 57P0x operator interventions.
const LOST_CODES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

const LOST_MESSAGES =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|Connection ended unexpectedly|terminating connection due to administrator command/i;

/** The query never reached the server: the client knew its connection was dead before sending. */
const NOT_SENT_MESSAGES = /not queryable/i;

// Writes refused by the storage: PostgreSQL disk_full / out of memory / read-only, SQLite FULL / READONLY / IOERR.
const STORAGE_CODES = new Set([
  '53100',
  '53200',
  '25006',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
]);
// node:sqlite's primary result codes (errcode & 0xff): READONLY, IOERR, FULL, CANTOPEN.
const SQLITE_STORAGE_ERRCODES = new Set([8, 10, 13, 14]);
const STORAGE_MESSAGES =
  /database or disk is full|attempt to write a readonly database|disk I\/O error|No space left on device|could not extend file/i;

function* chain(error: unknown): Generator<{ code?: unknown; errcode?: unknown; errstr?: unknown; message?: unknown }> {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    yield current as { code?: unknown; message?: unknown };
    current = (current as { cause?: unknown }).cause;
  }
}

/** True when the error says the connection to the database is gone (not that the query was wrong). */
export function isConnectionLost(error: unknown): boolean {
  for (const e of chain(error)) {
    if (typeof e.code === 'string' && LOST_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && LOST_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** A lost connection that the client noticed before sending: the statement certainly did not run. */
export function wasNeverSent(error: unknown): boolean {
  for (const e of chain(error)) {
    if (typeof e.message === 'string' && NOT_SENT_MESSAGES.test(e.message)) return true;
    if (e.code === 'ECONNREFUSED') return true;
  }
  return false;
}

/** True when the storage refused a write: disk full, read-only file or file system, an I/O error. */
export function isStorageUnwritable(error: unknown): boolean {
  for (const e of chain(error)) {
    if (typeof e.code === 'string' && STORAGE_CODES.has(e.code)) return true;
    if (e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number' && SQLITE_STORAGE_ERRCODES.has(e.errcode & 0xff))
      return true;
    if (typeof e.errstr === 'string' && STORAGE_MESSAGES.test(e.errstr)) return true;
    if (typeof e.message === 'string' && STORAGE_MESSAGES.test(e.message)) return true;
  }
  return false;
}
