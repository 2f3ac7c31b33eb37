/**
 * The port a wholesale ordering platform (NuORDER today) implements. The ingest flow polls it; it never
 * pushes (NuORDER sends no webhooks).
 *
 * Contract for implementers:
 * - Return core types only. Map vendor JSON in your map.ts; a field the vendor sends in several shapes
 *   (numbers, "28.00", "$28.00") is parsed there with `parseMoney`, UPCs with `parseGtin`.
 * - An order is returned complete: NuORDER order lines carry only the product id, so the connector
 *   fetches each product (name, retail price, images, category) before yielding the order.
 * - Line keys must be unique within an order (`makeLineKey`). If the source splits one product+size
 *   over several line items (different ship windows), merge them into one line (sum the quantities).
 * - Errors are thrown as the connector error classes in src/connectors/shared/errors.ts:
 *     RemoteUnavailable (5xx, timeout: safe to retry, these calls only read),
 *     RemoteRateLimited (defer the job until the time it carries, without using up an attempt),
 *     RemoteAuthLost (the connection needs relinking; stop polling it),
 *     RemoteRejected (4xx other than auth and 429),
 *     RemoteContractBroken (the reply failed its schema).
 *   Core does not import them; the flows and jobs do.
 */
import type { CatalogProduct } from '../forecast.ts';
import type { DoctorCheck } from './doctor.ts';
import type { WholesaleOrder, WholesaleOrderStatus, WholesaleShipment } from '../wholesale-order.ts';

/**
 * One item of a listing. A single order that cannot be mapped (a field missing, a contract break in
 * one record) is reported as a value, so one bad order never stops the other 499 from being ingested.
 */
export type SourceOrderItem =
  | { kind: 'order'; order: WholesaleOrder }
  | { kind: 'unreadable'; sourceId: string | null; orderNumber: string | null; reason: string }
  /**
   * An order of another store (a brand portal sees every store buying from the brand): said only when the query
   * carries `known`, so the caller can name it next time and the source need not read it again.
   */
  | { kind: 'other-store'; sourceId: string };

/** What the caller already holds, so a source can read only what is new or changed (an idle poll reads ids only). */
export interface KnownOrders {
  /** The orders held, by source id: the source's modification time as stored (ms) and the order number. */
  readonly held: ReadonlyMap<string, { readonly modifiedAt: number | null; readonly orderNumber: string }>;
  /** Source ids reported earlier as `other-store`. */
  readonly otherStores: ReadonlySet<string>;
}

export interface ListOrdersQuery {
  /** Only approved orders are exported. */
  status: 'approved';
  /**
   * ISO-8601 instant: only orders modified at or after it. NuORDER has no server-side filter, so the
   * connector filters on `modified_on` itself; the flow still de-duplicates by source id and content
   * hash, so an implementation may return more than asked, never less.
   */
  modifiedSince?: string;
  /**
   * The orders the caller holds. A source that can list ids then reads only new orders and held ones that may have
   * changed, skips held ones whose modification time it can see is unchanged, and reports every other store's
   * order in the listing as `other-store` (those already in `otherStores` without reading them).
   */
  known?: KnownOrders;
}

export interface WholesaleAccount {
  /** Stable id of the linked account at the source (the retailer or brand company id). */
  accountId: string;
  name: string;
  /** Which side of the trade the credentials belong to; it decides which orders are visible. */
  role: 'retailer' | 'brand';
}

/** A buying company whose orders the credentials can see (a brand portal sees every store that buys from it). */
export interface SourceRetailer {
  /** The source's id of the company (NuORDER `retailer._id`): what a connection is scoped by. */
  readonly sourceId: string;
  readonly name: string;
  readonly code: string | null;
  readonly buyerName: string | null;
  /** Orders of this retailer seen while listing. */
  readonly orders: number;
}

/** What the source says of an exported order now (no product reads): its status and, when read, its shipments. */
export interface SourceOrderProgress {
  readonly sourceId: string;
  readonly status: WholesaleOrderStatus;
  /** Null when the answer did not carry them (a cancelled order known from the id list): keep what is stored. */
  readonly shipments: readonly WholesaleShipment[] | null;
}

export interface WholesaleSource {
  /** Goes into correlation keys and logs: 'nuorder'. */
  readonly system: string;

  /** Checks the credentials and says whose they are; used when linking a connection. */
  describeAccount(): Promise<WholesaleAccount>;

  /**
   * Orders in a status, streamed page by page so a large backlog is not held in memory. Iteration may
   * throw between items (a page failed); the flow records progress per order, so it resumes cleanly.
   */
  listOrders(query: ListOrdersQuery): AsyncIterable<SourceOrderItem>;

  /**
   * Source ids of every order in a status: ids only, one cheap call. The ingest asks for `cancelled`
   * to notice orders it holds that were cancelled after it pulled them (they leave the approved list,
   * so the approved listing alone would never show the cancellation).
   */
  listOrderIds(status: WholesaleOrderStatus): Promise<string[]>;

  /**
   * One order, fresh, whatever its status (the ingest re-reads the orders it holds that were cancelled).
   * Null when the source no longer has it; an unreadable order throws RemoteContractBroken.
   */
  getOrder(sourceId: string): Promise<WholesaleOrder | null>;

  /**
   * Shipments (ASNs) the brand reported for an order, for receiving. An empty list when the source has
   * none or does not expose them (NuORDER's shipment feed is not publicly documented).
   */
  listShipments(orderSourceId: string): Promise<WholesaleShipment[]>;

  /**
   * The status and shipments of these orders (exported, not complete yet), in as few calls as the source allows;
   * `requests` says how many it took. Orders left out of the answer have not moved since they were approved (no
   * shipment yet). Optional: a source without it is not followed after export.
   */
  orderProgress?(sourceIds: readonly string[]): Promise<{ orders: SourceOrderProgress[]; requests: number }>;

  /**
   * Why this source will not list orders yet, in words for the merchant (e.g. no store chosen among the
   * retailers a brand portal sees), or null when it can. Ingest imports nothing while it is set and says so on
   * the connection; listing anyway throws.
   */
  blocked?(): string | null;

  /**
   * The retailers whose orders these credentials can see, for the merchant to choose their own store when a
   * source shows several (a NuORDER brand portal shows every store that buys from the brand).
   */
  listRetailers?(): Promise<SourceRetailer[]>;

  /**
   * The brand's whole catalog, priced in `currency`, for the pre-flight forecast; `requests` says how many
   * calls it took. Optional: a source without a catalog listing offers no forecast.
   */
  listCatalog?(currency: string): Promise<{ products: CatalogProduct[]; requests: number }>;

  /** Read-only probes of every call this connector makes (`tradeloop doctor`), see ports/doctor.ts. */
  doctor?(): Promise<DoctorCheck[]>;
}
