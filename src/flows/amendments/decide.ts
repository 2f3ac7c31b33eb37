/**
 * A person's (or automatic apply's) decision on an amendment. Accepting plans the change to the POS purchase order
 * (plan.ts), refuses what the PO can no longer take with the reason and what to do by hand, and otherwise records
 * the decision and queues the saga in one transaction; dismissing records the decision and changes nothing in the
 * POS. Only an open amendment can be decided, once.
 */
import { z } from 'zod';
import { conflict, notFound } from '../../core/errors.ts';
import { enqueue } from '../../jobs/queue.ts';
import { defineTask } from '../../jobs/task.ts';
import { amendmentDecisions, wholesaleOrders, type AmendmentRecord } from '../../store/repos/index.ts';
import type { EngineContext } from '../engine-context.ts';
import { appliesAmendmentsAutomatically } from '../merchant-settings.ts';
import { followRemotePolicy } from '../saga/index.ts';
import { amendedConnection, planAmendmentApply, type AmendmentApplyPlan } from './plan.ts';
import { amendmentSaga } from './saga.ts';

export interface AcceptOptions {
  /** Who decides: a user id, or `automatic`. */
  by: string;
  /** The fingerprint of the plan the person looked at: refused (drift) when the plan is no longer that. */
  fingerprint?: string | undefined;
}

export interface Accepted {
  amendment: AmendmentRecord;
  plan: AmendmentApplyPlan;
  jobId: string | null;
}

async function requireOpen(ctx: EngineContext, tenantId: string, id: string): Promise<AmendmentRecord> {
  const amendment = await amendmentDecisions.get(ctx.store.db, tenantId, id);
  if (!amendment) throw notFound('Amendment', id);
  if (amendment.state !== 'open')
    throw conflict('AMENDMENT_DECIDED', `This amendment was already ${amendment.state}`, { state: amendment.state });
  return amendment;
}

function refusalWords(plan: AmendmentApplyPlan): string {
  return plan.plan.refused.map((r) => `${r.message}. By hand: ${r.byHand.join('; ')}`).join(' — ');
}

export async function acceptAmendment(
  ctx: EngineContext,
  tenantId: string,
  id: string,
  options: AcceptOptions,
): Promise<Accepted> {
  await requireOpen(ctx, tenantId, id);
  const plan = await planAmendmentApply(ctx, tenantId, id);
  if (options.fingerprint !== undefined && options.fingerprint !== plan.fingerprint)
    throw conflict(
      'AMENDMENT_DRIFTED',
      `PO ${plan.poNumber} or the POS catalog changed since this plan was shown; look at the new plan and accept again`,
      { plan },
    );
  if (!plan.changesSomething && plan.plan.refused.length > 0)
    throw conflict('AMENDMENT_REFUSED', refusalWords(plan), { refused: plan.plan.refused });
  if (!plan.addedReady)
    throw conflict(
      'AMENDMENT_NEEDS_REVIEW',
      `${plan.added?.counts.needsReview ?? 0} added line(s) need a person: link them to a POS item or have them created, then accept again`,
      { blockers: plan.added?.blockers ?? [] },
    );
  const jobId = await ctx.store.db.transaction().execute(async (trx) => {
    const nothing = !plan.changesSomething;
    const decided = await amendmentDecisions.decide(
      trx,
      tenantId,
      id,
      {
        state: 'accepted',
        by: options.by,
        apply: nothing
          ? { state: 'applied', plan, result: { nothing: 'Nothing on the PO changes (notes, retail prices)' } }
          : { state: 'applying', plan },
      },
      ctx.now(),
    );
    if (!decided) throw conflict('AMENDMENT_DECIDED', 'This amendment was decided meanwhile');
    if (nothing) return null;
    const { job } = await enqueue(
      trx,
      amendmentSaga.task,
      { amendmentId: id },
      { tenantId, key: `amendment:${id}`, now: ctx.now() },
    );
    await amendmentDecisions.setJob(trx, tenantId, id, job.id);
    return job.id;
  });
  return { amendment: (await amendmentDecisions.get(ctx.store.db, tenantId, id)) as AmendmentRecord, plan, jobId };
}

export async function dismissAmendment(
  ctx: EngineContext,
  tenantId: string,
  id: string,
  by: string,
): Promise<AmendmentRecord> {
  await requireOpen(ctx, tenantId, id);
  if (!(await amendmentDecisions.decide(ctx.store.db, tenantId, id, { state: 'dismissed', by }, ctx.now())))
    throw conflict('AMENDMENT_DECIDED', 'This amendment was decided meanwhile');
  return (await amendmentDecisions.get(ctx.store.db, tenantId, id)) as AmendmentRecord;
}

/**
 * Automatic apply (a POS connection's `autoApplyAmendments`): an amendment that needs no person (nothing refused,
 * nothing to review, added lines ready) is accepted as `automatic`; any other stays open for the order page.
 */
export const autoApplyAmendmentJob = defineTask(
  'amendment.auto',
  z.object({ amendmentId: z.string().min(1) }),
  { concurrency: 2 },
  async (ctx: EngineContext, { amendmentId }, job, jobCtx) => {
    const amendment = await amendmentDecisions.get(ctx.store.db, job.tenantId, amendmentId);
    if (!amendment || amendment.state !== 'open') return { skipped: 'decided' };
    // Planning reads the PO from the POS: a 429 or an outage there waits, as in the saga's own steps.
    const connection = await amendedConnection(ctx, job.tenantId, amendmentId);
    if (!appliesAmendmentsAutomatically(connection)) return { skipped: 'manual' };
    const plan = await planAmendmentApply(ctx, job.tenantId, amendmentId).catch((error: unknown) =>
      followRemotePolicy(ctx, jobCtx, error, {
        tenantId: job.tenantId,
        connectionId: connection.id,
        since: job.createdAt,
        who: 'the POS',
      }),
    );
    if ('paused' in plan) return plan;
    if (!plan.needsNoReview || !plan.changesSomething) return { skipped: 'needs a person' };
    const accepted = await acceptAmendment(ctx, job.tenantId, amendmentId, {
      by: 'automatic',
      fingerprint: plan.fingerprint,
    });
    return { accepted: true, jobId: accepted.jobId };
  },
);

/** Queues a look at every open amendment of the organization, once each (after an order pull raised some). */
export async function enqueueAutoApply(ctx: EngineContext, tenantId: string): Promise<number> {
  let created = 0;
  for (const amendmentId of await amendmentDecisions.openIds(ctx.store.db, tenantId)) {
    const result = await enqueue(
      ctx.store.db,
      autoApplyAmendmentJob,
      { amendmentId },
      { tenantId, key: `auto:${amendmentId}`, now: ctx.now() },
    );
    if (result.created) created++;
  }
  return created;
}

/** An order's amendments with their decisions, oldest first (404 for an order of another organization). */
export async function listAmendments(
  ctx: EngineContext,
  tenantId: string,
  orderId: string,
): Promise<AmendmentRecord[]> {
  const order = await wholesaleOrders.get(ctx.store.db, tenantId, orderId);
  if (!order) throw notFound('Order', orderId);
  return amendmentDecisions.forOrder(ctx.store.db, tenantId, orderId);
}

/** One amendment of this order (the path names both: an amendment of another order is not found). */
export async function requireAmendment(
  ctx: EngineContext,
  tenantId: string,
  orderId: string,
  id: string,
): Promise<AmendmentRecord> {
  const amendment = await amendmentDecisions.get(ctx.store.db, tenantId, id);
  if (!amendment || amendment.orderId !== orderId) throw notFound('Amendment', id);
  return amendment;
}

/** The apply's planned steps with what the saga recorded (none before it is accepted). */
export async function amendmentProgress(ctx: EngineContext, tenantId: string, amendment: AmendmentRecord) {
  if (amendment.applyPlan === null || amendment.applyState === null) return { steps: [], total: 0, done: 0 };
  const progress = await amendmentSaga.progress(ctx, tenantId, { amendmentId: amendment.id });
  return { steps: progress.steps, total: progress.total, done: progress.done };
}

/** The plan to show: the one being applied once accepted (planning again would count its changes twice), else a fresh one. */
export async function amendmentPlanOf(
  ctx: EngineContext,
  tenantId: string,
  amendment: AmendmentRecord,
): Promise<AmendmentApplyPlan> {
  if (amendment.applyPlan) return amendment.applyPlan as AmendmentApplyPlan;
  return planAmendmentApply(ctx, tenantId, amendment.id);
}
