import { useEffect, useRef, useState } from 'react';
import { api, messageOf } from '../api.ts';
import { Banner, Empty, ErrorState, Loading } from '../components/ui.tsx';
import { useResource } from '../data.ts';
import { isPos, plural } from '../format.ts';
import { Link, navigate, useLocation } from '../router.ts';
import type { ConnectionsResponse, OrdersResponse } from '../types.ts';
import { filtersFrom, OrdersFilters, toQuery, type Filters } from './OrdersFilters.tsx';
import { OrdersTable } from './OrdersTable.tsx';

const pageSize = 50;

export function OrdersPage() {
  const location = useLocation();
  const filters = filtersFrom(location.search);
  const [search, setSearch] = useState(filters.q);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [syncNote, setSyncNote] = useState<{ tone: 'ok' | 'info' | 'danger'; text: string } | null>(null);
  const [syncing, setSyncing] = useState(false);

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
  const firstPull = (data?.connections.connections ?? []).some(
    (c) => c.system === 'nuorder' && c.status === 'linked' && c.lastSyncAt === null,
  );
  const filtered = Boolean(filters.q || filters.brand || filters.status || filters.sync);
  const pageOrders = data?.list.orders ?? [];

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
        <OrdersFilters
          filters={filters}
          search={search}
          onSearch={(text) => {
            typed.current = true;
            setSearch(text);
          }}
          brands={data?.list.brands ?? (filters.brand ? [filters.brand] : [])}
          onChange={(next) => setFilters(next)}
          onClear={clearFilters}
        />
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
          <OrdersTable
            orders={pageOrders}
            total={total}
            linkedPos={linkedPos}
            selected={selected}
            onToggle={toggle}
            onSelectAll={(ids) => setSelected(new Set(ids))}
            busy={orders.status === 'loading'}
            onChanged={() => void orders.reload()}
          />
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
