import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { EngineContext } from '../../flows/engine-context.ts';
import { reorderDraft, sendReorder } from '../../flows/reorder/from-tradeloop.ts';
import { listPosReorders } from '../../flows/reorder/from-pos/view.ts';
import type { ApiRouter } from '../api-router.ts';
import type { RouteModule } from '../app.ts';
import { remoteErrors } from '../error-statuses.ts';
import { isoTime, pageQuery } from '../schemas/common.ts';
import { reorderDraft as draftReply, posReordersPage, reorderSent } from '../schemas/reorder.ts';

/** "Reorder" on an order or the synced PO it became: a new NuORDER order with the same lines. */

const idParams = z.object({ id: z.string().uuid('must be an order id (UUID)') });

export function reorderRoutes(engine: EngineContext): RouteModule {
  return (_ctx: AppContext, router: ApiRouter) => {
    router.route({
      method: 'get',
      path: '/api/orders/:id/reorder',
      operationId: 'getReorderDraft',
      summary: "A reorder's starting point: the order's lines with their quantities, to edit before sending",
      tag: 'reorder',
      params: idParams,
      response: draftReply,
      handler: ({ c, params }) => reorderDraft(engine, c.get('caller').tenantId, params.id),
    });

    router.route({
      method: 'post',
      path: '/api/orders/:id/reorder',
      operationId: 'sendReorder',
      errors: ['REORDER_UNAVAILABLE', 'CONNECTION_NEEDS_RELINK', ...remoteErrors],
      summary:
        'Send a new order with the same lines to NuORDER (quantities by line key may be changed; 0 leaves a line out) for the brand to approve; the same key sends it once',
      tag: 'reorder',
      params: idParams,
      body: z
        .object({
          quantities: z.record(z.string(), z.number().int().min(0).max(100_000)).optional(),
          key: z
            .string()
            .min(8)
            .max(100)
            .optional()
            .describe('Chosen by the client per reorder: a retry sends nothing twice'),
        })
        .strict(),
      response: reorderSent,
      handler: ({ c, params, body }) =>
        sendReorder(engine, c.get('caller').tenantId, params.id, {
          ...(body.quantities ? { quantities: body.quantities } : {}),
          ...(body.key ? { key: body.key } : {}),
        }),
    });

    router.route({
      method: 'get',
      path: '/api/connections/:id/pos-reorders',
      operationId: 'listPosReorders',
      summary:
        "Reorders started in the POS back office: purchase orders made for a linked brand's supplier, sent to NuORDER, with where each stands and the lines no item link could name",
      tag: 'reorder',
      params: z.object({ id: z.string().uuid('must be a POS connection id (UUID)') }),
      query: z.object(pageQuery(50, 200)),
      response: posReordersPage,
      handler: async ({ c, params, query }) => {
        const page = await listPosReorders(engine, c.get('caller').tenantId, params.id, query);
        return {
          reorders: page.reorders.map((r) => ({
            ...r,
            createdAt: isoTime(r.createdAt),
            updatedAt: isoTime(r.updatedAt),
          })),
          total: page.total,
          watched: page.watched,
          limit: query.limit,
          offset: query.offset,
        };
      },
    });
  };
}
