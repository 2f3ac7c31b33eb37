/**
 * The pre-flight forecast of a brand (issue 16): its catalog, read through NuORDER's product listing, planned
 * against a POS connection's catalog mirror exactly as an order of every size would be (the same
 * `computePlan`: pricing, packs, shape, mappings), with the data-quality problems the merchant can send the
 * brand. Cheap: one NuORDER listing (or one read per product when the listing answers ids) and one change-feed
 * read of the POS; no call per size.
 */
import { AppError, notFound } from '../core/errors.ts';
import { catalogOrder, forecastReport, type ForecastCounts, type ForecastProblem } from '../core/forecast.ts';
import type { BrandRef } from '../core/wholesale-order.ts';
import { connections, type Connection } from '../store/repos/index.ts';
import { syncCatalogMirror } from './catalog-mirror.ts';
import type { EngineContext } from './engine-context.ts';
import { computePlan, posSystems, requirePosConnection } from './plan-export.ts';

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
    (c) => (posSystems as readonly string[]).includes(c.system) && c.status === 'linked',
  );
  if (!pos)
    throw new AppError(
      'NO_POS_CONNECTION',
      'Link a point of sale first: the forecast compares the brand with its catalog',
      {
        httpStatus: 409,
      },
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
    throw new AppError('FORECAST_UNAVAILABLE', `${brandConnection.name} cannot list its catalog`, { httpStatus: 409 });
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
