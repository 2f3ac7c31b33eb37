import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { forecastCsv } from '../../core/forecast.ts';
import type { EngineContext } from '../../flows/engine-context.ts';
import { brandForecast, brandOf, type ForecastSummary } from '../../flows/forecast.ts';
import { connections } from '../../store/repos/index.ts';
import type { ApiRouter } from '../api-router.ts';
import { pageQuery } from '../schemas/common.ts';
import { brandsPage, forecastView } from '../schemas/merchant.ts';
import { remoteErrors } from '../error-statuses.ts';
import type { RouteModule } from '../app.ts';

/** Brands (one per NuORDER connection) and their pre-flight forecast and data-quality report (flows/forecast.ts). */

const idParams = z.object({ id: z.string().uuid('must be a brand id (UUID, from GET /api/brands)') });

export function forecastRoutes(engine: EngineContext): RouteModule {
  return (_ctx: AppContext, router: ApiRouter) => {
    router.route({
      method: 'get',
      path: '/api/brands',
      operationId: 'listBrands',
      summary: 'The brands of this organization: one per linked NuORDER brand portal (its id is the connection id)',
      tag: 'forecast',
      query: z.object(pageQuery(100, 500)),
      response: brandsPage,
      handler: async ({ c, query }) => {
        // One brand per linked brand portal: a handful, paged here.
        const list = await connections.list(engine.store.db, c.get('caller').tenantId, { system: 'nuorder' });
        return {
          brands: list.slice(query.offset, query.offset + query.limit).map((x) => {
            const kept = x.settings['forecast'] as ForecastSummary | undefined;
            return {
              id: x.id,
              ...brandOf(x),
              forecast: kept ? { ...kept, at: new Date(kept.at).toISOString() } : null,
            };
          }),
          total: list.length,
          limit: query.limit,
          offset: query.offset,
        };
      },
    });

    router.route({
      method: 'get',
      path: '/api/brands/:id/forecast',
      operationId: 'getBrandForecast',
      errors: ['FORECAST_UNAVAILABLE', 'NO_POS_CONNECTION', 'CONNECTION_NEEDS_RELINK', ...remoteErrors],
      csv: 'One row per problem: style, color, size, UPC, code and message (format=csv)',
      summary:
        "Pre-flight forecast: the brand's whole catalog planned against a POS catalog (how many sizes would match, be new, need review and why), with one problem per row; format=csv for the spreadsheet",
      tag: 'forecast',
      params: idParams,
      query: z.object({
        posConnectionId: z.string().uuid('must be a connection id (UUID)').optional(),
        format: z.enum(['json', 'csv']).optional(),
      }),
      response: forecastView,
      handler: async ({ c, params, query }) => {
        const f = await brandForecast(engine, c.get('caller').tenantId, params.id, {
          ...(query.posConnectionId ? { posConnectionId: query.posConnectionId } : {}),
        });
        if (query.format === 'csv') {
          const name = f.brand.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'brand';
          return new Response(forecastCsv(f.brand.name, f.problems), {
            headers: {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition': `attachment; filename="${name}-data-quality.csv"`,
            },
          });
        }
        return { ...f, generatedAt: new Date(f.generatedAt).toISOString() };
      },
    });
  };
}
