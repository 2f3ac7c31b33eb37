import { useId } from 'react';
import { Badge, type Tone } from '../../components/ui.tsx';
import { formatDateTime } from '../../format.ts';
import type { DryRun, Figures, LogEntry, Planned } from './types.ts';

function describe(p: Planned): string {
  if (p.outcome === 'send') return `send as ${p.status}`;
  if (p.outcome === 'blocked') return `blocked (${p.reason})`;
  if (p.outcome === 'already_sent') return 'already sent';
  return 'not sent';
}

/** A rule set replayed over recent orders: what the active and the edited rules would each do, and what differs. */
export function DryRunResult({ dryRun }: { dryRun: DryRun }) {
  const headingId = useId();
  const rows: Array<[string, Figures]> = [
    [`Active (v${dryRun.activeVersion})`, dryRun.active],
    [dryRun.draftVersion !== null ? `Draft (v${dryRun.draftVersion})` : 'Draft', dryRun.draft],
  ];
  return (
    <section className="panel dry-run" aria-label="Dry run result">
      <h2 id={headingId}>Dry run: last {dryRun.days} days</h2>
      <div className="table-wrap">
        <table className="sales-table" aria-label="Dry run figures">
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">Rules</span>
              </th>
              <th scope="col" className="num">
                Orders
              </th>
              <th scope="col" className="num">
                Would be sent
              </th>
              <th scope="col">As</th>
              <th scope="col" className="num">
                Not sent
              </th>
              <th scope="col" className="num">
                Blocked
              </th>
              <th scope="col" className="num">
                Already sent
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([name, f]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td className="num">{f.orders}</td>
                <td className="num">{f.send}</td>
                <td>
                  {Object.entries(f.sendByStatus)
                    .map(([k, n]) => `${k} ${n}`)
                    .join(', ') || '—'}
                </td>
                <td className="num">{f.notSent}</td>
                <td className="num">{f.blocked}</td>
                <td className="num">{f.alreadySent}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>{dryRun.changed} order(s) would change.</p>
      <ul className="changes">
        {dryRun.rows
          .filter((row) => row.change !== 'same')
          .map((row) => (
            <li key={row.orderId}>
              <strong>{row.tranId}</strong>: {describe(row.active)} → {describe(row.draft)}
            </li>
          ))}
      </ul>
    </section>
  );
}

const stateTone: Record<string, Tone> = {
  sent: 'ok',
  completed: 'ok',
  failed: 'danger',
  not_sent: 'muted',
};

/** What each order did, newest first: a table on wide screens, a card per order in a narrow space. */
export function SyncLog({ log, busy, onRetry }: { log: LogEntry[]; busy: boolean; onRetry: (e: LogEntry) => void }) {
  if (log.length === 0) return <p className="empty">Nothing synced yet. Press “Sync now” to run the sync.</p>;
  return (
    <div className="table-wrap">
      <table className="sales-table sync-log" aria-label="Sync log">
        <thead>
          <tr>
            <th scope="col">Direction</th>
            <th scope="col">NetSuite</th>
            <th scope="col">X-Series</th>
            <th scope="col">State</th>
            <th scope="col">Sent as</th>
            <th scope="col">Why / error</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {log.map((entry) => (
            <LogRow key={entry.id} entry={entry} busy={busy} onRetry={() => onRetry(entry)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LogRow({ entry, busy, onRetry }: { entry: LogEntry; busy: boolean; onRetry: () => void }) {
  const netsuite = entry.netsuite.tranId ?? entry.netsuite.id ?? '—';
  return (
    <tr data-state={entry.state}>
      <td className="cell-direction">
        {entry.direction === 'ns_to_x' ? 'NetSuite → X-Series' : 'X-Series → NetSuite'}
        <div className="muted small">{formatDateTime(entry.updatedAt)}</div>
      </td>
      <td className="cell-netsuite">
        <span className="strong">{netsuite}</span>
        {entry.netsuite.recordType && entry.direction === 'x_to_ns' ? ` (${entry.netsuite.recordType})` : ''}
      </td>
      <td className="cell-xseries">
        {entry.xseries.invoiceNumber ?? entry.xseries.saleId?.slice(0, 8) ?? '—'}
        {entry.xseries.status ? ` · ${entry.xseries.status}` : ''}
      </td>
      <td className="cell-state">
        <Badge tone={stateTone[entry.state] ?? 'info'}>{entry.state.replace('_', ' ')}</Badge>
      </td>
      <td className="cell-sent">
        {entry.sentAs ?? '—'}
        {entry.ruleSetVersion !== null ? ` (rules v${entry.ruleSetVersion})` : ''}
      </td>
      <td className="cell-why">
        <Why text={entry.error?.message ?? entry.reason ?? ''} />
      </td>
      <td className="actions">
        {(entry.state === 'failed' || entry.state === 'not_sent') && (
          <button
            type="button"
            className="small secondary"
            disabled={busy}
            onClick={onRetry}
            aria-label={`Retry ${netsuite}`}
          >
            Retry
          </button>
        )}
      </td>
    </tr>
  );
}

/** A long reason ("No rule matched: rule 1 needs …; rule 2 needs …") shows its first words; the rest opens on demand. */
function Why({ text }: { text: string }) {
  const cut = text.indexOf(': ');
  if (text.length <= 140 || cut < 0) return <>{text}</>;
  return (
    <details className="why">
      <summary>{text.slice(0, cut)}</summary>
      {text.slice(cut + 2)}
    </details>
  );
}
