import { useEffect, useId, useState } from 'react';
import { api, messageOf } from '../../api.ts';
import { Badge, ErrorState, Loading } from '../../components/ui.tsx';
import { formatDateTime, plural } from '../../format.ts';
import type { Forecast } from '../../merchant-types.ts';
import { Link } from '../../router.ts';

const problemWords: Record<string, string> = {
  MISSING_UPC: 'No UPC',
  BAD_CHECK_DIGIT: 'Wrong check digit',
  MALFORMED_UPC: 'Not a barcode',
  RESTRICTED_CODE: 'Store or coupon code',
  DUPLICATE_UPC_IN_POS: 'UPC on two POS items',
  ARCHIVED_ONLY_IN_POS: 'Only an archived POS item',
  UPC_REUSED_ACROSS_STYLES: 'UPC reused across styles',
  CONFLICTING_UPC: 'Two UPCs for one size',
  SHAPE_OVER_LIMIT: 'Too many sizes for one product',
  SHAPE_PROBLEM: 'Sizes that cannot be told apart',
  PRICE_REVIEW: 'Price to review',
  PACK_DATA: 'Pack data',
  NO_WHOLESALE_PRICE: 'No wholesale price',
  NO_MSRP: 'No MSRP',
};

/**
 * /brands/:id/forecast: the brand's whole catalog against your POS catalog before its first order: what would
 * match, be new, need review and why, and the data-quality report to send the brand (CSV).
 */
export function ForecastPage({ brandId }: { brandId: string }) {
  const [forecast, setForecast] = useState<Forecast | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = useId();

  const load = async (): Promise<void> => {
    setProblem(null);
    setForecast(null);
    try {
      setForecast(await api<Forecast>('GET', `/api/brands/${brandId}/forecast`));
    } catch (e) {
      setProblem(messageOf(e));
    }
  };
  useEffect(() => void load(), [brandId]);

  if (problem)
    return <ErrorState title="The forecast could not be made" message={problem} onRetry={() => void load()} />;
  if (!forecast) return <Loading label="Reading the brand’s catalog and comparing it with your POS…" />;
  const c = forecast.counts;
  const byCode = new Map<string, number>();
  for (const p of forecast.problems) byCode.set(p.code, (byCode.get(p.code) ?? 0) + 1);

  return (
    <section aria-labelledby="page-title" className="merchant-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/connections">Connections</Link> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">Forecast · {forecast.brand.name}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1 id="page-title">{forecast.brand.name}: before the first order</h1>
          <p className="lede">
            The brand’s whole catalog ({plural(c.styles, 'style')}, {plural(c.sizes, 'size')}) compared with{' '}
            {forecast.pos.name}, as an order of every size would be exported. Made{' '}
            {formatDateTime(forecast.generatedAt)} with {plural(forecast.calls.nuorder, 'NuORDER call')}.
          </p>
        </div>
        <div className="page-actions">
          <a className="button secondary" href={`/api/brands/${brandId}/forecast?format=csv`} download>
            Download the report (CSV)
          </a>
          <button type="button" className="secondary" onClick={() => void load()}>
            Run again
          </button>
        </div>
      </div>

      <ul className="forecast-counts" aria-label="What an order of everything would do">
        <li>
          <span className="count">{c.matched}</span> sizes match an item you sell
        </li>
        <li>
          <span className="count">{c.newItems}</span> would be new items, in {plural(c.newProducts, 'product')}
        </li>
        <li className={c.needsReview > 0 ? 'warn' : undefined}>
          <span className="count">{c.needsReview}</span> need a person’s choice
        </li>
        <li>
          <span className="count">{c.splitStyles}</span> {c.splitStyles === 1 ? 'style is' : 'styles are'} over the
          POS’s product shape
        </li>
      </ul>

      <section className="panel" aria-labelledby={`${ids}-problems`}>
        <h2 id={`${ids}-problems`}>What to fix with the brand ({forecast.problems.length})</h2>
        {byCode.size > 0 && (
          <p className="problem-kinds">
            {[...byCode.entries()].map(([code, n]) => (
              <Badge key={code} tone="warn">
                {problemWords[code] ?? code}: {n}
              </Badge>
            ))}
          </p>
        )}
        {forecast.problems.length === 0 ? (
          <p className="empty">Nothing: every size of this brand would match or be created cleanly.</p>
        ) : (
          <div className="table-wrap">
            <table className="forecast-table">
              <thead>
                <tr>
                  <th scope="col">Style · color · size</th>
                  <th scope="col">UPC</th>
                  <th scope="col">Problem</th>
                  <th scope="col">What it means</th>
                </tr>
              </thead>
              <tbody>
                {forecast.problems.slice(0, 300).map((p, i) => (
                  <tr key={i}>
                    <th scope="row">
                      {p.styleNumber} · {p.color}
                      {p.size ? ` · ${p.size}` : ''}
                    </th>
                    <td className="mono">{p.upc || '—'}</td>
                    <td>{problemWords[p.code] ?? p.code}</td>
                    <td className="small">{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {forecast.problems.length > 300 && (
              <p className="muted small">The first 300 of {forecast.problems.length}; the CSV has them all.</p>
            )}
          </div>
        )}
      </section>
    </section>
  );
}
