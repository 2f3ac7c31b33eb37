import { useId, useState } from 'react';
import { api, messageOf } from '../../api.ts';
import { Badge, ConfirmDialog, Meter } from '../../components/ui.tsx';
import { formatDateTime, headroomText, isPos, sentence, timeAgo } from '../../format.ts';
import type { Connection, ConnectionHealth, DemoHints, PosSystem } from '../../types.ts';
import { NuorderLinkForm, RetailerChooser } from '../NuorderLink.tsx';
import { MerchantLinks } from './MerchantLinks.tsx';
import { PosSettings } from './PosSettings.tsx';

function statusBadge(c: Connection) {
  if (c.status === 'linked') return <Badge tone="ok">Linked</Badge>;
  if (c.status === 'needs_relink') return <Badge tone="danger">Needs re-link</Badge>;
  return <Badge tone="muted">Unlinked</Badge>;
}

export async function startPosLink(system: PosSystem, relinkConnectionId?: string): Promise<void> {
  const { authorizeUrl } = await api<{ authorizeUrl: string }>('POST', '/api/connections/pos', {
    system,
    ...(relinkConnectionId ? { relinkConnectionId } : {}),
  });
  window.location.assign(authorizeUrl);
}

export function ConnectionCard({
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
            {c.systemLabel} · account {c.accountId}
          </p>
        </div>
        {statusBadge(c)}
      </header>
      {c.status === 'needs_relink' && (
        <p className="error small" role="alert">
          {c.systemLabel} no longer accepts Tradeloop’s authorization (it was revoked, or it expired). Syncing is paused
          until you re-link.
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
      {pos && c.status === 'linked' && <PosSettings connection={c} nameId={titleId} onSaved={onChanged} />}
      {c.status === 'linked' && <MerchantLinks connection={c} />}
      {c.system === 'nuorder' && c.status === 'linked' && !c.retailer && (
        <RetailerChooser connection={c} onChosen={onChanged} />
      )}
      <div className="card-actions">
        {/* Several cards carry the same buttons: each is named with its connection ("Unlink X-Series · …"). */}
        {c.status === 'needs_relink' && (
          <button
            type="button"
            onClick={() => void relink()}
            disabled={busy !== null}
            aria-label={busy === 'relink' ? undefined : `Re-link ${c.name}`}
          >
            {busy === 'relink' ? 'Opening…' : 'Re-link'}
          </button>
        )}
        {c.status === 'linked' && (
          <button
            type="button"
            className="secondary"
            onClick={() => void refresh()}
            disabled={busy !== null}
            aria-label={pos ? `Refresh catalog of ${c.name}` : `Sync orders now from ${c.name}`}
          >
            {pos ? 'Refresh catalog' : 'Sync orders now'}
          </button>
        )}
        {c.status === 'linked' && (
          <button
            type="button"
            className="secondary"
            onClick={() => void relink()}
            disabled={busy !== null}
            aria-label={`Re-link ${c.name}`}
          >
            Re-link
          </button>
        )}
        <button
          type="button"
          className="danger-outline"
          onClick={() => setConfirming(true)}
          disabled={busy !== null}
          aria-label={`Unlink ${c.name}`}
        >
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
