import type { Db } from '../db.ts';
import type { SagaStepState, SagaStepsTable } from '../schema.ts';

/**
 * Every saga's recorded steps (`saga_steps`, flows/saga/): each written before its remote call and again with
 * what it made, so a resumed saga returns a done step's result and reconciles a started one.
 */
export interface StoredSagaStep {
  sagaId: string;
  stepKey: string;
  saga: string;
  scope: string | null;
  state: SagaStepState;
  result: unknown;
  error: string | null;
  position: number;
  /** Runs so far (a resumed or retried step counts again). */
  attempts: number;
  startedAt: number;
  finishedAt: number | null;
}

export async function list(db: Db, tenantId: string, sagaId: string): Promise<StoredSagaStep[]> {
  const rows = await db
    .selectFrom('saga_steps')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('saga_id', '=', sagaId)
    .orderBy('position')
    .orderBy('started_at')
    .execute();
  return rows.map(toStep);
}

export async function get(
  db: Db,
  tenantId: string,
  sagaId: string,
  stepKey: string,
): Promise<StoredSagaStep | undefined> {
  const row = await db
    .selectFrom('saga_steps')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('saga_id', '=', sagaId)
    .where('step_key', '=', stepKey)
    .executeTakeFirst();
  return row && toStep(row);
}

export interface StepStart {
  saga: string;
  sagaId: string;
  stepKey: string;
  scope: string | null;
  position: number;
  now: number;
}

/**
 * Records that a step is about to run (committed before the remote call): a new row, or another attempt of a
 * step that was running or failed. A done step is left as it is.
 */
export async function start(db: Db, tenantId: string, input: StepStart): Promise<void> {
  await db
    .insertInto('saga_steps')
    .values({
      saga_id: input.sagaId,
      step_key: input.stepKey,
      tenant_id: tenantId,
      saga: input.saga,
      scope: input.scope,
      state: 'running',
      result: null,
      error: null,
      position: input.position,
      attempts: 1,
      started_at: input.now,
      finished_at: null,
    })
    .onConflict((oc) =>
      oc
        .columns(['saga_id', 'step_key'])
        .doUpdateSet((eb) => ({
          state: 'running',
          error: null,
          started_at: input.now,
          attempts: eb('saga_steps.attempts', '+', 1),
        }))
        .where('saga_steps.state', '!=', 'done'),
    )
    .execute();
}

export async function finish(
  db: Db,
  tenantId: string,
  sagaId: string,
  stepKey: string,
  result: unknown,
  now: number,
): Promise<void> {
  await db
    .updateTable('saga_steps')
    .set({ state: 'done', result: JSON.stringify(result ?? null), error: null, finished_at: now })
    .where('tenant_id', '=', tenantId)
    .where('saga_id', '=', sagaId)
    .where('step_key', '=', stepKey)
    .execute();
}

/** A done step stays done (a late failure of another run cannot undo what was recorded). */
export async function fail(
  db: Db,
  tenantId: string,
  sagaId: string,
  stepKey: string,
  error: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('saga_steps')
    .set({ state: 'failed', error, finished_at: now })
    .where('tenant_id', '=', tenantId)
    .where('saga_id', '=', sagaId)
    .where('step_key', '=', stepKey)
    .where('state', '!=', 'done')
    .execute();
}

function toStep(row: SagaStepsTable): StoredSagaStep {
  return {
    sagaId: row.saga_id,
    stepKey: row.step_key,
    saga: row.saga,
    scope: row.scope,
    state: row.state,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    error: row.error,
    position: Number(row.position),
    attempts: Number(row.attempts),
    startedAt: Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  };
}
