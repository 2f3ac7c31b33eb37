import { api, unlessNotFound } from '../api.ts';
import { Badge, Banner, ErrorState, Loading, NotFound } from '../components/ui.tsx';
import { useResource } from '../data.ts';
import { formatDateTime, formatMoney, plural, poStatusLabel } from '../format.ts';
import { Link } from '../router.ts';
import type { ConnectionsResponse, Money, OrderDetail, PurchaseOrderDetail } from '../types.ts';
import { OrderTimeline, TimelineBadge } from './order/OrderTimeline.tsx';

/** One synced purchase order, read live from the POS: its status and lines as the POS holds them. */
export function PurchaseOrderPage({ exportId }: { exportId: string }) {
  const resource = useResource(async () => {
    const [po, connections] = await Promise.all([
      unlessNotFound(api<PurchaseOrderDetail>('GET', `/api/purchase-orders/${exportId}`)),
      api<ConnectionsResponse>('GET', '/api/connections'),
    ]);
    // The order's timeline (shipments with tracking, receipts): the same one the order page shows.
    const order = po ? await unlessNotFound(api<OrderDetail>('GET', `/api/orders/${po.orderId}`)) : null;
    return { po, order, demo: connections.providers.demo };
  }, [exportId]);

  if (!resource.data) {
    if (resource.status === 'error')
      return (
        <ErrorState
          title="This purchase order could not be loaded"
          message={resource.error}
          onRetry={() => void resource.reload()}
        />
      );
    return <Loading label="Reading the purchase order from the POS…" />;
  }
  const { po, order, demo } = resource.data;
  if (!po)
    return (
      <NotFound title="Purchase order not found" back={<Link to="/purchase-orders">Back to purchase orders</Link>}>
        There is no synced purchase order at this address in your organization. The link may be wrong.
      </NotFound>
    );
  const pos = po.posLabel;
  const nuorderOrder = demo?.simulators?.['nuorder'] && po.orderNumber ? `${demo.simulators['nuorder']}/orders` : null;
  const lines = po.live?.lines ?? [];
  const units = lines.reduce((n, l) => n + l.quantity, 0);
  const currency = lines.find((l) => l.unitCost)?.unitCost?.currency ?? 'USD';
  const total: Money = { minor: lines.reduce((n, l) => n + (l.unitCost?.minor ?? 0) * l.quantity, 0), currency };

  return (
    <article aria-labelledby="page-title">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/purchase-orders">Purchase orders</Link> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">PO #{po.poNumber}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1 id="page-title">
            PO #{po.poNumber} <Badge tone="info">{po.tag}</Badge>
            {order && (
              <>
                {' '}
                <TimelineBadge status={order.timeline.status} label={order.timeline.label} />
              </>
            )}
          </h1>
          <p className="lede">
            “NuORDER #{po.orderNumber} · {po.brand}” in {po.connectionName}
            {po.locationName ? `, to be received at ${po.locationName}` : ''}.
          </p>
        </div>
        <div className="head-actions">
          <Link className="button" to={`/purchase-orders/${exportId}/receive`}>
            Receive a shipment
          </Link>
          {po.backofficeUrl && (
            <a className="button secondary" href={po.backofficeUrl} target="_blank" rel="noreferrer">
              Open in the {pos} back office (demo)
            </a>
          )}
          {po.poUrl && !po.backofficeUrl && (
            <a className="button secondary" href={po.poUrl} target="_blank" rel="noreferrer">
              Open in {pos}
            </a>
          )}
        </div>
      </div>
      <section className="grid-3" aria-label="Purchase order details">
        <div className="card">
          <h2 className="card-title">In the POS</h2>
          <dl className="facts">
            <div>
              <dt>Status</dt>
              <dd>
                {po.live?.status ? (
                  <Badge tone={po.live.open ? 'warn' : 'ok'}>{poStatusLabel(po.live.status)}</Badge>
                ) : (
                  '—'
                )}
              </dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatDateTime(po.exportedAt)}</dd>
            </div>
            <div>
              <dt>Lines</dt>
              <dd>
                {po.live
                  ? `${plural(lines.length, 'line')}, ${plural(units, 'unit')}, ${formatMoney(total)}`
                  : (po.summary?.linesSynced ?? '—')}
              </dd>
            </div>
          </dl>
        </div>
        <div className="card">
          <h2 className="card-title">Source</h2>
          <p>
            Synced from NuORDER order <strong>{po.orderNumber}</strong> ({po.brand}).
          </p>
          <p>
            <Link to={`/orders/${po.orderId}`}>Open order {po.orderNumber} in Tradeloop</Link>
          </p>
          <p>
            <Link className="button secondary" to={`/orders/${po.orderId}/reorder`}>
              Reorder
            </Link>
          </p>
          {nuorderOrder && (
            <p>
              <a href={nuorderOrder} target="_blank" rel="noreferrer">
                See it in NuORDER (demo back office)
              </a>
            </p>
          )}
        </div>
        <div className="card">
          <h2 className="card-title">Export</h2>
          {po.summary ? (
            <dl className="facts">
              <div>
                <dt>Lines synced</dt>
                <dd>{po.summary.linesSynced}</dd>
              </div>
              <div>
                <dt>Matched items updated</dt>
                <dd>{po.summary.matchedItemsUpdated}</dd>
              </div>
              <div>
                <dt>Draft items created</dt>
                <dd>{po.summary.newDraftItems}</dd>
              </div>
            </dl>
          ) : (
            <p className="muted">No summary recorded.</p>
          )}
          <p>
            <Link to={`/plans/${po.planId}`}>The export’s steps</Link>
          </p>
        </div>
      </section>
      {order && <OrderTimeline timeline={order.timelineDetail} headingId="po-timeline" />}
      <section className="panel" aria-labelledby="po-lines">
        <h2 id="po-lines">Lines in the POS</h2>
        {po.liveError && <Banner tone="warn">{po.liveError}</Banner>}
        {po.live && lines.length === 0 && <p className="muted">The POS shows no lines on this purchase order.</p>}
        {lines.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">SKU</th>
                  <th scope="col" className="num">
                    Ordered
                  </th>
                  <th scope="col" className="num">
                    Unit cost
                  </th>
                  <th scope="col" className="num">
                    Received
                  </th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l) => (
                  <tr key={l.posItemId}>
                    <td>{l.name ?? 'An item not in Tradeloop’s copy of the catalog yet'}</td>
                    <td className="mono">{l.sku ?? '—'}</td>
                    <td className="num">{l.quantity}</td>
                    <td className="num">{formatMoney(l.unitCost)}</td>
                    <td className="num">{l.received}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}
