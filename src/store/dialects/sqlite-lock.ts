import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/**
 * One process per SQLite file: SQLite has a single writer, and two servers or workers on one file
 * would fight over it (and double the scheduled work). A lock file next to the database holds the
 * owner's pid and host; a lock whose process is gone (killed, crashed) is stale and taken over.
 */
export interface SqliteLock {
  readonly file: string;
  release(): void;
}

interface Holder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export class StoreLockedError extends Error {
  readonly lockFile: string;
  readonly holder: Holder | undefined;

  constructor(databaseFile: string, lockFile: string, holder: Holder | undefined) {
    const who = holder
      ? `pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`}, \`tradeloop ${holder.command}\` since ${holder.since}`
      : 'unknown';
    const remedy =
      holder && holder.host !== hostname()
        ? `; if that process is gone, delete ${lockFile}`
        : '; stop it first (several processes need PostgreSQL: DATABASE_URL)';
    super(`Another Tradeloop process (${who}) is using the SQLite database ${databaseFile}${remedy}`);
    this.name = 'StoreLockedError';
    this.lockFile = lockFile;
    this.holder = holder;
  }
}

export function lockFileOf(databaseFile: string): string {
  return `${databaseFile}.lock`;
}

/** Takes the lock or throws StoreLockedError naming the process that holds it. */
export function lockSqliteFile(databaseFile: string, command: string): SqliteLock {
  const lockFile = lockFileOf(databaseFile);
  mkdirSync(dirname(lockFile), { recursive: true });
  const mine: Holder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  const content = `${JSON.stringify(mine)}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(lockFile, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockFile);
      if (holder === 'unreadable' || (holder !== undefined && isAlive(holder)))
        throw new StoreLockedError(databaseFile, lockFile, holder === 'unreadable' ? undefined : holder);
      removeQuietly(lockFile);
      continue;
    }
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    const release = (): void => {
      process.off('exit', release);
      if (readFileQuietly(lockFile) === content) removeQuietly(lockFile);
    };
    process.on('exit', release);
    return { file: lockFile, release };
  }
  throw new StoreLockedError(databaseFile, lockFile, undefined);
}

/**
 * Undefined: no usable holder, so the lock is stale. A garbled file is stale too, unless it is seconds
 * old: then its owner may be writing it right now ('unreadable').
 */
function readHolder(lockFile: string): Holder | undefined | 'unreadable' {
  const text = readFileQuietly(lockFile);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string')
      return {
        pid: parsed.pid,
        host: parsed.host,
        command: String(parsed.command ?? '?'),
        since: String(parsed.since ?? '?'),
      };
  } catch {
    // Falls through to the age check.
  }
  try {
    return Date.now() - statSync(lockFile).mtimeMs < 5_000 ? 'unreadable' : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(holder: Holder): boolean {
  // Another machine's process cannot be checked from here (a shared volume): assume it runs.
  if (holder.host !== hostname()) return true;
  // Our own pid in the file is a previous run's (a container restarts with the same pid).
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readFileQuietly(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone: another process took over the stale lock first, and the next open tells.
  }
}
