import { sql } from 'kysely';
import type { Db } from '../db.ts';
import { chunks } from '../errors.ts';
import type { PosReorderState, PosReordersTable } from '../schema.ts';

/**
 * Reorders a merchant started in the POS back office (migration 0016): each POS purchase order for a linked brand's
 * supplier, paired with the wholesale order Tradeloop sent the brand for it, and each POS connection's feed cursor.
 */

export interface PosReorderLine {
  posItemId: string;
  productSourceId: string;
  styleNumber: string;
  color: string;
  size: string;
  quantity: number;
}

export interface UnmappedPoLine {
  posItemId: string;
  quantity: number;
  /** Why it was not sent, in words. */
  reason: string;
}

export interface PosReorder {
  id: string;
  tenantId: string;
  connectionId: string;
  posPoId: string;
  posPoNumber: string;
  posPoUrl: string | null;
  locationId: string | null;
  supplierId: string;
  brandConnectionId: string;
  brandName: string;
  state: PosReorderState;
  orderNumber: string;
  sourceOrderId: string | null;
  tagField: string | null;
  lines: PosReorderLine[];
  unmapped: UnmappedPoLine[];
  error: string | null;
  orderId: string | null;
  exportId: string | null;
  createdAt: number;
  updatedAt: number;
}

export type NewPosReorder = Omit<
  PosReorder,
  'tenantId' | 'sourceOrderId' | 'tagField' | 'error' | 'orderId' | 'exportId' | 'createdAt' | 'updatedAt'
>;

export async function insert(db: Db, tenantId: string, input: NewPosReorder, now: number): Promise<void> {
  await db
    .insertInto('pos_reorders')
    .values({
      id: input.id,
      tenant_id: tenantId,
      connection_id: input.connectionId,
      pos_po_id: input.posPoId,
      pos_po_number: input.posPoNumber,
      pos_po_url: input.posPoUrl,
      location_id: input.locationId,
      supplier_id: input.supplierId,
      brand_connection_id: input.brandConnectionId,
      brand_name: input.brandName,
      state: input.state,
      order_number: input.orderNumber,
      source_order_id: null,
      tag_field: null,
      lines: JSON.stringify(input.lines),
      unmapped: JSON.stringify(input.unmapped),
      error: null,
      order_id: null,
      export_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function get(db: Db, tenantId: string, id: string): Promise<PosReorder | undefined> {
  const row = await db
    .selectFrom('pos_reorders')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toReorder(row);
}

/** Which of these POS POs of a connection are paired already (sent, or tried). */
export async function pairedPoIds(
  db: Db,
  tenantId: string,
  connectionId: string,
  poIds: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunks(poIds)) {
    const rows = await db
      .selectFrom('pos_reorders')
      .select('pos_po_id')
      .where('tenant_id', '=', tenantId)
      .where('connection_id', '=', connectionId)
      .where('pos_po_id', 'in', part)
      .execute();
    for (const r of rows) out.add(r.pos_po_id);
  }
  return out;
}

export async function markSent(
  db: Db,
  tenantId: string,
  id: string,
  input: { sourceOrderId: string; orderNumber: string; tagField: string },
  now: number,
): Promise<void> {
  await db
    .updateTable('pos_reorders')
    .set({
      state: 'sent',
      source_order_id: input.sourceOrderId,
      order_number: input.orderNumber,
      tag_field: input.tagField,
      error: null,
      updated_at: now,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function markFailed(db: Db, tenantId: string, id: string, error: string, now: number): Promise<void> {
  await db
    .updateTable('pos_reorders')
    .set({ state: 'failed', error, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('state', '=', 'sending')
    .execute();
}

/** The sent reorders of a brand connection not yet recognised in the POS (their order not come in, or not adopted). */
export async function awaitingOrder(db: Db, tenantId: string, brandConnectionId: string): Promise<PosReorder[]> {
  const rows = await db
    .selectFrom('pos_reorders')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('brand_connection_id', '=', brandConnectionId)
    .where('state', '=', 'sent')
    .where('export_id', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map(toReorder);
}

/**
 * Reorders sent from this POS connection whose wholesale order (a brand connection's source order) came in but is
 * not yet recorded as exported to the POS PO: an export of one of them to this POS would make a second PO.
 */
export async function awaitingAdoption(
  db: Db,
  tenantId: string,
  posConnectionId: string,
  orders: ReadonlyArray<{ connectionId: string; sourceId: string }>,
): Promise<PosReorder[]> {
  if (orders.length === 0) return [];
  const rows = await db
    .selectFrom('pos_reorders')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', posConnectionId)
    .where('state', '=', 'sent')
    .where('export_id', 'is', null)
    .where('source_order_id', 'in', [...new Set(orders.map((o) => o.sourceId))])
    .execute();
  return rows
    .map(toReorder)
    .filter((r) => orders.some((o) => o.connectionId === r.brandConnectionId && o.sourceId === r.sourceOrderId));
}

export async function markInPos(
  db: Db,
  tenantId: string,
  id: string,
  input: { orderId: string; exportId: string },
  now: number,
): Promise<void> {
  await db
    .updateTable('pos_reorders')
    .set({ order_id: input.orderId, export_id: input.exportId, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** A connection's reorders, newest first, with the total. */
export async function list(
  db: Db,
  tenantId: string,
  connectionId: string,
  page: { limit: number; offset: number },
): Promise<{ reorders: PosReorder[]; total: number }> {
  const base = db
    .selectFrom('pos_reorders')
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { reorders: rows.map(toReorder), total: Number(total.n) };
}

// ---- what the feed reads besides the pairings ----

export async function cursorOf(db: Db, tenantId: string, connectionId: string): Promise<string | null> {
  const row = await db
    .selectFrom('pos_po_feed_cursors')
    .select('cursor')
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
  return row?.cursor ?? null;
}

export async function saveCursor(
  db: Db,
  tenantId: string,
  connectionId: string,
  cursor: string | null,
  now: number,
): Promise<void> {
  await db
    .insertInto('pos_po_feed_cursors')
    .values({ connection_id: connectionId, tenant_id: tenantId, cursor, updated_at: now })
    .onConflict((oc) =>
      oc.column('connection_id').doUpdateSet((eb) => ({
        cursor: eb.ref('excluded.cursor'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/**
 * The supplier each brand's exports to this POS connection found or made (the export saga's `supplier:<brand>`
 * steps), by brand source id: with the merchant's mappings, what says a POS supplier is a linked brand.
 */
export async function exportSuppliers(db: Db, tenantId: string, connectionId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('saga_steps as s')
    .innerJoin('export_plans as p', 'p.id', 's.saga_id')
    .select(['s.step_key', 's.result'])
    .where('s.tenant_id', '=', tenantId)
    .where('s.saga', '=', 'export')
    .where('s.state', '=', 'done')
    .where('p.connection_id', '=', connectionId)
    .where(sql<string>`substr(s.step_key, 1, 9)`, '=', 'supplier:')
    .orderBy('s.finished_at')
    .execute();
  const out = new Map<string, string>();
  for (const r of rows) {
    const id = r.result ? (JSON.parse(r.result) as { id?: unknown }).id : undefined;
    if (typeof id === 'string') out.set(r.step_key.slice('supplier:'.length), id);
  }
  return out;
}

function toReorder(row: PosReordersTable): PosReorder {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    connectionId: row.connection_id,
    posPoId: row.pos_po_id,
    posPoNumber: row.pos_po_number,
    posPoUrl: row.pos_po_url,
    locationId: row.location_id,
    supplierId: row.supplier_id,
    brandConnectionId: row.brand_connection_id,
    brandName: row.brand_name,
    state: row.state,
    orderNumber: row.order_number,
    sourceOrderId: row.source_order_id,
    tagField: row.tag_field,
    lines: JSON.parse(row.lines) as PosReorderLine[],
    unmapped: JSON.parse(row.unmapped) as UnmappedPoLine[],
    error: row.error,
    orderId: row.order_id,
    exportId: row.export_id,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
