import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api.ts';
import { Badge, Banner } from '../../components/ui.tsx';
import type {
  AmendmentAccepted,
  AmendmentDecision as Decision,
  AmendmentPlan,
  AmendmentProgress,
} from '../../../../src/http/api-types.ts';

const stateWords: Record<string, string> = {
  applying: 'Updating the purchase order…',
  applied: 'Applied to the purchase order',
  refused: 'Not applied',
  failed: 'Could not be applied',
};

/**
 * Accept or dismiss one amendment: the plan (what changes on the POS purchase order, what it can no longer take and
 * why, with what to do by hand), then the apply's progress, step by step, as the saga records it.
 */
export function AmendmentDecision({
  orderId,
  decision,
  onChanged,
}: {
  orderId: string;
  decision: Decision;
  onChanged: () => void;
}) {
  const base = `/api/orders/${orderId}/amendments/${decision.id}`;
  const [plan, setPlan] = useState<AmendmentPlan | null>(null);
  const [busy, setBusy] = useState<'plan' | 'accept' | 'dismiss' | null>(null);
  const [error, setError] = useState<{ message: string; byHand: string[] } | null>(null);

  const run = async (what: 'plan' | 'accept' | 'dismiss'): Promise<void> => {
    setBusy(what);
    setError(null);
    try {
      if (what === 'plan') setPlan(await api<AmendmentPlan>('GET', `${base}/plan`));
      else if (what === 'accept') {
        await api<AmendmentAccepted>('POST', `${base}/accept`, plan ? { fingerprint: plan.fingerprint } : {});
        onChanged();
      } else {
        await api<Decision>('POST', `${base}/dismiss`, {});
        onChanged();
      }
    } catch (e) {
      const details =
        e instanceof ApiError ? (e.details as { refused?: Array<{ byHand: string[] }> } | undefined) : undefined;
      setError({
        message: e instanceof Error ? e.message : String(e),
        byHand: details?.refused?.flatMap((r) => r.byHand) ?? [],
      });
      if (e instanceof ApiError && e.code === 'AMENDMENT_DRIFTED') setPlan(null);
    } finally {
      setBusy(null);
    }
  };

  if (decision.state === 'dismissed')
    return (
      <p className="muted">
        Dismissed{decision.decidedBy ? ` by ${decision.decidedBy}` : ''}: the purchase order was left as it is.
      </p>
    );
  if (decision.state === 'accepted') return <AppliedState base={base} decision={decision} onChanged={onChanged} />;

  return (
    <div className="amendment-decision">
      {plan && <PlanPreview plan={plan} />}
      {error && (
        <Banner tone="warn">
          <p>{error.message}</p>
          {error.byHand.length > 0 && (
            <>
              <p>What to do by hand:</p>
              <ul>
                {error.byHand.map((step) => (
                  <li key={step}>{step}</li>
                ))}
              </ul>
            </>
          )}
        </Banner>
      )}
      <div className="actions">
        {!plan && (
          <button type="button" className="secondary" disabled={busy !== null} onClick={() => void run('plan')}>
            {busy === 'plan' ? 'Reading the purchase order…' : 'Show what changes in the POS'}
          </button>
        )}
        <button
          type="button"
          disabled={busy !== null || (plan !== null && !plan.changesSomething && plan.refused.length > 0)}
          onClick={() => void run('accept')}
        >
          {busy === 'accept' ? 'Accepting…' : 'Accept and update the purchase order'}
        </button>
        <button type="button" className="secondary" disabled={busy !== null} onClick={() => void run('dismiss')}>
          {busy === 'dismiss' ? 'Dismissing…' : 'Dismiss'}
        </button>
      </div>
    </div>
  );
}

function PlanPreview({ plan }: { plan: AmendmentPlan }) {
  return (
    <div className="amendment-plan" aria-label="What accepting changes">
      <p>
        Purchase order{' '}
        <a href={plan.poUrl} target="_blank" rel="noreferrer">
          {plan.poNumber}
        </a>{' '}
        is <strong>{plan.poStatus}</strong> in the POS.
        {plan.needsNoReview ? ' Nothing needs a decision: accepting applies it as shown.' : ''}
      </p>
      {plan.changes.length > 0 && (
        <>
          <h3>What will change</h3>
          <ul>
            {plan.changes.map((c, i) => (
              <li key={i}>{c.description}</li>
            ))}
          </ul>
        </>
      )}
      {plan.added && plan.added.lines.length > 0 && (
        <>
          <h3>Lines to add</h3>
          <ul>
            {plan.added.lines.map((l) => (
              <li key={l.lineKey}>
                {l.name} {l.size} × {l.quantity} ·{' '}
                {l.decision === 'new_item'
                  ? 'a new item will be created'
                  : l.decision === 'needs_review'
                    ? 'needs a decision'
                    : 'matched to an item in the POS'}
              </li>
            ))}
          </ul>
        </>
      )}
      {plan.refused.length > 0 && (
        <>
          <h3>What the purchase order can no longer take</h3>
          <ul>
            {plan.refused.map((r, i) => (
              <li key={i}>
                {r.message}. By hand: {r.byHand.join('; ')}
              </li>
            ))}
          </ul>
        </>
      )}
      {plan.review.length > 0 && (
        <>
          <h3>To look at</h3>
          <ul>
            {plan.review.map((r, i) => (
              <li key={i}>{r.message}</li>
            ))}
          </ul>
        </>
      )}
      {plan.notes.length > 0 && <p className="muted">{plan.notes.join(' · ')}</p>}
    </div>
  );
}

function AppliedState({ base, decision, onChanged }: { base: string; decision: Decision; onChanged: () => void }) {
  const [progress, setProgress] = useState<AmendmentProgress | null>(null);
  const applying = decision.applyState === 'applying';
  useEffect(() => {
    let stopped = false;
    const tick = async (): Promise<void> => {
      try {
        const p = await api<AmendmentProgress>('GET', `${base}/progress`);
        if (stopped) return;
        setProgress(p);
        if (p.applyState !== decision.applyState) onChanged();
      } catch {
        // The next tick tries again.
      }
    };
    void tick();
    const timer = applying ? window.setInterval(() => void tick(), 1500) : undefined;
    return () => {
      stopped = true;
      if (timer !== undefined) window.clearInterval(timer);
    };
  }, [base, applying, decision.applyState, onChanged]);
  const tone = decision.applyState === 'applied' ? 'ok' : decision.applyState === 'failed' ? 'danger' : 'info';
  return (
    <div className="amendment-decision">
      <p>
        <Badge tone={tone}>{stateWords[decision.applyState ?? ''] ?? 'Accepted'}</Badge>{' '}
        {decision.decidedBy === 'automatic'
          ? 'Accepted automatically'
          : `Accepted by ${decision.decidedBy ?? 'someone'}`}
        {progress && progress.totalSteps > 0 ? ` · ${progress.doneSteps} of ${progress.totalSteps} steps done` : ''}
      </p>
      {decision.applyMessage && <p className="muted">{decision.applyMessage}</p>}
      {progress && progress.steps.length > 0 && (
        <ol className="steps">
          {progress.steps.map((s) => (
            <li key={s.key}>
              {s.label} — {s.state === 'done' ? 'done' : s.state === 'running' ? 'in progress' : s.state}
              {s.error ? ` (${s.error})` : ''}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
