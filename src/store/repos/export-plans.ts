import type { ExportPlan, ItemOverride } from '../../core/plan.ts';
import type { Db } from '../db.ts';
import type { ExportPlanState, ExportPlansTable } from '../schema.ts';

export interface StoredPlan {
  id: string;
  tenantId: string;
  connectionId: string;
  locationId: string;
  orderIds: string[];
  state: ExportPlanState;
  overrides: ItemOverride[];
  plan: ExportPlan;
  fingerprint: string;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewPlan {
  connectionId: string;
  locationId: string;
  orderIds: string[];
  overrides: ItemOverride[];
  plan: ExportPlan;
  createdBy: string | null;
  now?: number;
}

export async function create(db: Db, tenantId: string, input: NewPlan): Promise<StoredPlan> {
  const now = input.now ?? Date.now();
  const row: ExportPlansTable = {
    id: crypto.randomUUID(),
    tenant_id: tenantId,
    connection_id: input.connectionId,
    location_id: input.locationId,
    order_ids: JSON.stringify(input.orderIds),
    state: 'draft',
    overrides: JSON.stringify(input.overrides),
    plan: JSON.stringify(input.plan),
    fingerprint: input.plan.fingerprint,
    created_by: input.createdBy,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('export_plans').values(row).execute();
  return toStored(row);
}

/** The location each of these plans exports to, by plan id. */
export async function locationsOf(db: Db, tenantId: string, planIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (planIds.length === 0) return out;
  const rows = await db
    .selectFrom('export_plans')
    .select(['id', 'location_id'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', planIds)
    .execute();
  for (const row of rows) out.set(row.id, row.location_id);
  return out;
}

export async function get(db: Db, tenantId: string, id: string): Promise<StoredPlan | undefined> {
  const row = await db
    .selectFrom('export_plans')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toStored(row);
}

/** Replaces a draft's plan (after overrides); refuses (false) once the plan left the draft state. */
export async function replaceDraft(
  db: Db,
  tenantId: string,
  id: string,
  plan: ExportPlan,
  overrides: ItemOverride[],
  now = Date.now(),
): Promise<boolean> {
  const result = await db
    .updateTable('export_plans')
    .set({
      plan: JSON.stringify(plan),
      overrides: JSON.stringify(overrides),
      fingerprint: plan.fingerprint,
      updated_at: now,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('state', '=', 'draft')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Moves a plan from one state to another only if it is still in `from`: the winner of a race is the one that gets true. */
export async function transition(
  db: Db,
  tenantId: string,
  id: string,
  from: ExportPlanState,
  to: ExportPlanState,
  now = Date.now(),
): Promise<boolean> {
  const result = await db
    .updateTable('export_plans')
    .set({ state: to, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The newest draft covering an order on a connection (auto-sync keeps one waiting for review). */
export async function latestDraftFor(
  db: Db,
  tenantId: string,
  connectionId: string,
  orderId: string,
): Promise<StoredPlan | undefined> {
  const rows = await db
    .selectFrom('export_plans')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .where('state', '=', 'draft')
    .where('order_ids', 'like', `%${JSON.stringify(orderId)}%`)
    .orderBy('created_at', 'desc')
    .limit(1)
    .execute();
  return rows[0] && toStored(rows[0]);
}

/**
 * The plans being applied to a POS connection now (their sagas may run at the same time), but `exceptPlanId`: the
 * caller's own plan is not read again (a 10,000-line plan is many MB of JSON to parse).
 */
export async function applyingOn(
  db: Db,
  tenantId: string,
  connectionId: string,
  exceptPlanId?: string,
): Promise<StoredPlan[]> {
  let query = db
    .selectFrom('export_plans')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .where('state', '=', 'applying');
  if (exceptPlanId !== undefined) query = query.where('id', '!=', exceptPlanId);
  const rows = await query.orderBy('created_at').execute();
  return rows.map(toStored);
}

function toStored(row: ExportPlansTable): StoredPlan {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    connectionId: row.connection_id,
    locationId: row.location_id,
    orderIds: JSON.parse(row.order_ids) as string[],
    state: row.state,
    overrides: JSON.parse(row.overrides) as ItemOverride[],
    plan: JSON.parse(row.plan) as ExportPlan,
    fingerprint: row.fingerprint,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
