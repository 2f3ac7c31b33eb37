import { Hono } from 'hono';
import { z } from 'zod';
import { SimClock } from '../shared/clock.ts';
import { mountControl, SimInputError, type SimulatorControl } from '../shared/control.ts';
import { FaultBook, faultMiddleware, type FaultResponders } from '../shared/faults.ts';
import { apiErrorResponse, mountApi, rateLimitedResponse, serializeItem, serializeOrder } from './api.ts';
import { mountBackOffice } from './backoffice.ts';
import { Core, defaultConfig, knownScopes, type RConfig } from './core.ts';
import type { ExportedState, OAuthClient } from './model.ts';
import { accessDenied, mountOAuth } from './oauth.ts';
import { ApiError } from './query.ts';
import { checkInOrder, mergeItems } from './records.ts';
import { seedData, seedScenario } from './seed.ts';

export type LightspeedRSimulator = SimulatorControl & { app: Hono; core: Core };

export interface LightspeedRSimulatorOptions {
  clock?: SimClock;
  /** File for `POST /_sim/snapshot` (loading it at start is the caller's job: shared `loadSnapshot`). */
  snapshotFile?: string;
  /** Base of the `@attributes.next/previous` URLs; defaults to the request's own origin. */
  publicUrl?: string;
  /** The account id (default `83050`). */
  accountId?: string;
  bucketSize?: number;
  dripRatePerSecond?: number;
  costModel?: 'legacy' | 'current';
  /** The burst limiter (default on) and its requests per second (default: 2/9 of the bucket size, 20 for 90). */
  burstLimiter?: boolean;
  burstLimit?: number | null;
  accessTokenLifetimeSeconds?: number;
  refreshTokenLifetimeSeconds?: number;
  codeLifetimeSeconds?: number;
  /** OAuth clients (default: one, `tradeloop-sim-client` / `tradeloop-sim-secret`, any http(s) redirect URI). */
  clients?: OAuthClient[];
}

const clientSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectUri: z.string().url().nullable().default(null),
  name: z.string().default('OAuth client'),
});

const configBody = z
  .object({
    bucketSize: z.number().positive(),
    dripRate: z.number().positive(),
    dripRatePerSecond: z.number().positive(),
    costModel: z.enum(['legacy', 'current']),
    readCost: z.number().min(0),
    writeCost: z.number().min(0),
    burstLimiter: z.boolean(),
    burstLimit: z.number().int().positive().nullable(),
    accessTokenLifetimeSeconds: z.number().int().positive(),
    refreshTokenLifetimeSeconds: z.number().int().positive(),
    codeLifetimeSeconds: z.number().int().positive(),
    clients: z.array(clientSchema).min(1),
    /** Empties the bucket(s) now. */
    resetBuckets: z.boolean(),
  })
  .partial()
  .strict();

const tokensBody = z
  .object({
    clientId: z.string().optional(),
    scope: z.string().optional(),
    expiresInSeconds: z.number().int().positive().optional(),
  })
  .strict();

const mergeBody = z
  .object({ keepItemID: z.coerce.number().int().positive(), mergeItemID: z.coerce.number().int().positive() })
  .strict();

const checkInBody = z
  .object({
    lines: z
      .array(z.object({ orderLineID: z.number().int().positive(), quantity: z.number().int().min(0) }))
      .optional(),
    finish: z.boolean().default(false),
    /** The receipt's packing slip or reference (OrderShipment `shipmentPackingRefNum`). */
    packingRefNum: z.string().default(''),
  })
  .strict();

/**
 * A local Lightspeed Retail R-Series (API V3): OAuth 2 authorization server, the resource server under
 * `/API/V3/Account/{accountID}/…`, the leaky-bucket limiter, the shared control API and a back office.
 * See docs/simulators/lightspeed-r.md.
 */
export function createLightspeedRSimulator(options: LightspeedRSimulatorOptions = {}): LightspeedRSimulator {
  const clock = options.clock ?? new SimClock();
  const config: RConfig = {
    ...defaultConfig(),
    ...(options.bucketSize !== undefined ? { bucketSize: options.bucketSize } : {}),
    ...(options.dripRatePerSecond !== undefined ? { dripRate: options.dripRatePerSecond } : {}),
    ...(options.costModel ? { costModel: options.costModel } : {}),
    ...(options.burstLimiter !== undefined ? { burstLimiter: options.burstLimiter } : {}),
    ...(options.burstLimit !== undefined ? { burstLimit: options.burstLimit } : {}),
    ...(options.accessTokenLifetimeSeconds ? { accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds } : {}),
    ...(options.refreshTokenLifetimeSeconds
      ? { refreshTokenLifetimeSeconds: options.refreshTokenLifetimeSeconds }
      : {}),
    ...(options.codeLifetimeSeconds ? { codeLifetimeSeconds: options.codeLifetimeSeconds } : {}),
    ...(options.clients ? { clients: options.clients.map((c) => ({ ...c })) } : {}),
  };
  const accountID = options.accountId ?? '83050';
  const core = new Core(clock, accountID, config, options.publicUrl);
  const faults = new FaultBook();
  const app = new Hono();

  const sim: LightspeedRSimulator = {
    system: 'lightspeed-r',
    clock,
    faults,
    app,
    core,
    reset() {
      core.store.clear();
      core.store.account = { accountID, name: 'Lakeside Goods Co.' };
      core.resetBuckets();
    },
    seedScenario: (name, seedOptions) => seedScenario(core, name, seedOptions),
    seedData: (data) => seedData(core, data),
    exportState: () => core.store.exportState(),
    importState(state) {
      const s = state as Partial<ExportedState> | null;
      if (!s || typeof s !== 'object' || s.system !== 'lightspeed-r' || !s.tables || !s.account) {
        throw new SimInputError('Not a lightspeed-r state (expected the object GET /_sim/state returns).');
      }
      core.store.importState(s as ExportedState);
      core.resetBuckets();
    },
  };

  const tokenOf = (c: {
    req: { header(name: string): string | undefined };
  }): { accountID: string; clientId: string } => {
    const raw = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
    const token = raw ? core.store.accessTokens.get(raw) : undefined;
    return token
      ? { accountID: token.accountID, clientId: token.clientId }
      : { accountID: core.store.account.accountID, clientId: core.config.clients[0]?.clientId ?? 'unknown' };
  };
  const responders: FaultResponders = {
    rateLimited: (c, retryAfterSeconds) => {
      const who = tokenOf(c);
      return rateLimitedResponse(core, c, who.accountID, who.clientId, retryAfterSeconds);
    },
    tokenExpired: (c) => accessDenied(c, 'Access token could not be verified'),
    serverError: (c, status, body) =>
      body !== undefined
        ? c.json(body as object, status as 500)
        : apiErrorResponse(c, status, 'Simulated server error', 'Exception'),
  };

  mountControl(app, sim, options.snapshotFile);

  // With the burst limit in effect (null: the limiter is off), which a null `burstLimit` derives from the bucket.
  const configView = () => ({
    ...core.config,
    burstLimitInEffect: core.config.burstLimiter ? core.burstLimit() : null,
  });
  app.get('/_sim/config', (c) => c.json(configView()));
  app.put('/_sim/config', async (c) => {
    const text = await c.req.text();
    const body = configBody.parse(text.trim() ? JSON.parse(text) : {});
    const { dripRatePerSecond, resetBuckets, ...rest } = body;
    // Drain the buckets at the old rate up to now before the rate changes.
    core.config = {
      ...core.config,
      ...(rest as Partial<RConfig>),
      ...(dripRatePerSecond !== undefined ? { dripRate: dripRatePerSecond } : {}),
    };
    if (resetBuckets) core.resetBuckets();
    return c.json(configView());
  });

  // The drips charged (and the requests admitted or refused) since the last DELETE: a client's cost in drips.
  app.get('/_sim/charges', (c) => c.json({ ...core.charges }));
  app.delete('/_sim/charges', (c) => {
    core.charges = { requests: 0, drips: 0, rateLimited: 0 };
    return c.json({ ...core.charges });
  });

  app.post('/_sim/tokens', async (c) => {
    const text = await c.req.text();
    const body = tokensBody.parse(text.trim() ? JSON.parse(text) : {});
    const client = core.client(body.clientId ?? core.config.clients[0]?.clientId ?? '');
    if (!client) throw new SimInputError(`Unknown clientId "${body.clientId}".`);
    const scope = body.scope ?? 'employee:all';
    if (scope.split(' ').some((s) => !knownScopes.includes(s))) throw new SimInputError(`Unknown scope in "${scope}".`);
    const saved = core.config.accessTokenLifetimeSeconds;
    if (body.expiresInSeconds) core.config.accessTokenLifetimeSeconds = body.expiresInSeconds;
    const issued = core.issueTokens(client.clientId, scope, null);
    core.config.accessTokenLifetimeSeconds = saved;
    return c.json({
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      access_token: issued.accessToken,
      refresh_token: issued.refreshToken,
      account_id: core.store.account.accountID,
      client_id: client.clientId,
      scope,
    });
  });

  app.post('/_sim/merge-items', async (c) => {
    const text = await c.req.text();
    const body = mergeBody.parse(text.trim() ? JSON.parse(text) : {});
    try {
      const kept = mergeItems(core, body.keepItemID, body.mergeItemID);
      return c.json({ ok: true, item: serializeItem(core, kept, new Set(['ItemShops'])) });
    } catch (error) {
      if (error instanceof ApiError) return c.json({ error: error.message }, error.status === 404 ? 404 : 400);
      throw error;
    }
  });

  app.post('/_sim/orders/:orderID/check-in', async (c) => {
    const text = await c.req.text();
    const body = checkInBody.parse(text.trim() ? JSON.parse(text) : {});
    try {
      const result = checkInOrder(core, Number(c.req.param('orderID')), body.lines, body.finish, body.packingRefNum);
      return c.json({
        ok: true,
        checkedIn: result.checkedIn,
        orderShipmentID: result.receipt?.orderShipmentID ?? null,
        order: serializeOrder(core, result.order, new Set(['OrderLines'])),
      });
    } catch (error) {
      if (error instanceof ApiError) return c.json({ error: error.message }, error.status === 404 ? 404 : 400);
      throw error;
    }
  });

  app.use('/API/*', faultMiddleware(faults, responders));
  app.use('/auth/*', faultMiddleware(faults, responders));
  mountOAuth(app, core);
  mountApi(app, core);
  mountBackOffice(app, core);

  return sim;
}

export type { RConfig };
