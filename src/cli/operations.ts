import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadConfig, type Config } from '../config.ts';
import { AppError } from '../core/errors.ts';
import { backupSqlite, restoreSqlite, type BackupSummary } from '../store/backup.ts';
import { lockSqliteFile } from '../store/dialects/sqlite-lock.ts';

/** `tradeloop backup` and `tradeloop restore`: the embedded SQLite store; PostgreSQL points to pg_dump. */
export function registerOperationCommands(program: Command): void {
  program
    .command('backup <file>')
    .description('Copy the SQLite database to <file>, online (the server may keep running); PostgreSQL: use pg_dump')
    .action(async (file: string) => {
      const config = loadConfig();
      refuseOnPostgres(config, 'backup');
      const summary = await backupSqlite(config.sqliteFile, resolve(file));
      console.log(`Backed up ${config.sqliteFile} to ${summary.file}: ${describe(summary)}`);
      console.log(secretKeyReminder(config));
    });

  program
    .command('restore <file>')
    .description('Replace the SQLite database with a backup made by `tradeloop backup` (stop Tradeloop first)')
    .option('--replace', 'restore over an existing database (it is kept beside it as *.before-restore-<time>)')
    .action(async (file: string, options: { replace?: boolean }) => {
      const config = loadConfig();
      refuseOnPostgres(config, 'restore');
      // Restoring under a running server would pull the file from under it: the server's lock refuses.
      const lock = lockSqliteFile(config.sqliteFile, 'restore');
      try {
        const restored = await restoreSqlite(resolve(file), config.sqliteFile, { replace: options.replace ?? false });
        console.log(`Restored ${resolve(file)} into ${restored.file}: ${describe(restored)}`);
        if (restored.previous) console.log(`The database it replaced is kept as ${restored.previous}.`);
        console.log(secretKeyReminder(config));
        console.log('Start Tradeloop as usual; it applies any newer migrations to the restored database.');
      } finally {
        lock.release();
      }
    });
}

function refuseOnPostgres(config: Config, command: 'backup' | 'restore'): void {
  if (!config.databaseUrl) return;
  const how =
    command === 'backup'
      ? 'pg_dump --format=custom --file=<file> "$DATABASE_URL"'
      : 'pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" <file> (Tradeloop stopped)';
  throw new AppError(
    'USE_PG_TOOLS',
    `DATABASE_URL is set: on PostgreSQL, ${command} with PostgreSQL's own tools: ${how}. See README, "Backups and upgrades".`,
  );
}

function describe(summary: BackupSummary): string {
  const c = summary.counts;
  return `${c['wholesale_orders'] ?? 0} orders, ${c['exports'] ?? 0} exports, ${c['item_links'] ?? 0} item links, ${c['connections'] ?? 0} connections, ${c['users'] ?? 0} users (${Math.round(summary.bytes / 1024)} KB, migrations up to ${summary.migrations.at(-1) ?? 'none'})`;
}

function secretKeyReminder(config: Config): string {
  const where = config.secretKey ? 'TRADELOOP_SECRET_KEY' : `${config.dataDir}/secret.key`;
  return `Stored credentials are encrypted with the secret key (${where}), which is not in the backup: keep it safe separately, and give the restored data the same key, or every connection must be linked again.`;
}
