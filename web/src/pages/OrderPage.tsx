import { api, unlessNotFound } from '../api.ts';
import { Badge, ErrorState, Loading, NotFound } from '../components/ui.tsx';
import { SyncBadge, shortConnectionName, useRetry } from '../components/SyncBadge.tsx';
import { useResource } from '../data.ts';
import { addressLines, formatDate, formatMoney, formatShipWindow, isPos, orderStatusLabel, plural } from '../format.ts';
import { Link } from '../router.ts';
import type { AmendmentsPage } from '../../../src/http/api-types.ts';
import type { Connection, ConnectionsResponse, OrderDetail } from '../types.ts';
import { AmendmentDecision } from './order/AmendmentDecision.tsx';
import { Amendment, HistoryRow } from './order/OrderHistory.tsx';
import { OrderLines } from './order/OrderLines.tsx';
import { OrderTimeline, TimelineBadge } from './order/OrderTimeline.tsx';

/** One wholesale order: its details, its export status and history per POS, the brand's later changes, its lines. */
export function OrderPage({ orderId }: { orderId: string }) {
  const resource = useResource(
    async () => {
      const [order, connections, decisions] = await Promise.all([
        unlessNotFound(api<OrderDetail>('GET', `/api/orders/${orderId}`)),
        api<ConnectionsResponse>('GET', '/api/connections'),
        unlessNotFound(api<AmendmentsPage>('GET', `/api/orders/${orderId}/amendments?limit=200`)),
      ]);
      return { order, connections: connections.connections, decisions: decisions?.amendments ?? [] };
    },
    [orderId],
    { poll: (d) => (d.order?.sync.some((s) => s.status.state === 'in_progress') ? 2000 : null) },
  );
  const { retry, busy, error: retryError } = useRetry();

  if (resource.status === 'loading' && !resource.data) return <Loading label="Loading the order…" />;
  if (!resource.data)
    return (
      <ErrorState message={resource.error ?? 'The order could not be loaded.'} onRetry={() => void resource.reload()} />
    );
  const { order, connections, decisions } = resource.data;
  if (!order)
    return (
      <NotFound title="Order not found" back={<Link to="/orders">Back to orders</Link>}>
        There is no order at this address in your organization. The link may be wrong, or the order may belong to
        another organization.
      </NotFound>
    );
  const doc = order.document;
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
            </Badge>{' '}
            <TimelineBadge status={order.timeline.status} label={order.timeline.label} />
          </h1>
          <p className="lede">
            {order.brand} · {plural(order.lineCount, 'line')} · {plural(order.unitCount, 'unit')} ·{' '}
            {formatMoney({ minor: order.totalMinor, currency: order.currency })}
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

      <OrderTimeline timeline={order.timelineDetail} />

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
          order.amendments.map((a) => {
            const decision = decisions.find((d) => d.id === a.id);
            return (
              <div key={a.id}>
                <Amendment a={a} lines={doc.lines} />
                {decision && (
                  <AmendmentDecision orderId={order.id} decision={decision} onChanged={() => void resource.reload()} />
                )}
              </div>
            );
          })
        )}
      </section>

      <OrderLines order={order} />
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
