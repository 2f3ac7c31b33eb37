import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { invalidInput } from '../../core/errors.ts';
import type { EngineContext } from '../../flows/engine-context.ts';
import { locationForOrders, mapAddress, mapBrand, mappingsView } from '../../flows/mappings.ts';
import { retryFailedAutoSync } from '../../flows/auto-sync.ts';
import { requirePosConnection } from '../../flows/plan-export.ts';
import { wholesaleOrders } from '../../store/repos/index.ts';
import type { ApiRouter } from '../api-router.ts';
import { mappingsView as mappingsReply, ordersLocation, supplierMapping } from '../schemas/merchant.ts';
import { remoteErrors } from '../error-statuses.ts';
import type { RouteModule } from '../app.ts';

/** The brand → supplier and ship-to → location mappings of a POS connection (flows/mappings.ts). */

const idParams = z.object({ id: z.string().uuid('must be an id (UUID)') });

export function mappingRoutes(engine: EngineContext): RouteModule {
  return (_ctx: AppContext, router: ApiRouter) => {
    router.route({
      method: 'get',
      path: '/api/connections/:id/mappings',
      operationId: 'getMappings',
      errors: ['CONNECTION_NEEDS_RELINK', ...remoteErrors],
      summary:
        "Each brand's POS supplier (with suggestions by name) and each ship-to address's location, with the POS's suppliers and locations to choose from",
      tag: 'mappings',
      params: idParams,
      response: mappingsReply,
      handler: ({ c, params }) => mappingsView(engine, c.get('caller').tenantId, params.id),
    });

    router.route({
      method: 'put',
      path: '/api/connections/:id/mappings/brands/:brandSourceId',
      operationId: 'mapBrand',
      errors: ['CONNECTION_NEEDS_RELINK', ...remoteErrors],
      summary:
        'Map a brand to an existing POS supplier ({supplierId}), create its supplier in the POS ({create: true}), or remove the mapping ({supplierId: null})',
      tag: 'mappings',
      params: idParams.extend({ brandSourceId: z.string().min(1).max(200) }),
      body: z.union([
        z.object({ supplierId: z.string().min(1).max(200).nullable() }).strict(),
        z.object({ create: z.literal(true) }).strict(),
      ]),
      response: supplierMapping,
      handler: async ({ c, params, body }) => {
        const wanted =
          'create' in body
            ? { create: true as const }
            : body.supplierId === null
              ? null
              : { supplierId: body.supplierId };
        return { supplier: await mapBrand(engine, c.get('caller').tenantId, params.id, params.brandSourceId, wanted) };
      },
    });

    router.route({
      method: 'put',
      path: '/api/connections/:id/mappings/locations',
      operationId: 'mapLocation',
      errors: ['CONNECTION_NEEDS_RELINK', ...remoteErrors],
      summary:
        'Map a ship-to address (its key from GET …/mappings) to a POS location, or remove the mapping (locationId null); automatic sync runs again what waited for it',
      tag: 'mappings',
      params: idParams,
      body: z
        .object({ addressKey: z.string().min(1).max(1000), locationId: z.string().min(1).max(200).nullable() })
        .strict(),
      response: z.object({ ok: z.boolean() }),
      handler: async ({ c, params, body }) => {
        const tenantId = c.get('caller').tenantId;
        await mapAddress(engine, tenantId, params.id, body.addressKey, body.locationId);
        if (body.locationId !== null) await retryFailedAutoSync(engine, tenantId, params.id);
        return { ok: true };
      },
    });

    router.route({
      method: 'get',
      path: '/api/connections/:id/location-for',
      operationId: 'getLocationForOrders',
      errors: ['CONNECTION_NEEDS_RELINK'],
      summary:
        "The location mapped to these orders' ship-to address (preselected in the review), or mapped: false when it has none yet",
      tag: 'mappings',
      params: idParams,
      query: z.object({ orderIds: z.string().min(1).max(20_000) }),
      response: ordersLocation,
      handler: async ({ c, params, query }) => {
        const tenantId = c.get('caller').tenantId;
        await requirePosConnection(engine, tenantId, params.id);
        const ids = [...new Set(query.orderIds.split(','))];
        if (ids.some((id) => !/^[0-9a-f-]{36}$/i.test(id)))
          throw invalidInput('orderIds: a comma-separated list of order ids', [
            { path: 'orderIds', message: 'a comma-separated list of order ids' },
          ]);
        const orders = await wholesaleOrders.getMany(engine.store.db, tenantId, ids);
        return locationForOrders(
          engine,
          tenantId,
          params.id,
          orders.map((o) => o.document),
        );
      },
    });
  };
}
