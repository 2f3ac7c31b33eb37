import { useId } from 'react';
import { api } from '../api.ts';
import { Badge, Empty, ErrorState, Loading } from '../components/ui.tsx';
import { useResource } from '../data.ts';
import { formatDateTime, isPos, plural } from '../format.ts';
import { Link, navigate, useLocation } from '../router.ts';
import type { ConnectionsResponse, PurchaseOrderView } from '../types.ts';

/** The purchase orders Tradeloop created in the POS, newest first, as the POS lists them. */
export function PurchaseOrdersPage() {
  const { search } = useLocation();
  const planId = search.get('plan');
  const connectionId = search.get('connection') ?? '';
  const ids = useId();
  const resource = useResource(async () => {
    const p = new URLSearchParams({ limit: '100' });
    if (connectionId) p.set('connectionId', connectionId);
    const [list, connections] = await Promise.all([
      api<{ purchaseOrders: PurchaseOrderView[] }>('GET', `/api/purchase-orders?${p.toString()}`),
      api<ConnectionsResponse>('GET', '/api/connections'),
    ]);
    return { list: list.purchaseOrders, connections: connections.connections, demo: connections.providers.demo };
  }, [connectionId]);

  const data = resource.data;
  const pos = (data?.connections ?? []).filter(isPos);
  const fromPlan = planId ? (data?.list ?? []).filter((p) => p.planId === planId) : [];
  const others = (data?.list ?? []).filter((p) => p.planId !== planId);

  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <div>
          <h1 id="page-title">Purchase orders</h1>
          <p className="lede">
            The purchase orders Tradeloop created in your point of sale, newest first, as the POS shows them.
          </p>
        </div>
        {data?.demo?.simulators && (
          <div className="head-actions">
            {pos.map((c) =>
              data.demo?.simulators?.[c.system] && c.purchaseOrdersUrl ? (
                <a key={c.id} className="button secondary" href={c.purchaseOrdersUrl} target="_blank" rel="noreferrer">
                  Open the {c.shortLabel} back office (demo)
                </a>
              ) : null,
            )}
          </div>
        )}
      </div>
      {pos.length > 1 && (
        <div className="filters">
          <div className="field">
            <label htmlFor={`${ids}-pos`}>Point of sale</label>
            <select
              id={`${ids}-pos`}
              value={connectionId}
              onChange={(e) => navigate(`/purchase-orders${e.target.value ? `?connection=${e.target.value}` : ''}`)}
            >
              <option value="">All</option>
              {pos.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        </div>
      )}
      {resource.status === 'loading' && !data && <Loading label="Loading purchase orders…" />}
      {resource.status === 'error' && !data && (
        <ErrorState message={resource.error} onRetry={() => void resource.reload()} />
      )}
      {data && data.list.length === 0 && (
        <Empty title="No purchase orders yet.">
          <p>Export an order and its purchase order appears here.</p>
          <Link className="button" to="/orders">
            Go to orders
          </Link>
        </Empty>
      )}
      {fromPlan.length > 0 && (
        <section aria-labelledby={`${ids}-new`} className="po-group">
          <h2 id={`${ids}-new`}>From this export</h2>
          <ul className="po-list">
            {fromPlan.map((po) => (
              <PoCard key={po.exportId} po={po} highlight />
            ))}
          </ul>
        </section>
      )}
      {others.length > 0 && (
        <section
          aria-label={fromPlan.length > 0 ? 'Earlier purchase orders' : 'All purchase orders'}
          className="po-group"
        >
          {fromPlan.length > 0 && <h2>Earlier</h2>}
          <ul className="po-list">
            {others.map((po) => (
              <PoCard key={po.exportId} po={po} />
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}

function PoCard({ po, highlight = false }: { po: PurchaseOrderView; highlight?: boolean }) {
  const titleId = useId();
  return (
    <li className={`card po-card ${highlight ? 'po-new' : ''}`} aria-labelledby={titleId}>
      <div className="po-main">
        <h3 id={titleId}>
          <Link to={`/purchase-orders/${po.exportId}`}>PO #{po.poNumber ?? '—'}</Link>{' '}
          <Badge tone="info">{po.tag}</Badge>
        </h3>
        <p className="muted small">
          NuORDER #{po.orderNumber} · {po.brand} · {po.connectionName}
          {po.locationName ? ` · ${po.locationName}` : ''}
        </p>
        <p className="small">
          {po.summary
            ? `${plural(po.summary.linesSynced, 'line')} · ${po.summary.matchedItemsUpdated} matched items · ${po.summary.newDraftItems} new draft items`
            : ''}{' '}
          · created {formatDateTime(po.exportedAt)}
        </p>
      </div>
      <div className="po-links">
        <Link to={`/orders/${po.orderId}`}>Order {po.orderNumber} in Tradeloop</Link>
        {po.backofficeUrl && (
          <a href={po.backofficeUrl} target="_blank" rel="noreferrer">
            Open in the POS back office (demo)
          </a>
        )}
        {!po.backofficeUrl && po.poUrl && (
          <a href={po.poUrl} target="_blank" rel="noreferrer">
            Open in {po.posLabel}
          </a>
        )}
      </div>
    </li>
  );
}
