import type { SimClock } from '../shared/clock.ts';

/**
 * The leaky bucket (reference §6): one per (account × OAuth client). Each request adds its cost; the level
 * drains at `dripRate` per second of simulator-clock time. Following §6 ("the first request that pushes the
 * level above the size is allowed; subsequent ones get 429 until level < size"), a request is refused only
 * while the level is already at or above the size.
 */
export class LeakyBucket {
  level = 0;
  #lastMs: number;
  readonly #clock: SimClock;
  readonly #settings: () => { size: number; dripRate: number };

  constructor(clock: SimClock, settings: () => { size: number; dripRate: number }) {
    this.#clock = clock;
    this.#settings = settings;
    this.#lastMs = clock.now();
  }

  /** Drains by the time passed since the last look and returns the current level. */
  current(): number {
    const now = this.#clock.now();
    const elapsedSeconds = Math.max(0, now - this.#lastMs) / 1000;
    this.#lastMs = now;
    this.level = Math.max(0, this.level - elapsedSeconds * this.#settings().dripRate);
    return this.level;
  }

  /** Adds the request's cost, or returns the seconds to wait (Retry-After) when the bucket is full. */
  take(cost: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const level = this.current();
    const { size } = this.#settings();
    if (level >= size) return { ok: false, retryAfterSeconds: this.retryAfter() };
    this.level = level + cost;
    return { ok: true };
  }

  /** Whole seconds until the level is below the size again (at least 1). */
  retryAfter(): number {
    const { size, dripRate } = this.#settings();
    const excess = this.current() - size;
    if (excess < 0) return 1;
    return Math.max(1, Math.ceil((excess + 0.001) / dripRate));
  }

  headerLevel(): string {
    return `${formatLevel(this.current())}/${formatLevel(this.#settings().size)}`;
  }
}

/** Levels are fractional in real responses (`37.460243701934/90`); whole numbers print without decimals. */
export function formatLevel(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Math.round(value * 1000) / 1000);
}

/**
 * The burst limiter (reference §6, since 2025-07-10; vendor docs only, in no recording): at most `limit`
 * requests per (account × OAuth client) in a fixed one-second window of the simulator clock, every request
 * counting 1. [I] The windows start on whole seconds; a refused request (of either limiter) is not counted.
 */
export class BurstWindow {
  #window = Number.NaN;
  #used = 0;
  readonly #clock: SimClock;
  readonly #limit: () => number;

  constructor(clock: SimClock, limit: () => number) {
    this.#clock = clock;
    this.#limit = limit;
  }

  /** Requests counted in the current window. */
  used(): number {
    const window = Math.floor(this.#clock.now() / 1000);
    if (window !== this.#window) {
      this.#window = window;
      this.#used = 0;
    }
    return this.#used;
  }

  full(): boolean {
    return this.used() >= this.#limit();
  }

  take(): void {
    this.#used = this.used() + 1;
  }

  /** Whole seconds until the window ends (at least 1). */
  retryAfter(): number {
    return Math.max(1, Math.ceil((1000 - (this.#clock.now() % 1000)) / 1000));
  }

  headerLevel(): string {
    return `${this.used()}/${this.#limit()}`;
  }
}
