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
import { lightspeedR } from './connectors/lightspeed-r/index.ts';
import { lightspeedX } from './connectors/lightspeed-x/index.ts';
import { netsuite } from './connectors/netsuite/index.ts';
import { nuorder } from './connectors/nuorder/index.ts';
import type { ConnectorManifest } from './core/ports/connection.ts';
import { createConnectorRegistry } from './flows/port-registry.ts';
import type { EngineContext } from './flows/engine-context.ts';
import { runHousekeeping } from './flows/housekeeping.ts';
import { exportSaga } from './flows/export/saga.ts';
import { enqueueScheduledWork, exportEngineHandlers } from './flows/tasks.ts';
import { amendmentRoutes } from './http/routes/amendments.ts';
import { connectionRoutes } from './http/routes/connections.ts';
import { exportEngineRoutes } from './http/routes/export-engine.ts';
import { forecastRoutes } from './http/routes/forecast.ts';
import { itemLinkRoutes } from './http/routes/item-links.ts';
import { reorderRoutes } from './http/routes/reorder.ts';
import { mappingRoutes } from './http/routes/mappings.ts';
import { pricingRoutes } from './http/routes/pricing.ts';
import { webSupportRoutes } from './http/routes/web-support.ts';
import { salesRoutes } from './http/routes/sales.ts';
import { doctorRoutes } from './http/routes/doctor.ts';
import { ensureSalesSchedules, salesJobHandlers } from './flows/sales/jobs.ts';
import { receivingHandlers } from './flows/receiving/tasks.ts';
import { receivingRoutes } from './http/routes/receiving.ts';

/**
 * The composition root: the one place where store, vault, connectors, job handlers and HTTP are built
 * from the configuration and wired together. No DI container; every dependency is passed explicitly.
 */
export async function createContext(config: Config = loadConfig(), logger?: Logger): Promise<EngineContext> {
  const log = logger ?? createLogger(config.logLevel);
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    sqliteFile: config.sqliteFile,
    onConnectionError: (error) => log.warn({ err: error }, 'a database connection was lost; it will be replaced'),
  });
  const secretKey = loadOrCreateSecretKey(config.secretKey, join(config.dataDir, 'secret.key'));
  const vault = new Vault(secretKey, config.previousSecretKeys);
  return withConnectors({ config, store, logger: log, vault, now: () => Date.now() });
}

/** Every connector, by its folder's manifest: adding a system is its folder and one entry here. */
export const connectorManifests: readonly ConnectorManifest[] = [nuorder, lightspeedX, lightspeedR, netsuite];

/** Adds the connector registry (ports opened from stored connections) to a context. */
export function withConnectors(
  ctx: AppContext,
  manifests: readonly ConnectorManifest[] = connectorManifests,
): EngineContext {
  return { ...ctx, connectors: createConnectorRegistry(ctx, manifests) };
}

export async function migrate(ctx: AppContext): Promise<string[]> {
  const applied = await migrateToLatest(ctx.store);
  if (applied.length > 0) ctx.logger.info({ applied }, 'migrations applied');
  return applied;
}

/** Route modules of every capability; each registers its routes on the shared ApiRouter. */
export function routeModules(ctx: EngineContext): RouteModule[] {
  return [
    connectionRoutes(ctx),
    doctorRoutes(ctx),
    exportEngineRoutes(ctx),
    amendmentRoutes(ctx),
    salesRoutes(ctx),
    webSupportRoutes(ctx),
    pricingRoutes(ctx),
    mappingRoutes(ctx),
    forecastRoutes(ctx),
    receivingRoutes(ctx),
    itemLinkRoutes(ctx),
    reorderRoutes(ctx),
  ];
}

/** Job handlers of every capability, by task name. */
export function jobHandlers(ctx: EngineContext): Record<string, JobHandler> {
  const handlers = { ...exportEngineHandlers(ctx), ...salesJobHandlers(ctx), ...receivingHandlers(ctx) };
  // Exports are limited per worker process too (besides two per POS account): each can hold a large plan, and
  // throughput grows with worker processes rather than with one process's queue.
  const apply = handlers[exportSaga.task.name];
  if (apply) handlers[exportSaga.task.name] = { ...apply, workerConcurrency: ctx.config.exportsPerWorker };
  return handlers;
}

export interface RunningHttp {
  url: string;
  close(): Promise<void>;
}

export function startHttp(ctx: EngineContext): Promise<RunningHttp> {
  const { app } = createHttpApp(ctx, routeModules(ctx));
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port: ctx.config.port, hostname: ctx.config.host },
      (info: AddressInfo) => {
        resolve({
          url: `http://${ctx.config.host}:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            }),
        });
      },
    );
    server.on('error', reject);
  });
}

export interface RunningWorker {
  worker: Worker;
  stop(graceMs: number): Promise<void>;
}

/** The job worker, plus the recurring work (order polls, catalog refreshes) every worker enqueues idempotently. */
export function startWorker(ctx: EngineContext, options: { pollMs?: number } = {}): RunningWorker {
  const worker = createWorker({
    store: ctx.store,
    handlers: jobHandlers(ctx),
    concurrency: ctx.config.workerConcurrency,
    logger: ctx.logger,
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
  });
  worker.start();
  const schedule = (): void => {
    enqueueScheduledWork(ctx, ctx.config.orderPollMs).catch((error: unknown) =>
      ctx.logger.warn({ err: error }, 'scheduling recurring work failed'),
    );
    ensureSalesSchedules(ctx).catch((error: unknown) =>
      ctx.logger.warn({ err: error }, 'scheduling the sales sync failed'),
    );
  };
  // Housekeeping hourly per worker process (idempotent deletes: several workers doing it is harmless).
  let lastHousekeeping = Number.NEGATIVE_INFINITY;
  const housekeeping = (): void => {
    if (ctx.now() - lastHousekeeping < 3_600_000) return;
    lastHousekeeping = ctx.now();
    runHousekeeping(ctx.store.db, ctx.now()).catch((error: unknown) =>
      ctx.logger.warn({ err: error }, 'housekeeping failed'),
    );
  };
  schedule();
  housekeeping();
  const timer = setInterval(
    () => {
      schedule();
      housekeeping();
    },
    Math.min(30_000, ctx.config.orderPollMs),
  );
  return {
    worker,
    stop: async (graceMs) => {
      clearInterval(timer);
      await worker.stop({ graceMs });
    },
  };
}
