import { RemoteRateLimited, type RemoteKind } from './errors.ts';

/**
 * One rate governor per POS account, shared by every process through a `BudgetStore` (the store's
 * `rate_budgets` table in production). The governor is fed by the live headers of every response and
 * spends the budget BEFORE a request goes out, so a well-behaved run sees no 429 at all.
 *
 * Two strategies:
 * - `leaky-bucket` (R-Series): `X-LS-API-Bucket-Level: used/size`, `X-LS-API-Drip-Rate`. `beforeRequest(cost)`
 *   waits until `level + cost <= size`.
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

export interface BudgetStore {
  load(key: string): Promise<BudgetState | null>;
  save(key: string, state: BudgetState): Promise<void>;
}

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
  const load = async (): Promise<LeakyBucketState> => {
    const state = await options.store.load(options.key);
    return state && state.kind === 'leaky-bucket' ? state : fresh();
  };
  const levelAt = (state: LeakyBucketState, now: number): number =>
    Math.max(0, state.level - (Math.max(0, now - state.updatedAt) / 1000) * state.dripPerSecond);

  return {
    key: options.key,
    costOf: options.cost ?? rSeriesCost,

    async beforeRequest(cost, { maxWaitMs = Number.POSITIVE_INFINITY, signal } = {}) {
      const started = clock.now();
      for (;;) {
        const wait = await mutex.run(async () => {
          const state = await load();
          const now = clock.now();
          const level = levelAt(state, now);
          const room = state.size - headroom - level;
          const needed = Math.min(cost, Math.max(0, state.size - headroom));
          const dripWait = needed <= room ? 0 : Math.ceil(((needed - room) / state.dripPerSecond) * 1000);
          const wait = Math.max(dripWait, state.blockedUntil - now);
          if (wait <= 0) {
            inFlight += cost;
            await options.store.save(options.key, { ...state, level: level + cost, updatedAt: now });
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

    async afterResponse({ status, headers, cost }) {
      return mutex.run(async () => {
        inFlight = Math.max(0, inFlight - cost);
        const state = await load();
        const now = clock.now();
        const bucket = parseBucketLevel(headers.get('x-ls-api-bucket-level'));
        const drip = Number(headers.get('x-ls-api-drip-rate'));
        let next: LeakyBucketState = { ...state, level: levelAt(state, now), updatedAt: now };
        if (bucket) next = { ...next, level: bucket.used + inFlight, size: bucket.size };
        if (Number.isFinite(drip) && drip > 0) next = { ...next, dripPerSecond: drip };
        let retryAt: number | undefined;
        if (status === 429) {
          const fromHeader = parseRetryAfter(headers.get('retry-after'), now);
          const level = bucket ? bucket.used : next.level;
          // Until the level is back under the size (plus the cost of one request).
          const fromBucket = now + Math.ceil((Math.max(0, level - next.size + 1) / next.dripPerSecond) * 1000);
          retryAt = Math.max(fromHeader ?? now + 1000, fromBucket);
          // A 429 whose reply reports the level is believed (Retry-After then says when); only a 429
          // without one is taken to mean a full bucket.
          next = {
            ...next,
            level: bucket ? next.level : Math.max(next.level, next.size),
            blockedUntil: Math.max(next.blockedUntil, retryAt),
          };
        }
        await options.store.save(options.key, next);
        return retryAt;
      });
    },
  };
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
