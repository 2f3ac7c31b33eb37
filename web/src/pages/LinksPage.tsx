import { useState, type FormEvent } from 'react';
import type { BrandsPage, ItemLinkHistory, ItemLinksPage, LikelyDuplicates } from '../../../src/http/api-types.ts';
import { api, messageOf } from '../api.ts';
import { Badge, Empty, ErrorState, Loading } from '../components/ui.tsx';
import { useResource } from '../data.ts';
import { navigate, useLocation } from '../router.ts';

/**
 * The item-link ledger of a POS connection: every size's POS item with why it is linked (UPC match, created by an
 * export, chosen by a person, followed a merge), who and when; per brand and searchable; change a link to another
 * POS item or forget it, undo the last change, read the history. Below, the likely duplicates with the merge advice.
 */
export function LinksPage({ connectionId }: { connectionId: string }) {
  const { search } = useLocation();
  const brandId = search.get('brand') ?? '';
  const q = search.get('q') ?? '';
  const query = new URLSearchParams({ limit: '200' });
  if (brandId) query.set('brandId', brandId);
  if (q) query.set('q', q);
  const [version, setVersion] = useState(0);
  const links = useResource(
    () => api<ItemLinksPage>('GET', `/api/connections/${connectionId}/item-links?${query}`),
    [query.toString(), version],
  );
  const brands = useResource(() => api<BrandsPage>('GET', '/api/brands'), []);
  const [text, setText] = useState(q);
  const base = `/connections/${connectionId}/links`;
  const go = (next: { brand?: string; q?: string }) => {
    const p = new URLSearchParams();
    if (next.brand) p.set('brand', next.brand);
    if (next.q) p.set('q', next.q);
    navigate(p.size ? `${base}?${p}` : base);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ brand: brandId, q: text.trim() });
  };

  return (
    <section aria-labelledby="page-title" className="links-page">
      <h1 id="page-title">Item links</h1>
      <p className="lede">
        Which POS item each size of a brand is ordered into, and why. A change is kept in the history and can be undone.
      </p>
      <form className="filters" onSubmit={submit} aria-label="Find item links">
        <label>
          Brand
          <select value={brandId} onChange={(e) => go({ brand: e.target.value, q })}>
            <option value="">Every brand</option>
            {brands.data?.brands.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input
            name="q"
            value={text}
            placeholder="Style, colour, size, item id, SKU"
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <button type="submit">Search</button>
      </form>
      {links.status === 'loading' && !links.data ? (
        <Loading />
      ) : links.error ? (
        <ErrorState message={links.error} onRetry={() => void links.reload()} />
      ) : links.data && links.data.links.length === 0 ? (
        <Empty title="No item links">Exports record a link for every size they order.</Empty>
      ) : (
        <>
          <p>
            {links.data?.total} link{links.data?.total === 1 ? '' : 's'}
            {links.data?.brand ? ` of ${links.data.brand.name}` : ''}
          </p>
          <table className="links-table">
            <thead>
              <tr>
                <th scope="col">Size</th>
                <th scope="col">POS item</th>
                <th scope="col">Why</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {links.data?.links.map((l) => (
                <LinkRow
                  key={l.variantKey}
                  connectionId={connectionId}
                  link={l}
                  onChanged={() => setVersion((v) => v + 1)}
                />
              ))}
            </tbody>
          </table>
        </>
      )}
      <Duplicates connectionId={connectionId} onChanged={() => setVersion((v) => v + 1)} />
    </section>
  );
}

type Link = ItemLinksPage['links'][number];

function LinkRow({ connectionId, link, onChanged }: { connectionId: string; link: Link; onChanged: () => void }) {
  const size = `${link.parts.style} ${link.parts.color} ${link.parts.size}`;
  const [to, setTo] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [history, setHistory] = useState<ItemLinkHistory | null>(null);
  const base = `/api/connections/${connectionId}/item-links`;
  const act = async (path: string, body: unknown) => {
    setMessage(null);
    try {
      const h = await api<ItemLinkHistory>('POST', `${base}/${path}`, body);
      setHistory(h);
      setTo('');
      onChanged();
    } catch (error) {
      setMessage(messageOf(error));
    }
  };
  const showHistory = async () =>
    setHistory(
      history
        ? null
        : await api<ItemLinkHistory>('GET', `${base}/history?variantKey=${encodeURIComponent(link.variantKey)}`),
    );
  return (
    <tr>
      <td>{size}</td>
      <td>
        {link.item.name ?? 'Not in the catalog'} <span className="muted">#{link.posItemId}</span>
        {link.item.sku ? <span className="muted"> · SKU {link.item.sku}</span> : null}
      </td>
      <td>
        <Badge tone={link.origin === 'chosen_by_person' ? 'info' : 'ok'}>{link.originLabel ?? 'Unknown'}</Badge>{' '}
        <span className="muted">{new Date(link.since).toLocaleDateString()}</span>
        {history ? (
          <ol className="link-history" aria-label={`History of ${size}`}>
            {history.events.map((e) => (
              <li key={e.seq}>{e.sentence}</li>
            ))}
          </ol>
        ) : null}
      </td>
      <td>
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            void act('change', { variantKey: link.variantKey, posItemId: to.trim() });
          }}
        >
          <input
            value={to}
            onChange={(e) => setTo(e.target.value)}
            placeholder="POS item id"
            aria-label={`POS item id for ${size}`}
            size={10}
            required
          />
          <button type="submit" aria-label={`Link ${size} to this item`}>
            Link
          </button>
        </form>
        <button
          type="button"
          className="secondary"
          aria-label={`Forget the link of ${size}`}
          onClick={() => void act('change', { variantKey: link.variantKey, posItemId: null })}
        >
          Forget
        </button>
        <button
          type="button"
          className="secondary"
          aria-label={`Undo the last change of ${size}`}
          onClick={() => void act('undo', { variantKey: link.variantKey })}
        >
          Undo
        </button>
        <button type="button" className="link" aria-label={`History of ${size}`} onClick={() => void showHistory()}>
          {history ? 'Hide history' : `History (${link.changes})`}
        </button>
        {message ? <p role="alert">{message}</p> : null}
      </td>
    </tr>
  );
}

function Duplicates({ connectionId, onChanged }: { connectionId: string; onChanged: () => void }) {
  const dups = useResource(
    () => api<LikelyDuplicates>('GET', `/api/connections/${connectionId}/item-links/duplicates`),
    [],
  );
  const [note, setNote] = useState<string | null>(null);
  const follow = async () => {
    const r = await api<{ followed: unknown[]; unresolved: unknown[] }>(
      'POST',
      `/api/connections/${connectionId}/item-links/follow-merges`,
    );
    setNote(`${r.followed.length} link(s) followed a merge; ${r.unresolved.length} need a person.`);
    onChanged();
    void dups.reload();
  };
  return (
    <section aria-labelledby="dup-title" className="duplicates">
      <h2 id="dup-title">Likely duplicates</h2>
      {dups.status === 'loading' && !dups.data ? (
        <Loading />
      ) : dups.error ? (
        <ErrorState message={dups.error} onRetry={() => void dups.reload()} />
      ) : !dups.data?.duplicates.length ? (
        <p className="empty">No item an export created looks like one of yours.</p>
      ) : (
        dups.data.duplicates.map((d) => (
          <article key={`${d.ours.posItemId}-${d.theirs.posItemId}`} className="card">
            <h3>
              {d.ours.name} and {d.theirs.name}
            </h3>
            <p>{d.advice.summary}</p>
            {d.advice.directions.map((dir) => (
              <div key={dir.id}>
                <h4>
                  {dir.title} {dir.recommended ? <Badge tone="ok">Recommended</Badge> : null}
                </h4>
                <ol>
                  {dir.steps.map((s) => (
                    <li key={s}>{s}</li>
                  ))}
                </ol>
                <p className="muted">{dir.outcome}</p>
              </div>
            ))}
          </article>
        ))
      )}
      {dups.data?.canMerge ? (
        <p>
          <button type="button" onClick={() => void follow()}>
            I merged items in Retail POS: follow the merges
          </button>{' '}
          {note}
        </p>
      ) : null}
    </section>
  );
}
