/**
 * Thrown (directly, or through `ctx.defer`) by a handler that cannot run yet, e.g. because a rate
 * budget is spent. The job goes back to the queue until `untilMs` without using up an attempt.
 */
export class DeferJob extends Error {
  readonly untilMs: number;
  readonly reason: string;

  constructor(untilMs: number, reason: string) {
    if (!Number.isFinite(untilMs)) throw new RangeError(`cannot defer a job until ${untilMs}`);
    super(`deferred until ${new Date(untilMs).toISOString()}: ${reason}`);
    this.name = 'DeferJob';
    this.untilMs = untilMs;
    this.reason = reason;
  }
}

/** Thrown by a handler when trying again cannot help: the job fails at once, whatever attempts are left. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/** The worker no longer holds the job's lock (it expired and was taken over, or the job was cancelled). */
export class JobLockLostError extends Error {
  constructor(jobId: string) {
    super(`lost the lock on job ${jobId}`);
    this.name = 'JobLockLostError';
  }
}

/** The reason given to a handler's AbortSignal when its worker shuts down before it finished. */
export class WorkerStoppingError extends Error {
  constructor(workerId: string) {
    super(`worker ${workerId} is stopping`);
    this.name = 'WorkerStoppingError';
  }
}

/** PermanentJobError, or any error that says so itself (AppError's `retryable: false`). */
export function isPermanentFailure(error: unknown): boolean {
  if (error instanceof PermanentJobError) return true;
  return typeof error === 'object' && error !== null && 'retryable' in error && error.retryable === false;
}

/**
 * The message a handler gave its PermanentJobError, read back from the job's recorded failure (written by
 * describeFailure below); undefined when the job failed another way.
 */
export function permanentFailureMessage(recorded: string | null): string | undefined {
  const prefix = 'PermanentJobError: ';
  return recorded?.startsWith(prefix) ? recorded.slice(prefix.length) : undefined;
}

const MAX_MESSAGE_LENGTH = 2_000;

export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? describeError(error) : String(error);
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}

function describeError(error: Error): string {
  const code = 'code' in error && typeof error.code === 'string' ? ` [${error.code}]` : '';
  const name = error.name === 'Error' ? '' : `${error.name}: `;
  return `${name}${error.message}${code}`;
}
