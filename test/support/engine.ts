import type { AppContext } from '../../src/app-context.ts';
import { Vault } from '../../src/secrets/vault.ts';
import { createWorker, type Worker } from '../../src/jobs/index.ts';
import { jobHandlers } from '../../src/main.ts';
import type { EngineContext } from '../../src/flows/engine-context.ts';
import { linkNuorderWithToken, storePosConnection } from '../../src/flows/link-account.ts';
import { buildScenario, scenarioOptions } from '../../src/simulators/shared/scenario.ts';
import type { Store } from '../../src/store/db.ts';
import type { Connection } from '../../src/store/repos/index.ts';
import { createTestApp, type TestApp } from './app.ts';
import { SIMULATOR_APPS, startSimulators, type RunningSim } from './simulators.ts';

export interface EngineHarness {
  app: TestApp;
  ctx: EngineContext;
  tenantId: string;
  token: string;
  nuorder: RunningSim;
  pos: RunningSim;
  sources: Connection[];
  posConnection: Connection;
  worker: Worker;
  /** Runs queued jobs until none is due. */
  drain(): Promise<number>;
  close(): Promise<void>;
}

const demoBrands = () => buildScenario(scenarioOptions('demo')).brands;

/** Links a demo brand portal of the NuORDER simulator with the token it issues, scoped to one store. */
export function linkDemoBrand(
  ctx: EngineContext,
  tenantId: string,
  brand: { name: string; code: string },
  retailerId: string,
): Promise<Connection> {
  const code = brand.code.toLowerCase();
  return linkNuorderWithToken(ctx, tenantId, {
    brandName: brand.name,
    consumerKey: 'tl-demo-consumer-key',
    consumerSecret: 'tl-demo-consumer-secret',
    token: `tl-demo-token-${code}`,
    tokenSecret: `tl-demo-token-${code}-secret`,
    retailerId,
  });
}

/**
 * Tradeloop on a real store, with the NuORDER simulator and one POS simulator on loopback, a tenant with a
 * NuORDER connection per demo brand portal and a linked POS connection (tokens minted by the simulator),
 * and a worker to run jobs on demand. Nothing of our own is mocked.
 */
export async function startEngine(
  store: Store,
  posSystem: 'lightspeed-x' | 'lightspeed-r',
  options: { brands?: number; secretKey?: string } = {},
): Promise<EngineHarness> {
  const sims = await startSimulators(['nuorder', posSystem]);
  const [nuorder, pos] = sims.running;
  const providers = sims.providers;
  const base = createTestApp(store);
  const overrides: Partial<AppContext> = {
    config: { ...base.ctx.config, providers, publicUrl: 'http://tradeloop.test' },
    ...(options.secretKey ? { vault: new Vault(options.secretKey) } : {}),
  };
  const app = createTestApp(store, overrides);
  const ctx = app.ctx;
  const tenant = await app.newTenant('Lakeside Goods');
  const sources: Connection[] = [];
  // The demo store; the brand tokens also see another store's orders, which must never be imported.
  const retailerId = buildScenario(scenarioOptions('demo')).retailer.id;
  for (const brand of demoBrands().slice(0, options.brands ?? 3))
    sources.push(await linkDemoBrand(ctx, tenant.tenantId, brand, retailerId));
  const minted =
    posSystem === 'lightspeed-x'
      ? await pos.control('POST', '/_sim/tokens', { client_id: SIMULATOR_APPS.lightspeedX.clientId })
      : await pos.control('POST', '/_sim/tokens', { clientId: SIMULATOR_APPS.lightspeedR.clientId });
  const tokens = {
    accessToken: minted.access_token,
    refreshToken: minted.refresh_token,
    expiresAt: Date.now() + Number(minted.expires_in) * 1000,
  };
  const posConnection =
    posSystem === 'lightspeed-x'
      ? await storePosConnection(ctx, tenant.tenantId, {
          system: 'lightspeed-x',
          name: 'Main store',
          baseUrl: pos.url,
          accountId: String(minted.domain_prefix ?? 'lakesidegoods'),
          tokenUrl: `${pos.url}/api/1.0/token`,
          tokens,
        })
      : await storePosConnection(ctx, tenant.tenantId, {
          system: 'lightspeed-r',
          name: 'Main store',
          baseUrl: pos.url,
          accountId: String(minted.account_id),
          tokenUrl: `${pos.url}/auth/oauth/token`,
          tokens,
        });
  const worker = createWorker({ store, handlers: jobHandlers(ctx), pollMs: 50, concurrency: 4 });
  return {
    app,
    ctx,
    tenantId: tenant.tenantId,
    token: tenant.token,
    nuorder,
    pos,
    sources,
    posConnection,
    worker,
    drain: () => worker.drain(),
    close: async () => {
      await worker.stop({ graceMs: 1000 });
      await sims.close();
    },
  };
}

/** One call of the HTTP API, as a signed-in user of the harness's organization. */
export type ApiCall = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: any; headers: Headers }>;

/** The API as the harness's user (or another token of the organization). */
export const apiAs =
  (e: EngineHarness, token: string = e.token): ApiCall =>
  (method, path, body) =>
    e.app.call(method, path, { token, ...(body === undefined ? {} : { body }) });

/** Exports the first order not exported yet whose plan needs no review, to the first location; returns the order. */
export async function exportFirstReady(e: EngineHarness, call: ApiCall = apiAs(e)): Promise<any> {
  const connectionId = e.posConnection.id;
  const locations = (await call('GET', `/api/connections/${connectionId}/locations`)).body.locations as any[];
  for (const order of (await call('GET', '/api/orders?limit=100')).body.orders as any[]) {
    const sync = (await call('GET', `/api/orders/${order.id}`)).body.sync as any[];
    if (sync.some((s) => s.status.state !== 'not_exported')) continue;
    const planned = await call('POST', '/api/plans', {
      connectionId,
      locationId: locations[0].id,
      orderIds: [order.id],
    });
    if (!planned.body.canApply) continue;
    const applied = await call('POST', `/api/plans/${planned.body.id}/apply`);
    if (applied.status !== 202) throw new Error(`apply answered ${applied.status}: ${JSON.stringify(applied.body)}`);
    await e.drain();
    return order;
  }
  throw new Error('no order to export');
}
