import { hostname } from 'node:os';
import type { Store } from '../store/db.ts';
import { DEFAULT_BACKOFF, DEFAULT_OUTAGE_BUDGET_MS, outageRetryAt } from './backoff.ts';
import type { BackoffOptions } from './backoff.ts';
import { newCorrelationId, withLogContext } from '../observability/context.ts';
import { DeferJob, describeFailure, isPermanentFailure, JobLockLostError, WorkerStoppingError } from './errors.ts';
import { claimJobs, complete, defer, fail, heartbeat, release } from './queue.ts';
import type { ClaimedJob, Job, PerKeyLimit } from './queue.ts';

export interface JobContext {
  /** Aborted when the worker shuts down past its grace period, or the job's lock is lost. */
  readonly signal: AbortSignal;
  /** This run's attempt number, from 1 (only failures count; defers do not). */
  readonly attempt: number;
  readonly workerId: string;
  now(): number;
  /**
   * Extends the lock for another lockMs now; throws JobLockLostError if the job was taken away. The
   * worker also does this by itself every few seconds while the handler runs.
   */
  heartbeat(): Promise<void>;
  /** Puts the job back until `untilMs` without using an attempt. */
  defer(untilMs: number, reason: string): never;
  /**
   * When to try again during a remote outage that began at `sinceMs` (the worker's backoff, growing with
   * the wait; pass it to `defer`), or null once the worker's outage budget is spent and the work should fail.
   */
  retryAfterOutage(sinceMs: number): number | null;
}

export interface JobHandler {
  /** The value returned is stored as the job's result (JSON). */
  run(job: Job, ctx: JobContext): unknown;
  /** Jobs of this task running at once across all workers. Unlimited when absent. */
  concurrency?: number;
  /** Jobs of this task this worker runs at once (besides `concurrency`). The worker's own limit when absent. */
  workerConcurrency?: number;
  /** At most `limit` jobs with the same key (read from the payload) running at once across all workers. */
  perKey?: PerKeyLimit;
  /**
   * How long a claim lasts without a heartbeat before another worker may take the job over. The worker
   * renews it every few seconds while the job runs, so this is how soon a dead worker's job is resumed.
   */
  lockMs?: number;
}

export interface Clock {
  now(): number;
}

/** The subset of pino's logger the worker uses. */
export interface WorkerLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface WorkerOptions {
  store: Store;
  handlers: Readonly<Record<string, JobHandler>>;
  workerId?: string;
  pollMs?: number;
  /** Jobs this worker runs at once, all tasks together. */
  concurrency?: number;
  defaultLockMs?: number;
  clock?: Clock;
  backoff?: BackoffOptions;
  /** How long a job may wait out a remote outage (ctx.retryAfterOutage) before it fails. Default 24 h. */
  outageBudgetMs?: number;
  random?: () => number;
  logger?: WorkerLogger;
}

export interface StopOptions {
  /** How long running jobs may take to finish before they are aborted and put back in the queue. */
  graceMs?: number;
}

const DEFAULTS = { pollMs: 1_000, concurrency: 10, defaultLockMs: 30_000, graceMs: 30_000 };

/** Locks are renewed three times per lock period and at least every 5 s: a dead worker's jobs free up within lockMs. */
export function heartbeatEveryMs(lockMs: number): number {
  return Math.max(20, Math.min(5_000, Math.floor(lockMs / 3)));
}
const SILENT: WorkerLogger = { info: () => {}, warn: () => {}, error: () => {} };
const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

interface RunningJob {
  job: ClaimedJob;
  controller: AbortController;
  settled: Promise<void>;
  /** Set when stop() gave up on it: whatever it returns later is ignored. */
  abandoned: boolean;
  /** A renewal of the lock is in flight (the next tick skips rather than piles up). */
  renewing: boolean;
}

export class Worker {
  readonly id: string;
  readonly #store: Store;
  readonly #handlers: ReadonlyArray<readonly [string, JobHandler]>;
  readonly #pollMs: number;
  readonly #concurrency: number;
  readonly #defaultLockMs: number;
  readonly #clock: Clock;
  readonly #backoff: BackoffOptions | undefined;
  readonly #outageBudgetMs: number;
  readonly #random: (() => number) | undefined;
  readonly #log: WorkerLogger;
  readonly #running = new Map<string, RunningJob>();
  #started = false;
  #timer: NodeJS.Timeout | undefined;
  #poll: Promise<void> | undefined;
  #pollAgain = false;
  #firstTask = 0;
  /** Jobs settled so far (drain compares it across a tick). */
  #settledCount = 0;

  constructor(options: WorkerOptions) {
    this.id = options.workerId ?? `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
    this.#store = options.store;
    this.#handlers = Object.entries(options.handlers);
    this.#pollMs = options.pollMs ?? DEFAULTS.pollMs;
    this.#concurrency = options.concurrency ?? DEFAULTS.concurrency;
    this.#defaultLockMs = options.defaultLockMs ?? DEFAULTS.defaultLockMs;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    this.#backoff = options.backoff;
    this.#outageBudgetMs = options.outageBudgetMs ?? DEFAULT_OUTAGE_BUDGET_MS;
    this.#random = options.random;
    this.#log = options.logger ?? SILENT;
  }

  get runningCount(): number {
    return this.#running.size;
  }

  /** Polls every pollMs, and at once whenever a job finishes. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#schedulePoll(0);
  }

  /** Stops claiming, lets running jobs finish within graceMs, then puts the rest back in the queue. */
  async stop(options: StopOptions = {}): Promise<void> {
    this.#started = false;
    clearTimeout(this.#timer);
    await this.#poll;
    const finished = await this.#waitForRunningJobs(options.graceMs ?? DEFAULTS.graceMs);
    if (!finished) await this.#releaseUnfinished();
  }

  /**
   * Claims what it can once and starts it; the jobs run in the background. For tests and tools:
   * do not call it on a started worker.
   */
  async tick(): Promise<number> {
    let claimed = 0;
    for (const [task, handler] of this.#tasksInTurn()) {
      const limit = this.#freeSlotsFor(task, handler);
      if (limit <= 0) continue;
      const jobs = await claimJobs(this.#store, {
        task,
        workerId: this.id,
        limit,
        lockMs: handler.lockMs ?? this.#defaultLockMs,
        now: this.#clock.now(),
        concurrencyLimit: handler.concurrency,
        perKey: handler.perKey,
        backoff: this.#backoff,
        random: this.#random,
      });
      for (const job of jobs) this.#launch(job, handler);
      claimed += jobs.length;
    }
    return claimed;
  }

  /** Waits until the jobs running now have settled. */
  async idle(): Promise<void> {
    await Promise.all([...this.#running.values()].map((running) => running.settled));
  }

  /** Runs jobs until none is due and none is running; returns how many it ran. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      // A job that finishes while a tick claims the other tasks may have queued work that tick did not see.
      const settledBefore = this.#settledCount;
      const claimed = await this.tick();
      total += claimed;
      if (claimed > 0 || this.#settledCount !== settledBefore) continue;
      if (this.#running.size === 0) return total;
      await Promise.race([...this.#running.values()].map((running) => running.settled));
    }
  }

  #schedulePoll(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#poll = this.#pollOnce();
    }, delayMs);
  }

  async #pollOnce(): Promise<void> {
    try {
      await this.tick();
    } catch (error) {
      this.#log.error({ err: error, workerId: this.id }, 'claiming jobs failed');
    }
    const again = this.#pollAgain;
    this.#pollAgain = false;
    this.#poll = undefined;
    if (this.#started) this.#schedulePoll(again ? 0 : this.#pollMs);
  }

  #wake(): void {
    if (!this.#started) return;
    if (this.#poll !== undefined) this.#pollAgain = true;
    else this.#schedulePoll(0);
  }

  /** Rotates which task claims first, so one busy task cannot starve the others. */
  #tasksInTurn(): Array<readonly [string, JobHandler]> {
    const start = this.#firstTask % Math.max(1, this.#handlers.length);
    this.#firstTask = start + 1;
    return [...this.#handlers.slice(start), ...this.#handlers.slice(0, start)];
  }

  #freeSlotsFor(task: string, handler: JobHandler): number {
    const free = this.#concurrency - this.#running.size;
    const perWorker = Math.min(
      handler.concurrency ?? Number.POSITIVE_INFINITY,
      handler.workerConcurrency ?? Number.POSITIVE_INFINITY,
    );
    if (perWorker === Number.POSITIVE_INFINITY) return free;
    const runningHere = [...this.#running.values()].filter((running) => running.job.task === task).length;
    return Math.min(free, perWorker - runningHere);
  }

  #launch(job: ClaimedJob, handler: JobHandler): void {
    const running: RunningJob = {
      job,
      controller: new AbortController(),
      settled: Promise.resolve(),
      abandoned: false,
      renewing: false,
    };
    const lockMs = handler.lockMs ?? this.#defaultLockMs;
    const renewal = setInterval(() => void this.#renewLock(running, lockMs), heartbeatEveryMs(lockMs));
    // The job's run, and every line it logs and outside call it makes, carries the correlation id it was queued with.
    const context = {
      correlationId: job.correlationId ?? newCorrelationId(),
      tenantId: job.tenantId,
      jobId: job.id,
      task: job.task,
    };
    running.settled = withLogContext(context, () => this.#execute(running, handler)).finally(() => {
      clearInterval(renewal);
      this.#settledCount++;
      this.#running.delete(job.id);
      this.#wake();
    });
    this.#running.set(job.id, running);
  }

  /** The automatic heartbeat: a lock that was taken over aborts the handler (it must not write on). */
  async #renewLock(running: RunningJob, lockMs: number): Promise<void> {
    if (running.renewing || running.abandoned || running.controller.signal.aborted) return;
    running.renewing = true;
    try {
      const held = await heartbeat(this.#store.db, running.job, { lockMs, now: this.#clock.now() });
      if (!held) running.controller.abort(new JobLockLostError(running.job.id));
    } catch (error) {
      // A store hiccup: the next tick tries again well before the lock runs out.
      this.#log.warn({ jobId: running.job.id, err: error }, 'renewing a job lock failed');
    } finally {
      running.renewing = false;
    }
  }

  async #execute(running: RunningJob, handler: JobHandler): Promise<void> {
    const { job } = running;
    const started = performance.now();
    const fields = { jobId: job.id, task: job.task, tenantId: job.tenantId, attempt: job.attempts + 1 };
    this.#log.info({ event: 'job.start', ...fields }, 'job started');
    try {
      const result = await handler.run(job, this.#contextFor(running, handler));
      if (running.abandoned) return;
      const recorded = await complete(this.#store.db, job, result, this.#clock.now());
      if (!recorded) this.#log.warn({ jobId: job.id, task: job.task }, 'job finished after losing its lock');
      else this.#log.info({ event: 'job.finish', ...fields, ms: msSince(started) }, 'job finished');
    } catch (error) {
      if (running.abandoned) return;
      await this.#recordFailure(job, error, msSince(started));
    }
  }

  async #recordFailure(job: ClaimedJob, error: unknown, ms: number): Promise<void> {
    const context = { jobId: job.id, task: job.task, tenantId: job.tenantId, attempt: job.attempts + 1, ms };
    try {
      if (error instanceof DeferJob) {
        await defer(this.#store.db, job, error.untilMs, this.#clock.now());
        this.#log.info({ event: 'job.defer', ...context, until: error.untilMs, reason: error.reason }, 'job deferred');
        return;
      }
      const outcome = await fail(this.#store.db, job, error, {
        now: this.#clock.now(),
        permanent: isPermanentFailure(error),
        backoff: this.#backoff,
        random: this.#random,
      });
      this.#log.warn(
        {
          event: 'job.fail',
          ...context,
          reason: describeFailure(error),
          err: error,
          state: outcome?.state,
          attempts: outcome?.attempts,
        },
        'job failed',
      );
    } catch (storeError) {
      // The lock will expire and the job be retried: nothing is lost, only delayed.
      this.#log.error({ ...context, err: storeError }, 'could not record the outcome of a job');
    }
  }

  #contextFor(running: RunningJob, handler: JobHandler): JobContext {
    const { job, controller } = running;
    const lockMs = handler.lockMs ?? this.#defaultLockMs;
    return {
      signal: controller.signal,
      attempt: job.attempts + 1,
      workerId: this.id,
      now: () => this.#clock.now(),
      heartbeat: async () => {
        if (await heartbeat(this.#store.db, job, { lockMs, now: this.#clock.now() })) return;
        const lost = new JobLockLostError(job.id);
        controller.abort(lost);
        throw lost;
      },
      defer: (untilMs, reason) => {
        throw new DeferJob(untilMs, reason);
      },
      retryAfterOutage: (sinceMs) =>
        outageRetryAt(
          sinceMs,
          this.#clock.now(),
          this.#outageBudgetMs,
          this.#backoff ?? DEFAULT_BACKOFF,
          this.#random ?? Math.random,
        ),
    };
  }

  async #waitForRunningJobs(graceMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    try {
      return await Promise.race([this.idle().then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #releaseUnfinished(): Promise<void> {
    const unfinished = [...this.#running.values()];
    for (const running of unfinished) {
      running.abandoned = true;
      running.controller.abort(new WorkerStoppingError(this.id));
    }
    await Promise.all(unfinished.map((running) => this.#release(running.job)));
  }

  async #release(job: ClaimedJob): Promise<void> {
    try {
      await release(this.#store.db, job, this.#clock.now());
      this.#log.info({ jobId: job.id, task: job.task }, 'job released at shutdown');
    } catch (error) {
      this.#log.error({ jobId: job.id, err: error }, 'could not release a job at shutdown; its lock will expire');
    }
  }
}

function msSince(started: number): number {
  return Math.round(performance.now() - started);
}

export function createWorker(options: WorkerOptions): Worker {
  return new Worker(options);
}
