import { useId, type ReactNode } from 'react';
import type { PriceRule } from '../../merchant-types.ts';

/** The pricing rule's form: price from, markup or margin, rounding, the MSRP floor and the margin guard. */

type Basis = PriceRule['basis']['kind'];

export interface Form {
  basis: Basis;
  factor: string;
  percent: string;
  rounding: PriceRule['rounding'];
  floorAtMsrp: boolean;
  guard: string;
}

export function formOf(rule: PriceRule): Form {
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
export function ruleOf(f: Form): unknown {
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

export function PolicyForm({
  form,
  fieldErrors,
  busy,
  nextVersion,
  perBrand,
  onChange,
  onDryRun,
  onSave,
}: {
  form: Form;
  fieldErrors: Record<string, string>;
  busy: string | null;
  nextVersion: number;
  /** The per-brand part of the form. */
  perBrand: ReactNode;
  onChange: (change: Partial<Form>) => void;
  onDryRun: () => void;
  onSave: () => void;
}) {
  const ids = useId();
  const fieldError = (path: string) =>
    fieldErrors[path] ? (
      <p className="field-error" id={`${ids}-${path}`}>
        {fieldErrors[path]}
      </p>
    ) : null;
  const invalid = (path: string) =>
    fieldErrors[path] ? { 'aria-invalid': true as const, 'aria-describedby': `${ids}-${path}` } : {};
  return (
    <form
      className="panel policy-form"
      aria-labelledby={`${ids}-rule`}
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
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
            <input type="radio" name="basis" checked={form.basis === kind} onChange={() => onChange({ basis: kind })} />{' '}
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
              {...invalid('rule.basis.factor')}
              onChange={(e) => onChange({ factor: e.target.value })}
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
              {...invalid('rule.basis.percent')}
              onChange={(e) => onChange({ percent: e.target.value })}
            />
            {fieldError('rule.basis.percent')}
          </div>
        )}
        <div className="field">
          <label htmlFor={`${ids}-rounding`}>Rounding</label>
          <select
            id={`${ids}-rounding`}
            value={form.rounding}
            onChange={(e) => onChange({ rounding: e.target.value as PriceRule['rounding'] })}
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
            {...invalid('rule.minMarginPercent')}
            onChange={(e) => onChange({ guard: e.target.value })}
          />
          {fieldError('rule.minMarginPercent')}
        </div>
      </div>
      <label className="checkbox-line">
        <input
          type="checkbox"
          checked={form.floorAtMsrp}
          onChange={(e) => onChange({ floorAtMsrp: e.target.checked })}
        />{' '}
        Never below the brand’s MSRP (MAP)
      </label>
      <p className="muted small">Endings round up, so the price never gives away the margin you asked for.</p>
      {perBrand}
      <div className="form-actions">
        <button type="button" className="secondary" disabled={busy !== null} onClick={onDryRun}>
          {busy === 'dry' ? 'Checking past orders…' : 'Dry run over past orders'}
        </button>
        <button type="submit" disabled={busy !== null}>
          {busy === 'save' ? 'Saving…' : `Save as version ${nextVersion}`}
        </button>
      </div>
    </form>
  );
}
