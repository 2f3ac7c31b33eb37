/**
 * The authenticated HTTP client for one Lightspeed Retail X-Series store (one connection). It is the shared
 * transport (src/connectors/shared/http.ts) with:
 * - bearer auth from the connection's stored OAuth 2 tokens, refreshed under the TokenStore lock when they
 *   expire or a request answers 401 (X-Series refresh tokens ROTATE: the used one is revoked, so only one
 *   caller may spend it; the others pick up the result);
 * - the `window` rate governor (X-RateLimit-Limit / -Remaining per 300 s, Retry-After on 429), shared by
 *   every process through the BudgetStore under `budgetKey`.
 *
 * `baseUrl` is the store origin (`https://{domain_prefix}.retail.lightspeed.app`, or the simulator's URL),
 * so callers pass full API paths: `/api/2.0/products`, `/api/2.1/products/{id}`, `/api/2026-01/sales`,
 * `/api/register_sales`. The purchase-order connector (pos.ts) and the sales connector both build on it.
 * Tokens never reach a log: the transport logs method, path, status and time only.
 */
import { createHttpClient, type HttpClient, type HttpLogger, type RetryPolicy } from '../shared/http.ts';
import {
  bearerAuth,
  createOAuth2Client,
  createTokenManager,
  type TokenManager,
  type TokenStore,
} from '../shared/oauth2.ts';
import { createWindowGovernor, type BudgetStore, type Clock, type RateGovernor } from '../shared/rate-governor.ts';

export const VENDOR = 'lightspeed-x';

export interface XSeriesOAuthConfig {
  /** `https://{domain_prefix}.retail.lightspeed.app/api/1.0/token` (see `tokenUrlFor` in link.ts). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface XSeriesClientOptions {
  /** The store origin, from `apiBaseUrlFor` (link.ts). No `/api/...` suffix. */
  apiBaseUrl: string;
  /** The connection whose tokens the TokenStore holds (and whose lock guards the refresh). */
  connectionId: string;
  tokens: TokenStore;
  oauth: XSeriesOAuthConfig;
  budgets: BudgetStore;
  /** One budget per store and app, e.g. `lightspeed-x:{domain_prefix}:{client_id}`. */
  budgetKey: string;
  logger?: HttpLogger;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
  /** Retries of idempotent requests (GET, and calls marked idempotent) on 5xx / timeout / reset. */
  retry?: RetryPolicy;
  /** How long one call may wait for the rate budget before throwing RemoteRateLimited. Default 10 s. */
  rateLimitWaitMs?: number;
  /** Requests kept in reserve in each window for people using the POS and other apps. Default 0. */
  reserve?: number;
  /** Refresh this long before the access token expires. Default 60 s. */
  refreshSkewMs?: number;
  /** Sent on every request. Lightspeed asks integrations to identify themselves ([T] §1). */
  userAgent?: string;
  fetch?: typeof fetch;
  clock?: Clock;
  random?: () => number;
}

export interface XSeriesClient extends HttpClient {
  readonly connectionId: string;
  readonly governor: RateGovernor;
  readonly tokens: TokenManager;
}

export const DEFAULT_USER_AGENT = 'Tradeloop/0.1 (+https://github.com/tradeloop)';

export function createXSeriesClient(options: XSeriesClientOptions): XSeriesClient {
  const origin = options.apiBaseUrl.replace(/\/+$/, '');
  const oauth = createOAuth2Client({
    name: VENDOR,
    // Only the refresh grant is used here; linking uses link.ts.
    authorizeUrl: 'https://secure.retail.lightspeed.app/connect',
    tokenUrl: options.oauth.tokenUrl,
    clientId: options.oauth.clientId,
    clientSecret: options.oauth.clientSecret,
    tokenRequestFormat: 'form',
    defaultTtlSeconds: 86_400,
    timeoutMs: options.timeoutMs ?? 30_000,
    fetch: options.fetch,
    clock: options.clock,
    logger: options.logger,
  });
  const manager = createTokenManager({
    client: oauth,
    store: options.tokens,
    connectionId: options.connectionId,
    vendor: VENDOR,
    skewMs: options.refreshSkewMs,
    clock: options.clock,
  });
  const governor = createWindowGovernor({
    key: options.budgetKey,
    store: options.budgets,
    clock: options.clock,
    vendor: VENDOR,
    kind: 'pos',
    windowMs: 300_000,
    reserve: options.reserve,
  });
  const auth = bearerAuth(manager);
  const http = createHttpClient({
    baseUrl: origin,
    name: VENDOR,
    kind: 'pos',
    timeoutMs: options.timeoutMs ?? 30_000,
    authorize: auth.authorize,
    onUnauthorized: auth.onUnauthorized,
    governor,
    retry: options.retry ?? { attempts: 3, baseMs: 250, capMs: 4000 },
    rateLimitWaitMs: options.rateLimitWaitMs,
    logger: options.logger,
    fetch: options.fetch,
    clock: options.clock,
    random: options.random,
    headers: { 'user-agent': options.userAgent ?? DEFAULT_USER_AGENT },
  });
  return { ...http, connectionId: options.connectionId, governor, tokens: manager };
}
