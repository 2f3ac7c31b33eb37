/**
 * The pre-flight forecast of a brand (issue 16): its catalog, read through NuORDER's product listing, planned
 * against a POS connection's catalog mirror exactly as an order of every size would be (the same
 * `computePlan`: pricing, packs, shape, mappings), with the data-quality problems the merchant can send the
 * brand. Cheap: one NuORDER listing (or one read per product when the listing answers ids) and one change-feed
 * read of the POS; no call per size.
 */
import { z } from 'zod';
import { AppError, notFound } from '../core/errors.ts';
import { catalogOrder, forecastReport, type ForecastCounts, type ForecastProblem } from '../core/forecast.ts';
import type { BrandRef } from '../core/wholesale-order.ts';
import { enqueue } from '../jobs/queue.ts';
import { connections, type Connection } from '../store/repos/index.ts';
import { syncCatalogMirror } from './catalog-mirror.ts';
import { defineConnectionTask } from './connection-job.ts';
import type { EngineContext } from './engine-context.ts';
import { computePlan, requirePosConnection } from './plan-export.ts';

export interface BrandForecast {
  brand: BrandRef & { connectionId: string };
  pos: { connectionId: string; name: string; system: string };
  currency: string;
  generatedAt: number;
  counts: ForecastCounts;
  problems: ForecastProblem[];
  /** What this forecast cost: NuORDER requests (the listing, and product reads if it answered ids) and POS pages. */
  calls: { nuorder: number; pos: number };
}

/** A tenant's NuORDER connection, which is a brand in Tradeloop (one brand portal per connection). */
export async function requireBrand(ctx: EngineContext, tenantId: string, brandId: string): Promise<Connection> {
  const connection = await connections.get(ctx.store.db, tenantId, brandId);
  if (!connection || connection.system !== 'nuorder' || connection.status === 'unlinked')
    throw notFound('Brand', brandId);
  return connection;
}

export function brandOf(connection: Connection): BrandRef {
  return {
    sourceId: String(connection.settings['brandId'] ?? connection.externalAccountId),
    name: String(connection.settings['brandName'] ?? connection.name),
  };
}

async function choosePos(ctx: EngineContext, tenantId: string, posConnectionId?: string): Promise<Connection> {
  if (posConnectionId !== undefined) return requirePosConnection(ctx, tenantId, posConnectionId);
  const pos = (await connections.list(ctx.store.db, tenantId)).find(
    (c) => ctx.connectors.isPos(c.system) && c.status === 'linked',
  );
  if (!pos)
    throw new AppError(
      'NO_POS_CONNECTION',
      'Link a point of sale first: the forecast compares the brand with its catalog',
    );
  return pos;
}

export async function brandForecast(
  ctx: EngineContext,
  tenantId: string,
  brandId: string,
  options: { posConnectionId?: string } = {},
): Promise<BrandForecast> {
  const brandConnection = await requireBrand(ctx, tenantId, brandId);
  const posConnection = await choosePos(ctx, tenantId, options.posConnectionId);
  const source = await ctx.connectors.wholesaleSource(brandConnection);
  if (!source.listCatalog)
    throw new AppError('FORECAST_UNAVAILABLE', `${brandConnection.name} cannot list its catalog`);
  const pos = await ctx.connectors.pointOfSale(posConnection);
  const synced = await syncCatalogMirror(ctx, posConnection, pos, { unlessFresherThanMs: 60_000 });
  const currency = (await pos.storeCurrency()) ?? 'USD';
  const { products, requests } = await source.listCatalog(currency);
  const brand = brandOf(brandConnection);
  const order = catalogOrder(brand, currency, products);
  const plan = await computePlan(ctx, posConnection, [order], []);
  const report = forecastReport(plan, order);
  return {
    brand: { ...brand, connectionId: brandConnection.id },
    pos: { connectionId: posConnection.id, name: posConnection.name, system: posConnection.system },
    currency,
    generatedAt: ctx.now(),
    ...report,
    calls: { nuorder: requests, pos: synced?.pages ?? 0 },
  };
}

/** The brand's forecast against one POS connection (a job about the brand's NuORDER connection). */
export const brandForecastJob = defineConnectionTask(
  'brand.forecast',
  z.object({ connectionId: z.string().min(1), posConnectionId: z.string().min(1) }),
  { concurrency: 1 },
  (ctx, brand, payload) => runBrandForecastJob(ctx, brand, payload.posConnectionId),
);
export const forecastTask = brandForecastJob.name;

/** What the brand's card shows of its last forecast (the connection's settings keep it). */
export interface ForecastSummary {
  at: number;
  posConnectionId: string;
  counts: ForecastCounts;
  problems: number;
}

/**
 * When a brand is linked: one forecast per brand and POS connection, run in the background (the job key
 * dedupes it for good; the page and the API forecast again on demand). Called after each order pull, so a POS
 * linked later gets its forecast at the next pull.
 */
export async function enqueueBrandForecast(ctx: EngineContext, brand: Connection): Promise<number> {
  const pos = (await connections.list(ctx.store.db, brand.tenantId)).filter(
    (c) => ctx.connectors.isPos(c.system) && c.status === 'linked',
  );
  let created = 0;
  for (const p of pos) {
    const job = await enqueue(
      ctx.store.db,
      brandForecastJob,
      { connectionId: brand.id, posConnectionId: p.id },
      { tenantId: brand.tenantId, key: `${brand.id}:${p.id}`, now: ctx.now() },
    );
    if (job.created) created++;
  }
  return created;
}

/**
 * The background forecast: made and kept on the brand's connection as a summary. A nicety, not work anyone
 * waits for: when it cannot be made (the POS down, the listing refused) it says why in the job's result and
 * leaves the connection's health alone; the page makes it again on demand.
 */
export async function runBrandForecastJob(
  ctx: EngineContext,
  brand: Connection,
  posConnectionId: string,
): Promise<ForecastSummary | { notMade: string }> {
  let f: BrandForecast;
  try {
    f = await brandForecast(ctx, brand.tenantId, brand.id, { posConnectionId });
  } catch (error) {
    return { notMade: error instanceof Error ? error.message : String(error) };
  }
  const summary: ForecastSummary = {
    at: f.generatedAt,
    posConnectionId,
    counts: f.counts,
    problems: f.problems.length,
  };
  const fresh = await connections.get(ctx.store.db, brand.tenantId, brand.id);
  if (fresh)
    await connections.update(
      ctx.store.db,
      brand.tenantId,
      brand.id,
      { settings: { ...fresh.settings, forecast: summary } },
      ctx.now(),
    );
  return summary;
}
