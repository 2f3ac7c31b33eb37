/**
 * Changes to a consignment the export made (reference lightspeed-x-series.md §3.3–§3.4), for accepted amendments:
 * PUT …/consignments/{id}/products/{product_id} sets a line's `count` or `cost` (absolute: "If status is OPEN or
 * SENT, the count value will be updated"), DELETE …/products/{product_id} removes it, PUT …/consignments/{id}
 * sets `due_at` or status CANCELLED. Every write is absolute, so sending it again after a lost reply is safe; a
 * line already gone or a PO already cancelled is left alone. What the POS refuses (a DISPATCHED count, a RECEIVED
 * PO) comes back as RemoteRejected with its message.
 */
import { toDecimalString, type Money } from '../../core/money.ts';
import type { CancelHow, PurchaseOrderChanges, PurchaseOrderSnapshot } from '../../core/ports/po-changes.ts';
import type { PointOfSale } from '../../core/ports/pos.ts';
import { RemoteRejected } from '../shared/errors.ts';
import type { HttpClient } from '../shared/http.ts';
import { VENDOR } from './client.ts';
import { dueAtOf } from './map.ts';
import { consignmentReplySchema, type XConsignment } from './schemas.ts';
import { z } from 'zod';

const V2 = '/api/2.0';
const anyReply = z.unknown();

export interface XSeriesPoChangesOptions {
  /** A buyer-facing link to a consignment (the same as the PointOfSale's). */
  purchaseOrderUrl: (consignmentId: string) => string;
}

export function createXSeriesPoChanges(
  client: HttpClient,
  pos: Pick<PointOfSale, 'listPurchaseOrderLines'>,
  options: XSeriesPoChangesOptions,
): PurchaseOrderChanges {
  const poPath = (poId: string): string => `${V2}/consignments/${encodeURIComponent(poId)}`;
  const linePath = (poId: string, itemId: string): string => `${poPath(poId)}/products/${encodeURIComponent(itemId)}`;
  const put = (path: string, body: unknown) =>
    client.request({ method: 'PUT', path, body, schema: anyReply, idempotent: true });

  async function consignment(poId: string): Promise<XConsignment | null> {
    try {
      const found = await client.request({ method: 'GET', path: poPath(poId), schema: consignmentReplySchema });
      return found.deleted_at ? null : found;
    } catch (error) {
      if (error instanceof RemoteRejected && error.status === 404) return null;
      throw error;
    }
  }

  async function snapshot(c: XConsignment): Promise<PurchaseOrderSnapshot> {
    return {
      id: c.id,
      number: c.reference || c.name,
      url: options.purchaseOrderUrl(c.id),
      status: c.status,
      expectedAt: c.due_at ?? null,
      lines: await pos.listPurchaseOrderLines(c.id),
    };
  }

  async function requirePo(poId: string, method: string): Promise<XConsignment> {
    const found = await consignment(poId);
    if (!found)
      throw new RemoteRejected({
        vendor: VENDOR,
        method,
        path: poPath(poId),
        status: 404,
        vendorMessage: `consignment ${poId} no longer exists`,
      });
    return found;
  }

  return {
    async readPurchaseOrder(poId) {
      const found = await consignment(poId);
      return found ? snapshot(found) : null;
    },

    async setLineQuantity(poId, posItemId, quantity) {
      await put(linePath(poId, posItemId), { count: quantity });
    },

    async setLineCost(poId, posItemId, cost: Money) {
      await put(linePath(poId, posItemId), { cost: toDecimalString(cost) });
    },

    async removeLine(poId, posItemId) {
      try {
        await client.request({ method: 'DELETE', path: linePath(poId, posItemId), schema: anyReply });
      } catch (error) {
        // Already removed (an earlier attempt whose reply was lost): done.
        if (error instanceof RemoteRejected && error.status === 404) return;
        throw error;
      }
    },

    async setExpectedDate(poId, expectedAt) {
      await put(poPath(poId), { due_at: dueAtOf(expectedAt) });
    },

    async cancelPurchaseOrder(poId, how: CancelHow) {
      const current = await requirePo(poId, 'PUT');
      if (how !== 'cancel')
        throw new RemoteRejected({
          vendor: VENDOR,
          method: 'PUT',
          path: poPath(poId),
          status: 422,
          vendorMessage: `X-Series cancels a consignment with status CANCELLED, not by ${how}`,
        });
      if (current.status === 'CANCELLED') return snapshot(current);
      const updated = await client.request({
        method: 'PUT',
        path: poPath(poId),
        body: { status: 'CANCELLED' },
        schema: consignmentReplySchema,
        idempotent: true,
      });
      return snapshot(updated);
    },
  };
}
