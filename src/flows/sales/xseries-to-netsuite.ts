/**
 * X-Series → NetSuite: a POS sale imported as a NetSuite cash sale (the goods left with the customer) or a sales
 * order (the "skip sales orders" setting and its four conditions, src/core/sales/import.ts). Each record carries the
 * external id `XS-<sale id>` (NetSuite refuses a second record with it, and a retry looks it up first). Sales orders
 * are fulfilled and billed when the POS closes the sale (complete.ts).
 */
import { AppError } from '../../core/errors.ts';
import { decideImport } from '../../core/sales/import.ts';
import type { RuleSetDocument } from '../../core/sales/rules.ts';
import { isCompleting, isXSaleStatus } from '../../core/sales/status.ts';
import type { ErpSaleRecord, NewSalesOrder } from '../../core/ports/erp-sales-orders.ts';
import type { PosSale } from '../../core/ports/pos-sales.ts';
import { posSaleExternalId } from '../../core/sales/keys.ts';
import { notedNumbers } from '../../core/sales/order.ts';
import { RemoteAuthLost, RemoteRateLimited } from '../../connectors/shared/errors.ts';
import { salesSyncs, type SalesSync } from '../../store/repos/index.ts';
import type { SalesEnv } from './env.ts';
import { recordFailure, sentStates } from './netsuite-to-xseries.ts';
import { runStep, stepDone } from './steps.ts';
import { enqueueComplete } from './tasks.ts';

export function xSourceKey(env: SalesEnv, saleId: string): string {
  return `x:${env.pair.xseries.id}:${saleId}`;
}

const externalIdFor = posSaleExternalId;

export interface SaleImportResult {
  saleId: string;
  outcome: 'imported' | 'not_imported' | 'already_imported' | 'failed';
  as?: 'salesOrder' | 'cashSale';
  syncId?: string;
}

interface PreparedImport {
  customerId: string;
  location: { id: string; name: string };
  lines: Array<{ itemId: string; quantity: number; rate: number; note: string | null }>;
}

async function prepareImport(env: SalesEnv, sale: PosSale): Promise<PreparedImport> {
  const store = await env.xStore();
  const outlet = store.outlets.find((o) => o.id === sale.outletId);
  if (!outlet)
    throw new AppError(
      'SALES_OUTLET_UNMAPPED',
      `Sale ${sale.invoiceNumber ?? sale.id} has an outlet X-Series no longer lists`,
      { retryable: false },
    );
  const location = await env.ns.locationByName(outlet.name);
  if (!location)
    throw new AppError('SALES_OUTLET_UNMAPPED', `Outlet "${outlet.name}" has no NetSuite location of that name`, {
      retryable: false,
    });
  const lines = sale.lines.filter((l) => !l.voided && l.quantity > 0);
  if (lines.length === 0)
    throw new AppError('SALES_NOTHING_TO_IMPORT', `Sale ${sale.invoiceNumber ?? sale.id} has no lines to import`, {
      retryable: false,
    });
  const skus: string[] = [];
  for (const l of lines) {
    const product = await env.x.product(l.productId);
    if (!product?.sku)
      throw new AppError(
        'SALES_ITEM_UNMAPPED',
        `Product ${l.productId} on sale ${sale.invoiceNumber ?? sale.id} has no SKU`,
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
      return { itemId: item.id, quantity: l.quantity, rate: l.price ?? 0, note: l.note };
    }),
  };
}

async function skusOf(env: SalesEnv, sale: PosSale): Promise<string[]> {
  const out: string[] = [];
  for (const l of sale.lines) {
    if (l.voided) continue;
    const product = await env.x.product(l.productId);
    if (product?.sku) out.push(product.sku);
  }
  return out;
}

export async function importSale(
  env: SalesEnv,
  rules: { document: RuleSetDocument },
  sale: PosSale,
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
    xInvoiceNumber: sale.invoiceNumber,
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
          const found = await env.ns.findByExternalId('cashSale', externalIdFor(sale.id));
          return found ? { id: found.id } : undefined;
        },
        perform: async () => ({ id: await env.ns.createCashSale(cashSaleRecord(sale, prepared)) }),
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
        const found = await env.ns.findByExternalId('salesOrder', externalIdFor(sale.id));
        return found ? { id: found.id, tranId: found.tranId ?? '' } : undefined;
      },
      perform: async () => {
        const id = await env.ns.createSalesOrder(salesOrderRecord(env, rules.document, sale, prepared));
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

function saleDate(sale: PosSale): string {
  return (sale.saleDate ?? new Date().toISOString()).slice(0, 10);
}

function cashSaleRecord(sale: PosSale, p: PreparedImport): ErpSaleRecord {
  return {
    externalId: externalIdFor(sale.id),
    customerId: p.customerId,
    locationId: p.location.id,
    date: saleDate(sale),
    memo: `X-Series sale ${sale.invoiceNumber ?? sale.id}`,
    otherRefNum: sale.invoiceNumber,
    posSaleId: sale.id,
    lines: p.lines.map((l) => ({
      itemId: l.itemId,
      quantity: l.quantity,
      rate: l.rate,
      preferredNumbers: notedNumbers([l.note]),
    })),
  };
}

/** The sales order a POS sale becomes: billed as the settings say, shipped as the sale's form says. */
function salesOrderRecord(env: SalesEnv, document: RuleSetDocument, sale: PosSale, p: PreparedImport): NewSalesOrder {
  const pickup =
    sale.attributes.includes('pickup') || sale.status === 'AWAITING_PICKUP' || sale.status === 'PICKED_UP_CLOSED';
  const delivery =
    sale.attributes.includes('delivery') || sale.status === 'AWAITING_DISPATCH' || sale.status === 'DISPATCHED_CLOSED';
  const shipMethod = pickup ? document.pickupShipMethods[0] : delivery ? document.deliveryShipMethods[0] : undefined;
  return {
    ...cashSaleRecord(sale, p),
    memo: `X-Series sale ${sale.invoiceNumber ?? sale.id} (${sale.status})`,
    billing: env.settings.posSalesOrderBilling,
    shipMethod: shipMethod ?? null,
    storePickup: pickup,
    lines: p.lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity, rate: l.rate, preferredNumbers: [] })),
  };
}

export type { SalesSync };
