/**
 * Helpers for the reliability tests (test/flows/reliability*.test.ts): a POS simulator behind a "front"
 * that counts the writes it forwards and can hold one of them (to kill a worker at an exact point of the
 * saga), a world of simulators + store + engine context whose vault key another process can share, and
 * "runs": one merchant's order planned for its own POS account (a connection and a simulator each), to be
 * applied and checked for exactly-once in the POS.
 * Nothing of ours is mocked: the front only forwards HTTP to the real simulator app.
 */
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { AppContext } from '../../src/app-context.ts';
import { applyTask, requestApply, type ApplyAccepted } from '../../src/flows/apply-export.ts';
import { parseGtin } from '../../src/core/gtin.ts';
import { purchaseOrderKeyOf } from '../../src/core/pos-catalog.ts';
import type { EngineContext } from '../../src/flows/engine-context.ts';
import { ingestOrders } from '../../src/flows/ingest-orders.ts';
import { storePosConnection } from '../../src/flows/link-account.ts';
import { createPlan, listLocations } from '../../src/flows/plan-export.ts';
import { catalogSyncTask } from '../../src/flows/tasks.ts';
import { get as getJob, type Job } from '../../src/jobs/queue.ts';
import { createWorker } from '../../src/jobs/runner.ts';
import { jobHandlers } from '../../src/main.ts';
import { Vault } from '../../src/secrets/vault.ts';
import { createLightspeedRSimulator } from '../../src/simulators/lightspeed-r/index.ts';
import { createSimulator, type Simulator } from '../../src/simulators/index.ts';
import { buildScenario, scenarioOptions, type ScenarioOptions } from '../../src/simulators/shared/scenario.ts';
import type { RunningServer } from '../../src/simulators/shared/server.ts';
import type { Store } from '../../src/store/db.ts';
import {
  connections,
  exports,
  wholesaleOrders,
  type Connection,
  type StoredExport,
  type StoredOrder,
  type StoredPlan,
} from '../../src/store/repos/index.ts';
import { createTestApp, type TestApp } from './app.ts';
import { linkDemoBrand } from './engine.ts';
import { providersFor, SIMULATOR_APPS, startSimulator, type RunningSim } from './simulators.ts';
import { waitUntil } from './wait.ts';

export type PosSystem = 'lightspeed-x' | 'lightspeed-r';
export const posSystems: readonly PosSystem[] = ['lightspeed-x', 'lightspeed-r'];

/** The `small` world without lines that need review, so every plan can be applied as it is. */
export const cleanSmall: Partial<ScenarioOptions> = { duplicateUpcs: 0, archivedMatches: 0, missingUpcShare: 0 };

// ---------------------------------------------------------------------------------------------------
// The POS front

export interface WriteRecord {
  index: number;
  method: string;
  path: string;
}

export type HoldMode =
  /** The write reaches the POS and commits; its reply never reaches the client (killed while waiting). */
  | 'after-commit'
  /** The write is held before the POS sees it (the previous writes were all answered). */
  | 'before';

export interface PosFront {
  system: PosSystem;
  sim: Simulator;
  server: RunningServer;
  url: string;
  accountId: string;
  /** Every API write that reached the front, in arrival order (token requests excluded). */
  writes: WriteRecord[];
  /** Arms a hold on the index-th write (1-based); resolves when a request is held there. */
  holdAt(index: number, mode: HoldMode): Promise<WriteRecord>;
  /** Lets held requests go (answered 503; their client is gone by then). */
  releaseHolds(): void;
  control(method: string, path: string, body?: unknown): Promise<any>;
  state(): Promise<any>;
  close(): Promise<void>;
}

const isApiWrite = (method: string, path: string): boolean =>
  !['GET', 'HEAD', 'OPTIONS'].includes(method) &&
  (path.startsWith('/api/') || path.startsWith('/API/')) &&
  !path.endsWith('/token');

let accountCounter = 0;

/** A POS simulator seeded with a scenario, behind a front on its own loopback port. */
export async function startPosFront(
  system: PosSystem,
  scenario: string,
  options: Partial<ScenarioOptions>,
): Promise<PosFront> {
  const n = ++accountCounter;
  const rAccount = String(83050 + n);
  const sim: Simulator =
    system === 'lightspeed-r'
      ? (createLightspeedRSimulator({ accountId: rAccount }) as Simulator)
      : createSimulator(system);
  const writes: WriteRecord[] = [];
  let armed: { index: number; mode: HoldMode; reached: (w: WriteRecord) => void } | undefined;
  const gates = new Set<() => void>();
  const gate = (): Promise<void> => new Promise((resolve) => gates.add(resolve));

  const front = new Hono();
  front.all('*', async (c) => {
    const method = c.req.method;
    const path = new URL(c.req.url).pathname;
    if (!isApiWrite(method, path)) return sim.app.fetch(c.req.raw, c.env);
    const record = { index: writes.length + 1, method, path };
    writes.push(record);
    const hold = armed !== undefined && armed.index === record.index ? armed : undefined;
    if (hold === undefined) return sim.app.fetch(c.req.raw, c.env);
    armed = undefined;
    if (hold.mode === 'after-commit') await sim.app.fetch(c.req.raw, c.env);
    const released = gate();
    hold.reached(record);
    await released;
    return c.json({ error: 'held by the test front; the client was killed' }, 503);
  });
  const running = await startSimulator(system, { sim, app: front, scenario, scenarioOptions: options });
  const control = running.control;
  return {
    system,
    sim,
    server: running.server,
    url: running.url,
    accountId: system === 'lightspeed-r' ? rAccount : `lakesidegoods-${n}`,
    writes,
    holdAt: (index, mode) =>
      new Promise((resolve) => {
        armed = { index, mode, reached: resolve };
      }),
    releaseHolds: () => {
      armed = undefined;
      for (const release of gates) release();
      gates.clear();
    },
    control,
    state: () => control('GET', '/_sim/state'),
    close: async () => {
      for (const release of gates) release();
      gates.clear();
      await running.close();
    },
  };
}

/**
 * Makes the POS a stranger to the scenario's brands: suppliers/vendors and brands/manufacturers of that
 * name are renamed, so the saga must create its own (one more write step, one more create route).
 */
export function forgetBrands(front: PosFront, brandNames: readonly string[]): void {
  const names = new Set(brandNames.map((n) => n.toLowerCase()));
  const state = front.sim.exportState() as any;
  const rename = (record: { name: string }) => {
    if (names.has(record.name.toLowerCase())) record.name = `${record.name} (old account)`;
  };
  if (front.system === 'lightspeed-x') {
    state.suppliers.forEach(rename);
    state.brands.forEach(rename);
  } else {
    state.tables.Vendor.forEach(rename);
    state.tables.Manufacturer.forEach(rename);
  }
  front.sim.importState(state);
}

// ---------------------------------------------------------------------------------------------------
// World and runs

export interface World {
  store: Store;
  app: TestApp;
  ctx: EngineContext;
  /** The vault key, for a worker process that must open the same credentials. */
  vaultKey: string;
  scenario: string;
  options: Partial<ScenarioOptions>;
  nuorder: RunningSim;
  fronts: PosFront[];
  close(): Promise<void>;
}

export async function startWorld(
  store: Store,
  scenario = 'small',
  options: Partial<ScenarioOptions> = cleanSmall,
): Promise<World> {
  const vaultKey = randomBytes(32).toString('base64');
  const nuorder = await startSimulator('nuorder', { scenario, scenarioOptions: options });
  // Only NuORDER's here: every run's POS connection names its own front.
  const providers = providersFor([nuorder]);
  const base = createTestApp(store);
  const overrides: Partial<AppContext> = {
    config: { ...base.ctx.config, providers, publicUrl: 'http://tradeloop.test' },
    vault: new Vault(vaultKey),
  };
  const app = createTestApp(store, overrides);
  const world: World = {
    store,
    app,
    ctx: app.ctx,
    vaultKey,
    scenario,
    options,
    nuorder,
    fronts: [],
    close: async () => {
      await Promise.all(world.fronts.map((f) => f.close()));
      await nuorder.close();
    },
  };
  return world;
}

export interface Run {
  world: World;
  system: PosSystem;
  tenantId: string;
  token: string;
  pos: PosFront;
  posConnection: Connection;
  order: StoredOrder;
  plan: StoredPlan;
  brandNames: string[];
  /** Accepts the plan (requestApply): the export job is queued. */
  apply(): Promise<ApplyAccepted>;
  job(): Promise<Job | undefined>;
  jobId(): string | undefined;
  /** The export job, when the plan was applied another way (the HTTP API). */
  adoptJob(jobId: string): void;
  exportRow(): Promise<StoredExport | undefined>;
}

export interface RunOptions {
  /** The POS has no supplier or brand for the order's brand: the saga creates them. Default true. */
  newBrand?: boolean;
  /** X-Series: `submitPurchaseOrder` moves the consignment to SENT (a write step). Default true. */
  submitSent?: boolean;
}

/**
 * A tenant with its own POS simulator (fresh state), linked NuORDER and POS connections, the catalog
 * mirror filled, the first approved order ingested and planned. Nothing is applied yet.
 */
export async function newRun(world: World, system: PosSystem, options: RunOptions = {}): Promise<Run> {
  const { ctx } = world;
  const { tenantId, token, orders, brandNames } = await merchantOf(world);
  const pos = await startPosFront(system, world.scenario, world.options);
  world.fronts.push(pos);
  if (options.newBrand !== false) forgetBrands(pos, brandNames);
  const minted =
    system === 'lightspeed-x'
      ? await pos.control('POST', '/_sim/tokens', { client_id: SIMULATOR_APPS.lightspeedX.clientId })
      : await pos.control('POST', '/_sim/tokens', { clientId: SIMULATOR_APPS.lightspeedR.clientId });
  const tokens = {
    accessToken: minted.access_token,
    refreshToken: minted.refresh_token,
    expiresAt: Date.now() + Number(minted.expires_in) * 1000,
  };
  let posConnection =
    system === 'lightspeed-x'
      ? await storePosConnection(ctx, tenantId, {
          system,
          name: `Store ${pos.accountId}`,
          baseUrl: pos.url,
          accountId: pos.accountId,
          tokenUrl: `${pos.url}/api/1.0/token`,
          tokens,
        })
      : await storePosConnection(ctx, tenantId, {
          system,
          name: `Store ${pos.accountId}`,
          baseUrl: pos.url,
          accountId: String(minted.account_id),
          tokenUrl: `${pos.url}/auth/oauth/token`,
          tokens,
        });
  const settings = {
    ...posConnection.settings,
    syncMode: 'manual',
    ...(system === 'lightspeed-x' && options.submitSent !== false ? { submitStatus: 'SENT' } : {}),
  };
  await connections.update(ctx.store.db, tenantId, posConnection.id, { settings }, ctx.now());
  posConnection = (await connections.get(ctx.store.db, tenantId, posConnection.id)) as Connection;
  // The full catalog pass that linking queues, run here so the workers under test only see the export.
  await runCatalogSyncs(world, tenantId);
  const order = orders[0] as StoredOrder;
  const locations = await listLocations(ctx, posConnection, await ctx.connectors.pointOfSale(posConnection));
  const location = locations.find((l) => !l.archived);
  if (!location) throw new Error('the POS has no location');
  const plan = await createPlan(ctx, tenantId, {
    connectionId: posConnection.id,
    locationId: location.id,
    orderIds: [order.id],
  });
  if (!plan.plan.canApply) throw new Error(`the plan cannot be applied: ${JSON.stringify(plan.plan.blockers)}`);
  let jobId: string | undefined;
  const run: Run = {
    world,
    system,
    tenantId,
    token,
    pos,
    posConnection,
    order,
    plan,
    brandNames,
    apply: async () => {
      const accepted = await requestApply(ctx, tenantId, plan.id);
      jobId = accepted.jobId;
      return accepted;
    },
    adoptJob: (id) => {
      jobId = id;
    },
    job: async () => (jobId ? getJob(ctx.store.db, tenantId, jobId) : undefined),
    jobId: () => jobId,
    exportRow: async () => (await exports.forPlan(ctx.store.db, tenantId, plan.id))[0],
  };
  return run;
}

/** Sets up runs a few at a time (the setup is I/O bound: simulators, store). */
export async function newRuns(
  world: World,
  specs: ReadonlyArray<{ system: PosSystem; options?: RunOptions }>,
  parallel = 6,
): Promise<Run[]> {
  const out: Run[] = new Array(specs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < specs.length) {
      const i = next++;
      const spec = specs[i] as { system: PosSystem; options?: RunOptions };
      out[i] = await newRun(world, spec.system, spec.options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, specs.length) }, lane));
  return out;
}

interface Merchant {
  tenantId: string;
  token: string;
  brandNames: string[];
  /** The approved orders, by order number. */
  orders: StoredOrder[];
}

const merchants = new WeakMap<World, Promise<Merchant>>();

/**
 * The one merchant of a world: a tenant with a NuORDER connection per brand and the approved orders
 * ingested. Every run links its own POS account (one POS connection each), so one order can be exported
 * once to each of them.
 */
function merchantOf(world: World): Promise<Merchant> {
  let pending = merchants.get(world);
  if (!pending) {
    pending = (async () => {
      const { ctx } = world;
      const { brands, retailer } = buildScenario(scenarioOptions(world.scenario as 'small', world.options));
      const tenant = await world.app.newTenant('Lakeside Goods');
      for (const brand of brands) {
        const source = await linkDemoBrand(ctx, tenant.tenantId, brand, retailer.id);
        await ingestOrders(ctx, source, await ctx.connectors.wholesaleSource(source));
      }
      const { orders } = await wholesaleOrders.list(ctx.store.db, tenant.tenantId);
      const sorted = [...orders].sort((a, b) => a.orderNumber.localeCompare(b.orderNumber));
      const full = await wholesaleOrders.getMany(
        ctx.store.db,
        tenant.tenantId,
        sorted.map((o) => o.id),
      );
      if (full.length === 0) throw new Error('the scenario has no approved order');
      return {
        tenantId: tenant.tenantId,
        token: tenant.token,
        brandNames: brands.map((b) => b.name),
        orders: sorted.map((o) => full.find((f) => f.id === o.id) as StoredOrder),
      };
    })();
    merchants.set(world, pending);
  }
  return pending;
}

async function runCatalogSyncs(world: World, tenantId: string): Promise<void> {
  const syncer = createWorker({
    store: world.store,
    handlers: { [catalogSyncTask]: jobHandlers(world.ctx)[catalogSyncTask] as never },
  });
  for (;;) {
    await syncer.drain();
    const open = await world.store.db
      .selectFrom('jobs')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('task', '=', catalogSyncTask)
      .where('state', 'in', ['queued', 'running'])
      .execute();
    if (open.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// ---------------------------------------------------------------------------------------------------
// What the POS holds

export interface PosOutcome {
  /** Purchase orders carrying this order (by correlation key or order number), deleted ones excluded. */
  purchaseOrders: Array<{ id: string; status: string }>;
  /** posItemId → quantity on the PO (summed over its lines), for the first PO. */
  lines: Map<string, number>;
  /** Line records per item on the first PO (a duplicate line shows as > 1). */
  lineRecords: Map<string, number>;
  /** Products / items carrying each new variant's correlation key. */
  itemsByVariantKey: Map<string, string[]>;
  /** Live products / items carrying each new variant's barcode (any written form), by variant key. */
  itemsByNewGtin: Map<string, string[]>;
  /** Families / matrices created for each new product (by the product's correlation key or the items' parent). */
  familiesByProductKey: Map<string, string[]>;
  /** Suppliers / vendors named like the order's brand. */
  suppliers: number;
  /** Brands / manufacturers named like the order's brand. */
  brands: number;
}

export async function posOutcome(run: Run): Promise<PosOutcome> {
  const state = run.pos.sim.exportState() as any;
  const po = run.plan.plan.purchaseOrders[0];
  if (!po) throw new Error('the plan has no purchase order');
  const poKeyPrefix = po.orderNumber;
  const brand = po.brand.name.toLowerCase();
  const newVariants = run.plan.plan.newProducts.flatMap((p) => p.variants.map((v) => ({ product: p, variant: v })));
  const itemsByVariantKey = new Map<string, string[]>();
  const itemsByNewGtin = new Map<string, string[]>();
  const gtinOf = (codes: Array<string | null | undefined>): Set<string> => {
    const out = new Set<string>();
    for (const code of codes) {
      const parsed = parseGtin(code ?? null);
      if (parsed.ok) out.add(parsed.gtin14);
    }
    return out;
  };
  const familiesByProductKey = new Map<string, string[]>();
  const lines = new Map<string, number>();
  const lineRecords = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  if (run.system === 'lightspeed-x') {
    const purchaseOrders = (state.consignments as any[])
      .filter(
        (c) =>
          c.type === 'SUPPLIER' &&
          !c.deleted_at &&
          (String(c.name ?? '').includes(poKeyPrefix) ||
            (String(c.reference ?? '').length > 0 && c.reference === correlationOf(run))),
      )
      .map((c) => ({ id: c.id as string, status: c.status as string }));
    const first = purchaseOrders[0];
    for (const l of state.consignmentLines as any[]) {
      if (!first || l.consignment_id !== first.id || l.deleted_at) continue;
      add(lines, l.product_id, Number(l.count));
      add(lineRecords, l.product_id, 1);
    }
    const live = (state.products as any[]).filter((p) => !p.deleted_at);
    for (const { product, variant } of newVariants) {
      const carrying = live.filter(
        (p) =>
          String(p.sku ?? '').toLowerCase() === variant.correlationKey ||
          p.source_variant_id === variant.correlationKey,
      );
      itemsByVariantKey.set(
        variant.variantKey,
        carrying.map((p) => p.id),
      );
      if (variant.gtin14) {
        const gtin = variant.gtin14;
        itemsByNewGtin.set(
          variant.variantKey,
          live
            .filter((p) => gtinOf((p.product_codes ?? []).map((c: { code: string }) => c.code)).has(gtin))
            .map((p) => p.id),
        );
      }
      // Every family made for this product: the one its sizes sit in (a family they joined, or their own), plus
      // any carrying its key (created, never used).
      const keys = new Set(product.variants.map((v) => v.correlationKey));
      const families = new Set(
        live
          .filter((p) => p.source_id === product.correlationKey || keys.has(String(p.sku ?? '').toLowerCase()))
          .map((p) => p.family_id ?? p.variant_parent_id ?? p.id),
      );
      familiesByProductKey.set(product.correlationKey, [...families]);
    }
    return {
      purchaseOrders,
      lines,
      lineRecords,
      itemsByVariantKey,
      itemsByNewGtin,
      familiesByProductKey,
      suppliers: (state.suppliers as any[]).filter((s) => !s.deleted_at && s.name.toLowerCase() === brand).length,
      brands: (state.brands as any[]).filter((b) => !b.deleted_at && b.name.toLowerCase() === brand).length,
    };
  }
  const t = state.tables;
  const purchaseOrders = (t.Order as any[])
    .filter(
      (o) => !o.archived && (o.refNum === correlationOf(run) || String(o.b2bOrderNumber ?? '') === po.orderNumber),
    )
    .map((o) => ({ id: String(o.orderID), status: o.orderedDate ? 'ordered' : 'open' }));
  const first = purchaseOrders[0];
  for (const l of t.OrderLine as any[]) {
    if (!first || String(l.orderID) !== first.id) continue;
    add(lines, String(l.itemID), Number(l.quantity));
    add(lineRecords, String(l.itemID), 1);
  }
  const liveItems = (t.Item as any[]).filter((i) => !i.archived);
  for (const { variant } of newVariants) {
    const carrying = liveItems.filter((i) => String(i.customSku).toLowerCase() === variant.correlationKey);
    itemsByVariantKey.set(
      variant.variantKey,
      carrying.map((i) => String(i.itemID)),
    );
    if (variant.gtin14) {
      const gtin = variant.gtin14;
      itemsByNewGtin.set(
        variant.variantKey,
        liveItems.filter((i) => gtinOf([i.upc, i.ean]).has(gtin)).map((i) => String(i.itemID)),
      );
    }
  }
  for (const product of run.plan.plan.newProducts) {
    const keys = new Set(product.variants.map((v) => v.correlationKey));
    const viaItems = liveItems
      .filter((i) => keys.has(String(i.customSku).toLowerCase()))
      .map((i) => String(i.itemMatrixID));
    const tagged = (t.ItemMatrix as any[])
      .filter((m) => !m.archived && String(m.description).includes(`[${product.correlationKey}]`))
      .map((m) => String(m.itemMatrixID));
    // Every matrix created for this product: the one its items sit on, plus any left tagged (created, never used).
    familiesByProductKey.set(product.correlationKey, [...new Set([...viaItems, ...tagged])]);
  }
  return {
    purchaseOrders,
    lines,
    lineRecords,
    itemsByVariantKey,
    itemsByNewGtin,
    familiesByProductKey,
    suppliers: (t.Vendor as any[]).filter((v) => !v.archived && v.name.toLowerCase() === brand).length,
    brands: (t.Manufacturer as any[]).filter((m) => m.name.toLowerCase() === brand).length,
  };
}

function correlationOf(run: Run): string {
  // The PO correlation key the saga writes: the one its plan stored (core/pos-catalog.ts).
  const po = run.plan.plan.purchaseOrders[0];
  return po ? purchaseOrderKeyOf(po) : '';
}

/**
 * Checks the export-once outcome in the POS: one PO, one item per new variant, one family per new
 * product, one supplier and brand, and every planned line on the PO with its quantity. Returns the
 * problems found (empty when all is well) and the count of duplicates.
 */
export async function checkExactlyOnce(
  run: Run,
): Promise<{ problems: string[]; duplicates: number; outcome: PosOutcome }> {
  const outcome = await posOutcome(run);
  const problems: string[] = [];
  let duplicates = 0;
  if (outcome.purchaseOrders.length !== 1) {
    problems.push(`${outcome.purchaseOrders.length} purchase orders for order ${run.order.orderNumber}`);
    duplicates += Math.max(0, outcome.purchaseOrders.length - 1);
  }
  for (const [variantKey, ids] of outcome.itemsByVariantKey) {
    if (ids.length !== 1) problems.push(`${ids.length} POS items carry new variant ${variantKey}`);
    duplicates += Math.max(0, ids.length - 1);
  }
  for (const [variantKey, ids] of outcome.itemsByNewGtin) {
    if (ids.length !== 1) problems.push(`${ids.length} live POS items carry the barcode of new variant ${variantKey}`);
    duplicates += Math.max(0, ids.length - 1);
  }
  for (const [productKey, ids] of outcome.familiesByProductKey) {
    if (ids.length !== 1)
      problems.push(`${ids.length} families/matrices for new product ${productKey}: ${ids.join(', ')}`);
    duplicates += Math.max(0, ids.length - 1);
  }
  if (outcome.suppliers !== 1) problems.push(`${outcome.suppliers} suppliers named for the brand`);
  // A brand is written with a new family; sizes that only join families the POS has need none.
  const ownFamily = run.plan.plan.newProducts.some((p) => p.existingParentId === null);
  if (outcome.brands > 1 || (ownFamily && outcome.brands !== 1))
    problems.push(`${outcome.brands} brands/manufacturers named for the brand`);
  duplicates += Math.max(0, outcome.suppliers - 1) + Math.max(0, outcome.brands - 1);
  // Every planned PO line, with its quantity.
  const po = run.plan.plan.purchaseOrders[0];
  const expected = new Map<string, number>();
  for (const line of po?.lines ?? []) {
    const target = line.target;
    const id =
      target.kind === 'existing'
        ? target.posItemId
        : target.kind === 'new'
          ? outcome.itemsByVariantKey.get(target.variantKey)?.[0]
          : undefined;
    if (!id) {
      problems.push(`no POS item for planned line ${line.sourceLineKeys.join('+')}`);
      continue;
    }
    expected.set(id, (expected.get(id) ?? 0) + line.quantity);
  }
  for (const [id, quantity] of expected) {
    const got = outcome.lines.get(id);
    if (got !== quantity) problems.push(`item ${id}: ${got ?? 'no line'} on the PO, planned ${quantity}`);
    const records = outcome.lineRecords.get(id) ?? 0;
    if (records > 1) {
      problems.push(`item ${id} is on the PO ${records} times`);
      duplicates += records - 1;
    }
  }
  for (const id of outcome.lines.keys()) if (!expected.has(id)) problems.push(`unplanned item ${id} on the PO`);
  return { problems, duplicates, outcome };
}

/** Worker handlers as production builds them, with a short lock for the export so a killed run is picked up quickly. */
export function testHandlers(ctx: EngineContext, lockMs: number, concurrency?: number): ReturnType<typeof jobHandlers> {
  const handlers = jobHandlers(ctx);
  const apply = handlers[applyTask];
  if (!apply) throw new Error('no export.apply handler');
  // These tests drive dozens of exports (some held by the POS on purpose) through one worker: the per-worker cap on
  // exports (EXPORTS_PER_WORKER, a memory guard) is not what they test, so it does not queue them behind each other.
  const { workerConcurrency: _perWorker, ...uncapped } = apply;
  return { ...handlers, [applyTask]: { ...uncapped, lockMs, ...(concurrency ? { concurrency } : {}) } };
}

// ---------------------------------------------------------------------------------------------------
// Waiting

const finished = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Polls until every run's export job has finished for good (succeeded or failed). It waits as long as the runs move
 * (their jobs' states, attempts and schedule, their saga steps, the writes their POS saw) and fails once nothing has
 * moved for a while (test/support/wait.ts). `tick` runs before each look (an in-process worker's drain).
 */
export async function waitForJobs(runs: readonly Run[], tick?: () => Promise<unknown>): Promise<void> {
  const db = runs[0]?.world.store.db;
  if (!db) return;
  const planIds = runs.map((r) => r.plan.id);
  await waitUntil(
    async () => {
      if (tick) await tick();
      const ids = runs.map((r) => r.jobId()).filter((id): id is string => id !== undefined);
      const jobs = ids.length
        ? await db
            .selectFrom('jobs')
            .select(['id', 'state', 'attempts', 'run_at', 'locked_by', 'last_error'])
            .where('id', 'in', ids)
            .orderBy('id')
            .execute()
        : [];
      const open = jobs.filter((j) => !finished.has(j.state));
      if (ids.length === runs.length && open.length === 0) return { done: true, value: undefined };
      const steps = await db
        .selectFrom('saga_steps')
        .select(['saga_id', 'step_key', 'state', 'attempts'])
        .where('saga_id', 'in', planIds)
        .orderBy('saga_id')
        .orderBy('step_key')
        .execute();
      return {
        done: false,
        progress: {
          open,
          finished: jobs.length - open.length,
          steps: steps.map((st) => `${st.saga_id}/${st.step_key}:${st.state}:${st.attempts}`),
          posWrites: runs.map((r) => r.pos.writes.length),
        },
      };
    },
    { what: `${runs.length} export job(s) finishing`, intervalMs: tick ? 20 : 100 },
  );
}

/**
 * Waits until every hold armed with `PosFront.holdAt` has caught its write, and returns what each caught. It waits as
 * long as the runs move (holds caught, writes their POS saw, their export jobs) and fails once nothing has moved for
 * a while (test/support/wait.ts).
 */
export async function waitForHolds<T>(holds: ReadonlyArray<Promise<T>>, runs: readonly Run[]): Promise<T[]> {
  const caught: Array<{ value: T } | undefined> = holds.map(() => undefined);
  holds.forEach((hold, i) => void hold.then((value) => (caught[i] = { value })));
  return waitUntil(
    async () => {
      const values = caught.flatMap((c) => (c ? [c.value] : []));
      if (values.length === holds.length) return { done: true, value: values };
      const jobs = await Promise.all(runs.map((r) => r.job()));
      return {
        done: false,
        progress: {
          held: values.length,
          posWrites: runs.map((r) => r.pos.writes.length),
          jobs: jobs.map((j) => [j?.state, j?.attempts, j?.lockedBy]),
        },
      };
    },
    { what: `${holds.length} hold(s) catching their write (the runs reaching their kill point)`, intervalMs: 20 },
  );
}

/** Runs an in-process worker (production handlers, short lock and backoff) until the runs' jobs are finished. */
export async function drainRuns(
  world: World,
  runs: readonly Run[],
  options: { logger?: Parameters<typeof createWorker>[0]['logger'] } = {},
): Promise<void> {
  const worker = createWorker({
    store: world.store,
    // Nothing is killed here: a long lock, so a busy store (64 sagas on a few connections) never makes a
    // live job look abandoned.
    handlers: testHandlers(world.ctx, 60_000, 64),
    concurrency: 64,
    backoff: { baseMs: 10, capMs: 50 },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  await waitForJobs(runs, () => worker.drain());
}

/** Request counts of a POS simulator (its own accounting). */
export async function requestCounts(front: PosFront): Promise<{ total: number; byRoute: Record<string, number> }> {
  const body = await front.control('GET', '/_sim/requests?limit=1');
  return { total: body.total, byRoute: body.byRoute };
}
