import { RemoteContractBroken, RemoteRejected, formatFieldPath } from '../shared/errors.ts';
import { createHttpClient, type HttpClient, type HttpLogger, type RetryPolicy } from '../shared/http.ts';
import { oauth1Authorizer, type OAuth1Credentials, type OAuth1Scheme } from '../shared/oauth1.ts';
import type { Clock } from '../shared/rate-governor.ts';
import {
  accessTokenSchema,
  orderIdListSchema,
  orderListSchema,
  orderSchema,
  productSchema,
  requestTokenSchema,
  shipmentSchema,
  type NuorderOrder,
  type NuorderOrderStatus,
  type NuorderProduct,
  type NuorderShipment,
} from './schemas.ts';
import { z } from 'zod';

/**
 * NuORDER brand API over the shared transport, every request signed with OAuth 1.0a (reference §2).
 * RFC 5849 HMAC-SHA1 by default; NuORDER's legacy hex scheme behind `scheme: 'nuorder-legacy'` (§2.3, which
 * does not sign query strings). Reads retry on 5xx/timeouts; the handshake's token step is never resent.
 */

export const NUORDER_VENDOR = 'nuorder';

export interface NuorderHttpOptions {
  /** Host without `/api`, e.g. `https://next.nuorder.com` (production), `https://wholesale.sandbox1.nuorder.com`. */
  baseUrl: string;
  scheme?: OAuth1Scheme;
  timeoutMs?: number;
  retry?: RetryPolicy;
  logger?: HttpLogger;
  fetch?: typeof fetch;
  clock?: Clock;
}

export interface NuorderCredentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseMs: 250, capMs: 4_000 };

function http(options: NuorderHttpOptions, sign: Parameters<typeof oauth1Authorizer>[0]): HttpClient {
  const clock = options.clock;
  return createHttpClient({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    name: NUORDER_VENDOR,
    kind: 'source',
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: options.retry ?? DEFAULT_RETRY,
    logger: options.logger,
    fetch: options.fetch,
    clock: options.clock,
    authorize: oauth1Authorizer({
      ...sign,
      scheme: options.scheme ?? 'rfc5849',
      now: clock ? () => clock.now() : undefined,
    }),
  });
}

// ---------------------------------------------------------------- the three-legged handshake (§2.2)

export interface RequestToken {
  token: string;
  tokenSecret: string;
  callbackConfirmed: boolean;
}

/**
 * Step 1: `GET /api/initiate` signed with the consumer key and secret and an empty token; the header carries
 * `application_name` (unsigned) and `oauth_callback` (`oob` unless a callback URL is given).
 */
export async function requestToken(
  options: NuorderHttpOptions & {
    consumerKey: string;
    consumerSecret: string;
    applicationName: string;
    callback?: string;
  },
): Promise<RequestToken> {
  const client = http(options, {
    credentials: {
      consumerKey: options.consumerKey,
      consumerSecret: options.consumerSecret,
      token: '',
      tokenSecret: '',
    },
    callback: options.callback ?? 'oob',
    applicationName: options.applicationName,
  });
  const reply = await client.request({ method: 'GET', path: '/api/initiate', schema: requestTokenSchema });
  return {
    token: reply.oauth_token,
    tokenSecret: reply.oauth_token_secret,
    callbackConfirmed: reply.oauth_callback_confirmed === true || reply.oauth_callback_confirmed === 'true',
  };
}

/*
 * Step 2 happens at NuORDER, not through the API: an admin approves the pending application (it carries the
 * `application_name`) under Admin → API Management, and NuORDER POSTs the verifier to the callback, or shows it
 * for the person to paste when the callback is `oob` (reference §2.2, divergences.md F5). No authorize URL is
 * documented or recorded, so the connector has none.
 */

/** Step 3: `GET /api/token` signed with the request token, `oauth_verifier` in the base string and the header. */
export async function accessToken(
  options: NuorderHttpOptions & {
    consumerKey: string;
    consumerSecret: string;
    requestToken: string;
    requestTokenSecret: string;
    verifier: string;
  },
): Promise<NuorderCredentials> {
  const client = http(options, {
    credentials: {
      consumerKey: options.consumerKey,
      consumerSecret: options.consumerSecret,
      token: options.requestToken,
      tokenSecret: options.requestTokenSecret,
    },
    verifier: options.verifier,
  });
  // The verifier is spent by a successful exchange: never resend it after an unknown outcome.
  const reply = await client.request({
    method: 'GET',
    path: '/api/token',
    schema: accessTokenSchema,
    idempotent: false,
  });
  return {
    consumerKey: options.consumerKey,
    consumerSecret: options.consumerSecret,
    token: reply.oauth_token,
    tokenSecret: reply.oauth_token_secret,
  };
}

// ---------------------------------------------------------------- resources (§3, §4, §5)

/**
 * One entry of a listing: the order, or why it could not be read (the others are still usable), with the
 * retailer id the raw JSON names, if any, so a caller can leave another store's broken order alone.
 */
export type ListedOrder =
  | { ok: true; order: NuorderOrder }
  | { ok: false; sourceId: string | null; retailerId: string | null; error: RemoteContractBroken };

/** What a listing's raw order says of itself before validation (null where the field is missing or not a string). */
export interface RawOrderFacts {
  id: string | null;
  retailerId: string | null;
  /** `modified_on`, else `edited_on`, else `created_on`, as mapOrder reads it. */
  modifiedOn: string | null;
}

function rawFacts(item: unknown): RawOrderFacts {
  const raw = (item && typeof item === 'object' ? item : {}) as Record<string, unknown> & {
    retailer?: { _id?: unknown };
  };
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  return {
    id: text(raw['_id']),
    retailerId: text(raw.retailer?._id),
    modifiedOn: text(raw['modified_on']) ?? text(raw['edited_on']) ?? text(raw['created_on']),
  };
}

export interface NuorderClient {
  /** `GET /api/orders/{status}/detail`: full orders in that status (one malformed order fails the whole call). */
  listOrders(status: NuorderOrderStatus | 'edited', signal?: AbortSignal): Promise<NuorderOrder[]>;
  /**
   * The same listing, each order validated on its own: a malformed order is reported, not fatal. `keep`, given the
   * few fields read off the raw JSON, leaves an order out before it is validated (an unchanged one costs no parse).
   */
  listOrdersEach(
    status: NuorderOrderStatus | 'edited',
    signal?: AbortSignal,
    keep?: (raw: RawOrderFacts) => boolean,
  ): Promise<ListedOrder[]>;
  /** The same listing unparsed: for reading one field of every order (the retailers a brand sells to). */
  listOrdersRaw(status: NuorderOrderStatus | 'edited', signal?: AbortSignal): Promise<unknown[]>;
  /** `GET /api/orders/{status}/list`: their `_id`s only. */
  listOrderIds(status: NuorderOrderStatus | 'edited', signal?: AbortSignal): Promise<string[]>;
  /** `GET /api/order/{id}`; null on 404. */
  getOrder(id: string, signal?: AbortSignal): Promise<NuorderOrder | null>;
  /** The same read as a listing entry: a malformed order is reported with the retailer its raw JSON names. */
  getOrderEach(id: string, signal?: AbortSignal): Promise<ListedOrder | null>;
  /** `GET /api/order/number/{n}`; null on 404. */
  getOrderByNumber(orderNumber: string, signal?: AbortSignal): Promise<NuorderOrder | null>;
  /** `GET /api/product/{id}`; null on 404. */
  getProduct(id: string, signal?: AbortSignal): Promise<NuorderProduct | null>;
  /**
   * `GET /api/products` [I]: the brand's products. The path is named by one client (nuorder.md §4, S-JV); what it
   * answers is not documented, so both forms are read: product objects, or their ids (then read one by one).
   */
  listProducts(signal?: AbortSignal): Promise<unknown[]>;
  /**
   * `GET /api/order/{id}/shipments`. No public shipment endpoint is documented (§5 gap); null when the server
   * does not have this route (404), so callers fall back to the order's own `shipments` array.
   */
  getShipments(id: string, signal?: AbortSignal): Promise<NuorderShipment[] | null>;
}

/** One order of a reply, validated on its own: the order, or why not with what the raw JSON says of itself. */
function validated(item: unknown, facts: RawOrderFacts, path: string, at: Array<string | number>): ListedOrder {
  const parsed = orderSchema.safeParse(item);
  if (parsed.success) return { ok: true, order: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    sourceId: facts.id,
    retailerId: facts.retailerId,
    error: new RemoteContractBroken({
      vendor: NUORDER_VENDOR,
      method: 'GET',
      path,
      fieldPath: formatFieldPath([...at, ...(issue?.path ?? [])]),
      problem: issue?.message ?? 'invalid',
      cause: parsed.error,
    }),
  };
}

export function createNuorderClient(
  options: NuorderHttpOptions & { credentials: NuorderCredentials | (() => Promise<NuorderCredentials>) },
): NuorderClient {
  const credentials = options.credentials;
  const client = http(options, {
    credentials:
      typeof credentials === 'function' ? async (): Promise<OAuth1Credentials> => credentials() : credentials,
  });
  const seg = encodeURIComponent;
  const orNull = async <T>(p: Promise<T>): Promise<T | null> => {
    try {
      return await p;
    } catch (error) {
      if (error instanceof RemoteRejected && error.status === 404) return null;
      throw error;
    }
  };
  return {
    listOrders: (status, signal) =>
      client.request({ method: 'GET', path: `/api/orders/${seg(status)}/detail`, schema: orderListSchema, signal }),
    listOrdersEach: async (status, signal, keep) => {
      const path = `/api/orders/${seg(status)}/detail`;
      const raw = await client.request({ method: 'GET', path, schema: z.array(z.unknown()), signal });
      return raw.flatMap((item, i): ListedOrder[] => {
        const facts = rawFacts(item);
        return keep && !keep(facts) ? [] : [validated(item, facts, path, [i])];
      });
    },
    getOrderEach: async (id, signal) => {
      const path = `/api/order/${seg(id)}`;
      const raw = await orNull(client.request({ method: 'GET', path, schema: z.unknown(), signal }));
      return raw === null ? null : validated(raw, rawFacts(raw), path, []);
    },
    listOrdersRaw: (status, signal) =>
      client.request({
        method: 'GET',
        path: `/api/orders/${seg(status)}/detail`,
        schema: z.array(z.unknown()),
        signal,
      }),
    listOrderIds: (status, signal) =>
      client.request({ method: 'GET', path: `/api/orders/${seg(status)}/list`, schema: orderIdListSchema, signal }),
    getOrder: (id, signal) =>
      orNull(client.request({ method: 'GET', path: `/api/order/${seg(id)}`, schema: orderSchema, signal })),
    getOrderByNumber: (n, signal) =>
      orNull(client.request({ method: 'GET', path: `/api/order/number/${seg(n)}`, schema: orderSchema, signal })),
    getProduct: (id, signal) =>
      orNull(client.request({ method: 'GET', path: `/api/product/${seg(id)}`, schema: productSchema, signal })),
    listProducts: (signal) =>
      client.request({ method: 'GET', path: '/api/products', schema: z.array(z.unknown()), signal }),
    getShipments: (id, signal) =>
      orNull(
        client.request({
          method: 'GET',
          path: `/api/order/${seg(id)}/shipments`,
          schema: z.array(shipmentSchema),
          signal,
        }),
      ),
  };
}
