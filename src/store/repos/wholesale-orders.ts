import { sql } from 'kysely';
import { contentHash, type WholesaleOrder } from '../../core/wholesale-order.ts';
import { sumMoney, multiplyMoney } from '../../core/money.ts';
import type { Db } from '../db.ts';
import { chunks } from '../errors.ts';
import type { WholesaleOrdersTable } from '../schema.ts';

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
  limit?: number | undefined;
  offset?: number | undefined;
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

export async function brands(db: Db, tenantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('wholesale_orders')
    .select('brand_name')
    .distinct()
    .where('tenant_id', '=', tenantId)
    .orderBy('brand_name')
    .execute();
  return rows.map((r) => r.brand_name);
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
