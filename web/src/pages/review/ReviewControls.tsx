import { useId, useState, type RefObject } from 'react';
import { Banner } from '../../components/ui.tsx';
import { plural } from '../../format.ts';
import { blockerText, changeText } from '../../plan-words.ts';
import type { Connection, EvidenceChange, ItemDetail, Plan, PosLocation } from '../../types.ts';

export function driftKey(planId: string): string {
  return `tradeloop.drift.${planId}`;
}

/** What changed in the POS when an export was refused because the catalog moved (kept for this plan's first view). */
export function DriftBanner({ planId, items }: { planId: string; items: Map<string, ItemDetail> }) {
  const [drift] = useState<EvidenceChange[] | null>(() => {
    try {
      const raw = sessionStorage.getItem(driftKey(planId));
      return raw ? (JSON.parse(raw) as EvidenceChange[]) : null;
    } catch {
      return null;
    }
  });
  const [open, setOpen] = useState(true);
  if (!drift || !open) return null;
  return (
    <Banner tone="warn" onDismiss={() => setOpen(false)} role="alert">
      <p>
        <strong>Your POS changed while you were reviewing, so nothing was exported.</strong> This is the refreshed
        review; check it and export again.
      </p>
      {drift.length > 0 && (
        <>
          <p>What changed:</p>
          <ul className="drift-changes">
            {drift.map((c, i) => (
              <li key={i}>{changeText(c, items)}</li>
            ))}
          </ul>
        </>
      )}
    </Banner>
  );
}

/** Where the purchase orders go: the POS and the location that receives the stock. Changing either plans again. */
export function Destination({
  plan,
  connections,
  locations,
  busy,
  onConnection,
  onLocation,
}: {
  plan: Plan;
  connections: Connection[];
  locations: PosLocation[] | null;
  busy: string | null;
  onConnection: (connectionId: string) => void;
  onLocation: (locationId: string) => void;
}) {
  const ids = useId();
  const connection = connections.find((c) => c.id === plan.connectionId);
  const posConnections = connections.filter((c) => c.kind === 'pos' && c.status === 'linked');
  return (
    <section className="destination" aria-label="Destination">
      <div className="field">
        <label htmlFor={`${ids}-pos`}>Point of sale</label>
        <select
          id={`${ids}-pos`}
          value={plan.connectionId}
          disabled={busy !== null}
          onChange={(e) => onConnection(e.target.value)}
        >
          {posConnections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
          {!posConnections.some((c) => c.id === plan.connectionId) && (
            <option value={plan.connectionId}>{connection?.name ?? 'A POS that is not linked now'}</option>
          )}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-loc`}>Receive at location</label>
        <select
          id={`${ids}-loc`}
          value={plan.locationId}
          disabled={busy !== null || !locations}
          onChange={(e) => onLocation(e.target.value)}
        >
          {(locations ?? [])
            .filter((l) => !l.archived || l.id === plan.locationId)
            .map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          {!locations && <option value={plan.locationId}>Loading…</option>}
        </select>
      </div>
      {busy === 'replan' && (
        <p role="status" className="muted">
          Matching again…
        </p>
      )}
    </section>
  );
}

/** The sticky bar at the bottom: what the export will create, or why it cannot run yet, and the Export button. */
export function ExportBar({
  plan,
  connection,
  busy,
  buttonRef,
  onExport,
}: {
  plan: Plan;
  connection: Connection | undefined;
  busy: string | null;
  buttonRef: RefObject<HTMLButtonElement | null>;
  onExport: () => void;
}) {
  const whyId = useId();
  const counts = plan.counts;
  const posName = connection?.name ?? 'the POS';
  const system = connection?.shortLabel ?? 'POS';
  return (
    <div className="export-bar">
      <div>
        <p id={whyId} className={plan.canApply ? 'muted' : 'warn-text'}>
          {plan.canApply
            ? `Ready: ${plural(plan.purchaseOrders.length, 'purchase order')} with ${plural(counts.poLines, 'line')}${counts.newVariants > 0 ? `, ${plural(counts.newVariants, 'new draft item')}` : ''} will be created in ${posName}.`
            : `Export is not possible yet: ${plan.blockers.map((b) => blockerText(b, plan)).join(' ')}`}
        </p>
      </div>
      <button
        ref={buttonRef}
        type="button"
        className="primary-large"
        data-guide="export-button"
        aria-disabled={!plan.canApply || busy !== null}
        aria-describedby={whyId}
        onClick={onExport}
      >
        {busy === 'apply' ? 'Starting export…' : `Export to ${system}`}
      </button>
    </div>
  );
}
