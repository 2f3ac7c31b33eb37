import type { NewSalesOrder } from '../../../core/ports/erp-sales-orders.ts';
import type { PosSale } from '../../../core/ports/pos-sales.ts';
import { posSaleExternalId } from '../../../core/sales/keys.ts';
import type { RuleSetDocument } from '../../../core/sales/rules.ts';
import type { SalesSettings } from '../config.ts';
import { prepareImport, type PreparedImport } from '../prepare.ts';
import { findOrMake, stepKeys, unknownOutcome, type SalesStep } from '../types.ts';
import { saleRecord } from './create-cash-sale.ts';
import { saleOf } from '../records.ts';

/**
 * X-Series → NetSuite: a POS sale the goods have not left with yet (a pickup, a delivery, a layby, a numbered kit)
 * becomes a NetSuite sales order, external id `XS-<sale id>`, fulfilled and billed when the POS closes the sale.
 */
export const createSalesOrder: SalesStep<{ id: string; tranId: string }> = {
  key: stepKeys.createSalesOrder,
  label: 'Create the sales order in NetSuite',
  run: async (env) => {
    const sale = await saleOf(env);
    return findOrMake(
      env,
      async () => {
        const found = await env.ports.ns.findByExternalId('salesOrder', posSaleExternalId(sale.id));
        return found ? { id: found.id, tranId: found.tranId ?? '' } : undefined;
      },
      async () => {
        const prepared = await prepareImport(env.ports, sale);
        const order = salesOrderRecord(env.ports.settings, await env.loaded.rules(), sale, prepared);
        return { id: await env.ports.ns.createSalesOrder(order), tranId: '' };
      },
    );
  },
  reconcileOn: unknownOutcome,
};

/** Billed as the settings say, shipped as the sale's form says (the rules' first pickup or delivery method). */
function salesOrderRecord(
  settings: SalesSettings,
  rules: RuleSetDocument,
  sale: PosSale,
  p: PreparedImport,
): NewSalesOrder {
  const pickup =
    sale.attributes.includes('pickup') || sale.status === 'AWAITING_PICKUP' || sale.status === 'PICKED_UP_CLOSED';
  const delivery =
    sale.attributes.includes('delivery') || sale.status === 'AWAITING_DISPATCH' || sale.status === 'DISPATCHED_CLOSED';
  const shipMethod = pickup ? rules.pickupShipMethods[0] : delivery ? rules.deliveryShipMethods[0] : undefined;
  return {
    ...saleRecord(sale, p),
    memo: `X-Series sale ${sale.invoiceNumber ?? sale.id} (${sale.status})`,
    billing: settings.posSalesOrderBilling,
    shipMethod: shipMethod ?? null,
    storePickup: pickup,
    lines: p.lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity, rate: l.rate, preferredNumbers: [] })),
  };
}
