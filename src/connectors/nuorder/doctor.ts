import type { Probe } from '../shared/doctor.ts';
import type { NuorderClient } from './client.ts';
import { productIdsOf } from './map.ts';
import type { NuorderOrder } from './schemas.ts';

/**
 * `tradeloop doctor` for a NuORDER connection: every read the connector makes, through the same client and
 * schemas, read-only. The approved listing is read whole with the strict list schema, so a field NuORDER renamed
 * in any order is named. The order, product and shipments probes reuse an order of that listing (this
 * connection's own store first); with none to read they are skipped. Probes see other stores' orders only as
 * shapes: a check reports field paths, never values.
 */
export function nuorderProbes(
  client: NuorderClient,
  retailer: { sourceId: string; name: string } | null,
  blocked: string | null,
): Probe[] {
  let listed: NuorderOrder[] | null = null;
  const sample = (): NuorderOrder | undefined =>
    listed?.find((o) => retailer !== null && o.retailer._id === retailer.sourceId) ?? listed?.[0];
  const noOrder = async (): Promise<string | undefined> =>
    sample() ? undefined : 'no approved order to read it through (the approved listing is empty or failed)';
  return [
    {
      call: 'retailer scope (retailer._id)',
      purpose: retailer ? `only the orders of ${retailer.name} are imported` : 'which store is yours',
      run: async () => {
        if (blocked) throw new Error(blocked);
      },
    },
    {
      call: 'GET /api/orders/approved/detail',
      purpose: 'approved orders (the ingest poll)',
      run: async () => {
        listed = await client.listOrders('approved');
      },
    },
    {
      call: 'GET /api/orders/cancelled/list',
      purpose: 'ids of cancelled orders (the ingest notices cancellations)',
      run: () => client.listOrderIds('cancelled'),
    },
    {
      call: 'GET /api/order/{id}',
      purpose: 'one order, read again (cancellations, receiving)',
      skip: noOrder,
      run: () => client.getOrder((sample() as NuorderOrder)._id),
    },
    {
      call: 'GET /api/product/{id}',
      purpose: 'a product of an order line (name, retail price, images)',
      skip: noOrder,
      run: () => client.getProduct(productIdsOf(sample() as NuorderOrder)[0] as string),
    },
    {
      call: 'GET /api/order/{id}/shipments',
      purpose: "shipments of an order (undocumented: a 404 falls back to the order's own shipments)",
      skip: noOrder,
      run: () => client.getShipments((sample() as NuorderOrder)._id),
    },
  ];
}
