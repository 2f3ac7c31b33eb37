import type { Db } from '../db.ts';
import type { ReceiptState, ReceiptsTable } from '../schema.ts';

/**
 * Receipts committed from Tradeloop (receiving against a shipment): one row per receipt, keyed by the id the
 * committing client chose, so a retried request finds its receipt instead of making a second one. The saga
 * (flows/receiving/) fills in the running totals it wrote and where the units still open went.
 */

export interface ReceiptLine {
  posItemId: string;
  label: string;
  quantity: number;
}

export interface ReceiptTotal {
  posItemId: string;
  received: number;
}

export interface Receipt {
  id: string;
  tenantId: string;
  orderId: string;
  exportId: string;
  connectionId: string;
  poId: string;
  poNumber: string;
  state: ReceiptState;
  lines: ReceiptLine[];
  units: number;
  flags: unknown[];
  totals: ReceiptTotal[] | null;
  remainderPoId: string | null;
  remainderPoNumber: string | null;
  stockOnCommit: boolean | null;
  error: string | null;
  createdBy: string | null;
  createdAt: number;
  committedAt: number | null;
}

function toReceipt(r: ReceiptsTable): Receipt {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    orderId: r.order_id,
    exportId: r.export_id,
    connectionId: r.connection_id,
    poId: r.po_id,
    poNumber: r.po_number,
    state: r.state,
    lines: JSON.parse(r.lines) as ReceiptLine[],
    units: Number(r.units),
    flags: JSON.parse(r.flags) as unknown[],
    totals: r.totals === null ? null : (JSON.parse(r.totals) as ReceiptTotal[]),
    remainderPoId: r.remainder_po_id,
    remainderPoNumber: r.remainder_po_number,
    stockOnCommit: r.stock_on_commit === null ? null : Number(r.stock_on_commit) === 1,
    error: r.error,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    committedAt: r.committed_at === null ? null : Number(r.committed_at),
  };
}

export type NewReceipt = Pick<
  Receipt,
  'id' | 'orderId' | 'exportId' | 'connectionId' | 'poId' | 'poNumber' | 'lines' | 'flags' | 'createdBy'
>;

/** Inserts the receipt unless one with its id exists; returns the stored one and whether this call made it. */
export async function insertOnce(
  db: Db,
  tenantId: string,
  receipt: NewReceipt,
  now: number,
): Promise<{ receipt: Receipt; created: boolean }> {
  const inserted = await db
    .insertInto('receipts')
    .values({
      id: receipt.id,
      tenant_id: tenantId,
      order_id: receipt.orderId,
      export_id: receipt.exportId,
      connection_id: receipt.connectionId,
      po_id: receipt.poId,
      po_number: receipt.poNumber,
      state: 'queued',
      lines: JSON.stringify(receipt.lines),
      units: receipt.lines.reduce((n, l) => n + l.quantity, 0),
      flags: JSON.stringify(receipt.flags),
      totals: null,
      remainder_po_id: null,
      remainder_po_number: null,
      stock_on_commit: null,
      error: null,
      created_by: receipt.createdBy,
      created_at: now,
      committed_at: null,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
    .executeTakeFirst();
  const stored = await get(db, tenantId, receipt.id);
  if (!stored) throw new Error(`receipt ${receipt.id} was neither inserted nor found`);
  return { receipt: stored, created: Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0 };
}

export async function get(db: Db, tenantId: string, id: string): Promise<Receipt | undefined> {
  const row = await db
    .selectFrom('receipts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toReceipt(row) : undefined;
}

/** The receipts against one export's PO (and the orders that kept its open units), oldest first. */
export async function forExport(db: Db, tenantId: string, exportId: string): Promise<Receipt[]> {
  const rows = await db
    .selectFrom('receipts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('export_id', '=', exportId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toReceipt);
}

export interface ReceiptUpdate {
  state?: ReceiptState;
  totals?: ReceiptTotal[];
  remainderPoId?: string | null;
  remainderPoNumber?: string | null;
  stockOnCommit?: boolean;
  error?: string | null;
  committedAt?: number;
}

export async function update(db: Db, tenantId: string, id: string, patch: ReceiptUpdate): Promise<void> {
  await db
    .updateTable('receipts')
    .set({
      ...(patch.state !== undefined ? { state: patch.state } : {}),
      ...(patch.totals !== undefined ? { totals: JSON.stringify(patch.totals) } : {}),
      ...(patch.remainderPoId !== undefined ? { remainder_po_id: patch.remainderPoId } : {}),
      ...(patch.remainderPoNumber !== undefined ? { remainder_po_number: patch.remainderPoNumber } : {}),
      ...(patch.stockOnCommit !== undefined ? { stock_on_commit: patch.stockOnCommit ? 1 : 0 } : {}),
      ...(patch.error !== undefined ? { error: patch.error } : {}),
      ...(patch.committedAt !== undefined ? { committed_at: patch.committedAt } : {}),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

// ---- the audit's memory per order ---------------------------------------------------------------------

export interface OrderAudit {
  orderId: string;
  fingerprint: string;
  issues: number;
  flagged: boolean;
  checkedAt: number;
}

export async function auditsFor(db: Db, tenantId: string, orderIds: readonly string[]): Promise<OrderAudit[]> {
  if (orderIds.length === 0) return [];
  const rows = await db
    .selectFrom('order_audits')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('order_id', 'in', [...orderIds])
    .execute();
  return rows.map((r) => ({
    orderId: r.order_id,
    fingerprint: r.fingerprint,
    issues: Number(r.issues),
    flagged: Number(r.flagged) === 1,
    checkedAt: Number(r.checked_at),
  }));
}

export async function saveAudit(db: Db, tenantId: string, audit: OrderAudit): Promise<void> {
  await db
    .insertInto('order_audits')
    .values({
      tenant_id: tenantId,
      order_id: audit.orderId,
      fingerprint: audit.fingerprint,
      issues: audit.issues,
      flagged: audit.flagged ? 1 : 0,
      checked_at: audit.checkedAt,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'order_id']).doUpdateSet((eb) => ({
        fingerprint: eb.ref('excluded.fingerprint'),
        issues: eb.ref('excluded.issues'),
        flagged: eb.ref('excluded.flagged'),
        checked_at: eb.ref('excluded.checked_at'),
      })),
    )
    .execute();
}

/** Orders the last scheduled audit flagged with new discrepancies, most recently checked first. */
export async function flaggedAudits(db: Db, tenantId: string): Promise<OrderAudit[]> {
  const rows = await db
    .selectFrom('order_audits')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('flagged', '=', 1)
    .orderBy('checked_at', 'desc')
    .orderBy('order_id')
    .execute();
  return rows.map((r) => ({
    orderId: r.order_id,
    fingerprint: r.fingerprint,
    issues: Number(r.issues),
    flagged: true,
    checkedAt: Number(r.checked_at),
  }));
}
