import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { enqueue } from '../../jobs/queue.ts';
import { requestApply, retryExport } from '../../flows/apply-export.ts';
import { exportSaga } from '../../flows/export/saga.ts';
import { catalogSyncJob, ingestOrdersJob } from '../../flows/tasks.ts';
import type { EngineContext } from '../../flows/engine-context.ts';
import { syncStatuses } from '../../flows/order-status.ts';
import { createPlan, listLocations, overridePlan, requirePlan, requirePosConnection } from '../../flows/plan-export.ts';
import { connections, exports, orderShipments, wholesaleOrders } from '../../store/repos/index.ts';
import { orderTimelines } from '../../flows/order-timelines.ts';
import { historyViewOf, timelineViewOf } from './timeline-views.ts';
import * as amendmentRows from '../../store/repos/amendments.ts';
import type { ApiRouter } from '../api-router.ts';
import { remoteErrors } from '../error-statuses.ts';
import type { RouteModule } from '../app.ts';
import { pageQuery } from '../schemas/common.ts';
import { applyAccepted, exportsPage, exportStates, exportView, planProgress } from '../schemas/exports.ts';
import { orderDetailView, ordersPage, ordersQuery } from '../schemas/orders.ts';
import { itemOverride, planView } from '../schemas/plan.ts';
import { listOrders, orderSummary, toExportViews, toPlanView } from './export-views.ts';

const id = z.string().uuid('must be an id (UUID)');
const idParams = z.object({ id });

/** Orders, connections' settings, plans, exports: the export engine's REST API. */
export function exportEngineRoutes(engine: EngineContext): RouteModule {
  return (_ctx: AppContext, router: ApiRouter) => {
    const db = engine.store.db;

    router.route({
      method: 'get',
      path: '/api/orders',
      operationId: 'listOrders',
      summary: 'Wholesale orders with their POS-sync status per POS connection',
      tag: 'orders',
      query: ordersQuery,
      response: ordersPage,
      handler: async ({ c, query }) => listOrders(engine, c.get('caller').tenantId, query),
    });

    router.route({
      method: 'get',
      path: '/api/orders/:id',
      operationId: 'getOrder',
      summary: 'One wholesale order with its lines, sync status, export history and amendments',
      tag: 'orders',
      params: idParams,
      response: orderDetailView,
      handler: async ({ c, params }) => {
        const tenantId = c.get('caller').tenantId;
        const order = await wholesaleOrders.get(db, tenantId, params.id);
        if (!order) throw notFound('Order', params.id);
        const statuses = await syncStatuses(engine, tenantId, [order.id]);
        const amendments = await amendmentRows.forOrder(db, tenantId, order.id);
        const timeline = (
          await orderTimelines(engine, tenantId, [{ ...order, createdAt: order.document.createdAt }])
        ).get(order.id);
        return {
          ...orderSummary(order, statuses.get(order.id) ?? [], timeline),
          createdAt: order.document.createdAt,
          timelineDetail: timelineViewOf(timeline!),
          history: historyViewOf(await orderShipments.events(db, tenantId, order.id)),
          document: order.document,
          exports: await toExportViews(engine, tenantId, await exports.forOrders(db, tenantId, [order.id])),
          amendments: amendments.map((a) => ({
            id: a.id,
            state: a.state,
            detectedAt: new Date(a.detectedAt).toISOString(),
            changes: a.changes,
          })),
        };
      },
    });

    router.route({
      method: 'post',
      path: '/api/orders/sync',
      operationId: 'syncOrders',
      summary: 'Sync now: pull approved orders from every linked NuORDER connection',
      tag: 'orders',
      status: 202,
      response: z.object({ jobs: z.array(z.object({ connectionId: z.string(), jobId: z.string() })) }),
      handler: async ({ c }) => {
        const tenantId = c.get('caller').tenantId;
        const sources = await connections.list(db, tenantId, { system: 'nuorder' });
        const jobs = [];
        for (const source of sources.filter((s) => s.status === 'linked')) {
          const key = `manual:${source.id}:${engine.now()}:${crypto.randomUUID()}`;
          const { job } = await enqueue(
            db,
            ingestOrdersJob,
            { connectionId: source.id },
            { tenantId, key, now: engine.now() },
          );
          jobs.push({ connectionId: source.id, jobId: job.id });
        }
        return { jobs };
      },
    });

    router.route({
      method: 'get',
      path: '/api/connections/:id/locations',
      operationId: 'listLocations',
      errors: ['CONNECTION_NEEDS_RELINK', ...remoteErrors],
      summary: "A POS connection's locations (outlets / shops) a PO can be received at",
      tag: 'connections',
      params: idParams,
      query: z.object({ refresh: z.enum(['true', 'false']).optional() }),
      response: z.object({
        locations: z.array(
          z.object({ id: z.string(), name: z.string(), currency: z.string().nullable(), archived: z.boolean() }),
        ),
      }),
      handler: async ({ c, params, query }) => {
        const connection = await requirePosConnection(engine, c.get('caller').tenantId, params.id);
        const pos = await engine.connectors.pointOfSale(connection);
        return { locations: await listLocations(engine, connection, pos, query.refresh === 'true') };
      },
    });

    router.route({
      method: 'post',
      path: '/api/connections/:id/catalog-sync',
      operationId: 'syncCatalog',
      errors: ['CONNECTION_NEEDS_RELINK'],
      summary: "Refresh the mirror of a POS connection's catalog (full: re-read everything)",
      tag: 'connections',
      params: idParams,
      body: z.object({ full: z.boolean().default(false) }),
      status: 202,
      response: z.object({ jobId: z.string() }),
      handler: async ({ c, params, body }) => {
        const tenantId = c.get('caller').tenantId;
        await requirePosConnection(engine, tenantId, params.id);
        const { job } = await enqueue(
          db,
          catalogSyncJob,
          { connectionId: params.id, full: body.full },
          { tenantId, key: `manual:${params.id}:${engine.now()}`, now: engine.now() },
        );
        return { jobId: job.id };
      },
    });

    router.route({
      method: 'post',
      path: '/api/plans',
      operationId: 'createPlan',
      errors: [
        'NOT_FOUND',
        'LOCATION_UNKNOWN',
        'LOCATION_ARCHIVED',
        'ORDER_ALREADY_EXPORTED',
        'ORDER_CANCELLED',
        'CONNECTION_NEEDS_RELINK',
        ...remoteErrors,
      ],
      summary: 'Plan an export of one or many orders to a POS location (nothing is written to the POS)',
      tag: 'exports',
      status: 201,
      body: z.object({
        connectionId: id,
        locationId: z.string().min(1),
        orderIds: z.array(id).min(1).max(200),
        overrides: z.array(itemOverride).default([]),
      }),
      response: planView,
      handler: async ({ c, body }) => {
        const caller = c.get('caller');
        return toPlanView(await createPlan(engine, caller.tenantId, { ...body, createdBy: caller.userId }));
      },
    });

    router.route({
      method: 'get',
      path: '/api/plans/:id',
      operationId: 'getPlan',
      summary: 'An export plan: every line with its decision and evidence, grouped by style/color',
      tag: 'exports',
      params: idParams,
      query: z.object({
        matrixOffset: z.coerce.number().int().min(0).default(0).describe('Styles/colors to skip'),
        matrixLimit: z.coerce
          .number()
          .int()
          .min(1)
          .max(2000)
          .optional()
          .describe('Styles/colors to return at most (a page of a large plan); all when absent'),
      }),
      response: planView,
      handler: async ({ c, params, query }) =>
        toPlanView(await requirePlan(engine, c.get('caller').tenantId, params.id), {
          offset: query.matrixOffset,
          limit: query.matrixLimit,
        }),
    });

    router.route({
      method: 'post',
      path: '/api/plans/:id/overrides',
      operationId: 'overridePlan',
      errors: ['PLAN_NOT_DRAFT', 'CONNECTION_NEEDS_RELINK'],
      summary: "Record the buyer's choices (link a line or a style/color to a POS item, or create new) and recompute",
      tag: 'exports',
      params: idParams,
      body: z.object({ overrides: z.array(itemOverride).min(1).max(5000), replace: z.boolean().default(false) }),
      response: planView,
      handler: async ({ c, params, body }) =>
        toPlanView(await overridePlan(engine, c.get('caller').tenantId, params.id, body.overrides, body.replace)),
    });

    router.route({
      method: 'post',
      path: '/api/plans/:id/apply',
      operationId: 'applyPlan',
      errors: [
        'PLAN_NEEDS_REVIEW',
        'PLAN_DRIFTED',
        'PLAN_ALREADY_APPLYING',
        'PLAN_ALREADY_APPLIED',
        'PLAN_SUPERSEDED',
        'ORDER_ALREADY_EXPORTED',
        'ORDER_CANCELLED',
        'CONNECTION_NEEDS_RELINK',
        ...remoteErrors,
      ],
      summary:
        'Export: create the purchase orders, new draft items and links as planned (PLAN_DRIFTED if the POS changed)',
      tag: 'exports',
      params: idParams,
      status: 202,
      response: applyAccepted,
      handler: async ({ c, params }) => {
        const tenantId = c.get('caller').tenantId;
        const accepted = await requestApply(engine, tenantId, params.id);
        return {
          planId: accepted.planId,
          jobId: accepted.jobId,
          exports: await toExportViews(engine, tenantId, accepted.exports),
        };
      },
    });

    router.route({
      method: 'get',
      path: '/api/plans/:id/progress',
      operationId: 'getPlanProgress',
      summary: "Progress of a plan's export: its steps and each order's export",
      tag: 'exports',
      params: idParams,
      response: planProgress,
      handler: async ({ c, params }) => {
        const tenantId = c.get('caller').tenantId;
        const plan = await requirePlan(engine, tenantId, params.id);
        // The saga's planned steps joined with what it recorded: rendered as they are, never recomputed.
        const progress = await exportSaga.progress(engine, tenantId, { planId: plan.id });
        return {
          planId: plan.id,
          state: plan.state,
          steps: progress.steps.map((s) => ({
            key: s.key,
            label: s.label,
            state: s.state,
            orderId: s.scope,
            error: s.error,
          })),
          totalSteps: progress.total,
          doneSteps: progress.done,
          exports: await toExportViews(engine, tenantId, await exports.forPlan(db, tenantId, plan.id)),
        };
      },
    });

    router.route({
      method: 'get',
      path: '/api/exports',
      operationId: 'listExports',
      summary: 'Recent exports, most recently changed first',
      tag: 'exports',
      query: z.object({ state: z.enum(exportStates).optional(), ...pageQuery(50, 500) }),
      response: exportsPage,
      handler: async ({ c, query }) => {
        const tenantId = c.get('caller').tenantId;
        return {
          exports: await toExportViews(engine, tenantId, await exports.listRecent(db, tenantId, query)),
          total: await exports.countRecent(db, tenantId, query.state),
          limit: query.limit,
          offset: query.offset,
        };
      },
    });

    router.route({
      method: 'get',
      path: '/api/exports/:id',
      operationId: 'getExport',
      summary: 'One export (order → POS purchase order) with its result',
      tag: 'exports',
      params: idParams,
      response: exportView,
      handler: async ({ c, params }) => {
        const tenantId = c.get('caller').tenantId;
        const row = await exports.get(db, tenantId, params.id);
        if (!row) throw notFound('Export', params.id);
        const [view] = await toExportViews(engine, tenantId, [row]);
        if (!view) throw new AppError('INTERNAL', 'export view missing');
        return view;
      },
    });

    router.route({
      method: 'post',
      path: '/api/exports/:id/retry',
      operationId: 'retryExport',
      errors: ['EXPORT_NOT_FAILED', 'PLAN_DRIFTED', 'CONNECTION_NEEDS_RELINK'],
      summary: 'Retry a failed export; finished steps are not repeated and nothing is duplicated',
      tag: 'exports',
      params: idParams,
      status: 202,
      response: applyAccepted,
      handler: async ({ c, params }) => {
        const tenantId = c.get('caller').tenantId;
        const accepted = await retryExport(engine, tenantId, params.id);
        return {
          planId: accepted.planId,
          jobId: accepted.jobId,
          exports: await toExportViews(engine, tenantId, accepted.exports),
        };
      },
    });
  };
}
