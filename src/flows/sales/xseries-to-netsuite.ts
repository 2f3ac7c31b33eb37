/**
 * X-Series → NetSuite: a POS sale imported as a NetSuite cash sale (the goods left with the customer) or a sales
 * order (the "skip sales orders" setting and its four conditions, src/core/sales/import.ts). Each record carries the
 * external id `XS-<sale id>` (NetSuite refuses a second record with it, and a retry looks it up first). Sales orders
 * are fulfilled and billed when the POS closes the sale (complete.ts).
 */
import { AppError } from '../../core/errors.ts';
import { decideImport } from '../../core/sales/import.ts';
import { XSERIES_SALE_ID_FIELD, type RuleSetDocument } from '../../core/sales/rules.ts';
import { isCompleting, isXSaleStatus } from '../../core/sales/status.ts';
import type { XSale } from '../../connectors/lightspeed-x/sales.ts';
import type { NsRecord } from '../../connectors/netsuite/client.ts';
import { RemoteAuthLost, RemoteRateLimited } from '../../connectors/shared/errors.ts';
import { salesSyncs, type SalesSync } from '../../store/repos/index.ts';
import type { SalesEnv } from './env.ts';
import { recordFailure, sentStates } from './netsuite-to-xseries.ts';
import { notedNumbers } from './complete.ts';
import { runStep, stepDone } from './steps.ts';
import { enqueueComplete } from './tasks.ts';

export function xSourceKey(env: SalesEnv, saleId: string): string {
  return `x:${env.pair.xseries.id}:${saleId}`;
}

const externalIdFor = (saleId: string): string => `XS-${saleId}`;

export interface SaleImportResult {
  saleId: string;
  outcome: 'imported' | 'not_imported' | 'already_imported' | 'failed';
  as?: 'salesOrder' | 'cashSale';
  syncId?: string;
}

interface PreparedImport {
  customerId: string;
  location: { id: string; name: string };
  lines: Array<{
    itemId: string;
    sku: string;
    quantity: number;
    rate: number;
    note: string | null;
    serial: boolean;
    lot: boolean;
    bins: boolean;
    kit: boolean;
  }>;
}

async function prepareImport(env: SalesEnv, sale: XSale): Promise<PreparedImport> {
  const store = await env.xStore();
  const outlet = store.outlets.find((o) => o.id === sale.outlet_id);
  if (!outlet)
    throw new AppError(
      'SALES_OUTLET_UNMAPPED',
      `Sale ${sale.invoice_number ?? sale.id} has an outlet X-Series no longer lists`,
      { retryable: false },
    );
  const location = await env.ns.locationByName(outlet.name);
  if (!location)
    throw new AppError('SALES_OUTLET_UNMAPPED', `Outlet "${outlet.name}" has no NetSuite location of that name`, {
      retryable: false,
    });
  const lines = sale.line_items.filter((l) => l.status !== 'VOIDED' && l.quantity > 0);
  if (lines.length === 0)
    throw new AppError('SALES_NOTHING_TO_IMPORT', `Sale ${sale.invoice_number ?? sale.id} has no lines to import`, {
      retryable: false,
    });
  const skus: string[] = [];
  for (const l of lines) {
    const product = await env.x.product(l.product_id);
    if (!product?.sku)
      throw new AppError(
        'SALES_ITEM_UNMAPPED',
        `Product ${l.product_id} on sale ${sale.invoice_number ?? sale.id} has no SKU`,
        { retryable: false },
      );
    skus.push(product.sku);
  }
  const items = await env.ns.itemsBySku(skus);
  const missing = skus.filter((s) => !items.has(s));
  if (missing.length > 0)
    throw new AppError('SALES_ITEM_UNMAPPED', `No NetSuite item named ${missing.join(', ')}`, { retryable: false });
  const customerId = env.settings.netsuiteCustomerId ?? (await env.ns.firstCustomerId());
  if (!customerId)
    throw new AppError('SALES_NO_CUSTOMER', 'Choose the NetSuite customer POS sales are recorded against', {
      retryable: false,
    });
  return {
    customerId,
    location: { id: location.id, name: location.name },
    lines: lines.map((l, i) => {
      const item = items.get(skus[i] as string) as NonNullable<ReturnType<typeof items.get>>;
      return {
        itemId: item.id,
        sku: item.sku,
        quantity: l.quantity,
        rate: l.price ?? 0,
        note: l.note ?? null,
        serial: item.serial,
        lot: item.lot,
        bins: item.bins,
        kit: item.type === 'Kit',
      };
    }),
  };
}

async function skusOf(env: SalesEnv, sale: XSale): Promise<string[]> {
  const out: string[] = [];
  for (const l of sale.line_items) {
    if (l.status === 'VOIDED') continue;
    const product = await env.x.product(l.product_id);
    if (product?.sku) out.push(product.sku);
  }
  return out;
}

export async function importSale(
  env: SalesEnv,
  rules: { document: RuleSetDocument },
  sale: XSale,
): Promise<SaleImportResult> {
  const { ctx, tenantId } = env;
  const db = ctx.store.db;
  const sourceKey = xSourceKey(env, sale.id);
  const existing = await salesSyncs.findBySource(db, tenantId, sourceKey);
  if (existing && (sentStates as readonly string[]).includes(existing.state)) {
    if (existing.xStatus !== sale.status)
      await salesSyncs.update(db, tenantId, existing.id, { xStatus: sale.status }, ctx.now());
    if (existing.state === 'sent' && existing.nsRecordType === 'salesOrder' && isCompleting(sale.status))
      await enqueueComplete(db, tenantId, existing.id, ctx.now());
    return { saleId: sale.id, outcome: 'already_imported', syncId: existing.id };
  }
  if (!isXSaleStatus(sale.status)) return { saleId: sale.id, outcome: 'not_imported' };
  const { sync: row } = await salesSyncs.claim(db, tenantId, {
    direction: 'x_to_ns',
    sourceKey,
    nsConnectionId: env.pair.netsuite.id,
    xConnectionId: env.pair.xseries.id,
    xSaleId: sale.id,
    xInvoiceNumber: sale.invoice_number ?? null,
    xStatus: sale.status,
    state: 'sending',
    now: ctx.now(),
  });
  try {
    const stepEnv = { db, tenantId, now: ctx.now };
    const resumingOrder = await stepDone(stepEnv, row.id, 'create-sales-order');
    const resumingCash = await stepDone(stepEnv, row.id, 'create-cash-sale');
    let as: 'salesOrder' | 'cashSale';
    if (resumingOrder || resumingCash) {
      as = resumingOrder ? 'salesOrder' : 'cashSale';
    } else if (row.sentAs === 'salesOrder' || row.sentAs === 'cashSale') {
      // Decided before (and perhaps sent, reply unknown): keep the decision so a retry looks up the same record type.
      as = row.sentAs;
    } else {
      const numberedKits = await env.ns.numberedKits(await skusOf(env, sale));
      const decision = decideImport({ status: sale.status, numberedKits }, env.settings);
      if (!decision.import) {
        await salesSyncs.update(
          db,
          tenantId,
          row.id,
          { state: 'not_sent', reason: decision.reason, xStatus: sale.status, errorCode: null, errorMessage: null },
          ctx.now(),
        );
        return { saleId: sale.id, outcome: 'not_imported', syncId: row.id };
      }
      as = decision.as;
      await salesSyncs.update(
        db,
        tenantId,
        row.id,
        {
          state: 'sending',
          sentAs: as,
          reason: decision.reason,
          xStatus: sale.status,
          errorCode: null,
          errorMessage: null,
        },
        ctx.now(),
      );
    }
    const prepared = await prepareImport(env, sale);
    if (as === 'cashSale') {
      const made = await runStep(stepEnv, row.id, 'create-cash-sale', {
        lookup: async () => {
          const found = await env.ns.byExternalId('cashSale', externalIdFor(sale.id));
          return found ? { id: String(found.id) } : undefined;
        },
        perform: async () => ({ id: await env.ns.client.create('cashSale', await cashSaleBody(env, sale, prepared)) }),
      });
      await salesSyncs.update(
        db,
        tenantId,
        row.id,
        {
          state: 'completed',
          nsRecordType: 'cashSale',
          nsId: made.id,
          billId: made.id,
          billType: 'cashSale',
          xStatus: sale.status,
        },
        ctx.now(),
      );
      return { saleId: sale.id, outcome: 'imported', as, syncId: row.id };
    }
    const made = await runStep(stepEnv, row.id, 'create-sales-order', {
      lookup: async () => {
        const found = await env.ns.byExternalId('salesOrder', externalIdFor(sale.id));
        return found ? { id: String(found.id), tranId: String(found.tranId ?? '') } : undefined;
      },
      perform: async () => {
        const id = await env.ns.client.create('salesOrder', await salesOrderBody(env, rules.document, sale, prepared));
        return { id, tranId: '' };
      },
    });
    const order = await env.ns.salesOrder(made.id);
    await salesSyncs.update(
      db,
      tenantId,
      row.id,
      {
        state: 'sent',
        nsRecordType: 'salesOrder',
        nsId: made.id,
        nsTranId: order?.tranId ?? null,
        xStatus: sale.status,
      },
      ctx.now(),
    );
    if (isCompleting(sale.status)) await enqueueComplete(db, tenantId, row.id, ctx.now());
    return { saleId: sale.id, outcome: 'imported', as, syncId: row.id };
  } catch (error) {
    if (error instanceof RemoteRateLimited || error instanceof RemoteAuthLost) throw error;
    await recordFailure(env, row.id, error);
    return { saleId: sale.id, outcome: 'failed', syncId: row.id };
  }
}

function saleDate(sale: XSale): string {
  return (sale.sale_date ?? new Date().toISOString()).slice(0, 10);
}

/** The sale id field, only when the account defines it (NetSuite has no field by a name nobody created: F8). */
async function saleIdField(env: SalesEnv, type: 'salesOrder' | 'cashSale', saleId: string): Promise<NsRecord> {
  return (await env.ns.hasCustomField(type, XSERIES_SALE_ID_FIELD)) ? { [XSERIES_SALE_ID_FIELD]: saleId } : {};
}

async function cashSaleBody(env: SalesEnv, sale: XSale, p: PreparedImport): Promise<NsRecord> {
  const items: NsRecord[] = [];
  const stocked = await env.ns.itemsById(p.lines.filter((l) => !l.kit).map((l) => l.itemId));
  await env.ns.loadInventory([...stocked.values()], p.location.id);
  for (const l of p.lines) {
    const info = {
      id: l.itemId,
      sku: l.sku,
      type: l.kit ? 'Kit' : 'InvtPart',
      serial: l.serial,
      lot: l.lot,
      bins: l.bins,
    };
    const detail = l.kit
      ? undefined
      : await env.ns.inventoryDetail(info, p.location.id, l.quantity, notedNumbers([l.note]));
    items.push({
      item: { id: l.itemId },
      quantity: l.quantity,
      rate: l.rate,
      location: { id: p.location.id },
      ...(detail ? { inventoryDetail: detail } : {}),
    });
  }
  return {
    externalId: externalIdFor(sale.id),
    entity: { id: p.customerId },
    location: { id: p.location.id },
    tranDate: saleDate(sale),
    memo: `X-Series sale ${sale.invoice_number ?? sale.id}`,
    otherRefNum: sale.invoice_number ?? undefined,
    ...(await saleIdField(env, 'cashSale', sale.id)),
    item: { items },
  };
}

/**
 * The sales order a POS sale becomes. References go by internal id, looked up by name (NetSuite refuses a reference
 * to nothing, and whether it takes a refName on write at all is unverified: F8). A ship method the account does not
 * have is left out. The form's id is learnt from the orders that use it; before any does, the form goes by its name:
 * NetSuite's standard form names exist in every account, and which form bills how matters more than the [I].
 */
async function salesOrderBody(
  env: SalesEnv,
  document: RuleSetDocument,
  sale: XSale,
  p: PreparedImport,
): Promise<NsRecord> {
  const attributes = sale.attributes ?? [];
  const pickup =
    attributes.includes('pickup') || sale.status === 'AWAITING_PICKUP' || sale.status === 'PICKED_UP_CLOSED';
  const delivery =
    attributes.includes('delivery') || sale.status === 'AWAITING_DISPATCH' || sale.status === 'DISPATCHED_CLOSED';
  const shipMethod = pickup ? document.pickupShipMethods[0] : delivery ? document.deliveryShipMethods[0] : undefined;
  const form =
    env.settings.posSalesOrderBilling === 'invoice'
      ? 'Standard Sales Order - Invoice'
      : 'Standard Sales Order - Cash Sale';
  const formId = await env.ns.salesOrderFormId(form);
  const shipMethodId = shipMethod ? await env.ns.shipMethodId(shipMethod) : undefined;
  return {
    externalId: externalIdFor(sale.id),
    entity: { id: p.customerId },
    orderStatus: { id: 'B' },
    customForm: formId ? { id: formId } : { refName: form },
    location: { id: p.location.id },
    tranDate: saleDate(sale),
    memo: `X-Series sale ${sale.invoice_number ?? sale.id} (${sale.status})`,
    ...(sale.invoice_number ? { otherRefNum: sale.invoice_number } : {}),
    ...(shipMethodId ? { shipMethod: { id: shipMethodId } } : {}),
    ...(await saleIdField(env, 'salesOrder', sale.id)),
    item: {
      items: p.lines.map((l) => ({
        item: { id: l.itemId },
        quantity: l.quantity,
        rate: l.rate,
        location: { id: p.location.id },
        ...(pickup ? { itemFulfillmentChoice: { id: 'storePickup' } } : {}),
      })),
    },
  };
}

export type { SalesSync };
