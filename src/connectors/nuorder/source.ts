import type {
  ListOrdersQuery,
  SourceOrderItem,
  WholesaleAccount,
  WholesaleSource,
} from '../../core/ports/wholesale-source.ts';
import type { BrandRef, WholesaleOrder } from '../../core/wholesale-order.ts';
import { RemoteContractBroken } from '../shared/errors.ts';
import { createNuorderClient, type NuorderClient, type NuorderCredentials, type NuorderHttpOptions } from './client.ts';
import { mapOrder, mapShipment, productIdsOf } from './map.ts';
import type { NuorderOrder, NuorderProduct } from './schemas.ts';

/**
 * The NuORDER implementation of the WholesaleSource port. Ingest polls `approved` orders (NuORDER sends no
 * webhooks and has no "modified since" filter, so `modifiedSince` is applied here on `modified_on`). Each
 * order is returned complete: its products are fetched once per distinct id within a run (one listing, or
 * one `getOrder`) for the name, images, category and numeric retail price.
 *
 * Errors: transient ones (RemoteUnavailable, RemoteRateLimited) and RemoteAuthLost are thrown, so the job
 * defers or stops; an order whose JSON breaks its contract is yielded as `unreadable`, so one bad order never
 * stops the others.
 */

export interface NuorderSourceOptions extends NuorderHttpOptions {
  credentials: NuorderCredentials | (() => Promise<NuorderCredentials>);
  /**
   * The brand portal this connection belongs to. NuORDER's order JSON does not name the brand; each API
   * connection is tied to one brand portal (reference §1), so it is set when the account is linked.
   */
  brand: BrandRef;
  /** Parallel product reads. Default 4. */
  productConcurrency?: number;
}

type ProductCache = Map<string, Promise<NuorderProduct | null>>;

export function createNuorderSource(
  options: NuorderSourceOptions,
  client: NuorderClient = createNuorderClient(options),
): WholesaleSource {
  const concurrency = Math.max(1, options.productConcurrency ?? 4);

  async function productsFor(ids: readonly string[], cache: ProductCache): Promise<Map<string, NuorderProduct | null>> {
    const missing = ids.filter((id) => !cache.has(id));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < missing.length) {
        const id = missing[next++] as string;
        const pending = client.getProduct(id);
        cache.set(id, pending);
        try {
          await pending;
        } catch (error) {
          cache.delete(id); // a failure is not cached: a later order of the run tries again
          throw error;
        }
      }
    };
    // Throws the first failure (a 5xx after retries, a lost token): the order cannot be completed.
    await Promise.all(Array.from({ length: Math.min(concurrency, missing.length) }, worker));
    const out = new Map<string, NuorderProduct | null>();
    for (const id of ids) out.set(id, (await cache.get(id)) ?? null);
    return out;
  }

  async function complete(order: NuorderOrder, cache: ProductCache): Promise<WholesaleOrder> {
    return mapOrder(order, { brand: options.brand, products: await productsFor(productIdsOf(order), cache) });
  }

  return {
    system: 'nuorder',

    async describeAccount(): Promise<WholesaleAccount> {
      // No "who am I" endpoint is documented; a cheap signed read proves the credentials.
      await client.listOrderIds('approved');
      return { accountId: options.brand.sourceId, name: options.brand.name, role: 'brand' };
    },

    async *listOrders(query: ListOrdersQuery): AsyncIterable<SourceOrderItem> {
      const cache: ProductCache = new Map();
      const listed = await client.listOrdersEach(query.status);
      for (const entry of listed) {
        if (!entry.ok) {
          yield { kind: 'unreadable', sourceId: entry.sourceId, orderNumber: null, reason: entry.error.message };
          continue;
        }
        const order = entry.order;
        const modified = order.modified_on ?? order.edited_on ?? order.created_on;
        if (query.modifiedSince !== undefined && modified && Date.parse(modified) < Date.parse(query.modifiedSince))
          continue;
        try {
          yield { kind: 'order', order: await complete(order, cache) };
        } catch (error) {
          if (!(error instanceof RemoteContractBroken)) throw error;
          yield { kind: 'unreadable', sourceId: order._id, orderNumber: order.order_number, reason: error.message };
        }
      }
    },

    async listOrderIds(status) {
      return client.listOrderIds(status);
    },

    async getOrder(sourceId) {
      const order = await client.getOrder(sourceId);
      return order ? complete(order, new Map()) : null;
    },

    async listShipments(orderSourceId) {
      const own = await client.getShipments(orderSourceId);
      if (own !== null) return own.map((s) => mapShipment(orderSourceId, s));
      const order = await client.getOrder(orderSourceId);
      return (order?.shipments ?? []).map((s) => mapShipment(orderSourceId, s));
    },
  };
}
