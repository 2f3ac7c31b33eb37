import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { invalidInput, notFound } from '../../core/errors.ts';
import { retryFailedAutoSync } from '../../flows/auto-sync.ts';
import type { EngineContext } from '../../flows/engine-context.ts';
import { requireDefaultLocation } from '../../flows/plan-export.ts';
import { completePosLink, startPosLink, unlinkConnection } from '../../flows/link-account.ts';
import { chosenRetailer } from '../../flows/link-nuorder.ts';
import { callerBinding } from '../auth.ts';
import type { BudgetState } from '../../connectors/shared/rate-governor.ts';
import { catalogMirror, connections, itemLinks, rateBudgets, type Connection } from '../../store/repos/index.ts';
import { pageQuery } from '../schemas/common.ts';
import { connectionView, connectionsList, demoHints, toRateHeadroom } from '../schemas/connections.ts';
import type { ApiRouter } from '../api-router.ts';
import { remoteErrors } from '../error-statuses.ts';
import type { RouteModule } from '../app.ts';
import { nuorderLinkRoutes } from './nuorder-link.ts';

async function toView(ctx: EngineContext, c: Connection): Promise<z.input<typeof connectionView>> {
  const manifest = ctx.connectors.manifest(c.system);
  const isPos = manifest?.kind === 'pos';
  const takesCurrency = isPos && manifest.currencyIsSetting === true;
  const budget = isPos ? await rateBudgets.firstWithPrefix(ctx.store.db, `${c.system}:${c.externalAccountId}:`) : null;
  const labels = ctx.connectors.labels(c.system);
  return {
    id: c.id,
    system: c.system,
    kind: manifest?.kind ?? null,
    systemLabel: labels.label,
    shortLabel: labels.shortLabel,
    supplierWord: isPos ? (manifest.supplierWord ?? 'supplier') : null,
    takesCurrency,
    purchaseOrdersUrl: manifest?.purchaseOrdersPage?.(c) ?? null,
    name: c.name,
    status: c.status,
    accountId: c.externalAccountId,
    syncMode: isPos ? (c.settings['syncMode'] === 'automatic' ? 'automatic' : 'manual') : null,
    autoApplyAmendments: isPos ? c.settings['autoApplyAmendments'] === true : null,
    currency: takesCurrency && typeof c.settings['currency'] === 'string' ? c.settings['currency'] : null,
    defaultLocationId: typeof c.settings['defaultLocationId'] === 'string' ? c.settings['defaultLocationId'] : null,
    brandName: typeof c.settings['brandName'] === 'string' ? c.settings['brandName'] : null,
    retailer: c.system === 'nuorder' ? chosenRetailer(c) : null,
    lastSyncAt: c.lastSyncAt === null ? null : new Date(c.lastSyncAt).toISOString(),
    lastError: c.lastError,
    rateHeadroom: budget ? toRateHeadroom(budget as BudgetState) : null,
    catalogItems: isPos ? await catalogMirror.count(ctx.store.db, c.id) : null,
    itemLinks: isPos ? await itemLinks.count(ctx.store.db, c.tenantId, c.id) : null,
    createdAt: new Date(c.createdAt).toISOString(),
  };
}

/** A registered POS system's name: checked against the registry, so a new POS needs no change here. */
export function posSystem(engine: EngineContext) {
  return z.string().refine((system) => engine.connectors.isPos(system), {
    message: `must be a registered POS system (${engine.connectors.systems('pos').join(', ')})`,
  });
}

const idParams = z.object({ id: z.string().uuid('must be an id (UUID)') });

/** Linking, listing, configuring and unlinking connections. */
export function connectionRoutes(engine: EngineContext): RouteModule {
  return (_ctx: AppContext, router: ApiRouter) => {
    const db = engine.store.db;

    router.route({
      method: 'get',
      path: '/api/connections',
      operationId: 'listConnections',
      summary: 'Linked accounts (NuORDER brand portals, POS stores, NetSuite) with their health',
      tag: 'connections',
      query: z.object(pageQuery(100, 500)),
      response: connectionsList,
      handler: async ({ c, query }) => {
        // An organization links a handful of accounts: one read, paged here.
        const list = await connections.list(db, c.get('caller').tenantId);
        const page = list.slice(query.offset, query.offset + query.limit);
        const p = engine.config.providers;
        return {
          connections: await Promise.all(page.map((x) => toView(engine, x))),
          total: list.length,
          limit: query.limit,
          offset: query.offset,
          providers: {
            lightspeedX: p.lightspeedX.clientId !== null,
            lightspeedR: p.lightspeedR.clientId !== null,
            nuorderBaseUrl: p.nuorder.baseUrl,
            demo: demoHints.nullable().parse(engine.demoHints ?? null),
            systems: engine.connectors.systems().map((system) => ({
              system,
              kind: engine.connectors.manifest(system)!.kind,
              ...engine.connectors.labels(system),
            })),
          },
        };
      },
    });

    // Linking a NuORDER brand portal and choosing its store: nuorder-link.ts.
    nuorderLinkRoutes(engine, router, { view: connectionView, toView });

    router.route({
      method: 'post',
      path: '/api/connections/pos',
      operationId: 'startPosLink',
      errors: ['PROVIDER_NOT_CONFIGURED'],
      summary: 'Start linking a POS store (a registered POS system); returns the consent page to open',
      tag: 'connections',
      status: 201,
      body: z.object({
        system: posSystem(engine).describe('A registered POS system, e.g. lightspeed-x'),
        name: z.string().trim().min(1).max(200).optional(),
        relinkConnectionId: z.string().uuid().optional(),
      }),
      response: z.object({ authorizeUrl: z.string() }),
      handler: async ({ c, body }) =>
        startPosLink(engine, c.get('caller').tenantId, body, callerBinding(c.get('caller'))),
    });

    router.route({
      method: 'get',
      path: '/api/connections/oauth/callback',
      operationId: 'completePosLink',
      redirect: 302,
      summary: 'Where Lightspeed sends the person back with the code; redirects to the Connections page',
      tag: 'connections',
      query: z.object({
        state: z.string().max(200).optional(),
        code: z.string().max(2000).optional(),
        domain_prefix: z.string().max(200).optional(),
        error: z.string().max(200).optional(),
        error_description: z.string().max(2000).optional(),
      }),
      response: z.object({}),
      handler: async ({ c, query }) => {
        try {
          const connection = await completePosLink(
            engine,
            c.get('caller').tenantId,
            query,
            callerBinding(c.get('caller')),
          );
          return c.redirect(`/connections?linked=${connection.id}`);
        } catch (error) {
          return c.redirect(
            `/connections?error=${encodeURIComponent(error instanceof Error ? error.message : 'Linking failed')}`,
          );
        }
      },
    });

    router.route({
      method: 'patch',
      path: '/api/connections/:id',
      operationId: 'updateConnection',
      errors: ['CONNECTION_NEEDS_RELINK', ...remoteErrors],
      summary:
        "Change a connection's name, PO sync mode (manual / automatic), automatic amendments, default location or (a POS that does not say its own) account currency",
      tag: 'connections',
      params: idParams,
      body: z.object({
        name: z.string().trim().min(1).max(200).optional(),
        syncMode: z.enum(['manual', 'automatic']).optional(),
        autoApplyAmendments: z
          .boolean()
          .optional()
          .describe('Apply amendments that need no person (nothing refused or to review) to the POS PO by themselves'),
        defaultLocationId: z.string().min(1).nullable().optional(),
        currency: z
          .string()
          .trim()
          .regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code such as USD, CAD or EUR')
          .transform((code) => code.toUpperCase())
          .optional(),
      }),
      response: connectionView,
      handler: async ({ c, params, body }) => {
        const tenantId = c.get('caller').tenantId;
        const connection = await connections.get(db, tenantId, params.id);
        if (!connection || connection.status === 'unlinked') throw notFound('Connection', params.id);
        if (body.currency !== undefined && engine.connectors.manifest(connection.system)?.currencyIsSetting !== true) {
          const label = engine.connectors.labels(connection.system).label;
          throw invalidInput(
            `currency: a ${label} connection takes no currency (only a POS that does not say its own takes one)`,
          );
        }
        // Checked against the POS (400 naming the field): a wrong location fails every automatic export later.
        if (typeof body.defaultLocationId === 'string')
          await requireDefaultLocation(engine, connection, body.defaultLocationId);
        const settings = { ...connection.settings };
        if (body.currency !== undefined) settings['currency'] = body.currency;
        if (body.syncMode !== undefined) settings['syncMode'] = body.syncMode;
        if (body.autoApplyAmendments !== undefined) {
          if (!engine.connectors.isPos(connection.system))
            throw invalidInput('autoApplyAmendments: only a POS connection has purchase orders to amend');
          settings['autoApplyAmendments'] = body.autoApplyAmendments;
        }
        if (body.defaultLocationId !== undefined) settings['defaultLocationId'] = body.defaultLocationId;
        await connections.update(
          db,
          tenantId,
          connection.id,
          { settings, ...(body.name ? { name: body.name } : {}) },
          engine.now(),
        );
        // What automatic sync could not export (a wrong location, say) runs again with the new settings.
        if (settings['syncMode'] === 'automatic' && (body.defaultLocationId || body.syncMode))
          await retryFailedAutoSync(engine, tenantId, connection.id);
        return toView(engine, (await connections.get(db, tenantId, connection.id)) as Connection);
      },
    });

    router.route({
      method: 'delete',
      path: '/api/connections/:id',
      operationId: 'unlinkConnection',
      summary: 'Unlink: credentials are destroyed and syncing stops; item links and export history are kept',
      tag: 'connections',
      params: idParams,
      response: z.object({ ok: z.boolean() }),
      handler: async ({ c, params }) => {
        await unlinkConnection(engine, c.get('caller').tenantId, params.id);
        return { ok: true };
      },
    });
  };
}
