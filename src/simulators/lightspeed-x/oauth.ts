/**
 * OAuth 2 authorization-code flow (§1): the authorize page (`/connect`, served on the sim's own host instead
 * of secure.retail.lightspeed.app), the token endpoint (`POST /api/1.0/token`, form-encoded, parameters in the
 * body only) with code exchange and rotating refresh tokens, and bearer-token checks for the API.
 */
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { OAuthClient, XConfig } from './config.ts';
import type { XDb } from './db.ts';
import { tokenFrom } from './ids.ts';
import type { TokenRec } from './state.ts';

export interface TokenPair {
  access_token: string;
  token_type: 'Bearer';
  expires: number;
  expires_in: number;
  refresh_token: string;
  domain_prefix: string;
  scope: string;
}

export function mintTokens(db: XDb, config: XConfig, clientId: string, scope: string, ttlSeconds?: number): TokenPair {
  const now = db.clock.now();
  const n = ++db.sequence;
  const access = tokenFrom(`access:${db.retailer.domain_prefix}:${clientId}:${n}:${now}`);
  const refresh = tokenFrom(`refresh:${db.retailer.domain_prefix}:${clientId}:${n}:${now}`);
  const ttl = ttlSeconds ?? config.accessTokenTtlSeconds;
  db.oauth.accessTokens[access] = { client_id: clientId, scope, expires_at: now + ttl * 1000 };
  db.oauth.refreshTokens[refresh] = { client_id: clientId, scope, used_at: null };
  return {
    access_token: access,
    token_type: 'Bearer',
    expires: Math.floor((now + ttl * 1000) / 1000),
    expires_in: ttl,
    refresh_token: refresh,
    domain_prefix: db.retailer.domain_prefix,
    scope,
  };
}

/** `{"error":"Access token is not valid"}` (§6) for a missing, unknown or expired bearer token. */
export function invalidToken(c: Context): Response {
  return c.json({ error: 'Access token is not valid' }, 401, { 'WWW-Authenticate': 'Bearer' });
}

export function checkBearer(db: XDb, header: string | undefined): TokenRec | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const token = db.oauth.accessTokens[match[1] as string];
  if (!token || token.expires_at <= db.clock.now()) return undefined;
  return token;
}

function findClient(config: XConfig, clientId: string | undefined): OAuthClient | undefined {
  return config.clients.find((c) => c.client_id === clientId);
}

function redirectAllowed(client: OAuthClient, uri: string): boolean {
  if (!/^https?:\/\//i.test(uri)) return false;
  return client.redirect_uris.length === 0 || client.redirect_uris.includes(uri);
}

function withParams(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

export function mountOAuth(app: Hono, db: XDb, getConfig: () => XConfig): void {
  const page = (title: string, body: unknown, status = 200): Response =>
    new Response(
      String(
        html`<!doctype html>
          <html lang="en">
            <head>
              <meta charset="utf-8" />
              <title>${title} · Lightspeed Retail (simulator)</title>
              <style>
                body {
                  font-family: system-ui, sans-serif;
                  background: #f6f7f9;
                  color: #1d2433;
                  display: flex;
                  justify-content: center;
                  padding: 3rem;
                }
                main {
                  background: #fff;
                  padding: 2rem;
                  border-radius: 0.5rem;
                  max-width: 30rem;
                  box-shadow: 0 1px 4px #0002;
                }
                button {
                  font: inherit;
                  padding: 0.5rem 1.5rem;
                  margin-right: 0.5rem;
                }
              </style>
            </head>
            <body>
              <main>${body}</main>
            </body>
          </html>`,
      ),
      { status, headers: { 'content-type': 'text/html; charset=utf-8' } },
    );

  /** Checks the authorize parameters; an error either renders (bad client/redirect) or redirects back. */
  const validate = (
    q: Record<string, string | undefined>,
  ):
    | { ok: true; client: OAuthClient; redirect: string; state: string; scope: string }
    | { ok: false; response: Response } => {
    const config = getConfig();
    const client = findClient(config, q.client_id);
    if (!client)
      return {
        ok: false,
        response: page(
          'Error',
          html`<h1>Unknown application</h1>
            <p>The client_id is not valid.</p>`,
          400,
        ),
      };
    const redirect = q.redirect_uri ?? '';
    if (!redirectAllowed(client, redirect))
      return {
        ok: false,
        response: page(
          'Error',
          html`<h1>Invalid redirect_uri</h1>
            <p>The redirect URI does not match the application.</p>`,
          400,
        ),
      };
    const state = q.state ?? '';
    const back = (error: string, description: string): { ok: false; response: Response } => ({
      ok: false,
      response: new Response(null, {
        status: 302,
        headers: {
          location: withParams(redirect, { error, error_description: description, ...(state ? { state } : {}) }),
        },
      }),
    });
    if (q.response_type !== 'code') return back('unsupported_response_type', 'response_type must be code');
    // [T] §1: state is required and at least 8 characters.
    if (state.length < 8) return back('invalid_request', 'state must be at least 8 characters');
    const scope = (q.scope ?? '').trim();
    if (config.requireScope && scope === '') return back('access_denied', 'The scope parameter is required');
    return { ok: true, client, redirect, state, scope };
  };

  app.get('/connect', (c) => {
    const q = c.req.query();
    const checked = validate(q);
    if (!checked.ok) return checked.response;
    return page(
      'Connect',
      html`<h1>Connect to ${db.retailer.name}</h1>
        <p>
          <strong>${checked.client.client_id}</strong> wants to access your store
          <code>${db.retailer.domain_prefix}</code>.
        </p>
        <p>Scopes: <code>${checked.scope || '(none)'}</code></p>
        <form method="post" action="/connect">
          ${['response_type', 'client_id', 'redirect_uri', 'state', 'scope'].map((k) => html`<input type="hidden" name="${k}" value="${q[k] ?? ''}" />`)}
          <button name="decision" value="allow" type="submit">Allow</button>
          <button name="decision" value="deny" type="submit">Cancel</button>
        </form>`,
    );
  });

  app.post('/connect', async (c) => {
    const form = Object.fromEntries(new URLSearchParams(await c.req.text())) as Record<string, string | undefined>;
    const checked = validate(form);
    if (!checked.ok) return checked.response;
    if (form.decision !== 'allow') {
      return c.redirect(
        withParams(checked.redirect, {
          error: 'access_denied',
          error_description: 'The user denied access',
          state: checked.state,
        }),
        302,
      );
    }
    const now = db.clock.now();
    const code = tokenFrom(`code:${db.retailer.domain_prefix}:${++db.sequence}:${now}`);
    db.oauth.codes[code] = {
      client_id: checked.client.client_id,
      redirect_uri: checked.redirect,
      scope: checked.scope,
      expires_at: now + getConfig().codeTtlSeconds * 1000,
      used_at: null,
    };
    return c.redirect(
      withParams(checked.redirect, {
        code,
        domain_prefix: db.retailer.domain_prefix,
        state: checked.state,
        ...(checked.scope ? { scope: checked.scope } : {}),
      }),
      302,
    );
  });

  app.post('/api/1.0/token', async (c) => {
    const oauthError = (status: 400 | 401, error: string, description: string): Response =>
      c.json({ error, error_description: description }, status);
    const url = new URL(c.req.url);
    // Since 2017-04 the parameters must be in the body, never the URL (§1 step 3).
    if (['client_secret', 'code', 'refresh_token'].some((k) => url.searchParams.has(k)))
      return oauthError(400, 'invalid_request', 'Parameters must be sent in the request body');
    const type = c.req.header('content-type') ?? '';
    const raw = await c.req.text();
    let form: Record<string, string>;
    if (type.includes('application/json')) {
      // [I] The documented body is form-encoded; JSON is accepted too.
      try {
        form = JSON.parse(raw) as Record<string, string>;
      } catch {
        return oauthError(400, 'invalid_request', 'Malformed request body');
      }
    } else form = Object.fromEntries(new URLSearchParams(raw));
    const config = getConfig();
    const client = findClient(config, form.client_id);
    if (!client || client.client_secret !== form.client_secret)
      return oauthError(401, 'invalid_client', 'Client authentication failed');
    const now = db.clock.now();
    if (form.grant_type === 'authorization_code') {
      const code = db.oauth.codes[form.code ?? ''];
      if (!code || code.client_id !== client.client_id)
        return oauthError(400, 'invalid_grant', 'The authorization code is not valid');
      if (code.used_at !== null)
        return oauthError(400, 'invalid_grant', 'The authorization code has already been used');
      if (code.expires_at <= now) return oauthError(400, 'invalid_grant', 'The authorization code has expired');
      if ((form.redirect_uri ?? '') !== code.redirect_uri)
        return oauthError(400, 'invalid_grant', 'The redirect_uri does not match');
      code.used_at = now;
      return c.json(mintTokens(db, config, client.client_id, code.scope));
    }
    if (form.grant_type === 'refresh_token') {
      const refresh = db.oauth.refreshTokens[form.refresh_token ?? ''];
      if (!refresh || refresh.client_id !== client.client_id)
        return oauthError(400, 'invalid_grant', 'The refresh token is not valid');
      // Refresh tokens rotate (changelog 2025-03): the one just used is revoked.
      if (refresh.used_at !== null) return oauthError(400, 'invalid_grant', 'The refresh token has been revoked');
      refresh.used_at = now;
      return c.json(mintTokens(db, config, client.client_id, refresh.scope));
    }
    return oauthError(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  });
}
