/**
 * A person's decision on an amendment (accept, dismiss) and what applying it to the POS purchase order did
 * (migration 0012). The amendments themselves are raised on ingest (amendments.ts).
 */
import type { AmendmentChange } from '../../core/amendment.ts';
import type { Db } from '../db.ts';
import type { AmendmentState } from '../schema.ts';

export type AmendmentApplyState = 'applying' | 'applied' | 'refused' | 'failed';

export interface AmendmentRecord {
  id: string;
  tenantId: string;
  orderId: string;
  changes: AmendmentChange[];
  state: AmendmentState;
  detectedAt: number;
  decidedBy: string | null;
  decidedAt: number | null;
  applyState: AmendmentApplyState | null;
  /** The plan being applied (flows/amendments/plan.ts), as it was when it was accepted. */
  applyPlan: unknown;
  applyResult: unknown;
  applyJobId: string | null;
  appliedAt: number | null;
}

type Row = {
  id: string;
  tenant_id: string;
  order_id: string;
  changes: string;
  state: AmendmentState;
  detected_at: number;
  decided_by: string | null;
  decided_at: number | null;
  apply_state: string | null;
  apply_plan: string | null;
  apply_result: string | null;
  apply_job_id: string | null;
  applied_at: number | null;
};

const json = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

function toRecord(row: Row): AmendmentRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    orderId: row.order_id,
    changes: JSON.parse(row.changes) as AmendmentChange[],
    state: row.state,
    detectedAt: Number(row.detected_at),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at === null ? null : Number(row.decided_at),
    applyState: row.apply_state as AmendmentApplyState | null,
    applyPlan: json(row.apply_plan),
    applyResult: json(row.apply_result),
    applyJobId: row.apply_job_id,
    appliedAt: row.applied_at === null ? null : Number(row.applied_at),
  };
}

const columns = [
  'id',
  'tenant_id',
  'order_id',
  'changes',
  'state',
  'detected_at',
  'decided_by',
  'decided_at',
  'apply_state',
  'apply_plan',
  'apply_result',
  'apply_job_id',
  'applied_at',
] as const;

export async function get(db: Db, tenantId: string, id: string): Promise<AmendmentRecord | undefined> {
  const row = await db
    .selectFrom('amendments')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toRecord(row as Row) : undefined;
}

/** An order's amendments with their decisions, oldest first (the order they must be applied in). */
export async function forOrder(db: Db, tenantId: string, orderId: string): Promise<AmendmentRecord[]> {
  const rows = await db
    .selectFrom('amendments')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .orderBy('detected_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map((r) => toRecord(r as Row));
}

export interface Decision {
  state: 'accepted' | 'dismissed';
  by: string;
  /** Accepted: what will be applied, and the apply's first state (refused when the PO can take nothing). */
  apply?: { state: AmendmentApplyState; plan: unknown; result?: unknown; jobId?: string | null };
}

/** Records the decision on an open amendment; false when it was decided meanwhile (only one decision wins). */
export async function decide(db: Db, tenantId: string, id: string, decision: Decision, now: number): Promise<boolean> {
  const updated = await db
    .updateTable('amendments')
    .set({
      state: decision.state,
      decided_by: decision.by,
      decided_at: now,
      ...(decision.apply
        ? {
            apply_state: decision.apply.state,
            apply_plan: JSON.stringify(decision.apply.plan),
            apply_result: decision.apply.result === undefined ? null : JSON.stringify(decision.apply.result),
            apply_job_id: decision.apply.jobId ?? null,
            applied_at: decision.apply.state === 'applying' ? null : now,
          }
        : {}),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

export async function setJob(db: Db, tenantId: string, id: string, jobId: string): Promise<void> {
  await db
    .updateTable('amendments')
    .set({ apply_job_id: jobId })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** The apply's outcome: applied, refused by the POS, or failed (the result says why). */
export async function finishApply(
  db: Db,
  tenantId: string,
  id: string,
  state: Exclude<AmendmentApplyState, 'applying'>,
  result: unknown,
  now: number,
): Promise<void> {
  await db
    .updateTable('amendments')
    .set({ apply_state: state, apply_result: JSON.stringify(result), applied_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** The ids of a tenant's open amendments (automatic apply looks at each once). */
export async function openIds(db: Db, tenantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('amendments')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('state', '=', 'open')
    .orderBy('detected_at', 'asc')
    .execute();
  return rows.map((r) => r.id);
}
