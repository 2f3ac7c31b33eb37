import { Fragment, useId } from 'react';
import { MatchPicker } from '../../components/MatchPicker.tsx';
import { LineNotes } from './MerchantNotes.tsx';
import { Badge } from '../../components/ui.tsx';
import { decisionLabel, decisionTone, formatMoney, matrixStatusLabel, plural, upcText } from '../../format.ts';
import { levelLabel, warningText } from '../../plan-words.ts';
import type { ItemDetail, OrderDetail, OverrideAction, Plan, PlanLine, PlanMatrix } from '../../types.ts';
import {
  candidatesFor,
  isSettled,
  matchedItemId,
  newItemSku,
  rowWarnings,
  tabLabel,
  tabOf,
  type TabId,
  type VariantRow,
} from './rows.ts';

/**
 * One style/color in a tab of the review: the sizes the tab lists (a table on wide screens, a card per size
 * on a phone), the picker under the size being decided, and a note naming the style's other sizes and where
 * they are.
 */
export function MatrixCard({
  plan,
  matrix: m,
  rows,
  tab,
  items,
  byGtin,
  openPicker,
  setOpenPicker,
  onChoose,
  onUndo,
  bulk,
  orders,
}: {
  plan: Plan;
  matrix: PlanMatrix;
  rows: VariantRow[];
  tab: TabId;
  items: Map<string, ItemDetail>;
  byGtin: Record<string, string[]>;
  openPicker: string | null;
  setOpenPicker: (key: string | null) => void;
  onChoose: (line: PlanLine, action: OverrideAction) => Promise<void>;
  onUndo: (line: PlanLine) => void;
  bulk: boolean;
  orders: Map<string, OrderDetail>;
}) {
  const titleId = useId();
  const listed = rows.filter((r) => tabOf(r) === tab);
  const elsewhere = rows.filter((r) => tabOf(r) !== tab);
  const matrixWarnings = m.warnings.filter((w) => w.level === 'matrix' && !isSettled(plan, w));

  return (
    <section className={`matrix matrix-${m.status}`} aria-labelledby={titleId}>
      <header className="matrix-head">
        <h3 id={titleId}>
          {m.name}{' '}
          <span className="muted">
            · {m.styleNumber} · {m.color}
          </span>
        </h3>
        <Badge tone={decisionTone(m.status) === 'new' ? 'new' : decisionTone(m.status)}>
          {matrixStatusLabel[m.status]}
        </Badge>
        {bulk && <span className="muted small">{m.brand.name}</span>}
      </header>
      {matrixWarnings.length > 0 && (
        <ul className="warning-list compact">
          {matrixWarnings.map((w, i) => (
            <li key={i}>
              <Badge tone="warn">{levelLabel[w.level]}</Badge> {warningText(w, items, plan)}
            </li>
          ))}
        </ul>
      )}
      <div className="table-wrap">
        <table className="variants">
          <caption className="sr-only">
            Sizes of {m.name} {m.color} under {tabLabel[tab]} and their match in the POS
          </caption>
          <thead>
            <tr>
              <th scope="col">Size</th>
              <th scope="col">UPC</th>
              <th scope="col" className="num">
                Qty
              </th>
              <th scope="col" className="num">
                Unit cost
              </th>
              <th scope="col">Match in POS</th>
              <th scope="col">
                <span className="sr-only">Decision</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {listed.map((row) => (
              <SizeRow
                key={row.variantKey}
                plan={plan}
                row={row}
                pickerKey={`${m.matrixKey}|${row.variantKey}`}
                items={items}
                byGtin={byGtin}
                openPicker={openPicker}
                setOpenPicker={setOpenPicker}
                onChoose={onChoose}
                onUndo={onUndo}
                bulk={bulk}
                orders={orders}
              />
            ))}
          </tbody>
        </table>
      </div>
      {elsewhere.length > 0 && <p className="muted small other-sizes">{elsewhereText(elsewhere)}</p>}
    </section>
  );
}

/** "Also in this style/color: M and L under Matched; XL under New items." */
function elsewhereText(rows: VariantRow[]): string {
  const byTab = new Map<string, string[]>();
  for (const r of rows) {
    const tab = tabOf(r);
    const label = tab ? `under ${tabLabel[tab]}` : 'skipped (quantity 0)';
    byTab.set(label, [...(byTab.get(label) ?? []), r.first.size]);
  }
  const parts = [...byTab].map(([label, sizes]) => `${listText(sizes)} ${label}`);
  return `Also in this style/color: ${parts.join('; ')}.`;
}

function listText(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function SizeRow({
  plan,
  row,
  pickerKey: key,
  items,
  byGtin,
  openPicker,
  setOpenPicker,
  onChoose,
  onUndo,
  bulk,
  orders,
}: {
  plan: Plan;
  row: VariantRow;
  pickerKey: string;
  items: Map<string, ItemDetail>;
  byGtin: Record<string, string[]>;
  openPicker: string | null;
  setOpenPicker: (key: string | null) => void;
  onChoose: (line: PlanLine, action: OverrideAction) => Promise<void>;
  onUndo: (line: PlanLine) => void;
  bulk: boolean;
  orders: Map<string, OrderDetail>;
}) {
  const l = row.first;
  const d = l.decision;
  const open = openPicker === key;
  const warnings = rowWarnings(plan, row);
  const label = `${l.name} ${l.color} ${l.size}`;
  const orderNumbers = row.lines.map(
    (x) =>
      orders.get(x.orderSourceId)?.orderNumber ??
      plan.purchaseOrders.find((po) => po.orderSourceId === x.orderSourceId)?.orderNumber,
  );
  return (
    <Fragment>
      <tr className={d.kind === 'needs_review' ? 'row-review' : undefined}>
        <th scope="row" className="cell-size">
          {l.size}
        </th>
        <td className="mono cell-upc">
          {l.gtin14 || l.rawUpc ? upcText(l.rawUpc, l.gtin14) : <span className="warn-text">No UPC</span>}
        </td>
        <td className="num cell-qty">
          {row.quantity}
          {bulk && row.lines.length > 1 && <div className="muted small">in {plural(row.lines.length, 'order')}</div>}
        </td>
        <td className="num cell-cost">{formatMoney(l.unitCost)}</td>
        <td className="cell-match">
          <MatchText plan={plan} line={l} items={items} />
          <LineNotes plan={plan} line={l} />
          {bulk && <div className="muted small">Orders: {orderNumbers.join(', ')}</div>}
        </td>
        <td className="actions">
          {d.kind !== 'skipped' && (
            <button
              type="button"
              className={d.kind === 'needs_review' ? 'small' : 'small secondary'}
              data-review-action={d.kind === 'needs_review' ? 'choose' : 'change'}
              data-picker-key={key}
              aria-expanded={open}
              aria-label={d.kind === 'needs_review' ? `Choose the match for ${label}` : `Change the match for ${label}`}
              onClick={() => setOpenPicker(open ? null : key)}
            >
              {d.kind === 'needs_review' ? 'Choose match' : 'Change'}
            </button>
          )}
          {l.override && (
            <button
              type="button"
              className="link small"
              onClick={() => onUndo(l)}
              aria-label={`Undo your choice for ${label}`}
            >
              Undo
            </button>
          )}
        </td>
      </tr>
      {warnings.length > 0 && (
        <tr className="row-warnings">
          <td className="row-warnings-gap" />
          <td colSpan={5}>
            <ul className="warning-list compact">
              {warnings.map((w, i) => (
                <li key={i}>
                  <Badge tone="warn">{levelLabel[w.level]}</Badge> {warningText(w, items, plan)}
                </li>
              ))}
            </ul>
          </td>
        </tr>
      )}
      {open && (
        <tr className="row-picker">
          <td colSpan={6}>
            <MatchPicker
              line={l}
              connectionId={plan.connectionId}
              candidates={candidatesFor(row, items, byGtin)}
              onChoose={(action) => onChoose(l, action)}
              onCancel={() => {
                setOpenPicker(null);
                document.querySelector<HTMLButtonElement>(`[data-picker-key="${CSS.escape(key)}"]`)?.focus();
              }}
            />
          </td>
        </tr>
      )}
    </Fragment>
  );
}

function MatchText({ plan, line, items }: { plan: Plan; line: PlanLine; items: Map<string, ItemDetail> }) {
  const d = line.decision;
  const matchedId = matchedItemId(line);
  const item = matchedId ? items.get(matchedId) : undefined;
  const sku = d.kind === 'new_item' ? newItemSku(plan, d.matrixKey, d.variantKey) : undefined;
  return (
    <>
      <Badge tone={decisionTone(d.kind) === 'new' ? 'new' : decisionTone(d.kind)}>{decisionLabel(d)}</Badge>{' '}
      {matchedId && <span>{item ? `${item.name}${item.sku ? ` · SKU ${item.sku}` : ''}` : 'POS item'}</span>}
      {d.kind === 'new_item' && (
        <span className="muted">A new draft item will be created{sku ? ` · SKU ${sku}` : ''}</span>
      )}
      {d.kind === 'needs_review' && (
        <span className="warn-text">
          {d.reason === 'duplicate_upc' && d.candidates.length > 0
            ? `${d.candidates.length} POS items carry this UPC`
            : d.reason === 'archived_only'
              ? 'Only an archived POS item carries this UPC'
              : d.reason === 'no_upc'
                ? 'No UPC from the brand'
                : d.reason === 'malformed_upc'
                  ? 'The UPC is not valid'
                  : d.detail}
        </span>
      )}
      {d.kind === 'skipped' && <span className="muted">Quantity 0: not ordered</span>}
    </>
  );
}
