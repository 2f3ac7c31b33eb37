import { sql } from 'kysely';
import type { Db } from '../db.ts';
import { chunks } from '../errors.ts';
import type { ExportState, ExportsTable } from '../schema.ts';

export interface ExportSummary {
  linesSynced: number;
  matchedItemsUpdated: number;
  newDraftItems: number;
  newProducts: number;
  rejectedLines: Array<{ posItemId: string; lineKeys: string[]; message: string }>;
  warnings: string[];
  timeTakenMs: number;
}

export interface StoredExport {
  id: string;
  tenantId: string;
  orderId: string;
  connectionId: string;
  planId: string;
  state: ExportState;
  jobId: string | null;
  poId: string | null;
  poNumber: string | null;
  poUrl: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  failureRetryable: boolean | null;
  summary: ExportSummary | null;
  startedAt: number;
  finishedAt: number | null;
  updatedAt: number;
  /** Set while the export waits out a POS outage (it stays in progress). */
  waiting: ExportWaiting | null;
  /** The export-once key: `<system>:<account>` of the POS and `<system>:<source id>` of the order. */
  posAccount: string;
  sourceOrder: string;
}

export interface ExportWaiting {
  /** When the outage began (the first failed try of this wait). */
  since: number;
  reason: string;
  nextTryAt: number;
}

/** The export-once key of a POS connection's account, read from its row. */
const accountOf = (connectionId: string) =>
  sql<string>`(select c.system || ':' || c.external_account_id from connections c where c.id = ${connectionId})`;

/** The export-once key of a wholesale order: its source system and id, the same for any row that holds it. */
const sourceOrderOf = (orderId: string) =>
  sql<string>`(select c.system || ':' || o.source_id from wholesale_orders o
    inner join connections c on c.id = o.connection_id where o.id = ${orderId})`;

/**
 * Inserts the in-progress export rows of a plan. The unique (tenant, POS account, source order) index
 * makes "export once" hold under any concurrency, through any connection row of the account (a relink, a
 * second link) and any row of the order; the caller runs this in a transaction and treats a unique
 * violation as "already exported or exporting".
 */
export async function insertInProgress(
  db: Db,
  tenantId: string,
  planId: string,
  connectionId: string,
  orderIds: readonly string[],
  now = Date.now(),
): Promise<void> {
  await db
    .insertInto('exports')
    .values(
      orderIds.map((orderId) => ({
        id: crypto.randomUUID(),
        tenant_id: tenantId,
        order_id: orderId,
        connection_id: connectionId,
        plan_id: planId,
        state: 'in_progress' as const,
        job_id: null,
        po_id: null,
        po_number: null,
        po_url: null,
        failure_code: null,
        failure_message: null,
        failure_retryable: null,
        summary: null,
        started_at: now,
        finished_at: null,
        updated_at: now,
        waiting_since: null,
        waiting_reason: null,
        next_try_at: null,
        pos_account: accountOf(connectionId),
        source_order: sourceOrderOf(orderId),
      })),
    )
    .execute();
}

/**
 * The export row of an order that is in the POS already (a reorder sent from the POS back office, approved): state
 * exported, naming the merchant's PO. It takes the export-once key like any export, so neither a manual export nor
 * automatic sync makes a second PO; a unique violation means the order was exported already (the caller keeps that).
 */
export async function insertAdopted(
  db: Db,
  tenantId: string,
  input: {
    exportId: string;
    orderId: string;
    connectionId: string;
    planId: string;
    po: { id: string; number: string; url: string | null };
  },
  now: number,
): Promise<void> {
  await db
    .insertInto('exports')
    .values({
      id: input.exportId,
      tenant_id: tenantId,
      order_id: input.orderId,
      connection_id: input.connectionId,
      plan_id: input.planId,
      state: 'exported',
      job_id: null,
      po_id: input.po.id,
      po_number: input.po.number,
      po_url: input.po.url,
      failure_code: null,
      failure_message: null,
      failure_retryable: null,
      summary: JSON.stringify({
        linesSynced: 0,
        matchedItemsUpdated: 0,
        newDraftItems: 0,
        newProducts: 0,
        rejectedLines: [],
        warnings: [
          `Already in the POS: purchase order ${input.po.number} was made in the POS back office and sent to the brand from there`,
        ],
        timeTakenMs: 0,
      }),
      started_at: now,
      finished_at: now,
      updated_at: now,
      waiting_since: null,
      waiting_reason: null,
      next_try_at: null,
      pos_account: accountOf(input.connectionId),
      source_order: sourceOrderOf(input.orderId),
    })
    .execute();
}

/** Which of these POS POs an export of Tradeloop's made (or adopted): never sent back to the brand. */
export async function poIdsAmong(
  db: Db,
  tenantId: string,
  connectionId: string,
  poIds: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunks(poIds)) {
    const rows = await db
      .selectFrom('exports')
      .select('po_id')
      .where('tenant_id', '=', tenantId)
      .where('connection_id', '=', connectionId)
      .where('po_id', 'in', part)
      .execute();
    for (const r of rows) if (r.po_id) out.add(r.po_id);
  }
  return out;
}

/**
 * The exports of these orders to the POS account of this connection, through any connection row of the
 * account and any row of the order (export once), each with the order it answers for.
 */
export async function onAccount(
  db: Db,
  tenantId: string,
  connectionId: string,
  orderIds: readonly string[],
): Promise<Array<StoredExport & { forOrderId: string }>> {
  const out: Array<StoredExport & { forOrderId: string }> = [];
  for (const part of chunks(orderIds)) {
    const keys = await db
      .selectFrom('wholesale_orders as o')
      .innerJoin('connections as c', 'c.id', 'o.connection_id')
      .select(['o.id as orderId', sql<string>`c.system || ':' || o.source_id`.as('sourceOrder')])
      .where('o.tenant_id', '=', tenantId)
      .where('o.id', 'in', part)
      .execute();
    if (keys.length === 0) continue;
    const rows = await db
      .selectFrom('exports')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('pos_account', '=', accountOf(connectionId))
      .where(
        'source_order',
        'in',
        keys.map((k) => k.sourceOrder),
      )
      .execute();
    for (const row of rows) {
      for (const key of keys.filter((k) => k.sourceOrder === row.source_order))
        out.push({ ...toStored(row), forOrderId: key.orderId });
    }
  }
  return out;
}

export async function get(db: Db, tenantId: string, id: string): Promise<StoredExport | undefined> {
  const row = await db
    .selectFrom('exports')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toStored(row);
}

export async function forPlan(db: Db, tenantId: string, planId: string): Promise<StoredExport[]> {
  const rows = await db
    .selectFrom('exports')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('plan_id', '=', planId)
    .orderBy('started_at')
    .execute();
  return rows.map(toStored);
}

export async function forOrders(db: Db, tenantId: string, orderIds: readonly string[]): Promise<StoredExport[]> {
  const out: StoredExport[] = [];
  for (const part of chunks(orderIds)) {
    const rows = await db
      .selectFrom('exports')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('order_id', 'in', part)
      .execute();
    out.push(...rows.map(toStored));
  }
  return out;
}

export async function listRecent(
  db: Db,
  tenantId: string,
  options: { state?: ExportState | undefined; limit?: number; offset?: number } = {},
): Promise<StoredExport[]> {
  let query = db.selectFrom('exports').selectAll().where('tenant_id', '=', tenantId);
  if (options.state) query = query.where('state', '=', options.state);
  const rows = await query
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(Math.min(options.limit ?? 50, 500))
    .offset(Math.max(0, options.offset ?? 0))
    .execute();
  return rows.map(toStored);
}

/** The exports that wrote a purchase order, most recently finished first, and how many there are. */
export async function listExported(
  db: Db,
  tenantId: string,
  options: { connectionId?: string | undefined; planId?: string | undefined; limit: number; offset: number },
): Promise<{ rows: StoredExport[]; total: number }> {
  let query = db.selectFrom('exports').where('tenant_id', '=', tenantId).where('state', '=', 'exported');
  if (options.connectionId) query = query.where('connection_id', '=', options.connectionId);
  if (options.planId) query = query.where('plan_id', '=', options.planId);
  const rows = await query
    .selectAll()
    .orderBy('finished_at', 'desc')
    .orderBy('id')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows: rows.map(toStored), total: Number(total.n) };
}

/** How many exports `listRecent` pages through (in one state, or all). */
export async function countRecent(db: Db, tenantId: string, state?: ExportState): Promise<number> {
  let query = db
    .selectFrom('exports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId);
  if (state) query = query.where('state', '=', state);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export interface ExportChanges {
  state?: ExportState;
  jobId?: string | null;
  poId?: string | null;
  poNumber?: string | null;
  poUrl?: string | null;
  failure?: { code: string; message: string; retryable: boolean } | null;
  summary?: ExportSummary | null;
  finishedAt?: number | null;
  waiting?: ExportWaiting | null;
}

export async function update(
  db: Db,
  tenantId: string,
  id: string,
  changes: ExportChanges,
  now = Date.now(),
): Promise<void> {
  await db
    .updateTable('exports')
    .set({
      ...(changes.state === undefined ? {} : { state: changes.state }),
      ...(changes.jobId === undefined ? {} : { job_id: changes.jobId }),
      ...(changes.poId === undefined ? {} : { po_id: changes.poId }),
      ...(changes.poNumber === undefined ? {} : { po_number: changes.poNumber }),
      ...(changes.poUrl === undefined ? {} : { po_url: changes.poUrl }),
      ...(changes.failure === undefined
        ? {}
        : changes.failure === null
          ? { failure_code: null, failure_message: null, failure_retryable: null }
          : {
              failure_code: changes.failure.code,
              failure_message: changes.failure.message,
              failure_retryable: changes.failure.retryable ? 1 : 0,
            }),
      ...(changes.summary === undefined
        ? {}
        : { summary: changes.summary === null ? null : JSON.stringify(changes.summary) }),
      ...(changes.finishedAt === undefined ? {} : { finished_at: changes.finishedAt }),
      ...(changes.waiting === undefined ? {} : waitingColumns(changes.waiting)),
      updated_at: now,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

function waitingColumns(
  waiting: ExportWaiting | null,
): Pick<ExportsTable, 'waiting_since' | 'waiting_reason' | 'next_try_at'> {
  return waiting === null
    ? { waiting_since: null, waiting_reason: null, next_try_at: null }
    : { waiting_since: waiting.since, waiting_reason: waiting.reason, next_try_at: waiting.nextTryAt };
}

/** Marks (or, with null, unmarks) every in-progress export of a plan as waiting out a POS outage. */
export async function setWaiting(
  db: Db,
  tenantId: string,
  planId: string,
  waiting: ExportWaiting | null,
  now = Date.now(),
): Promise<void> {
  let query = db
    .updateTable('exports')
    .set({ ...waitingColumns(waiting), updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('plan_id', '=', planId)
    .where('state', '=', 'in_progress');
  // Unmarking touches only the rows that were waiting (it runs on every resumed saga).
  if (waiting === null) query = query.where('waiting_since', 'is not', null);
  await query.execute();
}

/**
 * When an export last wrote to this POS connection (or changed state): the POS catalog may have changed
 * then (new items), so a catalog mirror read before it is stale. Null when nothing was ever exported.
 */
export async function lastActivityAt(db: Db, tenantId: string, connectionId: string): Promise<number | null> {
  const row = await db
    .selectFrom('exports')
    .select((eb) => eb.fn.max('updated_at').as('at'))
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

function toStored(row: ExportsTable): StoredExport {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    orderId: row.order_id,
    connectionId: row.connection_id,
    planId: row.plan_id,
    state: row.state,
    jobId: row.job_id,
    poId: row.po_id,
    poNumber: row.po_number,
    poUrl: row.po_url,
    failureCode: row.failure_code,
    failureMessage: row.failure_message,
    failureRetryable: row.failure_retryable === null ? null : row.failure_retryable === 1,
    summary: row.summary === null ? null : (JSON.parse(row.summary) as ExportSummary),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    updatedAt: row.updated_at,
    waiting:
      row.waiting_since === null
        ? null
        : {
            since: row.waiting_since,
            reason: row.waiting_reason ?? '',
            nextTryAt: row.next_try_at ?? row.waiting_since,
          },
    posAccount: row.pos_account,
    sourceOrder: row.source_order,
  };
}

// The saga's recorded steps live in export-steps.ts (rows of saga_steps); callers reach them through this module.
export { startedByOtherPlans, steps, type StoredStep } from './export-steps.ts';
