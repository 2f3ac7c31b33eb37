import { useEffect, useState } from 'react';
import { api, messageOf } from '../api.ts';
import { Banner, Empty, ErrorState, Loading } from '../components/ui.tsx';
import { useResource } from '../data.ts';
import { isPos, sentence } from '../format.ts';
import { navigate, useLocation } from '../router.ts';
import type { Connection, ConnectionHealth, ConnectionsResponse, PosSystem } from '../types.ts';
import { ConnectionCard, startPosLink } from './connections/ConnectionCard.tsx';
import { NuorderLinkForm } from './NuorderLink.tsx';

/**
 * A POS whose first catalog sync just finished may not show its rate-limit headroom yet: the budget
 * reaches the store a moment after the sync's last reply. Keep looking for a few seconds.
 */
function awaitingHeadroom(c: Connection, lastCatalogSyncAt: string | null): boolean {
  if (!isPos(c) || c.status !== 'linked' || c.rateHeadroom !== null || lastCatalogSyncAt === null) return false;
  return Date.now() - Date.parse(lastCatalogSyncAt) < 10_000;
}

interface PageData {
  connections: ConnectionsResponse;
  health: Map<string, ConnectionHealth>;
}

async function loadPage(): Promise<PageData> {
  const [connections, health] = await Promise.all([
    api<ConnectionsResponse>('GET', '/api/connections'),
    api<{ health: ConnectionHealth[] }>('GET', '/api/web/connection-health').catch(() => ({ health: [] })),
  ]);
  return { connections, health: new Map(health.health.map((h) => [h.connectionId, h])) };
}

export function ConnectionsPage() {
  const location = useLocation();
  const [notice, setNotice] = useState<{ tone: 'ok' | 'danger'; text: string } | null>(null);
  const [linkedId] = useState(() => location.search.get('linked'));
  const [linkError] = useState(() => location.search.get('error'));
  const resource = useResource(loadPage, [], {
    poll: (d) =>
      d.connections.connections.some((c) => d.health.get(c.id)?.syncing) ||
      d.connections.connections.some((c) => isPos(c) && !d.health.get(c.id)?.lastCatalogSyncAt) ||
      d.connections.connections.some((c) => awaitingHeadroom(c, d.health.get(c.id)?.lastCatalogSyncAt ?? null))
        ? 2000
        : null,
  });

  // The OAuth callbacks land here with ?linked=<id> or ?error=…: say what happened, then tidy the address.
  useEffect(() => {
    if (linkedId || linkError) navigate('/connections', { replace: true });
  }, [linkedId, linkError]);

  useEffect(() => {
    if (linkError) setNotice({ tone: 'danger', text: `Linking did not finish: ${linkError}` });
  }, [linkError]);

  useEffect(() => {
    if (!linkedId || resource.status !== 'ready') return;
    const c = resource.data.connections.connections.find((x) => x.id === linkedId);
    if (!c) return;
    setNotice(
      (n) =>
        n ?? {
          tone: 'ok',
          text:
            c.system === 'nuorder'
              ? c.retailer
                ? `${sentence(`Linked ${c.name}`)} Tradeloop is pulling the approved orders of ${c.retailer.name} now; they appear under Orders in a moment.`
                : `${sentence(`Linked ${c.name}`)} Choose your store below: Tradeloop imports its orders only.`
              : `${sentence(`Linked ${c.name}`)} Tradeloop is reading its catalog so it can match products by UPC.`,
        },
    );
  }, [linkedId, resource.status, resource.data]);

  const data = resource.data;
  const list = data?.connections.connections ?? [];
  const nuorder = list.filter((c) => c.system === 'nuorder');
  const pos = list.filter(isPos);
  const demo = data?.connections.providers.demo ?? null;

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Connections</h1>
      <p className="lede">
        Link the NuORDER brand portals you buy from and the Lightspeed store that receives the stock. Tradeloop keeps
        each link healthy and tells you when one needs attention.
      </p>
      {notice && (
        <Banner tone={notice.tone} onDismiss={() => setNotice(null)}>
          {notice.text}
        </Banner>
      )}
      {resource.status === 'loading' && !data && <Loading label="Loading connections…" />}
      {resource.status === 'error' && !data && (
        <ErrorState message={resource.error} onRetry={() => void resource.reload()} />
      )}
      {data && (
        <>
          {resource.status === 'error' && (
            <ErrorState title="Could not refresh" message={resource.error} onRetry={() => void resource.reload()} />
          )}
          <section className="panel" aria-labelledby="nuorder-heading">
            <div className="panel-head">
              <h2 id="nuorder-heading">NuORDER</h2>
              <p className="muted">Where approved wholesale orders come from. One connection per brand portal.</p>
            </div>
            {nuorder.length === 0 && (
              <Empty title="No NuORDER brand portal linked yet.">
                Link one to see its approved orders under Orders.
              </Empty>
            )}
            <div className="cards">
              {nuorder.map((c) => (
                <ConnectionCard
                  key={c.id}
                  connection={c}
                  health={data.health.get(c.id)}
                  demo={demo}
                  onChanged={() => void resource.reload()}
                  onNotice={setNotice}
                />
              ))}
            </div>
            <NuorderLinkForm demo={demo} linkedBrands={nuorder.map((c) => c.brandName ?? '')} />
          </section>

          <section className="panel" aria-labelledby="pos-heading">
            <div className="panel-head">
              <h2 id="pos-heading">Point of sale</h2>
              <p className="muted">Where purchase orders are created. Link one or more Lightspeed stores.</p>
            </div>
            {pos.length === 0 && (
              <Empty title="No point of sale linked yet.">
                Link your Lightspeed X-Series or R-Series store to export orders into it.
              </Empty>
            )}
            <div className="cards">
              {pos.map((c) => (
                <ConnectionCard
                  key={c.id}
                  connection={c}
                  health={data.health.get(c.id)}
                  demo={demo}
                  onChanged={() => void resource.reload()}
                  onNotice={setNotice}
                />
              ))}
            </div>
            <PosLinkButtons providers={data.connections.providers} />
          </section>
        </>
      )}
    </section>
  );
}

function PosLinkButtons({ providers }: { providers: ConnectionsResponse['providers'] }) {
  const [busy, setBusy] = useState<PosSystem | null>(null);
  const [error, setError] = useState<string | null>(null);
  const go = async (system: PosSystem): Promise<void> => {
    setBusy(system);
    setError(null);
    try {
      await startPosLink(system);
    } catch (e) {
      setError(messageOf(e));
      setBusy(null);
    }
  };
  const missing = [!providers.lightspeedX && 'X-Series', !providers.lightspeedR && 'R-Series'].filter(Boolean);
  return (
    <div className="link-actions" data-guide="link-pos">
      <button type="button" onClick={() => void go('lightspeed-x')} disabled={!providers.lightspeedX || busy !== null}>
        {busy === 'lightspeed-x' ? 'Opening Lightspeed…' : 'Link X-Series'}
      </button>
      <button type="button" onClick={() => void go('lightspeed-r')} disabled={!providers.lightspeedR || busy !== null}>
        {busy === 'lightspeed-r' ? 'Opening Lightspeed…' : 'Link R-Series'}
      </button>
      <span className="muted small">Lightspeed asks you to allow access, then brings you back here.</span>
      {missing.length > 0 && (
        <p className="muted small">
          {missing.join(' and ')} linking is not set up on this server yet: the operator must add the app’s OAuth client
          credentials.
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
