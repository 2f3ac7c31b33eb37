import type { AppContext } from '../app-context.ts';
import { AppError } from '../core/errors.ts';
import * as throttles from '../store/repos/login-throttles.ts';
import { normalizeEmail } from '../store/repos/users.ts';

/**
 * Sign-in throttling (ASVS 2.2.1), per account and per client address, shared by every API process
 * through the store. Each attempt is counted before the password is checked, so a burst of parallel
 * guesses gets no more checks than a sequence would; a success takes the attempt back. Past the limit
 * the key is locked for a minute, doubling with every further attempt up to 15 minutes; attempts made
 * while locked are refused without a check and without extending the lock, and after each lock one
 * attempt is checked again.
 */
const WINDOW_MS = 15 * 60_000;
const ACCOUNT_LIMIT = 5;
const ADDRESS_LIMIT = 20;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 15 * 60_000;
const STALE_AFTER_MS = 24 * 3_600_000;

export interface LoginAttempt {
  accountKey: string;
  addressKey: string;
}

let lastCleanup = 0;

export async function beginAttempt(ctx: AppContext, email: string, address: string): Promise<LoginAttempt> {
  const db = ctx.store.db;
  const now = ctx.now();
  const attempt = { accountKey: `account:${normalizeEmail(email)}`, addressKey: `ip:${address}` };
  const states = await throttles.get(db, [attempt.accountKey, attempt.addressKey], now - WINDOW_MS);
  for (const state of states) {
    if (state.lockedUntil !== null && state.lockedUntil > now) throw throttled(state.key, state.lockedUntil - now);
  }
  const checks: Array<[string, number]> = [
    [attempt.accountKey, ACCOUNT_LIMIT],
    [attempt.addressKey, ADDRESS_LIMIT],
  ];
  for (const [key, limit] of checks) {
    const count = await throttles.countAttempt(db, key, now, now - WINDOW_MS);
    if (count <= limit) continue;
    const lockMs = Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (count - limit - 1));
    // Past the limit the key is locked again at once. After a lock that ended, the attempt that set the
    // next lock is still checked (one per lock served, so a person can get back in); the rest are refused.
    const servedLock = states.some((s) => s.key === key && s.lockedUntil !== null);
    const first = await throttles.lockIfFree(db, key, now + lockMs, now);
    if (!servedLock || !first) throw throttled(key, lockMs);
  }
  if (now - lastCleanup > 10 * 60_000) {
    lastCleanup = now;
    await throttles.removeStale(db, now - STALE_AFTER_MS);
  }
  return attempt;
}

export async function succeeded(ctx: AppContext, attempt: LoginAttempt): Promise<void> {
  await throttles.clear(ctx.store.db, attempt.accountKey);
  await throttles.uncount(ctx.store.db, attempt.addressKey, ctx.now());
}

function throttled(key: string, waitMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const wait = seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  const whose = key.startsWith('account:') ? 'for this account' : 'from your network address';
  return new AppError('LOGIN_THROTTLED', `Too many failed sign-ins ${whose}. Try again in ${wait}.`, {
    details: { retryAfterSeconds: seconds },
  });
}
