import { loadConfig, type Config } from '../config.ts';
import { isConnectionLost } from '../store/db.ts';
import { StoreLockedError } from '../store/dialects/sqlite-lock.ts';

/**
 * What an operator needs to read when a command cannot start: one line that names the cause and the
 * way out, instead of a stack trace. Undefined: not a known start-up failure (a bug), keep the stack.
 */
export function describeFatalError(error: unknown, config: Config | undefined = safeConfig()): string | undefined {
  if (error instanceof StoreLockedError) return error.message;
  const e = error as NodeJS.ErrnoException & { errcode?: number; port?: number; address?: string; errstr?: string };
  if (typeof e !== 'object' || e === null) return undefined;
  if (e.code === 'EADDRINUSE')
    return `Port ${e.port ?? config?.port ?? '?'} on ${e.address ?? config?.host ?? '?'} is already in use by another program: stop it, or choose another port (PORT or --port)`;
  if (e.code === 'EACCES' && e.syscall === 'listen')
    return `Not allowed to listen on port ${e.port ?? config?.port ?? '?'}: ports below 1024 need privileges; choose another port (PORT or --port)`;
  if (config?.databaseUrl && (isConnectionLost(error) || isPostgresRefusal(e)))
    return `Cannot reach the PostgreSQL database at ${describeDatabase(config.databaseUrl)} (${reason(e)}): check DATABASE_URL and that the server is running`;
  if (e.code === 'ERR_SQLITE_ERROR' && (e.errcode === 26 || (e.errcode ?? 0) % 256 === 11))
    return `The SQLite file ${config?.sqliteFile ?? ''} is damaged or is not a Tradeloop database (${reason(e)}): move it away and restore a backup (tradeloop restore <file>)`;
  if (isUnwritable(e)) {
    const where = e.path ?? config?.dataDir ?? 'the data directory';
    const why = e.code === 'ENOENT' ? 'it cannot be created' : reason(e);
    return `Cannot write to ${where} (${why}): check TRADELOOP_DATA_DIR (${config?.dataDir ?? 'data'}), its permissions, and that the disk is neither full nor read-only`;
  }
  return undefined;
}

function isUnwritable(e: NodeJS.ErrnoException & { errcode?: number }): boolean {
  if (['EACCES', 'EROFS', 'EPERM', 'ENOSPC', 'ENOTDIR'].includes(e.code ?? '')) return true;
  // A recursive mkdir on a read-only file system reports ENOENT.
  if (e.code === 'ENOENT' && e.syscall === 'mkdir') return true;
  // SQLite READONLY, CANTOPEN, FULL, IOERR (primary codes).
  return e.code === 'ERR_SQLITE_ERROR' && [8, 14, 13, 10].includes((e.errcode ?? 0) % 256);
}

/** Refusals by a reachable server that still mean "cannot use the database": auth, unknown database or role. */
function isPostgresRefusal(e: { code?: string }): boolean {
  return ['28P01', '28000', '3D000', 'ENOTFOUND'].includes(e.code ?? '');
}

function reason(e: { code?: string; message?: string; errstr?: string }): string {
  const text = (e.errstr ?? e.message ?? '').split('\n')[0]?.trim() ?? '';
  if (text === '' && e.code) return e.code;
  return e.code && !text.includes(e.code) && !e.code.startsWith('ERR_') ? `${e.code}: ${text}` : text;
}

/** host:port/database, without the credentials. */
function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

function safeConfig(): Config | undefined {
  try {
    return loadConfig();
  } catch {
    return undefined;
  }
}
