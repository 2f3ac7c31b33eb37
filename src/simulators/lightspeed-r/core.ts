import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { SimClock } from '../shared/clock.ts';
import { BurstWindow, LeakyBucket } from './bucket.ts';
import type { OAuthClient, RefreshRec, TokenRec } from './model.ts';
import { Store } from './store.ts';

/** Settings changed with `PUT /_sim/config`. */
export interface RConfig {
  /** Bucket size in drips (the brief's default 60; the 2026 real default is 90 + 10 per extra register, §6). */
  bucketSize: number;
  /** Drips leaked per second. */
  dripRate: number;
  /**
   * `legacy`: GET 1, POST/PUT/DELETE `writeCost` (10) — the long-standing regime (§6 "Previously", S4).
   * `current`: every request 1, +0.5 per nested entity in a POST/PUT body, Category writes 10 (§6, 2026).
   * Both add the load_relations, count=1 and or= surcharges of §6.
   */
  costModel: 'legacy' | 'current';
  readCost: number;
  writeCost: number;
  /** The burst limiter (§6, since 2025-07-10): on by default. */
  burstLimiter: boolean;
  /**
   * Requests per one-second window. Null: derived from the bucket as the documented example has it
   * (`X-LS-API-Burst-Level: 1/20` with the 90-drip bucket, so 2/9 of the size: 20 for 90) [I].
   */
  burstLimit: number | null;
  /** Lifetimes, seconds. */
  accessTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  codeLifetimeSeconds: number;
  clients: OAuthClient[];
}

export const defaultClient: OAuthClient = {
  clientId: 'tradeloop-sim-client',
  clientSecret: 'tradeloop-sim-secret',
  redirectUri: null,
  name: 'Tradeloop (simulator client)',
};

export function defaultConfig(): RConfig {
  return {
    bucketSize: 90,
    dripRate: 1,
    costModel: 'current',
    readCost: 1,
    writeCost: 10,
    burstLimiter: true,
    burstLimit: null,
    accessTokenLifetimeSeconds: 3600,
    refreshTokenLifetimeSeconds: 30 * 86_400,
    codeLifetimeSeconds: 60,
    clients: [{ ...defaultClient }],
  };
}

export const knownScopes = [
  'admin',
  'admin_employees',
  'admin_inventory',
  'admin_purchases',
  'admin_shops',
  'admin_void_sale',
  'all',
  'categories',
  'customers',
  'customers_read',
  'customers_view_gift_card_numbers',
  'inventory',
  'inventory_read',
  'inventory_base',
  'inventory_counts',
  'inventory_counts_reconcile',
  'manufacturers',
  'product_cost',
  'product_edit',
  'purchase_orders',
  'register',
  'register_layaway',
  'register_read',
  'register_refund',
  'reports',
  'special_orders',
  'tags',
  'transfers',
  'vendor_returns',
  'vendors',
  'workbench',
].map((s) => `employee:${s}`);

export class Core {
  readonly clock: SimClock;
  readonly store: Store;
  config: RConfig;
  readonly publicUrl: string | undefined;
  readonly #buckets = new Map<string, LeakyBucket>();
  readonly #bursts = new Map<string, BurstWindow>();
  /**
   * What the limiters charged since the last `DELETE /_sim/charges` (every client together): admitted requests
   * and their drips, and the 429s of each limiter. Benchmarks read drips here, not request counts.
   */
  charges = { requests: 0, drips: 0, rateLimited: 0 };
  #keys: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

  constructor(clock: SimClock, accountID: string, config: RConfig, publicUrl: string | undefined) {
    this.clock = clock;
    this.store = new Store(accountID);
    this.config = config;
    this.publicUrl = publicUrl;
  }

  bucket(accountID: string, clientId: string): LeakyBucket {
    const key = `${accountID}|${clientId}`;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new LeakyBucket(this.clock, () => ({ size: this.config.bucketSize, dripRate: this.config.dripRate }));
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  /** The burst window of an (account × client), or undefined while the burst limiter is off. */
  burst(accountID: string, clientId: string): BurstWindow | undefined {
    if (!this.config.burstLimiter) return undefined;
    const key = `${accountID}|${clientId}`;
    let burst = this.#bursts.get(key);
    if (!burst) {
      burst = new BurstWindow(this.clock, () => this.burstLimit());
      this.#bursts.set(key, burst);
    }
    return burst;
  }

  burstLimit(): number {
    return this.config.burstLimit ?? Math.max(1, Math.round((this.config.bucketSize * 2) / 9));
  }

  resetBuckets(): void {
    this.#buckets.clear();
    this.#bursts.clear();
  }

  /**
   * `X-LS-Oauth-Client-Id` is numeric in every recorded reply and in the docs (`51661`), unlike the client_id
   * an app is given: each client gets a number from its place in the list [I].
   */
  numericClientId(clientId: string): string {
    const index = this.config.clients.findIndex((c) => c.clientId === clientId);
    return String(51661 + Math.max(0, index));
  }

  client(clientId: string): OAuthClient | undefined {
    return this.config.clients.find((c) => c.clientId === clientId);
  }

  // ---- tokens ----

  private keys(): { privateKey: KeyObject; publicKey: KeyObject } {
    this.#keys ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
    return this.#keys;
  }

  jwks(): { keys: unknown[] } {
    const jwk = this.keys().publicKey.export({ format: 'jwk' });
    return { keys: [{ ...jwk, kid: 'sim-1', use: 'sig', alg: 'RS256' }] };
  }

  /** Issues an access token (an RS256 JWT with the claims of §1) and a rotating refresh token. */
  issueTokens(
    clientId: string,
    scope: string,
    fromRefresh: string | null,
  ): { accessToken: string; refreshToken: string; expiresIn: number } {
    const now = this.clock.now();
    const expiresIn = this.config.accessTokenLifetimeSeconds;
    const accountID = this.store.account.accountID;
    const iat = Math.floor(now / 1000);
    const claims = {
      jti: randomBytes(20).toString('hex'),
      iss: 'https://cloud.lightspeedapp.com',
      aud: clientId,
      sub: '1',
      acct: accountID,
      scope,
      iat,
      nbf: iat,
      exp: iat + expiresIn,
    };
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signingInput = `${encode({ typ: 'JWT', alg: 'RS256', kid: 'sim-1' })}.${encode(claims)}`;
    const signature = sign('RSA-SHA256', Buffer.from(signingInput), this.keys().privateKey).toString('base64url');
    const accessToken = `${signingInput}.${signature}`;
    const refreshToken = `def50200${randomBytes(96).toString('hex')}`;
    const token: TokenRec = {
      clientId,
      accountID,
      scope,
      issuedMs: now,
      expiresMs: now + expiresIn * 1000,
      revoked: false,
      fromRefresh,
      used: false,
    };
    this.store.accessTokens.set(accessToken, token);
    const refresh: RefreshRec = {
      clientId,
      accountID,
      scope,
      issuedMs: now,
      lastUsedMs: now,
      revoked: false,
      accessToken,
    };
    this.store.refreshTokens.set(refreshToken, refresh);
    return { accessToken, refreshToken, expiresIn };
  }

  newCode(): string {
    return `def50200${randomBytes(64).toString('hex')}`;
  }
}

/** PKCE S256: base64url(sha256(verifier)). */
export function pkceChallenge(verifier: string, method: string | null): string {
  if (method === 'plain') return verifier;
  return createHash('sha256').update(verifier).digest('base64url');
}
