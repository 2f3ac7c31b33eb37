import { createHmac, randomBytes } from 'node:crypto';
import type { Authorize, OutgoingRequest } from './http.ts';

/**
 * OAuth 1.0a request signing.
 *
 * - RFC 5849 with HMAC-SHA1 or HMAC-SHA256 (NuORDER standard, NetSuite TBA with `realm`): RFC 3986
 *   percent-encoding, base string `METHOD&enc(base URI)&enc(sorted params)` over the query, the form body and
 *   the `oauth_*` parameters (never `realm` or `oauth_signature`), key `enc(cs)&enc(ts)`, base64 signature.
 * - NuORDER's legacy scheme (reference nuorder.md §2.3): fixed parameter order, nothing encoded, no query,
 *   raw key, lowercase hex HMAC-SHA1.
 */

export type OAuth1SignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256';

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  /** Absent (RFC 5849 request-token step) or `''` (NuORDER's initiate step: sent and signed empty). */
  token?: string;
  tokenSecret?: string;
}

/** RFC 3986 unreserved characters stay; everything else is `%XX` of its UTF-8 bytes (upper-case hex). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** RFC 5849 §3.4.1.2: lower-case scheme and host, default port dropped, path kept, no query or fragment. */
export function baseStringUri(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  const scheme = u.protocol.toLowerCase();
  const host = u.hostname.toLowerCase();
  const defaultPort = (scheme === 'http:' && u.port === '80') || (scheme === 'https:' && u.port === '443');
  const port = u.port === '' || defaultPort ? '' : `:${u.port}`;
  return `${scheme}//${host}${port}${u.pathname === '' ? '/' : u.pathname}`;
}

/** RFC 5849 §3.4.1.3.2: encode names and values, sort by name then value, join with `&`. */
export function normalizeParameters(params: ReadonlyArray<readonly [string, string]>): string {
  const encoded = params.map(([k, v]) => [percentEncode(k), percentEncode(v)] as const);
  encoded.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return encoded.map(([k, v]) => `${k}=${v}`).join('&');
}

export interface BaseStringInput {
  method: string;
  /** The request URL; its query parameters are signed. */
  url: string | URL;
  /** Form-body parameters (decoded) and any other non-oauth parameters. */
  params?: ReadonlyArray<readonly [string, string]>;
  /** The `oauth_*` parameters (without `oauth_signature`; `realm` is dropped if present). */
  oauth: ReadonlyArray<readonly [string, string]>;
}

export function signatureBaseString(input: BaseStringInput): string {
  const u = typeof input.url === 'string' ? new URL(input.url) : input.url;
  const all: Array<readonly [string, string]> = [];
  for (const [k, v] of new URLSearchParams(u.search)) all.push([k, v]);
  for (const pair of input.params ?? []) all.push(pair);
  for (const pair of input.oauth) if (pair[0] !== 'realm' && pair[0] !== 'oauth_signature') all.push(pair);
  return [input.method.toUpperCase(), percentEncode(baseStringUri(u)), percentEncode(normalizeParameters(all))].join(
    '&',
  );
}

export function signingKey(consumerSecret: string, tokenSecret = ''): string {
  return `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
}

export function hmacBase64(method: OAuth1SignatureMethod, key: string, baseString: string): string {
  return createHmac(method === 'HMAC-SHA256' ? 'sha256' : 'sha1', key)
    .update(baseString)
    .digest('base64');
}

export const generateNonce = (): string => randomBytes(16).toString('hex');
export const currentTimestamp = (): string => String(Math.floor(Date.now() / 1000));

export interface Rfc5849SignInput extends OAuth1Credentials {
  method: string;
  url: string | URL;
  /** Form-body parameters (decoded). Query parameters are taken from `url`. */
  params?: ReadonlyArray<readonly [string, string]>;
  signatureMethod: OAuth1SignatureMethod;
  timestamp?: string;
  nonce?: string;
  /** `'1.0'` (default) sends and signs `oauth_version`; `null` omits it. */
  version?: '1.0' | null;
  /** Header only, never signed (NetSuite account, e.g. `9876543_SB1`). */
  realm?: string;
  callback?: string;
  verifier?: string;
}

export interface SignedRequest {
  /** The `Authorization` header value. */
  header: string;
  signature: string;
  baseString: string;
  /** The signed `oauth_*` parameters, in header order, without the signature. */
  oauthParams: Array<[string, string]>;
}

export function signRfc5849(input: Rfc5849SignInput): SignedRequest {
  const oauth: Array<[string, string]> = [['oauth_consumer_key', input.consumerKey]];
  // An explicit empty token is sent and signed (NuORDER's initiate step wants `oauth_token=""`).
  if (input.token !== undefined) oauth.push(['oauth_token', input.token]);
  oauth.push(['oauth_signature_method', input.signatureMethod]);
  oauth.push(['oauth_timestamp', input.timestamp ?? currentTimestamp()]);
  oauth.push(['oauth_nonce', input.nonce ?? generateNonce()]);
  if (input.version !== null) oauth.push(['oauth_version', input.version ?? '1.0']);
  if (input.callback !== undefined) oauth.push(['oauth_callback', input.callback]);
  if (input.verifier !== undefined) oauth.push(['oauth_verifier', input.verifier]);

  const baseString = signatureBaseString({ method: input.method, url: input.url, params: input.params, oauth });
  const signature = hmacBase64(input.signatureMethod, signingKey(input.consumerSecret, input.tokenSecret), baseString);
  const parts: string[] = [];
  if (input.realm !== undefined) parts.push(`realm="${input.realm.replace(/"/g, '')}"`);
  for (const [k, v] of [...oauth, ['oauth_signature', signature] as const])
    parts.push(`${percentEncode(k)}="${percentEncode(v)}"`);
  return { header: `OAuth ${parts.join(',')}`, signature, baseString, oauthParams: oauth };
}

export interface NuorderLegacySignInput extends OAuth1Credentials {
  method: string;
  /** The query string, if any, is NOT signed (as in every client of this scheme). */
  url: string | URL;
  timestamp?: string;
  nonce?: string;
  /** Token step only. */
  verifier?: string;
  /** Initiate step only (`oob`). */
  callback?: string;
  /** Initiate step only: sent in the header, not signed. */
  applicationName?: string;
}

export function nuorderLegacyBaseString(input: NuorderLegacySignInput & { timestamp: string; nonce: string }): string {
  const u = typeof input.url === 'string' ? new URL(input.url) : input.url;
  const fullUrl = `${u.protocol}//${u.host}${u.pathname}`;
  let base =
    `${input.method.toUpperCase()}${fullUrl}?oauth_consumer_key=${input.consumerKey}&oauth_token=${input.token ?? ''}` +
    `&oauth_timestamp=${input.timestamp}&oauth_nonce=${input.nonce}&oauth_version=1.0&oauth_signature_method=HMAC-SHA1`;
  if (input.verifier !== undefined) base += `&oauth_verifier=${input.verifier}`;
  if (input.callback !== undefined) base += `&oauth_callback=${input.callback}`;
  return base;
}

export function signNuorderLegacy(input: NuorderLegacySignInput): SignedRequest {
  const timestamp = input.timestamp ?? currentTimestamp();
  const nonce = input.nonce ?? generateNonce();
  const baseString = nuorderLegacyBaseString({ ...input, timestamp, nonce });
  const key = `${input.consumerSecret}&${input.tokenSecret ?? ''}`;
  const signature = createHmac('sha1', key).update(baseString).digest('hex');
  const oauth: Array<[string, string]> = [
    ['oauth_consumer_key', input.consumerKey],
    ['oauth_token', input.token ?? ''],
    ['oauth_timestamp', timestamp],
    ['oauth_nonce', nonce],
    ['oauth_version', '1.0'],
    ['oauth_signature_method', 'HMAC-SHA1'],
  ];
  const parts = [...oauth, ['oauth_signature', signature]].map(([k, v]) => `${k}=${v}`);
  if (input.verifier !== undefined) parts.push(`oauth_verifier=${input.verifier}`);
  if (input.applicationName !== undefined) parts.push(`application_name=${input.applicationName}`);
  if (input.callback !== undefined) parts.push(`oauth_callback=${input.callback}`);
  return { header: `OAuth ${parts.join(',')}`, signature, baseString, oauthParams: oauth };
}

export type OAuth1Scheme = 'rfc5849' | 'nuorder-legacy';

export interface OAuth1AuthorizerOptions {
  scheme?: OAuth1Scheme;
  signatureMethod?: OAuth1SignatureMethod;
  realm?: string;
  /** Reads the credentials for every request (so a rotated token is picked up). */
  credentials: OAuth1Credentials | (() => OAuth1Credentials | Promise<OAuth1Credentials>);
  /** Extra signed parameters for one handshake step. */
  callback?: string;
  verifier?: string;
  applicationName?: string;
  now?: () => number;
  nonce?: () => string;
}

/** An `authorize` hook for the HTTP client that signs each request (query and form body included). */
export function oauth1Authorizer(options: OAuth1AuthorizerOptions): Authorize {
  return async (request: OutgoingRequest) => {
    const creds = typeof options.credentials === 'function' ? await options.credentials() : options.credentials;
    const timestamp = String(Math.floor((options.now ?? Date.now)() / 1000));
    const nonce = (options.nonce ?? generateNonce)();
    const signed =
      (options.scheme ?? 'rfc5849') === 'nuorder-legacy'
        ? signNuorderLegacy({
            ...creds,
            method: request.method,
            url: request.url,
            timestamp,
            nonce,
            verifier: options.verifier,
            callback: options.callback,
            applicationName: options.applicationName,
          })
        : signRfc5849({
            ...creds,
            method: request.method,
            url: request.url,
            params: request.form,
            signatureMethod: options.signatureMethod ?? 'HMAC-SHA1',
            timestamp,
            nonce,
            realm: options.realm,
            callback: options.callback,
            verifier: options.verifier,
          });
    const headers: Record<string, string> = { authorization: signed.header };
    if (options.applicationName !== undefined && (options.scheme ?? 'rfc5849') === 'rfc5849') {
      // NuORDER's initiate step wants the app name; the RFC header has no slot for it, so append it unsigned.
      headers.authorization = `${signed.header},application_name="${percentEncode(options.applicationName)}"`;
    }
    return headers;
  };
}
