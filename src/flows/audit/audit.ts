/**
 * The discrepancy audit over exported orders (core/discrepancy.ts does the comparing): per order, what NuORDER says
 * was ordered now, what the export put on the POS PO (its item links), the PO as the POS has it now (with the
 * receipts that kept units on a follow-on order), what the brand shipped (order_shipments), and what was received. Filters by brand,
 * season and order; the page, `GET /api/audit` and `tradeloop audit` all read this, so their rows are the same.
 */
import { createHash } from 'node:crypto';
import {
  auditOrder,
  auditSummary,
  type AuditOrderedLine,
  type AuditPoLine,
  type AuditRow,
} from '../../core/discrepancy.ts';
import type { PlanLine } from '../../core/plan-types.ts';
import {
  catalogMirror,
  connections,
  exports,
  itemLinks,
  orderShipments,
  receipts,
  wholesaleOrders,
  type StoredExport,
  type StoredOrder,
} from '../../store/repos/index.ts';
import type { EngineContext } from '../engine-context.ts';
import { exportedLinks, lineLabel } from '../receiving/po-links.ts';

export interface AuditFilters {
  brand?: string | undefined;
  season?: string | undefined;
  orderId?: string | undefined;
  /** Only orders (and rows) with at least one issue. */
  onlyIssues?: boolean | undefined;
}

export interface OrderAuditResult {
  orderId: string;
  orderNumber: string;
  brandName: string;
  poNumber: string | null;
  rows: AuditRow[];
  issues: number;
  /** Why the PO could not be read (the rows then compare nothing on the PO side). */
  error: string | null;
}

export interface AuditResult {
  orders: OrderAuditResult[];
  /** Every row of the orders listed, in order (what the CSV holds). */
  rows: AuditRow[];
}

export async function runAudit(ctx: EngineContext, tenantId: string, filters: AuditFilters): Promise<AuditResult> {
  const orders: OrderAuditResult[] = [];
  for (const { order, exportRow } of await exportedOrders(ctx, tenantId, filters)) {
    const result = await auditOne(ctx, tenantId, order, exportRow);
    if (filters.onlyIssues && result.issues === 0) continue;
    orders.push(filters.onlyIssues ? { ...result, rows: result.rows.filter((r) => r.issues.length > 0) } : result);
  }
  return { orders, rows: orders.flatMap((o) => o.rows) };
}

async function exportedOrders(
  ctx: EngineContext,
  tenantId: string,
  filters: AuditFilters,
): Promise<Array<{ order: StoredOrder; exportRow: StoredExport }>> {
  let ids: string[];
  if (filters.orderId) ids = [filters.orderId];
  else {
    const listed = await wholesaleOrders.list(ctx.store.db, tenantId, {
      ...(filters.brand ? { brand: filters.brand } : {}),
      limit: 10_000,
    });
    ids = listed.orders.map((o) => o.id);
  }
  const full = await wholesaleOrders.getMany(ctx.store.db, tenantId, ids);
  const rows = await exports.forOrders(ctx.store.db, tenantId, ids);
  const out: Array<{ order: StoredOrder; exportRow: StoredExport }> = [];
  for (const order of full.sort((a, b) => a.orderNumber.localeCompare(b.orderNumber))) {
    if (filters.brand && order.brandName.toLowerCase() !== filters.brand.toLowerCase()) continue;
    const season = filters.season?.toLowerCase();
    if (season && !order.document.lines.some((l) => (l.season ?? '').toLowerCase() === season)) continue;
    const exportRow = rows.find((r) => r.orderId === order.id && r.state === 'exported' && r.poId !== null);
    if (exportRow) out.push({ order, exportRow });
  }
  return out;
}

/** The order's lines as the PO should carry them: packs in units when the export stocked them as units. */
function orderedLines(order: StoredOrder, planLines: readonly PlanLine[]): AuditOrderedLine[] {
  const planned = new Map(planLines.map((l) => [l.lineKey, l]));
  return order.document.lines.map((line) => {
    const plan = planned.get(line.lineKey);
    const perPack = line.unitsPerPack ?? 1;
    const asUnits = perPack > 1 && plan !== undefined && plan.quantity === line.quantity * perPack;
    return {
      lineKey: line.lineKey,
      label: lineLabel(line),
      quantity: asUnits ? line.quantity * perPack : line.quantity,
      // A pack's cost per unit is the export's conversion (core/case-pack.ts); other lines compare as sent.
      unitCost: asUnits ? plan.unitCost : line.unitCost,
    };
  });
}

/** The PO now: the export's, with units received on the orders later receipts kept the rest on. */
async function poSide(
  ctx: EngineContext,
  tenantId: string,
  order: StoredOrder,
  exportRow: StoredExport,
): Promise<{ lines: AuditPoLine[]; closed: boolean }> {
  const connection = await connections.get(ctx.store.db, tenantId, exportRow.connectionId);
  if (!connection) throw new Error('its POS connection no longer exists');
  const port = await ctx.connectors.purchaseOrderReceiving(connection);
  const first = await port.readReceiving(exportRow.poId as string);
  const received = new Map(first.lines.map((l) => [l.posItemId, l.received]));
  let closed = !first.receivable;
  for (const r of await receipts.forExport(ctx.store.db, tenantId, exportRow.id)) {
    if (r.state !== 'committed' || !r.remainderPoId) continue;
    const rest = await port.readReceiving(r.remainderPoId);
    for (const l of rest.lines) received.set(l.posItemId, (received.get(l.posItemId) ?? 0) + l.received);
    closed = !rest.receivable;
  }
  const names = new Map(
    (
      await catalogMirror.getByIds(
        ctx.store.db,
        connection.id,
        first.lines.map((l) => l.posItemId),
      )
    ).map((e) => [e.posItemId, e.name]),
  );
  return {
    lines: first.lines.map((l) => ({
      posItemId: l.posItemId,
      quantity: l.ordered,
      unitCost: l.unitCost,
      received: received.get(l.posItemId) ?? 0,
      ...(names.has(l.posItemId) ? { label: names.get(l.posItemId) as string } : {}),
    })),
    closed,
  };
}

export async function auditOne(
  ctx: EngineContext,
  tenantId: string,
  order: StoredOrder,
  exportRow: StoredExport,
): Promise<OrderAuditResult> {
  const { links, planLines } = await exportedLinks(ctx.store.db, tenantId, exportRow, order);
  const current = await itemLinks.mapFor(
    ctx.store.db,
    tenantId,
    exportRow.connectionId,
    links.map((l) => l.variantKey),
  );
  const fulfilment = (await orderShipments.forOrders(ctx.store.db, tenantId, [order.id])).get(order.id);
  let po: { lines: AuditPoLine[]; closed: boolean } | null = null;
  let error: string | null = null;
  try {
    po = await poSide(ctx, tenantId, order, exportRow);
  } catch (e) {
    error = `The purchase order could not be read from the POS: ${e instanceof Error ? e.message : String(e)}`;
  }
  const rows = auditOrder({
    orderNumber: order.orderNumber,
    ordered: orderedLines(order, planLines),
    exportedLinks: links.map((l) => ({ lineKey: l.lineKey, posItemId: l.posItemId })),
    currentLinks: links.flatMap((l) => {
      const now = current.get(l.variantKey);
      return now === undefined ? [] : [{ lineKey: l.lineKey, posItemId: now }];
    }),
    poLines: po?.lines ?? null,
    // What the brand reported shipped (order_shipments), per order line over every shipment.
    shipped: fulfilment?.shipments.flatMap((sh) => sh.lines) ?? [],
    // Complete = shipped in full or cancelled at the source: what was not shipped will not be.
    shippedInFull: fulfilment?.complete === true && fulfilment.sourceStatus !== 'cancelled',
    poClosed: po?.closed ?? false,
  });
  const summary = auditSummary(rows);
  return {
    orderId: order.id,
    orderNumber: order.orderNumber,
    brandName: order.brandName,
    poNumber: exportRow.poNumber,
    rows,
    issues: Object.values(summary.counts).reduce((n, c) => n + (c ?? 0), 0),
    error,
  };
}

/** A stable hash of an order's issues (kind and line): a different one is a new discrepancy. */
export function issuesFingerprint(rows: readonly AuditRow[]): string {
  const parts = rows
    .flatMap((r) => r.issues.map((i) => `${r.lineKey ?? r.posItemId ?? r.label}|${i.kind}|${i.message}`))
    .sort();
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}
