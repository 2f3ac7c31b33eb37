/**
 * The one saga runtime. A saga declares its steps as data; the runtime records them, resumes them, applies the
 * one remote-error policy and reports progress, so no caller recomputes a saga.
 *
 *   export const exportSaga = defineSaga({
 *     name: 'export', task: 'export.apply', payload: z.object({ planId: z.string() }),
 *     lockKey: (p) => `apply:${p.planId}`, sagaId: (p) => p.planId,
 *     load: (ctx, tenantId, p) => …,            // the store only (progress uses it too)
 *     steps: (loaded) => [ensureSupplier(brand), ...products.map(createProduct), …],
 *     open: (ctx, loaded) => …,                  // the ports, for a run
 *     hooks: { onWaiting, onFailed, … },         // the saga's own rows, told what the policy decided
 *   });
 *   exportSaga.task                               // register with taskHandlers (src/main.ts); enqueue(trx, exportSaga.task, …)
 *   await exportSaga.progress(ctx, tenantId, { planId })
 *
 * A step (`SagaStep`, one verb-noun file each) is `{ key, label, scope?, exclusive?, run(env), reconcile?(env) }`.
 * The runtime alone owns:
 * - typed task registration (`defineTask`, jobs/task.ts): the payload is parsed with the saga's schema;
 * - the lease on `lockKey`, renewed with the job's lock (job-lease.ts): one run per key at a time;
 * - recording in one steps table (`saga_steps`, store/repos/saga-steps.ts), before each step and after it;
 * - the resume rule (recorder.ts): done → the recorded result; started → `reconcile` (find by correlation key,
 *   make only what is missing); otherwise `run`. `exclusive` names a lease shared with other sagas (one POS
 *   account's shared creates); `scope` names a unit (an order) whose own failure stops only that unit;
 * - the one remote-error policy (remote-policy.ts): rate limited → defer; auth lost → needs re-link;
 *   unavailable → wait it out, then reconcile; rejected → fail;
 * - `progress(sagaId)` (progress.ts): the planned steps joined with their recorded state.
 */
import { defineTask, type Task } from '../../jobs/task.ts';
import { sagaProgress } from './progress.ts';
import { runSaga } from './run.ts';
import type { SagaDefinition, SagaDeps, SagaProgress } from './types.ts';

export interface Saga<D extends SagaDeps, P, L, R> {
  readonly definition: SagaDefinition<D, P, L, R>;
  /** The job task that runs the saga: register it (taskHandlers), enqueue it (`enqueue(trx, saga.task, …)`). */
  readonly task: Task<P, D>;
  progress(deps: D, tenantId: string, payload: P): Promise<SagaProgress>;
}

export function defineSaga<D extends SagaDeps, P, L, R>(definition: SagaDefinition<D, P, L, R>): Saga<D, P, L, R> {
  const task = defineTask(
    definition.task,
    definition.payload,
    definition.options ?? {},
    (deps: D, payload, job, jobCtx) => runSaga(definition, deps, payload as P, job, jobCtx),
  );
  return {
    definition,
    task: task as Task<P, D>,
    progress: (deps, tenantId, payload) => sagaProgress(definition, deps, tenantId, payload),
  };
}

export type * from './types.ts';
export {
  deferIfRateLimited,
  followRemotePolicy,
  markNeedsRelink,
  outageGaveUp,
  outageReason,
  remoteVerdict,
  stopsTheRun,
  waitOutOutage,
  type RemoteVerdict,
} from './remote-policy.ts';
export { withJobLease } from './job-lease.ts';
export { StepRecorder } from './recorder.ts';
