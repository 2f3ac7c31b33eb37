/**
 * R-Series burst limiter (reference §6, since 2025-07-10; vendor docs only, no recorded traffic): at most
 * `limit` requests in a fixed window of one second, reported as `X-LS-API-Burst-Level: used/limit`.
 *
 * The window's phase is the server's and unknown here, so a request is let go only when fewer than `limit`
 * of our requests could share a window with it. Each request holds a slot until `windowMs` after its REPLY:
 * a request arrives after it was sent and before its reply came back, so "sent ≥ an earlier reply + window"
 * puts the two in different windows whatever the latency or the window's phase, with no safety margin (and
 * the cost of one round trip per window). A request still in flight holds its slot.
 */

export interface BurstSlot {
  sent: number;
  /** When the reply (or the failure) came back; null while in flight. */
  done: number | null;
}

export interface BurstState {
  limit: number;
  windowMs: number;
  slots: BurstSlot[];
}

/** A process that died mid-request leaves a slot in flight; it stops counting after this long. */
const STALE_IN_FLIGHT_MS = 120_000;

function live(state: BurstState, now: number): BurstSlot[] {
  return state.slots.filter((s) =>
    s.done === null ? now - s.sent < STALE_IN_FLIGHT_MS : s.done > now - state.windowMs,
  );
}

/** Milliseconds until one more request may go (0: now). */
export function burstWait(state: BurstState | undefined, now: number): number {
  if (!state) return 0;
  const slots = live(state, now);
  const excess = slots.length - state.limit + 1;
  if (excess <= 0) return 0;
  const done = slots
    .map((s) => s.done)
    .filter((d): d is number => d !== null)
    .sort((a, b) => a - b);
  // Freed when the `excess`-th oldest reply leaves the window; slots still in flight free a window after
  // their reply at the earliest, so waiting one window is never too early.
  const freeAt = done[excess - 1];
  return freeAt === undefined ? state.windowMs : Math.max(1, freeAt + state.windowMs - now);
}

export function burstReserve(state: BurstState | undefined, now: number): BurstState | undefined {
  if (!state) return undefined;
  return { ...state, slots: [...live(state, now), { sent: now, done: null }] };
}

/**
 * A reply came back: the oldest slot in flight is settled now (which request it was does not matter, only
 * how many replies came when), then the server's own count corrects ours: requests of other processes or
 * clients of the same account show up as `used` above what we hold.
 */
export function burstSettle(
  state: BurstState | undefined,
  now: number,
  header: { used: number; size: number } | undefined,
): BurstState | undefined {
  let next = state ? { ...state, slots: live(state, now) } : undefined;
  if (next) {
    const index = next.slots.findIndex((s) => s.done === null);
    if (index >= 0) next.slots = next.slots.map((s, i) => (i === index ? { ...s, done: now } : s));
  }
  if (!header) return next;
  const limit = Math.max(1, Math.floor(header.size));
  next = next ? { ...next, limit } : { limit, windowMs: 1000, slots: [] };
  const missing = Math.ceil(header.used) - next.slots.length;
  if (missing > 0) next.slots = [...next.slots, ...Array.from({ length: missing }, () => ({ sent: now, done: now }))];
  return next;
}
