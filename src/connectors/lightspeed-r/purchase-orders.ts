import type {
  AddLineOutcome,
  AddLinesOptions,
  PointOfSale,
  PosPurchaseOrder,
  PosPurchaseOrderLine,
  PurchaseOrderLineSpec,
  PurchaseOrderQuery,
  PurchaseOrderSpec,
  SubmitOptions,
} from '../../core/ports/pos.ts';
import { toDecimalString } from '../../core/money.ts';
import { RemoteRejected } from '../shared/errors.ts';
import { PAGE_MAX, type RPosContext } from './pos-context.ts';
import { oneOrder, oneOrderLine, orderLinePage, orderPage, type ROrder, type ROrderLine } from './schemas.ts';

/**
 * Purchase orders on R-Series (reference §3): an Order found again by `refNum` (the correlation key, with
 * `b2bOrderUID`/`b2bOrderNumber`, §8), one OrderLine per POST, and `orderedDate` to mark it Ordered.
 */

/** `2026-03-01` → `2026-03-01T00:00:00+00:00`; other ISO date-times pass through in UTC. */
function lsDateTime(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return `${text}T00:00:00+00:00`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return text;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

type PurchaseOrders = Pick<
  PointOfSale,
  | 'findPurchaseOrderByCorrelation'
  | 'createPurchaseOrder'
  | 'listPurchaseOrderLines'
  | 'addPurchaseOrderLines'
  | 'submitPurchaseOrder'
>;

export function purchaseOrders(ctx: RPosContext, poUrlTemplate: string): PurchaseOrders {
  const { client, refuse, money, currency, clock } = ctx;

  function statusOf(order: ROrder, hasReceipts = false): { status: string; open: boolean } {
    if (order.archived) return { status: 'archived', open: false };
    if (order.complete) return { status: 'finished', open: false };
    if (order.receivedDate !== undefined || hasReceipts) return { status: 'check_in', open: false };
    if (order.orderedDate !== undefined) return { status: 'ordered', open: true };
    return { status: 'open', open: true };
  }

  function toPurchaseOrder(order: ROrder): PosPurchaseOrder {
    return {
      id: order.orderID,
      number: order.orderID,
      url: poUrlTemplate.replace('{orderID}', encodeURIComponent(order.orderID)),
      ...statusOf(order),
    };
  }

  async function linesOf(orderId: string): Promise<ROrderLine[]> {
    if (!/^\d+$/.test(orderId)) throw refuse(`not an R-Series order id: ${orderId}`, 404);
    return client.list('OrderLine.json', { orderID: orderId, limit: PAGE_MAX, sort: 'orderLineID' }, orderLinePage);
  }

  return {
    async findPurchaseOrderByCorrelation(query: PurchaseOrderQuery): Promise<PosPurchaseOrder | null> {
      const orders = await client.list(
        'Order.json',
        { refNum: query.correlationKey, archived: 'true', limit: PAGE_MAX },
        orderPage,
      );
      const mine = orders.filter((o) => o.refNum.toLowerCase() === query.correlationKey.toLowerCase());
      // A live one before an archived one; the oldest of those (the first create).
      const best = mine.sort(
        (a, b) => Number(a.archived) - Number(b.archived) || Number(a.orderID) - Number(b.orderID),
      )[0];
      return best ? toPurchaseOrder(best) : null;
    },

    async createPurchaseOrder(spec: PurchaseOrderSpec): Promise<PosPurchaseOrder> {
      if (spec.currency.toUpperCase() !== currency) {
        throw refuse(`this R-Series account keeps purchase orders in ${currency}; the order is in ${spec.currency}`);
      }
      const window = [spec.shipWindow.start, spec.shipWindow.end].map((d) => d ?? '?');
      const note = [spec.name, spec.notes]
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .join('\n\n');
      const order = await client.request({
        method: 'POST',
        path: 'Order.json',
        body: {
          shopID: spec.locationId,
          vendorID: spec.supplierId,
          refNum: spec.correlationKey,
          b2bOrderUID: spec.sourceOrderId,
          b2bOrderNumber: spec.orderNumber,
          ...(spec.shipWindow.end !== null ? { arrivalDate: lsDateTime(spec.shipWindow.end) } : {}),
          ...(spec.shipWindow.start !== null || spec.shipWindow.end !== null
            ? { shipInstructions: `Ship window ${window[0]} – ${window[1]}` }
            : {}),
          ...(note !== '' ? { Note: { note } } : {}),
        },
        schema: oneOrder,
      });
      return toPurchaseOrder(order);
    },

    async listPurchaseOrderLines(poId: string): Promise<PosPurchaseOrderLine[]> {
      return (await linesOf(poId)).map((line, index) => ({
        posItemId: line.itemID,
        quantity: line.quantity,
        unitCost: money(line.price, `OrderLine[${index}].price`),
        received: line.checkedIn + line.numReceived,
      }));
    },

    async addPurchaseOrderLines(
      poId: string,
      lines: readonly PurchaseOrderLineSpec[],
      options: AddLinesOptions = {},
    ): Promise<AddLineOutcome[]> {
      // Never add an item twice: read what the PO holds first (a lost reply may have added it), unless the
      // flow's records show this is the first attempt at these lines.
      const present = new Set(options.firstAttempt ? [] : (await linesOf(poId)).map((l) => l.itemID));
      const out: AddLineOutcome[] = [];
      for (const line of lines) {
        const base = { posItemId: line.posItemId, sourceLineKeys: line.sourceLineKeys };
        if (present.has(line.posItemId)) {
          out.push({ ...base, outcome: 'added' });
          continue;
        }
        if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
          out.push({
            ...base,
            outcome: 'rejected',
            message: `quantity must be a whole number above 0, got ${line.quantity}`,
          });
          continue;
        }
        if (line.unitCost.currency !== currency) {
          out.push({
            ...base,
            outcome: 'rejected',
            message: `unit cost is in ${line.unitCost.currency}, the account keeps ${currency}`,
          });
          continue;
        }
        const cost = toDecimalString(line.unitCost);
        try {
          await client.request({
            method: 'POST',
            path: 'OrderLine.json',
            body: { orderID: poId, itemID: line.posItemId, quantity: line.quantity, price: cost, originalPrice: cost },
            schema: oneOrderLine,
          });
          present.add(line.posItemId);
          out.push({ ...base, outcome: 'added' });
        } catch (error) {
          // A 400/422 refuses this line only (bad item, bad value); anything else concerns the whole PO.
          if (error instanceof RemoteRejected && (error.status === 400 || error.status === 422)) {
            out.push({ ...base, outcome: 'rejected', message: error.vendorMessage });
            continue;
          }
          throw error;
        }
      }
      return out;
    },

    async submitPurchaseOrder(poId: string, options: SubmitOptions = {}): Promise<PosPurchaseOrder> {
      if (!/^\d+$/.test(poId)) throw refuse(`not an R-Series order id: ${poId}`, 404);
      // A first attempt right after adding the lines: the PO is ours, has lines and was never marked
      // ordered, so the two reads below would only confirm it.
      if (!options.firstAttempt) {
        const order = await client.request({ path: `Order/${poId}.json`, schema: oneOrder });
        // Idempotent: already Ordered (or further along) → nothing to do.
        if (order.orderedDate !== undefined || order.archived || order.complete || order.receivedDate !== undefined)
          return toPurchaseOrder(order);
        // §3.1: orderedDate only makes the PO "Ordered" once it has a line.
        const lines = await client.request({
          path: 'OrderLine.json',
          query: { orderID: poId, limit: 1 },
          schema: orderLinePage,
        });
        if (lines.items.length === 0)
          throw refuse(`purchase order ${poId} has no lines yet; R-Series marks only a PO with lines as ordered`);
      }
      const updated = await client.request({
        method: 'PUT',
        path: `Order/${poId}.json`,
        body: { orderedDate: lsDateTime(new Date(clock.now()).toISOString()) },
        schema: oneOrder,
      });
      if (updated.orderedDate === undefined) throw refuse(`R-Series did not mark purchase order ${poId} as ordered`);
      return toPurchaseOrder(updated);
    },
  };
}
