import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Config } from '../config.ts';
import { errorStatus } from '../core/error-codes.ts';
import { AppError } from '../core/errors.ts';
import type { HttpEnv } from './env.ts';

/** Sign-in needs an email and a password: 16 KB is plenty, and an unauthenticated body stays cheap. */
export const LOGIN_BODY_LIMIT_BYTES = 16 * 1024;

/**
 * The web app is one origin's scripts and styles, and is never framed. Images may come from the POS or
 * NuORDER (https) or be inlined; the API answers only its own origin's scripts.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Security headers on every response; `no-store` on everything that is not a static asset. */
export function securityHeaders(config: Config): MiddlewareHandler<HttpEnv> {
  const https = config.publicUrl.startsWith('https://');
  return async (c, next) => {
    await next();
    c.header('content-security-policy', CONTENT_SECURITY_POLICY);
    c.header('x-content-type-options', 'nosniff');
    c.header('x-frame-options', 'DENY');
    c.header('referrer-policy', 'no-referrer');
    c.header('cross-origin-opener-policy', 'same-origin');
    c.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    if (https) c.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // API answers carry tenant data: never kept by a browser or a shared cache. Hashed assets may be; the web
    // app's index.html (no tenant data) is `no-cache`, revalidated on every load (web-assets.ts).
    const webPage = !c.req.path.startsWith('/api/') && c.res.headers.get('cache-control') === 'no-cache';
    if (!c.req.path.startsWith('/assets/') && !webPage) c.header('cache-control', 'no-store');
  };
}

/** A 413 that names the limit; the rest of the body is not read, and the connection is closed. */
export function limitBody(maxBytes: number): MiddlewareHandler<HttpEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      c.header('connection', 'close');
      return c.json(
        {
          error: {
            code: 'BODY_TOO_LARGE',
            message: `The request body is larger than the ${describeSize(maxBytes)} this endpoint accepts`,
            requestId: c.get('requestId'),
          },
        },
        errorStatus('BODY_TOO_LARGE'),
      );
    },
  });
}

/**
 * Login CSRF: a cross-site page can post a form or `text/plain` without a preflight, and would sign the
 * victim in as the attacker. Sign-in takes JSON only, and refuses a request that the browser says came
 * from another site (Sec-Fetch-Site) or that names another origin (Origin).
 */
export function refuseCrossSiteLogin(config: Config): MiddlewareHandler<HttpEnv> {
  const ownOrigin = new URL(config.publicUrl).origin;
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json')
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Sign in with a JSON body (Content-Type: application/json)');
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const sameSite = site === undefined || site === 'same-origin' || site === 'none';
    if (!sameSite || (origin !== undefined && origin !== ownOrigin && origin !== requestOrigin(c)))
      throw new AppError('CROSS_SITE_REQUEST', 'Sign-in requests from another site are refused');
    return next();
  };
}

function requestOrigin(c: Context): string {
  try {
    return new URL(c.req.url).origin;
  } catch {
    return '';
  }
}

function describeSize(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / 1024 / 1024} MB`
    : `${Math.round(bytes / 1024)} KB`;
}

/**
 * The client's address, for throttling sign-ins. Behind a reverse proxy (TRUST_PROXY) it is the last
 * X-Forwarded-For entry, the one the proxy added (earlier ones are whatever the client claimed).
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').pop()?.trim();
    if (forwarded) return forwarded;
  }
  const remote = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
    ?.remoteAddress;
  return remote?.replace(/^::ffff:/, '') ?? 'unknown';
}
