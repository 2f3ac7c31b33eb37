import { api, plainReason } from '../api.ts';
import { Badge, Banner, ErrorState } from '../components/ui.tsx';
import { useRetry, waitingText } from '../components/SyncBadge.tsx';
import { useResource } from '../data.ts';
import { formatDateTime, plural, sentence } from '../format.ts';
import { Link } from '../router.ts';
import type { Connection, ExportView, Plan, Progress } from '../types.ts';

interface StepView {
  key: string;
  label: string;
  state: 'done' | 'running' | 'failed' | 'retrying' | 'waiting';
}

/**
 * The saga's steps as the API gives them (its planned steps with what it recorded of each): rendered as they
 * are, in the order they run, so the page, the CLI's bar and /progress always count the same steps.
 */
function stepsOf(progress: Progress): StepView[] {
  // A step that failed while its export is still in progress runs again (a POS outage, a lost reply).
  const retrying = progress.exports.some((e) => e.state === 'in_progress');
  return progress.steps.map((s) => ({
    key: s.key,
    label: s.label,
    state: s.state === 'pending' ? 'waiting' : s.state === 'failed' ? (retrying ? 'retrying' : 'failed') : s.state,
  }));
}

const stateWords: Record<StepView['state'], string> = {
  done: 'Done',
  running: 'Working',
  failed: 'Failed',
  retrying: 'Will try again',
  waiting: 'Waiting',
};

export function ProgressView({ plan, connections }: { plan: Plan; connections: Connection[] }) {
  const resource = useResource(() => api<Progress>('GET', `/api/plans/${plan.id}/progress`), [plan.id], {
    poll: (p) => (p.state === 'applying' || p.exports.some((e) => e.state === 'in_progress') ? 1000 : null),
  });
  const { retry, busy, error: retryError } = useRetry();
  const connection = connections.find((c) => c.id === plan.connectionId);
  const single = plan.orderIds.length === 1;
  const label = single ? `order ${plan.purchaseOrders[0]?.orderNumber ?? ''}` : plural(plan.orderIds.length, 'order');

  if (!resource.data) {
    if (resource.status === 'error')
      return <ErrorState message={resource.error} onRetry={() => void resource.reload()} />;
    return (
      <p role="status" className="state-loading">
        <span className="spinner" aria-hidden="true" /> Loading the export…
      </p>
    );
  }
  const progress = resource.data;
  const running = progress.state === 'applying' || progress.exports.some((e) => e.state === 'in_progress');
  const steps = stepsOf(progress);
  const done = progress.doneSteps;
  const total = Math.max(progress.totalSteps, 1);
  const current = steps.find((s) => s.state === 'running') ?? steps.find((s) => s.state === 'waiting');
  const failed = progress.exports.filter((e) => e.state === 'failed');
  // The POS stopped answering: the export waits and tries again by itself (not a failure).
  const waiting = progress.exports.find((e) => e.state === 'in_progress' && e.waiting)?.waiting ?? null;
  const exported = progress.exports.filter((e) => e.state === 'exported');
  const pct = running ? Math.min(99, Math.round((done / total) * 100)) : 100;

  const sum = (f: (e: ExportView) => number): number => exported.reduce((n, e) => n + f(e), 0);

  return (
    <article aria-labelledby="page-title" className="progress-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/orders">Orders</Link> <span aria-hidden="true">/</span> <span aria-current="page">Export</span>
      </nav>
      <h1 id="page-title">
        {running
          ? `Exporting ${label}`
          : failed.length > 0
            ? `Export of ${label}: ${exported.length > 0 ? 'partly done' : 'failed'}`
            : `Export of ${label} finished`}
      </h1>
      <p className="lede">
        {running
          ? `${sentence(`To ${connection?.name ?? 'your POS'}`)} You can leave this page: Tradeloop keeps working and notifies you when it is done.`
          : sentence(`To ${connection?.name ?? 'your POS'}`)}
      </p>

      {running && (
        <section className="panel" aria-labelledby="progress-heading">
          <h2 id="progress-heading">Progress</h2>
          <div
            className="progressbar"
            role="progressbar"
            aria-label="Export progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
            aria-valuetext={`${done} of ${total} steps done`}
          >
            <span className="progressbar-fill running" style={{ width: `${Math.max(4, pct)}%` }} />
          </div>
          <p role="status" className="progress-now">
            {done} of {total} steps done
            {waiting ? ' · waiting for the POS' : current ? ` · now: ${current.label}` : ''}
          </p>
          {waiting && <p className="sync-reason">{waitingText(waiting)}</p>}
        </section>
      )}

      {!running && failed.length > 0 && (
        <Banner tone="danger" role="alert">
          <p>
            <strong>
              {failed.length === 1
                ? `The export of order ${failed[0]?.orderNumber ?? ''} failed.`
                : `${plural(failed.length, 'order')} could not be exported.`}
            </strong>
          </p>
          <ul>
            {failed.map((e) => (
              <li key={e.id}>
                Order {e.orderNumber}: {plainReason(e.failure?.message)}
              </li>
            ))}
          </ul>
          <p>Retrying is safe: finished steps are not repeated and nothing is created twice.</p>
          <button
            type="button"
            onClick={() => void retry(failed[0]?.id ?? '', label).then(() => resource.reload())}
            disabled={busy !== null}
          >
            {busy ? 'Retrying…' : 'Retry'}
          </button>
          {retryError && <p className="error">{retryError}</p>}
        </Banner>
      )}

      {!running && exported.length > 0 && (
        <section className="panel summary" aria-labelledby="summary-heading">
          <h2 id="summary-heading">Summary</h2>
          <dl className="stats">
            <div>
              <dt>Lines synced</dt>
              <dd>{sum((e) => e.summary?.linesSynced ?? 0)}</dd>
            </div>
            <div>
              <dt>Matched items updated</dt>
              <dd>{sum((e) => e.summary?.matchedItemsUpdated ?? 0)}</dd>
            </div>
            <div>
              <dt>Draft items created</dt>
              <dd>{sum((e) => e.summary?.newDraftItems ?? 0)}</dd>
            </div>
            <div>
              <dt>Purchase orders</dt>
              <dd>{exported.length}</dd>
            </div>
          </dl>
          {exported.some((e) => (e.summary?.rejectedLines.length ?? 0) > 0) && (
            <Banner tone="warn">
              <p>Some lines were refused by the POS and are not on the purchase order:</p>
              <ul>
                {exported.flatMap((e) =>
                  (e.summary?.rejectedLines ?? []).map((r, i) => (
                    <li key={`${e.id}-${i}`}>
                      Order {e.orderNumber}: {plainReason(r.message)}
                    </li>
                  )),
                )}
              </ul>
            </Banner>
          )}
          <div className="form-actions">
            <Link className="button" to={`/purchase-orders?plan=${plan.id}`}>
              View purchase orders
            </Link>
            <Link className="button secondary" to="/orders">
              Back to orders
            </Link>
          </div>
        </section>
      )}

      <section className="panel" aria-labelledby="orders-heading">
        <h2 id="orders-heading">{single ? 'Purchase order' : 'Orders → purchase orders'}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Status</th>
                <th scope="col">Purchase order</th>
                <th scope="col">Lines synced</th>
                <th scope="col">Finished</th>
              </tr>
            </thead>
            <tbody>
              {progress.exports.map((e) => (
                <tr key={e.id}>
                  <th scope="row">
                    <Link to={`/orders/${e.orderId}`}>{e.orderNumber}</Link>
                  </th>
                  <td>
                    {e.state === 'exported' && <Badge tone="ok">Exported</Badge>}
                    {e.state === 'in_progress' && !e.waiting && <Badge tone="info">In progress</Badge>}
                    {e.state === 'in_progress' && e.waiting && (
                      <Badge tone="warn" title={waitingText(e.waiting)}>
                        Waiting for the POS
                      </Badge>
                    )}
                    {e.state === 'failed' && <Badge tone="danger">Failed</Badge>}
                  </td>
                  <td>
                    {e.state === 'exported' && e.poNumber ? (
                      <Link to={`/purchase-orders/${e.id}`}>PO #{e.poNumber}</Link>
                    ) : e.poNumber ? (
                      `PO #${e.poNumber} (being filled)`
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{e.summary ? e.summary.linesSynced : '—'}</td>
                  <td>{formatDateTime(e.finishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel" aria-labelledby="steps-heading">
        <h2 id="steps-heading">Steps</h2>
        <ol className="steps">
          {steps.map((s) => (
            <li key={s.key} className={`step step-${s.state}`}>
              <span className="step-icon" aria-hidden="true">
                {s.state === 'done' ? '✓' : s.state === 'failed' ? '!' : s.state === 'waiting' ? '·' : '…'}
              </span>
              <span className="step-label">{s.label}</span>
              <span className="step-state">{stateWords[s.state]}</span>
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
