import { useId } from 'react';
import { formatMoney, plural } from '../../format.ts';
import type { DryRun, PricingView } from '../../merchant-types.ts';

/** The pricing page's dry-run table and its other settings (brand-price following, case packs). */

export function DryRunTable({ dry }: { dry: DryRun }) {
  const id = useId();
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>What would change</h2>
      <p className="muted">
        {plural(dry.items, 'item')} in the last {plural(dry.orders, 'order')}:{' '}
        {dry.changes.length === 0
          ? 'none would get another price.'
          : `${plural(dry.changes.length, 'item')} would get another price${
              dry.changes.some((c) => c.review) ? ' or go to review' : ''
            } than with ${dry.currentVersion === 0 ? 'the MSRP as sent' : `version ${dry.currentVersion}`}.`}
      </p>
      {dry.changes.length > 0 && (
        <div className="table-wrap">
          <table className="dry-run-table">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col" className="num">
                  Cost
                </th>
                <th scope="col" className="num">
                  MSRP
                </th>
                <th scope="col" className="num">
                  Now
                </th>
                <th scope="col" className="num">
                  Would be
                </th>
                <th scope="col">Rule</th>
              </tr>
            </thead>
            <tbody>
              {dry.changes.slice(0, 200).map((c) => (
                <tr key={`${c.brand}|${c.styleNumber}|${c.color}|${c.size}`}>
                  <th scope="row">
                    {c.styleNumber} · {c.color} · {c.size}
                    <div className="muted small">
                      {c.brand} · order {c.orderNumbers.join(', ')}
                    </div>
                  </th>
                  <td className="num">{formatMoney(c.cost)}</td>
                  <td className="num">{formatMoney(c.msrp)}</td>
                  <td className="num">{formatMoney(c.current)}</td>
                  <td className="num strong">{formatMoney(c.next)}</td>
                  <td>
                    {c.rule}
                    {c.review && <div className="warn-text small">{c.review}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function OwnershipAndPacks({
  view,
  onSave,
}: {
  view: PricingView;
  onSave: (change: { followBrandPrices?: boolean; casePacks?: PricingView['casePacks'] }) => void;
}) {
  const id = useId();
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>Items Tradeloop created, and packs</h2>
      <label className="checkbox-line">
        <input
          type="checkbox"
          checked={view.followBrandPrices}
          onChange={(e) => onSave({ followBrandPrices: e.target.checked })}
        />{' '}
        When the brand’s price changes, update the items Tradeloop created whose price nobody changed in the POS
      </label>
      <p className="muted small">
        A price, name, image or description changed in the POS is yours: no export ever changes it, and the review says
        so.
      </p>
      <div className="settings-row">
        <div className="field">
          <label htmlFor={`${id}-stock`}>Packed lines (units per pack above 1)</label>
          <select
            id={`${id}-stock`}
            value={view.casePacks.stock}
            onChange={(e) => onSave({ casePacks: { ...view.casePacks, stock: e.target.value as 'units' | 'packs' } })}
          >
            <option value="units">Stock units: packs × units, cost ÷ units</option>
            <option value="packs">Stock packs: one item per pack</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-price`}>A pack line’s price is the price of</label>
          <select
            id={`${id}-price`}
            value={view.casePacks.packPriceIs}
            onChange={(e) =>
              onSave({ casePacks: { ...view.casePacks, packPriceIs: e.target.value as 'pack' | 'unit' } })
            }
          >
            <option value="pack">The whole pack</option>
            <option value="unit">One unit</option>
          </select>
        </div>
      </div>
      <p className="muted small">
        NuORDER does not say whether a pack line’s price is per pack or per unit; check one invoice from the brand.
      </p>
    </section>
  );
}
