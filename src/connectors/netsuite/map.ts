/**
 * Where NetSuite's records meet the plain types the sales flows use. A sales order's state comes from
 * `orderStatus.id` (the code letter, A–H); `status` is display text in a real record (`{"id":"Pending Fulfillment",
 * "refName":"Pending Fulfillment"}`, divergences.md F1) and is kept only for people (the sync log).
 */
import type { z } from 'zod';
import type { salesOrderRecord } from './schemas.ts';

export interface NsRef {
  id: string;
  name: string | null;
}

export interface NsSalesOrderLine {
  line: number;
  itemId: string;
  sku: string | null;
  itemType: string | null;
  quantity: number;
  rate: number;
  amount: number;
  location: NsRef | null;
  isClosed: boolean;
  quantityFulfilled: number;
  quantityBilled: number;
  storePickup: boolean;
}

export interface NsSalesOrder {
  id: string;
  tranId: string;
  /** The status letter (A–H, §3.1), from `orderStatus`. */
  statusCode: string;
  /** The status as NetSuite shows it to people (`Pending Fulfillment`), from `status`; null when absent. */
  statusName: string | null;
  externalId: string | null;
  entity: NsRef | null;
  location: NsRef | null;
  shipMethod: NsRef | null;
  customForm: NsRef | null;
  memo: string | null;
  otherRefNum: string | null;
  total: number;
  tranDate: string | null;
  lastModified: string | null;
  /** `custbody…` fields, by lower-case script id. */
  custom: Record<string, unknown>;
  lines: NsSalesOrderLine[];
}

type SalesOrderRecord = z.output<typeof salesOrderRecord>;
type Reference = { id: string; refName?: string | undefined } | undefined;

const ref = (r: Reference): NsRef | null => (r ? { id: r.id, name: r.refName ?? null } : null);
const text = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);

function storePickup(choice: { id: string; refName?: string | undefined } | undefined): boolean {
  return (choice?.id ?? '').toLowerCase() === 'storepickup' || (choice?.refName ?? '').toLowerCase() === 'store pickup';
}

export function toSalesOrder(r: SalesOrderRecord): NsSalesOrder {
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (/^custbody/i.test(k)) custom[k.toLowerCase()] = v;
  const lines = r.item.items.map((l): NsSalesOrderLine => ({
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
