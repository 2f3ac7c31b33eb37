import { useId } from 'react';
import { orderStatusLabel } from '../format.ts';

export interface Filters {
  q: string;
  brand: string;
  status: string;
  sync: string;
  page: number;
}

const nuorderStatuses = ['approved', 'processed', 'shipped', 'cancelled', 'pending', 'review', 'draft'];
const syncStates: Array<[string, string]> = [
  ['not_exported', 'Not exported'],
  ['needs_review', 'Needs review'],
  ['in_progress', 'Export in progress'],
  ['exported', 'Exported'],
  ['failed', 'Failed'],
];

export function filtersFrom(search: URLSearchParams): Filters {
  return {
    q: search.get('q') ?? '',
    brand: search.get('brand') ?? '',
    status: search.get('status') ?? '',
    sync: search.get('sync') ?? '',
    page: Math.max(1, Number(search.get('page') ?? '1') || 1),
  };
}

export function toQuery(f: Filters): string {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.brand) p.set('brand', f.brand);
  if (f.status) p.set('status', f.status);
  if (f.sync) p.set('sync', f.sync);
  if (f.page > 1) p.set('page', String(f.page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Search and the three filters of the orders list; they live in the address (see OrdersPage). */
export function OrdersFilters({
  filters,
  search,
  onSearch,
  brands,
  onChange,
  onClear,
}: {
  filters: Filters;
  search: string;
  onSearch: (text: string) => void;
  brands: string[];
  onChange: (next: Partial<Filters>) => void;
  onClear: () => void;
}) {
  const ids = useId();
  const filtered = Boolean(filters.q || filters.brand || filters.status || filters.sync);
  return (
    <form className="filters" role="search" aria-label="Filter orders" onSubmit={(e) => e.preventDefault()}>
      <div className="field grow">
        <label htmlFor={`${ids}-q`}>Search</label>
        <input
          id={`${ids}-q`}
          type="search"
          placeholder="Order number or brand"
          value={search}
          onChange={(e) => onSearch(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-brand`}>Brand</label>
        <select id={`${ids}-brand`} value={filters.brand} onChange={(e) => onChange({ brand: e.target.value })}>
          <option value="">All brands</option>
          {brands.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-status`}>NuORDER status</label>
        <select id={`${ids}-status`} value={filters.status} onChange={(e) => onChange({ status: e.target.value })}>
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
        <select id={`${ids}-sync`} value={filters.sync} onChange={(e) => onChange({ sync: e.target.value })}>
          <option value="">Any</option>
          {syncStates.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      {filtered && (
        <button type="button" className="link clear-filters" onClick={onClear}>
          Clear filters
        </button>
      )}
    </form>
  );
}
