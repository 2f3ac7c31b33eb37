/**
 * Where NetSuite's records meet the plain types of the sales port (core/ports/erp-sales-orders.ts), both ways: a
 * sales order read, and the bodies of what the sync writes. A sales order's state comes from
 * `orderStatus.id` (the code letter, A–H); `status` is display text in a real record (`{"id":"Pending Fulfillment",
 * "refName":"Pending Fulfillment"}`, divergences.md F1) and is kept only for people (the sync log).
 */
import type { z } from 'zod';
import type {
  ErpRef,
  ErpSaleRecord,
  NewSalesOrder,
  SalesOrder,
  SalesOrderLine,
} from '../../core/ports/erp-sales-orders.ts';
import { XSERIES_SALE_ID_FIELD } from '../../core/sales/rules.ts';
import type { NsRecord } from './client.ts';
import type { salesOrderRecord } from './schemas.ts';

type SalesOrderRecord = z.output<typeof salesOrderRecord>;
type Reference = { id: string; refName?: string | undefined } | undefined;

const ref = (r: Reference): ErpRef | null => (r ? { id: r.id, name: r.refName ?? null } : null);
const text = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);

function storePickup(choice: { id: string; refName?: string | undefined } | undefined): boolean {
  return (choice?.id ?? '').toLowerCase() === 'storepickup' || (choice?.refName ?? '').toLowerCase() === 'store pickup';
}

export function toSalesOrder(r: SalesOrderRecord): SalesOrder {
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (/^custbody/i.test(k)) custom[k.toLowerCase()] = v;
  const lines = r.item.items.map((l): SalesOrderLine => ({
    line: l.line,
    itemId: l.item.id,
    sku: l.item.refName ?? null,
    itemType: typeof l.itemType === 'string' ? l.itemType : (l.itemType?.id ?? null),
    quantity: l.quantity ?? 0,
    rate: l.rate ?? 0,
    amount: l.amount ?? 0,
    location: ref(l.location),
    isClosed: l.isClosed ?? l.isclosed ?? false,
    quantityFulfilled: l.quantityFulfilled ?? 0,
    quantityBilled: l.quantityBilled ?? 0,
    storePickup: storePickup(l.itemFulfillmentChoice),
  }));
  return {
    id: r.id,
    tranId: r.tranId,
    statusCode: r.orderStatus.id,
    statusName: text(r.status?.refName ?? r.status?.id),
    externalId: text(r.externalId),
    entity: ref(r.entity),
    location: ref(r.location),
    shipMethod: ref(r.shipMethod),
    customForm: ref(r.customForm),
    memo: text(r.memo),
    otherRefNum: text(r.otherRefNum),
    total: r.total ?? 0,
    tranDate: text(r.tranDate),
    lastModified: text(r.lastModifiedDate),
    custom,
    lines,
  };
}

/** The POS sale's id, only when the account defines the field (NetSuite has no field by a name nobody created: F8). */
const saleIdField = (hasField: boolean, saleId: string): NsRecord =>
  hasField ? { [XSERIES_SALE_ID_FIELD]: saleId } : {};

/** A cash sale line with the inventory detail its stock needs (none for a kit, or an item not numbered nor binned). */
export interface CashSaleLine {
  itemId: string;
  quantity: number;
  rate: number;
  detail: NsRecord | undefined;
}

export function cashSaleBody(record: ErpSaleRecord, lines: CashSaleLine[], hasSaleIdField: boolean): NsRecord {
  return {
    externalId: record.externalId,
    entity: { id: record.customerId },
    location: { id: record.locationId },
    tranDate: record.date,
    memo: record.memo,
    otherRefNum: record.otherRefNum ?? undefined,
    ...saleIdField(hasSaleIdField, record.posSaleId),
    item: {
      items: lines.map((l) => ({
        item: { id: l.itemId },
        quantity: l.quantity,
        rate: l.rate,
        location: { id: record.locationId },
        ...(l.detail ? { inventoryDetail: l.detail } : {}),
      })),
    },
  };
}

/** NetSuite's standard form names: they exist in every account, and the form decides what billing makes. */
export const salesOrderFormName = (billing: NewSalesOrder['billing']): string =>
  billing === 'invoice' ? 'Standard Sales Order - Invoice' : 'Standard Sales Order - Cash Sale';

/**
 * The sales order a POS sale becomes. References go by internal id, looked up by name (NetSuite refuses a reference
 * to nothing, and whether it takes a refName on write at all is unverified: F8). A ship method the account does not
 * have is left out. The form's id is learnt from the orders that use it; before any does, the form goes by its name.
 */
export function salesOrderBody(
  order: NewSalesOrder,
  refs: { formId: string | undefined; shipMethodId: string | undefined; hasSaleIdField: boolean },
): NsRecord {
  return {
    externalId: order.externalId,
    entity: { id: order.customerId },
    orderStatus: { id: 'B' },
    customForm: refs.formId ? { id: refs.formId } : { refName: salesOrderFormName(order.billing) },
    location: { id: order.locationId },
    tranDate: order.date,
    memo: order.memo,
    ...(order.otherRefNum ? { otherRefNum: order.otherRefNum } : {}),
    ...(refs.shipMethodId ? { shipMethod: { id: refs.shipMethodId } } : {}),
    ...saleIdField(refs.hasSaleIdField, order.posSaleId),
    item: {
      items: order.lines.map((l) => ({
        item: { id: l.itemId },
        quantity: l.quantity,
        rate: l.rate,
        location: { id: order.locationId },
        ...(order.storePickup ? { itemFulfillmentChoice: { id: 'storePickup' } } : {}),
      })),
    },
  };
}

/** One order line to fulfil: its own detail, or a kit's numbered components each with theirs (§5, N2225398). */
export interface FulfilmentLine {
  orderLine: number;
  quantity: number;
  locationId: string;
  detail: NsRecord | undefined;
  components: Array<{ itemId: string; detail: NsRecord }>;
}

export function fulfilmentBody(externalId: string, memo: string, lines: FulfilmentLine[]): NsRecord {
  const entries: NsRecord[] = [];
  for (const line of lines) {
    entries.push({
      orderLine: line.orderLine,
      quantity: line.quantity,
      location: { id: line.locationId },
      ...(line.detail ? { inventoryDetail: line.detail } : {}),
    });
    for (const c of line.components)
      entries.push({ orderLine: line.orderLine, item: { id: c.itemId }, inventoryDetail: c.detail });
  }
  return { externalId, memo, item: { items: entries } };
}
