import type { Job } from '../../jobs/queue.ts';
import { isPermanentFailure, PermanentJobError } from '../../jobs/errors.ts';
import type { JobContext } from '../../jobs/runner.ts';
import { withJobLease } from './job-lease.ts';
import { logSaga } from './log.ts';
import { StepRecorder } from './recorder.ts';
import { markNeedsRelink, outageGaveUp, outageReason, remoteVerdict, stopsTheRun } from './remote-policy.ts';
import type { SagaDefinition, SagaDeps, SagaRun, StepEnv } from './types.ts';

type Run<D, P, L> = SagaRun<D, P, L> & { loaded: L | undefined };

/**
 * One run of a saga (the job's handler): under the lease on its lock key, load, open the ports, run the planned
 * steps with the resume rule, then `finish`. Every error goes through the one remote-error policy.
 */
export function runSaga<D extends SagaDeps, P, L, R>(
  def: SagaDefinition<D, P, L, R>,
  deps: D,
  payload: P,
  job: Job,
  jobCtx: JobContext,
): Promise<unknown> {
  const run: Run<D, P, L> = {
    deps,
    payload,
    job,
    jobCtx,
    tenantId: job.tenantId,
    sagaId: def.sagaId(payload),
    loaded: undefined,
    willNotRetry: (error) => isPermanentFailure(error) || jobCtx.attempt >= job.maxAttempts,
  };
  return withJobLease(deps.store.db, def.lockKey(payload), job, jobCtx, async (signal) => {
    const started = performance.now();
    try {
      run.loaded = await def.load(deps, job.tenantId, payload);
      logSaga(def, run, 'saga.start');
      const ports = await def.open(deps, run.loaded, run);
      const result = await runSteps(def, run as Run<D, P, L> & { loaded: L }, ports, signal);
      logSaga(def, run, 'saga.finish', { ms: Math.round(performance.now() - started) });
      return result;
    } catch (error) {
      return handleFailure(def, run, error, signal);
    }
  });
}

async function runSteps<D extends SagaDeps, P, L, R>(
  def: SagaDefinition<D, P, L, R>,
  run: Run<D, P, L> & { loaded: L },
  ports: R,
  signal: AbortSignal,
): Promise<unknown> {
  const { deps, loaded } = run;
  const recorder = await StepRecorder.load(
    deps.store.db,
    { tenantId: run.tenantId, saga: def.name, sagaId: run.sagaId },
    deps.now,
  );
  const env: StepEnv<L, R> = {
    loaded,
    ports,
    result: (key) => recorder.result(key),
    isDone: (key) => recorder.isDone(key),
    now: deps.now,
  };
  const failed = new Set<string>();
  const failures: Array<{ scope: string; error: unknown }> = [];
  let answered = false;
  for (const [position, step] of def.steps(loaded).entries()) {
    const scope = step.scope ?? null;
    if (scope !== null && (failed.has(scope) || def.scopeFinished?.(loaded, scope))) continue;
    try {
      const ran = await recorder.run(step, position, env, signal);
      // The remote answered again: whatever the saga showed as waiting for it is over.
      if (ran && !answered) {
        answered = true;
        await def.hooks?.onAnswered?.(run);
      }
    } catch (error) {
      // What stops the run (an outage, a rate limit, lost credentials, a lost lock) would stop every unit.
      if (scope === null || stopsTheRun(error, signal)) throw error;
      // One unit's own failure (the POS refused its PO) does not hold the others back.
      failed.add(scope);
      failures.push({ scope, error });
      const final = run.willNotRetry(error);
      await def.hooks?.onScopeFailed?.(run, scope, error, final);
      logSaga(def, run, final ? 'saga.fail' : 'saga.retry', { scope, error });
    }
  }
  return def.finish ? def.finish(run, failures) : { steps: def.steps(loaded).length };
}

/** The one remote-error policy applied to a run (remote-policy.ts), told to the saga's rows through its hooks. */
async function handleFailure<D extends SagaDeps, P, L, R>(
  def: SagaDefinition<D, P, L, R>,
  run: Run<D, P, L>,
  error: unknown,
  signal: AbortSignal,
): Promise<never> {
  const hooks = def.hooks ?? {};
  const verdict = remoteVerdict(error, signal);
  if (verdict.kind === 'defer') run.jobCtx.defer(verdict.until, verdict.reason);
  if (verdict.kind === 'stop') throw error;
  if (verdict.kind === 'wait') {
    const who = def.remoteLabel ?? 'the remote system';
    const since = hooks.waitingSince ? await hooks.waitingSince(run) : run.job.createdAt;
    const nextTryAt = run.jobCtx.retryAfterOutage(since);
    if (nextTryAt !== null) {
      await hooks.onWaiting?.(run, { since, reason: outageReason(verdict.error, who), nextTryAt });
      run.jobCtx.defer(nextTryAt, `waiting for ${who}: ${verdict.error.message}`);
    }
    const gaveUp = outageGaveUp(verdict.error, who, run.deps.now() - since);
    await hooks.onFailed?.(run, gaveUp);
    logSaga(def, run, 'saga.fail', { error: gaveUp });
    throw new PermanentJobError(gaveUp.message, { cause: error });
  }
  // The remote answered, with something else than an outage: nothing waits for it any more.
  await hooks.onAnswered?.(run);
  if (verdict.kind === 'relink') {
    const connectionId = hooks.connectionFor?.(run, error);
    if (connectionId) await markNeedsRelink(run.deps.store.db, run.tenantId, connectionId, error, run.deps.now());
  }
  const final = run.willNotRetry(error);
  if (final) await hooks.onFailed?.(run, error);
  logSaga(def, run, final ? 'saga.fail' : 'saga.retry', { error });
  throw error;
}
