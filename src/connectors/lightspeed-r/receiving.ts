/**
 * Receiving against an R-Series Order the documented way (reference §3.2, §3.3): `OrderLine.numReceived` is the
 * units received but not yet checked in; `checkedIn` (not writable) the units checked in, which are in stock. A
 * line's received total is `checkedIn + numReceived`, so a total is written as `numReceived = total − checkedIn`
 * (a set: a repeated PUT leaves the same value). Checking the units in, which adds them to stock and records a
 * receipt (OrderShipment), is done in the Retail POS UI ("the PO must then be finished in the Retail POS UI"); no
 * documented API call does it [I], so `stockOnCommit` is false and `closeReceipt` writes nothing.
 */
import type {
  ClosedReceipt,
  PurchaseOrderReceiving,
  ReceivedTotal,
  ReceivingState,
} from '../../core/ports/po-receiving.ts';
import type { PointOfSale, PosPurchaseOrder } from '../../core/ports/pos.ts';
import { RemoteRejected } from '../shared/errors.ts';
import { LIGHTSPEED_R_VENDOR, type RSeriesClient } from './client.ts';
import { oneOrder, oneOrderLine, orderLinePage, type ROrder } from './schemas.ts';

function statusOf(order: ROrder): { status: string; open: boolean } {
  if (order.archived) return { status: 'archived', open: false };
  if (order.complete) return { status: 'finished', open: false };
  if (order.receivedDate !== undefined) return { status: 'check_in', open: false };
  if (order.orderedDate !== undefined) return { status: 'ordered', open: true };
  return { status: 'open', open: true };
}

export function createRSeriesReceiving(
  client: RSeriesClient,
  pos: Pick<PointOfSale, 'listPurchaseOrderLines'>,
  poUrlTemplate: string,
): PurchaseOrderReceiving {
  const refuse = (message: string, status = 422): RemoteRejected =>
    new RemoteRejected({ vendor: LIGHTSPEED_R_VENDOR, status, vendorMessage: message });

  async function order(poId: string): Promise<{ order: ROrder; po: PosPurchaseOrder }> {
    if (!/^\d+$/.test(poId)) throw refuse(`not an R-Series order id: ${poId}`, 404);
    const o = await client.request({ path: `Order/${poId}.json`, schema: oneOrder });
    return {
      order: o,
      po: { id: o.orderID, number: o.orderID, url: poUrlTemplate.replace('{orderID}', o.orderID), ...statusOf(o) },
    };
  }

  async function read(poId: string): Promise<ReceivingState> {
    const [{ order: o, po }, lines] = await Promise.all([order(poId), pos.listPurchaseOrderLines(poId)]);
    return {
      po,
      lines: lines.map((l) => ({
        posItemId: l.posItemId,
        ordered: l.quantity,
        received: l.received,
        unitCost: l.unitCost,
      })),
      // A Finished or archived order "cannot be received" (S3 12533407268635).
      receivable: !o.archived && !o.complete,
    };
  }

  return {
    stockOnCommit: false,
    readReceiving: read,

    async writeReceived(poId: string, totals: readonly ReceivedTotal[]): Promise<ReceivingState> {
      const { order: o, po } = await order(poId);
      const lines = await client.list(
        'OrderLine.json',
        { orderID: poId, limit: 100, sort: 'orderLineID' },
        orderLinePage,
      );
      for (const total of totals) {
        const line = lines.find((l) => l.itemID === total.posItemId);
        if (!line) throw refuse(`item ${total.posItemId} is not on order ${po.number}`);
        const now = line.checkedIn + line.numReceived;
        if (now === total.received) continue;
        if (o.archived || o.complete) throw refuse(`order ${po.number} is ${po.status} and takes no receipt`);
        if (total.received < line.checkedIn)
          throw refuse(`item ${total.posItemId} has ${line.checkedIn} checked in, more than ${total.received}`);
        await client.request({
          method: 'PUT',
          path: `OrderLine/${line.orderLineID}.json`,
          body: { numReceived: total.received - line.checkedIn },
          schema: oneOrderLine,
        });
      }
      return read(poId);
    },

    async closeReceipt(poId: string): Promise<ClosedReceipt> {
      // Check-in happens in the Retail POS UI (see above): the units stay marked received until then.
      return { po: (await order(poId)).po, remainder: null };
    },
  };
}
