import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { contentHash, type WholesaleOrder } from '../../core/wholesale-order.ts';
import { sumMoney, multiplyMoney } from '../../core/money.ts';
import type { Db } from '../db.ts';
import { chunks } from '../errors.ts';
import type { Database, ExportState, WholesaleOrdersTable } from '../schema.ts';

export interface StoredOrder {
  id: string;
  tenantId: string;
  connectionId: string;
  sourceId: string;
  orderNumber: string;
  status: string;
  brandName: string;
  currency: string;
  shipStart: number | null;
  shipEnd: number | null;
  totalMinor: number;
  lineCount: number;
  unitCount: number;
  contentHash: string;
  document: WholesaleOrder;
  sourceModifiedAt: number | null;
  ingestedAt: number;
  updatedAt: number;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Upserts by the source's order id. The content hash decides whether anything changed; the previous
 * document is returned so the caller can diff it (amendments after export).
 */
export async function upsertFromSource(
  db: Db,
  tenantId: string,
  connectionId: string,
  order: WholesaleOrder,
  now = Date.now(),
): Promise<{ stored: StoredOrder; outcome: UpsertOutcome; previous: StoredOrder | null }> {
  const hash = contentHash(order);
  const existing = await db
    .selectFrom('wholesale_orders')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .where('source_id', '=', order.sourceId)
    .executeTakeFirst();
  const fields = rowFields(order, hash, now);
  if (!existing) {
    const row: WholesaleOrdersTable = {
      id: crypto.randomUUID(),
      tenant_id: tenantId,
      connection_id: connectionId,
      source_id: order.sourceId,
      ingested_at: now,
      ...fields,
    };
    await db
      .insertInto('wholesale_orders')
      .values(row)
      .onConflict((oc) => oc.columns(['tenant_id', 'connection_id', 'source_id']).doNothing())
      .execute();
    const stored = await getBySource(db, tenantId, connectionId, order.sourceId);
    if (!stored) throw new Error(`order ${order.sourceId} vanished after insert`);
    return { stored, outcome: stored.id === row.id ? 'created' : 'unchanged', previous: null };
  }
  if (existing.content_hash === hash)
    return { stored: toStored(existing), outcome: 'unchanged', previous: toStored(existing) };
  await db.updateTable('wholesale_orders').set(fields).where('id', '=', existing.id).execute();
  return { stored: toStored({ ...existing, ...fields }), outcome: 'updated', previous: toStored(existing) };
}

function rowFields(
  order: WholesaleOrder,
  hash: string,
  now: number,
): Omit<WholesaleOrdersTable, 'id' | 'tenant_id' | 'connection_id' | 'source_id' | 'ingested_at'> {
  const total = sumMoney(
    order.lines.map((l) => multiplyMoney(l.unitCost, Math.max(0, Math.trunc(l.quantity)))),
    order.currency,
  );
  return {
    order_number: order.orderNumber,
    status: order.status,
    brand_name: order.brand.name,
    currency: order.currency,
    ship_start: parseTime(order.shipWindow.start),
    ship_end: parseTime(order.shipWindow.end),
    total_minor: total.minor,
    line_count: order.lines.length,
    unit_count: order.lines.reduce((n, l) => n + Math.max(0, l.quantity), 0),
    content_hash: hash,
    document: JSON.stringify(order),
    source_created_at: parseTime(order.createdAt),
    source_modified_at: parseTime(order.modifiedAt),
    updated_at: now,
  };
}

function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * What a connection holds, by source id: the source's modification time and the order number, no documents (the
 * poll reads only what is new or changed against this).
 */
export async function sourceStamps(
  db: Db,
  tenantId: string,
  connectionId: string,
): Promise<Map<string, { modifiedAt: number | null; orderNumber: string }>> {
  const rows = await db
    .selectFrom('wholesale_orders')
    .select(['source_id', 'source_modified_at', 'order_number'])
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .execute();
  const out = new Map<string, { modifiedAt: number | null; orderNumber: string }>();
  for (const row of rows)
    out.set(row.source_id, {
      modifiedAt: row.source_modified_at === null ? null : Number(row.source_modified_at),
      orderNumber: row.order_number,
    });
  return out;
}

/** How many orders each connection of the tenant has brought in, by connection id. */
export async function countByConnection(db: Db, tenantId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('wholesale_orders')
    .select(['connection_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', tenantId)
    .groupBy('connection_id')
    .execute();
  return new Map(rows.map((row) => [row.connection_id, Number(row.n)]));
}

export async function get(db: Db, tenantId: string, id: string): Promise<StoredOrder | undefined> {
  const row = await db
    .selectFrom('wholesale_orders')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toStored(row);
}

export async function getMany(db: Db, tenantId: string, ids: readonly string[]): Promise<StoredOrder[]> {
  const out: StoredOrder[] = [];
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom('wholesale_orders')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', part)
      .execute();
    out.push(...rows.map(toStored));
  }
  return out;
}

/** Each order's source id by our id, without reading its document (an export names orders by source id). */
export async function sourceIdsOf(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<Array<{ id: string; sourceId: string }>> {
  const out: Array<{ id: string; sourceId: string }> = [];
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom('wholesale_orders')
      .select(['id', 'source_id'])
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', part)
      .execute();
    out.push(...rows.map((r) => ({ id: r.id, sourceId: r.source_id })));
  }
  return out;
}

export async function getBySource(
  db: Db,
  tenantId: string,
  connectionId: string,
  sourceId: string,
): Promise<StoredOrder | undefined> {
  const row = await db
    .selectFrom('wholesale_orders')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  return row && toStored(row);
}

/** Of these source ids, the orders this connection holds whose status is not `status` yet. */
export async function notYetInStatus(
  db: Db,
  tenantId: string,
  connectionId: string,
  sourceIds: readonly string[],
  status: string,
): Promise<StoredOrder[]> {
  const out: StoredOrder[] = [];
  for (const part of chunks(sourceIds)) {
    const rows = await db
      .selectFrom('wholesale_orders')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('connection_id', '=', connectionId)
      .where('source_id', 'in', part)
      .where('status', '!=', status)
      .execute();
    out.push(...rows.map(toStored));
  }
  return out;
}

export async function findByNumbers(db: Db, tenantId: string, orderNumbers: readonly string[]): Promise<StoredOrder[]> {
  if (orderNumbers.length === 0) return [];
  const rows = await db
    .selectFrom('wholesale_orders')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('order_number', 'in', [...orderNumbers])
    .execute();
  return rows.map(toStored);
}

export interface OrderFilters {
  brand?: string | undefined;
  status?: string | undefined;
  search?: string | undefined;
  /** Orders whose POS-sync status on at least one of the given POS connections is this state. */
  sync?: SyncFilter | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export type SyncState = 'not_exported' | 'needs_review' | 'in_progress' | 'exported' | 'failed';

/**
 * The rules of an order's POS-sync status on one connection (flows/order-status.ts shows the same): its
 * export's state when it has one; else, on a connection that syncs automatically, "failed" when the
 * automatic sync job failed, "needs review" when the newest draft plan for the order is automatic sync's,
 * and otherwise "not exported".
 */
export interface SyncFilter {
  state: SyncState;
  connections: ReadonlyArray<{ id: string; automatic: boolean }>;
  automaticSync: {
    /** `created_by` of automatic sync's plans. */
    planCreator: string;
    /** The automatic sync job's task; its key is `<order id>:<connection id>`. */
    jobTask: string;
  };
}

type OrdersEb = ExpressionBuilder<Database, 'wholesale_orders'>;

function syncCondition(eb: OrdersEb, tenantId: string, filter: SyncFilter): Expression<SqlBool> {
  const ids = filter.connections.map((c) => c.id);
  if (ids.length === 0) return sql<SqlBool>`1 = 0`;
  const inState = (state: ExportState) =>
    eb(
      'wholesale_orders.id',
      'in',
      eb
        .selectFrom('exports')
        .select('exports.order_id')
        .where('exports.tenant_id', '=', tenantId)
        .where('exports.state', '=', state)
        .where('exports.connection_id', 'in', ids),
    );
  if (filter.state === 'exported' || filter.state === 'in_progress') return inState(filter.state);
  const perConnection = filter.connections.map((c) => {
    const unexported = eb.not(eb.exists(exportOf(eb, c.id)));
    if (!c.automatic) return filter.state === 'not_exported' ? unexported : sql<SqlBool>`1 = 0`;
    const failed = eb.exists(failedAutoSyncOf(eb, c.id, filter.automaticSync.jobTask));
    const review = eb.exists(reviewDraftOf(eb, c.id, filter.automaticSync.planCreator));
    if (filter.state === 'failed') return eb.and([unexported, failed]);
    if (filter.state === 'needs_review') return eb.and([unexported, eb.not(failed), review]);
    return eb.and([unexported, eb.not(failed), eb.not(review)]);
  });
  const any = eb.or(perConnection);
  return filter.state === 'failed' ? eb.or([inState('failed'), any]) : any;
}

function exportOf(eb: OrdersEb, connectionId: string) {
  return eb
    .selectFrom('exports')
    .select(sql<number>`1`.as('one'))
    .whereRef('exports.tenant_id', '=', 'wholesale_orders.tenant_id')
    .whereRef('exports.order_id', '=', 'wholesale_orders.id')
    .where('exports.connection_id', '=', connectionId);
}

function failedAutoSyncOf(eb: OrdersEb, connectionId: string, task: string) {
  return eb
    .selectFrom('jobs')
    .select(sql<number>`1`.as('one'))
    .whereRef('jobs.tenant_id', '=', 'wholesale_orders.tenant_id')
    .where('jobs.task', '=', task)
    .where('jobs.key', '=', sql<string>`${sql.ref('wholesale_orders.id')} || ${`:${connectionId}`}`)
    .where('jobs.state', '=', 'failed');
}

/** A draft of automatic sync covering the order with no draft by a person since (plans keep order ids as JSON). */
function reviewDraftOf(eb: OrdersEb, connectionId: string, creator: string) {
  const covers = (alias: 'auto' | 'later') =>
    sql<SqlBool>`${sql.ref(`${alias}.order_ids`)} like ${'%"'} || ${sql.ref('wholesale_orders.id')} || ${'"%'}`;
  return eb
    .selectFrom('export_plans as auto')
    .select(sql<number>`1`.as('one'))
    .where('auto.connection_id', '=', connectionId)
    .where('auto.state', '=', 'draft')
    .where('auto.created_by', '=', creator)
    .whereRef('auto.tenant_id', '=', 'wholesale_orders.tenant_id')
    .where(covers('auto'))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('export_plans as later')
            .select(sql<number>`1`.as('one'))
            .where('later.connection_id', '=', connectionId)
            .where('later.state', '=', 'draft')
            .whereRef('later.created_at', '>=', 'auto.created_at')
            .where((w) => w.or([w('later.created_by', 'is', null), w('later.created_by', '!=', creator)]))
            .where(covers('later')),
        ),
      ),
    );
}

/** Newest ship window first, then order number; without the (large) documents. */
export async function list(
  db: Db,
  tenantId: string,
  filters: OrderFilters = {},
): Promise<{ orders: Omit<StoredOrder, 'document'>[]; total: number }> {
  let query = db.selectFrom('wholesale_orders').where('tenant_id', '=', tenantId);
  if (filters.brand) query = query.where('brand_name', '=', filters.brand);
  if (filters.status) query = query.where('status', '=', filters.status);
  if (filters.search) {
    const like = `%${filters.search.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    // Both dialects need the ESCAPE clause for the backslashes above to mean "literally % or _".
    query = query.where(
      sql<boolean>`(order_number like ${like} escape '\\' or lower(brand_name) like lower(${like}) escape '\\')`,
    );
  }
  const sync = filters.sync;
  if (sync) query = query.where((eb) => syncCondition(eb, tenantId, sync));
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await query
    .select([
      'id',
      'tenant_id',
      'connection_id',
      'source_id',
      'order_number',
      'status',
      'brand_name',
      'currency',
      'ship_start',
      'ship_end',
      'total_minor',
      'line_count',
      'unit_count',
      'content_hash',
      'source_created_at',
      'source_modified_at',
      'ingested_at',
      'updated_at',
    ])
    .orderBy('source_created_at', 'desc')
    .orderBy('order_number')
    .limit(Math.min(filters.limit ?? 100, 500))
    .offset(filters.offset ?? 0)
    .execute();
  return { orders: rows.map((r) => toStoredWithoutDocument(r)), total: Number(total.n) };
}

/**
 * The tenant's brands, in order. A loose index scan on (tenant_id, brand_name) (migration 0014): each step seeks
 * the next name after the last, so the cost follows the number of brands, not of orders (a DISTINCT read them all).
 */
export async function brands(db: Db, tenantId: string): Promise<string[]> {
  const rows = await sql<{ name: string | null }>`
    with recursive b(name) as (
      select min(brand_name) from wholesale_orders where tenant_id = ${tenantId}
      union all
      select (select min(w.brand_name) from wholesale_orders w where w.tenant_id = ${tenantId} and w.brand_name > b.name)
      from b where b.name is not null
    )
    select name from b where name is not null`.execute(db);
  return rows.rows.map((r) => r.name as string);
}

function toStoredWithoutDocument(row: Omit<WholesaleOrdersTable, 'document'>): Omit<StoredOrder, 'document'> {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    connectionId: row.connection_id,
    sourceId: row.source_id,
    orderNumber: row.order_number,
    status: row.status,
    brandName: row.brand_name,
    currency: row.currency,
    shipStart: row.ship_start,
    shipEnd: row.ship_end,
    totalMinor: row.total_minor,
    lineCount: row.line_count,
    unitCount: row.unit_count,
    contentHash: row.content_hash,
    sourceModifiedAt: row.source_modified_at,
    ingestedAt: row.ingested_at,
    updatedAt: row.updated_at,
  };
}

function toStored(row: WholesaleOrdersTable): StoredOrder {
  return { ...toStoredWithoutDocument(row), document: JSON.parse(row.document) as WholesaleOrder };
}

/** The latest orders of a wholesale connection, documents included (their lines name the brand's styles). */
export async function recentOrderDocuments(
  db: Db,
  tenantId: string,
  connectionId: string,
  limit: number,
): Promise<unknown[]> {
  const rows = await db
    .selectFrom('wholesale_orders')
    .select('document')
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .orderBy('ingested_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => JSON.parse(r.document) as unknown);
}
