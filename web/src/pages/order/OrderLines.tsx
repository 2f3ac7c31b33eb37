import { Empty } from '../../components/ui.tsx';
import { formatMoney, plural, sumMoney, upcText } from '../../format.ts';
import type { Money, OrderDetail, OrderLine } from '../../types.ts';

interface LineGroup {
  key: string;
  name: string;
  styleNumber: string;
  color: string;
  season: string | null;
  lines: OrderLine[];
}

function groupLines(lines: OrderLine[]): LineGroup[] {
  const groups = new Map<string, LineGroup>();
  for (const l of lines) {
    const key = `${l.styleNumber}\u0000${l.color}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, name: l.name, styleNumber: l.styleNumber, color: l.color, season: l.season, lines: [] };
      groups.set(key, g);
    }
    g.lines.push(l);
  }
  return [...groups.values()];
}

const lineTotal = (l: OrderLine): Money => ({ minor: l.unitCost.minor * l.quantity, currency: l.unitCost.currency });

/** The order's lines by style and color, one row per size (a card per size in a narrow space), and the total. */
export function OrderLines({ order }: { order: OrderDetail }) {
  const doc = order.document;
  const groups = groupLines(doc.lines);
  return (
    <section className="panel" aria-labelledby="lines-heading">
      <h2 id="lines-heading">Lines</h2>
      <p className="muted small">Grouped by style and color; one row per size.</p>
      {groups.length === 0 && <Empty title="This order has no lines." />}
      {groups.map((g) => (
        <div className="line-group" key={g.key}>
          <h3>
            {g.name}{' '}
            <span className="muted">
              · {g.styleNumber} · {g.color}
            </span>
            {g.season && <span className="muted small"> · {g.season}</span>}
          </h3>
          <div className="table-wrap">
            <table className="lines-table">
              <caption className="sr-only">
                {g.name} {g.color}: sizes
              </caption>
              <thead>
                <tr>
                  <th scope="col">Size</th>
                  <th scope="col">UPC</th>
                  <th scope="col" className="num">
                    Quantity
                  </th>
                  <th scope="col" className="num">
                    Unit cost
                  </th>
                  <th scope="col" className="num">
                    Retail
                  </th>
                  <th scope="col" className="num">
                    Line total
                  </th>
                </tr>
              </thead>
              <tbody>
                {g.lines.map((l) => (
                  <LineRow key={l.lineKey} l={l} />
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={2} className="cell-size">
                    {g.color}
                  </th>
                  <td className="num cell-qty">{g.lines.reduce((n, l) => n + l.quantity, 0)}</td>
                  <td colSpan={2} className="cell-gap" />
                  <td className="num cell-total">{formatMoney(sumMoney(g.lines.map(lineTotal), doc.currency))}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        </div>
      ))}
      <p className="order-total">
        Order total <strong>{formatMoney({ minor: order.totalMinor, currency: order.currency })}</strong> ·{' '}
        {plural(order.unitCount, 'unit')}
      </p>
    </section>
  );
}

function LineRow({ l }: { l: OrderLine }) {
  const retailGap = l.gaps?.find((gap) => gap.field === 'retailPrice');
  return (
    <tr>
      <th scope="row" className="cell-size">
        {l.size}
      </th>
      <td className="cell-upc">
        {l.gtin.ok ? (
          <span className="mono">{upcText(l.rawUpc, l.gtin.gtin14)}</span>
        ) : (
          <span className="warn-text">{l.rawUpc ? `${l.rawUpc} (not a valid UPC)` : 'No UPC'}</span>
        )}
      </td>
      <td className="num cell-qty">{l.quantity}</td>
      <td className="num cell-cost">{formatMoney(l.unitCost)}</td>
      <td className="num cell-retail">
        {l.retailPrice === null && retailGap ? (
          <span className="warn-text">
            None <span className="small">({retailGap.reason})</span>
          </span>
        ) : (
          formatMoney(l.retailPrice)
        )}
      </td>
      <td className="num cell-total">{formatMoney(lineTotal(l))}</td>
    </tr>
  );
}
