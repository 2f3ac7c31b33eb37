import { useState } from 'react';
import type { ReorderDraft, ReorderSent } from '../../../src/http/api-types.ts';
import { api, messageOf } from '../api.ts';
import { ErrorState, Loading } from '../components/ui.tsx';
import { useResource } from '../data.ts';
import { Link } from '../router.ts';

/**
 * "Reorder": a new NuORDER order with the same lines as this one, quantities editable (0 leaves a line out), sent
 * for the brand to approve. The key is made once per page, so pressing Send twice sends one order.
 */
export function ReorderPage({ orderId }: { orderId: string }) {
  const draft = useResource(() => api<ReorderDraft>('GET', `/api/orders/${orderId}/reorder`), [orderId]);
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [key] = useState(() => crypto.randomUUID());
  const [sent, setSent] = useState<ReorderSent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (draft.status === 'loading' && !draft.data) return <Loading />;
  if (draft.status === 'error') return <ErrorState message={draft.error} onRetry={() => void draft.reload()} />;
  const d = draft.data as ReorderDraft;
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      setSent(await api<ReorderSent>('POST', `/api/orders/${orderId}/reorder`, { quantities, key }));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="page-title" className="reorder">
      <h1 id="page-title">Reorder {d.orderNumber}</h1>
      <p className="lede">
        A new order to {d.brand} in NuORDER with the same lines. Change a quantity, or set it to 0 to leave the line
        out; the brand approves the order (or suggests changes) in NuORDER, and Tradeloop brings it in once approved.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Style</th>
            <th scope="col">Colour</th>
            <th scope="col">Size</th>
            <th scope="col">Quantity</th>
          </tr>
        </thead>
        <tbody>
          {d.lines.map((l) => (
            <tr key={l.lineKey}>
              <td>{l.name}</td>
              <td>{l.styleNumber}</td>
              <td>{l.color}</td>
              <td>{l.size}</td>
              <td>
                <input
                  type="number"
                  min={0}
                  aria-label={`Quantity of ${l.styleNumber} ${l.color} ${l.size}`}
                  value={quantities[l.lineKey] ?? l.quantity}
                  disabled={sent !== null}
                  onChange={(e) => setQuantities({ ...quantities, [l.lineKey]: Math.max(0, Number(e.target.value)) })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {sent ? (
        <p role="status">
          Sent to NuORDER as order {sent.orderNumber} ({sent.lines} lines, {sent.units} units), waiting for the brand to
          approve it. <Link to="/orders">Back to orders</Link>
        </p>
      ) : (
        <button type="button" disabled={busy} onClick={() => void send()}>
          Send the reorder to NuORDER
        </button>
      )}
      {error ? <p role="alert">{error}</p> : null}
    </section>
  );
}
