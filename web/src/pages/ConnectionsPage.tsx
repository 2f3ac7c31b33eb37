import { useEffect, useId, useState } from 'react';
import { api, messageOf } from '../api.ts';
import { Badge, Banner, ConfirmDialog, Empty, ErrorState, Loading, Meter } from '../components/ui.tsx';
import { useResource } from '../data.ts';
import { formatDateTime, headroomText, isPos, sentence, systemLabel, timeAgo } from '../format.ts';
import { navigate, useLocation } from '../router.ts';
import type { Connection, ConnectionHealth, ConnectionsResponse, DemoHints, PosLocation, PosSystem } from '../types.ts';
import { NuorderLinkForm, RetailerChooser } from './NuorderLink.tsx';

/**
 * A POS whose first catalog sync just finished may not show its rate-limit headroom yet: the budget
 * reaches the store a moment after the sync's last reply. Keep looking for a few seconds.
 */
function awaitingHeadroom(c: Connection, lastCatalogSyncAt: string | null): boolean {
  if (!isPos(c) || c.status !== 'linked' || c.rateHeadroom !== null || lastCatalogSyncAt === null) return false;
  return Date.now() - Date.parse(lastCatalogSyncAt) < 10_000;
}

/** The currencies R-Series stores most often keep; the current one is always offered too. */
const accountCurrencies = ['USD', 'CAD', 'EUR', 'GBP', 'AUD', 'NZD'];

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

function statusBadge(c: Connection) {
  if (c.status === 'linked') return <Badge tone="ok">Linked</Badge>;
  if (c.status === 'needs_relink') return <Badge tone="danger">Needs re-link</Badge>;
  return <Badge tone="muted">Unlinked</Badge>;
}

async function startPosLink(system: PosSystem, relinkConnectionId?: string): Promise<void> {
  const { authorizeUrl } = await api<{ authorizeUrl: string }>('POST', '/api/connections/pos', {
    system,
    ...(relinkConnectionId ? { relinkConnectionId } : {}),
  });
  window.location.assign(authorizeUrl);
}

function ConnectionCard({
  connection: c,
  health,
  demo,
  onChanged,
  onNotice,
}: {
  connection: Connection;
  health: ConnectionHealth | undefined;
  demo: DemoHints | null;
  onChanged: () => void;
  onNotice: (n: { tone: 'ok' | 'danger'; text: string }) => void;
}) {
  const titleId = useId();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [relinkingNuorder, setRelinkingNuorder] = useState(false);
  const pos = isPos(c);
  const head = headroomText(c.rateHeadroom);

  const unlink = async (): Promise<void> => {
    setBusy('unlink');
    setError(null);
    try {
      await api('DELETE', `/api/connections/${c.id}`);
      setConfirming(false);
      onNotice({
        tone: 'ok',
        text: `${sentence(`Unlinked ${c.name}`)} Its credentials were destroyed; item links and export history are kept.`,
      });
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  };

  const relink = async (): Promise<void> => {
    if (!pos) {
      setRelinkingNuorder(true);
      return;
    }
    setBusy('relink');
    try {
      await startPosLink(c.system as PosSystem, c.id);
    } catch (e) {
      onNotice({ tone: 'danger', text: messageOf(e) });
      setBusy(null);
    }
  };

  const refresh = async (): Promise<void> => {
    setBusy('refresh');
    try {
      if (pos) await api('POST', `/api/connections/${c.id}/catalog-sync`, { full: false });
      else await api('POST', '/api/orders/sync');
      onNotice({
        tone: 'ok',
        text: pos
          ? sentence(`Refreshing the catalog of ${c.name}`)
          : sentence(`Pulling approved orders from ${c.name}`),
      });
      setTimeout(onChanged, 800);
    } catch (e) {
      onNotice({ tone: 'danger', text: messageOf(e) });
    } finally {
      setBusy(null);
    }
  };

  const lastSync = pos ? health?.lastCatalogSyncAt : (health?.lastOrderSyncAt ?? c.lastSyncAt);

  return (
    <article className={`card connection ${c.status === 'needs_relink' ? 'card-alert' : ''}`} aria-labelledby={titleId}>
      <header className="card-head">
        <div>
          <h3 id={titleId}>{c.name}</h3>
          <p className="muted small">
            {systemLabel[c.system]} · account {c.accountId}
          </p>
        </div>
        {statusBadge(c)}
      </header>
      {c.status === 'needs_relink' && (
        <p className="error small" role="alert">
          {systemLabel[c.system]} no longer accepts Tradeloop’s authorization (it was revoked, or it expired). Syncing
          is paused until you re-link.
        </p>
      )}
      <dl className="facts">
        <div>
          <dt>Last sync</dt>
          <dd>
            {health?.syncing ? 'Syncing now…' : timeAgo(lastSync)}
            {lastSync && !health?.syncing && <span className="muted small"> ({formatDateTime(lastSync)})</span>}
          </dd>
        </div>
        {pos ? (
          <>
            <div>
              <dt>Catalog items mirrored</dt>
              <dd>{(c.catalogItems ?? 0).toLocaleString('en-US')}</dd>
            </div>
            <div>
              <dt>Items linked to wholesale products</dt>
              <dd>{(c.itemLinks ?? 0).toLocaleString('en-US')}</dd>
            </div>
            <div>
              <dt>Rate-limit headroom</dt>
              <dd>
                <Meter ratio={head.ratio} label={`Rate-limit headroom of ${c.name}`} />{' '}
                {head.blocked ? 'Paused by the POS rate limit for a moment; work resumes by itself.' : head.text}
              </dd>
            </div>
          </>
        ) : (
          <>
            <div>
              <dt>Your store</dt>
              <dd>{c.retailer ? c.retailer.name : 'Not chosen yet'}</dd>
            </div>
            <div>
              <dt>Orders pulled</dt>
              <dd>{health?.orders ?? 0}</dd>
            </div>
          </>
        )}
        {health?.lastJobError && c.status === 'linked' && (
          <div>
            <dt>Last problem</dt>
            <dd className="error">{health.lastJobError}</dd>
          </div>
        )}
      </dl>
      {pos && c.status === 'linked' && <PosSettings connection={c} onSaved={onChanged} />}
      {c.system === 'nuorder' && c.status === 'linked' && !c.retailer && (
        <RetailerChooser connection={c} onChosen={onChanged} />
      )}
      <div className="card-actions">
        {c.status === 'needs_relink' && (
          <button type="button" onClick={() => void relink()} disabled={busy !== null}>
            {busy === 'relink' ? 'Opening…' : 'Re-link'}
          </button>
        )}
        {c.status === 'linked' && (
          <button type="button" className="secondary" onClick={() => void refresh()} disabled={busy !== null}>
            {pos ? 'Refresh catalog' : 'Sync orders now'}
          </button>
        )}
        {c.status === 'linked' && (
          <button type="button" className="secondary" onClick={() => void relink()} disabled={busy !== null}>
            Re-link
          </button>
        )}
        <button type="button" className="danger-outline" onClick={() => setConfirming(true)} disabled={busy !== null}>
          Unlink
        </button>
      </div>
      {relinkingNuorder && (
        <NuorderLinkForm demo={demo} relink={c} onCancel={() => setRelinkingNuorder(false)} linkedBrands={[]} />
      )}
      <ConfirmDialog
        open={confirming}
        title={`Unlink ${c.name}?`}
        confirmLabel="Unlink"
        busyLabel="Unlinking…"
        busy={busy === 'unlink'}
        danger
        error={error}
        onConfirm={() => void unlink()}
        onCancel={() => {
          setConfirming(false);
          setError(null);
        }}
      >
        <ul>
          <li>The stored credentials are destroyed and Tradeloop stops syncing with this account.</li>
          {pos ? (
            <>
              <li>
                Tradeloop’s copy of the catalog is cleared; nothing in your POS is changed or deleted, including
                purchase orders already created.
              </li>
              <li>
                Item links (which wholesale product is which POS item) and the export history are kept, so linking the
                same store again says “Confirmed” where it did before.
              </li>
            </>
          ) : (
            <>
              <li>
                Orders already pulled stay in Tradeloop with their export history; no new orders arrive from this brand
                portal.
              </li>
              <li>Item links are kept, so linking again picks up where you left off.</li>
            </>
          )}
        </ul>
      </ConfirmDialog>
    </article>
  );
}

function PosSettings({ connection: c, onSaved }: { connection: Connection; onSaved: () => void }) {
  const [locations, setLocations] = useState<PosLocation[] | null>(null);
  const [locError, setLocError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const modeId = useId();
  const locId = useId();
  const helpId = useId();
  const currencyId = useId();
  const currencyHelpId = useId();

  useEffect(() => {
    api<{ locations: PosLocation[] }>('GET', `/api/connections/${c.id}/locations`)
      .then((r) => setLocations(r.locations))
      .catch((e: unknown) => setLocError(messageOf(e)));
  }, [c.id]);

  const save = async (change: {
    syncMode?: 'manual' | 'automatic';
    defaultLocationId?: string | null;
    currency?: string;
  }): Promise<void> => {
    setStatus('Saving…');
    try {
      await api('PATCH', `/api/connections/${c.id}`, change);
      setStatus('Saved.');
      onSaved();
    } catch (e) {
      setStatus(messageOf(e));
    }
  };

  return (
    <div className="settings-row">
      <div className="field">
        <label htmlFor={modeId}>Purchase-order sync</label>
        <select
          id={modeId}
          value={c.syncMode ?? 'manual'}
          aria-describedby={helpId}
          onChange={(e) => void save({ syncMode: e.target.value as 'manual' | 'automatic' })}
        >
          <option value="manual">Manual</option>
          <option value="automatic">Automatic</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={locId}>Default location</label>
        {locations ? (
          <select
            id={locId}
            value={c.defaultLocationId ?? ''}
            onChange={(e) => void save({ defaultLocationId: e.target.value || null })}
          >
            <option value="">Ask every time</option>
            {locations
              .filter((l) => !l.archived || l.id === c.defaultLocationId)
              .map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
          </select>
        ) : (
          <select id={locId} disabled>
            <option>{locError ? 'Locations could not be loaded' : 'Loading locations…'}</option>
          </select>
        )}
      </div>
      {c.system === 'lightspeed-r' && (
        <div className="field">
          <label htmlFor={currencyId}>Account currency</label>
          <select
            id={currencyId}
            value={c.currency ?? 'USD'}
            aria-describedby={currencyHelpId}
            onChange={(e) => void save({ currency: e.target.value })}
          >
            {[...new Set([...accountCurrencies, c.currency ?? 'USD'])].map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
          <span id={currencyHelpId} className="muted small">
            R-Series does not tell its currency: purchase orders are made in this one, and orders in another wait.
          </span>
        </div>
      )}
      <p id={helpId} className="muted small field-help">
        {c.syncMode === 'automatic'
          ? c.defaultLocationId
            ? 'Automatic: new orders are exported to the default location by themselves; orders with sizes to review wait for you.'
            : 'Automatic sync starts once a default location is chosen.'
          : 'Manual: orders wait for you to review and export them.'}
        {status && <span role="status"> {status}</span>}
      </p>
    </div>
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
