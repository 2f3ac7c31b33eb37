import type { ErpSaleRecord } from '../../../core/ports/erp-sales-orders.ts';
import type { PosSale } from '../../../core/ports/pos-sales.ts';
import { posSaleExternalId } from '../../../core/sales/keys.ts';
import { notedNumbers } from '../../../core/sales/order.ts';
import { prepareImport, type PreparedImport } from '../prepare.ts';
import { findOrMake, stepKeys, unknownOutcome, type SalesStep } from '../types.ts';
import { saleOf } from '../records.ts';

/**
 * X-Series → NetSuite: a POS sale whose goods left with the customer becomes a NetSuite cash sale, external id
 * `XS-<sale id>` (NetSuite refuses a second record with it, and the step looks it up first). Serial and lot numbers
 * the cashier noted on a line are used first.
 */
export const createCashSale: SalesStep<{ id: string }> = {
  key: stepKeys.createCashSale,
  label: 'Create the cash sale in NetSuite',
  run: async (env) => {
    const sale = await saleOf(env);
    return findOrMake(
      env,
      async () => {
        const found = await env.ports.ns.findByExternalId('cashSale', posSaleExternalId(sale.id));
        return found ? { id: found.id } : undefined;
      },
      async () => ({ id: await env.ports.ns.createCashSale(saleRecord(sale, await prepareImport(env.ports, sale))) }),
    );
  },
  reconcileOn: unknownOutcome,
};

/** The fields a cash sale and a sales order made from a POS sale share. */
export function saleRecord(sale: PosSale, p: PreparedImport): ErpSaleRecord {
  return {
    externalId: posSaleExternalId(sale.id),
    customerId: p.customerId,
    locationId: p.location.id,
    date: (sale.saleDate ?? new Date().toISOString()).slice(0, 10),
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
