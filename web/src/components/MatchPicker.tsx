import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, messageOf } from '../api.ts';
import { formatMoney, gtinProblemText, reasonText, upcText } from '../format.ts';
import type { ItemDetail, OverrideAction, PlanLine } from '../types.ts';
import { Badge } from './ui.tsx';

/**
 * The "UPC match in POS" picker for one size: the POS items that carry its UPC (or any item the buyer
 * finds by name, SKU or UPC) with their details, plus "Create new item". Nothing is guessed: the buyer
 * chooses, and the plan is recomputed.
 */
export function MatchPicker({
  line,
  connectionId,
  candidates,
  onChoose,
  onCancel,
}: {
  line: PlanLine;
  connectionId: string;
  candidates: ItemDetail[];
  onChoose: (action: OverrideAction) => Promise<void>;
  onCancel: () => void;
}) {
  const id = useId();
  const [found, setFound] = useState<ItemDetail[]>([]);
  const [query, setQuery] = useState('');
  const [searching, setSearching] = useState(false);
  const [searchNote, setSearchNote] = useState<string | null>(null);
  const current =
    line.decision.kind === 'confirmed' || line.decision.kind === 'upc_match' || line.decision.kind === 'linked_by_buyer'
      ? line.decision.posItemId
      : line.decision.kind === 'new_item'
        ? 'new'
        : '';
  const [choice, setChoice] = useState<string>(current);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const firstRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  // It opens under its size, possibly below the fold: bring all of it into view (the page's scroll padding
  // keeps it above the sticky export bar), then put the focus on the first choice without scrolling again.
  useEffect(() => {
    const form = formRef.current;
    if (form) {
      const covered = parseFloat(getComputedStyle(document.documentElement).scrollPaddingBottom) || 0;
      const room = window.innerHeight - covered - 16;
      form.scrollIntoView({ block: form.getBoundingClientRect().height > room ? 'start' : 'nearest' });
    }
    firstRef.current?.focus({ preventScroll: true });
  }, []);

  const options = [...candidates, ...found.filter((f) => !candidates.some((c) => c.posItemId === f.posItemId))];
  const firstEnabled = options.findIndex((o) => !o.archived);
  const d = line.decision;
  const why =
    d.kind === 'needs_review'
      ? d.reason === 'malformed_upc'
        ? `The UPC the brand sent (${line.rawUpc ?? ''}) is not a valid barcode: ${gtinProblemText(d.gtinProblem)}. Pick the POS item it is, or create a new item.`
        : reasonText[d.reason]
      : 'Choose another POS item for this size, or create a new item instead.';

  const search = async (): Promise<void> => {
    if (!query.trim()) return;
    setSearching(true);
    setSearchNote(null);
    try {
      const r = await api<{ items: ItemDetail[] }>(
        'GET',
        `/api/connections/${connectionId}/catalog?q=${encodeURIComponent(query.trim())}&limit=10`,
      );
      setFound(r.items);
      setSearchNote(
        r.items.length
          ? `${r.items.length} item${r.items.length === 1 ? '' : 's'} found, added to the list above.`
          : 'No POS item matches that search.',
      );
    } catch (e) {
      setSearchNote(messageOf(e));
    } finally {
      setSearching(false);
    }
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!choice) {
      setError('Choose a POS item or “Create new item” first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onChoose(choice === 'new' ? { kind: 'create_new' } : { kind: 'link', posItemId: choice });
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  const upc = line.gtin14 || line.rawUpc ? upcText(line.rawUpc, line.gtin14) : null;
  return (
    <form
      ref={formRef}
      className="picker"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <fieldset>
        <legend>
          UPC match in POS for {line.name} / {line.color} / {line.size}
          {upc ? ` · UPC ${upc}` : ' · no UPC'}
        </legend>
        <p className="picker-why">{why}</p>
        <ul className="options">
          {options.length === 0 && (
            <li className="muted small">
              No POS item carries this UPC. Search the catalog below, or create a new item.
            </li>
          )}
          {options.map((c, i) => {
            const disabled = c.archived;
            const optionId = `${id}-opt-${i}`;
            return (
              <li key={c.posItemId} className={disabled ? 'option disabled' : 'option'}>
                <input
                  ref={i === firstEnabled ? firstRef : undefined}
                  type="radio"
                  name={`${id}-choice`}
                  id={optionId}
                  value={c.posItemId}
                  checked={choice === c.posItemId}
                  disabled={disabled}
                  onChange={() => setChoice(c.posItemId)}
                  aria-describedby={`${optionId}-details`}
                />
                <label htmlFor={optionId}>
                  <span className="option-title">
                    {c.name} {c.archived && <Badge tone="muted">Archived</Badge>}
                    {c.posItemId === current && <Badge tone="ok">Current match</Badge>}
                  </span>
                  <span className="option-details" id={`${optionId}-details`}>
                    SKU {c.sku ?? '—'} · UPC {c.gtins.length ? c.gtins.map((g) => upcText(null, g)).join(', ') : 'none'}{' '}
                    · {c.familySize > 1 ? `one of ${c.familySize} items in its POS product` : 'a standalone item'}
                    {c.linkedVariants.length > 0 &&
                      ` · already linked to ${c.linkedVariants.length} wholesale size${c.linkedVariants.length === 1 ? '' : 's'}`}
                    {disabled && ' · archived items cannot receive stock'}
                  </span>
                </label>
              </li>
            );
          })}
          <li className="option option-new">
            <input
              ref={firstEnabled === -1 ? firstRef : undefined}
              type="radio"
              name={`${id}-choice`}
              id={`${id}-new`}
              value="new"
              checked={choice === 'new'}
              onChange={() => setChoice('new')}
              aria-describedby={`${id}-new-details`}
            />
            <label htmlFor={`${id}-new`}>
              <span className="option-title">Create new item</span>
              <span className="option-details" id={`${id}-new-details`}>
                A new draft item “{line.name} / {line.color} / {line.size}”{' '}
                {upc && line.gtin14 ? `with UPC ${upc}` : 'without a UPC'}, cost {formatMoney(line.unitCost)}
                {line.retailPrice ? `, retail ${formatMoney(line.retailPrice)}` : ''}.
              </span>
            </label>
          </li>
        </ul>
        <div className="picker-search">
          <label htmlFor={`${id}-search`}>Find another POS item</label>
          <input
            id={`${id}-search`}
            type="search"
            placeholder="Name, SKU or UPC"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void search();
              }
            }}
          />
          <button type="button" className="secondary small" onClick={() => void search()} disabled={searching}>
            {searching ? 'Searching…' : 'Search'}
          </button>
          {searchNote && (
            <span className="muted small" role="status">
              {searchNote}
            </span>
          )}
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Use this choice'}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </fieldset>
    </form>
  );
}
