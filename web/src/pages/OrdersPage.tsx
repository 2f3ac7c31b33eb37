import { useEffect, useId, useRef, useState } from 'react';
import { api, messageOf } from '../api.ts';
import { Badge, Banner, Empty, ErrorState, Loading } from '../components/ui.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { useResource } from '../data.ts';
import { formatShipWindow, isPos, orderStatusLabel, plural } from '../format.ts';
import { Link, navigate, useLocation } from '../router.ts';
import type { ConnectionsResponse, OrderSummary, OrdersResponse } from '../types.ts';

const pageSize = 50;

const nuorderStatuses = ['approved', 'processed', 'shipped', 'cancelled', 'pending', 'review', 'draft'];
const syncStates: Array<[string, string]> = [
  ['not_exported', 'Not exported'],
  ['needs_review', 'Needs review'],
  ['in_progress', 'Export in progress'],
  ['exported', 'Exported'],
  ['failed', 'Failed'],
];

interface Filters {
  q: string;
  brand: string;
  status: string;
  sync: string;
  page: number;
}

function filtersFrom(search: URLSearchParams): Filters {
  return {
    q: search.get('q') ?? '',
    brand: search.get('brand') ?? '',
    status: search.get('status') ?? '',
    sync: search.get('sync') ?? '',
    page: Math.max(1, Number(search.get('page') ?? '1') || 1),
  };
}

function toQuery(f: Filters): string {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.brand) p.set('brand', f.brand);
  if (f.status) p.set('status', f.status);
  if (f.sync) p.set('sync', f.sync);
  if (f.page > 1) p.set('page', String(f.page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Orders that can still be exported to at least one linked POS. */
function exportable(o: OrderSummary, linkedPos: Set<string>): boolean {
  return (
    o.status !== 'cancelled' &&
    o.sync.some(
      (s) => linkedPos.has(s.connectionId) && (s.status.state === 'not_exported' || s.status.state === 'needs_review'),
    )
  );
}

export function OrdersPage() {
  const location = useLocation();
  const filters = filtersFrom(location.search);
  const [search, setSearch] = useState(filters.q);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [syncNote, setSyncNote] = useState<{ tone: 'ok' | 'info' | 'danger'; text: string } | null>(null);
  const [syncing, setSyncing] = useState(false);
  const ids = useId();

  // Reads the address at call time: a debounced search must not undo a filter chosen meanwhile.
  const setFilters = (next: Partial<Filters>, replace = false): void => {
    const current = filtersFrom(new URLSearchParams(window.location.search));
    navigate(`/orders${toQuery({ ...current, page: 1, ...next })}`, { replace });
  };
  const clearFilters = (): void => {
    typed.current = false;
    setSearch('');
    navigate('/orders');
  };

  // Search as you type, without a history entry per keystroke.
  const typed = useRef(false);
  useEffect(() => {
    if (!typed.current) return;
    const timer = setTimeout(() => {
      if (typed.current) setFilters({ q: search.trim() }, true);
    }, 300);
    return () => clearTimeout(timer);
  }, [search]);

  const orders = useResource(
    async () => {
      const p = new URLSearchParams({ limit: String(pageSize), offset: String((filters.page - 1) * pageSize) });
      if (filters.q) p.set('q', filters.q);
      if (filters.brand) p.set('brand', filters.brand);
      if (filters.status) p.set('status', filters.status);
      if (filters.sync) p.set('syncStatus', filters.sync);
      const [list, connections] = await Promise.all([
        api<OrdersResponse>('GET', `/api/orders?${p.toString()}`),
        api<ConnectionsResponse>('GET', '/api/connections'),
      ]);
      return { list, connections };
    },
    [location.search],
    {
      poll: (d) => {
        if (d.list.orders.some((o) => o.sync.some((s) => s.status.state === 'in_progress'))) return 2000;
        // Just linked: the first pull from NuORDER is still running.
        if (
          d.connections.connections.some(
            (c) => c.system === 'nuorder' && c.status === 'linked' && c.lastSyncAt === null,
          )
        )
          return 1500;
        return 20000;
      },
    },
  );

  const data = orders.data;
  const linkedPos = new Set(
    (data?.connections.connections ?? []).filter((c) => isPos(c) && c.status === 'linked').map((c) => c.id),
  );
  const hasNuorder = (data?.connections.connections ?? []).some((c) => c.system === 'nuorder');
  const posCount = new Set(data?.list.orders.flatMap((o) => o.sync.map((s) => s.connectionId)) ?? []).size;
  const firstPull = (data?.connections.connections ?? []).some(
    (c) => c.system === 'nuorder' && c.status === 'linked' && c.lastSyncAt === null,
  );
  const filtered = Boolean(filters.q || filters.brand || filters.status || filters.sync);
  const pageOrders = data?.list.orders ?? [];
  const selectable = pageOrders.filter((o) => exportable(o, linkedPos));
  const allSelected = selectable.length > 0 && selectable.every((o) => selected.has(o.id));
  const firstExportable = selectable[0]?.id;

  const syncNow = async (): Promise<void> => {
    setSyncing(true);
    setSyncNote({ tone: 'info', text: 'Pulling approved orders from NuORDER…' });
    try {
      const r = await api<{ jobs: Array<{ jobId: string }> }>('POST', '/api/orders/sync');
      if (r.jobs.length === 0) {
        setSyncNote({ tone: 'danger', text: 'No NuORDER brand portal is linked. Link one under Connections.' });
        return;
      }
      const deadline = Date.now() + 30_000;
      let failed: string | null = null;
      for (const job of r.jobs) {
        for (;;) {
          const j = await api<{ state: string; lastError: string | null }>('GET', `/api/jobs/${job.jobId}`);
          if (j.state === 'succeeded' || j.state === 'cancelled') break;
          if (j.state === 'failed') {
            failed = 'NuORDER could not be reached. Tradeloop tries again by itself in a few minutes.';
            break;
          }
          if (Date.now() > deadline) break;
          await new Promise((resolve) => setTimeout(resolve, 700));
        }
      }
      await orders.reload();
      setSyncNote(
        failed ? { tone: 'danger', text: failed } : { tone: 'ok', text: 'Orders are up to date with NuORDER.' },
      );
    } catch (e) {
      setSyncNote({ tone: 'danger', text: messageOf(e) });
    } finally {
      setSyncing(false);
    }
  };

  const toggle = (id: string): void =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const total = data?.list.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const selectedIds = [...selected];

  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <div>
          <h1 id="page-title">Orders</h1>
          <p className="lede">Approved wholesale orders from NuORDER, with their sync status in each point of sale.</p>
        </div>
        <button type="button" className="secondary" onClick={() => void syncNow()} disabled={syncing}>
          {syncing ? 'Syncing…' : 'Sync now'}
        </button>
      </div>
      {syncNote && (
        <Banner tone={syncNote.tone} onDismiss={() => setSyncNote(null)} role="status">
          {syncNote.text}
        </Banner>
      )}
      {data && hasNuorder && linkedPos.size === 0 && (
        <Banner tone="info">
          To export orders, <Link to="/connections">link your point of sale</Link> (Lightspeed X-Series or R-Series).
        </Banner>
      )}

      {(!data || hasNuorder) && (
        <form className="filters" role="search" aria-label="Filter orders" onSubmit={(e) => e.preventDefault()}>
          <div className="field grow">
            <label htmlFor={`${ids}-q`}>Search</label>
            <input
              id={`${ids}-q`}
              type="search"
              placeholder="Order number or brand"
              value={search}
              onChange={(e) => {
                typed.current = true;
                setSearch(e.target.value);
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-brand`}>Brand</label>
            <select id={`${ids}-brand`} value={filters.brand} onChange={(e) => setFilters({ brand: e.target.value })}>
              <option value="">All brands</option>
              {(data?.list.brands ?? (filters.brand ? [filters.brand] : [])).map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-status`}>NuORDER status</label>
            <select
              id={`${ids}-status`}
              value={filters.status}
              onChange={(e) => setFilters({ status: e.target.value })}
            >
              <option value="">Any status</option>
              {nuorderStatuses.map((s) => (
                <option key={s} value={s}>
                  {orderStatusLabel(s)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-sync`}>POS sync</label>
            <select id={`${ids}-sync`} value={filters.sync} onChange={(e) => setFilters({ sync: e.target.value })}>
              <option value="">Any</option>
              {syncStates.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          {filtered && (
            <button type="button" className="link clear-filters" onClick={clearFilters}>
              Clear filters
            </button>
          )}
        </form>
      )}
      {(!data || hasNuorder) && (
        <div className={`bulk-bar ${selected.size > 0 ? 'active' : ''}`} aria-live="polite">
          {selected.size > 0 ? (
            <>
              <span>{plural(selected.size, 'order')} selected</span>
              <button type="button" onClick={() => navigate(`/export?orders=${selectedIds.join(',')}`)}>
                Export {selected.size === 1 ? 'selected order' : `${selected.size} orders`}
              </button>
              <button type="button" className="link" onClick={() => setSelected(new Set())}>
                Clear selection
              </button>
            </>
          ) : (
            <span className="muted small">
              Tick several orders to export them together: each becomes its own purchase order, and new products are
              created once.
            </span>
          )}
        </div>
      )}

      {orders.status === 'loading' && !data && <Loading label="Loading orders…" />}
      {orders.status === 'error' && !data && <ErrorState message={orders.error} onRetry={() => void orders.reload()} />}
      {data && !hasNuorder && (
        <Empty title="No wholesale orders yet.">
          <p>Link a NuORDER brand portal and its approved orders appear here.</p>
          <Link className="button" to="/connections">
            Go to Connections
          </Link>
        </Empty>
      )}
      {data && hasNuorder && pageOrders.length === 0 && firstPull && (
        <Loading label="Pulling approved orders from NuORDER for the first time…" />
      )}
      {data && hasNuorder && pageOrders.length === 0 && !firstPull && (
        <Empty title={filtered ? 'No orders match these filters.' : 'No approved orders yet.'}>
          {filtered ? (
            <button type="button" className="secondary" onClick={clearFilters}>
              Clear filters
            </button>
          ) : (
            <p>Tradeloop checks NuORDER every few minutes. Press “Sync now” to check right away.</p>
          )}
        </Empty>
      )}
      {data && pageOrders.length > 0 && (
        <>
          <div className="table-wrap" aria-busy={orders.status === 'loading'}>
            <table className="orders-table">
              <caption className="sr-only">Wholesale orders, {plural(total, 'order')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="select-col">
                    <input
                      type="checkbox"
                      aria-label="Select all exportable orders on this page"
                      checked={allSelected}
                      disabled={selectable.length === 0}
                      onChange={() => setSelected(allSelected ? new Set() : new Set(selectable.map((o) => o.id)))}
                    />
                  </th>
                  <th scope="col">Order</th>
                  <th scope="col">Brand</th>
                  <th scope="col">Ship window</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col">NuORDER status</th>
                  <th scope="col">POS sync</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {pageOrders.map((o) => {
                  const canExport = exportable(o, linkedPos);
                  const review = o.sync.find((s) => s.status.state === 'needs_review');
                  return (
                    <tr key={o.id} className={selected.has(o.id) ? 'selected' : undefined}>
                      <td className="select-col">
                        <input
                          type="checkbox"
                          aria-label={`Select order ${o.orderNumber}`}
                          checked={selected.has(o.id)}
                          disabled={!canExport}
                          onChange={() => toggle(o.id)}
                        />
                      </td>
                      <td>
                        <Link to={`/orders/${o.id}`} className="strong">
                          {o.orderNumber}
                        </Link>
                        <div className="muted small">{plural(o.unitCount, 'unit')}</div>
                      </td>
                      <td>{o.brand}</td>
                      <td className="nowrap">{formatShipWindow({ start: o.shipStart, end: o.shipEnd })}</td>
                      <td className="num nowrap">{o.total}</td>
                      <td>
                        <Badge tone={o.status === 'cancelled' ? 'danger' : o.status === 'approved' ? 'info' : 'muted'}>
                          {orderStatusLabel(o.status)}
                        </Badge>
                      </td>
                      <td>
                        {o.sync.length === 0 ? (
                          <span className="muted small">No POS linked</span>
                        ) : (
                          <div className="sync-list">
                            {o.sync.map((s) => (
                              <SyncBadge
                                key={s.connectionId}
                                sync={s}
                                orderNumber={o.orderNumber}
                                showName={posCount > 1}
                                onChanged={() => void orders.reload()}
                              />
                            ))}
                          </div>
                        )}
                      </td>
                      <td className="actions">
                        {review && review.status.state === 'needs_review' ? (
                          <Link className="button small" to={`/plans/${review.status.planId}`}>
                            Review
                          </Link>
                        ) : canExport ? (
                          <Link
                            className="button small"
                            to={`/export?orders=${o.id}`}
                            data-guide={o.id === firstExportable ? 'order-export' : undefined}
                            aria-label={`Export order ${o.orderNumber}`}
                          >
                            Export
                          </Link>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Pages of orders">
            <span className="muted small">
              {plural(total, 'order')}
              {pages > 1 ? ` · page ${filters.page} of ${pages}` : ''}
            </span>
            {pages > 1 && (
              <>
                <button
                  type="button"
                  className="secondary small"
                  disabled={filters.page <= 1}
                  onClick={() => setFilters({ page: filters.page - 1 })}
                >
                  Previous page
                </button>
                <button
                  type="button"
                  className="secondary small"
                  disabled={filters.page >= pages}
                  onClick={() => setFilters({ page: filters.page + 1 })}
                >
                  Next page
                </button>
              </>
            )}
          </nav>
        </>
      )}
    </section>
  );
}
