import { createHash, randomUUID } from 'node:crypto';
import { conflict, invalidInput, notFound } from '../../core/errors.ts';
import type { CreatedWholesaleOrder, NewOrderLine } from '../../core/ports/wholesale-orders-out.ts';
import { connections, wholesaleOrders } from '../../store/repos/index.ts';
import type { EngineContext } from '../engine-context.ts';

/**
 * "Reorder" from Tradeloop: an order (or the synced PO it became) prefills a new NuORDER order with the same lines,
 * quantities editable, sent to the brand as the buyer submits one (`review`); the brand approves it or suggests
 * changes in NuORDER, and the ingest flow brings it in once approved, like any order. One remote call whose order
 * number is derived from the reorder's key, so sending the same reorder again finds the order made the first time.
 */

export interface ReorderLine {
  lineKey: string;
  styleNumber: string;
  color: string;
  size: string;
  name: string;
  quantity: number;
}

export interface ReorderDraft {
  orderId: string;
  orderNumber: string;
  brand: string;
  lines: ReorderLine[];
}

async function requireOrder(ctx: EngineContext, tenantId: string, orderId: string) {
  const order = await wholesaleOrders.get(ctx.store.db, tenantId, orderId);
  if (!order) throw notFound('Order', orderId);
  return order;
}

/** The order's lines as a reorder starts: the same quantities. */
export async function reorderDraft(ctx: EngineContext, tenantId: string, orderId: string): Promise<ReorderDraft> {
  const order = await requireOrder(ctx, tenantId, orderId);
  return {
    orderId: order.id,
    orderNumber: order.orderNumber,
    brand: order.brandName,
    lines: order.document.lines.map((l) => ({
      lineKey: l.lineKey,
      styleNumber: l.styleNumber,
      color: l.color,
      size: l.size,
      name: l.name,
      quantity: l.quantity,
    })),
  };
}

/** The order number a reorder is sent under: readable (`TL-3100082-R1a2b3c`), the same for the same key. */
export function reorderNumber(orderNumber: string, key: string): string {
  return `TL-${orderNumber}-R${createHash('sha256').update(`${orderNumber}:${key}`).digest('hex').slice(0, 6)}`;
}

export async function sendReorder(
  ctx: EngineContext,
  tenantId: string,
  orderId: string,
  input: { quantities?: Record<string, number>; key?: string },
): Promise<CreatedWholesaleOrder & { lines: number; units: number }> {
  const order = await requireOrder(ctx, tenantId, orderId);
  const quantities = input.quantities ?? {};
  const known = new Set(order.document.lines.map((l) => l.lineKey));
  const unknown = Object.keys(quantities).filter((k) => !known.has(k));
  if (unknown.length > 0)
    throw invalidInput(`quantities: ${unknown.join(', ')} are not lines of order ${order.orderNumber}`, {
      field: 'quantities',
      unknown,
    });
  const groups = new Map<string, NewOrderLine & { sizes: Array<{ size: string; quantity: number }> }>();
  let units = 0;
  let lines = 0;
  for (const line of order.document.lines) {
    const quantity = quantities[line.lineKey] ?? line.quantity;
    if (quantity <= 0) continue;
    const key = `${line.productSourceId}|${line.color}`;
    const group = groups.get(key) ?? {
      productSourceId: line.productSourceId,
      styleNumber: line.styleNumber,
      color: line.color,
      sizes: [],
    };
    group.sizes.push({ size: line.size, quantity });
    groups.set(key, group);
    units += quantity;
    lines++;
  }
  if (groups.size === 0)
    throw invalidInput('quantities: every line is 0; a reorder needs at least one unit', { field: 'quantities' });
  const brand = await connections.get(ctx.store.db, tenantId, order.connectionId);
  if (!brand || brand.status !== 'linked')
    throw conflict(
      'REORDER_UNAVAILABLE',
      `The brand's NuORDER connection for order ${order.orderNumber} is not linked`,
    );
  const port = await ctx.connectors.wholesaleOrderCreation(brand);
  const created = await port.createOrder({
    orderNumber: reorderNumber(order.orderNumber, input.key ?? randomUUID()),
    customerPoNumber: null,
    notes: `Reorder of ${order.orderNumber} from Tradeloop`,
    lines: [...groups.values()],
  });
  return { ...created, lines, units };
}
