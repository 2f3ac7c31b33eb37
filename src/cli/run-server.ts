import { loadConfig } from '../config.ts';
import { createContext, migrate, startHttp, startWorker, type RunningHttp, type RunningWorker } from '../main.ts';
import { printDemoWelcome, seedDemoUser, startDemo, type DemoSimulators } from '../demo.ts';
import { lockSqliteFile, type SqliteLock } from '../store/dialects/sqlite-lock.ts';
import { requireWebBuild } from './web-build.ts';

interface RunOptions {
  http: boolean;
  worker: boolean;
  demo: boolean;
  port: number | undefined;
}

/** Runs until SIGINT/SIGTERM, then stops taking work, lets running jobs finish (or releases them), and exits. */
export async function runServer(options: RunOptions): Promise<void> {
  let config = loadConfig(process.env, options.port === undefined ? {} : { port: options.port });
  // Before anything is locked or started, so a missing build leaves nothing behind.
  if (options.http) await requireWebBuild({ buildIfMissing: options.worker });
  // SQLite has one writer: a second server or worker on the same file is refused before it starts anything.
  const lock: SqliteLock | undefined = config.databaseUrl
    ? undefined
    : lockSqliteFile(config.sqliteFile, commandName(options));
  let demo: DemoSimulators | undefined;
  if (options.demo) {
    demo = await startDemo(config);
    config = { ...config, providers: demo.providers };
  }
  const ctx = await createContext(config);
  if (demo) ctx.demoHints = demo.hints;
  await migrate(ctx);
  if (demo) await seedDemoUser(ctx);

  const http: RunningHttp | undefined = options.http ? await startHttp(ctx) : undefined;
  const worker: RunningWorker | undefined = options.worker ? startWorker(ctx) : undefined;

  if (http) ctx.logger.info({ url: http.url }, 'Tradeloop is listening');
  if (demo && http) printDemoWelcome(config.publicUrl, demo);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, 'shutting down');
    await http?.close();
    await worker?.stop(20_000);
    await demo?.close();
    await ctx.store.close();
    lock?.release();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

function commandName(options: RunOptions): string {
  if (options.http && options.worker) return options.demo ? 'start --demo' : 'start';
  return options.http ? 'serve' : 'worker';
}
