import { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import type { EngineContext } from '../flows/engine-context.ts';
import { pendingMigrations } from '../store/migrations/index.ts';
import { ApiRouter } from './api-router.ts';
import { registerAuthRoutes, requireCaller } from './auth.ts';
import type { Caller, HttpEnv } from './env.ts';
import { isCorrelationId, newCorrelationId, withLogContext, withLogFields } from '../observability/context.ts';
import { errorHandler, notFoundHandler } from './errors.ts';
import { HttpMetrics, registerMetrics } from './metrics.ts';
import { LOGIN_BODY_LIMIT_BYTES, limitBody, refuseCrossSiteLogin, securityHeaders } from './security.ts';
import { dummyPasswordHash } from './auth.ts';
import * as storeProbes from '../store/repos/store-probes.ts';
import { freeBytes } from '../store/db.ts';

/** Below this, a SQLite store is not ready: the next writes may fail. */
const MIN_FREE_BYTES = 8 * 1024 * 1024;
import { registerJobRoutes } from './routes/jobs.ts';
import { mountWebApp } from './web-assets.ts';

export const webDistDir = resolve(import.meta.dirname, '../../web/dist');

/** Route modules added by later capabilities register here, all through the same ApiRouter. */
export type RouteModule = (ctx: AppContext, router: ApiRouter) => void;

export function createHttpApp(
  ctx: EngineContext,
  extraRoutes: RouteModule[] = [],
): { app: Hono<HttpEnv>; router: ApiRouter } {
  const app = new Hono<HttpEnv>();
  const router = new ApiRouter(app);
  const httpMetrics = new HttpMetrics(ctx.connectors.systems());
  app.use('*', httpMetrics.middleware());

  // One correlation id per request (the caller's X-Request-Id or X-Correlation-Id when it is a short token, else
  // a new one): on every log line of the request, on the jobs it queues, and answered in X-Request-Id.
  app.use('*', async (c, next) => {
    const given = [c.req.header('x-request-id'), c.req.header('x-correlation-id')].find(isCorrelationId);
    const requestId = given ?? newCorrelationId();
    c.set('requestId', requestId);
    const started = performance.now();
    await withLogContext({ correlationId: requestId }, next);
    c.header('x-request-id', requestId);
    c.header('x-correlation-id', requestId);
    if (c.req.path.startsWith('/api/') || c.req.path === '/ready') {
      const caller = c.get('caller') as Caller | undefined;
      ctx.logger.info(
        {
          event: 'http.request',
          correlationId: requestId,
          requestId,
          ...(caller ? { tenantId: caller.tenantId } : {}),
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    }
  });
  app.use('*', securityHeaders(ctx.config));
  app.onError(errorHandler(ctx.logger));
  app.notFound(notFoundHandler);
  // The smaller limit first: it answers before the default one reads anything.
  app.use('/api/auth/login', limitBody(LOGIN_BODY_LIMIT_BYTES), refuseCrossSiteLogin(ctx.config));
  app.use('*', limitBody(ctx.config.bodyLimitBytes));
  void dummyPasswordHash();

  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    try {
      await storeProbes.ping(ctx.store.db);
      const pending = await pendingMigrations(ctx.store);
      if (pending.length > 0) return c.json({ status: 'migrating', pending }, 503);
    } catch (error) {
      ctx.logger.warn({ err: error }, 'readiness check failed');
      return c.json({ status: 'unavailable', reason: 'database unreachable' }, 503);
    }
    // Reads can work while writes fail (full disk, read-only file or database): probe with a real write,
    // and on SQLite look at the disk too.
    try {
      const free = await freeBytes(ctx.store);
      if (free !== undefined && free < MIN_FREE_BYTES) {
        ctx.logger.error({ free, file: ctx.store.file }, 'readiness check: the disk is full');
        return c.json({ status: 'unavailable', reason: `disk full: ${Math.floor(free / 1024)} KB free` }, 503);
      }
      await storeProbes.write(ctx.store.db, 'ready', ctx.now());
    } catch (error) {
      ctx.logger.error({ err: error }, 'readiness check: the store refuses writes');
      return c.json({ status: 'unavailable', reason: 'database refuses writes (disk full or read-only?)' }, 503);
    }
    return c.json({ status: 'ready', database: ctx.store.dialect });
  });

  registerMetrics(app, ctx, httpMetrics);

  app.use('/api/*', requireCaller(ctx, router));
  // Every line an authenticated request logs from here on names its organization.
  app.use('/api/*', (c, next) => {
    const caller = c.get('caller') as Caller | undefined;
    return caller ? withLogFields({ tenantId: caller.tenantId }, next) : next();
  });
  router.route({
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    tag: 'meta',
    access: 'public',
    response: z.object({}).passthrough(),
    handler: () =>
      router.openApiDocument({ title: 'Tradeloop API', version: packageVersion(), serverUrl: ctx.config.publicUrl }),
  });
  registerAuthRoutes(ctx, router);
  registerJobRoutes(ctx, router);
  for (const register of extraRoutes) register(ctx, router);

  app.all('/api/*', notFoundHandler);
  mountWebApp(app, webDistDir);
  return { app, router };
}

let cachedVersion: string | undefined;
function packageVersion(): string {
  cachedVersion ??= (
    JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }
  ).version;
  return cachedVersion;
}
