import { useId } from 'react';
import type { PriceRule } from '../../merchant-types.ts';

export type Overrides = Record<string, Partial<PriceRule>>;

/**
 * Per-brand markups over the connection's rule: a brand with its own factor is priced cost × that factor (the
 * rule's rounding, floor and guard still apply). Other per-brand fields set through the API are kept as they are.
 */
export function BrandOverrides({
  brands,
  overrides,
  fieldErrors,
  onChange,
}: {
  brands: Array<{ sourceId: string; name: string }>;
  overrides: Overrides;
  fieldErrors: Record<string, string>;
  onChange: (next: Overrides) => void;
}) {
  const id = useId();
  if (brands.length === 0) return null;
  const factorOf = (o: Partial<PriceRule> | undefined): string =>
    o?.basis?.kind === 'markup' ? String(o.basis.factor) : '';
  const set = (brandId: string, text: string): void => {
    const next = { ...overrides };
    const { basis: _basis, ...rest } = next[brandId] ?? {};
    const trimmed = text.trim();
    if (trimmed === '') {
      if (Object.keys(rest).length === 0) delete next[brandId];
      else next[brandId] = rest;
    } else {
      const factor = Number.isFinite(Number(trimmed)) ? Number(trimmed) : (trimmed as unknown as number);
      next[brandId] = { ...rest, basis: { kind: 'markup', factor } };
    }
    onChange(next);
  };
  return (
    <fieldset className="brand-overrides">
      <legend id={id}>Per brand (blank: the rule above)</legend>
      {brands.map((b) => {
        const path = `brands.${b.sourceId}.basis.factor`;
        const inputId = `${id}-${b.sourceId}`;
        return (
          <div className="field" key={b.sourceId}>
            <label htmlFor={inputId}>Markup for {b.name} (cost ×)</label>
            <input
              id={inputId}
              inputMode="decimal"
              placeholder="the rule's"
              value={factorOf(overrides[b.sourceId])}
              aria-invalid={fieldErrors[path] ? true : undefined}
              onChange={(e) => set(b.sourceId, e.target.value)}
            />
            {fieldErrors[path] && <p className="field-error">{fieldErrors[path]}</p>}
          </div>
        );
      })}
    </fieldset>
  );
}
