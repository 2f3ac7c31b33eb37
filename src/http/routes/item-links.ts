import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { EngineContext } from '../../flows/engine-context.ts';
import { changeLink, linkHistory, listLinks, undoLink, type LinkHistoryView } from '../../flows/item-links/ledger.ts';
import { users } from '../../store/repos/index.ts';
import type { ApiRouter } from '../api-router.ts';
import type { RouteModule } from '../app.ts';
import { isoTime, pageQuery } from '../schemas/common.ts';
import {
  duplicatesReply,
  followMergesReply,
  linkHistory as linkHistoryReply,
  linksPage,
  relinkReply,
} from '../schemas/item-links.ts';
import { followMerges, likelyDuplicates, relinkDuplicate } from '../../flows/item-links/merges.ts';
import { remoteErrors } from '../error-statuses.ts';

/** The item-link ledger of a POS connection (flows/item-links/ledger.ts): list, history, change, forget, undo. */

const idParams = z.object({ id: z.string().uuid('must be a POS connection id (UUID)') });
const variantKey = z.string().min(1).max(1000).describe('The size: its variant key from the list');

const historyReply = (h: LinkHistoryView) => ({
  ...h,
  events: h.events.map((e) => ({ ...e, undoes: e.undoes ?? null })),
});

/** Who the ledger names: the person's email (a token acts for its user too). */
async function who(engine: EngineContext, tenantId: string, userId: string): Promise<string> {
  return (await users.getById(engine.store.db, tenantId, userId))?.email ?? userId;
}

export function itemLinkRoutes(engine: EngineContext): RouteModule {
  return (_ctx: AppContext, router: ApiRouter) => {
    router.route({
      method: 'get',
      path: '/api/connections/:id/item-links',
      operationId: 'listItemLinks',
      errors: ['CONNECTION_NEEDS_RELINK'],
      summary:
        "The POS connection's item links (each size's POS item with its origin: UPC match, created by an export, chosen by a person, followed a merge), of one brand and/or matching a search",
      tag: 'item-links',
      params: idParams,
      query: z.object({
        brandId: z.string().uuid('must be a brand id (UUID, from GET /api/brands)').optional(),
        q: z.string().max(200).optional().describe('Style, colour, size, POS item id, name or SKU'),
        ...pageQuery(100, 500),
      }),
      response: linksPage,
      handler: async ({ c, params, query }) => {
        const page = await listLinks(engine, c.get('caller').tenantId, params.id, {
          ...(query.brandId ? { brandId: query.brandId } : {}),
          ...(query.q ? { search: query.q } : {}),
          limit: query.limit,
          offset: query.offset,
        });
        return {
          ...page,
          links: page.links.map((l) => ({ ...l, since: isoTime(l.since) })),
          limit: query.limit,
          offset: query.offset,
        };
      },
    });

    router.route({
      method: 'get',
      path: '/api/connections/:id/item-links/history',
      operationId: 'getItemLinkHistory',
      errors: ['CONNECTION_NEEDS_RELINK'],
      summary: "One size's link and every change to it, oldest first",
      tag: 'item-links',
      params: idParams,
      query: z.object({ variantKey }),
      response: linkHistoryReply,
      handler: async ({ c, params, query }) =>
        historyReply(await linkHistory(engine, c.get('caller').tenantId, params.id, query.variantKey)),
    });

    router.route({
      method: 'post',
      path: '/api/connections/:id/item-links/change',
      operationId: 'changeItemLink',
      // Linking to an item reads the POS's change feed first.
      errors: ['CONNECTION_NEEDS_RELINK', ...remoteErrors],
      summary:
        'Link a size to another POS item ({posItemId}) or forget its link ({posItemId: null}); the history keeps the old link and the next plan reads the new one',
      tag: 'item-links',
      params: idParams,
      body: z.object({ variantKey, posItemId: z.string().min(1).max(200).nullable() }).strict(),
      response: linkHistoryReply,
      handler: async ({ c, params, body }) => {
        const caller = c.get('caller');
        const by = await who(engine, caller.tenantId, caller.userId);
        return historyReply(
          await changeLink(engine, caller.tenantId, params.id, { variantKey: body.variantKey, to: body.posItemId, by }),
        );
      },
    });

    router.route({
      method: 'post',
      path: '/api/connections/:id/item-links/undo',
      operationId: 'undoItemLinkChange',
      errors: ['NOTHING_TO_UNDO', 'CONNECTION_NEEDS_RELINK'],
      summary: "Undo the last change to a size's link still in effect (recorded as an event of its own)",
      tag: 'item-links',
      params: idParams,
      body: z.object({ variantKey }).strict(),
      response: linkHistoryReply,
      handler: async ({ c, params, body }) => {
        const caller = c.get('caller');
        const by = await who(engine, caller.tenantId, caller.userId);
        return historyReply(await undoLink(engine, caller.tenantId, params.id, { variantKey: body.variantKey, by }));
      },
    });

    router.route({
      method: 'get',
      path: '/api/connections/:id/item-links/duplicates',
      operationId: 'listLikelyDuplicates',
      errors: ['CONNECTION_NEEDS_RELINK', ...remoteErrors],
      summary:
        "Likely duplicates: an item an export created beside the merchant's own item for the same style, colour and size (or SKU) with no shared barcode, each with both merge directions in plain words (X-Series: relink and deactivate)",
      tag: 'item-links',
      params: idParams,
      response: duplicatesReply,
      handler: ({ c, params }) => likelyDuplicates(engine, c.get('caller').tenantId, params.id),
    });

    router.route({
      method: 'post',
      path: '/api/connections/:id/item-links/follow-merges',
      operationId: 'followItemMerges',
      errors: ['CONNECTION_NEEDS_RELINK', ...remoteErrors],
      summary:
        'After merging items in the POS: read the whole catalog once and move every link whose item disappeared to the item that now carries its SKU or barcode',
      tag: 'item-links',
      params: idParams,
      response: followMergesReply,
      handler: ({ c, params }) => followMerges(engine, c.get('caller').tenantId, params.id),
    });

    router.route({
      method: 'post',
      path: '/api/connections/:id/item-links/relink-duplicate',
      operationId: 'relinkDuplicate',
      errors: ['CONNECTION_NEEDS_RELINK'],
      summary:
        "Where the POS cannot merge: link every size of Tradeloop's item ({ours}) to the merchant's item ({theirs}) instead; then deactivate the duplicate in the POS",
      tag: 'item-links',
      params: idParams,
      body: z.object({ ours: z.string().min(1).max(200), theirs: z.string().min(1).max(200) }).strict(),
      response: relinkReply,
      handler: async ({ c, params, body }) => {
        const caller = c.get('caller');
        const by = await who(engine, caller.tenantId, caller.userId);
        return relinkDuplicate(engine, caller.tenantId, params.id, { ...body, by });
      },
    });
  };
}
