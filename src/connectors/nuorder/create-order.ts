import { z } from 'zod';
import type {
  CreatedWholesaleOrder,
  NewWholesaleOrder,
  WholesaleOrderCreation,
} from '../../core/ports/wholesale-orders-out.ts';
import { RemoteRejected } from '../shared/errors.ts';
import { createHttpClient } from '../shared/http.ts';
import { oauth1Authorizer } from '../shared/oauth1.ts';
import { NUORDER_VENDOR, type NuorderCredentials } from './client.ts';

/**
 * A reorder sent to NuORDER: `PUT /api/order/new` [I] (nuorder.md §3.1 lists it, "create an order"; no body is
 * documented, so the body is the order's own JSON shape cut to what an order needs, as docs/simulators/nuorder.md
 * says). Not retried by the transport (a create); a 409 on our own order number means a previous try made it: read
 * it by number (`GET /api/order/number/{n}`, documented). Tolerant of the reply: only `_id`, `order_number` and
 * `status` are read.
 */
const createdSchema = z.looseObject({
  _id: z.string().min(1),
  order_number: z.union([z.string(), z.number()]).transform(String),
  status: z.string().optional().default('pending'),
});

export function createNuorderOrderCreation(options: {
  baseUrl: string;
  credentials: () => Promise<NuorderCredentials>;
  retailer: { sourceId: string } | null;
}): WholesaleOrderCreation {
  const client = createHttpClient({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    name: NUORDER_VENDOR,
    kind: 'source',
    timeoutMs: 30_000,
    retry: { attempts: 3, baseMs: 250, capMs: 4_000 },
    authorize: oauth1Authorizer({ credentials: options.credentials, scheme: 'rfc5849' }),
  });
  const byNumber = (n: string) =>
    client.request({ method: 'GET', path: `/api/order/number/${encodeURIComponent(n)}`, schema: createdSchema });
  return {
    async createOrder(order: NewWholesaleOrder): Promise<CreatedWholesaleOrder> {
      const body = {
        order_number: order.orderNumber,
        ...(order.customerPoNumber ? { customer_po_number: order.customerPoNumber } : {}),
        notes: order.notes,
        // As the buyer submits an order: the brand reviews and approves it.
        status: 'review',
        ...(options.retailer ? { retailer: { _id: options.retailer.sourceId } } : {}),
        line_items: order.lines.map((l) => ({
          product: { _id: l.productSourceId, style_number: l.styleNumber, color: l.color },
          sizes: l.sizes.map((s) => ({ size: s.size, quantity: s.quantity })),
        })),
      };
      try {
        const created = await client.request({
          method: 'PUT',
          path: '/api/order/new',
          body,
          schema: createdSchema,
          idempotent: false,
        });
        return { sourceId: created._id, orderNumber: created.order_number, status: created.status, existed: false };
      } catch (error) {
        if (!(error instanceof RemoteRejected) || error.status !== 409) throw error;
        const found = await byNumber(order.orderNumber);
        return { sourceId: found._id, orderNumber: found.order_number, status: found.status, existed: true };
      }
    },
  };
}
