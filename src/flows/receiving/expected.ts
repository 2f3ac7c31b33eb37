/**
 * What a receiving page lists for an exported order: the PO receipts now go to (the export's, or the order an
 * earlier receipt kept the open units on), each POS item on it with the codes staff may scan (the brand's UPC, the
 * POS item's barcodes and SKU), what is ordered, received (in Tradeloop or directly in the POS) and still open, and
 * the receipts committed so far. The core scan session (core/receiving.ts) is built from these items.
 */
import { invalidInput, notFound } from '../../core/errors.ts';
import type { ReceivingLine } from '../../core/ports/po-receiving.ts';
import {
  catalogMirror,
  connections,
  exports,
  receipts,
  wholesaleOrders,
  type Connection,
  type Receipt,
  type StoredExport,
  type StoredOrder,
} from '../../store/repos/index.ts';
import type { EngineContext } from '../engine-context.ts';
import { exportedLinks } from './po-links.ts';

export interface ExpectedItem {
  posItemId: string;
  label: string;
  sku: string | null;
  codes: string[];
  ordered: number;
  received: number;
  remaining: number;
}

export interface ReceivingView {
  order: StoredOrder;
  exportRow: StoredExport;
  connection: Connection;
  po: { id: string; number: string; url: string; status: string; receivable: boolean };
  /** Committing adds the units to stock (X-Series); else a person checks them in in the POS (R-Series). */
  stockOnCommit: boolean;
  items: ExpectedItem[];
  receipts: Receipt[];
}

/** An export that wrote a PO, its order and POS connection, or a clear 4xx. */
export async function requireExported(
  ctx: EngineContext,
  tenantId: string,
  exportId: string,
): Promise<{ order: StoredOrder; exportRow: StoredExport; connection: Connection }> {
  const exportRow = await exports.get(ctx.store.db, tenantId, exportId);
  if (!exportRow) throw notFound('Synced purchase order', exportId);
  if (exportRow.state !== 'exported' || exportRow.poId === null)
    throw invalidInput(`Export ${exportId} has not written a purchase order to the POS (it is ${exportRow.state})`);
  const order = await wholesaleOrders.get(ctx.store.db, tenantId, exportRow.orderId);
  if (!order) throw notFound('Order', exportRow.orderId);
  const connection = await connections.get(ctx.store.db, tenantId, exportRow.connectionId);
  if (!connection) throw notFound('POS connection', exportRow.connectionId);
  return { order, exportRow, connection };
}

/** Where receipts go now: the order the last committed receipt kept the open units on, else the export's PO. */
export function receivingTarget(exportRow: StoredExport, done: readonly Receipt[]): { id: string; number: string } {
  const last = [...done].reverse().find((r) => r.state === 'committed' && r.remainderPoId !== null);
  return last
    ? { id: last.remainderPoId as string, number: last.remainderPoNumber ?? (last.remainderPoId as string) }
    : { id: exportRow.poId as string, number: exportRow.poNumber ?? (exportRow.poId as string) };
}

export async function receivingView(ctx: EngineContext, tenantId: string, exportId: string): Promise<ReceivingView> {
  const { order, exportRow, connection } = await requireExported(ctx, tenantId, exportId);
  const done = await receipts.forExport(ctx.store.db, tenantId, exportId);
  const target = receivingTarget(exportRow, done);
  const port = await ctx.connectors.purchaseOrderReceiving(connection);
  const state = await port.readReceiving(target.id);
  const items = await describeItems(ctx, tenantId, connection, exportRow, order, state.lines);
  return {
    order,
    exportRow,
    connection,
    po: {
      id: state.po.id,
      number: target.number,
      url: state.po.url,
      status: state.po.status,
      receivable: state.receivable,
    },
    stockOnCommit: port.stockOnCommit,
    items,
    receipts: done,
  };
}

async function describeItems(
  ctx: EngineContext,
  tenantId: string,
  connection: Connection,
  exportRow: StoredExport,
  order: StoredOrder,
  lines: readonly ReceivingLine[],
): Promise<ExpectedItem[]> {
  const ids = lines.map((l) => l.posItemId);
  const entries = new Map(
    (await catalogMirror.getByIds(ctx.store.db, connection.id, ids)).map((e) => [e.posItemId, e]),
  );
  // Items the export created are not in the mirror until its next sync: ask the POS for them.
  const missing = ids.filter((id) => !entries.has(id));
  if (missing.length > 0) {
    const pos = await ctx.connectors.pointOfSale(connection);
    for (let i = 0; i < missing.length; i += 100) {
      const recheck = await pos.getCatalogEntries(missing.slice(i, i + 100)).catch(() => null);
      for (const e of recheck?.entries ?? []) entries.set(e.posItemId, e);
    }
  }
  const { links } = await exportedLinks(ctx.store.db, tenantId, exportRow, order);
  return lines.map((l) => {
    const entry = entries.get(l.posItemId);
    const mine = links.filter((k) => k.posItemId === l.posItemId);
    const codes = [
      ...mine.flatMap((k) => (k.rawUpc ? [k.rawUpc] : [])),
      ...(entry?.gtins ?? []),
      ...(entry?.sku ? [entry.sku] : []),
    ];
    return {
      posItemId: l.posItemId,
      label: mine[0]?.label ?? entry?.name ?? `POS item ${l.posItemId}`,
      sku: entry?.sku ?? null,
      codes: [...new Set(codes)],
      ordered: l.ordered,
      received: l.received,
      remaining: Math.max(0, l.ordered - l.received),
    };
  });
}
