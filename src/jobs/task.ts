/**
 * Typed tasks (graphile-worker's task map, our way): a task names its payload schema once, and both ends are
 * checked against it. `enqueue(db, task, payload, options)` is checked at compile time; the worker parses the
 * stored payload with the same schema before the handler sees it, so no handler casts `job.payload`.
 *
 *   export const applyTask = defineTask('export.apply', z.object({ planId: z.string() }), { concurrency: 4 }, run);
 *   await enqueue(trx, applyTask, { planId }, { tenantId, key: planId });
 *   const handlers = taskHandlers(ctx, [applyTask, ...]);   // src/main.ts
 */
import type { z } from 'zod';
import { PermanentJobError } from './errors.ts';
import type { Job } from './queue.ts';
import type { JobContext, JobHandler } from './runner.ts';

export interface TaskOptions<P = any> {
  /** Jobs of this task running at once across every worker (unlimited when absent). */
  concurrency?: number;
  /** Jobs of this task one worker runs at once (the worker's own limit when absent): capacity grows with workers. */
  workerConcurrency?: number;
  /**
   * The key jobs of this task share a limit by (e.g. the POS account a job writes to), read from the payload;
   * with `concurrencyPerKey`, at most that many jobs with the same key run at once across every worker. A
   * payload with no key is limited only by the other limits.
   */
  concurrencyKey?: (payload: P) => string | undefined;
  concurrencyPerKey?: number;
  /** How long a claim lasts without a heartbeat; the worker renews it while the job runs. */
  lockMs?: number;
  /** Attempts before the job fails for good (the queue's default when absent). */
  maxAttempts?: number;
}

/** What `enqueue` needs of a task: its name, its payload's schema and its options. */
export interface TaskRef<P> {
  readonly name: string;
  readonly payload: z.ZodType<P>;
  readonly options: TaskOptions<P>;
}

/** A task: `run` gets the dependencies it is registered with (src/main.ts) and the parsed payload. */
export interface Task<P, D> extends TaskRef<P> {
  readonly run: (deps: D, payload: P, job: Job, jobCtx: JobContext) => unknown;
}

export function defineTask<S extends z.ZodType, D>(
  name: string,
  payload: S,
  options: TaskOptions<z.output<S>>,
  run: (deps: D, payload: z.output<S>, job: Job, jobCtx: JobContext) => unknown,
): Task<z.output<S>, D> {
  if (name === '') throw new RangeError('a task needs a name');
  return { name, payload: payload as z.ZodType<z.output<S>>, options, run };
}

/** Reads a stored payload with its task's schema: a payload that does not fit fails the job for good. */
export function payloadOf<P>(task: TaskRef<P>, job: Pick<Job, 'id' | 'payload'>): P {
  const parsed = task.payload.safeParse(job.payload);
  if (parsed.success) return parsed.data;
  throw new PermanentJobError(`job ${job.id} of ${task.name} has a payload that does not fit: ${parsed.error.message}`);
}

/** A list of tasks whose payloads differ. */
export type AnyTask<D> = Task<any, D>;

/** The worker's handlers, by task name, each reading its payload through its task's schema. */
export function taskHandlers<D>(deps: D, tasks: ReadonlyArray<AnyTask<D>>): Record<string, JobHandler> {
  const handlers: Record<string, JobHandler> = {};
  for (const task of tasks) {
    if (handlers[task.name]) throw new Error(`task ${task.name} is registered twice`);
    handlers[task.name] = {
      ...(task.options.concurrency === undefined ? {} : { concurrency: task.options.concurrency }),
      ...(task.options.lockMs === undefined ? {} : { lockMs: task.options.lockMs }),
      ...(task.options.workerConcurrency === undefined ? {} : { workerConcurrency: task.options.workerConcurrency }),
      ...perKeyOf(task),
      run: (job, jobCtx) => task.run(deps, payloadOf(task, job), job, jobCtx),
    };
  }
  return handlers;
}

/** A task's per-key limit as the worker's handler holds it: the key read from the stored payload. */
function perKeyOf<D>(task: AnyTask<D>): Pick<JobHandler, 'perKey'> {
  const { concurrencyKey, concurrencyPerKey } = task.options;
  if (concurrencyKey === undefined || concurrencyPerKey === undefined) return {};
  const keyOf = (payload: unknown): string | undefined => {
    const parsed = task.payload.safeParse(payload);
    return parsed.success ? concurrencyKey(parsed.data) : undefined;
  };
  return { perKey: { limit: concurrencyPerKey, keyOf } };
}
