import { z } from 'zod';
import type { OAuth2Tokens, TokenStore } from '../../core/ports/connection.ts';
import { RemoteAuthLost, RemoteRejected } from './errors.ts';
import { createHttpClient, type HttpClient, type HttpLogger } from './http.ts';
import { systemClock, type Clock } from './rate-governor.ts';

/**
 * OAuth 2 authorization-code client with ROTATING refresh tokens (Lightspeed X-Series and R-Series).
 *
 * A refresh spends the refresh token, so it runs under a per-connection lock of the `TokenStore`: inside the
 * lock the tokens are read again, and if another process refreshed meanwhile its result is used instead of
 * spending the (now dead) refresh token a second time. `invalid_grant` → `RemoteAuthLost`.
 */

// The token types are the ports' (core/ports/connection.ts): the store keeps tokens, connectors use them.
export type { OAuth2Tokens, TokenStore } from '../../core/ports/connection.ts';

/** For tests and single-process runs: a promise-chain lock per connection. */
export class InMemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, OAuth2Tokens>();
  private readonly locks = new Map<string, Promise<void>>();

  async read(connectionId: string): Promise<OAuth2Tokens | null> {
    const t = this.tokens.get(connectionId);
    return t === undefined ? null : structuredClone(t);
  }

  async write(connectionId: string, tokens: OAuth2Tokens): Promise<void> {
    this.tokens.set(connectionId, structuredClone(tokens));
  }

  async withLock<T>(connectionId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(connectionId) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.locks.set(connectionId, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(connectionId) === tail) this.locks.delete(connectionId);
    }
  }
}

export interface OAuth2ClientConfig {
  /** Vendor name for errors and logs. */
  name: string;
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  redirectUri?: string;
  /** Space-delimited in the URL (URLSearchParams writes spaces as `+`, which is what R-Series wants too). */
  scopes?: readonly string[];
  /** X-Series takes a form body; R-Series JSON or form. Default `form`. */
  tokenRequestFormat?: 'form' | 'json';
  /** Used when the token response has neither `expires_in` nor `expires`. Default 3600 s. */
  defaultTtlSeconds?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  clock?: Clock;
  logger?: HttpLogger;
}

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().optional(),
  /** X-Series: absolute expiry in epoch seconds. */
  expires: z.coerce.number().optional(),
  refresh_token: z.string().optional(),
  scope: z.string().optional(),
});

export interface OAuth2Client {
  authorizeUrl(input: { state: string; codeChallenge?: string; extraParams?: Record<string, string> }): string;
  exchangeCode(input: { code: string; codeVerifier?: string; redirectUri?: string }): Promise<OAuth2Tokens>;
  /** One raw refresh call. Prefer `TokenManager`, which holds the lock. */
  refresh(refreshToken: string): Promise<OAuth2Tokens>;
}

export function createOAuth2Client(config: OAuth2ClientConfig): OAuth2Client {
  const clock = config.clock ?? systemClock;
  const tokenUrl = new URL(config.tokenUrl);
  const http: HttpClient = createHttpClient({
    baseUrl: tokenUrl.origin,
    name: config.name,
    timeoutMs: config.timeoutMs ?? 15_000,
    // A token POST spends a code or a refresh token: never resent by the transport.
    retry: { attempts: 1, baseMs: 0, capMs: 0 },
    fetch: config.fetch,
    clock,
    logger: config.logger,
  });

  async function tokenRequest(params: Record<string, string>, previousRefresh?: string): Promise<OAuth2Tokens> {
    const withClient: Record<string, string> = { ...params, client_id: config.clientId };
    if (config.clientSecret !== undefined) withClient.client_secret = config.clientSecret;
    try {
      const reply = await http.request({
        method: 'POST',
        path: tokenUrl.pathname + tokenUrl.search,
        ...(config.tokenRequestFormat === 'json' ? { body: withClient } : { form: withClient }),
        schema: tokenResponseSchema,
      });
      const now = clock.now();
      const { access_token, token_type, expires_in, expires, refresh_token, scope, ...extra } = reply;
      const expiresAt =
        expires_in !== undefined
          ? now + expires_in * 1000
          : expires !== undefined
            ? expires * 1000
            : now + (config.defaultTtlSeconds ?? 3600) * 1000;
      return {
        accessToken: access_token,
        refreshToken: refresh_token ?? previousRefresh,
        expiresAt,
        tokenType: token_type,
        scope,
        extra,
      };
    } catch (error) {
      if (error instanceof RemoteRejected && (error.vendorCode === 'invalid_grant' || error.status === 401)) {
        throw new RemoteAuthLost({
          vendor: config.name,
          method: 'POST',
          path: tokenUrl.pathname,
          detail: error.vendorCode,
          cause: error,
        });
      }
      throw error;
    }
  }

  return {
    authorizeUrl({ state, codeChallenge, extraParams }) {
      const url = new URL(config.authorizeUrl);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', config.clientId);
      if (config.redirectUri !== undefined) url.searchParams.set('redirect_uri', config.redirectUri);
      if (config.scopes && config.scopes.length > 0) url.searchParams.set('scope', config.scopes.join(' '));
      url.searchParams.set('state', state);
      if (codeChallenge !== undefined) {
        url.searchParams.set('code_challenge', codeChallenge);
        url.searchParams.set('code_challenge_method', 'S256');
      }
      for (const [k, v] of Object.entries(extraParams ?? {})) url.searchParams.set(k, v);
      return url.toString();
    },

    exchangeCode({ code, codeVerifier, redirectUri }) {
      const params: Record<string, string> = { grant_type: 'authorization_code', code };
      const redirect = redirectUri ?? config.redirectUri;
      if (redirect !== undefined) params.redirect_uri = redirect;
      if (codeVerifier !== undefined) params.code_verifier = codeVerifier;
      return tokenRequest(params);
    },

    refresh(refreshToken) {
      return tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }, refreshToken);
    },
  };
}

export interface TokenManager {
  /** A valid access token, refreshed (under the lock) when it expires within the skew. */
  accessToken(): Promise<string>;
  /**
   * After a 401: refresh unless another caller already replaced `staleAccessToken`. Resolves the new token.
   * Throws RemoteAuthLost when there is nothing to refresh with or the grant is gone.
   */
  refreshAfterUnauthorized(staleAccessToken?: string): Promise<string>;
}

export function createTokenManager(options: {
  client: OAuth2Client;
  store: TokenStore;
  connectionId: string;
  vendor: string;
  /** Refresh this long before expiry. Default 60 s. */
  skewMs?: number;
  clock?: Clock;
}): TokenManager {
  const clock = options.clock ?? systemClock;
  const skew = options.skewMs ?? 60_000;
  const id = options.connectionId;

  const lost = (detail: string): RemoteAuthLost => new RemoteAuthLost({ vendor: options.vendor, detail });
  const fresh = (t: OAuth2Tokens): boolean => t.expiresAt - skew > clock.now();

  async function refreshLocked(shouldRefresh: (current: OAuth2Tokens) => boolean): Promise<string> {
    return options.store.withLock(id, async () => {
      const current = await options.store.read(id);
      if (!current) throw lost('no tokens stored');
      if (!shouldRefresh(current)) return current.accessToken;
      if (!current.refreshToken) throw lost('no refresh token');
      const next = await options.client.refresh(current.refreshToken);
      await options.store.write(id, next);
      return next.accessToken;
    });
  }

  return {
    async accessToken() {
      const current = await options.store.read(id);
      if (!current) throw lost('no tokens stored');
      if (fresh(current)) return current.accessToken;
      return refreshLocked((t) => !fresh(t));
    },
    refreshAfterUnauthorized(staleAccessToken) {
      return refreshLocked((t) => staleAccessToken === undefined || t.accessToken === staleAccessToken);
    },
  };
}

/**
 * Wires a TokenManager into the HTTP client: `authorize` sends the bearer token and `onUnauthorized`
 * refreshes once.
 */
export function bearerAuth(manager: TokenManager): {
  authorize: () => Promise<Record<string, string>>;
  onUnauthorized: (sent: { headers: Readonly<Record<string, string>> }) => Promise<boolean>;
} {
  return {
    authorize: async () => ({ authorization: `Bearer ${await manager.accessToken()}` }),
    onUnauthorized: async ({ headers }) => {
      const sent = /^Bearer (.+)$/i.exec(headers.authorization ?? '')?.[1];
      await manager.refreshAfterUnauthorized(sent);
      return true;
    },
  };
}
