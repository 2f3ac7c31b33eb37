import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Hono } from 'hono';
import type { AppContext } from '../../src/app-context.ts';
import { loadConfig } from '../../src/config.ts';
import { createApiToken, createOrganizationWithUser } from '../../src/http/auth.ts';
import { createHttpApp } from '../../src/http/app.ts';
import type { ApiRouter } from '../../src/http/api-router.ts';
import type { HttpEnv } from '../../src/http/env.ts';
import { createLogger } from '../../src/logger.ts';
import { routeModules, withConnectors } from '../../src/main.ts';
import type { EngineContext } from '../../src/flows/engine-context.ts';
import { Vault } from '../../src/secrets/vault.ts';
import type { Store } from '../../src/store/db.ts';

/** Everything a test needs to drive the real HTTP app in-process against a real store. */
export interface TestApp {
  ctx: EngineContext;
  app: Hono<HttpEnv>;
  router: ApiRouter;
  logLines: string[];
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** An organization with one user and an API token for it. */
  newTenant(
    name: string,
  ): Promise<{ tenantId: string; userId: string; token: string; email: string; password: string }>;
}

export function createTestApp(store: Store, overrides: Partial<AppContext> = {}): TestApp {
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const base: AppContext = {
    config: loadConfig({ LOG_LEVEL: 'info', PORT: '0', TRADELOOP_DATA_DIR: '/tmp/tradeloop-test-data' }),
    store,
    logger: createLogger('info', sink),
    vault: new Vault(randomBytes(32).toString('base64')),
    now: () => Date.now(),
    ...overrides,
  };
  const ctx = withConnectors(base);
  const { app, router } = createHttpApp(ctx, routeModules(ctx));
  let counter = 0;
  return {
    ctx,
    app,
    router,
    logLines,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.token) headers['authorization'] = `Bearer ${options.token}`;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] = 'application/json';
      }
      const response = await app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // Not JSON (the web app's HTML): keep the text.
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async newTenant(name) {
      counter++;
      const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${counter}-${randomBytes(3).toString('hex')}@example.test`;
      const password = 'correct horse battery';
      const created = await createOrganizationWithUser(ctx, { organization: name, email, name, password });
      const token = await createApiToken(ctx, created.tenantId, created.userId, 'test');
      return { ...created, token: token.token, email, password };
    },
  };
}
