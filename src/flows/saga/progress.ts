import { sagaSteps } from '../../store/repos/index.ts';
import type { SagaDefinition, SagaDeps, SagaProgress, StepProgress } from './types.ts';

/**
 * The planned steps joined with what the store recorded of each: the one answer to "how far is it", which
 * `/progress`, the CLI's bar and the web page render as it is.
 */
export async function sagaProgress<D extends SagaDeps, P, L, R>(
  def: SagaDefinition<D, P, L, R>,
  deps: D,
  tenantId: string,
  payload: P,
): Promise<SagaProgress> {
  const sagaId = def.sagaId(payload);
  const loaded = await def.load(deps, tenantId, payload);
  const recorded = new Map((await sagaSteps.list(deps.store.db, tenantId, sagaId)).map((s) => [s.stepKey, s]));
  const steps = def.steps(loaded).map((step): StepProgress => {
    const scope = step.scope ?? null;
    const row = recorded.get(step.key);
    // A unit finished before its saga recorded every step (a run of an older release): its steps are done.
    const finished = scope !== null && def.scopeFinished?.(loaded, scope) === true;
    return {
      key: step.key,
      label: step.label,
      scope,
      state: row?.state ?? (finished ? 'done' : 'pending'),
      error: row?.error ?? null,
      attempts: row?.attempts ?? 0,
      startedAt: row?.startedAt ?? null,
      finishedAt: row?.finishedAt ?? null,
    };
  });
  return { sagaId, steps, total: steps.length, done: steps.filter((s) => s.state === 'done').length };
}
