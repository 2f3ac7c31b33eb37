import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * OAuth 1.0a signature checking for the NuORDER simulator (reference nuorder.md §2.3, oauth1-test-vectors.md).
 *
 * NuORDER clients sign in one of two ways and the simulator accepts both (reference §2.3 recommendation):
 * - the NuORDER "legacy" scheme: a fixed-order, unencoded base string, raw key, lowercase hex HMAC-SHA1;
 * - standard RFC 5849 HMAC-SHA1: encoded and sorted parameters (query and form body included), base64.
 * Written here from the reference, independent of the connectors' signer.
 */

export type SignatureScheme = 'legacy' | 'rfc5849';

/** Parses `OAuth k=v,…` / `oAuth k="v", …` leniently (reference §2.3: all three recorded forms got 200s). */
export function parseAuthorizationHeader(header: string | undefined | null): Map<string, string> | null {
  if (!header) return null;
  const match = /^\s*oauth\s+(.*)$/is.exec(header);
  if (!match) return null;
  const params = new Map<string, string>();
  const re = /\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"([^"]*)"|([^,]*))\s*(?:,|$)/gy;
  const rest = match[1] ?? '';
  let m: RegExpExecArray | null;
  while (re.lastIndex < rest.length && (m = re.exec(rest)) !== null) {
    const name = m[1] as string;
    const rawValue = m[2] ?? (m[3] ?? '').trim();
    params.set(name, safeDecode(rawValue));
    if (m[0] === '') break;
  }
  return params;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** RFC 3986 percent-encoding as RFC 5849 §3.6 requires: only ALPHA, DIGIT and `-._~` stay as they are. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** RFC 5849 §3.4.1.2 base string URI: lowercase scheme and host, default port dropped, no query. */
export function normaliseBaseUri(url: string): string {
  const u = new URL(url);
  const scheme = u.protocol.toLowerCase();
  const host = u.hostname.toLowerCase();
  const defaultPort =
    (scheme === 'http:' && u.port === '80') || (scheme === 'https:' && u.port === '443') || u.port === '';
  return `${scheme}//${host}${defaultPort ? '' : `:${u.port}`}${u.pathname}`;
}

/** RFC 5849 §3.4.1 signature base string from the request's decoded parameters (oauth_* included, signature excluded). */
export function rfc5849BaseString(method: string, url: string, params: Array<[string, string]>): string {
  const encoded = params
    .filter(([name]) => name !== 'oauth_signature' && name !== 'realm')
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const joined = encoded.map(([n, v]) => `${n}=${v}`).join('&');
  return `${method.toUpperCase()}&${percentEncode(normaliseBaseUri(url))}&${percentEncode(joined)}`;
}

export interface LegacyInputs {
  method: string;
  /** The full URL as the client used it, without the query string. */
  url: string;
  consumerKey: string;
  token: string;
  timestamp: string;
  nonce: string;
  version?: string;
  signatureMethod?: string;
  verifier?: string;
  callback?: string;
}

/** NuORDER's legacy base string (reference §2.3 (a)): nothing encoded or sorted, fixed order, query not signed. */
export function legacyBaseString(i: LegacyInputs): string {
  let base =
    `${i.method.toUpperCase()}${i.url}?oauth_consumer_key=${i.consumerKey}&oauth_token=${i.token}` +
    `&oauth_timestamp=${i.timestamp}&oauth_nonce=${i.nonce}&oauth_version=${i.version ?? '1.0'}` +
    `&oauth_signature_method=${i.signatureMethod ?? 'HMAC-SHA1'}`;
  if (i.verifier !== undefined) base += `&oauth_verifier=${i.verifier}`;
  if (i.callback !== undefined) base += `&oauth_callback=${i.callback}`;
  return base;
}

/** Legacy key: raw secrets joined by `&`, NOT percent-encoded. */
export function legacySignature(base: string, consumerSecret: string, tokenSecret: string): string {
  return createHmac('sha1', `${consumerSecret}&${tokenSecret}`).update(base).digest('hex');
}

/** RFC 5849 key: enc(cs)&enc(ts), base64 HMAC-SHA1. */
export function rfc5849Signature(base: string, consumerSecret: string, tokenSecret: string): string {
  return createHmac('sha1', `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`)
    .update(base)
    .digest('base64');
}

function sameText(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export interface SignedRequest {
  method: string;
  /** Candidate full URLs (no query) the client may have signed: the request URL, the public URL, … */
  urls: string[];
  /** The Authorization header parameters (decoded). */
  header: Map<string, string>;
  /** Query and form-body parameters (decoded), for RFC 5849. */
  params: Array<[string, string]>;
  consumerSecret: string;
  tokenSecret: string;
}

/** Returns the scheme whose signature matches, or null. */
export function verifySignature(req: SignedRequest): SignatureScheme | null {
  const given = req.header.get('oauth_signature');
  if (!given) return null;
  const h = (name: string): string | undefined => req.header.get(name);
  for (const url of req.urls) {
    if (/^[0-9a-f]{40}$/i.test(given)) {
      const base = legacyBaseString({
        method: req.method,
        url,
        consumerKey: h('oauth_consumer_key') ?? '',
        token: h('oauth_token') ?? '',
        timestamp: h('oauth_timestamp') ?? '',
        nonce: h('oauth_nonce') ?? '',
        version: h('oauth_version') ?? '1.0',
        signatureMethod: h('oauth_signature_method') ?? 'HMAC-SHA1',
        ...(h('oauth_verifier') !== undefined ? { verifier: h('oauth_verifier') as string } : {}),
        ...(h('oauth_callback') !== undefined ? { callback: h('oauth_callback') as string } : {}),
      });
      if (sameText(legacySignature(base, req.consumerSecret, req.tokenSecret), given.toLowerCase())) return 'legacy';
    }
    // RFC 5849 §3.4.1.3.1: every header parameter but realm is signed. NuORDER's initiate step adds
    // `application_name` to the header; RFC clients that send it elsewhere leave it unsigned, so try both.
    const headerParams = [...req.header.entries()].filter(([n]) => n !== 'oauth_signature' && n !== 'realm');
    const variants = [headerParams];
    if (req.header.has('application_name')) variants.push(headerParams.filter(([n]) => n !== 'application_name'));
    for (const variant of variants) {
      const base = rfc5849BaseString(req.method, url, [...req.params, ...variant]);
      if (sameText(rfc5849Signature(base, req.consumerSecret, req.tokenSecret), given)) return 'rfc5849';
    }
  }
  return null;
}
