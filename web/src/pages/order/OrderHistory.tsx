import { plainReason } from '../../api.ts';
import { Badge } from '../../components/ui.tsx';
import { waitingText } from '../../components/SyncBadge.tsx';
import { formatDateTime, formatMoney, formatShipWindow, orderStatusLabel, plural } from '../../format.ts';
import { Link } from '../../router.ts';
import type { AmendmentView, ExportView, Money, OrderLine } from '../../types.ts';

/** One export of the order (a row of its history): when, where, how it ended, the PO it made. */
export function HistoryRow({
  e,
  connectionName,
  onRetry,
  busy,
}: {
  e: ExportView;
  connectionName: string;
  onRetry: () => void;
  busy: boolean;
}) {
  return (
    <tr>
      <td className="nowrap">{formatDateTime(e.startedAt)}</td>
      <td>{connectionName}</td>
      <td>
        {e.state === 'exported' && <Badge tone="ok">Exported</Badge>}
        {e.state === 'in_progress' && !e.waiting && (
          <Link to={`/plans/${e.planId}`} className="badge badge-info">
            In progress
          </Link>
        )}
        {e.state === 'in_progress' && e.waiting && (
          <span>
            <Link to={`/plans/${e.planId}`} className="badge badge-warn">
              Waiting for the POS
            </Link>{' '}
            <span className="sync-reason">{waitingText(e.waiting)}</span>
          </span>
        )}
        {e.state === 'failed' && (
          <span className="sync-failed">
            <Badge tone="danger">Failed</Badge> <span className="sync-reason">{plainReason(e.failure?.message)}</span>{' '}
            <button
              type="button"
              className="small"
              onClick={onRetry}
              disabled={busy}
              aria-label={`Retry the export to ${connectionName} started ${formatDateTime(e.startedAt)}`}
            >
              {busy ? 'Retrying…' : 'Retry'}
            </button>
          </span>
        )}
        {e.summary && (
          <div className="muted small">
            {plural(e.summary.linesSynced, 'line')} synced · {e.summary.matchedItemsUpdated} matched ·{' '}
            {e.summary.newDraftItems} new draft items
          </div>
        )}
      </td>
      <td>{e.poNumber ? <Link to={`/purchase-orders/${e.id}`}>PO #{e.poNumber}</Link> : '—'}</td>
      <td className="nowrap">
        {formatDateTime(e.finishedAt)}{' '}
        <Link
          to={`/plans/${e.planId}`}
          className="small"
          aria-label={`Details of the export to ${connectionName} started ${formatDateTime(e.startedAt)}`}
        >
          Details
        </Link>
      </td>
    </tr>
  );
}

const changeWords: Record<string, string> = {
  line_added: 'Line added',
  line_removed: 'Line removed',
  quantity_changed: 'Quantity changed',
  cost_changed: 'Cost changed',
  retail_changed: 'Retail price changed',
  upc_changed: 'UPC changed',
  ship_window_changed: 'Ship window changed',
  notes_changed: 'Notes changed',
  status_changed: 'Status changed',
};

function describeValue(kind: string, v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (kind === 'cost_changed' || kind === 'retail_changed') return formatMoney(v as Money);
  if (kind === 'ship_window_changed') return formatShipWindow(v as { start: string | null; end: string | null });
  if (kind === 'line_added' || kind === 'line_removed') {
    const l = v as OrderLine;
    return `${l.name} ${l.color} ${l.size} × ${l.quantity}`;
  }
  if (kind === 'status_changed') return orderStatusLabel(String(v));
  return String(v);
}

/** A change the brand made after the order was exported, line by line. */
export function Amendment({ a, lines }: { a: AmendmentView; lines: OrderLine[] }) {
  const lineName = (key: string | null): string => {
    if (!key) return 'Order';
    const l = lines.find((x) => x.lineKey === key);
    return l ? `${l.name} ${l.color} ${l.size}` : 'A line';
  };
  return (
    <div className="amendment">
      <p>
        <Badge tone={a.state === 'open' ? 'warn' : 'muted'}>
          {a.state === 'open' ? 'New' : orderStatusLabel(a.state)}
        </Badge>{' '}
        The brand changed this order on {formatDateTime(a.detectedAt)}, after it was exported.
        {a.state === 'open' ? ' Accept it to update the purchase order in your POS, or dismiss it.' : ''}
      </p>
      <ul>
        {a.changes.map((c, i) => (
          <li key={i}>
            <strong>{changeWords[c.kind] ?? 'Changed'}</strong> · {lineName(c.lineKey)}:{' '}
            {describeValue(c.kind, c.before)} → {describeValue(c.kind, c.after)}
            {c.kind === 'status_changed' && c.cancellation
              ? ' (the brand cancelled the order: cancel or adjust the purchase order in your POS)'
              : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
