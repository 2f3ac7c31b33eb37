/**
 * One recorded step of a sales saga, made safe against retries, crashes and replies that never came:
 * - a step recorded `done` is never run again (its result is returned);
 * - before any create the correlation key is looked up, and always again after an unknown outcome (a timeout, a
 *   5xx, a dropped connection), so a retry never makes a second record;
 * - the step's outcome is written to the store before the next step begins.
 */
import { RemoteUnavailable } from '../../connectors/shared/errors.ts';
import type { Db } from '../../store/db.ts';
import { salesSyncs } from '../../store/repos/index.ts';

export interface StepSpec<T> {
  /** Finds what an earlier attempt may already have made, by correlation key. */
  lookup(): Promise<T | undefined>;
  /** Makes it. */
  perform(): Promise<T>;
}

export interface StepEnv {
  db: Db;
  tenantId: string;
  now(): number;
}

/** The remote state after this error is unknown: look it up. (A "duplicate" refusal the ports turn into the record.) */
function mayHaveHappened(error: unknown): boolean {
  return error instanceof RemoteUnavailable;
}

export async function runStep<T>(env: StepEnv, syncId: string, stepKey: string, spec: StepSpec<T>): Promise<T> {
  const before = await salesSyncs.startStep(env.db, env.tenantId, syncId, stepKey, env.now());
  if (before?.state === 'done') return before.result as T;
  try {
    const found = await spec.lookup();
    if (found !== undefined) {
      await salesSyncs.finishStep(env.db, env.tenantId, syncId, stepKey, found, env.now());
      return found;
    }
    let made: T;
    try {
      made = await spec.perform();
    } catch (error) {
      if (!mayHaveHappened(error)) throw error;
      const after = await spec.lookup();
      if (after === undefined) throw error;
      made = after;
    }
    await salesSyncs.finishStep(env.db, env.tenantId, syncId, stepKey, made, env.now());
    return made;
  } catch (error) {
    await salesSyncs.failStep(
      env.db,
      env.tenantId,
      syncId,
      stepKey,
      error instanceof Error ? error.message : String(error),
      env.now(),
    );
    throw error;
  }
}

export async function stepDone(env: StepEnv, syncId: string, stepKey: string): Promise<boolean> {
  return (await salesSyncs.getStep(env.db, env.tenantId, syncId, stepKey))?.state === 'done';
}
