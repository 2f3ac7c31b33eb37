import { useMemo, useRef, useState, type FormEvent } from 'react';
import type { ReceiptAccepted, ReceivingPage as ReceivingData } from '../../../src/http/api-types.ts';
import {
  acceptOver,
  scan,
  sessionResult,
  setCount,
  startSession,
  undoLast,
  type ReceivingSession,
  type ScanOutcome,
} from '../../../src/core/receiving.ts';
import { api, messageOf, unlessNotFound } from '../api.ts';
import { Badge, Banner, ErrorState, Loading, NotFound } from '../components/ui.tsx';
import { useResource } from '../data.ts';
import { formatDateTime, plural } from '../format.ts';
import { Link } from '../router.ts';

/**
 * Receiving a shipment against a synced PO: staff scan barcodes (a keyboard-wedge scanner types the code and Enter
 * into the focused scan field; any GTIN form matches) or type counts. The scan session is core's
 * (core/receiving.ts): one unit too many and unknown codes are flagged, never added; a person accepts an extra unit.
 * Commit sends this session's units with an id chosen once, so a retried click is the same receipt.
 */
export function ReceivingPage({ exportId }: { exportId: string }) {
  const resource = useResource(
    () => unlessNotFound(api<ReceivingData>('GET', `/api/purchase-orders/${exportId}/receiving`)),
    [exportId],
    // While a receipt is being written to the POS, read again until it is committed.
    { poll: (d) => (d?.receipts.some((r) => r.state === 'queued' || r.state === 'committing') ? 1000 : null) },
  );
  if (!resource.data) {
    if (resource.status === 'error')
      return (
        <ErrorState
          title="What this purchase order expects could not be loaded"
          message={resource.error}
          onRetry={() => void resource.reload()}
        />
      );
    return <Loading label="Reading the purchase order from the POS…" />;
  }
  const data = resource.data;
  if (!data)
    return (
      <NotFound title="Purchase order not found" back={<Link to="/purchase-orders">Back to purchase orders</Link>}>
        There is no synced purchase order at this address in your organization.
      </NotFound>
    );
  // A new session whenever what the PO expects changes (after a commit).
  const key = data.items.map((i) => `${i.posItemId}:${i.received}`).join(',');
  return <ReceivingView key={key} data={data} exportId={exportId} onCommitted={() => void resource.reload()} />;
}

function outcomeText(o: ScanOutcome, labels: Map<string, string>): string {
  switch (o.kind) {
    case 'matched':
      return `${labels.get(o.key) ?? o.key}: ${o.count} of ${o.expected}`;
    case 'over':
      return `${labels.get(o.key) ?? o.key}: one too many — ${o.expected} expected, not added. Accept it if it arrived.`;
    default:
      return o.message;
  }
}

function ReceivingView({
  data,
  exportId,
  onCommitted,
}: {
  data: ReceivingData;
  exportId: string;
  onCommitted: () => void;
}) {
  const open = data.items.filter((i) => i.remaining > 0);
  const [session, setSession] = useState<ReceivingSession>(() =>
    startSession(
      open.map((i) => ({
        key: i.posItemId,
        label: i.label,
        codes: i.codes,
        expected: i.remaining,
        alreadyReceived: i.received,
      })),
    ),
  );
  const [code, setCode] = useState('');
  const [last, setLast] = useState<ScanOutcome | null>(null);
  const [committing, setCommitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One id per session: a retried commit (a lost reply, a double click) is the same receipt.
  const receiptId = useRef(crypto.randomUUID());
  const labels = useMemo(() => new Map(data.items.map((i) => [i.posItemId, i.label])), [data.items]);
  const result = sessionResult(session);
  const units = result.toCommit.reduce((n, l) => n + l.quantity, 0);

  const onScan = (e: FormEvent) => {
    e.preventDefault();
    if (code.trim() === '') return;
    const next = scan(session, code);
    setSession(next.session);
    setLast(next.outcome);
    setCode('');
  };

  const commit = async () => {
    setCommitting(true);
    setError(null);
    try {
      await api<ReceiptAccepted>('POST', `/api/purchase-orders/${exportId}/receipts`, {
        receiptId: receiptId.current,
        lines: result.toCommit.map((l) => ({
          posItemId: l.key,
          quantity: l.quantity,
          ...(session.acceptedOver[l.key] ? { acceptedOver: session.acceptedOver[l.key] } : {}),
        })),
        flags: result.flags.map((f) => ({
          kind: f.kind,
          ...('code' in f ? { code: f.code } : {}),
          message: outcomeText(f, labels),
        })),
      });
      onCommitted();
    } catch (err) {
      setError(messageOf(err));
      setCommitting(false);
    }
  };

  const pending = data.receipts.find((r) => r.state === 'queued' || r.state === 'committing');
  return (
    <article aria-labelledby="page-title" className="receiving">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/purchase-orders">Purchase orders</Link> <span aria-hidden="true">/</span>{' '}
        <Link to={`/purchase-orders/${exportId}`}>PO #{data.po.number}</Link> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">Receive</span>
      </nav>
      <h1 id="page-title">Receive a shipment · PO #{data.po.number}</h1>
      <p className="lede">
        NuORDER #{data.orderNumber} in {data.connectionName}.{' '}
        {data.stockOnCommit
          ? 'Committing adds the units to stock in the POS.'
          : 'Committing marks the units received on the PO; check them in in R-Series to add them to stock.'}
      </p>
      {pending && <Banner tone="info">Writing {plural(pending.units, 'unit')} to the POS…</Banner>}
      {error && <Banner tone="danger">{error}</Banner>}
      {!data.po.receivable || open.length === 0 ? (
        <Banner tone="ok">Nothing is open on this purchase order: every unit is received.</Banner>
      ) : (
        <>
          <form className="scan-form" onSubmit={onScan}>
            <label htmlFor="scan">Scan or type a barcode</label>
            <input
              id="scan"
              name="scan"
              autoFocus
              autoComplete="off"
              inputMode="numeric"
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <button type="submit" className="secondary">
              Add
            </button>
          </form>
          <p role="status" aria-live="polite" className={last && last.kind !== 'matched' ? 'scan-flag' : 'scan-ok'}>
            {last ? outcomeText(last, labels) : 'Scan each unit; the line it belongs to counts it.'}
          </p>
          <table className="table receiving-table">
            <caption className="sr-only">Units expected on this purchase order</caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Ordered</th>
                <th scope="col">Received before</th>
                <th scope="col">This shipment</th>
                <th scope="col">Still open</th>
              </tr>
            </thead>
            <tbody>
              {result.lines.map((line) => {
                const item = data.items.find((i) => i.posItemId === line.key);
                return (
                  <tr key={line.key}>
                    <td>
                      {line.label}
                      <div className="muted small">{item?.codes[0] ?? ''}</div>
                    </td>
                    <td>{item?.ordered ?? '—'}</td>
                    <td>{line.alreadyReceived}</td>
                    <td>
                      <input
                        type="number"
                        min={0}
                        className="count"
                        aria-label={`Units of ${line.label} in this shipment`}
                        value={line.received}
                        onChange={(e) => {
                          const n = Number(e.target.value);
                          if (!Number.isInteger(n) || n < 0) return;
                          const next = setCount(session, line.key, n);
                          setSession(next.session);
                          setLast(next.outcome);
                        }}
                      />
                      {line.over > 0 && <Badge tone="warn">{line.over} extra accepted</Badge>}
                    </td>
                    <td>{line.remaining}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {result.flags.length > 0 && (
            <section aria-labelledby="flags-title" className="card">
              <h2 id="flags-title" className="card-title">
                Flagged ({result.flags.length}), not added
              </h2>
              <ul className="flags">
                {result.flags.map((f, i) => (
                  <li key={i}>
                    {outcomeText(f, labels)}{' '}
                    {f.kind === 'over' && (
                      <button
                        type="button"
                        className="secondary small"
                        onClick={() => setSession(acceptOver(session, f.key, f.attempted))}
                      >
                        Accept {plural(f.attempted, 'extra unit')} of {labels.get(f.key)} (flag {i + 1})
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setSession(undoLast(session))}>
              Undo last scan
            </button>
            <button type="button" disabled={units === 0 || committing} onClick={() => void commit()}>
              {committing ? 'Committing…' : `Commit ${plural(units, 'unit')} received`}
            </button>
          </div>
        </>
      )}
      <section aria-labelledby="receipts-title">
        <h2 id="receipts-title">Receipts</h2>
        {data.receipts.length === 0 ? (
          <p className="muted">No receipt from Tradeloop yet. Receiving done in the POS shows in “Received before”.</p>
        ) : (
          <ul className="receipts">
            {data.receipts.map((r) => (
              <li key={r.id}>
                {formatDateTime(r.committedAt ?? r.createdAt)}: {plural(r.units, 'unit')} on PO #{r.poNumber}{' '}
                <Badge tone={r.state === 'committed' ? 'ok' : r.state === 'failed' ? 'danger' : 'info'}>
                  {r.state}
                </Badge>
                {r.remainderPoNumber && <> · the rest stays on order as {r.remainderPoNumber}</>}
                {r.error && <div className="muted small">{r.error}</div>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
