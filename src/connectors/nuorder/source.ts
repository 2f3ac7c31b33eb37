import type { Result } from '../../core/errors.ts';
import type { BrandRef, WholesaleOrder, WholesaleShipment } from '../../core/wholesale-order.ts';
import { RemoteAuthLost, RemoteError, RemoteRateLimited } from '../shared/errors.ts';
import { createNuorderClient, type NuorderClient, type NuorderCredentials, type NuorderHttpOptions } from './client.ts';
import { mapOrder, mapShipment, productIdsOf } from './map.ts';
import type { NuorderOrder, NuorderProduct } from './schemas.ts';

/**
 * The NuORDER implementation of the WholesaleSource port: approved orders (NuORDER sends no webhooks, so
 * ingest polls), one order by id or number, and its shipments. Products are fetched once per distinct id
 * within a run (a listing, or one order), for names, images and the numeric retail price.
 */

export interface NuorderSourceOptions extends NuorderHttpOptions {
  credentials: NuorderCredentials | (() => Promise<NuorderCredentials>);
  /** The brand portal this connection belongs to (NuORDER's order JSON does not name it). */
  brand: BrandRef;
  /** Parallel product reads. Default 4. */
  productConcurrency?: number;
}

/** One order of a listing, or why it could not be read; one bad order never hides the others. */
export type SourcedOrder = Result<WholesaleOrder, RemoteError & { sourceId?: string | null }>;

export interface NuorderSource {
  readonly system: 'nuorder';
  /** Orders in a status (default `approved`, what ingest takes). */
  listOrders(status?: WholesaleOrder['status'], signal?: AbortSignal): Promise<SourcedOrder[]>;
  getOrder(sourceId: string, signal?: AbortSignal): Promise<WholesaleOrder | null>;
  getOrderByNumber(orderNumber: string, signal?: AbortSignal): Promise<WholesaleOrder | null>;
  listShipments(orderSourceId: string, signal?: AbortSignal): Promise<WholesaleShipment[]>;
}

type ProductCache = Map<string, Promise<NuorderProduct | null>>;

export function createNuorderSource(options: NuorderSourceOptions, client: NuorderClient = createNuorderClient(options)): NuorderSource {
  const concurrency = Math.max(1, options.productConcurrency ?? 4);

  async function products(ids: readonly string[], cache: ProductCache, signal?: AbortSignal): Promise<Map<string, NuorderProduct | null>> {
    const queue = ids.filter((id) => !cache.has(id));
    const worker = async (): Promise<void> => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const pending = client.getProduct(id, signal);
        cache.set(id, pending);
        await pending.catch(() => undefined);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    const out = new Map<string, NuorderProduct | null>();
    for (const id of ids) out.set(id, (await cache.get(id)) ?? null);
    return out;
  }

  async function toCore(order: NuorderOrder, cache: ProductCache, signal?: AbortSignal): Promise<WholesaleOrder> {
    return mapOrder(order, { brand: options.brand, products: await products(productIdsOf(order), cache, signal) });
  }

  return {
    system: 'nuorder',

    async listOrders(status = 'approved', signal) {
      const cache: ProductCache = new Map();
      const listed = await client.listOrdersEach(status, signal);
      const out: SourcedOrder[] = [];
      for (const entry of listed) {
        if (!entry.ok) {
          out.push({ ok: false, error: Object.assign(entry.error, { sourceId: entry.sourceId }) });
          continue;
        }
        try {
          out.push({ ok: true, value: await toCore(entry.order, cache, signal) });
        } catch (error) {
          // A product that could not be read or a price that is not money: this order only.
          if (error instanceof RemoteAuthLost || error instanceof RemoteRateLimited) throw error;
          if (error instanceof RemoteError) out.push({ ok: false, error: Object.assign(error, { sourceId: entry.order._id }) });
          else throw error;
        }
      }
      return out;
    },

    async getOrder(sourceId, signal) {
      const order = await client.getOrder(sourceId, signal);
      return order ? toCore(order, new Map(), signal) : null;
    },

    async getOrderByNumber(orderNumber, signal) {
      const order = await client.getOrderByNumber(orderNumber, signal);
      return order ? toCore(order, new Map(), signal) : null;
    },

    async listShipments(orderSourceId, signal) {
      const own = await client.getShipments(orderSourceId, signal);
      if (own !== null) return own.map((s) => mapShipment(orderSourceId, s));
      const order = await client.getOrder(orderSourceId, signal);
      return (order?.shipments ?? []).map((s) => mapShipment(orderSourceId, s));
    },
  };
}
