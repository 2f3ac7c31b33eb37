// Bench support: simulators as separate processes (`tradeloop sim`, started by test/support/simulators.ts) on fixed
// free ports, a Tradeloop engine over a store (SQLite or PostgreSQL) linked to them, and one export run to the end by
// a worker.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { withConnectors, jobHandlers } from '../../src/main.ts';
import { Vault } from '../../src/secrets/vault.ts';
import type { Store } from '../../src/store/db.ts';
import { linkNuorderWithToken, storePosConnection } from '../../src/flows/link-account.ts';
import { createOrganizationWithUser } from '../../src/http/auth.ts';
import { createPlan } from '../../src/flows/plan-export.ts';
import { requestApply } from '../../src/flows/apply-export.ts';
import { createWorker } from '../../src/jobs/runner.ts';
import { exports, type Connection } from '../../src/store/repos/index.ts';
import type { EngineContext } from '../../src/flows/engine-context.ts';
import type { SimulatorSystem } from '../../src/simulators/index.ts';
import { startSimulator, type SimProcess } from '../../test/support/simulators.ts';
import { freePort } from './ports.ts';

const root = join(import.meta.dirname, '..', '..');
export { root };
export type Pos = 'lightspeed-x' | 'lightspeed-r';

export type Sim = SimProcess;

/** A simulator as its own process (so its CPU is not Tradeloop's), unseeded, on the benches' next fixed port. */
export async function startSim(system: SimulatorSystem): Promise<Sim> {
  return startSimulator(system, { process: true, scenario: 'none', port: await freePort() });
}

/** One brand whose approved orders have exactly `lines` lines each, every size with a valid UPC: no review needed. */
export const scenario = (orders: number, lines: number) => ({
  scenario: 'large',
  options: {
    brands: 1,
    stylesPerBrand: 1300,
    colorsPerStyle: 2,
    approvedOrders: orders,
    linesPerOrder: [lines, lines],
    unrelatedPosItems: 20_000,
    duplicateUpcs: 0,
    archivedMatches: 0,
    missingUpcShare: 0,
    posOverlap: 0.5,
  },
});

export async function engine(
  store: Store,
  nuorder: Sim,
  pos: Sim,
  system: Pos,
): Promise<{ ctx: EngineContext; tenantId: string; posConnection: Connection; vaultKey: string }> {
  const vaultKey = randomBytes(32).toString('base64');
  const config = loadConfig({ LOG_LEVEL: 'warn', TRADELOOP_DATA_DIR: mkdtempSync(join(tmpdir(), 'tl-bench-')) });
  const ctx = withConnectors({
    config: {
      ...config,
      providers: {
        nuorder: { baseUrl: nuorder.url },
        lightspeedX: { baseUrl: pos.url, clientId: 'tradeloop-dev', clientSecret: 'tradeloop-dev-secret' },
        lightspeedR: { baseUrl: pos.url, clientId: 'tradeloop-sim-client', clientSecret: 'tradeloop-sim-secret' },
        netsuite: { baseUrl: null },
      },
    },
    store,
    logger: createLogger('warn'),
    vault: new Vault(vaultKey),
    now: () => Date.now(),
  });
  const { tenantId } = await createOrganizationWithUser(ctx, {
    organization: 'Bench',
    email: `bench-${Date.now()}@example.test`,
    name: 'Bench',
    password: 'bench-password',
  });
  const simState = await nuorder.control('GET', '/_sim/state');
  const brand = simState.brands?.[0] ?? { name: 'Northwind Outfitters' };
  const code = String(brand.name)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .toLowerCase();
  await linkNuorderWithToken(ctx, tenantId, {
    brandName: brand.name,
    consumerKey: 'tl-demo-consumer-key',
    consumerSecret: 'tl-demo-consumer-secret',
    token: `tl-demo-token-${code}`,
    tokenSecret: `tl-demo-token-${code}-secret`,
    // The scenario's store (seeded first); the brand token also sees another store's orders.
    retailerId: simState.retailers?.[0]?._id,
  });
  const minted =
    system === 'lightspeed-x'
      ? await pos.control('POST', '/_sim/tokens', { client_id: 'tradeloop-dev', expires_in: 86_400 })
      : await pos.control('POST', '/_sim/tokens', { clientId: 'tradeloop-sim-client', expiresInSeconds: 86_400 });
  const tokens = {
    accessToken: minted.access_token,
    refreshToken: minted.refresh_token,
    expiresAt: Date.now() + Number(minted.expires_in) * 1000,
  };
  const posConnection =
    system === 'lightspeed-x'
      ? await storePosConnection(ctx, tenantId, {
          system,
          name: 'Bench store',
          baseUrl: pos.url,
          accountId: String(minted.domain_prefix ?? 'bench'),
          tokenUrl: `${pos.url}/api/1.0/token`,
          tokens,
        })
      : await storePosConnection(ctx, tenantId, {
          system,
          name: 'Bench store',
          baseUrl: pos.url,
          accountId: String(minted.account_id),
          tokenUrl: `${pos.url}/auth/oauth/token`,
          tokens,
        });
  const worker = createWorker({ store, handlers: jobHandlers(ctx), pollMs: 20, concurrency: 2 });
  await worker.drain(); // ingest + first full catalog sync
  return { ctx, tenantId, posConnection, vaultKey };
}

export async function runExport(
  ctx: EngineContext,
  tenantId: string,
  connection: Connection,
  orderIds: string[],
  locationId: string,
) {
  const started = performance.now();
  const plan = await createPlan(ctx, tenantId, { connectionId: connection.id, locationId, orderIds });
  if (!plan.plan.canApply) throw new Error(`bench plan needs review: ${JSON.stringify(plan.plan.counts)}`);
  await requestApply(ctx, tenantId, plan.id);
  const worker = createWorker({ store: ctx.store, handlers: jobHandlers(ctx), pollMs: 10, concurrency: 1 });
  let rows = await exports.forPlan(ctx.store.db, tenantId, plan.id);
  // A deferred job (rate budget) is not due yet: keep draining until every export settled.
  for (let i = 0; i < 3000 && rows.some((r) => r.state === 'in_progress'); i++) {
    await worker.drain();
    rows = await exports.forPlan(ctx.store.db, tenantId, plan.id);
    if (rows.some((r) => r.state === 'in_progress')) await new Promise((r) => setTimeout(r, 100));
  }
  const jobs = await ctx.store.db
    .selectFrom('jobs')
    .select(['task', 'state', 'last_error', 'attempts'])
    .where('task', '=', 'export.apply')
    .execute();
  if (jobs.some((j) => j.last_error))
    console.log(`  (export jobs: ${JSON.stringify(jobs.filter((j) => j.last_error))})`);
  if (rows.some((r) => r.state !== 'exported'))
    throw new Error(`export did not finish: ${JSON.stringify(rows.map((r) => [r.state, r.failureMessage]))}`);
  return { ms: performance.now() - started, plan };
}

export async function stopSims(...given: Array<Sim | Sim[]>): Promise<void> {
  await Promise.all(given.flat().map((s) => s.close()));
}
