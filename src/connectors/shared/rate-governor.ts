import { burstReserve, burstSettle, burstWait, type BurstState } from './burst-window.ts';
import type { BudgetStore as CoreBudgetStore } from '../../core/ports/connection.ts';
import { RemoteRateLimited, type RemoteKind } from './errors.ts';

/**
 * One rate governor per POS account, shared by every process through a `BudgetStore` (the store's
 * `rate_budgets` table in production). The governor is fed by the live headers of every response and
 * spends the budget BEFORE a request goes out, so a well-behaved run sees no 429 at all.
 *
 * Two strategies:
 * - `leaky-bucket` (R-Series): `X-LS-API-Bucket-Level: used/size` (the size read from every reply: 30, 60, 90
 *   and 180 are all recorded), `X-LS-API-Drip-Rate`. `beforeRequest(cost)` waits until `level + cost <= size`,
 *   and for the burst limiter (`X-LS-API-Burst-Level`, see burst-window.ts) until a slot is free.
 * - `window` (X-Series): `X-RateLimit-Limit` / `X-RateLimit-Remaining` per 300 s window, `Retry-After`
 *   (HTTP date or seconds) on a 429.
 */

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface LeakyBucketState {
  kind: 'leaky-bucket';
  /** Drips in the bucket at `updatedAt` (fractional). */
  level: number;
  size: number;
  /** Drips leaking out per second. */
  dripPerSecond: number;
  updatedAt: number;
  /** No request before this time (from a 429's Retry-After). */
  blockedUntil: number;
  /** The burst limiter, once a reply has reported it (absent: the server has none). */
  burst?: BurstState;
  /** 429s in a row that said nothing of when to come back (2015 replies: no Retry-After, no level). */
  strikes?: number;
}

export interface WindowState {
  kind: 'window';
  limit: number | null;
  /** Requests left in the current window at `updatedAt` (our own spending is subtracted as we go). */
  remaining: number | null;
  /** When the current window ends, if known (else `updatedAt + windowMs` is assumed when empty). */
  resetAt: number | null;
  updatedAt: number;
  blockedUntil: number;
}

export type BudgetState = LeakyBucketState | WindowState;

/** The store of budgets (core/ports/connection.ts) holding this governor's state. */
export type BudgetStore = CoreBudgetStore<BudgetState>;

/** For tests and single-process runs. Copies on the way in and out, like a real store. */
export class InMemoryBudgetStore implements BudgetStore {
  private readonly states = new Map<string, string>();

  async load(key: string): Promise<BudgetState | null> {
    const raw = this.states.get(key);
    return raw === undefined ? null : (JSON.parse(raw) as BudgetState);
  }

  async save(key: string, state: BudgetState): Promise<void> {
    this.states.set(key, JSON.stringify(state));
  }
}

export interface ResponseInfo {
  status: number;
  headers: Headers;
  /** The cost reserved by `beforeRequest` for this request (released now). */
  cost: number;
}

export interface RateGovernor {
  readonly key: string;
  /** Drips (or requests) one call costs. */
  costOf(method: string, path: string): number;
  /**
   * Waits until the budget has room for `cost` and reserves it. Throws `RemoteRateLimited` (with the time
   * the budget will have room) when that wait would exceed `maxWaitMs`.
   */
  beforeRequest(cost: number, options?: { maxWaitMs?: number; signal?: AbortSignal }): Promise<void>;
  /**
   * Feeds the live headers back and releases the reservation. For a 429 returns when the request may be
   * sent again (epoch ms). Call with `status: 0` and empty headers when no reply came.
   */
  afterResponse(response: ResponseInfo): Promise<number | undefined>;
}

/** `Retry-After` as seconds or an HTTP date → epoch ms. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return now + Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : date;
}

/** `"37.46/90"` → { used: 37.46, size: 90 }. */
export function parseBucketLevel(value: string | null): { used: number; size: number } | undefined {
  if (!value) return undefined;
  const match = /^\s*([\d.]+)\s*\/\s*([\d.]+)\s*$/.exec(value);
  if (!match) return undefined;
  const used = Number(match[1]);
  const size = Number(match[2]);
  return Number.isFinite(used) && Number.isFinite(size) && size > 0 ? { used, size } : undefined;
}

interface CommonOptions {
  /** Budget key, one per POS account (and OAuth client), e.g. `lightspeed-r:acct:83050`. */
  key: string;
  store: BudgetStore;
  clock?: Clock;
  vendor: string;
  kind?: RemoteKind;
}

export interface LeakyBucketOptions extends CommonOptions {
  /** Until the first headers arrive (R-Series base: 90 / 1 per second). */
  initialSize?: number;
  initialDripPerSecond?: number;
  /**
   * Drips per request. R-Series today charges 1 for every request (+0.5 per nested entity on writes, 10 for
   * Category writes); pass a function for endpoint overrides. Default: 1.
   */
  cost?: (method: string, path: string) => number;
  /** Headroom kept free in the bucket (drips), to absorb other clients and rounding. Default 1. */
  headroom?: number;
}

export interface WindowOptions extends CommonOptions {
  /** X-Series: 300 s windows. */
  windowMs?: number;
  /** Requests kept in reserve (for other processes or a person using the POS). Default 0. */
  reserve?: number;
}

/** Serialises the read-modify-write of one budget inside this process. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

export const rSeriesCost = (method: string, path: string): number => {
  const upper = method.toUpperCase();
  if (upper === 'GET' || upper === 'HEAD') return 1;
  if (/\/Category(\/|\.json|$)/.test(path)) return 10;
  if (/\/Sale(Line)?(\/|\.json|$)/.test(path)) return 2;
  return 1;
};

export function createLeakyBucketGovernor(options: LeakyBucketOptions): RateGovernor {
  const clock = options.clock ?? systemClock;
  const mutex = new Mutex();
  const headroom = options.headroom ?? 1;
  // Reservations sent by this process whose replies have not come back yet: the server's reported level
  // does not include them yet.
  let inFlight = 0;

  const fresh = (): LeakyBucketState => ({
    kind: 'leaky-bucket',
    level: 0,
    size: options.initialSize ?? 90,
    dripPerSecond: options.initialDripPerSecond ?? 1,
    updatedAt: clock.now(),
    blockedUntil: 0,
  });
  const asBucket = (state: BudgetState | null): LeakyBucketState =>
    state && state.kind === 'leaky-bucket' ? state : fresh();
  /**
   * One read-modify-write of the budget: atomic across processes where the store can (`update`, the store's
   * rate_budgets row under its lock), else within this process only.
   */
  // The budget as this process last read or wrote it: a reply's quick check (unchangedBy) reads this copy instead
  // of the store, so a request costs one store round trip (its reservation), not two.
  let lastSeen: LeakyBucketState | undefined;
  const seen =
    <T>(change: (state: LeakyBucketState) => { state: LeakyBucketState | undefined; result: T }) =>
    (stored: BudgetState | null) => {
      const before = asBucket(stored);
      const outcome = change(before);
      lastSeen = outcome.state ?? before;
      return outcome;
    };
  const transact = <T>(change: (state: LeakyBucketState) => { state: LeakyBucketState | undefined; result: T }) =>
    mutex.run(async () => {
      const { store } = options;
      if (store.update) return store.update(options.key, seen(change));
      const { state, result } = seen(change)(await store.load(options.key));
      if (state !== undefined) await store.save(options.key, state);
      return result;
    });
  const levelAt = (state: LeakyBucketState, now: number): number =>
    Math.max(0, state.level - (Math.max(0, now - state.updatedAt) / 1000) * state.dripPerSecond);
  const unchangedBy = async (headers: Headers, cost: number): Promise<boolean> => {
    const state = lastSeen ?? asBucket(await options.store.load(options.key));
    const bucket = parseBucketLevel(headers.get('x-ls-api-bucket-level'));
    const drip = Number(headers.get('x-ls-api-drip-rate'));
    const charged = Number(headers.get('x-ls-api-request-cost') ?? Number.NaN);
    return (
      bucket !== undefined &&
      bucket.size === state.size &&
      drip === state.dripPerSecond &&
      charged === cost &&
      bucket.used + inFlight <= levelAt(state, clock.now()) &&
      headers.get('x-ls-api-burst-level') === null &&
      state.burst === undefined &&
      !state.strikes
    );
  };

  return {
    key: options.key,
    costOf: options.cost ?? rSeriesCost,

    async beforeRequest(cost, { maxWaitMs = Number.POSITIVE_INFINITY, signal } = {}) {
      const started = clock.now();
      for (;;) {
        // The reservation is taken before the request goes out, in the shared budget: a sender in another
        // process sees it at once.
        const wait = await transact((state) => {
          const now = clock.now();
          const level = levelAt(state, now);
          const room = state.size - headroom - level;
          const needed = Math.min(cost, Math.max(0, state.size - headroom));
          const dripWait = needed <= room ? 0 : Math.ceil(((needed - room) / state.dripPerSecond) * 1000);
          const wait = Math.max(dripWait, state.blockedUntil - now, burstWait(state.burst, now));
          if (wait > 0) return { state: undefined, result: wait };
          const burst = burstReserve(state.burst, now);
          return {
            state: { ...state, level: level + cost, updatedAt: now, ...(burst ? { burst } : {}) },
            result: wait,
          };
        });
        if (wait <= 0) {
          inFlight += cost;
          return;
        }
        const now = clock.now();
        if (now - started + wait > maxWaitMs) {
          throw new RemoteRateLimited({ vendor: options.vendor, kind: options.kind, retryAt: now + wait });
        }
        await clock.sleep(wait, signal);
      }
    },

    async afterResponse({ status, headers, cost }) {
      inFlight = Math.max(0, inFlight - cost);
      // Most replies change nothing: the charge was as reserved and the reported level is under ours. Then no
      // store round trip (the stored level only grows past a copy read earlier, so the check is safe on a copy).
      if (status !== 429 && (await unchangedBy(headers, cost))) return undefined;
      return transact((state) => {
        const now = clock.now();
        const bucket = parseBucketLevel(headers.get('x-ls-api-bucket-level'));
        const drip = Number(headers.get('x-ls-api-drip-rate'));
        // What the server charged for this request: the reservation is corrected by the difference (a delta,
        // so replies in any order add up to the same level).
        const charged = Number(headers.get('x-ls-api-request-cost') ?? Number.NaN);
        const correction = status !== 429 && Number.isFinite(charged) && charged >= 0 ? charged - cost : 0;
        let next: LeakyBucketState = {
          ...state,
          level: Math.max(0, levelAt(state, now) + correction),
          updatedAt: now,
        };
        // The reported level only ever raises ours (someone else spends this account too); it never lowers it,
        // since a reply that comes back after a later one reports an older, lower level, and requests still in
        // flight (from any process) are not in the server's figure yet. The level falls by the drip.
        if (bucket) next = { ...next, level: Math.max(next.level, bucket.used + inFlight), size: bucket.size };
        if (Number.isFinite(drip) && drip > 0) next = { ...next, dripPerSecond: drip };
        const burstHeader = parseBucketLevel(headers.get('x-ls-api-burst-level'));
        // A reply that reports the bucket but no burst level comes from a server without the burst limiter.
        const burst = bucket && !burstHeader ? undefined : burstSettle(state.burst, now, burstHeader);
        if (burst) next.burst = burst;
        else delete next.burst;
        let retryAt: number | undefined;
        if (status === 429) {
          retryAt = retryAfter429(next, headers, bucket, now);
          next = {
            ...next,
            // A 429 whose reply reports the level is believed; only one that says nothing means a full bucket
            // (a burst 429 says nothing about the bucket).
            level: bucket || isBurst429(headers) ? next.level : Math.max(next.level, next.size),
            blockedUntil: Math.max(next.blockedUntil, retryAt),
            strikes: (state.strikes ?? 0) + 1,
          };
        } else if (next.strikes) {
          next = { ...next, strikes: 0 };
        }
        return { state: next, result: retryAt };
      });
    },
  };
}

const isBurst429 = (headers: Headers): boolean =>
  (headers.get('x-ls-api-ratelimit-type') ?? '').trim().toLowerCase() === 'api-burst-limiter';

/**
 * When a refused request may go again. The burst limiter's window is a second (§6: back off at least 1 s).
 * The bucket's: `Retry-After`, or until the level is back under the size. The only real 429s on record
 * (2015) carry neither Retry-After nor a level: then back off exponentially, from a second (or one drip)
 * doubling per refusal in a row, up to a minute.
 */
function retryAfter429(
  state: LeakyBucketState,
  headers: Headers,
  bucket: { used: number; size: number } | undefined,
  now: number,
): number {
  const fromHeader = parseRetryAfter(headers.get('retry-after'), now);
  if (isBurst429(headers)) return Math.max(fromHeader ?? 0, now + 1000);
  const oneDripMs = Math.ceil(1000 / state.dripPerSecond);
  if (fromHeader === undefined && !bucket) {
    return now + Math.min(60_000, Math.max(1000, oneDripMs) * 2 ** Math.min(6, state.strikes ?? 0));
  }
  const level = bucket ? bucket.used : state.level;
  // Until the level is back under the size (plus the cost of one request).
  const fromBucket = now + Math.ceil((Math.max(0, level - state.size + 1) / state.dripPerSecond) * 1000);
  return Math.max(fromHeader ?? now + 1000, fromBucket);
}

export function createWindowGovernor(options: WindowOptions): RateGovernor {
  const clock = options.clock ?? systemClock;
  const mutex = new Mutex();
  const windowMs = options.windowMs ?? 300_000;
  const reserve = options.reserve ?? 0;

  const fresh = (): WindowState => ({
    kind: 'window',
    limit: null,
    remaining: null,
    resetAt: null,
    updatedAt: clock.now(),
    blockedUntil: 0,
  });
  const load = async (): Promise<WindowState> => {
    const state = await options.store.load(options.key);
    return state && state.kind === 'window' ? state : fresh();
  };
  /** A window that has ended starts full again. */
  const roll = (state: WindowState, now: number): WindowState => {
    const end = state.resetAt ?? state.updatedAt + windowMs;
    if (state.remaining !== null && now >= end) {
      return { ...state, remaining: state.limit, resetAt: null, updatedAt: now };
    }
    return state;
  };

  return {
    key: options.key,
    costOf: () => 1,

    async beforeRequest(cost, { maxWaitMs = Number.POSITIVE_INFINITY, signal } = {}) {
      const started = clock.now();
      for (;;) {
        const wait = await mutex.run(async () => {
          const now = clock.now();
          const state = roll(await load(), now);
          let wait = state.blockedUntil - now;
          if (state.remaining !== null && state.remaining - cost < reserve) {
            wait = Math.max(wait, (state.resetAt ?? state.updatedAt + windowMs) - now);
          }
          if (wait <= 0) {
            const remaining = state.remaining === null ? null : state.remaining - cost;
            await options.store.save(options.key, { ...state, remaining });
          }
          return wait;
        });
        if (wait <= 0) return;
        const now = clock.now();
        if (now - started + wait > maxWaitMs) {
          throw new RemoteRateLimited({ vendor: options.vendor, kind: options.kind, retryAt: now + wait });
        }
        await clock.sleep(wait, signal);
      }
    },

    async afterResponse({ status, headers }) {
      return mutex.run(async () => {
        const now = clock.now();
        let state = roll(await load(), now);
        const limit = Number(headers.get('x-ratelimit-limit') ?? Number.NaN);
        const remaining = Number(headers.get('x-ratelimit-remaining') ?? Number.NaN);
        const reset = Number(headers.get('x-ratelimit-reset') ?? Number.NaN);
        if (Number.isFinite(limit)) state = { ...state, limit };
        if (Number.isFinite(remaining)) {
          // A window starting fresh: its end is a window from now, unless the server said otherwise.
          const startedNew = state.remaining === null || remaining > state.remaining;
          state = {
            ...state,
            remaining,
            updatedAt: startedNew ? now : state.updatedAt,
            resetAt: startedNew ? null : state.resetAt,
          };
        }
        if (Number.isFinite(reset) && reset > 0) state = { ...state, resetAt: reset < 1e12 ? reset * 1000 : reset };
        let retryAt: number | undefined;
        if (status === 429) {
          retryAt = parseRetryAfter(headers.get('retry-after'), now) ?? now + 30_000;
          state = { ...state, remaining: 0, resetAt: retryAt, blockedUntil: Math.max(state.blockedUntil, retryAt) };
        }
        await options.store.save(options.key, state);
        return retryAt;
      });
    },
  };
}
