import { useEffect, useId, useState } from 'react';
import { api, ApiError, messageOf } from '../../api.ts';
import { Banner, ErrorState, Loading } from '../../components/ui.tsx';
import { formatDateTime, formatMoney, plural } from '../../format.ts';
import type { DryRun, PriceRule, PricingView } from '../../merchant-types.ts';
import { Link } from '../../router.ts';
import type { Connection, ConnectionsResponse } from '../../types.ts';

type Basis = PriceRule['basis']['kind'];

interface Form {
  basis: Basis;
  factor: string;
  percent: string;
  rounding: PriceRule['rounding'];
  floorAtMsrp: boolean;
  guard: string;
}

function formOf(rule: PriceRule): Form {
  return {
    basis: rule.basis.kind,
    factor: rule.basis.kind === 'markup' ? String(rule.basis.factor) : '2',
    percent: rule.basis.kind === 'margin' ? String(rule.basis.percent) : '50',
    rounding: rule.rounding,
    floorAtMsrp: rule.floorAtMsrp,
    guard: rule.minMarginPercent === null ? '' : String(rule.minMarginPercent),
  };
}

/** The form as a policy body; numbers are sent as typed, so the server names what is wrong with them. */
function ruleOf(f: Form): unknown {
  const num = (text: string): number | string =>
    text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  const basis =
    f.basis === 'msrp'
      ? { kind: 'msrp' }
      : f.basis === 'markup'
        ? { kind: 'markup', factor: num(f.factor) }
        : { kind: 'margin', percent: num(f.percent) };
  return {
    basis,
    rounding: f.rounding,
    floorAtMsrp: f.floorAtMsrp,
    minMarginPercent: f.guard.trim() === '' ? null : num(f.guard),
  };
}

const roundings: Array<[PriceRule['rounding'], string]> = [
  ['none', 'No rounding'],
  ['.99', 'Up to .99'],
  ['.95', 'Up to .95'],
  ['.00', 'Up to .00'],
  ['nearest_0.05', 'To the nearest 0.05'],
];

/**
 * /connections/:id/pricing: the retail price new items get in this POS (MSRP, cost × markup or a target margin,
 * a price ending, the MSRP floor, a margin guard), versioned; a dry run over past orders before saving; whether
 * items Tradeloop created follow the brand's price; and how packed lines are stocked.
 */
export function PricingPage({ connectionId }: { connectionId: string }) {
  const [view, setView] = useState<PricingView | null>(null);
  const [connection, setConnection] = useState<Connection | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [problem, setProblem] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [dry, setDry] = useState<DryRun | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const ids = useId();

  const load = async (): Promise<void> => {
    try {
      const [v, c] = await Promise.all([
        api<PricingView>('GET', `/api/connections/${connectionId}/pricing`),
        api<ConnectionsResponse>('GET', '/api/connections'),
      ]);
      setView(v);
      setForm(formOf(v.policy.rule));
      setConnection(c.connections.find((x) => x.id === connectionId) ?? null);
    } catch (e) {
      setLoadError(messageOf(e));
    }
  };
  useEffect(() => void load(), [connectionId]);

  const failed = (e: unknown): void => {
    const fields: Record<string, string> = {};
    if (e instanceof ApiError && Array.isArray(e.details))
      for (const d of e.details as Array<{ path: string; message: string }>) fields[d.path] = d.message;
    setProblem({ message: messageOf(e), fields });
  };

  const run = async (what: string, action: () => Promise<void>): Promise<void> => {
    setBusy(what);
    setProblem(null);
    setSaved(null);
    try {
      await action();
    } catch (e) {
      failed(e);
    } finally {
      setBusy(null);
    }
  };

  if (loadError) return <ErrorState message={loadError} onRetry={() => void load()} />;
  if (!view || !form) return <Loading label="Loading the pricing policy…" />;
  const body = { rule: ruleOf(form), brands: view.policy.brands };
  const set = (change: Partial<Form>): void => {
    setForm({ ...form, ...change });
    setDry(null);
  };
  const fieldError = (path: string) =>
    problem?.fields[path] ? (
      <p className="field-error" id={`${ids}-${path}`}>
        {problem.fields[path]}
      </p>
    ) : null;

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

      <form
        className="panel policy-form"
        aria-labelledby={`${ids}-rule`}
        onSubmit={(e) => {
          e.preventDefault();
          void run('save', async () => {
            const v = await api<PricingView>('PUT', `/api/connections/${connectionId}/pricing`, { policy: body });
            setView(v);
            setSaved(`Saved as version ${v.version}. Plans made from now on use it.`);
          });
        }}
      >
        <h2 id={`${ids}-rule`}>Rule</h2>
        <fieldset className="choices">
          <legend>Price from</legend>
          {(
            [
              ['msrp', 'The brand’s MSRP, as sent'],
              ['markup', 'Cost × a markup'],
              ['margin', 'A target margin on the cost'],
            ] as Array<[Basis, string]>
          ).map(([kind, label]) => (
            <label key={kind} className="choice">
              <input type="radio" name="basis" checked={form.basis === kind} onChange={() => set({ basis: kind })} />{' '}
              {label}
            </label>
          ))}
        </fieldset>
        <div className="settings-row">
          {form.basis === 'markup' && (
            <div className="field">
              <label htmlFor={`${ids}-factor`}>Markup (cost ×)</label>
              <input
                id={`${ids}-factor`}
                inputMode="decimal"
                value={form.factor}
                aria-invalid={problem?.fields['rule.basis.factor'] ? true : undefined}
                aria-describedby={problem?.fields['rule.basis.factor'] ? `${ids}-rule.basis.factor` : undefined}
                onChange={(e) => set({ factor: e.target.value })}
              />
              {fieldError('rule.basis.factor')}
            </div>
          )}
          {form.basis === 'margin' && (
            <div className="field">
              <label htmlFor={`${ids}-percent`}>Margin (%)</label>
              <input
                id={`${ids}-percent`}
                inputMode="decimal"
                value={form.percent}
                aria-invalid={problem?.fields['rule.basis.percent'] ? true : undefined}
                onChange={(e) => set({ percent: e.target.value })}
              />
              {fieldError('rule.basis.percent')}
            </div>
          )}
          <div className="field">
            <label htmlFor={`${ids}-rounding`}>Rounding</label>
            <select
              id={`${ids}-rounding`}
              value={form.rounding}
              onChange={(e) => set({ rounding: e.target.value as PriceRule['rounding'] })}
            >
              {roundings.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-guard`}>Send to review below a margin of (%)</label>
            <input
              id={`${ids}-guard`}
              inputMode="decimal"
              placeholder="no guard"
              value={form.guard}
              aria-invalid={problem?.fields['rule.minMarginPercent'] ? true : undefined}
              onChange={(e) => set({ guard: e.target.value })}
            />
            {fieldError('rule.minMarginPercent')}
          </div>
        </div>
        <label className="checkbox-line">
          <input type="checkbox" checked={form.floorAtMsrp} onChange={(e) => set({ floorAtMsrp: e.target.checked })} />{' '}
          Never below the brand’s MSRP (MAP)
        </label>
        <p className="muted small">
          Endings round up, so the price never gives away the margin you asked for.
          {Object.keys(view.policy.brands).length > 0 &&
            ` ${plural(Object.keys(view.policy.brands).length, 'brand')} override part of the rule.`}
        </p>
        <div className="form-actions">
          <button
            type="button"
            className="secondary"
            disabled={busy !== null}
            onClick={() =>
              void run('dry', async () =>
                setDry(await api<DryRun>('POST', `/api/connections/${connectionId}/pricing/dry-run`, body)),
              )
            }
          >
            {busy === 'dry' ? 'Checking past orders…' : 'Dry run over past orders'}
          </button>
          <button type="submit" disabled={busy !== null}>
            {busy === 'save' ? 'Saving…' : `Save as version ${view.version + 1}`}
          </button>
        </div>
      </form>

      {dry && <DryRunTable dry={dry} />}
      <OwnershipAndPacks
        view={view}
        onSave={(change) =>
          run('settings', async () => {
            const v = await api<PricingView>('PUT', `/api/connections/${connectionId}/pricing`, change);
            setView(v);
            setSaved('Saved.');
          })
        }
      />
      {view.versions.length > 0 && (
        <section className="panel" aria-labelledby={`${ids}-versions`}>
          <h2 id={`${ids}-versions`}>Versions</h2>
          <ul className="plain-list">
            {view.versions.map((v) => (
              <li key={v.version}>
                Version {v.version} · saved {formatDateTime(v.createdAt)}
                {v.version === view.version ? ' · in force' : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}

function DryRunTable({ dry }: { dry: DryRun }) {
  const id = useId();
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>What would change</h2>
      <p className="muted">
        {plural(dry.items, 'item')} in the last {plural(dry.orders, 'order')}:{' '}
        {dry.changes.length === 0
          ? 'none would get another price.'
          : `${plural(dry.changes.length, 'item')} would get another price${
              dry.changes.some((c) => c.review) ? ' or go to review' : ''
            } than with ${dry.currentVersion === 0 ? 'the MSRP as sent' : `version ${dry.currentVersion}`}.`}
      </p>
      {dry.changes.length > 0 && (
        <div className="table-wrap">
          <table className="dry-run-table">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col" className="num">
                  Cost
                </th>
                <th scope="col" className="num">
                  MSRP
                </th>
                <th scope="col" className="num">
                  Now
                </th>
                <th scope="col" className="num">
                  Would be
                </th>
                <th scope="col">Rule</th>
              </tr>
            </thead>
            <tbody>
              {dry.changes.slice(0, 200).map((c) => (
                <tr key={`${c.brand}|${c.styleNumber}|${c.color}|${c.size}`}>
                  <th scope="row">
                    {c.styleNumber} · {c.color} · {c.size}
                    <div className="muted small">
                      {c.brand} · order {c.orderNumbers.join(', ')}
                    </div>
                  </th>
                  <td className="num">{formatMoney(c.cost)}</td>
                  <td className="num">{formatMoney(c.msrp)}</td>
                  <td className="num">{formatMoney(c.current)}</td>
                  <td className="num strong">{formatMoney(c.next)}</td>
                  <td>
                    {c.rule}
                    {c.review && <div className="warn-text small">{c.review}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function OwnershipAndPacks({
  view,
  onSave,
}: {
  view: PricingView;
  onSave: (change: { followBrandPrices?: boolean; casePacks?: PricingView['casePacks'] }) => void;
}) {
  const id = useId();
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>Items Tradeloop created, and packs</h2>
      <label className="checkbox-line">
        <input
          type="checkbox"
          checked={view.followBrandPrices}
          onChange={(e) => onSave({ followBrandPrices: e.target.checked })}
        />{' '}
        When the brand’s price changes, update the items Tradeloop created whose price nobody changed in the POS
      </label>
      <p className="muted small">
        A price, name, image or description changed in the POS is yours: no export ever changes it, and the review says
        so.
      </p>
      <div className="settings-row">
        <div className="field">
          <label htmlFor={`${id}-stock`}>Packed lines (units per pack above 1)</label>
          <select
            id={`${id}-stock`}
            value={view.casePacks.stock}
            onChange={(e) => onSave({ casePacks: { ...view.casePacks, stock: e.target.value as 'units' | 'packs' } })}
          >
            <option value="units">Stock units: packs × units, cost ÷ units</option>
            <option value="packs">Stock packs: one item per pack</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-price`}>A pack line’s price is the price of</label>
          <select
            id={`${id}-price`}
            value={view.casePacks.packPriceIs}
            onChange={(e) =>
              onSave({ casePacks: { ...view.casePacks, packPriceIs: e.target.value as 'pack' | 'unit' } })
            }
          >
            <option value="pack">The whole pack</option>
            <option value="unit">One unit</option>
          </select>
        </div>
      </div>
      <p className="muted small">
        NuORDER does not say whether a pack line’s price is per pack or per unit; check one invoice from the brand.
      </p>
    </section>
  );
}
