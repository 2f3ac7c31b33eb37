import type { Db } from '../db.ts';
import * as sagaSteps from './saga-steps.ts';

/**
 * The export saga's recorded steps, as the export's readers name them (plan id, order id): rows of the one
 * `saga_steps` table (migration 0009), written by the saga runtime (flows/saga/).
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
  return (await sagaSteps.list(db, tenantId, planId)).map((s) => ({
    planId: s.sagaId,
    stepKey: s.stepKey,
    orderId: s.scope,
    state: s.state,
    result: s.result,
    error: s.error,
    position: s.position,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
  }));
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
    .selectFrom('saga_steps as s')
    .innerJoin('export_plans as p', 'p.id', 's.saga_id')
    .select('s.saga_id')
    .where('s.tenant_id', '=', tenantId)
    .where('s.saga', '=', 'export')
    .where('s.step_key', '=', stepKey)
    .where('s.saga_id', '!=', planId)
    .where('p.connection_id', '=', connectionId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
