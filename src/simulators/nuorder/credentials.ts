import { randomBytes } from 'node:crypto';
import { SimInputError } from '../shared/control.ts';
import type { AccessTokenRecord, ConsumerRecord, RequestTokenRecord } from './model.ts';
import { NuorderError, type NuorderStore } from './store.ts';

/**
 * API applications and OAuth 1.0a tokens (reference §2.2): consumers registered in Admin → API Management,
 * request tokens waiting for a person's approval, and the access tokens they become. Kept apart from the
 * order book in store.ts; every function reads and writes `store.state`.
 */

export const demoCredentials = {
  consumerKey: 'tl-demo-consumer-key',
  consumerSecret: 'tl-demo-consumer-secret',
  token: 'tl-demo-access-token',
  tokenSecret: 'tl-demo-access-token-secret',
  applicationName: 'Tradeloop demo',
} as const;

export function randomToken(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** The fixed demo credentials: one account-wide token and one per brand portal (docs/simulators/nuorder.md). */
export function ensureDemoCredentials(store: NuorderStore): void {
  addConsumer(store, demoCredentials.consumerKey, demoCredentials.consumerSecret, demoCredentials.applicationName);
  const upsert = (token: string, secret: string, brands: string[] | null): void => {
    store.state.accessTokens = store.state.accessTokens.filter((t) => t.token !== token);
    store.state.accessTokens.push({
      token,
      secret,
      consumer_key: demoCredentials.consumerKey,
      application_name: demoCredentials.applicationName,
      brands,
      created_at: store.clock.now(),
      expires_at: null,
    });
  };
  upsert(demoCredentials.token, demoCredentials.tokenSecret, null);
  for (const brand of store.state.brands) {
    const slug = brand.code.toLowerCase();
    upsert(`tl-demo-token-${slug}`, `tl-demo-token-${slug}-secret`, [brand._id]);
  }
}

export function addConsumer(store: NuorderStore, key: string, secret: string, name: string): ConsumerRecord {
  const existing = store.state.consumers.find((c) => c.key === key);
  if (existing) {
    existing.secret = secret;
    existing.name = name;
    return existing;
  }
  const consumer = { key, secret, name };
  store.state.consumers.push(consumer);
  return consumer;
}

export function consumerOf(store: NuorderStore, key: string): ConsumerRecord | undefined {
  return store.state.consumers.find((c) => c.key === key);
}

export function mintAccessToken(
  store: NuorderStore,
  input: {
    consumerKey?: string;
    consumerSecret?: string;
    token?: string;
    tokenSecret?: string;
    applicationName?: string;
    brands?: string[] | null;
  },
): AccessTokenRecord & { consumer_secret: string } {
  const consumerKey = input.consumerKey ?? randomToken(24);
  const existing = consumerOf(store, consumerKey);
  const consumer =
    existing && !input.consumerSecret
      ? existing
      : addConsumer(store, consumerKey, input.consumerSecret ?? randomToken(32), input.applicationName ?? 'minted');
  const brands = input.brands ? input.brands.map((ref) => store.brand(ref)?._id ?? ref) : null;
  for (const b of brands ?? [])
    if (!store.state.brands.some((x) => x._id === b)) throw new SimInputError(`Unknown brand ${b}`);
  const ttl = store.state.config.accessTokenTtlSeconds;
  const record: AccessTokenRecord = {
    token: input.token ?? randomToken(24),
    secret: input.tokenSecret ?? randomToken(64),
    consumer_key: consumer.key,
    application_name: input.applicationName ?? consumer.name,
    brands,
    created_at: store.clock.now(),
    expires_at: ttl === null ? null : store.clock.now() + ttl * 1000,
  };
  store.state.accessTokens = store.state.accessTokens.filter((t) => t.token !== record.token);
  store.state.accessTokens.push(record);
  return { ...record, consumer_secret: consumer.secret };
}

export function createRequestToken(
  store: NuorderStore,
  consumerKey: string,
  applicationName: string,
  callback: string,
): RequestTokenRecord {
  const record: RequestTokenRecord = {
    token: randomToken(16),
    secret: randomToken(24),
    consumer_key: consumerKey,
    application_name: applicationName,
    callback,
    verifier: null,
    approved_brands: null,
    created_at: store.clock.now(),
    status: 'pending',
  };
  store.state.requestTokens.push(record);
  return record;
}

/** A request token still inside its lifetime, or undefined. */
export function requestTokenOf(store: NuorderStore, token: string): RequestTokenRecord | undefined {
  const record = store.state.requestTokens.find((t) => t.token === token);
  if (!record) return undefined;
  if (store.clock.now() - record.created_at > store.state.config.requestTokenTtlSeconds * 1000) return undefined;
  return record;
}

export function approveRequestToken(store: NuorderStore, token: string, brands: string[] | null): RequestTokenRecord {
  const record = requestTokenOf(store, token);
  if (!record) throw new NuorderError(404, 'request token not found or expired');
  if (record.status === 'used') throw new NuorderError(400, 'request token already exchanged');
  record.status = 'approved';
  record.verifier ??= randomToken(20);
  record.approved_brands = brands;
  return record;
}

export function exchangeRequestToken(store: NuorderStore, record: RequestTokenRecord): AccessTokenRecord {
  record.status = 'used';
  const minted = mintAccessToken(store, {
    consumerKey: record.consumer_key,
    applicationName: record.application_name,
    brands: record.approved_brands,
  });
  const { consumer_secret: _secret, ...token } = minted;
  return token;
}

export function accessTokenOf(store: NuorderStore, token: string): AccessTokenRecord | undefined {
  return store.state.accessTokens.find((t) => t.token === token);
}
