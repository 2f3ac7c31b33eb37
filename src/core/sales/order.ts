/** What the sales sync reads off an ERP sales order. Pure. */
import type { ErpBillType, SalesOrder, SalesOrderLine } from '../ports/erp-sales-orders.ts';
import type { NsOrderSummary } from './rules.ts';

/** The order as the rules see it. */
export function orderSummary(order: SalesOrder): NsOrderSummary {
  const open = order.lines.filter((l) => !l.isClosed);
  return {
    id: order.id,
    tranId: order.tranId,
    statusCode: order.statusCode,
    location: order.location?.name ?? open.find((l) => l.location)?.location?.name ?? null,
    shipMethod: order.shipMethod?.name ?? null,
    customFormName: order.customForm?.name ?? null,
    customer: order.entity?.name ?? null,
    memo: order.memo,
    otherRefNum: order.otherRefNum,
    externalId: order.externalId,
    total: order.total,
    custom: order.custom,
    anyStorePickupLine: open.some((l) => l.storePickup),
  };
}

/** Lines with something left to fulfil. */
export function openRemaining(order: SalesOrder): SalesOrderLine[] {
  return order.lines.filter((l) => !l.isClosed && l.quantity - l.quantityFulfilled > 0);
}

/** What billing makes of the order: its form says (a "… Cash Sale" form bills as a cash sale). */
export function billTarget(order: SalesOrder): ErpBillType {
  return (order.customForm?.name ?? '').toLowerCase().includes('cash sale') ? 'cashSale' : 'invoice';
}

/** Serial or lot numbers the POS noted on a sale's lines (e.g. "SN SW-00003"), used first when on hand. */
export function notedNumbers(notes: Array<string | null | undefined>): string[] {
  const out: string[] = [];
  for (const note of notes) {
    for (const match of (note ?? '').matchAll(/\b(?:SN|S\/N|serial|lot)\s*[:#]?\s*([A-Za-z0-9][A-Za-z0-9_-]{2,})/gi))
      if (match[1]) out.push(match[1]);
  }
  return out;
}
