import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { AppContext } from './app-context.ts';
import { loadConfig, type Config } from './config.ts';
import { createHttpApp, type RouteModule } from './http/app.ts';
import { createWorker, type JobHandler, type Worker } from './jobs/index.ts';
import { createLogger, type Logger } from './logger.ts';
import { Vault, loadOrCreateSecretKey } from './secrets/vault.ts';
import { openStore } from './store/db.ts';
import { migrateToLatest } from './store/migrations/index.ts';

/**
 * The composition root: the one place where store, vault, connectors, job handlers and HTTP are built
 * from the configuration and wired together. No DI container; every dependency is passed explicitly.
 */
export async function createContext(config: Config = loadConfig(), logger?: Logger): Promise<AppContext> {
  const log = logger ?? createLogger(config.logLevel);
  const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
  const secretKey = loadOrCreateSecretKey(config.secretKey, join(config.dataDir, 'secret.key'));
  const vault = new Vault(secretKey, config.previousSecretKeys);
  return { config, store, logger: log, vault, now: () => Date.now() };
}

export async function migrate(ctx: AppContext): Promise<string[]> {
  const applied = await migrateToLatest(ctx.store);
  if (applied.length > 0) ctx.logger.info({ applied }, 'migrations applied');
  return applied;
}

/** Route modules of every capability; each registers its routes on the shared ApiRouter. */
export function routeModules(): RouteModule[] {
  return [];
}

/** Job handlers of every capability, by task name. */
export function jobHandlers(_ctx: AppContext): Record<string, JobHandler> {
  return {};
}

export interface RunningHttp {
  url: string;
  close(): Promise<void>;
}

export function startHttp(ctx: AppContext): Promise<RunningHttp> {
  const { app } = createHttpApp(ctx, routeModules());
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: ctx.config.port, hostname: ctx.config.host }, (info: AddressInfo) => {
      resolve({
        url: `http://${ctx.config.host}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.on('error', reject);
  });
}

export function startWorker(ctx: AppContext): Worker {
  const worker = createWorker({
    store: ctx.store,
    handlers: jobHandlers(ctx),
    concurrency: ctx.config.workerConcurrency,
    logger: ctx.logger,
  });
  worker.start();
  return worker;
}
