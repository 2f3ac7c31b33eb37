import { createHash } from 'node:crypto';

/**
 * The NuORDER simulator's state: plain JSON-serialisable records (the snapshot format). render.ts turns them into
 * the real API's JSON shapes.
 */

export const orderStatuses = ['draft', 'review', 'pending', 'approved', 'processed', 'shipped', 'cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export function isOrderStatus(value: string): value is OrderStatus {
  return (orderStatuses as readonly string[]).includes(value);
}

/** Routes through legal transitions used when a control call or a seed asks for a later status directly. */
export const pathTo: Record<OrderStatus, OrderStatus[]> = {
  draft: [],
  review: ['review'],
  pending: ['pending'],
  approved: ['review', 'approved'],
  processed: ['review', 'approved', 'processed'],
  shipped: ['review', 'approved', 'processed', 'shipped'],
  cancelled: ['cancelled'],
};

export const day = 86_400_000;

export function midnightIso(ms: number): string {
  return new Date(Math.floor(ms / day) * day).toISOString();
}

export interface NuorderConfig {
  /** Allowed clock skew of oauth_timestamp against the simulator clock, seconds. */
  timestampWindowSeconds: number;
  /** Access-token lifetime in seconds; null = never expires (real tokens do not expire, reference §2.2 step 4 [I]). */
  accessTokenTtlSeconds: number | null;
  /** How long a request token waits for approval and exchange, seconds. */
  requestTokenTtlSeconds: number;
  /** Simple fixed-window limit per access token; null = off. The reference names none (inferred). */
  rateLimit: { limit: number; windowSeconds: number } | null;
  /** Which signature schemes the verifier accepts (reference §2.3: both are seen working). */
  schemes: Array<'legacy' | 'rfc5849'>;
  /**
   * Whether the invented `GET /api/order/{id}/shipments` answers (divergences.md F11: no recording or client has
   * it). Off, it is an unknown path (404), as it presumably is on the real API, so a client can be proven to read
   * shipments from the order itself.
   */
  shipmentsRoute: boolean;
}

export const defaultConfig: NuorderConfig = {
  timestampWindowSeconds: 300,
  accessTokenTtlSeconds: null,
  requestTokenTtlSeconds: 3600,
  rateLimit: null,
  schemes: ['legacy', 'rfc5849'],
  shipmentsRoute: true,
};

export interface BrandRecord {
  _id: string;
  name: string;
  code: string;
  currency_code: string;
}

export interface RetailerRecord {
  _id: string;
  name: string;
  code: string;
  currency_code: string;
  phone: string;
  buyer_name: string;
  buyer_email: string;
  address: { _id: string; line_1: string; city: string; state: string; zip: string; country: string };
  created_on: string;
  modified_on: string;
}

/**
 * A product price as NuORDER serves it: a number, or `""` (a recorded product had `retail: ""` next to a numeric
 * `wholesale`, divergences.md F4), or absent.
 */
export interface PriceJson {
  wholesale?: number | '';
  retail?: number | '';
}

/** Cents of a price, or null when it is "" or absent. */
export function priceCents(value: number | '' | undefined): number | null {
  return typeof value === 'number' ? Math.round(value * 100) : null;
}

/** A product exactly as GET /api/product/{id} serves it (§4), plus the owning brand (kept outside the JSON). */
export interface ProductJson {
  _id: string;
  schema_id: string;
  brand_id: string;
  style_number: string;
  season: string;
  seasons: string[];
  color: string;
  color_code: string;
  name: string;
  description: string;
  category: string;
  subcategory: string;
  department: string;
  division: string;
  pricing: Record<string, PriceJson>;
  /** `units_per_pack` is a simulator extension [I]: the order line's value (§3.3) comes from it. */
  sizes: Array<{ size: string; upc?: string; size_group: string; units_per_pack?: number }>;
  size_groups: string[];
  warehouses: string[];
  images: string[];
  available_now: boolean;
  available_from: string;
  available_until: string;
  order_closing: string;
  active: boolean;
  cancelled: boolean;
  archived: boolean;
  disabled: boolean;
  created_on: string;
  modified_on: string;
  [custom: string]: unknown;
}

export interface ProductRecord {
  brand: string;
  json: ProductJson;
}

export interface LineRecord {
  id: string;
  product_id: string;
  ship_start: string;
  ship_end: string;
  warehouse: string;
  prebook: boolean;
  sizes: Array<{ size: string; quantity: number; priceCents: number; upc?: string }>;
}

export interface ShipmentRecord {
  _id: string;
  carrier: string;
  tracking_numbers: string[];
  shipped_on: string;
  /** Which units left: line id → size → quantity. */
  lines: Array<{ line_id: string; sizes: Array<{ size: string; quantity: number }> }>;
}

export interface OrderRecord {
  _id: string;
  order_number: string;
  status: OrderStatus;
  brand: string;
  retailer: string;
  customer_po_number: string;
  currency_code: string;
  notes: string;
  created_on: string;
  modified_on: string;
  edited_on: string;
  edited: boolean;
  start_ship: string;
  end_ship: string;
  submitted_by: string;
  buyer_submitted: boolean;
  split: boolean;
  order_group_id: string;
  lines: LineRecord[];
  shipments: ShipmentRecord[];
  history: Array<{ at: string; from: OrderStatus | null; to: OrderStatus; by: string }>;
}

export interface ConsumerRecord {
  key: string;
  secret: string;
  name: string;
}

export interface RequestTokenRecord {
  token: string;
  secret: string;
  consumer_key: string;
  application_name: string;
  callback: string;
  verifier: string | null;
  approved_brands: string[] | null;
  created_at: number;
  status: 'pending' | 'approved' | 'used';
}

export interface AccessTokenRecord {
  token: string;
  secret: string;
  consumer_key: string;
  application_name: string;
  /** Brand portals this connection sees; null = every brand of the account (the demo retailer's view). */
  brands: string[] | null;
  created_at: number;
  expires_at: number | null;
}

export interface NuorderState {
  version: 1;
  seq: number;
  idSeed: string;
  nextOrderNumber: number;
  config: NuorderConfig;
  retailers: RetailerRecord[];
  brands: BrandRecord[];
  products: ProductRecord[];
  orders: OrderRecord[];
  consumers: ConsumerRecord[];
  requestTokens: RequestTokenRecord[];
  accessTokens: AccessTokenRecord[];
}

export function emptyState(): NuorderState {
  return {
    version: 1,
    seq: 0,
    idSeed: 'nuorder',
    nextOrderNumber: 3_200_001,
    config: structuredClone(defaultConfig),
    retailers: [],
    brands: [],
    products: [],
    orders: [],
    consumers: [],
    requestTokens: [],
    accessTokens: [],
  };
}

/** A deterministic 24-hex id (Mongo ObjectId-like) from any text. */
export function hexOf(text: string, length = 24): string {
  return createHash('sha1').update(text).digest('hex').slice(0, length);
}

export function newId(state: NuorderState, kind: string): string {
  state.seq += 1;
  return hexOf(`${state.idSeed}:${kind}:${state.seq}`);
}
