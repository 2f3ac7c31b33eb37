import type { PosReordersPage as Page } from '../../../src/http/api-types.ts';
import { api } from '../api.ts';
import { Badge, Empty, ErrorState, Loading, type Tone } from '../components/ui.tsx';
import { useResource } from '../data.ts';
import { formatDateTime, plural } from '../format.ts';
import { Link } from '../router.ts';

const statusWords: Record<Page['reorders'][number]['status'], [string, Tone]> = {
  sending: ['Sending to NuORDER', 'info'],
  awaiting_approval: ['Waiting for the brand', 'info'],
  in_pos: ['Approved · already in the POS', 'ok'],
  nothing_mapped: ['Not sent: no line is linked', 'warn'],
  failed: ['Failed', 'danger'],
};

/**
 * Reorders the merchant started in the POS back office: each purchase order made there for a linked brand, the
 * NuORDER order it became, and the lines that were not sent because no item link names their style and size.
 */
export function PosReordersPage({ connectionId }: { connectionId: string }) {
  const list = useResource(
    () => api<Page>('GET', `/api/connections/${connectionId}/pos-reorders?limit=100`),
    [connectionId],
    { poll: (page) => (page.reorders.some((r) => r.status === 'sending') ? 3000 : null) },
  );
  return (
    <section aria-labelledby="page-title" className="pos-reorders-page">
      <h1 id="page-title">Reorders from the POS</h1>
      <p className="lede">
        A purchase order you make in the POS back office for a linked brand&apos;s supplier is sent to the brand as a
        NuORDER order. Its order number is written on your PO; once the brand approves it, it shows as already in the
        POS, so it is never exported a second time.
      </p>
      {list.error ? (
        <ErrorState message={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : !list.data.watched ? (
        <Empty title="Not available for this POS yet">
          Tradeloop does not read this POS&apos;s purchase orders yet. Reorder from an order or a synced PO here
          instead: open it and choose Reorder.
        </Empty>
      ) : list.data.reorders.length === 0 ? (
        <Empty title="No reorders from the POS yet">
          Purchase orders made in the POS for a linked brand appear here within a few minutes.
        </Empty>
      ) : (
        <ul className="pos-reorders">
          {list.data.reorders.map((r) => {
            const [words, tone] = statusWords[r.status];
            return (
              <li key={r.id} className="card">
                <h2>
                  {r.brand} · PO {r.purchaseOrder.number} <Badge tone={tone}>{words}</Badge>
                </h2>
                <p>
                  NuORDER order {r.wholesaleOrder.number} · {plural(r.lines.length, 'line')} sent ·{' '}
                  {formatDateTime(r.createdAt)}
                  {r.purchaseOrder.url && (
                    <>
                      {' · '}
                      <a href={r.purchaseOrder.url} target="_blank" rel="noreferrer">
                        Open the PO in the POS
                      </a>
                    </>
                  )}
                  {r.orderId && (
                    <>
                      {' · '}
                      <Link to={`/orders/${r.orderId}`}>The approved order</Link>
                    </>
                  )}
                </p>
                {r.error && <p className="error">{r.error}</p>}
                {r.unmappedLines.length > 0 && (
                  <details>
                    <summary>{plural(r.unmappedLines.length, 'line')} not sent</summary>
                    <ul>
                      {r.unmappedLines.map((l) => (
                        <li key={l.posItemId}>
                          POS item #{l.posItemId} × {l.quantity}: {l.reason}
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
