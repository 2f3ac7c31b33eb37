import { useEffect, useId, useState } from 'react';
import { api, messageOf } from '../../api.ts';
import { Badge, Banner, ErrorState, Loading } from '../../components/ui.tsx';
import { plural } from '../../format.ts';
import type { MappingsView } from '../../merchant-types.ts';
import { Link } from '../../router.ts';
import type { Connection, ConnectionsResponse } from '../../types.ts';

/**
 * /connections/:id/mappings: each brand's supplier in this POS (an existing one, suggested by name; created only
 * when you say so) and each NuORDER ship-to address's receiving location (preselected in the review, used by
 * automatic sync).
 */
export function MappingsPage({ connectionId }: { connectionId: string }) {
  const [view, setView] = useState<MappingsView | null>(null);
  const [connection, setConnection] = useState<Connection | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = async (): Promise<void> => {
    try {
      const [v, c] = await Promise.all([
        api<MappingsView>('GET', `/api/connections/${connectionId}/mappings`),
        api<ConnectionsResponse>('GET', '/api/connections'),
      ]);
      setView(v);
      setConnection(c.connections.find((x) => x.id === connectionId) ?? null);
    } catch (e) {
      setLoadError(messageOf(e));
    }
  };
  useEffect(() => void load(), [connectionId]);

  const change = async (key: string, done: string, action: () => Promise<unknown>): Promise<void> => {
    setBusy(key);
    setProblem(null);
    setStatus(null);
    try {
      await action();
      await load();
      setStatus(done);
    } catch (e) {
      setProblem(messageOf(e));
    } finally {
      setBusy(null);
    }
  };

  if (loadError) return <ErrorState message={loadError} onRetry={() => void load()} />;
  if (!view) return <Loading label="Reading the suppliers and locations of your POS…" />;
  const pos = connection?.name ?? 'your POS';
  const supplierWord = connection?.supplierWord ?? 'supplier';
  return (
    <section aria-labelledby="page-title" className="merchant-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/connections">Connections</Link> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">Suppliers and locations · {pos}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1 id="page-title">Suppliers and locations</h1>
          <p className="lede">
            Which {supplierWord} of {pos} each brand’s purchase orders go to, and which location receives the orders
            shipped to each address. Nothing is created in {pos} unless you say so.
          </p>
        </div>
      </div>
      {problem && (
        <Banner tone="danger" onDismiss={() => setProblem(null)}>
          {problem}
        </Banner>
      )}
      <p role="status" className="muted">
        {status}
      </p>

      <BrandMappings
        view={view}
        connectionId={connectionId}
        pos={pos}
        supplierWord={supplierWord}
        busy={busy}
        change={change}
      />
      <AddressMappings view={view} connectionId={connectionId} busy={busy} change={change} />
    </section>
  );
}

/** Each brand's supplier: mapped, suggested (use it), or created on request. */
function BrandMappings({
  view,
  connectionId,
  pos,
  supplierWord,
  busy,
  change,
}: {
  view: MappingsView;
  connectionId: string;
  busy: string | null;
  change: (key: string, done: string, action: () => Promise<unknown>) => Promise<void>;
  pos: string;
  supplierWord: string;
}) {
  const ids = useId();
  return (
    <section className="panel" aria-labelledby={`${ids}-brands`}>
      <h2 id={`${ids}-brands`}>Brands → {supplierWord}s</h2>
      {view.brands.length === 0 && <p className="empty">Link a NuORDER brand first.</p>}
      <ul className="mapping-list">
        {view.brands.map((b) => {
          const selectId = `${ids}-b-${b.brandSourceId}`;
          const best = b.suggestions[0];
          return (
            <li key={b.brandSourceId} className="mapping-row">
              <div className="mapping-what">
                <strong>{b.brandName}</strong>
                <div className="muted small">
                  {b.supplier ? (
                    <>
                      <Badge tone="ok">Mapped</Badge> to {b.supplier.name}
                    </>
                  ) : best ? (
                    <>
                      <Badge tone="info">Suggested</Badge> {best.name} ({best.why})
                    </>
                  ) : (
                    <>
                      <Badge tone="muted">Not mapped</Badge> found or created by name at the first export
                    </>
                  )}
                </div>
              </div>
              <div className="field">
                <label htmlFor={selectId}>
                  {supplierWord[0]!.toUpperCase() + supplierWord.slice(1)} for {b.brandName}
                </label>
                <select
                  id={selectId}
                  value={b.supplier?.id ?? ''}
                  disabled={busy !== null}
                  onChange={(e) => {
                    const supplierId = e.target.value || null;
                    void change(
                      b.brandSourceId,
                      supplierId ? `${b.brandName} → ${e.target.selectedOptions[0]?.text}` : `${b.brandName} unmapped`,
                      () =>
                        api(
                          'PUT',
                          `/api/connections/${connectionId}/mappings/brands/${encodeURIComponent(b.brandSourceId)}`,
                          {
                            supplierId,
                          },
                        ),
                    );
                  }}
                >
                  <option value="">Not mapped</option>
                  {b.suggestions.map((s) => (
                    <option key={`s-${s.id}`} value={s.id}>
                      {s.name} (suggested: {s.why})
                    </option>
                  ))}
                  {view.suppliers
                    .filter((s) => !b.suggestions.some((x) => x.id === s.id))
                    .map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                </select>
              </div>
              <div className="mapping-actions">
                {!b.supplier && best && (
                  <button
                    type="button"
                    className="small"
                    disabled={busy !== null}
                    onClick={() =>
                      void change(b.brandSourceId, `${b.brandName} → ${best.name}`, () =>
                        api(
                          'PUT',
                          `/api/connections/${connectionId}/mappings/brands/${encodeURIComponent(b.brandSourceId)}`,
                          {
                            supplierId: best.id,
                          },
                        ),
                      )
                    }
                  >
                    Use {best.name}
                  </button>
                )}
                {!b.supplier && (
                  <button
                    type="button"
                    className="small secondary"
                    disabled={busy !== null}
                    onClick={() =>
                      void change(b.brandSourceId, `Created ${supplierWord} ${b.brandName} in ${pos}`, () =>
                        api(
                          'PUT',
                          `/api/connections/${connectionId}/mappings/brands/${encodeURIComponent(b.brandSourceId)}`,
                          {
                            create: true,
                          },
                        ),
                      )
                    }
                  >
                    Create “{b.brandName}” in {pos}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Each ship-to address's receiving location. */
function AddressMappings({
  view,
  connectionId,
  busy,
  change,
}: {
  view: MappingsView;
  connectionId: string;
  busy: string | null;
  change: (key: string, done: string, action: () => Promise<unknown>) => Promise<void>;
}) {
  const ids = useId();
  const openLocations = view.locations.filter((l) => !l.archived);
  return (
    <section className="panel" aria-labelledby={`${ids}-addresses`}>
      <h2 id={`${ids}-addresses`}>Ship-to addresses → locations</h2>
      {view.addresses.length === 0 && <p className="empty">No order with a ship-to address yet.</p>}
      <ul className="mapping-list">
        {view.addresses.map((a) => {
          const selectId = `${ids}-a-${a.addressKey}`;
          return (
            <li key={a.addressKey} className="mapping-row">
              <div className="mapping-what">
                <strong>{a.text}</strong>
                <div className="muted small">
                  {plural(a.orders, 'order')} ·{' '}
                  {a.locationId ? <Badge tone="ok">Mapped</Badge> : <Badge tone="warn">Asks once</Badge>}
                </div>
              </div>
              <div className="field">
                <label htmlFor={selectId}>Location receiving {a.text}</label>
                <select
                  id={selectId}
                  value={a.locationId ?? ''}
                  disabled={busy !== null}
                  onChange={(e) =>
                    void change(a.addressKey, 'Location saved', () =>
                      api('PUT', `/api/connections/${connectionId}/mappings/locations`, {
                        addressKey: a.addressKey,
                        locationId: e.target.value || null,
                      }),
                    )
                  }
                >
                  <option value="">Ask in the review</option>
                  {openLocations.map((l) => (
                    <option key={l.id} value={l.id}>
                      {l.name}
                    </option>
                  ))}
                </select>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
