import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../../api.ts';
import { Link } from '../../router.ts';
import './sales.css';

// ---- API shapes (see src/http/routes/sales.ts) -------------------------------------------------------

type Condition = { field: string; op: string; value?: string | number | boolean | string[] };
type Rule = { id: string; name: string; enabled: boolean; when: Condition[]; send: boolean; status?: string };
type MappingEntry = { key: string; xStatus: string; label: string; paid: boolean; description: string };
type RuleDocument = {
  mapping: MappingEntry[];
  rules: Rule[];
  pickupShipMethods: string[];
  deliveryShipMethods: string[];
};
type Version = {
  version: number;
  state: string;
  note: string | null;
  createdAt: string | null;
  activatedAt: string | null;
  document: RuleDocument;
};
type Language = {
  fields: Array<{ name: string; kind: string; values?: string[]; description: string }>;
  operators: string[];
  netsuiteStatuses: string[];
  xSeriesStatuses: Array<{ status: string; label: string; state: string; attributes: string[] }>;
};
type RulesResponse = { active: Version; versions: Version[]; language: Language };
type Issue = { path: string; rule?: string; field?: string; message: string };
type Settings = {
  skipSalesOrders: boolean;
  syncIntervalMinutes: number;
  lookbackDays: number;
  netsuiteCustomerId: string | null;
  paymentTypeName: string;
  posSalesOrderBilling: string;
};
type Status = {
  netsuite: { name: string; status: string; account: string } | null;
  xseries: { name: string; status: string; account: string } | null;
  settings: Settings;
  activeVersion: number;
  counts: Array<{ direction: string; state: string; count: number }>;
  jobs: Array<{ id: string; task: string; state: string; lastError: string | null }>;
};
type Planned = { outcome: string; status?: string; reason?: string };
type Figures = {
  orders: number;
  send: number;
  sendByStatus: Record<string, number>;
  notSent: number;
  blocked: number;
  alreadySent: number;
};
type DryRun = {
  days: number;
  activeVersion: number;
  draftVersion: number | null;
  active: Figures;
  draft: Figures;
  changed: number;
  rows: Array<{ orderId: string; tranId: string; active: Planned; draft: Planned; change: string }>;
};
type LogEntry = {
  id: string;
  direction: 'ns_to_x' | 'x_to_ns';
  state: string;
  netsuite: { recordType: string | null; id: string | null; tranId: string | null };
  xseries: { saleId: string | null; invoiceNumber: string | null; status: string | null };
  sentAs: string | null;
  ruleSetVersion: number | null;
  reason: string | null;
  error: { code: string | null; message: string | null } | null;
  updatedAt: string;
};

const listOps = new Set(['in', 'not_in']);
const valuelessOps = new Set(['exists', 'not_exists']);
const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function SalesOrdersPage() {
  const [status, setStatus] = useState<Status | null>(null);
  const [rules, setRules] = useState<RulesResponse | null>(null);
  const [draft, setDraft] = useState<RuleDocument | null>(null);
  const [issues, setIssues] = useState<Issue[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const [dryRun, setDryRun] = useState<DryRun | null>(null);
  const [days, setDays] = useState(7);
  const [busy, setBusy] = useState<string | null>(null);
  const [log, setLog] = useState<LogEntry[]>([]);

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
    Promise.all([loadStatus(), loadRules(), loadLog()]).catch((error: unknown) => setFailure(message(error)));
  }, [loadStatus, loadRules, loadLog]);

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

  const check = () =>
    run('check', async () => {
      const result = await api<{ ok: boolean; issues: Issue[] }>('POST', '/api/sales-orders/rules/validate', {
        document: draft,
      });
      setIssues(result.issues);
      if (result.ok) setNotice('The rule set is valid.');
    });
  const save = () =>
    run('save', async () => {
      const saved = await api<Version>('POST', '/api/sales-orders/rules', {
        document: draft,
        note: 'Edited in Settings → Sales orders',
      });
      setSavedVersion(saved.version);
      setIssues([]);
      setNotice(`Saved as draft version ${saved.version}.`);
      await loadRules().then(() => setDraft(structuredClone(saved.document)));
    });
  const activate = (version: number) =>
    run('activate', async () => {
      await api('POST', `/api/sales-orders/rules/${version}/activate`);
      setNotice(`Version ${version} is active. The next sync follows it.`);
      setSavedVersion(null);
      await Promise.all([loadRules(), loadStatus()]);
    });
  const runDry = () =>
    run('dry-run', async () => {
      const body = savedVersion !== null ? { version: savedVersion, days } : { document: draft, days };
      setDryRun(await api<DryRun>('POST', '/api/sales-orders/dry-run', body));
    });
  const syncNow = () =>
    run('sync', async () => {
      const queued = await api<{ jobs: Array<{ id: string }> }>('POST', '/api/sales-orders/sync', {
        direction: 'both',
      });
      setNotice('Sync queued. The log below refreshes as it runs.');
      // Follow the jobs (a worker runs them) and refresh the log until they are done, or for a minute at most.
      const finished = new Set(['succeeded', 'failed', 'cancelled']);
      for (let i = 0; i < 120; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const states = await Promise.all(queued.jobs.map((j) => api<{ state: string }>('GET', `/api/jobs/${j.id}`)));
        await Promise.all([loadLog(), loadStatus()]);
        if (states.every((j) => finished.has(j.state))) {
          setNotice(
            states.some((j) => j.state !== 'succeeded')
              ? 'The sync stopped with an error; see the jobs.'
              : 'Sync finished.',
          );
          return;
        }
      }
    });
  const setSkip = (value: boolean) =>
    run('settings', async () => {
      await api('PUT', '/api/sales-orders/settings', { skipSalesOrders: value });
      await loadStatus();
    });
  const retry = (id: string) =>
    run('retry', async () => {
      await api('POST', `/api/sales-orders/log/${id}/retry`);
      setNotice('Retry queued.');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await loadLog();
    });

  const language = rules?.language;
  const mappingKeys = useMemo(() => draft?.mapping.map((m) => m.key) ?? [], [draft]);
  const issuesFor = (path: string): Issue[] =>
    (issues ?? []).filter((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));

  if (failure && !rules)
    return (
      <p className="error" role="alert">
        {failure}
      </p>
    );
  if (!rules || !draft || !language) return <p role="status">Loading sales-order settings…</p>;

  const latestDraft = rules.versions.find((v) => v.state === 'draft' && v.version > rules.active.version);

  return (
    <section aria-labelledby="sales-title" className="sales-page">
      <p className="muted">
        <Link to="/settings">Settings</Link> › Sales orders
      </p>
      <h1 id="sales-title">Sales orders</h1>
      <p className="muted">
        NetSuite sales orders into X-Series as sales, fulfilled and billed back when the POS completes them; POS sales
        into NetSuite.
      </p>

      <div className="sales-bar">
        <span>NetSuite: {status?.netsuite ? `${status.netsuite.name} (${status.netsuite.status})` : 'not linked'}</span>
        <span>X-Series: {status?.xseries ? `${status.xseries.name} (${status.xseries.status})` : 'not linked'}</span>
        <span>
          Active rules: version {rules.active.version}
          {rules.active.version === 0 ? ' (defaults)' : ''}
        </span>
        <button onClick={() => void syncNow()} disabled={busy !== null}>
          {busy === 'sync' ? 'Syncing…' : 'Sync now'}
        </button>
      </div>
      {(!status?.netsuite || status.netsuite.status !== 'linked') && (
        <form
          className="link-netsuite"
          aria-label="Link NetSuite"
          onSubmit={(e) => {
            e.preventDefault();
            const data = Object.fromEntries(new FormData(e.currentTarget).entries()) as Record<string, string>;
            void run('link', async () => {
              await api('POST', '/api/sales-orders/netsuite/link', {
                accountId: data['accountId'],
                consumerKey: data['consumerKey'],
                consumerSecret: data['consumerSecret'],
                tokenId: data['tokenId'],
                tokenSecret: data['tokenSecret'],
              });
              setNotice('NetSuite is linked.');
              await loadStatus();
            });
          }}
        >
          <strong>Link NetSuite (token-based authentication)</strong>
          {(
            [
              ['accountId', 'Account id', 'text'],
              ['consumerKey', 'Consumer key', 'text'],
              ['consumerSecret', 'Consumer secret', 'password'],
              ['tokenId', 'Token id', 'text'],
              ['tokenSecret', 'Token secret', 'password'],
            ] as const
          ).map(([name, label, type]) => (
            <label key={name}>
              {label}
              <input name={name} type={type} required autoComplete="off" />
            </label>
          ))}
          <button type="submit" disabled={busy !== null}>
            Link NetSuite
          </button>
        </form>
      )}
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}

      <h3>X-Series → NetSuite</h3>
      <label className="inline">
        <input
          type="checkbox"
          checked={status?.settings.skipSalesOrders ?? true}
          onChange={(e) => void setSkip(e.target.checked)}
          disabled={busy !== null}
        />
        Skip sales orders: make a NetSuite sales order only for a sale with a serial/lot/bin kit, a Delivery –
        Unfulfilled or Pickup – Unfulfilled sale, or a layby; other sales become cash sales
      </label>

      <h3>Status mapping</h3>
      <table className="sales-table" aria-label="Status mapping">
        <thead>
          <tr>
            <th>Sent as</th>
            <th>X-Series status</th>
            <th>state + attributes</th>
            <th>Shown as</th>
            <th>Paid</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {draft.mapping.map((entry, i) => {
            const x = language.xSeriesStatuses.find((s) => s.status === entry.xStatus);
            return (
              <tr key={i}>
                <td>
                  <input
                    aria-label={`Mapping ${i + 1} key`}
                    className="key"
                    value={entry.key}
                    onChange={(e) =>
                      edit((d) => {
                        (d.mapping[i] as MappingEntry).key = e.target.value.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
                      })
                    }
                  />
                </td>
                <td>
                  <select
                    aria-label={`Mapping ${entry.key} X-Series status`}
                    value={entry.xStatus}
                    onChange={(e) =>
                      edit((d) => {
                        (d.mapping[i] as MappingEntry).xStatus = e.target.value;
                      })
                    }
                  >
                    {language.xSeriesStatuses.map((s) => (
                      <option key={s.status} value={s.status}>
                        {s.status}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <code>{x ? `${x.state}${x.attributes.length ? ` + ${x.attributes.join(', ')}` : ''}` : '?'}</code>
                </td>
                <td>
                  <input
                    aria-label={`Mapping ${entry.key} label`}
                    value={entry.label}
                    onChange={(e) =>
                      edit((d) => {
                        (d.mapping[i] as MappingEntry).label = e.target.value;
                      })
                    }
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Mapping ${entry.key} paid`}
                    checked={entry.paid}
                    onChange={(e) =>
                      edit((d) => {
                        (d.mapping[i] as MappingEntry).paid = e.target.checked;
                      })
                    }
                  />
                </td>
                <td>
                  <button
                    className="small danger"
                    aria-label={`Remove mapping ${entry.key}`}
                    onClick={() =>
                      edit((d) => {
                        d.mapping.splice(i, 1);
                      })
                    }
                  >
                    ×
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button
        className="secondary"
        onClick={() =>
          edit((d) => {
            d.mapping.push({ key: 'LAYBY', xStatus: 'LAYBY', label: 'Layby', paid: false, description: '' });
          })
        }
      >
        Add a status
      </button>
      {issuesFor('mapping').map((issue, i) => (
        <p key={i} className="error">
          {issue.message}
        </p>
      ))}

      <h3>
        Rules <span className="muted">(the first matching rule decides; an order no rule matches is not sent)</span>
      </h3>
      <ol className="rules">
        {draft.rules.map((rule, r) => {
          const label = `Rule ${r + 1}`;
          return (
            <li key={r} className="rule" aria-label={label}>
              <div className="rule-head">
                <input
                  aria-label={`${label} name`}
                  value={rule.name}
                  onChange={(e) =>
                    edit((d) => {
                      (d.rules[r] as Rule).name = e.target.value;
                    })
                  }
                />
                <label className="inline">
                  <input
                    type="checkbox"
                    aria-label={`${label} enabled`}
                    checked={rule.enabled}
                    onChange={(e) =>
                      edit((d) => {
                        (d.rules[r] as Rule).enabled = e.target.checked;
                      })
                    }
                  />{' '}
                  enabled
                </label>
                <button
                  className="small"
                  aria-label={`Move ${label} up`}
                  disabled={r === 0}
                  onClick={() =>
                    edit((d) => {
                      d.rules.splice(r - 1, 0, ...d.rules.splice(r, 1));
                    })
                  }
                >
                  ↑
                </button>
                <button
                  className="small"
                  aria-label={`Move ${label} down`}
                  disabled={r === draft.rules.length - 1}
                  onClick={() =>
                    edit((d) => {
                      d.rules.splice(r + 1, 0, ...d.rules.splice(r, 1));
                    })
                  }
                >
                  ↓
                </button>
                <button
                  className="small danger"
                  aria-label={`Delete ${label}`}
                  onClick={() =>
                    edit((d) => {
                      d.rules.splice(r, 1);
                    })
                  }
                >
                  Delete
                </button>
              </div>
              <div className="conditions">
                <span className="muted">when</span>
                {rule.when.length === 0 && <span className="muted">every order</span>}
                {rule.when.map((c, ci) => {
                  const field = language.fields.find((f) => f.name === c.field);
                  const cl = `${label} condition ${ci + 1}`;
                  const setCondition = (change: (cond: Condition) => void) =>
                    edit((d) => change((d.rules[r] as Rule).when[ci] as Condition));
                  return (
                    <span key={ci} className="condition">
                      <select
                        aria-label={`${cl} field`}
                        value={c.field}
                        onChange={(e) =>
                          setCondition((cond) => {
                            cond.field = e.target.value;
                            delete cond.value;
                          })
                        }
                      >
                        {!field && <option value={c.field}>{c.field}</option>}
                        {language.fields.map((f) => (
                          <option key={f.name} value={f.name}>
                            {f.name}
                          </option>
                        ))}
                      </select>
                      <select
                        aria-label={`${cl} operator`}
                        value={c.op}
                        onChange={(e) =>
                          setCondition((cond) => {
                            cond.op = e.target.value;
                            if (valuelessOps.has(cond.op)) delete cond.value;
                          })
                        }
                      >
                        {language.operators.map((op) => (
                          <option key={op} value={op}>
                            {op.replace('_', ' ')}
                          </option>
                        ))}
                      </select>
                      {!valuelessOps.has(c.op) &&
                        (field?.values && !listOps.has(c.op) ? (
                          <select
                            aria-label={`${cl} value`}
                            value={String(c.value ?? '')}
                            onChange={(e) =>
                              setCondition((cond) => {
                                cond.value = e.target.value;
                              })
                            }
                          >
                            <option value="">—</option>
                            {field.values.map((v) => (
                              <option key={v} value={v}>
                                {v}
                              </option>
                            ))}
                          </select>
                        ) : (
                          <input
                            aria-label={`${cl} value`}
                            placeholder={listOps.has(c.op) ? 'a, b, c' : 'value'}
                            value={Array.isArray(c.value) ? c.value.join(', ') : String(c.value ?? '')}
                            onChange={(e) =>
                              setCondition((cond) => {
                                const text = e.target.value;
                                cond.value = listOps.has(cond.op)
                                  ? text
                                      .split(',')
                                      .map((s) => s.trim())
                                      .filter(Boolean)
                                  : field?.kind === 'number' && text !== '' && !Number.isNaN(Number(text))
                                    ? Number(text)
                                    : text;
                              })
                            }
                          />
                        ))}
                      <button
                        className="small"
                        aria-label={`Remove ${cl}`}
                        onClick={() =>
                          edit((d) => {
                            (d.rules[r] as Rule).when.splice(ci, 1);
                          })
                        }
                      >
                        ×
                      </button>
                    </span>
                  );
                })}
                <button
                  className="small"
                  aria-label={`Add a condition to ${label}`}
                  onClick={() =>
                    edit((d) => {
                      (d.rules[r] as Rule).when.push({ field: 'status', op: 'is', value: 'PENDING_FULFILLMENT' });
                    })
                  }
                >
                  + condition
                </button>
              </div>
              <div className="action">
                <span className="muted">then</span>
                <select
                  aria-label={`${label} action`}
                  value={rule.send ? (rule.status ?? '') : '__none'}
                  onChange={(e) =>
                    edit((d) => {
                      const target = d.rules[r] as Rule;
                      if (e.target.value === '__none') {
                        target.send = false;
                        delete target.status;
                      } else {
                        target.send = true;
                        target.status = e.target.value;
                      }
                    })
                  }
                >
                  {mappingKeys.map((k) => (
                    <option key={k} value={k}>
                      send as {k}
                    </option>
                  ))}
                  {rule.send && rule.status && !mappingKeys.includes(rule.status) && (
                    <option value={rule.status}>send as {rule.status}</option>
                  )}
                  <option value="__none">do not send</option>
                </select>
              </div>
              {issuesFor(`rules[${r}]`).map((issue, i) => (
                <p key={i} className="error" role="alert">
                  {issue.message}
                </p>
              ))}
            </li>
          );
        })}
      </ol>
      <button
        className="secondary"
        onClick={() =>
          edit((d) => {
            d.rules.push({
              id: `rule-${Date.now().toString(36)}`,
              name: `New rule ${d.rules.length + 1}`,
              enabled: true,
              when: [{ field: 'status', op: 'is', value: 'PENDING_FULFILLMENT' }],
              send: true,
              status: d.mapping[0]?.key ?? 'SAVED',
            });
          })
        }
      >
        Add a rule
      </button>
      {issues && issues.length > 0 && (
        <div role="alert" className="issues">
          <strong>The rule set has problems:</strong>
          <ul>
            {issues.map((issue, i) => (
              <li key={i}>{issue.message}</li>
            ))}
          </ul>
        </div>
      )}

      <div className="sales-bar">
        <button className="secondary" onClick={() => void check()} disabled={busy !== null}>
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
        <button className="secondary" onClick={() => void runDry()} disabled={busy !== null}>
          {busy === 'dry-run' ? 'Running…' : 'Run dry run'}
        </button>
        <button onClick={() => void save()} disabled={busy !== null}>
          Save draft
        </button>
        {(savedVersion ?? latestDraft?.version) !== undefined && (savedVersion ?? latestDraft?.version) !== null && (
          <button
            onClick={() => void activate((savedVersion ?? latestDraft?.version) as number)}
            disabled={busy !== null}
          >
            Activate version {savedVersion ?? latestDraft?.version}
          </button>
        )}
        <button
          className="secondary"
          onClick={() => {
            setDraft(structuredClone(rules.active.document));
            setIssues(null);
            setDryRun(null);
            setSavedVersion(null);
          }}
        >
          Discard changes
        </button>
      </div>

      {dryRun && (
        <div className="dry-run" aria-label="Dry run result">
          <h3>Dry run: last {dryRun.days} days</h3>
          <table className="sales-table" aria-label="Dry run figures">
            <thead>
              <tr>
                <th></th>
                <th>Orders</th>
                <th>Would be sent</th>
                <th>As</th>
                <th>Not sent</th>
                <th>Blocked</th>
                <th>Already sent</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ['Active (v' + dryRun.activeVersion + ')', dryRun.active],
                  [dryRun.draftVersion !== null ? `Draft (v${dryRun.draftVersion})` : 'Draft', dryRun.draft],
                ] as const
              ).map(([name, f]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>{f.orders}</td>
                  <td>{f.send}</td>
                  <td>
                    {Object.entries(f.sendByStatus)
                      .map(([k, n]) => `${k} ${n}`)
                      .join(', ') || '—'}
                  </td>
                  <td>{f.notSent}</td>
                  <td>{f.blocked}</td>
                  <td>{f.alreadySent}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>{dryRun.changed} order(s) would change.</p>
          <ul className="changes">
            {dryRun.rows
              .filter((row) => row.change !== 'same')
              .map((row) => (
                <li key={row.orderId}>
                  <strong>{row.tranId}</strong>: {describe(row.active)} → {describe(row.draft)}
                </li>
              ))}
          </ul>
        </div>
      )}

      <h3>
        Log{' '}
        <button
          className="small secondary"
          onClick={() =>
            void run('refresh', async () => {
              await Promise.all([loadLog(), loadStatus()]);
            })
          }
        >
          Refresh
        </button>
      </h3>
      {log.length === 0 ? (
        <p className="empty">Nothing synced yet.</p>
      ) : (
        <table className="sales-table" aria-label="Sync log">
          <thead>
            <tr>
              <th>Direction</th>
              <th>NetSuite</th>
              <th>X-Series</th>
              <th>State</th>
              <th>Sent as</th>
              <th>Why / error</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {log.map((entry) => (
              <tr key={entry.id} data-state={entry.state}>
                <td>{entry.direction === 'ns_to_x' ? 'NetSuite → X-Series' : 'X-Series → NetSuite'}</td>
                <td>
                  {entry.netsuite.tranId ?? entry.netsuite.id ?? '—'}
                  {entry.netsuite.recordType && entry.direction === 'x_to_ns' ? ` (${entry.netsuite.recordType})` : ''}
                </td>
                <td>
                  {entry.xseries.invoiceNumber ?? entry.xseries.saleId?.slice(0, 8) ?? '—'}
                  {entry.xseries.status ? ` · ${entry.xseries.status}` : ''}
                </td>
                <td>
                  <span className={`state state-${entry.state}`}>{entry.state.replace('_', ' ')}</span>
                </td>
                <td>
                  {entry.sentAs ?? '—'}
                  {entry.ruleSetVersion !== null ? ` (rules v${entry.ruleSetVersion})` : ''}
                </td>
                <td className="why">{entry.error?.message ?? entry.reason ?? ''}</td>
                <td>
                  {(entry.state === 'failed' || entry.state === 'not_sent') && (
                    <button className="small" onClick={() => void retry(entry.id)}>
                      Retry
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function describe(p: Planned): string {
  if (p.outcome === 'send') return `send as ${p.status}`;
  if (p.outcome === 'blocked') return `blocked (${p.reason})`;
  if (p.outcome === 'already_sent') return 'already sent';
  return 'not sent';
}
