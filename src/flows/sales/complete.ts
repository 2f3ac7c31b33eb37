/**
 * Pull back, then fulfil and bill: when the POS finishes a sale that stands for a NetSuite sales order (CLOSED,
 * DISPATCHED_CLOSED, PICKED_UP_CLOSED; LAYBY_CLOSED for an imported layby), the sales order is fulfilled (item
 * fulfilment with serial/lot/bin detail) and billed (invoice or cash sale, by its form), exactly once.
 *
 * Two recorded steps, `fulfil` then `bill`, each with an external id on the record it makes (`TL-IF-<order>`,
 * `TL-BILL-<order>`): a step recorded done is never repeated, and a step that was running when its worker died
 * (or whose reply was lost) is looked up before anything is sent again. What NetSuite already did by itself
 * (fulfilled in the warehouse, billed with the fulfilment when Advanced Shipping is off) counts as done.
 */
import { AppError } from '../../core/errors.ts';
import type { NsRecord } from '../../connectors/netsuite/client.ts';
import type { NsSalesOrder } from '../../connectors/netsuite/sales.ts';
import { salesSyncs, type SalesSync } from '../../store/repos/index.ts';
import type { SalesEnv } from './env.ts';
import { runStep } from './steps.ts';

export interface CompleteResult {
  syncId: string;
  fulfilmentId: string | null;
  billId: string | null;
  billType: 'invoice' | 'cashSale';
}

const fulfilmentKey = (orderId: string): string => `TL-IF-${orderId}`;
const billKey = (orderId: string): string => `TL-BILL-${orderId}`;

function openRemaining(order: NsSalesOrder): Array<NsSalesOrder['lines'][number]> {
  return order.lines.filter((l) => !l.isClosed && l.quantity - l.quantityFulfilled > 0);
}

function billTarget(order: NsSalesOrder): 'invoice' | 'cashSale' {
  return (order.customForm?.name ?? '').toLowerCase().includes('cash sale') ? 'cashSale' : 'invoice';
}

/** Serial or lot numbers the POS noted on the sale's lines (e.g. "SN SW-00003"), used first when on hand. */
export function notedNumbers(notes: Array<string | null | undefined>): string[] {
  const out: string[] = [];
  for (const note of notes) {
    for (const match of (note ?? '').matchAll(/\b(?:SN|S\/N|serial|lot)\s*[:#]?\s*([A-Za-z0-9][A-Za-z0-9_-]{2,})/gi))
      if (match[1]) out.push(match[1]);
  }
  return out;
}

/** Reads the serial/lot numbers and bin stock of every item (kit components included) the lines move, per location. */
async function loadStock(env: SalesEnv, order: NsSalesOrder, lines: NsSalesOrder['lines']): Promise<void> {
  const items = await env.ns.itemsById(lines.map((l) => l.itemId));
  const byLocation = new Map<string, Set<string>>();
  for (const line of lines) {
    const locationId = line.location?.id ?? order.location?.id;
    const item = items.get(line.itemId);
    if (!locationId || !item) continue;
    const ids = byLocation.get(locationId) ?? new Set<string>();
    ids.add(item.id);
    if (item.type === 'Kit') for (const m of await env.ns.kitMembers(item.id)) ids.add(m.itemId);
    byLocation.set(locationId, ids);
  }
  for (const [locationId, ids] of byLocation)
    await env.ns.loadInventory([...(await env.ns.itemsById([...ids])).values()], locationId);
}

async function fulfilmentBody(env: SalesEnv, order: NsSalesOrder, preferred: string[]): Promise<NsRecord> {
  const lines = openRemaining(order);
  const items = await env.ns.itemsById(lines.map((l) => l.itemId));
  await loadStock(env, order, lines);
  const entries: NsRecord[] = [];
  for (const line of lines) {
    const locationId = line.location?.id ?? order.location?.id;
    if (!locationId)
      throw new AppError(
        'SALES_FULFIL_NO_LOCATION',
        `Line ${line.line} of ${order.tranId} has no location to fulfil from`,
      );
    const quantity = line.quantity - line.quantityFulfilled;
    const item = items.get(line.itemId);
    entries.push({ orderLine: line.line, quantity, location: { id: locationId } });
    if (!item) continue;
    if (item.type === 'Kit') {
      // All components from the kit line's location (§5, section_N2225398); each numbered one with its detail.
      const members = await env.ns.kitMembers(item.id);
      const parts = await env.ns.itemsById(members.map((m) => m.itemId));
      for (const member of members) {
        const part = parts.get(member.itemId);
        if (!part) continue;
        const detail = await env.ns.inventoryDetail(part, locationId, quantity * member.quantity, preferred);
        if (detail) entries.push({ orderLine: line.line, item: { id: part.id }, inventoryDetail: detail });
      }
      continue;
    }
    const detail = await env.ns.inventoryDetail(item, locationId, quantity, preferred);
    if (detail) (entries[entries.length - 1] as NsRecord).inventoryDetail = detail;
  }
  return {
    externalId: fulfilmentKey(order.id),
    memo: `Fulfilled by Tradeloop when the X-Series sale was completed`,
    item: { items: entries },
  };
}

export async function completeSync(
  env: SalesEnv,
  syncId: string,
  options: { heartbeat?: () => Promise<void> } = {},
): Promise<CompleteResult | { skipped: string }> {
  const heartbeat = options.heartbeat ?? (async () => {});
  const { ctx, tenantId } = env;
  const db = ctx.store.db;
  const row = await salesSyncs.get(db, tenantId, syncId);
  if (!row) return { skipped: 'no such synced order' };
  if (!row.nsId || (row.nsRecordType !== null && row.nsRecordType !== 'salesOrder'))
    return { skipped: 'not a NetSuite sales order' };
  if (row.state === 'completed')
    return {
      syncId,
      fulfilmentId: row.fulfilmentId,
      billId: row.billId,
      billType: (row.billType as 'invoice' | 'cashSale') ?? 'invoice',
    };
  await salesSyncs.update(
    db,
    tenantId,
    syncId,
    { state: 'completing', errorCode: null, errorMessage: null },
    ctx.now(),
  );
  const orderId = row.nsId;
  const stepEnv = { db, tenantId, now: ctx.now };
  const readOrder = async (): Promise<NsSalesOrder> => {
    const order = await env.ns.salesOrder(orderId);
    if (!order) throw new AppError('SALES_ORDER_MISSING', `NetSuite sales order ${orderId} no longer exists`);
    return order;
  };

  await heartbeat();
  const fulfilment = await runStep<{ id: string | null; note?: string }>(stepEnv, syncId, 'fulfil', {
    lookup: async () => {
      const made = await env.ns.byExternalId('itemFulfillment', fulfilmentKey(orderId));
      if (made) return { id: String(made.id) };
      const order = await readOrder();
      if (['F', 'G', 'H'].includes(order.statusCode) || openRemaining(order).length === 0) {
        const child = (await env.ns.children(orderId)).find((c) => c.type === 'ItemShip');
        return { id: child?.id ?? null, note: 'already fulfilled in NetSuite' };
      }
      return undefined;
    },
    perform: async () => {
      const order = await readOrder();
      const sale = row.xSaleId ? await env.x.getSale(row.xSaleId) : undefined;
      const body = await fulfilmentBody(env, order, notedNumbers(sale?.line_items.map((l) => l.note) ?? []));
      return { id: await env.ns.client.transform('salesOrder', orderId, 'itemFulfillment', body) };
    },
  });
  await salesSyncs.update(db, tenantId, syncId, { fulfilmentId: fulfilment.id }, ctx.now());

  await heartbeat();
  const order = await readOrder();
  const target = billTarget(order);
  const bill = await runStep<{ id: string | null; type: 'invoice' | 'cashSale'; note?: string }>(
    stepEnv,
    syncId,
    'bill',
    {
      lookup: async () => {
        const made = await env.ns.byExternalId(target, billKey(orderId));
        if (made) return { id: String(made.id), type: target };
        const fresh = await readOrder();
        const unbilled = fresh.lines.some((l) => l.quantityFulfilled > l.quantityBilled);
        if (['G', 'H'].includes(fresh.statusCode) || !unbilled) {
          const child = (await env.ns.children(orderId)).find((c) => c.type === 'CustInvc' || c.type === 'CashSale');
          return {
            id: child?.id ?? null,
            type: child?.type === 'CashSale' ? 'cashSale' : child ? 'invoice' : target,
            note: 'already billed in NetSuite',
          };
        }
        return undefined;
      },
      perform: async () => ({
        id: await env.ns.client.transform('salesOrder', orderId, target, {
          externalId: billKey(orderId),
          memo: 'Billed by Tradeloop when the X-Series sale was completed',
        }),
        type: target,
      }),
    },
  );

  await salesSyncs.update(
    db,
    tenantId,
    syncId,
    {
      state: 'completed',
      fulfilmentId: fulfilment.id,
      billId: bill.id,
      billType: bill.type,
      errorCode: null,
      errorMessage: null,
    },
    ctx.now(),
  );
  return { syncId, fulfilmentId: fulfilment.id, billId: bill.id, billType: bill.type };
}

export type { SalesSync };
