/**
 * X-Series → NetSuite: a POS sale imported as a NetSuite cash sale (the goods left with the customer) or a sales
 * order (the "skip sales orders" setting and its four conditions, src/core/sales/import.ts). Each record carries the
 * external id `XS-<sale id>` (NetSuite refuses a second record with it, and the step looks it up first). Sales
 * orders are fulfilled and billed when the POS closes the sale (the saga's job, saga.ts).
 */
import type { PosSale } from '../../core/ports/pos-sales.ts';
import { RemoteAuthLost, RemoteRateLimited } from '../../core/ports/errors.ts';
import { decideImport } from '../../core/sales/import.ts';
import type { RuleSetDocument } from '../../core/sales/rules.ts';
import { isCompleting, isXSaleStatus, type XSaleStatus } from '../../core/sales/status.ts';
import { salesSyncs, type SalesSync } from '../../store/repos/index.ts';
import { xSourceKey, type SalesEnv } from './env.ts';
import { sentStates } from './netsuite-to-xseries.ts';
import { recordFailure, runRowSteps, stepDone } from './saga.ts';
import { enqueueComplete } from './tasks.ts';
import { stepKeys } from './types.ts';

export interface SaleImportResult {
  saleId: string;
  outcome: 'imported' | 'not_imported' | 'already_imported' | 'failed';
  as?: 'salesOrder' | 'cashSale';
  syncId?: string;
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
    const decided = await decide(env, sale, sale.status, row);
    if (!decided) return { saleId: sale.id, outcome: 'not_imported', syncId: row.id };
    return await send(env, rules.document, sale, decided);
  } catch (error) {
    if (error instanceof RemoteRateLimited || error instanceof RemoteAuthLost) throw error;
    await recordFailure(ctx, tenantId, row.id, error);
    return { saleId: sale.id, outcome: 'failed', syncId: row.id };
  }
}

/** What the sale becomes (its row says so from then on), or undefined when it is not imported (with why). */
async function decide(
  env: SalesEnv,
  sale: PosSale,
  status: XSaleStatus,
  row: SalesSync,
): Promise<SalesSync | undefined> {
  const { ctx, tenantId } = env;
  if (await stepDone(ctx, tenantId, row.id, stepKeys.createSalesOrder)) return { ...row, sentAs: 'salesOrder' };
  if (await stepDone(ctx, tenantId, row.id, stepKeys.createCashSale)) return { ...row, sentAs: 'cashSale' };
  // Decided before (and perhaps sent, reply unknown): keep the decision so a retry looks up the same record type.
  if (row.sentAs === 'salesOrder' || row.sentAs === 'cashSale') return row;
  const numberedKits = await env.ns.numberedKits(await skusOf(env, sale));
  const decision = decideImport({ status, numberedKits }, env.settings);
  const common = { xStatus: sale.status, errorCode: null, errorMessage: null };
  if (!decision.import) {
    await salesSyncs.update(
      ctx.store.db,
      tenantId,
      row.id,
      { ...common, state: 'not_sent', reason: decision.reason },
      ctx.now(),
    );
    return undefined;
  }
  const changes = { ...common, state: 'sending' as const, sentAs: decision.as, reason: decision.reason };
  return (await salesSyncs.update(ctx.store.db, tenantId, row.id, changes, ctx.now())) ?? { ...row, ...changes };
}

/** The row's first step (create the cash sale, or the sales order), and the row as it then stands. */
async function send(env: SalesEnv, rules: RuleSetDocument, sale: PosSale, row: SalesSync): Promise<SaleImportResult> {
  const { ctx, tenantId } = env;
  const loaded = { ctx, tenantId, row, rules: async () => rules, given: { sale } };
  if (row.sentAs === 'cashSale') {
    const made = (await runRowSteps(env, loaded, stepKeys.createCashSale)).result<{ id: string }>(
      stepKeys.createCashSale,
    );
    await salesSyncs.update(
      ctx.store.db,
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
    return { saleId: sale.id, outcome: 'imported', as: 'cashSale', syncId: row.id };
  }
  const made = (await runRowSteps(env, loaded, stepKeys.createSalesOrder)).result<{ id: string }>(
    stepKeys.createSalesOrder,
  );
  const order = await env.ns.salesOrder(made.id);
  await salesSyncs.update(
    ctx.store.db,
    tenantId,
    row.id,
    { state: 'sent', nsRecordType: 'salesOrder', nsId: made.id, nsTranId: order?.tranId ?? null, xStatus: sale.status },
    ctx.now(),
  );
  if (isCompleting(sale.status)) await enqueueComplete(ctx.store.db, tenantId, row.id, ctx.now());
  return { saleId: sale.id, outcome: 'imported', as: 'salesOrder', syncId: row.id };
}
