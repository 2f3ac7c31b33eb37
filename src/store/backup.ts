import { backup, DatabaseSync } from 'node:sqlite';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../core/errors.ts';
import { migrations } from './migrations/index.ts';

/**
 * SQLite backup and restore through SQLite's online backup API (node:sqlite `backup`): a consistent
 * copy taken page by page while the server keeps running, WAL included. PostgreSQL has pg_dump and
 * pg_restore for this (README, "Backups").
 */

/** What a backup holds, counted, so an operator can see at a glance that it is the right one. */
export interface BackupSummary {
  file: string;
  bytes: number;
  migrations: string[];
  counts: Record<string, number>;
}

const COUNTED_TABLES = ['organizations', 'users', 'connections', 'wholesale_orders', 'exports', 'item_links'];

export async function backupSqlite(databaseFile: string, targetFile: string): Promise<BackupSummary> {
  if (!existsSync(databaseFile))
    throw new AppError('NO_DATABASE', `There is no database at ${databaseFile} to back up`);
  if (existsSync(targetFile))
    throw new AppError('BACKUP_EXISTS', `${targetFile} already exists; choose a new file name`);
  mkdirSync(dirname(targetFile), { recursive: true });
  const partial = `${targetFile}.partial`;
  rmSync(partial, { force: true });
  const source = new DatabaseSync(databaseFile);
  try {
    source.exec('PRAGMA busy_timeout = 5000');
    await backup(source, partial);
  } finally {
    source.close();
  }
  const summary = inspect(partial);
  renameSync(partial, targetFile);
  return { ...summary, file: targetFile };
}

/**
 * Replaces (or creates) the database file with the backup's content. The backup is checked first: an
 * intact SQLite file, a Tradeloop store, made by this version or an older one (migrations only go
 * forward: a newer backup needs a newer Tradeloop). An existing database is kept beside it.
 */
export async function restoreSqlite(
  backupFile: string,
  databaseFile: string,
  options: { replace: boolean; now?: number },
): Promise<BackupSummary & { previous: string | undefined }> {
  if (!existsSync(backupFile)) throw new AppError('BACKUP_NOT_FOUND', `There is no backup file at ${backupFile}`);
  const summary = inspect(backupFile);
  if (existsSync(databaseFile) && !options.replace)
    throw new AppError(
      'DATABASE_EXISTS',
      `There is already a database at ${databaseFile}; add --replace to restore over it (it is kept beside it)`,
    );
  mkdirSync(dirname(databaseFile), { recursive: true });
  const incoming = `${databaseFile}.restoring`;
  rmSync(incoming, { force: true });
  const source = new DatabaseSync(backupFile, { readOnly: true });
  try {
    await backup(source, incoming);
  } finally {
    source.close();
  }
  let previous: string | undefined;
  if (existsSync(databaseFile)) {
    previous = `${databaseFile}.before-restore-${new Date(options.now ?? Date.now()).toISOString().replace(/[:.]/g, '-')}`;
    renameSync(databaseFile, previous);
    // The old file's WAL belongs to it: left in place, SQLite would replay it into the restored file.
    for (const suffix of ['-wal', '-shm'])
      if (existsSync(databaseFile + suffix)) renameSync(databaseFile + suffix, previous + suffix);
  }
  renameSync(incoming, databaseFile);
  return { ...summary, file: databaseFile, previous };
}

/** Checks a backup file and counts what it holds; throws a clear AppError when it is not a usable store. */
export function inspect(file: string): BackupSummary {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { readOnly: true });
  } catch (error) {
    throw notABackup(file, error);
  }
  try {
    const integrity = db.prepare('PRAGMA integrity_check').get() as { integrity_check?: string } | undefined;
    if (integrity?.integrity_check !== 'ok') throw notABackup(file, new Error(String(integrity?.integrity_check)));
    const tables = new Set(
      (db.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>).map(
        (r) => r.name,
      ),
    );
    if (!tables.has('tradeloop_migrations')) throw notABackup(file, new Error('no Tradeloop tables'));
    const applied = (
      db.prepare('select name from tradeloop_migrations order by name').all() as Array<{ name: string }>
    ).map((r) => r.name);
    const unknown = applied.filter((name) => !(name in migrations));
    if (unknown.length > 0)
      throw new AppError(
        'BACKUP_TOO_NEW',
        `${file} was made by a newer Tradeloop (migrations ${unknown.join(', ')}); upgrade Tradeloop first, then restore`,
      );
    const counts: Record<string, number> = {};
    for (const table of COUNTED_TABLES) {
      if (!tables.has(table)) continue;
      const row = db.prepare(`select count(*) as n from "${table}"`).get() as { n: number };
      counts[table] = Number(row.n);
    }
    return { file, bytes: statSync(file).size, migrations: applied, counts };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw notABackup(file, error);
  } finally {
    db.close();
  }
}

function notABackup(file: string, cause: unknown): AppError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new AppError('NOT_A_BACKUP', `${file} is not a Tradeloop SQLite backup (${reason})`, { cause });
}
