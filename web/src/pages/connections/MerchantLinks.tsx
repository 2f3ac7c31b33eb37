import { isPos } from '../../format.ts';
import { Link } from '../../router.ts';
import type { Connection } from '../../types.ts';

/** A connection card's way to its merchant-data pages: pricing and mappings (a POS), the forecast (a brand). */
export function MerchantLinks({ connection: c }: { connection: Connection }) {
  if (isPos(c))
    return (
      <p className="merchant-links">
        <Link to={`/connections/${c.id}/pricing`} aria-label={`Retail prices for new items · ${c.name}`}>
          Retail prices
        </Link>
        <Link to={`/connections/${c.id}/mappings`} aria-label={`Suppliers and locations · ${c.name}`}>
          Suppliers and locations
        </Link>
      </p>
    );
  if (c.system === 'nuorder')
    return (
      <p className="merchant-links">
        <Link to={`/brands/${c.id}/forecast`} aria-label={`Forecast before the first order · ${c.brandName ?? c.name}`}>
          Forecast and data quality
        </Link>
      </p>
    );
  return null;
}
