import { api, plainReason } from '../api.ts';
import { Badge, Empty, ErrorState, Loading } from '../components/ui.tsx';
import { SyncBadge, shortConnectionName, useRetry, waitingText } from '../components/SyncBadge.tsx';
import { useResource } from '../data.ts';
import {
  addressLines,
  formatDate,
  formatDateTime,
  formatMoney,
  formatShipWindow,
  isPos,
  orderStatusLabel,
  plural,
  sumMoney,
  upcText,
} from '../format.ts';
import { Link } from '../router.ts';
import type {
  AmendmentView,
  Connection,
  ConnectionsResponse,
  ExportView,
  Money,
  OrderDetail,
  OrderLine,
} from '../types.ts';

interface LineGroup {
  key: string;
  name: string;
  styleNumber: string;
  color: string;
  season: string | null;
  lines: OrderLine[];
}

function groupLines(lines: OrderLine[]): LineGroup[] {
  const groups = new Map<string, LineGroup>();
  for (const l of lines) {
    const key = `${l.styleNumber}\u0000${l.color}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, name: l.name, styleNumber: l.styleNumber, color: l.color, season: l.season, lines: [] };
      groups.set(key, g);
    }
    g.lines.push(l);
  }
  return [...groups.values()];
}

const lineTotal = (l: OrderLine): Money => ({ minor: l.unitCost.minor * l.quantity, currency: l.unitCost.currency });

export function OrderPage({ orderId }: { orderId: string }) {
  const resource = useResource(
    async () => {
      const [order, connections] = await Promise.all([
        api<OrderDetail>('GET', `/api/orders/${orderId}`),
        api<ConnectionsResponse>('GET', '/api/connections'),
      ]);
      return { order, connections: connections.connections };
    },
    [orderId],
    { poll: (d) => (d.order.sync.some((s) => s.status.state === 'in_progress') ? 2000 : null) },
  );
  const { retry, busy, error: retryError } = useRetry();

  if (resource.status === 'loading' && !resource.data) return <Loading label="Loading the order…" />;
  if (!resource.data)
    return (
      <ErrorState message={resource.error ?? 'The order could not be loaded.'} onRetry={() => void resource.reload()} />
    );
  const { order, connections } = resource.data;
  const doc = order.document;
  const groups = groupLines(doc.lines);
  const linkedPos = connections.filter((c) => isPos(c) && c.status === 'linked');
  const connectionName = (id: string): string => connections.find((c) => c.id === id)?.name ?? 'A POS no longer linked';

  return (
    <article aria-labelledby="page-title" className="order-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/orders">Orders</Link> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">{order.orderNumber}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1 id="page-title">
            Order {order.orderNumber}{' '}
            <Badge tone={order.status === 'cancelled' ? 'danger' : 'info'}>
              {orderStatusLabel(order.status)} in NuORDER
            </Badge>
          </h1>
          <p className="lede">
            {order.brand} · {plural(order.lineCount, 'line')} · {plural(order.unitCount, 'unit')} · {order.total}
          </p>
        </div>
        <ExportActions order={order} linkedPos={linkedPos} />
      </div>

      <section className="grid-3" aria-label="Order details">
        <div className="card">
          <h2 className="card-title">Order</h2>
          <dl className="facts">
            <div>
              <dt>Retailer</dt>
              <dd>
                {doc.retailer.name}
                {doc.retailer.code ? ` (${doc.retailer.code})` : ''}
              </dd>
            </div>
            <div>
              <dt>Buyer</dt>
              <dd>{doc.retailer.buyerName ?? '—'}</dd>
            </div>
            <div>
              <dt>Customer PO</dt>
              <dd>{doc.customerPoNumber ?? '—'}</dd>
            </div>
            <div>
              <dt>Placed</dt>
              <dd>{formatDate(doc.createdAt)}</dd>
            </div>
            <div>
              <dt>Ship window</dt>
              <dd>{formatShipWindow(doc.shipWindow)}</dd>
            </div>
          </dl>
          {doc.notes && <p className="notes">{doc.notes}</p>}
        </div>
        <Address title="Ship to" lines={addressLines(doc.shippingAddress)} />
        <Address title="Bill to" lines={addressLines(doc.billingAddress)} />
      </section>

      <section className="panel" aria-labelledby="sync-heading">
        <h2 id="sync-heading">Export status</h2>
        {order.sync.length === 0 ? (
          <p className="muted">
            No point of sale is linked. <Link to="/connections">Link one</Link> to export this order.
          </p>
        ) : (
          <ul className="sync-rows">
            {order.sync.map((s) => (
              <li key={s.connectionId}>
                <span className="strong">{s.connectionName}</span>
                <SyncBadge
                  sync={s}
                  orderNumber={order.orderNumber}
                  showName={false}
                  onChanged={() => void resource.reload()}
                />
              </li>
            ))}
          </ul>
        )}
        <h3>History</h3>
        {order.exports.length === 0 ? (
          <p className="muted">Not exported yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Point of sale</th>
                  <th scope="col">Result</th>
                  <th scope="col">Purchase order</th>
                  <th scope="col">Finished</th>
                </tr>
              </thead>
              <tbody>
                {order.exports.map((e) => (
                  <HistoryRow
                    key={e.id}
                    e={e}
                    connectionName={connectionName(e.connectionId)}
                    onRetry={() => void retry(e.id, `order ${order.orderNumber}`)}
                    busy={busy === e.id}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {retryError && (
          <p className="error" role="alert">
            {retryError}
          </p>
        )}
      </section>

      <section className="panel" aria-labelledby="amend-heading">
        <h2 id="amend-heading">Amendments</h2>
        {order.amendments.length === 0 ? (
          <p className="muted">The brand has not changed this order since it was exported.</p>
        ) : (
          order.amendments.map((a) => <Amendment key={a.id} a={a} lines={doc.lines} />)
        )}
      </section>

      <section className="panel" aria-labelledby="lines-heading">
        <h2 id="lines-heading">Lines</h2>
        <p className="muted small">Grouped by style and color; one row per size.</p>
        {groups.length === 0 && <Empty title="This order has no lines." />}
        {groups.map((g) => {
          const units = g.lines.reduce((n, l) => n + l.quantity, 0);
          const total = sumMoney(g.lines.map(lineTotal), doc.currency);
          return (
            <div className="line-group" key={g.key}>
              <h3>
                {g.name}{' '}
                <span className="muted">
                  · {g.styleNumber} · {g.color}
                </span>
                {g.season && <span className="muted small"> · {g.season}</span>}
              </h3>
              <div className="table-wrap">
                <table className="lines-table">
                  <caption className="sr-only">
                    {g.name} {g.color}: sizes
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Size</th>
                      <th scope="col">UPC</th>
                      <th scope="col" className="num">
                        Quantity
                      </th>
                      <th scope="col" className="num">
                        Unit cost
                      </th>
                      <th scope="col" className="num">
                        Retail
                      </th>
                      <th scope="col" className="num">
                        Line total
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {g.lines.map((l) => (
                      <tr key={l.lineKey}>
                        <th scope="row">{l.size}</th>
                        <td>
                          {l.gtin.ok ? (
                            <span className="mono">{upcText(l.rawUpc, l.gtin.gtin14)}</span>
                          ) : (
                            <span className="warn-text">{l.rawUpc ? `${l.rawUpc} (not a valid UPC)` : 'No UPC'}</span>
                          )}
                        </td>
                        <td className="num">{l.quantity}</td>
                        <td className="num">{formatMoney(l.unitCost)}</td>
                        <td className="num">
                          {l.retailPrice === null && l.gaps?.some((gap) => gap.field === 'retailPrice') ? (
                            <span className="warn-text">
                              None{' '}
                              <span className="small">
                                ({l.gaps.find((gap) => gap.field === 'retailPrice')?.reason})
                              </span>
                            </span>
                          ) : (
                            formatMoney(l.retailPrice)
                          )}
                        </td>
                        <td className="num">{formatMoney(lineTotal(l))}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row" colSpan={2}>
                        {g.color}
                      </th>
                      <td className="num">{units}</td>
                      <td colSpan={2} />
                      <td className="num">{formatMoney(total)}</td>
                    </tr>
                  </tfoot>
                </table>
              </div>
            </div>
          );
        })}
        <p className="order-total">
          Order total <strong>{order.total}</strong> · {plural(order.unitCount, 'unit')}
        </p>
      </section>
    </article>
  );
}

function Address({ title, lines }: { title: string; lines: string[] }) {
  return (
    <div className="card">
      <h2 className="card-title">{title}</h2>
      {lines.length === 0 ? (
        <p className="muted">No address given.</p>
      ) : (
        <address>
          {lines.map((l, i) => (
            <span key={i}>
              {l}
              <br />
            </span>
          ))}
        </address>
      )}
    </div>
  );
}

function ExportActions({ order, linkedPos }: { order: OrderDetail; linkedPos: Connection[] }) {
  if (order.status === 'cancelled') return <p className="muted">Cancelled orders are not exported.</p>;
  const actions = order.sync.filter((s) => linkedPos.some((c) => c.id === s.connectionId));
  const buttons = actions.flatMap((s) => {
    // Not exported yet, or automatic sync could not start an export: the buyer can export it by hand.
    if (s.status.state === 'not_exported' || (s.status.state === 'failed' && s.status.exportId === null))
      return [
        <Link
          key={s.connectionId}
          className="button"
          data-guide="order-export"
          to={`/export?orders=${order.id}&connection=${s.connectionId}`}
        >
          Export to {shortConnectionName(s)}
        </Link>,
      ];
    if (s.status.state === 'needs_review')
      return [
        <Link key={s.connectionId} className="button" to={`/plans/${s.status.planId}`}>
          Review export to {shortConnectionName(s)}
        </Link>,
      ];
    return [];
  });
  if (buttons.length === 0) return null;
  return <div className="head-actions">{buttons}</div>;
}

function HistoryRow({
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
            <button type="button" className="small" onClick={onRetry} disabled={busy}>
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
        <Link to={`/plans/${e.planId}`} className="small">
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

function Amendment({ a, lines }: { a: AmendmentView; lines: OrderLine[] }) {
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
        The brand changed this order on {formatDateTime(a.detectedAt)}, after it was exported. Check the purchase order
        in your POS.
      </p>
      <ul>
        {a.changes.map((c, i) => (
          <li key={i}>
            <strong>{changeWords[c.kind] ?? 'Changed'}</strong> · {lineName(c.lineKey)}:{' '}
            {describeValue(c.kind, c.before)} → {describeValue(c.kind, c.after)}
            {c.cancellation ? ' (the brand cancelled the order: cancel or adjust the purchase order in your POS)' : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
