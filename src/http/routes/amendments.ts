import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import {
  acceptAmendment,
  amendmentPlanOf,
  amendmentProgress,
  dismissAmendment,
  listAmendments,
  requireAmendment,
} from '../../flows/amendments/decide.ts';
import { amendmentView, planView, type AmendmentView } from '../../flows/amendments/view.ts';
import type { EngineContext } from '../../flows/engine-context.ts';
import { users } from '../../store/repos/index.ts';
import type { ApiRouter } from '../api-router.ts';
import type { RouteModule } from '../app.ts';
import { remoteErrors } from '../error-statuses.ts';
import {
  amendmentAccepted,
  amendmentPlan,
  amendmentProgress as progressReply,
  amendmentsPage,
  amendmentDecision,
} from '../schemas/amendments.ts';
import { isoTime, pageQuery } from '../schemas/common.ts';

/** Amendments of an exported order: list, the plan of applying one to the POS PO, accept, dismiss, progress. */

const orderParams = z.object({ id: z.string().uuid('must be an order id (UUID)') });
const amendmentParams = orderParams.extend({
  amendmentId: z.string().uuid('must be an amendment id (UUID)'),
});

const toReply = (a: AmendmentView) => ({
  ...a,
  detectedAt: isoTime(a.detectedAt),
  decidedAt: isoTime(a.decidedAt),
  appliedAt: isoTime(a.appliedAt),
});

/** Who decided: the person's email (a token acts for its user too). */
async function who(engine: EngineContext, tenantId: string, userId: string): Promise<string> {
  return (await users.getById(engine.store.db, tenantId, userId))?.email ?? userId;
}

const applyErrors = ['AMENDMENT_NOT_APPLICABLE', 'CONNECTION_NEEDS_RELINK', ...remoteErrors] as const;

export function amendmentRoutes(engine: EngineContext): RouteModule {
  return (_ctx: AppContext, router: ApiRouter) => {
    router.route({
      method: 'get',
      path: '/api/orders/:id/amendments',
      operationId: 'listOrderAmendments',
      summary: "The order's amendments (changes after its export), oldest first, with the decision on each",
      tag: 'orders',
      params: orderParams,
      query: z.object(pageQuery(50, 200)),
      response: amendmentsPage,
      handler: async ({ c, params, query }) => {
        const all = await listAmendments(engine, c.get('caller').tenantId, params.id);
        return {
          amendments: all.slice(query.offset, query.offset + query.limit).map((a) => toReply(amendmentView(a))),
          total: all.length,
          limit: query.limit,
          offset: query.offset,
        };
      },
    });

    router.route({
      method: 'get',
      path: '/api/orders/:id/amendments/:amendmentId/plan',
      operationId: 'getAmendmentPlan',
      errors: [...applyErrors],
      summary:
        'What accepting the amendment changes on the POS purchase order, what the PO can no longer take and why, and what to do by hand (reads the PO; writes nothing)',
      tag: 'orders',
      params: amendmentParams,
      response: amendmentPlan,
      handler: async ({ c, params }) => {
        const tenantId = c.get('caller').tenantId;
        const amendment = await requireAmendment(engine, tenantId, params.id, params.amendmentId);
        return planView(await amendmentPlanOf(engine, tenantId, amendment));
      },
    });

    router.route({
      method: 'post',
      path: '/api/orders/:id/amendments/:amendmentId/accept',
      operationId: 'acceptAmendment',
      errors: ['AMENDMENT_DECIDED', 'AMENDMENT_DRIFTED', 'AMENDMENT_REFUSED', 'AMENDMENT_NEEDS_REVIEW', ...applyErrors],
      summary:
        'Accept: apply the amendment to the POS purchase order in the background (AMENDMENT_REFUSED with the reason when the PO can no longer change)',
      tag: 'orders',
      params: amendmentParams,
      body: z
        .object({
          fingerprint: z.string().min(1).max(100).optional().describe('The fingerprint of the plan looked at'),
        })
        .strict(),
      status: 202,
      response: amendmentAccepted,
      handler: async ({ c, params, body }) => {
        const caller = c.get('caller');
        await requireAmendment(engine, caller.tenantId, params.id, params.amendmentId);
        const accepted = await acceptAmendment(engine, caller.tenantId, params.amendmentId, {
          by: await who(engine, caller.tenantId, caller.userId),
          fingerprint: body.fingerprint,
        });
        return {
          amendment: toReply(amendmentView(accepted.amendment)),
          plan: planView(accepted.plan),
          jobId: accepted.jobId,
        };
      },
    });

    router.route({
      method: 'post',
      path: '/api/orders/:id/amendments/:amendmentId/dismiss',
      operationId: 'dismissAmendment',
      errors: ['AMENDMENT_DECIDED'],
      summary: 'Dismiss: the POS purchase order stays as it is',
      tag: 'orders',
      params: amendmentParams,
      body: z.object({}).strict(),
      response: amendmentDecision,
      handler: async ({ c, params }) => {
        const caller = c.get('caller');
        await requireAmendment(engine, caller.tenantId, params.id, params.amendmentId);
        const by = await who(engine, caller.tenantId, caller.userId);
        return toReply(amendmentView(await dismissAmendment(engine, caller.tenantId, params.amendmentId, by)));
      },
    });

    router.route({
      method: 'get',
      path: '/api/orders/:id/amendments/:amendmentId/progress',
      operationId: 'getAmendmentProgress',
      summary: "The apply's steps, in the order they run, with what each did (none before it is accepted)",
      tag: 'orders',
      params: amendmentParams,
      response: progressReply,
      handler: async ({ c, params }) => {
        const tenantId = c.get('caller').tenantId;
        const amendment = await requireAmendment(engine, tenantId, params.id, params.amendmentId);
        const progress = await amendmentProgress(engine, tenantId, amendment);
        return {
          amendmentId: amendment.id,
          applyState: amendment.applyState,
          steps: progress.steps.map((s) => ({ key: s.key, label: s.label, state: s.state, error: s.error })),
          totalSteps: progress.total,
          doneSteps: progress.done,
        };
      },
    });
  };
}
