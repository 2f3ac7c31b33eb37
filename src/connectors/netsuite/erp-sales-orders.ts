/**
 * NetSuite as the sales sync's ERP (core/ports/erp-sales-orders.ts), over the reader in sales.ts and catalog.ts.
 * The bodies are shaped in map.ts; this file does the reads they need (ids of forms and ship methods, the custom
 * field, items, kit members, stock) and the writes. One instance serves one sync run: what it reads is cached.
 */
import { AppError } from '../../core/errors.ts';
import type {
  ErpChildRecord,
  ErpRecordType,
  ErpSaleRecord,
  ErpSalesOrders,
  NewSalesOrder,
  SalesOrder,
} from '../../core/ports/erp-sales-orders.ts';
import { XSERIES_SALE_ID_FIELD } from '../../core/sales/rules.ts';
import { openRemaining } from '../../core/sales/order.ts';
import type { NetsuiteClient } from './client.ts';
import { netsuiteDoctor } from './doctor.ts';
import { cashSaleBody, fulfilmentBody, salesOrderBody, salesOrderFormName, type FulfilmentLine } from './map.ts';
import { NetsuiteSales, formatCursor, isDuplicateExternalId } from './sales.ts';

const childTypes: Record<string, ErpChildRecord['type']> = {
  ItemShip: 'itemFulfillment',
  CustInvc: 'invoice',
  CashSale: 'cashSale',
};

export function createNetsuiteSalesOrders(client: NetsuiteClient): ErpSalesOrders {
  const ns = new NetsuiteSales(client);

  const findByExternalId = async (type: ErpRecordType, externalId: string) => {
    const found = await ns.byExternalId(type, externalId);
    if (!found) return undefined;
    const tranId = (found as { tranId?: unknown }).tranId;
    return { id: String(found.id), tranId: typeof tranId === 'string' && tranId !== '' ? tranId : null };
  };

  /** A write refused as a duplicate external id made nothing new: the record with that id is the one we wanted. */
  const adoptDuplicate = async (type: ErpRecordType, externalId: string, write: () => Promise<string>) => {
    try {
      return await write();
    } catch (error) {
      if (!isDuplicateExternalId(error)) throw error;
      const found = await findByExternalId(type, externalId);
      if (!found) throw error;
      return found.id;
    }
  };

  return {
    cursorAt: formatCursor,
    changedSalesOrders: (since, maxRows) => ns.changedSalesOrders(since, maxRows),
    salesOrder: (id) => ns.salesOrder(id),
    async recordsMadeFrom(orderId) {
      return (await ns.children(orderId)).flatMap((c) => {
        const type = childTypes[c.type];
        return type ? [{ id: c.id, type, externalId: c.externalId }] : [];
      });
    },
    findByExternalId,
    async locationByName(name) {
      const found = await ns.locationByName(name);
      return found && { id: found.id, name: found.name };
    },
    async itemsBySku(skus) {
      const found = await ns.itemsBySku(skus);
      return new Map([...found].map(([sku, item]) => [sku, { id: item.id, sku: item.sku }]));
    },
    numberedKits: (skus) => ns.numberedKits(skus),
    firstCustomerId: () => ns.firstCustomerId(),
    async linkSale(orderId, posSaleId) {
      if (!(await ns.hasCustomField('salesOrder', XSERIES_SALE_ID_FIELD))) return { linked: false };
      await client.patch('salesOrder', orderId, { [XSERIES_SALE_ID_FIELD]: posSaleId });
      return { linked: true };
    },
    createCashSale: (record) =>
      adoptDuplicate('cashSale', record.externalId, async () =>
        client.create('cashSale', await cashSaleRequest(ns, record)),
      ),
    createSalesOrder: (order) =>
      adoptDuplicate('salesOrder', order.externalId, async () =>
        client.create('salesOrder', await salesOrderRequest(ns, order)),
      ),
    fulfil: (order, request) =>
      adoptDuplicate('itemFulfillment', request.externalId, async () => {
        const lines = await fulfilmentLines(ns, order, request.preferredNumbers);
        const body = fulfilmentBody(request.externalId, request.memo, lines);
        return client.transform('salesOrder', order.id, 'itemFulfillment', body);
      }),
    bill: (orderId, as, request) =>
      adoptDuplicate(as, request.externalId, () =>
        client.transform('salesOrder', orderId, as, { externalId: request.externalId, memo: request.memo }),
      ),
    doctor: netsuiteDoctor(client),
  };
}

async function cashSaleRequest(ns: NetsuiteSales, record: ErpSaleRecord) {
  const items = await ns.itemsById(record.lines.map((l) => l.itemId));
  const stocked = [...items.values()].filter((i) => i.type !== 'Kit');
  await ns.loadInventory(stocked, record.locationId);
  const lines = [];
  for (const l of record.lines) {
    const item = items.get(l.itemId);
    const detail =
      item && item.type !== 'Kit'
        ? await ns.inventoryDetail(item, record.locationId, l.quantity, l.preferredNumbers)
        : undefined;
    lines.push({ itemId: l.itemId, quantity: l.quantity, rate: l.rate, detail });
  }
  return cashSaleBody(record, lines, await ns.hasCustomField('cashSale', XSERIES_SALE_ID_FIELD));
}

async function salesOrderRequest(ns: NetsuiteSales, order: NewSalesOrder) {
  const formId = await ns.salesOrderFormId(salesOrderFormName(order.billing));
  const shipMethodId = order.shipMethod ? await ns.shipMethodId(order.shipMethod) : undefined;
  const hasSaleIdField = await ns.hasCustomField('salesOrder', XSERIES_SALE_ID_FIELD);
  return salesOrderBody(order, { formId, shipMethodId, hasSaleIdField });
}

/** Reads the serial/lot numbers and bin stock of every item (kit components included) the lines move, per location. */
async function loadStock(ns: NetsuiteSales, order: SalesOrder, lines: SalesOrder['lines']): Promise<void> {
  const items = await ns.itemsById(lines.map((l) => l.itemId));
  const byLocation = new Map<string, Set<string>>();
  for (const line of lines) {
    const locationId = line.location?.id ?? order.location?.id;
    const item = items.get(line.itemId);
    if (!locationId || !item) continue;
    const ids = byLocation.get(locationId) ?? new Set<string>();
    ids.add(item.id);
    if (item.type === 'Kit') for (const m of await ns.kitMembers(item.id)) ids.add(m.itemId);
    byLocation.set(locationId, ids);
  }
  for (const [locationId, ids] of byLocation)
    await ns.loadInventory([...(await ns.itemsById([...ids])).values()], locationId);
}

/** Every open line with what is left of it, from its location, with the stock detail it needs. */
async function fulfilmentLines(ns: NetsuiteSales, order: SalesOrder, preferred: string[]): Promise<FulfilmentLine[]> {
  const lines = openRemaining(order);
  const items = await ns.itemsById(lines.map((l) => l.itemId));
  await loadStock(ns, order, lines);
  const out: FulfilmentLine[] = [];
  for (const line of lines) {
    const locationId = line.location?.id ?? order.location?.id;
    if (!locationId)
      throw new AppError(
        'SALES_FULFIL_NO_LOCATION',
        `Line ${line.line} of ${order.tranId} has no location to fulfil from`,
      );
    const quantity = line.quantity - line.quantityFulfilled;
    const item = items.get(line.itemId);
    const entry: FulfilmentLine = { orderLine: line.line, quantity, locationId, detail: undefined, components: [] };
    out.push(entry);
    if (!item) continue;
    if (item.type !== 'Kit') {
      entry.detail = await ns.inventoryDetail(item, locationId, quantity, preferred);
      continue;
    }
    // All components from the kit line's location (§5, section_N2225398); each numbered one with its detail.
    const members = await ns.kitMembers(item.id);
    const parts = await ns.itemsById(members.map((m) => m.itemId));
    for (const member of members) {
      const part = parts.get(member.itemId);
      if (!part) continue;
      const detail = await ns.inventoryDetail(part, locationId, quantity * member.quantity, preferred);
      if (detail) entry.components.push({ itemId: part.id, detail });
    }
  }
  return out;
}
