import { useEffect, useId, useState } from 'react';
import { api, ApiError, messageOf } from '../../api.ts';
import { Banner, ErrorState, Loading } from '../../components/ui.tsx';
import { formatDateTime } from '../../format.ts';
import type { DryRun, PricingView } from '../../merchant-types.ts';
import { Link } from '../../router.ts';
import type { Connection, ConnectionsResponse } from '../../types.ts';
import { BrandOverrides, type Overrides } from './BrandOverrides.tsx';
import { formOf, PolicyForm, ruleOf, type Form } from './PolicyForm.tsx';
import { DryRunTable, OwnershipAndPacks } from './PricingParts.tsx';

interface Problem {
  message: string;
  /** The server's refusal by field (`rule.basis.factor` → why), shown on the field. */
  fields: Record<string, string>;
}

function problemOf(e: unknown): Problem {
  const fields: Record<string, string> = {};
  if (e instanceof ApiError && Array.isArray(e.details))
    for (const d of e.details as Array<{ path: string; message: string }>) fields[d.path] = d.message;
  return { message: messageOf(e), fields };
}

/**
 * /connections/:id/pricing: the retail price new items get in this POS (MSRP, cost × markup or a target margin,
 * a price ending, the MSRP floor, a margin guard), versioned; a dry run over past orders before saving; whether
 * items Tradeloop created follow the brand's price; and how packed lines are stocked.
 */
export function PricingPage({ connectionId }: { connectionId: string }) {
  const [view, setView] = useState<PricingView | null>(null);
  const [connection, setConnection] = useState<Connection | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [dry, setDry] = useState<DryRun | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [brands, setBrands] = useState<Array<{ sourceId: string; name: string }>>([]);
  const [overrides, setOverrides] = useState<Overrides>({});
  const path = `/api/connections/${connectionId}/pricing`;

  const load = async (): Promise<void> => {
    try {
      const [v, c, b] = await Promise.all([
        api<PricingView>('GET', path),
        api<ConnectionsResponse>('GET', '/api/connections'),
        api<{ brands: Array<{ sourceId: string; name: string }> }>('GET', '/api/brands'),
      ]);
      setView(v);
      setForm(formOf(v.policy.rule));
      setOverrides(v.policy.brands);
      setBrands(b.brands);
      setConnection(c.connections.find((x) => x.id === connectionId) ?? null);
    } catch (e) {
      setLoadError(messageOf(e));
    }
  };
  useEffect(() => void load(), [connectionId]);

  const run = async (what: string, action: () => Promise<void>): Promise<void> => {
    setBusy(what);
    setProblem(null);
    setSaved(null);
    try {
      await action();
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(null);
    }
  };

  if (loadError) return <ErrorState message={loadError} onRetry={() => void load()} />;
  if (!view || !form) return <Loading label="Loading the pricing policy…" />;
  const body = { rule: ruleOf(form), brands: overrides };
  const saveSettings = (change: Partial<Pick<PricingView, 'followBrandPrices' | 'casePacks'>>): void =>
    void run('settings', async () => {
      setView(await api<PricingView>('PUT', path, change));
      setSaved('Saved.');
    });

  return (
    <section aria-labelledby="page-title" className="merchant-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/connections">Connections</Link> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">Pricing · {connection?.name ?? 'POS'}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1 id="page-title">Retail prices for new items</h1>
          <p className="lede">
            The price Tradeloop writes on the items it creates in {connection?.name ?? 'this POS'}.{' '}
            {view.version === 0
              ? 'No policy saved yet: new items get the brand’s MSRP as sent.'
              : `Version ${view.version} is in force.`}{' '}
            Items you already sell keep their price.
          </p>
        </div>
      </div>
      {problem && (
        <Banner tone="danger" onDismiss={() => setProblem(null)}>
          {problem.message}
        </Banner>
      )}
      {saved && (
        <Banner tone="ok" onDismiss={() => setSaved(null)}>
          {saved}
        </Banner>
      )}
      <PolicyForm
        form={form}
        fieldErrors={problem?.fields ?? {}}
        busy={busy}
        nextVersion={view.version + 1}
        perBrand={
          <BrandOverrides
            brands={brands}
            overrides={overrides}
            fieldErrors={problem?.fields ?? {}}
            onChange={(next) => {
              setOverrides(next);
              setDry(null);
            }}
          />
        }
        onChange={(change) => {
          setForm({ ...form, ...change });
          setDry(null);
        }}
        onDryRun={() => void run('dry', async () => setDry(await api<DryRun>('POST', `${path}/dry-run`, body)))}
        onSave={() =>
          void run('save', async () => {
            const v = await api<PricingView>('PUT', path, { policy: body });
            setView(v);
            setSaved(`Saved as version ${v.version}. Plans made from now on use it.`);
          })
        }
      />
      {dry && <DryRunTable dry={dry} />}
      <OwnershipAndPacks view={view} onSave={saveSettings} />
      <Versions view={view} />
    </section>
  );
}

function Versions({ view }: { view: PricingView }) {
  const id = useId();
  if (view.versions.length === 0) return null;
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>Versions</h2>
      <ul className="plain-list">
        {view.versions.map((v) => (
          <li key={v.version}>
            Version {v.version} · saved {formatDateTime(v.createdAt)}
            {v.version === view.version ? ' · in force' : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
