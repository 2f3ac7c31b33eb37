export interface BackoffOptions {
  /** Delay before the second attempt, before jitter. */
  baseMs: number;
  /** No delay exceeds this. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 5 * 60_000 };

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
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
