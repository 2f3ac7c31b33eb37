import { notFound } from '../../../core/errors.ts';
import { connections, exports, posReorders, type PosReorder } from '../../../store/repos/index.ts';
import type { EngineContext } from '../../engine-context.ts';

/** What a person reads of a reorder started in the POS back office: where it stands, in one word. */
export type PosReorderStatus = 'sending' | 'awaiting_approval' | 'in_pos' | 'nothing_mapped' | 'failed';

export interface PosReorderView {
  id: string;
  status: PosReorderStatus;
  brand: string;
  purchaseOrder: { id: string; number: string; url: string | null };
  /** The NuORDER order: its number always (chosen before sending), its id once sent. */
  wholesaleOrder: { number: string; sourceId: string | null };
  /** Where the NuORDER number was written on the PO (`reference`, `name`), once written. */
  taggedIn: string | null;
  /** The Tradeloop order once the brand approved it, and the export that names the PO. */
  orderId: string | null;
  exportId: string | null;
  lines: Array<{ posItemId: string; styleNumber: string; color: string; size: string; quantity: number }>;
  unmappedLines: Array<{ posItemId: string; quantity: number; reason: string }>;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

function statusOf(r: PosReorder): PosReorderStatus {
  if (r.state === 'sent') return r.exportId ? 'in_pos' : 'awaiting_approval';
  return r.state;
}

export function posReorderView(r: PosReorder): PosReorderView {
  return {
    id: r.id,
    status: statusOf(r),
    brand: r.brandName,
    purchaseOrder: { id: r.posPoId, number: r.posPoNumber, url: r.posPoUrl },
    wholesaleOrder: { number: r.orderNumber, sourceId: r.sourceOrderId },
    taggedIn: r.tagField,
    orderId: r.orderId,
    exportId: r.exportId,
    lines: r.lines.map((l) => ({
      posItemId: l.posItemId,
      styleNumber: l.styleNumber,
      color: l.color,
      size: l.size,
      quantity: l.quantity,
    })),
    unmappedLines: r.unmapped.map((u) => ({ posItemId: u.posItemId, quantity: u.quantity, reason: u.reason })),
    error: r.error,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** A POS connection's reorders from its back office, newest first. */
export async function listPosReorders(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
  page: { limit: number; offset: number },
): Promise<{ reorders: PosReorderView[]; total: number; watched: boolean }> {
  const connection = await connections.get(ctx.store.db, tenantId, connectionId);
  if (!connection || !ctx.connectors.isPos(connection.system)) throw notFound('POS connection', connectionId);
  const { reorders, total } = await posReorders.list(ctx.store.db, tenantId, connectionId, page);
  // An export row gone (never, today) would leave the pairing naming nothing: read them so the view says in_pos only when true.
  const rows = await exports.forOrders(
    ctx.store.db,
    tenantId,
    reorders.flatMap((r) => (r.orderId ? [r.orderId] : [])),
  );
  const live = new Set(rows.map((e) => e.id));
  return {
    reorders: reorders.map((r) => posReorderView(r.exportId && !live.has(r.exportId) ? { ...r, exportId: null } : r)),
    total,
    watched: ctx.connectors.manifest(connection.system)?.open.purchaseOrderFeed !== undefined,
  };
}
