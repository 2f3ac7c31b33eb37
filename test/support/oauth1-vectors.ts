import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

/**
 * The OAuth 1.0a test vectors: the machine-readable table of shared/reference/oauth1-test-vectors.md §6.
 * `oauth1-vectors.json` beside this file is a verbatim copy, so the signer and verifier tests run in a
 * checkout without the reference folder; when the reference is there, a test checks the copy still matches.
 */
export interface RfcVector {
  id: string;
  scheme: 'rfc5849';
  method: string;
  url: string;
  params: Array<[string, string]>;
  oauth: Array<[string, string]>;
  consumer_secret: string | null;
  token_secret: string | null;
  realm?: string;
  base_string: string;
  signature: string | null;
}
export interface LegacyVector {
  id: string;
  scheme: 'nuorder-legacy-hex';
  method: string;
  url: string;
  consumer_key: string;
  consumer_secret: string;
  token: string;
  token_secret: string;
  timestamp: string;
  nonce: string;
  extra: { oauth_callback?: string; oauth_verifier?: string };
  base_string: string;
  signature_hex: string;
}
export type Vector = RfcVector | LegacyVector;

const reference = [
  new URL('../../../shared/reference/oauth1-test-vectors.md', import.meta.url),
  new URL('file:///work/shared/reference/oauth1-test-vectors.md'),
].find((u) => existsSync(u));

/** The vectors, from the copy beside this file. */
export function oauth1Vectors(): Vector[] {
  return JSON.parse(readFileSync(new URL('./oauth1-vectors.json', import.meta.url), 'utf8')) as Vector[];
}

/** The vectors as the reference publishes them, or undefined when the reference is not next to this checkout. */
export function oauth1VectorsFromReference(): Vector[] | undefined {
  if (!reference) return undefined;
  const text = readFileSync(reference, 'utf8');
  const section = text.slice(text.indexOf('## 6. Machine-readable form'));
  const json = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
  assert.ok(json, 'the reference has its machine-readable table');
  return JSON.parse(json) as Vector[];
}
