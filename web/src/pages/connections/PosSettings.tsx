import { useEffect, useId, useState } from 'react';
import { api, messageOf } from '../../api.ts';
import type { Connection, PosLocation } from '../../types.ts';

/** The currencies stores most often keep; the current one is always offered too. */
const accountCurrencies = ['USD', 'CAD', 'EUR', 'GBP', 'AUD', 'NZD'];

/**
 * A linked POS's settings: manual or automatic purchase-order sync, the default location, and (a POS that does not
 * say its currency, `takesCurrency`) the account currency. Each field is named with its connection (`nameId`), so two POS cards
 * never offer two fields of the same name.
 */
export function PosSettings({
  connection: c,
  nameId,
  onSaved,
}: {
  connection: Connection;
  nameId: string;
  onSaved: () => void;
}) {
  const [locations, setLocations] = useState<PosLocation[] | null>(null);
  const [locError, setLocError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const modeId = useId();
  const amendId = useId();
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
    autoApplyAmendments?: boolean;
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
        <label htmlFor={modeId} id={`${modeId}-label`}>
          Purchase-order sync
        </label>
        <select
          id={modeId}
          aria-labelledby={`${modeId}-label ${nameId}`}
          value={c.syncMode ?? 'manual'}
          aria-describedby={helpId}
          onChange={(e) => void save({ syncMode: e.target.value as 'manual' | 'automatic' })}
        >
          <option value="manual">Manual</option>
          <option value="automatic">Automatic</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={amendId}>
          <input
            id={amendId}
            type="checkbox"
            checked={c.autoApplyAmendments === true}
            onChange={(e) => void save({ autoApplyAmendments: e.target.checked })}
          />{' '}
          Apply the brand&rsquo;s changes to purchase orders by themselves
        </label>
        <span className="muted small">
          Only changes that need no decision: nothing the PO can no longer take, no new line to review.
        </span>
      </div>
      <div className="field">
        <label htmlFor={locId} id={`${locId}-label`}>
          Default location
        </label>
        {locations ? (
          <select
            id={locId}
            aria-labelledby={`${locId}-label ${nameId}`}
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
      {c.takesCurrency && (
        <div className="field">
          <label htmlFor={currencyId} id={`${currencyId}-label`}>
            Account currency
          </label>
          <select
            id={currencyId}
            aria-labelledby={`${currencyId}-label ${nameId}`}
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
            {c.shortLabel} does not tell its currency: purchase orders are made in this one, and orders in another wait.
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
