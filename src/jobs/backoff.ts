export interface BackoffOptions {
  /** Delay before the second attempt, before jitter. */
  baseMs: number;
  /** No delay exceeds this. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 5 * 60_000 };

/** How long work waits out a remote system's outage (without using attempts) before it fails. */
export const DEFAULT_OUTAGE_BUDGET_MS = 24 * 3_600_000;

/**
 * Delay before retrying after the given failed attempt (1-based): doubles from baseMs up to capMs,
 * then a random point in its upper half, so workers that failed together do not retry together.
 */
export function backoffDelay(
  failedAttempts: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** exponent);
  return jittered(ceiling, random);
}

/**
 * When to try again during an outage that began at `sinceMs`: the delay grows with the time already
 * waited (tries come about base, 2·base, 4·base… after it began) up to the cap, so a short blip is
 * retried at once and a long outage costs a try every capMs. Null once `budgetMs` has passed; the last
 * try falls on the end of the budget.
 */
export function outageRetryAt(
  sinceMs: number,
  now: number,
  budgetMs: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number | null {
  const waited = Math.max(0, now - sinceMs);
  if (waited >= budgetMs) return null;
  const ceiling = Math.min(options.capMs, Math.max(options.baseMs, waited));
  return Math.min(now + jittered(ceiling, random), sinceMs + budgetMs);
}

function jittered(ceiling: number, random: () => number): number {
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
