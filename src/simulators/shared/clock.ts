/**
 * The simulators' clock. Real time by default; tests and the control API can set or advance it so that
 * token expiry, rate-limit windows and order dates can be exercised without waiting.
 */
export class SimClock {
  #offsetMs = 0;
  #frozenAt: number | undefined;

  now(): number {
    return this.#frozenAt ?? Date.now() + this.#offsetMs;
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  advance(ms: number): void {
    if (this.#frozenAt !== undefined) this.#frozenAt += ms;
    else this.#offsetMs += ms;
  }

  /** Jumps to an absolute time; time keeps running from there unless `freeze` is set. */
  set(epochMs: number, freeze = false): void {
    if (freeze) {
      this.#frozenAt = epochMs;
      return;
    }
    this.#frozenAt = undefined;
    this.#offsetMs = epochMs - Date.now();
  }

  reset(): void {
    this.#offsetMs = 0;
    this.#frozenAt = undefined;
  }

  describe(): { now: string; offsetMs: number; frozen: boolean } {
    return { now: this.nowIso(), offsetMs: this.#offsetMs, frozen: this.#frozenAt !== undefined };
  }
}
