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
