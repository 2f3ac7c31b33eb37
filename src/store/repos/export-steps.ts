import type { Db } from '../db.ts';
import type { ExportStepsTable } from '../schema.ts';

/**
 * The export saga's recorded steps (`export_steps`): each written before its POS call and again with what
 * it created, so a resumed saga reconciles instead of repeating (flows/export-steps.ts).
 */
export interface StoredStep {
  planId: string;
  stepKey: string;
  orderId: string | null;
  state: 'running' | 'done' | 'failed';
  result: unknown;
  error: string | null;
  position: number;
  startedAt: number;
  finishedAt: number | null;
}

export async function steps(db: Db, tenantId: string, planId: string): Promise<StoredStep[]> {
  const rows = await db
    .selectFrom('export_steps')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('plan_id', '=', planId)
    .orderBy('position')
    .execute();
  return rows.map(toStep);
}

export async function getStep(db: Db, planId: string, stepKey: string): Promise<StoredStep | undefined> {
  const row = await db
    .selectFrom('export_steps')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('step_key', '=', stepKey)
    .executeTakeFirst();
  return row && toStep(row);
}

/**
 * Whether another plan on this POS connection has started this step (and so may have created what it
 * creates): concurrent exports sharing a new product or supplier find what the first one made.
 */
export async function startedByOtherPlans(
  db: Db,
  tenantId: string,
  connectionId: string,
  planId: string,
  stepKey: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('export_steps as s')
    .innerJoin('export_plans as p', 'p.id', 's.plan_id')
    .select('s.plan_id')
    .where('s.tenant_id', '=', tenantId)
    .where('s.step_key', '=', stepKey)
    .where('s.plan_id', '!=', planId)
    .where('p.connection_id', '=', connectionId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Records that a step is about to talk to the POS. Written (committed) before the call. */
export async function startStep(
  db: Db,
  tenantId: string,
  planId: string,
  stepKey: string,
  orderId: string | null,
  position: number,
  now = Date.now(),
): Promise<void> {
  await db
    .insertInto('export_steps')
    .values({
      plan_id: planId,
      step_key: stepKey,
      tenant_id: tenantId,
      order_id: orderId,
      state: 'running',
      result: null,
      error: null,
      position,
      started_at: now,
      finished_at: null,
    })
    .onConflict((oc) =>
      oc.columns(['plan_id', 'step_key']).doUpdateSet({ state: 'running', error: null, started_at: now }),
    )
    .execute();
}

export async function finishStep(
  db: Db,
  planId: string,
  stepKey: string,
  result: unknown,
  now = Date.now(),
): Promise<void> {
  await db
    .updateTable('export_steps')
    .set({ state: 'done', result: JSON.stringify(result ?? null), error: null, finished_at: now })
    .where('plan_id', '=', planId)
    .where('step_key', '=', stepKey)
    .execute();
}

export async function failStep(
  db: Db,
  planId: string,
  stepKey: string,
  error: string,
  now = Date.now(),
): Promise<void> {
  await db
    .updateTable('export_steps')
    .set({ state: 'failed', error, finished_at: now })
    .where('plan_id', '=', planId)
    .where('step_key', '=', stepKey)
    .execute();
}

function toStep(row: ExportStepsTable): StoredStep {
  return {
    planId: row.plan_id,
    stepKey: row.step_key,
    orderId: row.order_id,
    state: row.state,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    error: row.error,
    position: row.position,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
