import { useId } from 'react';
import { Badge } from '../../components/ui.tsx';
import { formatMoney, formatShipWindow, plural, sumMoney } from '../../format.ts';
import { isDuplicateUpcWarning, levelLabel, warningText } from '../../plan-words.ts';
import { Link } from '../../router.ts';
import type { ItemDetail, OrderDetail, Plan, PosLocation } from '../../types.ts';
import { openWarnings } from './rows.ts';

/**
 * What the export makes: each wholesale order and the purchase order it becomes (a table on wide screens, a
 * card per order on a phone), and the sizes by decision.
 */
export function PurchaseOrderMapping({
  plan,
  orders,
  posName,
  location,
}: {
  plan: Plan;
  orders: Map<string, OrderDetail>;
  posName: string;
  location: PosLocation | undefined;
}) {
  const headingId = useId();
  const counts = plan.counts;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{plan.orderIds.length === 1 ? 'Purchase order' : 'Orders → purchase orders'}</h2>
      <div className="table-wrap">
        <table className="mapping">
          <thead>
            <tr>
              <th scope="col">Wholesale order</th>
              <th scope="col">Brand</th>
              <th scope="col" className="num">
                Units
              </th>
              <th scope="col" className="num">
                Cost
              </th>
              <th scope="col">
                <span className="sr-only">becomes</span>
              </th>
              <th scope="col">Purchase order in {posName}</th>
              <th scope="col">To review</th>
            </tr>
          </thead>
          <tbody>
            {plan.purchaseOrders.map((po) => {
              const o = orders.get(po.orderSourceId);
              const units = po.lines.reduce((n, l) => n + l.quantity, 0);
              const cost = sumMoney(
                po.lines.map((l) => ({ minor: l.unitCost.minor * l.quantity, currency: l.unitCost.currency })),
                po.currency,
              );
              const review = plan.lines.filter(
                (l) => l.orderSourceId === po.orderSourceId && l.decision.kind === 'needs_review',
              ).length;
              return (
                <tr key={po.orderSourceId}>
                  <th scope="row" className="cell-order">
                    {o ? <Link to={`/orders/${o.id}`}>{po.orderNumber}</Link> : po.orderNumber}
                  </th>
                  <td className="cell-brand">{po.brand.name}</td>
                  <td className="num cell-units">{plural(units, 'unit')}</td>
                  <td className="num cell-cost">{formatMoney(cost)}</td>
                  <td aria-hidden="true" className="arrow">
                    →
                  </td>
                  <td className="cell-po">
                    New purchase order “NuORDER #{po.orderNumber}” · {plural(po.lines.length, 'line')} · at{' '}
                    {location?.name ?? '…'} · expected {formatShipWindow(po.shipWindow)}
                  </td>
                  <td className="cell-review">
                    {review > 0 ? (
                      <Badge tone="warn">{plural(review, 'size')} to review</Badge>
                    ) : (
                      <Badge tone="ok">Nothing to review</Badge>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        {plural(counts.lines - counts.skipped, 'size')} in all: {counts.upcMatch} matched by UPC, {counts.confirmed}{' '}
        confirmed from earlier exports, {counts.linkedByBuyer} chosen by you, {counts.newItem} new items
        {counts.newProducts > 0 ? ` in ${plural(counts.newProducts, 'new product')}` : ''}, {counts.needsReview} to
        review{counts.skipped > 0 ? `, ${counts.skipped} skipped (quantity 0)` : ''}.
      </p>
    </section>
  );
}

/** The plan's warnings that still need attention, duplicate UPCs first; settled ones are left out. */
export function WarningsPanel({ plan, items }: { plan: Plan; items: Map<string, ItemDetail> }) {
  const open = openWarnings(plan);
  if (open.length === 0) return null;
  const duplicates = open.filter(isDuplicateUpcWarning);
  const others = open.filter((w) => !isDuplicateUpcWarning(w));
  return (
    <details className="panel warnings-panel" open={duplicates.length > 0}>
      <summary>
        <h2 className="inline-h2">Warnings</h2>{' '}
        <span className="muted">
          ({duplicates.length} duplicate UPC, {others.length} other)
        </span>
      </summary>
      <ul className="warning-list">
        {[...duplicates, ...others].map((w, i) => (
          <li key={i}>
            <Badge tone="warn">{levelLabel[w.level]}</Badge> {warningText(w, items, plan)}
          </li>
        ))}
      </ul>
    </details>
  );
}
