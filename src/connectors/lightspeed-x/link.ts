/**
 * Linking a Lightspeed Retail X-Series store (reference §1): OAuth 2 authorization-code grant.
 *
 *   1. redirect the merchant to `authorizeUrl(...)` (`https://secure.retail.lightspeed.app/connect?...`);
 *   2. the callback brings `code`, `domain_prefix` and `state` (`parseCallback`);
 *   3. `exchangeCode` POSTs the code to `https://{domain_prefix}.retail.lightspeed.app/api/1.0/token`
 *      (form body, parameters never in the URL) and returns the tokens and the store's domain prefix;
 *   4. `apiBaseUrlFor(domainPrefix)` is the origin the XSeriesClient talks to.
 *
 * The simulator serves `/connect`, `/api/1.0/token` and the API on its own origin, so when a simulator URL is
 * configured every URL here is that origin instead of Lightspeed's hosts.
 */
import { AppError } from '../../core/errors.ts';
import { createOAuth2Client, type OAuth2Tokens } from '../shared/oauth2.ts';
import type { HttpLogger } from '../shared/http.ts';
import type { Clock } from '../shared/rate-governor.ts';
import { VENDOR } from './client.ts';

export const LIGHTSPEED_AUTH_BASE_URL = 'https://secure.retail.lightspeed.app';

/**
 * What the purchase-order export needs (declared scopes from the 2026-07 spec, the rest from the scope list [T]).
 * Scope is mandatory on /connect for new connections from 2026-06-01.
 */
export const PURCHASE_ORDER_SCOPES: readonly string[] = [
  'outlets:read',
  'products:read',
  'products:write',
  'suppliers:read',
  'suppliers:write',
  'consignments:read',
  'consignments:write:stock_order',
];

export interface SimulatorOption {
  /** The X-Series simulator's origin: when set, it replaces every Lightspeed host. */
  simulatorUrl?: string | null;
}

/** Domain prefixes are store sub-domains. Anything else (it comes from a callback URL) is refused. */
export function assertDomainPrefix(domainPrefix: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(domainPrefix)) {
    throw new AppError('CONNECTION_INVALID', `"${domainPrefix}" is not an X-Series domain prefix`);
  }
  return domainPrefix.toLowerCase();
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** The store's API origin: `https://{domain_prefix}.retail.lightspeed.app`, or the simulator's origin. */
export function apiBaseUrlFor(domainPrefix: string, options: SimulatorOption = {}): string {
  if (options.simulatorUrl) return trimSlash(options.simulatorUrl);
  return `https://${assertDomainPrefix(domainPrefix)}.retail.lightspeed.app`;
}

/** The token endpoint of a store (code exchange and refresh). */
export function tokenUrlFor(domainPrefix: string, options: SimulatorOption = {}): string {
  return `${apiBaseUrlFor(domainPrefix, options)}/api/1.0/token`;
}

/** Where `/connect` lives: Lightspeed's secure host, or the simulator. */
export function authBaseUrlFor(options: SimulatorOption = {}): string {
  return options.simulatorUrl ? trimSlash(options.simulatorUrl) : LIGHTSPEED_AUTH_BASE_URL;
}

export interface AuthorizeUrlInput {
  /** `https://secure.retail.lightspeed.app` or the simulator's origin (see `authBaseUrlFor`). */
  authBaseUrl: string;
  clientId: string;
  redirectUri: string;
  /** At least 8 characters ([T] §1); unguessable, checked on the callback. */
  state: string;
  /** Default PURCHASE_ORDER_SCOPES. */
  scopes?: readonly string[];
}

export function authorizeUrl(input: AuthorizeUrlInput): string {
  if (input.state.length < 8) throw new AppError('INVALID_INPUT', 'OAuth state must be at least 8 characters');
  const url = new URL(`${trimSlash(input.authBaseUrl)}/connect`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('state', input.state);
  url.searchParams.set('scope', (input.scopes ?? PURCHASE_ORDER_SCOPES).join(' '));
  return url.toString();
}

export type CallbackResult =
  | { ok: true; code: string; domainPrefix: string; state: string; scope: string | null }
  | { ok: false; error: string; description: string | null; state: string | null };

/** Reads the redirect back from /connect. Checking `state` against the one sent is the caller's job. */
export function parseCallback(callbackUrl: string | URL): CallbackResult {
  const q = new URL(callbackUrl).searchParams;
  const error = q.get('error');
  if (error !== null) return { ok: false, error, description: q.get('error_description'), state: q.get('state') };
  const code = q.get('code');
  const domainPrefix = q.get('domain_prefix');
  const state = q.get('state');
  if (!code || !domainPrefix || !state) {
    return { ok: false, error: 'invalid_callback', description: 'code, domain_prefix and state are required', state };
  }
  return { ok: true, code, domainPrefix: assertDomainPrefix(domainPrefix), state, scope: q.get('scope') };
}

export interface ExchangeCodeInput {
  /** From `tokenUrlFor(domainPrefix, …)`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  code: string;
  /** The same redirect URI the authorize request used. */
  redirectUri: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  clock?: Clock;
  logger?: HttpLogger;
}

export interface LinkedStore {
  tokens: OAuth2Tokens;
  /** From the token response (authoritative), else from the token URL's host. */
  domainPrefix: string;
}

/**
 * Exchanges the one-time code. Throws RemoteAuthLost for invalid_grant (used, expired or foreign code),
 * RemoteRejected for other refusals. Never retried: a code is single use.
 */
export async function exchangeCode(input: ExchangeCodeInput): Promise<LinkedStore> {
  const client = createOAuth2Client({
    name: VENDOR,
    authorizeUrl: LIGHTSPEED_AUTH_BASE_URL + '/connect',
    tokenUrl: input.tokenUrl,
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    redirectUri: input.redirectUri,
    tokenRequestFormat: 'form',
    defaultTtlSeconds: 86_400,
    timeoutMs: input.timeoutMs,
    fetch: input.fetch,
    clock: input.clock,
    logger: input.logger,
  });
  const tokens = await client.exchangeCode({ code: input.code, redirectUri: input.redirectUri });
  const fromReply = tokens.extra?.domain_prefix;
  const fromHost = /^([^.]+)\.retail\.lightspeed\.app$/i.exec(new URL(input.tokenUrl).hostname)?.[1];
  const domainPrefix = typeof fromReply === 'string' && fromReply !== '' ? fromReply : fromHost;
  if (domainPrefix === undefined) {
    throw new AppError('LINK_REPLY_INCOMPLETE', 'the token response did not name the store (domain_prefix)');
  }
  return { tokens, domainPrefix: assertDomainPrefix(domainPrefix) };
}
