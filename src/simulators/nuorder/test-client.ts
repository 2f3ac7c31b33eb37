import { randomBytes } from 'node:crypto';
import { legacyBaseString, legacySignature, percentEncode, rfc5849BaseString, rfc5849Signature } from './oauth.ts';

/** A small signing client for the simulator's own tests (connectors bring their own signer). */
export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  token?: string;
  tokenSecret?: string;
}

export interface SignOptions {
  scheme?: 'legacy' | 'rfc5849';
  timestamp?: number;
  nonce?: string;
  verifier?: string;
  callback?: string;
  applicationName?: string;
}

export function authorizationHeader(
  method: string,
  url: string,
  creds: Credentials,
  options: SignOptions = {},
): string {
  const u = new URL(url);
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? randomBytes(8).toString('hex');
  const token = creds.token ?? '';
  const tokenSecret = creds.tokenSecret ?? '';
  if ((options.scheme ?? 'legacy') === 'legacy') {
    const base = legacyBaseString({
      method,
      url: `${u.origin}${u.pathname}`,
      consumerKey: creds.consumerKey,
      token,
      timestamp,
      nonce,
      ...(options.verifier !== undefined ? { verifier: options.verifier } : {}),
      ...(options.callback !== undefined ? { callback: options.callback } : {}),
    });
    const sig = legacySignature(base, creds.consumerSecret, tokenSecret);
    let header = `oAuth oauth_consumer_key=${creds.consumerKey},oauth_timestamp=${timestamp},oauth_nonce=${nonce},oauth_version=1.0,oauth_signature_method=HMAC-SHA1,oauth_token=${token},oauth_signature=${sig}`;
    if (options.applicationName !== undefined) header += `,application_name=${options.applicationName}`;
    if (options.callback !== undefined) header += `,oauth_callback=${options.callback}`;
    if (options.verifier !== undefined) header += `,oauth_verifier=${options.verifier}`;
    return header;
  }
  const oauth: Array<[string, string]> = [
    ['oauth_consumer_key', creds.consumerKey],
    ['oauth_nonce', nonce],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', timestamp],
    ['oauth_version', '1.0'],
  ];
  if (token) oauth.push(['oauth_token', token]);
  if (options.verifier !== undefined) oauth.push(['oauth_verifier', options.verifier]);
  if (options.callback !== undefined) oauth.push(['oauth_callback', options.callback]);
  const base = rfc5849BaseString(method, `${u.origin}${u.pathname}`, [...u.searchParams.entries(), ...oauth]);
  const sig = rfc5849Signature(base, creds.consumerSecret, tokenSecret);
  return `OAuth ${[...oauth, ['oauth_signature', sig] as [string, string]].map(([k, v]) => `${k}="${percentEncode(v)}"`).join(', ')}`;
}

export async function signedFetch(
  method: string,
  url: string,
  creds: Credentials,
  options: SignOptions & { body?: unknown; signal?: AbortSignal } = {},
): Promise<Response> {
  return fetch(url, {
    method,
    headers: {
      Authorization: authorizationHeader(method, url, creds, options),
      Accept: 'application/json',
      ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
