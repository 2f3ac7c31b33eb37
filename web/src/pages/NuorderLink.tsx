import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, messageOf } from '../api.ts';
import type { NuorderLinkReply, NuorderRetailers } from '../../../src/http/api-types.ts';
import type { Connection, DemoHints } from '../types.ts';

/**
 * Linking a NuORDER brand portal as NuORDER does it: the merchant approves the application "Tradeloop" in NuORDER
 * Admin → API Management, and NuORDER sends the verification code back (or shows it, to paste here); or the merchant
 * pastes a token and secret NuORDER Admin already issued. Then they choose which of the brand's retailers is their
 * store, since a brand portal sees every store's orders.
 */

type Pending = NonNullable<NuorderLinkReply['pending']>;

export function NuorderLinkForm({
  demo,
  relink,
  onCancel,
  linkedBrands,
}: {
  demo: DemoHints | null;
  relink?: Connection;
  onCancel?: () => void;
  linkedBrands: string[];
}) {
  const hints = demo?.nuorder;
  const firstFree = hints?.brands.find((b) => !linkedBrands.includes(b)) ?? hints?.brands[0] ?? '';
  const [open, setOpen] = useState(Boolean(relink));
  const [mode, setMode] = useState<'approve' | 'token'>('approve');
  const [brandName, setBrandName] = useState(relink?.brandName ?? firstFree);
  const [consumerKey, setConsumerKey] = useState(hints?.consumerKey ?? '');
  const [consumerSecret, setConsumerSecret] = useState(hints?.consumerSecret ?? '');
  const [token, setToken] = useState('');
  const [tokenSecret, setTokenSecret] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const listId = useId();

  useEffect(() => {
    if (!relink && !open) setBrandName(firstFree);
  }, [firstFree, relink, open]);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<NuorderLinkReply>('POST', '/api/connections/nuorder', {
        brandName,
        consumerKey,
        consumerSecret,
        ...(mode === 'token' ? { token, tokenSecret } : {}),
        ...(relink ? { relinkConnectionId: relink.id } : {}),
      });
      if (r.connection) window.location.assign(`/connections?linked=${r.connection.id}`);
      else {
        setPending(r.pending);
        setBusy(false);
      }
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <div className="link-actions">
        <button type="button" data-guide="link-nuorder" onClick={() => setOpen(true)}>
          Link NuORDER
        </button>
      </div>
    );
  }
  if (pending) return <NuorderApproval pending={pending} demo={demo} brandName={brandName} />;
  const title = relink ? `Re-link ${relink.name}` : 'Link a NuORDER brand portal';
  return (
    <form className="link-form" onSubmit={(e) => void submit(e)} aria-label={title}>
      <h3>{title}</h3>
      {hints && (
        <p className="demo-note">
          Demo mode: filled in with the NuORDER simulator’s test application. Nothing real is contacted.
        </p>
      )}
      <fieldset className="field">
        <legend>How do you connect?</legend>
        <label>
          <input
            type="radio"
            name={`${listId}-mode`}
            checked={mode === 'approve'}
            onChange={() => setMode('approve')}
          />{' '}
          Approve Tradeloop in NuORDER
        </label>{' '}
        <label>
          <input type="radio" name={`${listId}-mode`} checked={mode === 'token'} onChange={() => setMode('token')} />{' '}
          Paste a token NuORDER issued
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={`${listId}-brand`}>Brand portal</label>
        <input
          id={`${listId}-brand`}
          required
          value={brandName}
          list={hints ? `${listId}-brands` : undefined}
          onChange={(e) => setBrandName(e.target.value)}
          readOnly={Boolean(relink)}
        />
        {hints && (
          <datalist id={`${listId}-brands`}>
            {hints.brands.map((b) => (
              <option key={b} value={b} />
            ))}
          </datalist>
        )}
      </div>
      <Secret id={`${listId}-key`} label="Consumer key" value={consumerKey} onChange={setConsumerKey} plain />
      <Secret id={`${listId}-secret`} label="Consumer secret" value={consumerSecret} onChange={setConsumerSecret} />
      {mode === 'token' && (
        <>
          <Secret id={`${listId}-token`} label="Token" value={token} onChange={setToken} plain />
          <Secret id={`${listId}-token-secret`} label="Token secret" value={tokenSecret} onChange={setTokenSecret} />
        </>
      )}
      <p className="muted small">
        {mode === 'approve'
          ? 'The consumer key and secret are in NuORDER under Admin → API Management. Next, you approve the application “Tradeloop” there.'
          : 'NuORDER Admin → API Management shows the consumer key and secret, and the token and token secret it issued for them.'}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          {mode === 'token' ? (busy ? 'Linking…' : 'Link') : busy ? 'Asking NuORDER…' : 'Continue to NuORDER'}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setOpen(false);
            onCancel?.();
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

function Secret(props: { id: string; label: string; value: string; onChange: (v: string) => void; plain?: boolean }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        required
        type={props.plain ? 'text' : 'password'}
        autoComplete="off"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

/** Step 2: approve in NuORDER; NuORDER brings the person back, or shows a code to paste here. */
function NuorderApproval({
  pending,
  demo,
  brandName,
}: {
  pending: Pending;
  demo: DemoHints | null;
  brandName: string;
}) {
  const id = useId();
  const [verifier, setVerifier] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const simulator = demo?.simulators?.['nuorder'];

  const finish = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ connection: Connection }>('POST', '/api/connections/nuorder/verify', {
        linkId: pending.linkId,
        ...(verifier.trim() ? { verifier: verifier.trim() } : {}),
      });
      window.location.assign(`/connections?linked=${r.connection.id}`);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <form className="link-form" aria-label="Approve Tradeloop in NuORDER" onSubmit={(e) => void finish(e)}>
      <h3>Approve Tradeloop in NuORDER</h3>
      <ol>
        <li>
          Sign in to NuORDER{brandName ? ` (brand portal “${brandName}”)` : ''}, open{' '}
          <strong>Admin → API Management</strong> and approve the application{' '}
          <strong>“{pending.applicationName}”</strong>.
        </li>
        <li>
          NuORDER sends you back here and the link is finished. If it shows a verification code instead, paste it below.
        </li>
      </ol>
      {simulator && (
        <p className="demo-note">
          Demo mode: <a href={`${simulator}/api`}>open the NuORDER simulator’s API management</a> and approve it there.
        </p>
      )}
      <div className="field">
        <label htmlFor={`${id}-code`}>Verification code (if NuORDER shows one)</label>
        <input id={`${id}-code`} autoComplete="off" value={verifier} onChange={(e) => setVerifier(e.target.value)} />
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Finishing…' : 'Finish linking'}
        </button>
      </div>
    </form>
  );
}

type RetailerOption = NuorderRetailers['retailers'][number];

/**
 * A NuORDER connection whose store is not chosen yet: the brand portal shows the orders of every store that buys
 * from the brand, so the merchant says which one is theirs; only its orders are imported.
 */
export function RetailerChooser({ connection: c, onChosen }: { connection: Connection; onChosen: () => void }) {
  const id = useId();
  const [options, setOptions] = useState<RetailerOption[] | null>(null);
  const [selected, setSelected] = useState('');
  const [status, setStatus] = useState<string | null>(null);

  useEffect(() => {
    api<NuorderRetailers>('GET', `/api/connections/${c.id}/retailers`)
      .then((r) => {
        setOptions(r.retailers);
        setSelected(r.retailers[0]?.id ?? '');
      })
      .catch((e: unknown) => setStatus(messageOf(e)));
  }, [c.id]);

  const choose = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setStatus('Saving…');
    try {
      await api('PUT', `/api/connections/${c.id}/retailer`, { retailerId: selected });
      setStatus(null);
      onChosen();
    } catch (err) {
      setStatus(messageOf(err));
    }
  };

  return (
    <form className="settings-row" aria-label={`Choose your store for ${c.name}`} onSubmit={(e) => void choose(e)}>
      <p className="warn-text small" role="status">
        No orders are imported yet: this brand portal shows the orders of every store that buys from the brand. Choose
        yours; only its orders are imported, and the choice is kept.
      </p>
      <div className="field">
        <label htmlFor={id}>Your store</label>
        {options && options.length > 0 ? (
          <select id={id} value={selected} onChange={(e) => setSelected(e.target.value)}>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
                {o.code ? ` (${o.code})` : ''} · {o.orders} order{o.orders === 1 ? '' : 's'}
              </option>
            ))}
          </select>
        ) : (
          <select id={id} disabled>
            <option>{options ? 'No store has an order with this brand yet' : 'Loading the stores…'}</option>
          </select>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" disabled={!selected}>
          Use this store
        </button>
      </div>
      {status && <p className="muted small">{status}</p>}
    </form>
  );
}
