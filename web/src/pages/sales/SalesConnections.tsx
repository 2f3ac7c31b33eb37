import { useId, useState, type FormEvent } from 'react';
import { Badge } from '../../components/ui.tsx';
import { Link } from '../../router.ts';
import type { DemoHints } from '../../types.ts';
import type { Status } from './types.ts';

type Linked = Status['netsuite'];

function LinkState({ system, linked }: { system: string; linked: Linked }) {
  return (
    <div className="sales-system">
      <span className="strong">{system}</span>{' '}
      {linked ? (
        <>
          <Badge tone={linked.status === 'linked' ? 'ok' : 'danger'}>
            {linked.status === 'linked' ? 'Linked' : 'Needs re-link'}
          </Badge>{' '}
          <span className="muted small">{linked.name}</span>
        </>
      ) : (
        <Badge tone="muted">Not linked</Badge>
      )}
    </div>
  );
}

export interface NetsuiteCredentials {
  accountId: string;
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

const fields: Array<[keyof NetsuiteCredentials, string, 'text' | 'password']> = [
  ['accountId', 'Account id', 'text'],
  ['consumerKey', 'Consumer key', 'text'],
  ['consumerSecret', 'Consumer secret', 'password'],
  ['tokenId', 'Token id', 'text'],
  ['tokenSecret', 'Token secret', 'password'],
];

/** The two accounts the sales sync joins, and the NetSuite link form while NetSuite is not linked. */
export function SalesConnections({
  status,
  demo,
  busy,
  onLink,
}: {
  status: Status | null;
  demo: DemoHints | null;
  busy: boolean;
  onLink: (credentials: NetsuiteCredentials) => void;
}) {
  const headingId = useId();
  const needsLink = !status?.netsuite || status.netsuite.status !== 'linked';
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Accounts</h2>
      <div className="sales-systems">
        <LinkState system="NetSuite" linked={status?.netsuite ?? null} />
        <LinkState system="X-Series" linked={status?.xseries ?? null} />
      </div>
      {!status?.xseries && (
        <p className="muted small">
          Sales go into your Lightspeed X-Series store: <Link to="/connections">link it under Connections</Link>.
        </p>
      )}
      {needsLink && <NetsuiteLinkForm demo={demo?.netsuite ?? null} busy={busy} onLink={onLink} />}
    </section>
  );
}

/**
 * Token-based authentication, as NetSuite issues it (an integration record's consumer key and secret, a token for a
 * user and role). In the demo the form is filled in with the NetSuite simulator's own test values.
 */
function NetsuiteLinkForm({
  demo,
  busy,
  onLink,
}: {
  demo: NetsuiteCredentials | null;
  busy: boolean;
  onLink: (credentials: NetsuiteCredentials) => void;
}) {
  const ids = useId();
  const [values, setValues] = useState<NetsuiteCredentials>(
    demo ?? { accountId: '', consumerKey: '', consumerSecret: '', tokenId: '', tokenSecret: '' },
  );
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    onLink(values);
  };
  return (
    <form className="link-form" aria-label="Link NetSuite" onSubmit={submit}>
      <h3>Link NetSuite</h3>
      <p className="muted small">
        Token-based authentication: the consumer key and secret of an integration record, and a token for a user and
        role that may read and write sales orders.
      </p>
      {demo && (
        <p className="demo-note">
          Demo: filled in with the NetSuite simulator’s test credentials. Press Link NetSuite.
        </p>
      )}
      <div className="link-fields">
        {fields.map(([name, label, type]) => (
          <div className="field" key={name}>
            <label htmlFor={`${ids}-${name}`}>{label}</label>
            <input
              id={`${ids}-${name}`}
              name={name}
              type={type}
              required
              autoComplete="off"
              value={values[name]}
              onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
            />
          </div>
        ))}
      </div>
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          Link NetSuite
        </button>
      </div>
    </form>
  );
}
