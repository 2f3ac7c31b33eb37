import { AuditFlag } from '../components/AuditFlag.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { formatMoney, formatShipWindow, orderStatusLabel, plural } from '../format.ts';
import { Link } from '../router.ts';
import { TimelineBadge } from './order/OrderTimeline.tsx';
import type { OrderSummary } from '../types.ts';

/** Orders that can still be exported to at least one linked POS. */
export function exportable(o: OrderSummary, linkedPos: Set<string>): boolean {
  return (
    o.status !== 'cancelled' &&
    o.sync.some(
      (s) => linkedPos.has(s.connectionId) && (s.status.state === 'not_exported' || s.status.state === 'needs_review'),
    )
  );
}

/**
 * The orders list: a table on wide screens; on a phone each row lays out as a card (styles/orders.css), so the
 * page never scrolls sideways and every column stays in reach.
 */
export function OrdersTable({
  orders,
  total,
  linkedPos,
  selected,
  onToggle,
  onSelectAll,
  busy,
  onChanged,
}: {
  orders: OrderSummary[];
  total: number;
  linkedPos: Set<string>;
  selected: Set<string>;
  onToggle: (id: string) => void;
  onSelectAll: (ids: string[]) => void;
  busy: boolean;
  onChanged: () => void;
}) {
  const selectable = orders.filter((o) => exportable(o, linkedPos));
  const allSelected = selectable.length > 0 && selectable.every((o) => selected.has(o.id));
  const firstExportable = selectable[0]?.id;
  const posCount = new Set(orders.flatMap((o) => o.sync.map((s) => s.connectionId))).size;
  return (
    <div className="table-wrap" aria-busy={busy}>
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
                onChange={() => onSelectAll(allSelected ? [] : selectable.map((o) => o.id))}
              />
            </th>
            <th scope="col">Order</th>
            <th scope="col">Brand</th>
            <th scope="col">Ship window</th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col">Status</th>
            <th scope="col">POS sync</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <OrderRow
              key={o.id}
              o={o}
              canExport={exportable(o, linkedPos)}
              guided={o.id === firstExportable}
              selected={selected.has(o.id)}
              onToggle={() => onToggle(o.id)}
              showPosName={posCount > 1}
              onChanged={onChanged}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OrderRow({
  o,
  canExport,
  guided,
  selected,
  onToggle,
  showPosName,
  onChanged,
}: {
  o: OrderSummary;
  canExport: boolean;
  guided: boolean;
  selected: boolean;
  onToggle: () => void;
  showPosName: boolean;
  onChanged: () => void;
}) {
  const review = o.sync.find((s) => s.status.state === 'needs_review');
  return (
    <tr className={selected ? 'selected' : undefined}>
      <td className="select-col">
        <input
          type="checkbox"
          aria-label={`Select order ${o.orderNumber}`}
          checked={selected}
          disabled={!canExport}
          onChange={onToggle}
        />
      </td>
      <td className="cell-order">
        <Link to={`/orders/${o.id}`} className="strong">
          {o.orderNumber}
        </Link>
        <div className="muted small">{plural(o.unitCount, 'unit')}</div>
        <AuditFlag orderId={o.id} orderNumber={o.orderNumber} />
      </td>
      <td className="cell-brand">{o.brand}</td>
      <td className="cell-ship">{formatShipWindow({ start: o.shipStart, end: o.shipEnd })}</td>
      <td className="num nowrap cell-total">{formatMoney({ minor: o.totalMinor, currency: o.currency })}</td>
      <td className="cell-status">
        <TimelineBadge
          status={o.timeline.status}
          label={o.timeline.label}
          title={`${orderStatusLabel(o.status)} in NuORDER`}
        />
      </td>
      <td className="cell-sync">
        {o.sync.length === 0 ? (
          <span className="muted small">No POS linked</span>
        ) : (
          <div className="sync-list">
            {o.sync.map((s) => (
              <SyncBadge
                key={s.connectionId}
                sync={s}
                orderNumber={o.orderNumber}
                showName={showPosName}
                onChanged={onChanged}
              />
            ))}
          </div>
        )}
      </td>
      <td className="actions">
        {review && review.status.state === 'needs_review' ? (
          <Link
            className="button small"
            to={`/plans/${review.status.planId}`}
            aria-label={`Review the export of order ${o.orderNumber}`}
          >
            Review
          </Link>
        ) : canExport ? (
          <Link
            className="button small"
            to={`/export?orders=${o.id}`}
            data-guide={guided ? 'order-export' : undefined}
            aria-label={`Export order ${o.orderNumber}`}
          >
            Export
          </Link>
        ) : null}
      </td>
    </tr>
  );
}
