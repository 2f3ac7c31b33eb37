import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { knownScopes, pkceChallenge, type Core } from './core.ts';
import type { TokenRec } from './model.ts';

/**
 * The OAuth 2.0 authorization server of reference §1 (`cloud.lightspeedapp.com/auth/oauth/*`), served on the
 * simulator's own host: authorize page, token endpoint (authorization_code and rotating refresh_token
 * grants, JSON or form bodies), revoke, introspect and JWKS. Error bodies follow the OAuth server's shape
 * `{error, error_description, hint, message}`.
 */

const descriptions: Record<string, string> = {
  invalid_request:
    'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.',
  invalid_client: 'Client authentication failed',
  invalid_grant:
    'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
  invalid_scope: 'The requested scope is invalid, unknown, or malformed',
  access_denied: 'The resource owner or authorization server denied the request.',
  method_not_allowed: 'Method not allowed.',
};

export function oauthError(c: Context, status: number, error: string, hint?: string): Response {
  const description = descriptions[error] ?? error;
  return c.json(
    { error, error_description: description, ...(hint ? { hint } : {}), message: description },
    status as 400,
  );
}

/** The 401 the resource server answers for a missing, invalid, revoked or expired token (§1). */
export function accessDenied(c: Context, hint: string): Response {
  return oauthError(c, 401, 'access_denied', hint);
}

export type Authenticated = { ok: true; token: TokenRec; raw: string } | { ok: false; hint: string };

/** Checks the bearer token. Its first use revokes the refresh token it was rotated from (§1, changelog 2026.01.15). */
export function authenticate(core: Core, authorization: string | undefined): Authenticated {
  if (!authorization) return { ok: false, hint: 'Missing "Authorization" header' };
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!match?.[1]) return { ok: false, hint: 'Missing "Authorization" header' };
  const raw = match[1].trim();
  const token = core.store.accessTokens.get(raw);
  if (!token) return { ok: false, hint: 'Access token could not be verified' };
  if (token.revoked) return { ok: false, hint: 'Access token has been revoked' };
  if (core.clock.now() >= token.expiresMs) return { ok: false, hint: 'Access token could not be verified' };
  if (!token.used) {
    token.used = true;
    if (token.fromRefresh) {
      const parent = core.store.refreshTokens.get(token.fromRefresh);
      if (parent) parent.revoked = true;
    }
  }
  return { ok: true, token, raw };
}

async function readParams(c: Context): Promise<Record<string, string> | undefined> {
  const type = c.req.header('content-type') ?? '';
  try {
    if (type.includes('application/json')) {
      const body: unknown = await c.req.json();
      if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
      return Object.fromEntries(
        Object.entries(body).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]),
      );
    }
    if (type.includes('multipart/form-data') || type.includes('application/x-www-form-urlencoded')) {
      const body = await c.req.parseBody();
      return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
    }
    const text = await c.req.text();
    if (text.trim() === '') return {};
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object') return undefined;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    return undefined;
  }
}

export function mountOAuth(app: Hono, core: Core): void {
  app.get('/auth/oauth/authorize', (c) => {
    const q = c.req.query();
    const client = core.client(q.client_id ?? '');
    if (!client) return c.html(errorPage('invalid_client', 'Unknown client_id.'), 400);
    const redirect = resolveRedirect(client.redirectUri, q.redirect_uri);
    if ('error' in redirect) return c.html(errorPage('invalid_request', redirect.error), 400);
    const state = q.state ?? '';
    if (q.response_type !== 'code')
      return c.redirect(withParams(redirect.uri, { error: 'unsupported_response_type', state }), 302);
    const scope = (q.scope ?? 'employee:all').split(/[+ ]/).filter(Boolean).join(' ');
    if (scope === '' || scope.split(' ').some((s) => !knownScopes.includes(s))) {
      return c.redirect(
        withParams(redirect.uri, {
          error: 'invalid_scope',
          error_description: descriptions.invalid_scope ?? '',
          state,
        }),
        302,
      );
    }
    const method = q.code_challenge_method ?? (q.code_challenge ? 'plain' : '');
    if (q.code_challenge && method !== 'S256' && method !== 'plain') {
      return c.redirect(
        withParams(redirect.uri, {
          error: 'invalid_request',
          error_description: 'Code challenge method must be `plain` or `S256`',
          state,
        }),
        302,
      );
    }
    return c.html(
      html`<!doctype html>
        <html lang="en">
          <head>
            <meta charset="utf-8" />
            <title>Authorize ${client.name} · Lightspeed Retail (simulator)</title>
            <style>
              body {
                font-family: system-ui, sans-serif;
                max-width: 32rem;
                margin: 4rem auto;
                color: #1d2433;
              }
              .card {
                border: 1px solid #d6dae1;
                border-radius: 0.5rem;
                padding: 1.5rem;
              }
              button {
                font: inherit;
                padding: 0.4rem 1.2rem;
                margin-right: 0.5rem;
              }
              code {
                background: #eef1f5;
                padding: 0 0.25rem;
              }
            </style>
          </head>
          <body>
            <div class="card">
              <h1>Lightspeed Retail</h1>
              <p>
                <strong>${client.name}</strong> wants to access the account
                <strong>${core.store.account.name}</strong> (account ID
                <code id="account-id">${core.store.account.accountID}</code>).
              </p>
              <p>Requested access: ${scope.split(' ').map((s) => html`<code>${s}</code> `)}</p>
              <form method="post" action="/auth/oauth/authorize">
                <input type="hidden" name="client_id" value="${client.clientId}" />
                <input type="hidden" name="redirect_uri" value="${redirect.uri}" />
                <input type="hidden" name="scope" value="${scope}" />
                <input type="hidden" name="state" value="${state}" />
                <input type="hidden" name="code_challenge" value="${q.code_challenge ?? ''}" />
                <input type="hidden" name="code_challenge_method" value="${q.code_challenge ? method : ''}" />
                <button type="submit" name="decision" value="allow" id="allow">Allow</button>
                <button type="submit" name="decision" value="deny" id="deny">Deny</button>
              </form>
            </div>
          </body>
        </html>`,
    );
  });

  app.post('/auth/oauth/authorize', async (c) => {
    const p = (await readParams(c)) ?? {};
    const client = core.client(p.client_id ?? '');
    if (!client) return c.html(errorPage('invalid_client', 'Unknown client_id.'), 400);
    const redirect = resolveRedirect(client.redirectUri, p.redirect_uri);
    if ('error' in redirect) return c.html(errorPage('invalid_request', redirect.error), 400);
    const state = p.state ?? '';
    if (p.decision !== 'allow') {
      return c.redirect(
        withParams(redirect.uri, {
          error: 'access_denied',
          error_description: descriptions.access_denied ?? '',
          state,
        }),
        302,
      );
    }
    const scope = (p.scope ?? 'employee:all').trim() || 'employee:all';
    const code = core.newCode();
    core.store.codes.set(code, {
      clientId: client.clientId,
      accountID: core.store.account.accountID,
      scope,
      redirectUri: redirect.uri,
      expiresMs: core.clock.now() + core.config.codeLifetimeSeconds * 1000,
      codeChallenge: p.code_challenge || null,
      codeChallengeMethod: p.code_challenge ? p.code_challenge_method || 'plain' : null,
      used: false,
    });
    return c.redirect(withParams(redirect.uri, { code, state }), 302);
  });

  app.post('/auth/oauth/token', async (c) => {
    const p = await readParams(c);
    if (!p) return oauthError(c, 400, 'invalid_request', 'The request body could not be parsed');
    const basic = parseBasic(c.req.header('authorization'));
    const clientId = p.client_id || basic?.id || '';
    const clientSecret = p.client_secret || basic?.secret || '';
    if (!p.grant_type) return oauthError(c, 400, 'invalid_request', 'Check the `grant_type` parameter');
    if (p.grant_type !== 'authorization_code' && p.grant_type !== 'refresh_token')
      return oauthError(c, 400, 'unsupported_grant_type', 'Check that all required parameters have been provided');
    if (!clientId) return oauthError(c, 400, 'invalid_request', 'Check the `client_id` parameter');
    const client = core.client(clientId);
    // "Publicly distributed" clients using PKCE may omit the secret (§1); otherwise it must match.
    const publicPkce = p.grant_type === 'authorization_code' && !clientSecret && Boolean(p.code_verifier);
    if (!client || (!publicPkce && clientSecret !== client.clientSecret)) return oauthError(c, 401, 'invalid_client');
    const now = core.clock.now();

    if (p.grant_type === 'authorization_code') {
      if (!p.code) return oauthError(c, 400, 'invalid_request', 'Check the `code` parameter');
      const code = core.store.codes.get(p.code);
      if (!code) return oauthError(c, 400, 'invalid_grant', 'Cannot decrypt the authorization code');
      if (code.used) return oauthError(c, 400, 'invalid_grant', 'Authorization code has been revoked');
      if (now >= code.expiresMs) return oauthError(c, 400, 'invalid_grant', 'Authorization code has expired');
      if (code.clientId !== client.clientId)
        return oauthError(c, 400, 'invalid_grant', 'Authorization code was not issued to this client');
      if (p.redirect_uri && p.redirect_uri !== code.redirectUri)
        return oauthError(c, 400, 'invalid_grant', 'Invalid redirect URI');
      if (code.codeChallenge) {
        if (!p.code_verifier) return oauthError(c, 400, 'invalid_request', 'Check the `code_verifier` parameter');
        if (pkceChallenge(p.code_verifier, code.codeChallengeMethod) !== code.codeChallenge)
          return oauthError(c, 400, 'invalid_grant', 'Failed to verify `code_verifier`.');
      } else if (publicPkce) {
        return oauthError(c, 401, 'invalid_client');
      }
      code.used = true;
      const issued = core.issueTokens(client.clientId, code.scope, null);
      return c.json({
        token_type: 'Bearer',
        expires_in: issued.expiresIn,
        access_token: issued.accessToken,
        refresh_token: issued.refreshToken,
      });
    }

    if (!p.refresh_token) return oauthError(c, 400, 'invalid_request', 'Check the `refresh_token` parameter');
    const refresh = core.store.refreshTokens.get(p.refresh_token);
    if (!refresh) return oauthError(c, 400, 'invalid_grant', 'Cannot decrypt the refresh token');
    if (refresh.clientId !== client.clientId)
      return oauthError(c, 400, 'invalid_grant', 'Token is not linked to client');
    if (refresh.revoked) return oauthError(c, 400, 'invalid_grant', 'Token has been revoked');
    if (now - refresh.lastUsedMs >= core.config.refreshTokenLifetimeSeconds * 1000)
      return oauthError(c, 400, 'invalid_grant', 'Token has expired');
    refresh.lastUsedMs = now;
    // Rotation (§1): a new pair every time; the old refresh token stays usable until the new access token is used.
    const issued = core.issueTokens(client.clientId, refresh.scope, p.refresh_token);
    return c.json({
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      access_token: issued.accessToken,
      refresh_token: issued.refreshToken,
    });
  });
  app.all('/auth/oauth/token', (c) => oauthError(c, 405, 'method_not_allowed'));

  app.post('/auth/oauth/revoke', async (c) => {
    const p = await readParams(c);
    if (!p) return oauthError(c, 400, 'invalid_request', 'The request body could not be parsed');
    const client = core.client(p.client_id ?? '');
    if (!client || p.client_secret !== client.clientSecret) return oauthError(c, 401, 'invalid_client');
    const raw = p.refresh_token ?? p.token ?? '';
    if (!raw) return oauthError(c, 400, 'invalid_request', 'Check the `refresh_token` parameter');
    const refresh = core.store.refreshTokens.get(raw);
    if (!refresh || refresh.clientId !== client.clientId)
      return oauthError(c, 400, 'invalid_grant', 'Cannot decrypt the refresh token');
    refresh.revoked = true;
    const access = core.store.accessTokens.get(refresh.accessToken);
    if (access) access.revoked = true;
    // [I] The reference does not show the revoke reply body; an empty JSON object with 200 is assumed.
    return c.json({});
  });

  app.get('/auth/oauth/introspect', (c) => {
    const auth = authenticate(core, c.req.header('authorization'));
    if (!auth.ok) return accessDenied(c, auth.hint);
    const t = auth.token;
    return c.json({
      active: true,
      scope: t.scope,
      client_id: t.clientId,
      token_type: 'Bearer',
      exp: Math.floor(t.expiresMs / 1000),
      iat: Math.floor(t.issuedMs / 1000),
      sub: '1',
      aud: t.clientId,
      iss: 'https://cloud.lightspeedapp.com',
      acct: t.accountID,
    });
  });

  app.get('/.well-known/jwks', (c) => c.json(core.jwks()));
}

function resolveRedirect(registered: string | null, given: string | undefined): { uri: string } | { error: string } {
  if (registered) {
    if (given && given !== registered) return { error: 'redirect_uri does not match the registered redirect URI.' };
    return { uri: registered };
  }
  if (!given) return { error: 'redirect_uri is required (this simulated client has no registered redirect URI).' };
  if (given.includes('#')) return { error: 'redirect_uri must not contain a fragment.' };
  try {
    const url = new URL(given);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: 'redirect_uri must be an http(s) URL.' };
  } catch {
    return { error: 'redirect_uri is not a valid URL.' };
  }
  return { uri: given };
}

function withParams(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== '' || k === 'code') url.searchParams.set(k, v);
  return url.toString();
}

function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

function errorPage(error: string, message: string): ReturnType<typeof html> {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Authorization error</title>
      </head>
      <body>
        <h1>Authorization error</h1>
        <p><code>${error}</code>: ${message}</p>
      </body>
    </html>`;
}
