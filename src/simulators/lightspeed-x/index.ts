/**
 * The Lightspeed Retail X-Series simulator. See docs/simulators/lightspeed-x.md.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { SimClock } from '../shared/clock.ts';
import { mountControl, loadSnapshot, SimInputError, type SimulatorControl } from '../shared/control.ts';
import { FaultBook, faultMiddleware } from '../shared/faults.ts';
import { buildScenario, isScenarioName, scenarioOptions, type ScenarioOptions } from '../shared/scenario.ts';
import { configRef, mountApi } from './api.ts';
import { mountBackOffice } from './backoffice.ts';
import { applyConfig, configPatch, defaultConfig, type XConfig } from './config.ts';
import { XDb } from './db.ts';
import { checkBearer, invalidToken, mintTokens, mountOAuth } from './oauth.ts';
import { stateFromScenario } from './seed.ts';
import { emptyState, type XState } from './state.ts';
import { WebhookDispatcher } from './webhooks.ts';

export type Simulator = SimulatorControl & { app: Hono };

export interface LightspeedXOptions {
  clock?: SimClock;
  snapshotFile?: string;
  publicUrl?: string;
  /** Registers seeded per scenario (alternating between the two outlets); also drives the rate limit. Default 2. */
  registers?: number;
  config?: Partial<Omit<XConfig, 'rateLimit'>> & { rateLimit?: Partial<XConfig['rateLimit']> };
}

export type LightspeedXSimulator = Simulator & {
  db: XDb;
  webhooks: WebhookDispatcher;
  config(): XConfig;
};

export function createLightspeedXSimulator(options: LightspeedXOptions = {}): LightspeedXSimulator {
  const clock = options.clock ?? new SimClock();
  const faults = new FaultBook();
  const db = new XDb(clock);
  const seedRegisters = options.registers ?? 2;
  const initialConfig = (): XConfig => applyConfig(defaultConfig(), configPatch.parse(options.config ?? {}));
  let config = initialConfig();
  configRef.consignmentListEnvelope = () => config.consignmentListEnvelope;
  const hooks = new WebhookDispatcher(
    db,
    (id) => config.clients.find((c) => c.client_id === id)?.client_secret,
    () => config.webhookTimeoutMs,
  );
  let window = { start: 0, count: 0 };

  const limit = (): number => {
    if (config.rateLimit.limit !== null) return config.rateLimit.limit;
    const registers =
      config.registers ?? Math.max(1, db.registers.values().filter((r) => r.deleted_at === null).length);
    return config.rateLimit.perRegister * registers + config.rateLimit.base;
  };
  const windowMs = (): number => config.rateLimit.windowSeconds * 1000;
  const retryAfterDate = (ms: number): string => new Date(Math.ceil(ms / 1000) * 1000).toUTCString();
  /** §6: 429 with `Retry-After` as an RFC 1123 date and the current body. */
  const tooMany = (c: Context, untilMs: number): Response =>
    c.json({ error: 'Too Many Requests', message: 'Rate limiting enforced' }, 429, {
      'Retry-After': retryAfterDate(untilMs),
      'X-RateLimit-Limit': String(limit()),
      'X-RateLimit-Remaining': '0',
    });

  const app = new Hono();
  const clientOf = (c: Context): string | null => (c.get('lsxClient' as never) as string | undefined) ?? null;

  const faultGate = faultMiddleware(faults, {
    rateLimited: (c, seconds) => tooMany(c, clock.now() + seconds * 1000),
    tokenExpired: (c) => invalidToken(c),
  });
  app.use('/api/*', faultGate);
  app.use('/connect', faultGate);

  // Bearer tokens on every API path but the token endpoint; then the per-store rate limit (§6).
  app.use('/api/*', async (c, next) => {
    if (c.req.path === '/api/1.0/token') return next();
    const token = checkBearer(db, c.req.header('authorization'));
    if (!token) return invalidToken(c);
    c.set('lsxClient' as never, token.client_id as never);
    if (config.rateLimit.enabled) {
      const now = clock.now();
      const start = Math.floor(now / windowMs()) * windowMs();
      if (window.start !== start) window = { start, count: 0 };
      window.count++;
      if (window.count > limit()) return tooMany(c, start + windowMs());
      await next();
      c.res.headers.set('X-RateLimit-Limit', String(limit()));
      c.res.headers.set('X-RateLimit-Remaining', String(Math.max(0, limit() - window.count)));
      return;
    }
    return next();
  });

  mountOAuth(app, db, () => config);
  mountApi(app, db, hooks, clientOf, { addVariantReply: () => config.addVariantReply });

  const sim: LightspeedXSimulator = {
    system: 'lightspeed-x',
    clock,
    faults,
    app,
    db,
    webhooks: hooks,
    config: () => config,
    reset() {
      db.load(emptyState());
      config = initialConfig();
      window = { start: 0, count: 0 };
      hooks.deliveries.length = 0;
    },
    seedScenario(name: string, overrides: Record<string, unknown>) {
      if (!isScenarioName(name)) throw new SimInputError(`Unknown scenario "${name}" (demo, small, large)`);
      const { registers, ...rest } = overrides;
      const scenario = buildScenario(scenarioOptions(name, rest as Partial<ScenarioOptions>));
      const state = stateFromScenario(scenario, {
        registers: typeof registers === 'number' ? registers : seedRegisters,
      });
      // Tokens and webhooks survive a re-seed so a connected client stays connected.
      state.oauth = db.oauth;
      state.webhooks = db.webhooks;
      db.load(state);
      return { summary: summary(db) };
    },
    seedData(data: unknown) {
      const parsed = seedDataSchema.safeParse(data);
      if (!parsed.success)
        throw new SimInputError('Expected {"state": <a full state>} or partial collections', parsed.error.issues);
      const current = db.exportState();
      const merged = { ...current } as Record<string, unknown>;
      for (const [key, value] of Object.entries(parsed.data)) {
        if (Array.isArray(value))
          merged[key] = [...((current as unknown as Record<string, unknown[]>)[key] ?? []), ...value];
      }
      const state = merged as unknown as XState;
      for (const list of collectionsOf(state))
        for (const r of list) state.lastVersion = Math.max(state.lastVersion, (r as { version?: number }).version ?? 0);
      db.load(state);
      return { summary: summary(db) };
    },
    exportState() {
      return { ...db.exportState(), config };
    },
    importState(state: unknown) {
      if (!isState(state)) throw new SimInputError('Not an X-Series simulator state');
      const { config: saved, ...rest } = state as XState & { config?: XConfig };
      db.load(rest);
      if (saved) config = saved;
    },
  };

  mountControl(app, sim, options.snapshotFile);

  app.get('/_sim/config', (c) => c.json(config));
  app.put('/_sim/config', async (c) => {
    const text = await c.req.text();
    const patch = configPatch.parse(text.trim() ? JSON.parse(text) : {});
    config = applyConfig(config, patch);
    return c.json(config);
  });
  app.post('/_sim/tokens', async (c) => {
    const text = await c.req.text();
    const body = z
      .object({
        client_id: z.string().optional(),
        scope: z.string().default(''),
        expires_in: z.number().int().min(1).optional(),
      })
      .parse(text.trim() ? JSON.parse(text) : {});
    const clientId = body.client_id ?? (config.clients[0]?.client_id as string);
    if (!config.clients.some((x) => x.client_id === clientId)) throw new SimInputError(`Unknown client_id ${clientId}`);
    return c.json(mintTokens(db, config, clientId, body.scope, body.expires_in), 201);
  });
  app.get('/_sim/webhooks', (c) => c.json({ webhooks: db.webhooks, deliveries: hooks.deliveries }));

  mountBackOffice(app, db, hooks, options.publicUrl);

  app.notFound((c) =>
    c.req.path.startsWith('/api/') ? c.json({ error: 'Not Found' }, 404) : c.text('Not Found', 404),
  );

  if (options.snapshotFile) loadSnapshot(sim, options.snapshotFile);
  return sim;
}

const seedDataSchema = z
  .object({
    outlets: z.array(z.unknown()),
    registers: z.array(z.unknown()),
    suppliers: z.array(z.unknown()),
    brands: z.array(z.unknown()),
    products: z.array(z.unknown()),
    inventory: z.array(z.unknown()),
    consignments: z.array(z.unknown()),
    consignmentLines: z.array(z.unknown()),
    sales: z.array(z.unknown()),
  })
  .partial()
  .strict();

function collectionsOf(state: XState): unknown[][] {
  return [
    state.outlets,
    state.registers,
    state.suppliers,
    state.brands,
    state.products,
    state.inventory,
    state.consignments,
    state.consignmentLines,
    state.sales,
  ];
}

function isState(value: unknown): value is XState {
  return (
    typeof value === 'object' &&
    value !== null &&
    'retailer' in value &&
    'products' in value &&
    Array.isArray((value as XState).products)
  );
}

function summary(db: XDb): Record<string, number> {
  const products = db.products.values();
  return {
    outlets: db.outlets.size,
    registers: db.registers.size,
    suppliers: db.suppliers.size,
    brands: db.brands.size,
    products: products.length,
    families: db.families.size,
    inactiveProducts: products.filter((p) => !p.is_active).length,
    inventoryRecords: db.inventory.size,
    consignments: db.consignments.size,
    sales: db.sales.size,
  };
}
