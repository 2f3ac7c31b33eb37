import type { z } from 'zod';
import { RemoteContractBroken, RemoteRateLimited } from '../shared/errors.ts';
import {
  createHttpClient,
  type HttpClient,
  type HttpLogger,
  type HttpResponse,
  type QueryValue,
  type RetryPolicy,
} from '../shared/http.ts';
import { bearerAuth, createOAuth2Client, createTokenManager, type TokenStore } from '../shared/oauth2.ts';
import {
  createLeakyBucketGovernor,
  systemClock,
  type BudgetStore,
  type Clock,
  type RateGovernor,
} from '../shared/rate-governor.ts';
import { currentModelCost } from './cost.ts';

/**
 * The R-Series (API V3) client: the shared transport with
 * - bearer auth from the TokenStore, refreshed under the store's lock when it expires and once on a 401
 *   (rotating refresh tokens, reference §1); a refresh that is refused → RemoteAuthLost;
 * - the `leaky-bucket` governor (reference §6), shared through the BudgetStore under `budgetKey`, fed by
 *   `X-LS-API-Bucket-Level` / `X-LS-API-Drip-Rate` and the burst limiter's `X-LS-API-Burst-Level` on every
 *   reply, so requests wait for room instead of meeting a 429 (and a 429 of either limiter, or one that says
 *   nothing of when, defers without using a retry attempt). A request's cost is what the server last charged for the same method and resource
 *   (`X-LS-API-Request-Cost`); before the first reply it is the long-standing regime (GET 1, writes 10),
 *   which over-estimates the 2026 regime and so never causes a 429. Once a write's charge shows the current
 *   model (1 + 0.5 per nested entity, cost.ts), every write is priced from its own body;
 * - `@attributes.next` URLs followed as-is, but only on the API's own origin (the bearer token must not be
 *   sent anywhere else).
 * Tokens never reach the logger (the transport logs method, path, status and time only).
 */

export const LIGHTSPEED_R_VENDOR = 'lightspeed-r';
export const DEFAULT_API_BASE_URL = 'https://api.lightspeedapp.com';
export const DEFAULT_AUTH_BASE_URL = 'https://cloud.lightspeedapp.com';

export interface RSeriesClientOptions {
  /** `https://api.lightspeedapp.com` (a trailing `/API/V3` is accepted), or the simulator's URL. */
  apiBaseUrl: string;
  accountId: string;
  /** The TokenStore key of this connection. */
  connectionId: string;
  tokens: TokenStore;
  oauth: { tokenUrl: string; clientId: string; clientSecret?: string };
  budgets: BudgetStore;
  /** One budget per (account × OAuth client), e.g. `lightspeed-r:83050:<clientId>`. */
  budgetKey: string;
  logger?: HttpLogger;
  timeoutMs?: number;
  /** Reads only (writes are never resent by the transport). Default 3 tries, 250 ms → 4 s. */
  retry?: RetryPolicy;
  /** How long one call may wait for the bucket (or a Retry-After) before RemoteRateLimited. Default 30 s. */
  rateLimitWaitMs?: number;
  /** The bucket assumed before the first reply says (R-Series base: 90 drips, 1 drip/s). */
  initialBucket?: { size: number; dripPerSecond: number };
  clock?: Clock;
  fetch?: typeof fetch;
}

export interface RSeriesRequest<S extends z.ZodType> {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /**
   * A path under the account (`Item.json`, `Order/14.json`), or a complete `@attributes.next` URL (it must
   * be on the API's origin).
   */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  schema: S;
}

export interface RSeriesClient {
  readonly accountId: string;
  /** `…/API/V3/Account/{accountId}` */
  readonly accountUrl: string;
  readonly http: HttpClient;
  readonly governor: RateGovernor;
  request<S extends z.ZodType>(req: RSeriesRequest<S>): Promise<z.output<S>>;
  /** Like `request`, with the reply's status and headers too. */
  send<S extends z.ZodType>(req: RSeriesRequest<S>): Promise<HttpResponse<z.output<S>>>;
  /**
   * Every record of a query, following `@attributes.next` to the end. `key` is the resource key (`Item`);
   * `pageSchema` validates one page (use `listEnvelope`).
   */
  list<T>(path: string, query: Record<string, QueryValue>, pageSchema: z.ZodType<RSeriesPage<T>>): Promise<T[]>;
}

export interface RSeriesPage<T> {
  next: string;
  items: T[];
}

/** `https://api.lightspeedapp.com/API/V3/` → `https://api.lightspeedapp.com`. */
export function normaliseApiBaseUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/API(\/V3)?$/i, '');
}

/** The long-standing cost regime (reference §6 "Previously", S4): a safe first guess until the server says. */
function defaultCost(method: string, path: string): number {
  const upper = method.toUpperCase();
  if (upper === 'GET' || upper === 'HEAD') return 1;
  if (/\/Category(\/|\.json|$)/.test(path)) return 10;
  return 10;
}

/** `GET Item`, `POST OrderLine`: the key a learned cost is kept under. */
function costKey(method: string, path: string): string {
  const match = /\/Account\/[^/]+\/([A-Za-z]+)/.exec(path);
  const single = /\/Account\/[^/]+\/[A-Za-z]+\/\d+/.test(path);
  return `${method.toUpperCase()} ${match?.[1] ?? path}${single ? '/:id' : ''}`;
}

export function createRSeriesClient(options: RSeriesClientOptions): RSeriesClient {
  const base = normaliseApiBaseUrl(options.apiBaseUrl);
  const origin = new URL(base).origin;
  const accountPath = `/API/V3/Account/${encodeURIComponent(options.accountId)}`;
  const learned = new Map<string, number>();
  // Which cost model the server charges writes by, from the first write whose charge it reported: `current`
  // (1 + 0.5 per nested entity, §6) lets every write be priced from its own body before it is sent.
  let writeModel: 'unknown' | 'current' | 'other' = 'unknown';
  const innerFetch = options.fetch ?? globalThis.fetch;

  // Learns what the server charges per (method, resource) from X-LS-API-Request-Cost.
  const observingFetch: typeof fetch = async (input, init) => {
    const response = await innerFetch(input, init);
    const charged = Number(response.headers.get('x-ls-api-request-cost'));
    if (Number.isFinite(charged) && charged > 0) {
      const url = input instanceof URL ? input : new URL(typeof input === 'string' ? input : input.url);
      const method = init?.method ?? 'GET';
      learned.set(costKey(method, url.pathname), charged);
      if (writeModel === 'unknown' && (method === 'POST' || method === 'PUT') && typeof init?.body === 'string') {
        const expected = currentModelCost(method, url.pathname, JSON.parse(init.body) as unknown);
        writeModel = Math.abs(expected - charged) < 0.001 ? 'current' : 'other';
      }
    }
    return response;
  };

  const bucket = createLeakyBucketGovernor({
    key: options.budgetKey,
    store: options.budgets,
    clock: options.clock,
    vendor: LIGHTSPEED_R_VENDOR,
    kind: 'pos',
    initialSize: options.initialBucket?.size ?? 90,
    initialDripPerSecond: options.initialBucket?.dripPerSecond ?? 1,
    cost: (method, path) => learned.get(costKey(method, path)) ?? defaultCost(method, path),
    // No headroom: the governor keeps level + cost ≤ size, and R-Series refuses only once the level is
    // already at or above the size (§6), so a full bucket still takes the next request.
    headroom: 0,
  });

  const clock = options.clock ?? systemClock;
  const probeWaitMs = (options.timeoutMs ?? 30_000) + 1_000;
  // Until a reply has told us the bucket's size and drip rate, one request at a time: a burst sized for
  // the assumed bucket must not hit a smaller real one.
  let calibrated: boolean | undefined;
  let probe: Promise<void> | undefined;
  let releaseProbe: (() => void) | undefined;
  const endProbe = (): void => {
    releaseProbe?.();
    probe = undefined;
    releaseProbe = undefined;
  };
  // The transport computes a request's cost (costOf) and reserves it (beforeRequest) in one synchronous
  // stretch, so the cost class seen last by costOf is this request's. A request that waits re-reads the
  // learned cost on every try: a burst queued before the first write reply must not keep the first guess.
  let capturedClass: string | undefined;
  // Reservations per transport estimate, so afterResponse releases what was really reserved.
  const reserved = new Map<number, number[]>();
  const governor: RateGovernor = {
    key: bucket.key,
    costOf(method, path) {
      capturedClass = costKey(method, path);
      return bucket.costOf(method, path);
    },
    async beforeRequest(estimate, opts = {}) {
      const cls = capturedClass;
      capturedClass = undefined;
      const deadline = clock.now() + (opts.maxWaitMs ?? Number.POSITIVE_INFINITY);
      calibrated ??= (await options.budgets.load(options.budgetKey)) !== null;
      while (!calibrated && probe) {
        // Bounded: should the probe never report back, the next request becomes the probe.
        const current = probe;
        const timer = new AbortController();
        const timedOut = await Promise.race([
          current.then(() => false),
          clock.sleep(probeWaitMs, timer.signal).then(
            () => true,
            () => false,
          ),
        ]);
        timer.abort();
        if (timedOut && probe === current) endProbe();
      }
      const probing = !calibrated;
      if (probing) probe = new Promise<void>((resolve) => (releaseProbe = resolve));
      try {
        for (;;) {
          const cost = (cls !== undefined ? learned.get(cls) : undefined) ?? estimate;
          try {
            await bucket.beforeRequest(cost, { maxWaitMs: 0, signal: opts.signal });
            reserved.set(estimate, [...(reserved.get(estimate) ?? []), cost]);
            return;
          } catch (error) {
            if (!(error instanceof RemoteRateLimited) || error.retryAt > deadline) throw error;
            await clock.sleep(Math.max(1, error.retryAt - clock.now()), opts.signal);
          }
        }
      } catch (error) {
        if (probing) endProbe();
        throw error;
      }
    },
    async afterResponse(response) {
      const list = reserved.get(response.cost) ?? [];
      const cost = list.shift() ?? response.cost;
      if (list.length === 0) reserved.delete(response.cost);
      try {
        return await bucket.afterResponse({ ...response, cost });
      } finally {
        if (response.headers.get('x-ls-api-bucket-level')) calibrated = true;
        if (probe) endProbe();
      }
    },
  };

  const oauthClient = createOAuth2Client({
    name: LIGHTSPEED_R_VENDOR,
    authorizeUrl: options.oauth.tokenUrl,
    tokenUrl: options.oauth.tokenUrl,
    clientId: options.oauth.clientId,
    clientSecret: options.oauth.clientSecret,
    tokenRequestFormat: 'json',
    timeoutMs: options.timeoutMs,
    fetch: options.fetch,
    clock: options.clock,
    logger: options.logger,
  });
  const tokens = createTokenManager({
    client: oauthClient,
    store: options.tokens,
    connectionId: options.connectionId,
    vendor: LIGHTSPEED_R_VENDOR,
    clock: options.clock,
  });
  const auth = bearerAuth(tokens);

  const http = createHttpClient({
    baseUrl: base + accountPath,
    name: LIGHTSPEED_R_VENDOR,
    kind: 'pos',
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: options.retry ?? { attempts: 3, baseMs: 250, capMs: 4_000 },
    rateLimitWaitMs: options.rateLimitWaitMs ?? 30_000,
    governor,
    authorize: auth.authorize,
    onUnauthorized: auth.onUnauthorized,
    logger: options.logger,
    fetch: observingFetch,
    clock: options.clock,
  });

  function resolvePath(path: string): string {
    if (!/^https?:\/\//i.test(path)) return path.startsWith('/') ? path : `/${path}`;
    let url: URL;
    try {
      url = new URL(path);
    } catch {
      throw new RemoteContractBroken({
        vendor: LIGHTSPEED_R_VENDOR,
        fieldPath: '@attributes.next',
        problem: 'not a URL',
      });
    }
    if (url.origin !== origin || !url.pathname.startsWith(`${accountPath}/`)) {
      throw new RemoteContractBroken({
        vendor: LIGHTSPEED_R_VENDOR,
        fieldPath: '@attributes.next',
        problem: `points outside the account's API (${url.origin}${url.pathname})`,
      });
    }
    return url.toString();
  }

  const send = async <S extends z.ZodType>(req: RSeriesRequest<S>): Promise<HttpResponse<z.output<S>>> => {
    const path = resolvePath(req.path);
    // Refresh an expiring token before the bucket is reserved: a refresh that fails then costs no drips
    // and leaves no reservation behind (the transport authorizes after reserving).
    await tokens.accessToken();
    const method = req.method ?? 'GET';
    // On the current model a write is priced from its body (a learned per-resource cost would be the last
    // body's); otherwise the governor's learned or long-standing cost applies.
    const cost =
      writeModel === 'current' && (method === 'POST' || method === 'PUT')
        ? currentModelCost(method, new URL(path, 'http://x').pathname, req.body)
        : undefined;
    return http.send({ method, path, query: req.query, body: req.body, schema: req.schema, cost });
  };
  const request = async <S extends z.ZodType>(req: RSeriesRequest<S>): Promise<z.output<S>> => (await send(req)).data;

  return {
    accountId: options.accountId,
    accountUrl: base + accountPath,
    http,
    governor,
    request,
    send,
    async list<T>(
      path: string,
      query: Record<string, QueryValue>,
      pageSchema: z.ZodType<RSeriesPage<T>>,
    ): Promise<T[]> {
      const out: T[] = [];
      const seen = new Set<string>();
      let page = await request({ path, query, schema: pageSchema });
      for (;;) {
        out.push(...page.items);
        if (page.next === '' || page.items.length === 0) return out;
        if (seen.has(page.next)) {
          throw new RemoteContractBroken({
            vendor: LIGHTSPEED_R_VENDOR,
            path,
            fieldPath: '@attributes.next',
            problem: 'the cursor repeated',
          });
        }
        seen.add(page.next);
        page = await request({ path: page.next, schema: pageSchema });
      }
    },
  };
}
