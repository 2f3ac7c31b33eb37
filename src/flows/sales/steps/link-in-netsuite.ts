import { XSERIES_SALE_ID_FIELD } from '../../../core/sales/rules.ts';
import { findOrMake, stepKeys, unknownOutcome, type SalesStep } from '../types.ts';

/**
 * NetSuite → X-Series: the order carries its X-Series sale's id (`custbody_tl_xseries_sale_id`), so the rules and a
 * person in NetSuite see it was sent. An account without the field: the sale is made and recorded here, only the
 * link in NetSuite is left out until the field exists (`tradeloop doctor` says so).
 */
export const linkInNetsuite: SalesStep<{ saleId: string; linked?: false }> = {
  key: stepKeys.linkInNetsuite,
  label: 'Link the sale in NetSuite',
  run: (env) => {
    const orderId = env.loaded.row.nsId ?? '';
    const saleId = env.result<{ id: string }>(stepKeys.createSale).id;
    return findOrMake(
      env,
      async () => {
        const fresh = await env.ports.ns.salesOrder(orderId);
        return fresh?.custom[XSERIES_SALE_ID_FIELD] === saleId ? { saleId } : undefined;
      },
      async () => ((await env.ports.ns.linkSale(orderId, saleId)).linked ? { saleId } : { saleId, linked: false }),
    );
  },
  reconcileOn: unknownOutcome,
};
