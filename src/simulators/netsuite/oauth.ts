import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * NetSuite Token-Based Authentication = OAuth 1.0a (RFC 5849) signed with HMAC-SHA256
 * (reference/netsuite.md §2.1, reference/oauth1-test-vectors.md §1). Written here on purpose: the simulator never
 * imports connector code, so the two cannot agree on a mistake.
 */

/** RFC 3986 percent-encoding: only letters, digits and `-._~` stay as they are. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Scheme and host lower case, default ports dropped, no query or fragment (RFC 5849 §3.4.1.2). */
export function baseUri(url: string): string {
  const u = new URL(url);
  const scheme = u.protocol.toLowerCase();
  const defaultPort =
    (scheme === 'http:' && u.port === '80') || (scheme === 'https:' && u.port === '443') || u.port === '';
  return `${scheme}//${u.hostname.toLowerCase()}${defaultPort ? '' : `:${u.port}`}${u.pathname}`;
}

/** The signature base string: METHOD & enc(base URI) & enc(sorted, encoded params). `realm` is never included. */
export function signatureBaseString(method: string, url: string, params: Array<[string, string]>): string {
  const encoded = params
    .filter(([name]) => name !== 'realm' && name !== 'oauth_signature')
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return `${method.toUpperCase()}&${percentEncode(baseUri(url))}&${percentEncode(encoded)}`;
}

export function hmacSha256Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac('sha256', key).update(baseString).digest('base64');
}

/** The query parameters of a URL, decoded as application/x-www-form-urlencoded (RFC 5849 §3.4.1.3.1). */
export function queryParams(url: string): Array<[string, string]> {
  return [...new URL(url).searchParams.entries()];
}

/** Parses `OAuth realm="…",oauth_consumer_key="…",…`; undefined when it is not an OAuth header. */
export function parseOAuthHeader(header: string | undefined): Map<string, string> | undefined {
  if (!header) return undefined;
  const match = /^\s*OAuth\s+(.*)$/is.exec(header);
  if (!match) return undefined;
  const params = new Map<string, string>();
  const re = /([A-Za-z0-9_\-.]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))\s*(?:,|$)/g;
  const text = match[1] ?? '';
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const name = m[1] ?? '';
    const raw = m[2] ?? m[3] ?? '';
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      value = raw;
    }
    params.set(name, value);
  }
  return params;
}

export interface TbaCredentials {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

export interface VerifyInput {
  method: string;
  /** The request URLs the client may have signed (the request as received, and the public URL if configured). */
  urls: string[];
  authorization: string | undefined;
  /** Extra parameters from an application/x-www-form-urlencoded body. */
  bodyParams?: Array<[string, string]>;
  realm: string;
  nowMs: number;
  toleranceSeconds: number;
  lookup(consumerKey: string, tokenId: string): { consumerSecret: string; tokenSecret: string } | { refused: string };
  /** Returns false when this nonce was already used (a replay); records it otherwise. */
  useNonce(tokenId: string, nonce: string, timestamp: number): boolean;
}

export type VerifyResult = { ok: true; tokenId: string; consumerKey: string } | { ok: false; reason: string };

/** Verifies a TBA request the way NetSuite does; every refusal is the same 401 to the caller, `reason` is for logs. */
export function verifyTbaRequest(input: VerifyInput): VerifyResult {
  const params = parseOAuthHeader(input.authorization);
  if (!params) return { ok: false, reason: 'missing or non-OAuth Authorization header' };
  const get = (name: string): string | undefined => params.get(name);
  const realm = get('realm');
  const consumerKey = get('oauth_consumer_key');
  const tokenId = get('oauth_token');
  const method = get('oauth_signature_method');
  const timestamp = get('oauth_timestamp');
  const nonce = get('oauth_nonce');
  const signature = get('oauth_signature');
  const version = get('oauth_version');
  if (!consumerKey || !tokenId || !method || !timestamp || !nonce || !signature) {
    return { ok: false, reason: 'missing oauth_* parameter' };
  }
  // The realm is the account id in upper case with an underscore and must match exactly (§1, §2.1).
  if (realm !== input.realm) return { ok: false, reason: `realm ${realm ?? '(none)'} is not ${input.realm}` };
  if (method !== 'HMAC-SHA256')
    return { ok: false, reason: `signature method ${method} (only HMAC-SHA256 since 2023.1)` };
  if (version !== undefined && version !== '1.0') return { ok: false, reason: `oauth_version ${version}` };
  // "unique, randomly generated alphanumeric string of 6–64 characters" (§2.1, article_163240162059).
  if (!/^[A-Za-z0-9]{6,64}$/.test(nonce)) return { ok: false, reason: 'nonce is not 6-64 alphanumeric characters' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'timestamp is not a number of seconds' };
  const ts = Number(timestamp);
  if (Math.abs(input.nowMs / 1000 - ts) > input.toleranceSeconds)
    return { ok: false, reason: 'stale or future timestamp' };
  const found = input.lookup(consumerKey, tokenId);
  if ('refused' in found) return { ok: false, reason: found.refused };

  const oauthParams: Array<[string, string]> = [...params.entries()].filter(
    ([n]) => n !== 'realm' && n !== 'oauth_signature',
  );
  let matched = false;
  for (const url of input.urls) {
    const all = [...queryParams(url), ...(input.bodyParams ?? []), ...oauthParams];
    const expected = hmacSha256Signature(
      signatureBaseString(input.method, url, all),
      found.consumerSecret,
      found.tokenSecret,
    );
    const a = Buffer.from(expected);
    const b = Buffer.from(signature);
    if (a.length === b.length && timingSafeEqual(a, b)) {
      matched = true;
      break;
    }
  }
  if (!matched) return { ok: false, reason: 'signature mismatch' };
  if (!input.useNonce(tokenId, nonce, ts)) return { ok: false, reason: 'nonce already used (replay)' };
  return { ok: true, tokenId, consumerKey };
}
