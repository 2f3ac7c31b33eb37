import type { Db } from '../db.ts';
import type { SalesSyncDirection, SalesSyncState, SalesSyncStepState, SalesSyncsTable } from '../schema.ts';
import * as sagaSteps from './saga-steps.ts';
import type { StoredSagaStep } from './saga-steps.ts';

/** One synced NetSuite order (→ X-Series) or X-Series sale (→ NetSuite): its state, what was made, and why. */
export interface SalesSync {
  id: string;
  tenantId: string;
  direction: SalesSyncDirection;
  sourceKey: string;
  nsConnectionId: string;
  xConnectionId: string;
  nsRecordType: string | null;
  nsId: string | null;
  nsTranId: string | null;
  xSaleId: string | null;
  xInvoiceNumber: string | null;
  xStatus: string | null;
  sentAs: string | null;
  ruleId: string | null;
  ruleSetVersion: number | null;
  state: SalesSyncState;
  reason: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  fulfilmentId: string | null;
  billId: string | null;
  billType: string | null;
  sourceModified: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewSalesSync {
  direction: SalesSyncDirection;
  sourceKey: string;
  nsConnectionId: string;
  xConnectionId: string;
  nsId?: string | null;
  nsTranId?: string | null;
  xSaleId?: string | null;
  xInvoiceNumber?: string | null;
  xStatus?: string | null;
  state: SalesSyncState;
  now?: number;
}

/** Inserts the row for a source record unless it exists; the unique (tenant, source) key makes this race-free. */
export async function claim(
  db: Db,
  tenantId: string,
  input: NewSalesSync,
): Promise<{ sync: SalesSync; created: boolean }> {
  const now = input.now ?? Date.now();
  const row: SalesSyncsTable = {
    id: crypto.randomUUID(),
    tenant_id: tenantId,
    direction: input.direction,
    source_key: input.sourceKey,
    ns_connection_id: input.nsConnectionId,
    x_connection_id: input.xConnectionId,
    ns_record_type: null,
    ns_id: input.nsId ?? null,
    ns_tran_id: input.nsTranId ?? null,
    x_sale_id: input.xSaleId ?? null,
    x_invoice_number: input.xInvoiceNumber ?? null,
    x_status: input.xStatus ?? null,
    sent_as: null,
    rule_id: null,
    rule_set_version: null,
    state: input.state,
    reason: null,
    error_code: null,
    error_message: null,
    fulfilment_id: null,
    bill_id: null,
    bill_type: null,
    source_modified: null,
    created_at: now,
    updated_at: now,
  };
  const inserted = await db
    .insertInto('sales_syncs')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'source_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { sync: toSync(inserted), created: true };
  const existing = await findBySource(db, tenantId, input.sourceKey);
  if (!existing) throw new Error(`sales sync ${input.sourceKey} vanished`);
  return { sync: existing, created: false };
}

export async function get(db: Db, tenantId: string, id: string): Promise<SalesSync | undefined> {
  const row = await db
    .selectFrom('sales_syncs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toSync(row);
}

export async function findBySource(db: Db, tenantId: string, sourceKey: string): Promise<SalesSync | undefined> {
  const row = await db
    .selectFrom('sales_syncs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('source_key', '=', sourceKey)
    .executeTakeFirst();
  return row && toSync(row);
}

export async function findByXSale(db: Db, tenantId: string, xSaleId: string): Promise<SalesSync | undefined> {
  const row = await db
    .selectFrom('sales_syncs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('x_sale_id', '=', xSaleId)
    .executeTakeFirst();
  return row && toSync(row);
}

export interface SalesSyncChanges {
  nsRecordType?: string | null;
  nsId?: string | null;
  nsTranId?: string | null;
  xSaleId?: string | null;
  xInvoiceNumber?: string | null;
  xStatus?: string | null;
  sentAs?: string | null;
  ruleId?: string | null;
  ruleSetVersion?: number | null;
  state?: SalesSyncState;
  reason?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  fulfilmentId?: string | null;
  billId?: string | null;
  billType?: string | null;
  sourceModified?: string | null;
}

const columns: Record<keyof SalesSyncChanges, keyof SalesSyncsTable> = {
  nsRecordType: 'ns_record_type',
  nsId: 'ns_id',
  nsTranId: 'ns_tran_id',
  xSaleId: 'x_sale_id',
  xInvoiceNumber: 'x_invoice_number',
  xStatus: 'x_status',
  sentAs: 'sent_as',
  ruleId: 'rule_id',
  ruleSetVersion: 'rule_set_version',
  state: 'state',
  reason: 'reason',
  errorCode: 'error_code',
  errorMessage: 'error_message',
  fulfilmentId: 'fulfilment_id',
  billId: 'bill_id',
  billType: 'bill_type',
  sourceModified: 'source_modified',
};

export async function update(
  db: Db,
  tenantId: string,
  id: string,
  changes: SalesSyncChanges,
  now = Date.now(),
): Promise<SalesSync | undefined> {
  const set: Record<string, unknown> = { updated_at: now };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    set[columns[key as keyof SalesSyncChanges]] = value;
  }
  const row = await db
    .updateTable('sales_syncs')
    .set(set as Partial<SalesSyncsTable>)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toSync(row);
}

export interface ListOptions {
  direction?: SalesSyncDirection | undefined;
  state?: SalesSyncState | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** Most recently changed first. */
export async function list(db: Db, tenantId: string, options: ListOptions = {}): Promise<SalesSync[]> {
  let query = db.selectFrom('sales_syncs').selectAll().where('tenant_id', '=', tenantId);
  if (options.direction) query = query.where('direction', '=', options.direction);
  if (options.state) query = query.where('state', '=', options.state);
  const rows = await query
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(Math.min(500, Math.max(1, options.limit ?? 100)))
    .offset(Math.max(0, options.offset ?? 0))
    .execute();
  return rows.map(toSync);
}

/** How many rows `list` pages through with these filters. */
export async function total(
  db: Db,
  tenantId: string,
  options: Omit<ListOptions, 'limit' | 'offset'> = {},
): Promise<number> {
  let query = db
    .selectFrom('sales_syncs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId);
  if (options.direction) query = query.where('direction', '=', options.direction);
  if (options.state) query = query.where('state', '=', options.state);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export async function counts(
  db: Db,
  tenantId: string,
): Promise<Array<{ direction: SalesSyncDirection; state: SalesSyncState; count: number }>> {
  const rows = await db
    .selectFrom('sales_syncs')
    .select(['direction', 'state', (eb) => eb.fn.countAll<number>().as('count')])
    .where('tenant_id', '=', tenantId)
    .groupBy(['direction', 'state'])
    .execute();
  return rows.map((r) => ({ direction: r.direction, state: r.state, count: Number(r.count) }));
}

// ---------------------------------------------------------------------------------------------
// Steps: rows of the one saga_steps table (migration 0009), saga `sales`, keyed by the sync id.

export interface SalesSyncStep {
  syncId: string;
  stepKey: string;
  state: SalesSyncStepState;
  result: unknown;
  error: string | null;
  attempts: number;
  startedAt: number;
  finishedAt: number | null;
}

const salesSaga = 'sales';

export async function getStep(
  db: Db,
  tenantId: string,
  syncId: string,
  stepKey: string,
): Promise<SalesSyncStep | undefined> {
  const step = await sagaSteps.get(db, tenantId, syncId, stepKey);
  return step && toStep(step);
}

export async function listSteps(db: Db, tenantId: string, syncId: string): Promise<SalesSyncStep[]> {
  return (await sagaSteps.list(db, tenantId, syncId)).map(toStep);
}

/**
 * Marks a step as running (another attempt when it was running or failed before). Returns the step as it was
 * before: `running` there means an earlier attempt stopped midway, so the remote outcome is unknown.
 */
export async function startStep(
  db: Db,
  tenantId: string,
  syncId: string,
  stepKey: string,
  now = Date.now(),
): Promise<SalesSyncStep | undefined> {
  const steps = await sagaSteps.list(db, tenantId, syncId);
  const before = steps.find((s) => s.stepKey === stepKey);
  if (before?.state !== 'done')
    await sagaSteps.start(db, tenantId, {
      saga: salesSaga,
      sagaId: syncId,
      stepKey,
      scope: null,
      position: before?.position ?? steps.length,
      now,
    });
  return before && toStep(before);
}

export async function finishStep(
  db: Db,
  tenantId: string,
  syncId: string,
  stepKey: string,
  result: unknown,
  now = Date.now(),
): Promise<void> {
  await sagaSteps.finish(db, tenantId, syncId, stepKey, result, now);
}

export async function failStep(
  db: Db,
  tenantId: string,
  syncId: string,
  stepKey: string,
  error: string,
  now = Date.now(),
): Promise<void> {
  await sagaSteps.fail(db, tenantId, syncId, stepKey, error, now);
}

function toSync(row: SalesSyncsTable): SalesSync {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    direction: row.direction,
    sourceKey: row.source_key,
    nsConnectionId: row.ns_connection_id,
    xConnectionId: row.x_connection_id,
    nsRecordType: row.ns_record_type,
    nsId: row.ns_id,
    nsTranId: row.ns_tran_id,
    xSaleId: row.x_sale_id,
    xInvoiceNumber: row.x_invoice_number,
    xStatus: row.x_status,
    sentAs: row.sent_as,
    ruleId: row.rule_id,
    ruleSetVersion: row.rule_set_version === null ? null : Number(row.rule_set_version),
    state: row.state,
    reason: row.reason,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    fulfilmentId: row.fulfilment_id,
    billId: row.bill_id,
    billType: row.bill_type,
    sourceModified: row.source_modified,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toStep(step: StoredSagaStep): SalesSyncStep {
  return {
    syncId: step.sagaId,
    stepKey: step.stepKey,
    state: step.state,
    result: step.result,
    error: step.error,
    attempts: step.attempts,
    startedAt: step.startedAt,
    finishedAt: step.finishedAt,
  };
}
