import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../../api.ts';
import { Banner, Loading } from '../../components/ui.tsx';
import { Link } from '../../router.ts';
import type { ConnectionsResponse, DemoHints } from '../../types.ts';
import { MappingTable } from './MappingTable.tsx';
import { RulesEditor } from './RulesEditor.tsx';
import { SalesConnections, type NetsuiteCredentials } from './SalesConnections.tsx';
import { DryRunResult, SyncLog } from './SyncResults.tsx';
import type { DryRun, Issue, LogEntry, RuleDocument, RulesResponse, Status, Version } from './types.ts';
import './sales.css';

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** What the page shows and reloads: the sync's status, the rule sets, the log, and (demo) the link hints. */
function useSalesData() {
  const [status, setStatus] = useState<Status | null>(null);
  const [rules, setRules] = useState<RulesResponse | null>(null);
  const [draft, setDraft] = useState<RuleDocument | null>(null);
  const [log, setLog] = useState<LogEntry[]>([]);
  const [demo, setDemo] = useState<DemoHints | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [ready, setReady] = useState(false);

  const loadStatus = useCallback(async () => setStatus(await api<Status>('GET', '/api/sales-orders/status')), []);
  const loadLog = useCallback(
    async () => setLog((await api<{ entries: LogEntry[] }>('GET', '/api/sales-orders/log?limit=100')).entries),
    [],
  );
  const loadRules = useCallback(async () => {
    const data = await api<RulesResponse>('GET', '/api/sales-orders/rules');
    setRules(data);
    setDraft(structuredClone(data.active.document));
  }, []);

  useEffect(() => {
    // The demo's hints arrive with the rest, so the link form is filled in from its first showing.
    const loadDemo = api<ConnectionsResponse>('GET', '/api/connections')
      .then((r) => setDemo(r.providers.demo))
      .catch(() => undefined);
    Promise.all([loadStatus(), loadRules(), loadLog(), loadDemo])
      .then(() => setReady(true))
      .catch((error: unknown) => setFailure(message(error)));
  }, [loadStatus, loadRules, loadLog]);

  return { status, rules, draft, setDraft, log, demo, failure, ready, loadStatus, loadLog, loadRules };
}

/** Settings → Sales orders: the accounts, the status mapping and rules (check, dry run, save, activate), the log. */
export function SalesOrdersPage() {
  const data = useSalesData();
  const { status, rules, draft, setDraft, log } = data;
  const [issues, setIssues] = useState<Issue[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const [dryRun, setDryRun] = useState<DryRun | null>(null);
  const [days, setDays] = useState(7);
  const [busy, setBusy] = useState<string | null>(null);

  const run = async (label: string, fn: () => Promise<void>): Promise<void> => {
    setBusy(label);
    setFailure(null);
    setNotice(null);
    try {
      await fn();
    } catch (error) {
      if (error instanceof ApiError && Array.isArray(error.details)) setIssues(error.details as Issue[]);
      setFailure(message(error));
    } finally {
      setBusy(null);
    }
  };

  const edit = (change: (doc: RuleDocument) => void): void => {
    setDraft((current) => {
      if (!current) return current;
      const next = structuredClone(current);
      change(next);
      return next;
    });
    setIssues(null);
    setSavedVersion(null);
    setDryRun(null);
  };

  const actions = salesActions({
    run,
    data,
    draft,
    days,
    savedVersion,
    setIssues,
    setNotice,
    setSavedVersion,
    setDryRun,
  });
  const issuesFor = (path: string): Issue[] =>
    (issues ?? []).filter((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));

  if (data.failure && !rules)
    return (
      <p className="error" role="alert">
        {data.failure}
      </p>
    );
  if (!rules || !draft || !data.ready) return <Loading label="Loading sales-order settings…" />;

  const latestDraft = rules.versions.find((v) => v.state === 'draft' && v.version > rules.active.version);
  const activatable = savedVersion ?? latestDraft?.version ?? null;

  return (
    <article aria-labelledby="sales-title" className="sales-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/settings">Settings</Link> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">Sales orders</span>
      </nav>
      <div className="page-head">
        <div>
          <h1 id="sales-title">Sales orders</h1>
          <p className="lede">
            NetSuite sales orders into X-Series as sales, fulfilled and billed back when the POS completes them; POS
            sales into NetSuite. Active rules: version {rules.active.version}
            {rules.active.version === 0 ? ' (the defaults)' : ''}.
          </p>
        </div>
        <button type="button" onClick={() => void actions.syncNow()} disabled={busy !== null}>
          {busy === 'sync' ? 'Syncing…' : 'Sync now'}
        </button>
      </div>
      {notice && (
        <Banner tone="ok" role="status" onDismiss={() => setNotice(null)}>
          {notice}
        </Banner>
      )}
      {failure && (
        <Banner tone="danger" role="alert" onDismiss={() => setFailure(null)}>
          {failure}
        </Banner>
      )}

      <SalesConnections status={status} demo={data.demo} busy={busy !== null} onLink={actions.link} />

      <section className="panel" aria-labelledby="sales-x-to-ns">
        <h2 id="sales-x-to-ns">X-Series → NetSuite</h2>
        <label className="inline checkbox-line">
          <input
            type="checkbox"
            checked={status?.settings.skipSalesOrders ?? true}
            onChange={(e) => void actions.setSkip(e.target.checked)}
            disabled={busy !== null}
          />
          <span>
            Skip sales orders: make a NetSuite sales order only for a sale with a serial/lot/bin kit, a Delivery –
            Unfulfilled or Pickup – Unfulfilled sale, or a layby; other sales become cash sales
          </span>
        </label>
      </section>

      <section className="panel" aria-labelledby="sales-mapping">
        <h2 id="sales-mapping">Status mapping</h2>
        <MappingTable draft={draft} language={rules.language} edit={edit} issues={issuesFor('mapping')} />
      </section>

      <section className="panel" aria-labelledby="sales-rules">
        <h2 id="sales-rules">Rules</h2>
        <p className="muted">The first matching rule decides; an order no rule matches is not sent.</p>
        <RulesEditor draft={draft} language={rules.language} edit={edit} issuesFor={issuesFor} />
        {issues && issues.length > 0 && (
          <div role="alert" className="banner banner-danger issues">
            <div className="banner-body">
              <strong>The rule set has problems:</strong>
              <ul>
                {issues.map((issue, i) => (
                  <li key={i}>{issue.message}</li>
                ))}
              </ul>
            </div>
          </div>
        )}
        <RuleSetActions
          busy={busy}
          days={days}
          setDays={setDays}
          activatable={activatable}
          actions={actions}
          onDiscard={() => {
            setDraft(structuredClone(rules.active.document));
            setIssues(null);
            setDryRun(null);
            setSavedVersion(null);
          }}
        />
      </section>

      {dryRun && <DryRunResult dryRun={dryRun} />}

      <section className="panel" aria-labelledby="sales-log">
        <div className="panel-title-row">
          <h2 id="sales-log">Log</h2>
          <button
            type="button"
            className="small secondary"
            onClick={() => void run('refresh', () => Promise.all([data.loadLog(), data.loadStatus()]).then(() => {}))}
          >
            Refresh log
          </button>
        </div>
        <SyncLog log={log} busy={busy !== null} onRetry={(entry) => void actions.retry(entry.id)} />
      </section>
    </article>
  );
}

/** Check, dry run, save and activate the edited rule set, or throw the edits away. */
function RuleSetActions({
  busy,
  days,
  setDays,
  activatable,
  actions,
  onDiscard,
}: {
  busy: string | null;
  days: number;
  setDays: (days: number) => void;
  activatable: number | null;
  actions: ReturnType<typeof salesActions>;
  onDiscard: () => void;
}) {
  return (
    <div className="sales-bar">
      <button type="button" className="secondary" onClick={() => void actions.check()} disabled={busy !== null}>
        Check
      </button>
      <label className="inline">
        Dry run over the last{' '}
        <input
          type="number"
          aria-label="Days to replay"
          min={1}
          max={90}
          value={days}
          onChange={(e) => setDays(Math.max(1, Number(e.target.value) || 1))}
          className="days"
        />{' '}
        days
      </label>
      <button type="button" className="secondary" onClick={() => void actions.runDry()} disabled={busy !== null}>
        {busy === 'dry-run' ? 'Running…' : 'Run dry run'}
      </button>
      <button type="button" onClick={() => void actions.save()} disabled={busy !== null}>
        Save draft
      </button>
      {activatable !== null && (
        <button type="button" onClick={() => void actions.activate(activatable)} disabled={busy !== null}>
          Activate version {activatable}
        </button>
      )}
      <button type="button" className="link" onClick={onDiscard}>
        Discard changes
      </button>
    </div>
  );
}

/** The page's requests: each runs through `run` (one at a time, errors shown), then reloads what it changed. */
function salesActions(p: {
  run: (label: string, fn: () => Promise<void>) => Promise<void>;
  data: ReturnType<typeof useSalesData>;
  draft: RuleDocument | null;
  days: number;
  savedVersion: number | null;
  setIssues: (i: Issue[] | null) => void;
  setNotice: (n: string | null) => void;
  setSavedVersion: (v: number | null) => void;
  setDryRun: (d: DryRun | null) => void;
}) {
  const { run, data, draft } = p;
  return {
    link: (credentials: NetsuiteCredentials) =>
      void run('link', async () => {
        await api('POST', '/api/sales-orders/netsuite/link', credentials);
        p.setNotice('NetSuite is linked.');
        await data.loadStatus();
      }),
    check: () =>
      run('check', async () => {
        const result = await api<{ ok: boolean; issues: Issue[] }>('POST', '/api/sales-orders/rules/validate', {
          document: draft,
        });
        p.setIssues(result.issues);
        if (result.ok) p.setNotice('The rule set is valid.');
      }),
    save: () =>
      run('save', async () => {
        const saved = await api<Version>('POST', '/api/sales-orders/rules', {
          document: draft,
          note: 'Edited in Settings → Sales orders',
        });
        p.setSavedVersion(saved.version);
        p.setIssues([]);
        p.setNotice(`Saved as draft version ${saved.version}.`);
        await data.loadRules().then(() => data.setDraft(structuredClone(saved.document)));
      }),
    activate: (version: number) =>
      run('activate', async () => {
        await api('POST', `/api/sales-orders/rules/${version}/activate`);
        p.setNotice(`Version ${version} is active. The next sync follows it.`);
        p.setSavedVersion(null);
        await Promise.all([data.loadRules(), data.loadStatus()]);
      }),
    runDry: () =>
      run('dry-run', async () => {
        const body =
          p.savedVersion !== null ? { version: p.savedVersion, days: p.days } : { document: draft, days: p.days };
        p.setDryRun(await api<DryRun>('POST', '/api/sales-orders/dry-run', body));
      }),
    syncNow: () => run('sync', () => syncAndFollow(data, p.setNotice)),
    setSkip: (value: boolean) =>
      run('settings', async () => {
        await api('PUT', '/api/sales-orders/settings', { skipSalesOrders: value });
        await data.loadStatus();
      }),
    retry: (id: string) =>
      run('retry', async () => {
        await api('POST', `/api/sales-orders/log/${id}/retry`);
        p.setNotice('Retry queued.');
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await data.loadLog();
      }),
  };
}

/** Queues a sync both ways and follows its jobs (a worker runs them), refreshing the log, for a minute at most. */
async function syncAndFollow(
  data: ReturnType<typeof useSalesData>,
  setNotice: (n: string | null) => void,
): Promise<void> {
  const queued = await api<{ jobs: Array<{ id: string }> }>('POST', '/api/sales-orders/sync', { direction: 'both' });
  setNotice('Sync queued. The log below refreshes as it runs.');
  const finished = new Set(['succeeded', 'failed', 'cancelled']);
  for (let i = 0; i < 120; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const states = await Promise.all(queued.jobs.map((j) => api<{ state: string }>('GET', `/api/jobs/${j.id}`)));
    await Promise.all([data.loadLog(), data.loadStatus()]);
    if (states.every((j) => finished.has(j.state))) {
      setNotice(
        states.some((j) => j.state !== 'succeeded')
          ? 'The sync stopped with an error; see the jobs.'
          : 'Sync finished.',
      );
      return;
    }
  }
}
