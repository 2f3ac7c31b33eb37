import { useEffect, useId, useRef, type ReactNode } from 'react';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="state-loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function ErrorState({
  message,
  onRetry,
  title = 'This could not be loaded',
}: {
  message: string;
  onRetry?: () => void;
  title?: string;
}) {
  return (
    <div className="state-error" role="alert">
      <p>
        <strong>{title}.</strong> {message}
      </p>
      {onRetry && (
        <button type="button" className="secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/**
 * A page whose record does not exist (a wrong or old link): it says so and leads back. No "Try again":
 * asking again cannot make it exist.
 */
export function NotFound({ title, children, back }: { title: string; children: ReactNode; back: ReactNode }) {
  return (
    <section aria-labelledby="page-title" className="not-found">
      <h1 id="page-title">{title}</h1>
      <p>{children}</p>
      <p>{back}</p>
    </section>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

export type Tone = 'ok' | 'info' | 'new' | 'warn' | 'danger' | 'muted';

export function Badge({ tone = 'muted', children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function Banner({
  tone,
  children,
  onDismiss,
  role,
}: {
  tone: 'ok' | 'info' | 'warn' | 'danger';
  children: ReactNode;
  onDismiss?: () => void;
  role?: 'alert' | 'status';
}) {
  return (
    <div className={`banner banner-${tone}`} role={role ?? (tone === 'danger' || tone === 'warn' ? 'alert' : 'status')}>
      <div className="banner-body">{children}</div>
      {onDismiss && (
        <button type="button" className="icon-button" aria-label="Dismiss message" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}

/**
 * A modal confirmation on the native <dialog>: focus moves into it, Tab stays inside, Escape cancels.
 * `confirmLabel` names the action ("Unlink"), never just "OK".
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel?: string;
  busy?: boolean;
  danger?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      <div className="dialog-body">{props.children}</div>
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={props.onCancel} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className={props.danger ? 'danger' : undefined}
          disabled={props.busy}
          onClick={props.onConfirm}
        >
          {props.busy ? (props.busyLabel ?? 'Working…') : props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

export interface TabSpec {
  id: string;
  label: string;
  count?: number;
}

/** WAI-ARIA tabs: arrow keys move between tabs, Home/End jump, the panel follows the selected tab. */
export function Tabs({
  tabs,
  selected,
  onSelect,
  label,
  children,
}: {
  tabs: TabSpec[];
  selected: string;
  onSelect: (id: string) => void;
  label: string;
  children: ReactNode;
}) {
  const base = useId();
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const move = (index: number): void => {
    const tab = tabs[(index + tabs.length) % tabs.length];
    if (!tab) return;
    onSelect(tab.id);
    refs.current[tab.id]?.focus();
  };
  const current = tabs.findIndex((t) => t.id === selected);
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tablist">
        {tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${t.id}`}
            aria-selected={t.id === selected}
            aria-controls={`${base}-panel`}
            tabIndex={t.id === selected ? 0 : -1}
            className="tab"
            onClick={() => onSelect(t.id)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight') move(i + 1);
              else if (e.key === 'ArrowLeft') move(i - 1);
              else if (e.key === 'Home') move(0);
              else if (e.key === 'End') move(tabs.length - 1);
              else return;
              e.preventDefault();
            }}
          >
            {t.label}
            {t.count !== undefined && <span className="tab-count">{t.count}</span>}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${base}-panel`}
        aria-labelledby={`${base}-tab-${tabs[current]?.id ?? ''}`}
        tabIndex={0}
        className="tabpanel"
      >
        {children}
      </div>
    </div>
  );
}

export function Meter({ ratio, label }: { ratio: number | null; label: string }) {
  if (ratio === null) return null;
  const pct = Math.round(Math.max(0, Math.min(1, ratio)) * 100);
  return (
    <span
      className={`meter ${pct < 15 ? 'meter-low' : pct < 40 ? 'meter-mid' : ''}`}
      role="meter"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      aria-label={label}
    >
      <span className="meter-fill" style={{ width: `${pct}%` }} />
    </span>
  );
}
