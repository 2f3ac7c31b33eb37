import { fulfilmentExternalId } from '../../../core/sales/keys.ts';
import { notedNumbers, openRemaining } from '../../../core/sales/order.ts';
import { salesSyncs } from '../../../store/repos/index.ts';
import { readOrder } from '../records.ts';
import { findOrMake, stepKeys, unknownOutcome, type SalesStep } from '../types.ts';

export interface FulfilResult {
  id: string | null;
  note?: string;
}

/**
 * When the POS finished the sale: the NetSuite sales order is fulfilled (serial, lot and bin detail chosen by the
 * connector, the serials the POS noted first), its external id `TL-IF-<order>`. A fulfilment NetSuite already has
 * (ours, or made in the warehouse) counts as done. One organization's fulfilments run one at a time: each picks
 * serial and lot numbers from what is on hand, and two at once would pick the same.
 */
export function fulfilOrder(tenantId: string): SalesStep<FulfilResult> {
  return {
    key: stepKeys.fulfil,
    label: 'Fulfil the sales order in NetSuite',
    exclusive: `sales-stock:${tenantId}`,
    run: async (env) => {
      const orderId = env.loaded.row.nsId ?? '';
      const made = await findOrMake<FulfilResult>(
        env,
        async () => {
          const found = await env.ports.ns.findByExternalId('itemFulfillment', fulfilmentExternalId(orderId));
          if (found) return { id: found.id };
          const order = await readOrder(env, orderId);
          if (!['F', 'G', 'H'].includes(order.statusCode) && openRemaining(order).length > 0) return undefined;
          const child = (await env.ports.ns.recordsMadeFrom(orderId)).find((c) => c.type === 'itemFulfillment');
          return { id: child?.id ?? null, note: 'already fulfilled in NetSuite' };
        },
        async () => {
          const order = await readOrder(env, orderId);
          const xSaleId = env.loaded.row.xSaleId;
          const sale = xSaleId ? await env.ports.x.getSale(xSaleId) : undefined;
          const id = await env.ports.ns.fulfil(order, {
            externalId: fulfilmentExternalId(orderId),
            memo: 'Fulfilled by Tradeloop when the X-Series sale was completed',
            preferredNumbers: notedNumbers(sale?.lines.map((l) => l.note) ?? []),
          });
          return { id };
        },
      );
      const { ctx, tenantId: tenant, row } = env.loaded;
      await salesSyncs.update(ctx.store.db, tenant, row.id, { fulfilmentId: made.id }, ctx.now());
      return made;
    },
    reconcileOn: unknownOutcome,
  };
}
