import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { notFound } from '../../core/errors.ts';
import { parseGtin } from '../../core/gtin.ts';
import { purchaseOrderKeyOf, type PosCatalogEntry } from '../../core/pos-catalog.ts';
import type { PosLocation } from '../../core/ports/pos.ts';
import { autoSyncTask } from '../../flows/auto-sync.ts';
import { describeForBuyer } from '../../flows/apply-export.ts';
import { list as listJobs } from '../../jobs/queue.ts';
import type { EngineContext } from '../../flows/engine-context.ts';
import { requirePlan } from '../../flows/plan-export.ts';
import * as jobRows from '../../store/repos/jobs.ts';
import {
  catalogMirror,
  connections,
  exportPlans,
  exports,
  itemLinks,
  settings,
  wholesaleOrders,
  type Connection,
  type StoredExport,
} from '../../store/repos/index.ts';
import type { Db } from '../../store/db.ts';
import type { ApiRouter } from '../api-router.ts';
import {
  catalogItem as itemDetail,
  connectionHealth,
  guideState,
  planCandidates,
  purchaseOrderDetail,
  purchaseOrdersPage,
  purchaseOrderView,
} from '../schemas/web.ts';
import { pageQuery } from '../schemas/common.ts';
import type { RouteModule } from '../app.ts';

/**
 * Reads the web app needs beyond the export engine's API: the onboarding guide's progress, connection
 * health details, POS item details for the review's "UPC match in POS" picker, and the purchase orders
 * as the POS shows them. Nothing here changes an export, a plan or a connection.
 */

const id = z.string().uuid('must be an id (UUID)');

const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

async function itemDetails(
  db: Db,
  tenantId: string,
  connectionId: string,
  entries: readonly PosCatalogEntry[],
): Promise<Array<z.input<typeof itemDetail>>> {
  if (entries.length === 0) return [];
  const parents = [...new Set(entries.map((e) => e.parentId).filter((p): p is string => p !== null))];
  const familySizes = await catalogMirror.familySizes(db, connectionId, parents);
  const links = await itemLinks.variantsLinkedTo(
    db,
    tenantId,
    connectionId,
    entries.map((e) => e.posItemId),
  );
  return entries.map((e) => ({
    posItemId: e.posItemId,
    name: e.name,
    sku: e.sku,
    gtins: [...e.gtins],
    archived: e.archived,
    parentId: e.parentId,
    familySize: e.parentId === null ? 1 : (familySizes.get(e.parentId) ?? 1),
    linkedVariants: links.filter((l) => l.posItemId === e.posItemId).map((l) => l.variantKey),
  }));
}

function locationName(connection: Connection, locationId: string): string | null {
  const cached = connection.settings['locations'] as { list?: PosLocation[] } | undefined;
  return cached?.list?.find((l) => l.id === locationId)?.name ?? null;
}

/**
 * The simulator back-office page of a PO, in demo mode only: the export's own PO link (its connector made it) when
 * the connection points at its system's demo simulator and the link goes there too.
 */
function backofficeUrl(engine: EngineContext, connection: Connection, poUrl: string | null): string | null {
  if (!poUrl || !URL.canParse(poUrl)) return null;
  const sims = (engine.demoHints?.['simulators'] ?? null) as Record<string, string> | null;
  const page = sims?.[connection.system];
  if (!page || !URL.canParse(page)) return null;
  const origin = new URL(page).origin;
  if (!connection.baseUrl.startsWith(origin) || new URL(poUrl).origin !== origin) return null;
  return poUrl;
}

async function purchaseOrderViews(
  engine: EngineContext,
  tenantId: string,
  rows: StoredExport[],
): Promise<Array<z.input<typeof purchaseOrderView>>> {
  const db = engine.store.db;
  const orders = await wholesaleOrders.getMany(db, tenantId, [...new Set(rows.map((r) => r.orderId))]);
  const allConnections = await connections.list(db, tenantId, { includeUnlinked: true });
  const planLocations = await exportPlans.locationsOf(db, tenantId, [...new Set(rows.map((r) => r.planId))]);
  return rows.flatMap((r) => {
    const connection = allConnections.find((c) => c.id === r.connectionId);
    if (!connection) return [];
    const order = orders.find((o) => o.id === r.orderId);
    const locationId = planLocations.get(r.planId) ?? null;
    return [
      {
        exportId: r.id,
        planId: r.planId,
        orderId: r.orderId,
        orderNumber: order?.orderNumber ?? null,
        brand: order?.brandName ?? null,
        connectionId: connection.id,
        connectionName: connection.name,
        system: connection.system,
        posLabel: engine.connectors.labels(connection.system).shortLabel,
        locationId,
        locationName: locationId ? locationName(connection, locationId) : null,
        poId: r.poId,
        poNumber: r.poNumber,
        poUrl: r.poUrl,
        backofficeUrl: backofficeUrl(engine, connection, r.poUrl),
        source: 'nuorder' as const,
        tag: 'Synced from NuORDER',
        exportedAt: iso(r.finishedAt),
        summary: r.summary,
      },
    ];
  });
}

export function webSupportRoutes(engine: EngineContext): RouteModule {
  return (_ctx: AppContext, router: ApiRouter) => {
    const db = engine.store.db;

    router.route({
      method: 'get',
      path: '/api/web/guide',
      operationId: 'getGuide',
      summary: "The signed-in person's progress through the web app's getting-started guide",
      tag: 'web',
      response: guideState,
      handler: async ({ c }) => {
        const caller = c.get('caller');
        const stored = guideState.safeParse(await settings.get(db, caller.tenantId, `web.guide:${caller.userId}`));
        return stored.success ? stored.data : { step: 0, dismissed: false, completed: false, seen: false };
      },
    });

    router.route({
      method: 'put',
      path: '/api/web/guide',
      operationId: 'saveGuide',
      summary: 'Saves the getting-started guide progress (step, dismissed, completed)',
      tag: 'web',
      body: guideState.partial(),
      response: guideState,
      handler: async ({ c, body }) => {
        const caller = c.get('caller');
        const key = `web.guide:${caller.userId}`;
        const previous = guideState.safeParse(await settings.get(db, caller.tenantId, key));
        const next = {
          ...(previous.success ? previous.data : { step: 0, dismissed: false, completed: false, seen: false }),
          ...body,
          seen: true,
        };
        await settings.set(db, caller.tenantId, key, next, engine.now());
        return next;
      },
    });

    router.route({
      method: 'get',
      path: '/api/web/connection-health',
      operationId: 'listConnectionHealth',
      summary:
        'Health details per connection: when orders or the catalog were last synced, whether a sync is running, the last job error',
      tag: 'web',
      response: z.object({ health: z.array(connectionHealth) }),
      handler: async ({ c }) => {
        const tenantId = c.get('caller').tenantId;
        const list = await connections.list(db, tenantId);
        const jobs = await jobRows.recentOfTasks(db, tenantId, ['orders.ingest', 'catalog.sync'], 500);
        const parsed = jobs.map((j) => ({
          ...j,
          connectionId: (JSON.parse(j.payload) as { connectionId?: string }).connectionId ?? null,
        }));
        // Automatic sync that failed for good (no export began, or it failed): its connection says so.
        const failedAutomatic = new Set(
          (await listJobs(db, tenantId, { task: autoSyncTask, state: 'failed', limit: 200 })).map(
            (j) => (j.payload as { connectionId?: string }).connectionId,
          ),
        );
        const orderCounts = await wholesaleOrders.countByConnection(db, tenantId);
        return {
          health: list.map((connection) => {
            const mine = parsed.filter((j) => j.connectionId === connection.id);
            const task = connection.system === 'nuorder' ? 'orders.ingest' : 'catalog.sync';
            const done = mine.find((j) => j.task === task && j.state === 'succeeded');
            const failed = mine.find((j) => j.last_error !== null && (j.state === 'failed' || j.state === 'queued'));
            return {
              connectionId: connection.id,
              lastOrderSyncAt:
                connection.system === 'nuorder' ? (iso(connection.lastSyncAt) ?? iso(done?.finished_at)) : null,
              lastCatalogSyncAt: connection.system === 'nuorder' ? null : iso(done?.finished_at),
              syncing: mine.some((j) => j.state === 'running' || (j.state === 'queued' && j.last_error === null)),
              orders: connection.system === 'nuorder' ? (orderCounts.get(connection.id) ?? 0) : null,
              lastJobError: failed?.last_error
                ? summarise(failed.last_error)
                : failedAutomatic.has(connection.id)
                  ? connection.lastError
                  : null,
            };
          }),
        };
      },
    });

    router.route({
      method: 'get',
      path: '/api/connections/:id/catalog',
      operationId: 'searchCatalog',
      summary: "Items in a POS connection's catalog mirror, by id, barcode, or a search of name and SKU",
      tag: 'web',
      params: z.object({ id }),
      query: z.object({
        q: z.string().trim().min(1).max(100).optional(),
        ids: z.string().max(4000).optional(),
        limit: z.coerce.number().int().min(1).max(50).default(20),
      }),
      response: z.object({ items: z.array(itemDetail) }),
      handler: async ({ c, params, query }) => {
        const tenantId = c.get('caller').tenantId;
        const connection = await connections.get(db, tenantId, params.id);
        if (!connection || connection.status === 'unlinked') throw notFound('Connection', params.id);
        let entries: PosCatalogEntry[] = [];
        if (query.ids)
          entries = await catalogMirror.getByIds(db, connection.id, query.ids.split(',').filter(Boolean).slice(0, 200));
        else if (query.q) {
          const gtin = parseGtin(query.q);
          if (gtin.ok)
            entries = await catalogMirror.lookup(db, connection.id, { gtins: [gtin.gtin14], posItemIds: [] });
          if (entries.length === 0) {
            const found = await catalogMirror.searchText(db, connection.id, query.q, query.limit);
            entries = await catalogMirror.getByIds(db, connection.id, found);
            entries.sort((a, b) => Number(a.archived) - Number(b.archived) || a.name.localeCompare(b.name));
          }
        }
        return {
          items: await itemDetails(db, tenantId, connection.id, entries.slice(0, query.ids ? 200 : query.limit)),
        };
      },
    });

    router.route({
      method: 'get',
      path: '/api/plans/:id/candidates',
      operationId: 'getPlanCandidates',
      summary:
        "Details of every POS item a plan refers to (matches, candidates, warnings), and which items carry each of the plan's barcodes",
      tag: 'web',
      params: z.object({ id }),
      response: planCandidates,
      handler: async ({ c, params }) => {
        const tenantId = c.get('caller').tenantId;
        const plan = await requirePlan(engine, tenantId, params.id);
        const ids = new Set<string>();
        const byGtin: Record<string, string[]> = {};
        for (const g of plan.plan.evidence.gtins) {
          byGtin[g.gtin14] = g.candidates.map((x) => x.posItemId);
          for (const x of g.candidates) ids.add(x.posItemId);
        }
        for (const i of plan.plan.evidence.items) if (i.item) ids.add(i.posItemId);
        for (const line of plan.plan.lines) {
          const d = line.decision;
          if (d.kind === 'confirmed' || d.kind === 'upc_match' || d.kind === 'linked_by_buyer') ids.add(d.posItemId);
          if (d.kind === 'needs_review') for (const x of d.candidates) ids.add(x.posItemId);
        }
        for (const w of plan.plan.warnings) for (const x of w.posItemIds ?? []) ids.add(x);
        const entries = await catalogMirror.getByIds(db, plan.connectionId, [...ids]);
        return { items: await itemDetails(db, tenantId, plan.connectionId, entries), byGtin };
      },
    });

    router.route({
      method: 'get',
      path: '/api/purchase-orders',
      operationId: 'listPurchaseOrders',
      summary:
        'Purchase orders Tradeloop created in the POS, newest first, each tagged with its source and linked to its order',
      tag: 'web',
      query: z.object({ connectionId: id.optional(), planId: id.optional(), ...pageQuery(50, 200) }),
      response: purchaseOrdersPage,
      handler: async ({ c, query }) => {
        const tenantId = c.get('caller').tenantId;
        const { rows: stored, total } = await exports.listExported(db, tenantId, query);
        return {
          purchaseOrders: await purchaseOrderViews(engine, tenantId, stored),
          total,
          limit: query.limit,
          offset: query.offset,
        };
      },
    });

    router.route({
      method: 'get',
      path: '/api/purchase-orders/:exportId',
      operationId: 'getPurchaseOrder',
      summary: 'One synced purchase order as the POS shows it now: its status and lines, read live from the POS',
      tag: 'web',
      params: z.object({ exportId: id }),
      response: purchaseOrderDetail,
      handler: async ({ c, params }) => {
        const tenantId = c.get('caller').tenantId;
        const row = await exports.get(db, tenantId, params.exportId);
        if (!row || row.state !== 'exported') throw notFound('Purchase order', params.exportId);
        const [view] = await purchaseOrderViews(engine, tenantId, [row]);
        if (!view) throw notFound('Purchase order', params.exportId);
        const connection = await connections.get(db, tenantId, row.connectionId);
        const order = await wholesaleOrders.get(db, tenantId, row.orderId);
        if (!connection || connection.status !== 'linked' || !row.poId) {
          return {
            ...view,
            live: null,
            liveError:
              connection?.status === 'linked'
                ? 'The POS did not report a purchase order id.'
                : 'This POS connection is not linked now, so the purchase order cannot be read from it.',
          };
        }
        try {
          const pos = await engine.connectors.pointOfSale(connection);
          // The key the export wrote: its plan stored it (older plans: the unscoped key).
          const planned = order
            ? (await requirePlan(engine, tenantId, row.planId)).plan.purchaseOrders.find(
                (po) => po.orderSourceId === order.sourceId,
              )
            : undefined;
          const found = order
            ? await pos.findPurchaseOrderByCorrelation({
                correlationKey: purchaseOrderKeyOf(
                  planned ?? { orderSourceId: order.sourceId, orderNumber: order.orderNumber },
                ),
                orderNumber: order.orderNumber,
              })
            : null;
          const lines = await pos.listPurchaseOrderLines(row.poId);
          const names = new Map(
            (
              await catalogMirror.getByIds(
                db,
                connection.id,
                lines.map((l) => l.posItemId),
              )
            ).map((e) => [e.posItemId, e]),
          );
          // Items created by the export are not in the mirror until its next sync: ask the POS for them.
          const missing = lines.map((l) => l.posItemId).filter((itemId) => !names.has(itemId));
          for (let i = 0; i < missing.length; i += 100) {
            const recheck = await pos.getCatalogEntries(missing.slice(i, i + 100)).catch(() => null);
            for (const e of recheck?.entries ?? []) names.set(e.posItemId, e);
          }
          return {
            ...view,
            live: {
              status: found?.status ?? null,
              open: found?.open ?? null,
              lines: lines.map((l) => ({
                posItemId: l.posItemId,
                name: names.get(l.posItemId)?.name ?? null,
                sku: names.get(l.posItemId)?.sku ?? null,
                quantity: l.quantity,
                unitCost: l.unitCost,
                received: l.received,
              })),
            },
            liveError: null,
          };
        } catch (error) {
          engine.logger.warn({ err: error, exportId: row.id }, 'reading a purchase order from the POS failed');
          return { ...view, live: null, liveError: describeForBuyer(error).message };
        }
      },
    });
  };
}

/** A job error in one short sentence, without the error class name or the code in brackets. */
function summarise(message: string): string {
  return message
    .replace(/^[A-Za-z]+Error: |^Remote[A-Za-z]+: /, '')
    .replace(/\s*\[[A-Z_]+\]\s*$/, '')
    .slice(0, 300);
}
