import { useState, type FormEvent } from 'react';
import type { AuditReport } from '../../../src/http/api-types.ts';
import { api } from '../api.ts';
import { Badge, Empty, ErrorState, Loading } from '../components/ui.tsx';
import { useResource } from '../data.ts';
import { formatMoney } from '../format.ts';
import { Link, navigate, useLocation } from '../router.ts';

/**
 * The discrepancy audit: ordered (NuORDER) vs exported (the POS PO) vs shipped vs received, line by line, for the
 * exported orders the filters pick. The CSV link downloads the same rows (GET /api/audit?format=csv).
 */
export function AuditPage() {
  const { search } = useLocation();
  const filters = {
    brand: search.get('brand') ?? '',
    season: search.get('season') ?? '',
    onlyIssues: search.get('onlyIssues') !== 'false',
  };
  const query = new URLSearchParams();
  if (filters.brand) query.set('brand', filters.brand);
  if (filters.season) query.set('season', filters.season);
  query.set('onlyIssues', String(filters.onlyIssues));
  const resource = useResource(() => api<AuditReport>('GET', `/api/audit?${query}`), [query.toString()]);
  const [brand, setBrand] = useState(filters.brand);
  const [season, setSeason] = useState(filters.season);
  const [onlyIssues, setOnlyIssues] = useState(filters.onlyIssues);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (brand.trim()) next.set('brand', brand.trim());
    if (season.trim()) next.set('season', season.trim());
    next.set('onlyIssues', String(onlyIssues));
    navigate(`/audit?${next}`);
  };

  return (
    <section aria-labelledby="page-title" className="audit">
      <h1 id="page-title">Discrepancy audit</h1>
      <p className="lede">
        What was ordered in NuORDER, what the purchase order in the POS holds now, what the brand shipped and what was
        received, line by line.
      </p>
      <form className="filters" onSubmit={apply} aria-label="Audit filters">
        <label>
          Brand
          <input name="brand" value={brand} onChange={(e) => setBrand(e.target.value)} />
        </label>
        <label>
          Season
          <input name="season" value={season} onChange={(e) => setSeason(e.target.value)} />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={onlyIssues} onChange={(e) => setOnlyIssues(e.target.checked)} />
          Only lines with issues
        </label>
        <button type="submit">Apply filters</button>
        <a className="button secondary" href={`/api/audit?${query}&format=csv`} download>
          Download CSV
        </a>
      </form>
      {!resource.data ? (
        resource.status === 'error' ? (
          <ErrorState
            title="The audit could not be made"
            message={resource.error}
            onRetry={() => void resource.reload()}
          />
        ) : (
          <Loading label="Auditing the exported orders…" />
        )
      ) : resource.data.orders.length === 0 ? (
        <Empty title={filters.onlyIssues ? 'No discrepancy found' : 'No exported order matches'}>
          Every exported order the filters pick agrees with its purchase order.
        </Empty>
      ) : (
        resource.data.orders.map((o) => (
          <section key={o.orderId} className="card audit-order" aria-labelledby={`audit-${o.orderId}`}>
            <h2 id={`audit-${o.orderId}`} className="card-title">
              <Link to={`/orders/${o.orderId}`}>Order {o.orderNumber}</Link> · {o.brandName} · PO #{o.poNumber ?? '?'}{' '}
              <Badge tone={o.issues > 0 ? 'warn' : 'ok'}>{o.issues > 0 ? `${o.issues} issues` : 'Clean'}</Badge>
            </h2>
            {o.error && <p className="muted">{o.error}</p>}
            <table className="table">
              <caption className="sr-only">Audit of order {o.orderNumber}</caption>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Ordered</th>
                  <th scope="col">On PO</th>
                  <th scope="col">Shipped</th>
                  <th scope="col">Received</th>
                  <th scope="col">Cost ordered / on PO</th>
                  <th scope="col">Issues</th>
                </tr>
              </thead>
              <tbody>
                {o.rows.map((r, i) => (
                  <tr key={`${r.lineKey ?? r.posItemId ?? ''}-${i}`}>
                    <td>{r.label}</td>
                    <td>{r.ordered ?? '—'}</td>
                    <td>{r.onPo ?? '—'}</td>
                    <td>{r.shipped ?? '—'}</td>
                    <td>{r.received ?? '—'}</td>
                    <td>
                      {r.orderedCost ? formatMoney(r.orderedCost) : '—'} / {r.poCost ? formatMoney(r.poCost) : '—'}
                    </td>
                    <td>{r.issues.length === 0 ? '—' : r.issues.map((x) => x.message).join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))
      )}
    </section>
  );
}
