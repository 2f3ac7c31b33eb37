import type { z } from 'zod';
import type { Job } from '../../jobs/queue.ts';
import type { JobContext } from '../../jobs/runner.ts';
import type { TaskOptions } from '../../jobs/task.ts';
import type { Store } from '../../store/db.ts';
import type { SagaStepState } from '../../store/schema.ts';

/** What the runtime itself needs of the dependencies a saga is registered with (AppContext has it). */
export interface SagaDeps {
  store: Store;
  now(): number;
  /** Where the runtime writes each run's start, finish and failure lines (AppContext's pino logger). */
  logger?: SagaLogger;
}

/** The subset of pino's logger the runtime uses. */
export interface SagaLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** What a step's `run` and `reconcile` get. */
export interface StepEnv<L, R> {
  /** What the saga's `load` read (its rows: a plan, its exports). */
  readonly loaded: L;
  /** What the saga's `open` made for this run (its ports: the POS). */
  readonly ports: R;
  /** The recorded result of an earlier step of this saga (done in this run or an earlier one). */
  result<T>(key: string): T;
  /** Whether an earlier step is recorded done. */
  isDone(key: string): boolean;
  /** Set when `reconcile` runs right after this run's own attempt failed (see `reconcileOn`). */
  readonly failedAttempt?: unknown;
  now(): number;
}

/**
 * One step: a verb-noun file each (flows/export/steps/). `run` makes what the step makes; `reconcile` runs
 * instead when an earlier run started the step and its outcome is unknown (a crash, a timeout, a lost reply):
 * find what it may have made by correlation key and make only what is missing. Without `reconcile`, `run` is
 * run again (a step whose work is idempotent).
 */
export interface SagaStep<L, R, T = unknown> {
  /** Unique within the saga; recorded, so it must stay the same for the same work across releases. */
  readonly key: string;
  /** What a person reads on the progress page and in the CLI. */
  readonly label: string;
  /**
   * The unit of the saga the step belongs to (an order of a plan): a failure that is that unit's own (the POS
   * refused its PO) skips the rest of the unit, and the other units go on. Null: a step the units share.
   */
  readonly scope?: string | null;
  /**
   * A lease held while the step runs, shared with other sagas (`pos-create:<account>:<name>`): exactly one saga
   * creates a record they share; the others, taking it after, find it. A long wait defers the job.
   */
  readonly exclusive?: string;
  run(env: StepEnv<L, R>): Promise<T>;
  reconcile?(env: StepEnv<L, R>): Promise<T>;
  /** Errors of this run's own attempt after which the step reconciles at once (a create the remote may have made). */
  reconcileOn?(error: unknown): boolean;
}

/** One run of a saga, as the definition's hooks see it. */
export interface SagaRun<D, P, L> {
  readonly deps: D;
  readonly payload: P;
  readonly job: Job;
  readonly jobCtx: JobContext;
  readonly tenantId: string;
  readonly sagaId: string;
  /** Undefined when the error came before `load` finished. */
  readonly loaded: L | undefined;
  /** The queue's own rule: this error fails the job for good (permanent, or the last attempt). */
  willNotRetry(error: unknown): boolean;
}

/** What the saga's own records learn from the one remote-error policy (flows/saga/remote-policy.ts). */
export interface SagaHooks<D, P, L> {
  /** The remote did not answer: since when the saga has been waiting (default: when the job was queued). */
  waitingSince?(run: SagaRun<D, P, L>): Promise<number>;
  /** It waits until `nextTryAt` (the job is deferred, no attempt used). */
  onWaiting?(run: SagaRun<D, P, L>, waiting: { since: number; reason: string; nextTryAt: number }): Promise<void>;
  /** A step finished with the remote, or the remote answered with something else than an outage. */
  onAnswered?(run: SagaRun<D, P, L>): Promise<void>;
  /** The connection that lost its authorization (the runtime marks it `needs_relink`). */
  connectionFor?(run: SagaRun<D, P, L>, error: unknown): string | undefined;
  /** The saga fails for good with this error: its rows say so. */
  onFailed?(run: SagaRun<D, P, L>, error: unknown): Promise<void>;
  /** One unit's own failure (`scope`); `final` when the queue will not run the job again. */
  onScopeFailed?(run: SagaRun<D, P, L>, scope: string, error: unknown, final: boolean): Promise<void>;
}

export interface SagaDefinition<D extends SagaDeps, P, L, R> {
  /** The family in the steps table: `export`, `sales`. */
  readonly name: string;
  /** The job task that runs it. */
  readonly task: string;
  readonly payload: z.ZodType<P>;
  readonly options?: TaskOptions<P>;
  /** One run at a time per key, whatever job runs it: a lease renewed with the job's lock. */
  lockKey(payload: P): string;
  /** The id the steps are recorded under (a plan id). */
  sagaId(payload: P): string;
  /** Reads what the steps are made from, from the store only (also for `progress`: no remote calls). */
  load(deps: D, tenantId: string, payload: P): Promise<L>;
  /** The planned steps, in the order they run: data, so progress is this list joined with what is recorded. */
  steps(loaded: L): ReadonlyArray<SagaStep<L, R>>;
  /** Opens what the steps talk to (the ports) for a run. */
  open(deps: D, loaded: L, run: SagaRun<D, P, L>): Promise<R>;
  /** A unit already finished (an order exported in an earlier run): its steps are not run again. */
  scopeFinished?(loaded: L, scope: string): boolean;
  /** After every step ran or its unit failed: the job's result. Throw to fail or retry the job. */
  finish?(run: SagaRun<D, P, L>, failures: ReadonlyArray<{ scope: string; error: unknown }>): Promise<unknown>;
  /**
   * The ids a log line of this run names (an export's plan, order and export ids), for one unit (`scope`) or for
   * the whole run. Default: the saga id.
   */
  logIds?(run: SagaRun<D, P, L>, scope?: string): Record<string, unknown>;
  /** Who the remote is, in the words of a failure (`The POS`). */
  readonly remoteLabel?: string;
  readonly hooks?: SagaHooks<D, P, L>;
}

export type StepProgressState = 'pending' | SagaStepState;

/** One planned step with what the store recorded of it. */
export interface StepProgress {
  key: string;
  label: string;
  scope: string | null;
  state: StepProgressState;
  error: string | null;
  attempts: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** `progress(sagaId)`: what `/progress`, the CLI's bar and the web page render as it is. */
export interface SagaProgress {
  sagaId: string;
  steps: StepProgress[];
  total: number;
  done: number;
}
