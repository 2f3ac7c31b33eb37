import { useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { isPos, plural } from '../../format.ts';
import type { Forecast } from '../../merchant-types.ts';
import { Link } from '../../router.ts';
import type { Connection } from '../../types.ts';

interface BrandRow {
  id: string;
  forecast: { at: string; counts: Forecast['counts']; problems: number } | null;
}

/**
 * A connection card's way to its merchant-data pages: pricing and mappings (a POS); a brand's forecast, with
 * what the one made when it was linked found.
 */
export function MerchantLinks({ connection: c }: { connection: Connection }) {
  const [brand, setBrand] = useState<BrandRow | null>(null);
  useEffect(() => {
    if (c.system !== 'nuorder') return;
    let stale = false;
    api<{ brands: BrandRow[] }>('GET', '/api/brands')
      .then((r) => !stale && setBrand(r.brands.find((b) => b.id === c.id) ?? null))
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [c.id, c.system]);

  if (isPos(c))
    return (
      <p className="merchant-links">
        <Link to={`/connections/${c.id}/pricing`} aria-label={`Retail prices for new items · ${c.name}`}>
          Retail prices
        </Link>
        <Link to={`/connections/${c.id}/mappings`} aria-label={`Suppliers and locations · ${c.name}`}>
          Suppliers and locations
        </Link>
        <Link to={`/connections/${c.id}/links`} aria-label={`Item links · ${c.name}`}>
          Item links
        </Link>
        <Link to={`/connections/${c.id}/pos-reorders`} aria-label={`Reorders from the POS · ${c.name}`}>
          Reorders from the POS
        </Link>
      </p>
    );
  if (c.system !== 'nuorder') return null;
  const f = brand?.forecast;
  return (
    <p className="merchant-links">
      <Link to={`/brands/${c.id}/forecast`} aria-label={`Forecast before the first order · ${c.brandName ?? c.name}`}>
        Forecast and data quality
      </Link>
      {f && (
        <span className="muted small">
          {f.counts.matched} match, {f.counts.newItems} new, {plural(f.problems, 'problem')} to tell the brand
        </span>
      )}
    </p>
  );
}
