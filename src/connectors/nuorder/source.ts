import type { DoctorCheck } from '../../core/ports/doctor.ts';
import type {
  ListOrdersQuery,
  SourceOrderItem,
  SourceRetailer,
  WholesaleAccount,
  WholesaleSource,
} from '../../core/ports/wholesale-source.ts';
import type { BrandRef, WholesaleOrder } from '../../core/wholesale-order.ts';
import { AppError } from '../../core/errors.ts';
import { RemoteContractBroken } from '../shared/errors.ts';
import { createNuorderClient, type NuorderClient, type NuorderCredentials, type NuorderHttpOptions } from './client.ts';
import { nuorderProbes } from './doctor.ts';
import { listCatalog } from './catalog.ts';
import { mapOrder, mapShipment, productIdsOf } from './map.ts';
import { pollKnown } from './poll.ts';
import { readOrderProgress } from './order-progress.ts';
import { retailersOf } from './retailers.ts';
import type { NuorderOrder, NuorderProduct } from './schemas.ts';
import { runProbes } from '../shared/doctor.ts';

/**
 * The NuORDER implementation of the WholesaleSource port. Ingest polls `approved` orders (NuORDER sends no
 * webhooks and has no "modified since" filter, so `modifiedSince` is applied here on `modified_on`; given what the
 * caller holds, `known`, the poll reads ids and only new or changed orders: poll.ts). Each
 * order is returned complete: its products are fetched once per distinct id within a run (one listing, or
 * one `getOrder`) for the name, images, category and numeric retail price.
 *
 * Retailer scope. A brand-portal token sees the orders of every store that buys from the brand, so a connection
 * keeps only the orders of the one retailer the merchant chose as their store, by `retailer._id`: the 24-hex
 * company id of the order's `retailer` object (divergences.md F3; nuorder.md §3.4, where the same id resolves
 * with `GET /api/company/{id}`). Never by name or by `retailer_code`, which is often `""`. That the brand token
 * shows several retailers is inferred [I]: no recording has more than one. Without a chosen retailer nothing is
 * listed (fail-closed).
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
  /** The merchant's own store among the brand's retailers (`retailer._id`); null until they choose. */
  retailer: { sourceId: string; name: string } | null;
  /** Parallel product reads. Default 4. */
  productConcurrency?: number;
}

type ProductCache = Map<string, Promise<NuorderProduct | null>>;

export const NUORDER_RETAILER_NOT_CHOSEN = 'NUORDER_RETAILER_NOT_CHOSEN';

/** The products of an order, each fetched once per run (`cache`), a few at a time. */
async function productsFor(
  client: NuorderClient,
  ids: readonly string[],
  cache: ProductCache,
  concurrency: number,
): Promise<Map<string, NuorderProduct | null>> {
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

export function createNuorderSource(
  options: NuorderSourceOptions,
  client: NuorderClient = createNuorderClient(options),
): WholesaleSource {
  const concurrency = Math.max(1, options.productConcurrency ?? 4);
  const retailerId = options.retailer?.sourceId ?? null;
  const ours = (id: string | null | undefined): boolean => retailerId !== null && id === retailerId;
  const blocked = (): string | null =>
    retailerId === null
      ? `No orders are imported from ${options.brand.name} until you choose which of its retailers is your store ` +
        '(a NuORDER brand portal shows the orders of every store that buys from the brand)'
      : null;

  async function complete(order: NuorderOrder, cache: ProductCache): Promise<WholesaleOrder> {
    const products = await productsFor(client, productIdsOf(order), cache, concurrency);
    return mapOrder(order, { brand: options.brand, products });
  }

  return {
    system: 'nuorder',

    blocked,

    async describeAccount(): Promise<WholesaleAccount> {
      // No "who am I" endpoint is documented; a cheap signed read proves the credentials.
      await client.listOrderIds('approved');
      return { accountId: options.brand.sourceId, name: options.brand.name, role: 'brand' };
    },

    async *listOrders(query: ListOrdersQuery): AsyncIterable<SourceOrderItem> {
      const why = blocked();
      if (why) throw new AppError(NUORDER_RETAILER_NOT_CHOSEN, why);
      const cache: ProductCache = new Map();
      if (query.known) {
        yield* pollKnown({ client, ours, complete: (order) => complete(order, cache) }, query.known);
        return;
      }
      for (const entry of await client.listOrdersEach(query.status)) {
        if (!entry.ok) {
          // Another store's broken order is none of this connection's business; ours, or one naming no
          // retailer at all (cannot be told apart), is reported.
          if (entry.retailerId !== null && !ours(entry.retailerId)) continue;
          yield { kind: 'unreadable', sourceId: entry.sourceId, orderNumber: null, reason: entry.error.message };
          continue;
        }
        const order = entry.order;
        if (!ours(order.retailer._id)) continue;
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

    // Ids only, of every retailer: NuORDER's id list says nothing about whose an order is. Ingest only intersects
    // these with orders it already holds (all of them this connection's own), so no other store's order is read.
    async listOrderIds(status) {
      return client.listOrderIds(status);
    },

    async getOrder(sourceId) {
      const order = await client.getOrder(sourceId);
      return order && ours(order.retailer._id) ? complete(order, new Map()) : null;
    },

    // Shipments live on the order (§5; the simulator's /order/{id}/shipments route is invented, F11): one read.
    async listShipments(orderSourceId) {
      const order = await client.getOrder(orderSourceId);
      if (!order || !ours(order.retailer._id)) return [];
      return (order.shipments ?? []).map((s) => mapShipment(orderSourceId, s));
    },

    orderProgress: (sourceIds) => readOrderProgress(client, sourceIds, ours),

    async listRetailers(): Promise<SourceRetailer[]> {
      return retailersOf(client);
    },

    listCatalog: (currency) => listCatalog(client, currency, concurrency),

    async doctor(): Promise<DoctorCheck[]> {
      const why = blocked();
      const checks = await runProbes(nuorderProbes(client, options.retailer, why));
      // The scope check is ours, not a remote call: say why in words instead of "the call failed".
      return checks.map((c) => (c.call.startsWith('retailer scope') && why ? { ...c, detail: why } : c));
    },
  };
}
