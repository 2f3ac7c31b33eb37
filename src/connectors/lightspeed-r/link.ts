import { RemoteContractBroken } from '../shared/errors.ts';
import { createHttpClient, type HttpLogger } from '../shared/http.ts';
import { createOAuth2Client, type OAuth2Tokens, type TokenStore } from '../shared/oauth2.ts';
import type { Clock } from '../shared/rate-governor.ts';
import { DEFAULT_API_BASE_URL, DEFAULT_AUTH_BASE_URL, LIGHTSPEED_R_VENDOR, normaliseApiBaseUrl } from './client.ts';
import { accountList } from './schemas.ts';

/**
 * Linking an R-Series account (reference §1): the authorize URL, the code exchange, and the account id
 * lookup (JWT `acct` claim, confirmed by `GET /API/V3/Account.json`). Both base URLs are configurable so the
 * same code points at Lightspeed or at the simulator (which serves both on one host).
 */

/** The scopes a PO exporter needs (§1 [I]); `employee:all` also works. */
export const R_SERIES_SCOPES = [
  'employee:inventory',
  'employee:product_edit',
  'employee:product_cost',
  'employee:purchase_orders',
  'employee:vendors',
  'employee:manufacturers',
  'employee:categories',
] as const;

export interface RSeriesLinkConfig {
  /** `https://cloud.lightspeedapp.com` (default) or the simulator's URL. */
  authBaseUrl?: string;
  /** `https://api.lightspeedapp.com` (default) or the simulator's URL. */
  apiBaseUrl?: string;
  clientId: string;
  clientSecret?: string;
  redirectUri?: string;
  scopes?: readonly string[];
  timeoutMs?: number;
  fetch?: typeof fetch;
  clock?: Clock;
  logger?: HttpLogger;
}

export interface RSeriesEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  apiBaseUrl: string;
}

export function rSeriesEndpoints(config: Pick<RSeriesLinkConfig, 'authBaseUrl' | 'apiBaseUrl'>): RSeriesEndpoints {
  const auth = (config.authBaseUrl ?? DEFAULT_AUTH_BASE_URL).replace(/\/+$/, '');
  return {
    authorizeUrl: `${auth}/auth/oauth/authorize`,
    tokenUrl: `${auth}/auth/oauth/token`,
    apiBaseUrl: normaliseApiBaseUrl(config.apiBaseUrl ?? DEFAULT_API_BASE_URL),
  };
}

function oauthClient(config: RSeriesLinkConfig) {
  const endpoints = rSeriesEndpoints(config);
  return createOAuth2Client({
    name: LIGHTSPEED_R_VENDOR,
    authorizeUrl: endpoints.authorizeUrl,
    tokenUrl: endpoints.tokenUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    scopes: config.scopes ?? R_SERIES_SCOPES,
    tokenRequestFormat: 'json',
    timeoutMs: config.timeoutMs,
    fetch: config.fetch,
    clock: config.clock,
    logger: config.logger,
  });
}

/** Where to send the merchant. Scopes are `+`-delimited in the URL, as R-Series wants. */
export function authorizeUrl(config: RSeriesLinkConfig, input: { state: string; codeChallenge?: string }): string {
  return oauthClient(config).authorizeUrl(input);
}

/** Spends the code (valid 60 s) for the first token pair. `invalid_grant` → RemoteAuthLost. */
export function exchangeCode(
  config: RSeriesLinkConfig,
  input: { code: string; codeVerifier?: string },
): Promise<OAuth2Tokens> {
  return oauthClient(config).exchangeCode(input);
}

/** The `acct` claim of an R-Series access token (a JWT), or null when it is not a readable JWT. Not verified. */
export function accountIdFromToken(accessToken: string): string | null {
  const payload = accessToken.split('.')[1];
  if (payload === undefined) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (claims && typeof claims === 'object' && 'acct' in claims) {
      const acct = (claims as { acct: unknown }).acct;
      if ((typeof acct === 'string' && /^\d+$/.test(acct)) || typeof acct === 'number') return String(acct);
    }
  } catch {
    // not a JWT
  }
  return null;
}

export interface RSeriesAccount {
  accountId: string;
  name: string;
}

/** `GET /API/V3/Account.json`: the accounts this token reaches (one, in practice). */
export async function fetchAccounts(
  config: Pick<RSeriesLinkConfig, 'apiBaseUrl' | 'timeoutMs' | 'fetch' | 'clock' | 'logger'>,
  accessToken: string,
): Promise<RSeriesAccount[]> {
  const http = createHttpClient({
    baseUrl: rSeriesEndpoints(config).apiBaseUrl,
    name: LIGHTSPEED_R_VENDOR,
    kind: 'pos',
    timeoutMs: config.timeoutMs ?? 15_000,
    retry: { attempts: 3, baseMs: 250, capMs: 2_000 },
    authorize: () => ({ authorization: `Bearer ${accessToken}` }),
    fetch: config.fetch,
    clock: config.clock,
    logger: config.logger,
  });
  const reply = await http.request({ method: 'GET', path: '/API/V3/Account.json', schema: accountList });
  return reply.Account.map((a) => ({ accountId: a.accountID, name: a.name }));
}

export interface LinkedAccount extends RSeriesAccount {
  tokens: OAuth2Tokens;
}

/**
 * The whole callback step: exchange the code, find the account (the token's `acct` claim, checked against
 * `/Account.json`), and store the tokens under `connectionId`.
 */
export async function completeLink(
  config: RSeriesLinkConfig,
  input: { code: string; codeVerifier?: string; connectionId: string; tokens: TokenStore },
): Promise<LinkedAccount> {
  const tokens = await exchangeCode(config, input);
  const accounts = await fetchAccounts(config, tokens.accessToken);
  const claimed = accountIdFromToken(tokens.accessToken);
  const account = (claimed !== null ? accounts.find((a) => a.accountId === claimed) : undefined) ?? accounts[0];
  if (!account) {
    throw new RemoteContractBroken({
      vendor: LIGHTSPEED_R_VENDOR,
      method: 'GET',
      path: '/API/V3/Account.json',
      fieldPath: 'Account',
      problem: 'no account in the reply',
    });
  }
  await input.tokens.withLock(input.connectionId, () => input.tokens.write(input.connectionId, tokens));
  return { ...account, tokens };
}
