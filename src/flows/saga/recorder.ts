import { DeferJob } from '../../jobs/errors.ts';
import type { Db } from '../../store/db.ts';
import { leases, sagaSteps } from '../../store/repos/index.ts';
import type { SagaStep, StepEnv } from './types.ts';

/** Long enough for another saga to create a large style; past it the job waits its turn (no attempt used). */
const exclusiveWaitMs = 120_000;

interface Known {
  state: 'running' | 'done' | 'failed';
  result: unknown;
}

/**
 * The recorded steps of one saga and the resume rule: a step recorded done returns its recorded result; a step
 * an earlier run started (running, or failed) runs `reconcile`; any other runs `run`. Each step is recorded
 * (committed) before it runs and again with its result, so a killed process resumes where it stopped.
 */
export class StepRecorder {
  readonly #db: Db;
  readonly #tenantId: string;
  readonly #saga: string;
  readonly #sagaId: string;
  readonly #now: () => number;
  #known = new Map<string, Known>();

  private constructor(db: Db, ids: { tenantId: string; saga: string; sagaId: string }, now: () => number) {
    this.#db = db;
    this.#tenantId = ids.tenantId;
    this.#saga = ids.saga;
    this.#sagaId = ids.sagaId;
    this.#now = now;
  }

  static async load(
    db: Db,
    ids: { tenantId: string; saga: string; sagaId: string },
    now: () => number,
  ): Promise<StepRecorder> {
    const recorder = new StepRecorder(db, ids, now);
    const rows = await sagaSteps.list(db, ids.tenantId, ids.sagaId);
    recorder.#known = new Map(rows.map((r) => [r.stepKey, { state: r.state, result: r.result }]));
    return recorder;
  }

  isDone(key: string): boolean {
    return this.#known.get(key)?.state === 'done';
  }

  result<T>(key: string): T {
    const known = this.#known.get(key);
    if (known?.state !== 'done') throw new Error(`step ${key} of ${this.#saga} ${this.#sagaId} has no result yet`);
    return known.result as T;
  }

  /** Runs a step unless it is done; true when it ran (talked to the remote) in this run. */
  async run<L, R>(step: SagaStep<L, R>, position: number, env: StepEnv<L, R>, signal: AbortSignal): Promise<boolean> {
    if (this.isDone(step.key)) return false;
    // The job was taken over (lock lost) or the worker is stopping: start no new remote call.
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
    const attempt = () => this.#attempt(step, position, env);
    if (step.exclusive === undefined) await attempt();
    else await this.#exclusive(step.exclusive, () => (this.isDone(step.key) ? Promise.resolve() : attempt()));
    return true;
  }

  async #attempt<L, R>(step: SagaStep<L, R>, position: number, env: StepEnv<L, R>): Promise<void> {
    const started = this.#known.has(step.key);
    await sagaSteps.start(this.#db, this.#tenantId, {
      saga: this.#saga,
      sagaId: this.#sagaId,
      stepKey: step.key,
      scope: step.scope ?? null,
      position,
      now: this.#now(),
    });
    this.#known.set(step.key, { state: 'running', result: null });
    const reconcile = (failedAttempt?: unknown) =>
      (step.reconcile ?? step.run)(failedAttempt === undefined ? env : { ...env, failedAttempt });
    try {
      let result: unknown;
      if (started) result = await reconcile();
      else {
        try {
          result = await step.run(env);
        } catch (error) {
          if (!step.reconcileOn?.(error)) throw error;
          result = await reconcile(error);
        }
      }
      await sagaSteps.finish(this.#db, this.#tenantId, this.#sagaId, step.key, result, this.#now());
      this.#known.set(step.key, { state: 'done', result });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await sagaSteps.fail(this.#db, this.#tenantId, this.#sagaId, step.key, message, this.#now());
      this.#known.set(step.key, { state: 'failed', result: null });
      throw error;
    }
  }

  /** Holds a lease shared with other sagas while the step runs; a long wait defers the job (no attempt used). */
  async #exclusive(name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await leases.withLease(this.#db, name, fn, { ttlMs: 30_000, waitMs: exclusiveWaitMs, pollMs: 100 });
    } catch (error) {
      if (error instanceof leases.LeaseTimeout)
        throw new DeferJob(this.#now() + 5_000, `another run is still working on ${name}`);
      throw error;
    }
  }
}
