/**
 * Waiting in tests with a deadline that comes from progress, not from the wall clock (issue 18). A loaded machine
 * (CI: 2 cores, 3 test files at once, sometimes a benchmark beside) makes a wait slower, not red: `waitUntil` keeps
 * polling as long as the probe's progress snapshot keeps changing, and fails only once nothing has changed for
 * `stallMs`. The test runner's per-test timeout (scripts/test.ts) stays the backstop for a wait that keeps moving
 * and never ends.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { canonicalJson } from '../../src/core/canonical.ts';
import type { Db } from '../../src/store/db.ts';

/** What a probe found: done (with the value to return), or not yet, with a snapshot of how far things got. */
export type Probe<T> = { done: true; value: T } | { done: false; progress: unknown };

export interface WaitOptions {
  /** What is awaited, for the error ("the export jobs finishing"). */
  what: string;
  /** Fail once the progress snapshot has not changed for this long. Default 60 s. */
  stallMs?: number;
  /** Pause between probes. Default 50 ms. */
  intervalMs?: number;
}

export const DEFAULT_STALL_MS = 60_000;

/**
 * Polls `probe` until it reports done and returns its value. Progress snapshots are compared as canonical JSON (key
 * order does not count); an error the probe throws ends the wait with that error.
 */
export async function waitUntil<T>(probe: () => Promise<Probe<T>> | Probe<T>, options: WaitOptions): Promise<T> {
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  const intervalMs = options.intervalMs ?? 50;
  const started = Date.now();
  let last: string | undefined;
  let changedAt = started;
  for (;;) {
    const found = await probe();
    if (found.done) return found.value;
    const now = Date.now();
    const snapshot = canonicalJson(found.progress);
    if (snapshot !== last) {
      last = snapshot;
      changedAt = now;
    } else if (now - changedAt >= stallMs) {
      throw new Error(
        `${options.what}: no progress for ${now - changedAt} ms (waited ${now - started} ms in all); last progress: ${snapshot}`,
      );
    }
    await sleep(intervalMs);
  }
}

/**
 * The jobs (of one organization, or all): task, state, attempts, next run and holder, a progress snapshot for waits on
 * work a worker does. Lock renewals (locked_until) are left out: a handler stuck with its lock kept alive is no progress.
 */
export async function jobsProgress(db: Db, tenantId?: string): Promise<unknown[]> {
  let query = db.selectFrom('jobs').select(['id', 'task', 'state', 'attempts', 'run_at', 'locked_by']).orderBy('id');
  if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
  return (await query.execute()).map((j) => [j.id, j.task, j.state, j.attempts, Number(j.run_at), j.locked_by]);
}
