import type { AppContext } from '../app-context.ts';
import { AppError } from '../core/errors.ts';
import type { BudgetStore, ConnectionCredentials, OAuth2Tokens, TokenStore } from '../core/ports/connection.ts';
import type { Db } from '../store/db.ts';
import { connections, leases, rateBudgets, secrets } from '../store/repos/index.ts';

export type { ConnectionCredentials } from '../core/ports/connection.ts';

/** The ciphertext is bound to its connection (AES-GCM associated data), so it cannot be moved to another. */
const associatedData = (connectionId: string): string => `connection:${connectionId}`;

/**
 * OAuth 2 tokens this process opened, by connection, with their expiry (the TokenManager refreshes before it):
 * a POS call costs no store read and no decryption. Kept per store (one per process, or per test engine). A
 * refresh or relink in this process replaces or drops the entry; one in another process shows here as a 401,
 * whose refresh runs under the lock, where the cache is dropped and the store read again.
 */
const tokenCaches = new WeakMap<object, Map<string, OAuth2Tokens>>();
const tokenCacheOf = (ctx: AppContext): Map<string, OAuth2Tokens> => {
  let cache = tokenCaches.get(ctx.store);
  if (!cache) tokenCaches.set(ctx.store, (cache = new Map()));
  return cache;
};
const tokenKey = (tenantId: string, connectionId: string): string => `${tenantId}:${connectionId}`;

/** Unlinking destroys the credentials: this process stops serving the tokens from memory at once. */
export function forgetTokens(ctx: AppContext, tenantId: string, connectionId: string): void {
  tokenCacheOf(ctx).delete(tokenKey(tenantId, connectionId));
}

export async function saveCredentials(
  ctx: AppContext,
  db: Db,
  tenantId: string,
  connectionId: string,
  credentials: ConnectionCredentials,
): Promise<string> {
  // Dropped first: a write that fails after sealing must not leave the old tokens served from memory.
  forgetTokens(ctx, tenantId, connectionId);
  const sealed = ctx.vault.sealJson(credentials, associatedData(connectionId));
  const connection = await connections.get(db, tenantId, connectionId);
  if (connection?.secretId) {
    await secrets.update(
      db,
      tenantId,
      connection.secretId,
      { keyId: ctx.vault.currentKeyId, ciphertext: sealed },
      ctx.now(),
    );
    return connection.secretId;
  }
  const stored = await secrets.put(
    db,
    tenantId,
    `connection:${connectionId}`,
    { keyId: ctx.vault.currentKeyId, ciphertext: sealed },
    ctx.now(),
  );
  await connections.update(db, tenantId, connectionId, { secretId: stored.id }, ctx.now());
  return stored.id;
}

export async function loadCredentials(
  ctx: AppContext,
  tenantId: string,
  connectionId: string,
): Promise<ConnectionCredentials> {
  const connection = await connections.get(ctx.store.db, tenantId, connectionId);
  if (!connection?.secretId)
    throw new AppError('CONNECTION_NEEDS_RELINK', 'This connection has no stored credentials; link it again');
  const secret = await secrets.get(ctx.store.db, tenantId, connection.secretId);
  if (!secret) throw new AppError('CONNECTION_NEEDS_RELINK', 'This connection lost its credentials; link it again');
  return ctx.vault.openJson<ConnectionCredentials>(secret.ciphertext, associatedData(connectionId));
}

/**
 * OAuth 2 tokens of POS connections, sealed in the store. Refreshes happen under a lease shared by
 * every process, so a rotating refresh token is spent once.
 */
export function storeTokenStore(ctx: AppContext, tenantId: string): TokenStore {
  const cache = tokenCacheOf(ctx);
  return {
    async read(connectionId) {
      const key = tokenKey(tenantId, connectionId);
      const hit = cache.get(key);
      if (hit && hit.expiresAt > ctx.now()) return hit;
      const credentials = await loadCredentials(ctx, tenantId, connectionId);
      if (credentials.kind !== 'oauth2') return null;
      cache.set(key, credentials.tokens);
      return credentials.tokens;
    },
    async write(connectionId, tokens) {
      await saveCredentials(ctx, ctx.store.db, tenantId, connectionId, { kind: 'oauth2', tokens });
      cache.set(tokenKey(tenantId, connectionId), tokens);
    },
    withLock(connectionId, fn) {
      // Whoever holds the lock decides on what the store holds now (another process may have refreshed).
      const run = () => {
        cache.delete(tokenKey(tenantId, connectionId));
        return fn();
      };
      return leases.withLease(ctx.store.db, `token-refresh:${connectionId}`, run, { ttlMs: 60_000, waitMs: 90_000 });
    },
  };
}

/** How stale this process's copy of a shared rate budget may get before it is read from the store again. */
const budgetShareMs = 250;

/**
 * The rate governor's budget per POS account, shared by every process through the store. Each process
 * keeps its own copy and exchanges it with the store at most every quarter second (reads) and a quarter
 * second after its last change (writes): a thousand requests cost a handful of store writes, not four
 * thousand, and the live rate-limit headers of every reply correct any drift between processes.
 */
export function storeBudgetStore<S>(ctx: AppContext, tenantId: string): BudgetStore<S> {
  const local = new Map<string, { state: S | null; readAt: number; dirty: boolean; timer?: NodeJS.Timeout }>();
  const flush = async (key: string): Promise<void> => {
    const entry = local.get(key);
    if (!entry?.dirty || entry.state === null) return;
    entry.dirty = false;
    await rateBudgets
      .save(ctx.store.db, tenantId, key, entry.state, ctx.now())
      .catch((error: unknown) =>
        ctx.logger.debug({ err: error, key }, 'saving a rate budget failed (the next reply corrects it)'),
      );
  };
  return {
    async load(key) {
      const entry = local.get(key);
      if (entry && (entry.dirty || Date.now() - entry.readAt < budgetShareMs)) return entry.state;
      // The governor's own JSON: the store keeps it, the connector reads it.
      const state = (await rateBudgets.load(ctx.store.db, key)) as S | null;
      local.set(key, { state, readAt: Date.now(), dirty: false });
      return state;
    },
    async save(key, state) {
      const entry = local.get(key) ?? { state, readAt: Date.now(), dirty: false };
      entry.state = state;
      entry.dirty = true;
      local.set(key, entry);
      if (!entry.timer) {
        entry.timer = setTimeout(() => {
          entry.timer = undefined;
          void flush(key);
        }, budgetShareMs);
        entry.timer.unref();
      }
    },
    // A reservation goes through the store at once, under the budget's lock: several processes spending one
    // account's bucket never overdraw it (the cached copy above is for readers only from here on).
    async update(key, change) {
      const entry = local.get(key);
      if (entry?.timer) clearTimeout(entry.timer);
      if (entry?.dirty) await flush(key);
      local.delete(key);
      return rateBudgets.update(
        ctx.store.db,
        ctx.store.features,
        tenantId,
        key,
        (state) => change(state as S | null),
        ctx.now(),
      );
    },
  };
}
