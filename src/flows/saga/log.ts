import { describeFailure } from '../../jobs/errors.ts';
import type { SagaDefinition, SagaDeps, SagaRun } from './types.ts';

/**
 * The runtime's log lines: one when a run starts, one when it finishes, and one per failure with the ids of what
 * failed (the saga's `logIds`: an export's plan, order and export) and the reason. `saga.fail` is the failure for
 * good (the queue will not run it again: the export is failed); `saga.retry` an attempt the queue will repeat.
 * The correlation id, tenant and job come with every line from the job's log context (observability/context.ts).
 */
export type SagaEvent = 'saga.start' | 'saga.finish' | 'saga.fail' | 'saga.retry';

const told = new WeakSet<object>();

const messages: Record<SagaEvent, string> = {
  'saga.start': 'saga started',
  'saga.finish': 'saga finished',
  'saga.fail': 'saga failed',
  'saga.retry': 'saga attempt failed; the queue tries again',
};

export function logSaga<D extends SagaDeps, P, L, R>(
  def: SagaDefinition<D, P, L, R>,
  run: SagaRun<D, P, L>,
  event: SagaEvent,
  details: { scope?: string; error?: unknown; ms?: number } = {},
): void {
  const { scope, error, ...rest } = details;
  const logger = run.deps.logger;
  if (!logger) return;
  // A unit's failure that `finish` throws again for the whole run was told once, with the unit's ids.
  if (typeof error === 'object' && error !== null) {
    if (told.has(error)) return;
    told.add(error);
  }
  const line = {
    event,
    saga: def.name,
    sagaId: run.sagaId,
    tenantId: run.tenantId,
    jobId: run.job.id,
    attempt: run.jobCtx.attempt,
    ...(def.logIds ? def.logIds(run, scope) : {}),
    ...rest,
    ...(error === undefined ? {} : { reason: describeFailure(error), ...errorCode(error) }),
  };
  const message = scope === undefined ? messages[event] : `${messages[event]} for ${scope}`;
  if (event === 'saga.fail') logger.error(line, message);
  else if (event === 'saga.retry') logger.warn(line, message);
  else logger.info(line, message);
}

function errorCode(error: unknown): { code?: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { code } : {};
}
