import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { api } from './api.ts';
import { navigate, usePath } from './router.ts';
import type { ConnectionsResponse } from './types.ts';

/**
 * The getting-started guide: a short, contextual walk through linking NuORDER, linking a POS and running
 * the first export. It opens on a person's first sign-in, can be closed at any time, and is resumed from
 * the Help menu at the step where it was left. Each step highlights the real control it talks about
 * (elements marked `data-guide="…"`).
 */
interface Step {
  title: string;
  body: string;
  /** The page the step is about; the guide offers to go there. */
  page: string | null;
  pageName?: string;
  /** Where to go when `page` is a family of pages (a plan). */
  goTo?: string;
  target: string | null;
  /** Where the panel sits: beside the control (default), or above it (controls at the bottom of the screen). */
  place?: 'side' | 'above-left';
}

const steps: Step[] = [
  {
    title: 'Welcome to Tradeloop',
    body: 'Tradeloop brings approved NuORDER orders into your Lightspeed point of sale as purchase orders, matching every product by its UPC. Three steps get you there: link NuORDER, link your POS, export an order.',
    page: null,
    target: null,
  },
  {
    title: 'Link NuORDER',
    body: 'Press “Link NuORDER”, name the brand portal and continue. NuORDER asks you to choose that brand portal and approve Tradeloop, then brings you back here.',
    page: '/connections',
    pageName: 'Connections',
    target: 'link-nuorder',
  },
  {
    title: 'Link your point of sale',
    body: 'Press “Link X-Series” or “Link R-Series” and allow access on the Lightspeed page. Tradeloop then reads your catalog, so it can match products by UPC.',
    page: '/connections',
    pageName: 'Connections',
    target: 'link-pos',
  },
  {
    title: 'Review an export',
    body: 'Your approved orders are listed with their POS-sync status. Press “Export” on an order (or tick several and export them together). Nothing is written to the POS until you confirm.',
    page: '/orders',
    pageName: 'Orders',
    target: 'order-export',
  },
  {
    title: 'Resolve, then export',
    body: 'Sizes under “Needs review” need your decision: pick the POS item with the same UPC, or create a new item. When nothing needs review, press the Export button at the bottom.',
    page: '/plans/',
    goTo: '/orders',
    pageName: 'Orders',
    target: 'export-button',
    place: 'above-left',
  },
  {
    title: 'Follow it through',
    body: 'Progress shows each step. When it finishes you get a notification and a summary; “View purchase orders” shows the PO as your POS has it, tagged “Synced from NuORDER”. Reopen this guide any time from Help.',
    page: null,
    target: null,
  },
];

interface GuideState {
  step: number;
  dismissed: boolean;
  completed: boolean;
  seen: boolean;
}

interface GuideApi {
  open(): void;
  report(event: 'export-started'): void;
}

const Ctx = createContext<GuideApi>({ open: () => undefined, report: () => undefined });

export function useGuide(): GuideApi {
  return useContext(Ctx);
}

export function GuideProvider({ children }: { children: ReactNode }) {
  const path = usePath();
  const [state, setState] = useState<GuideState | null>(null);
  const [linked, setLinked] = useState<{ nuorder: boolean; pos: boolean } | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);

  const save = useCallback((next: Partial<GuideState>) => {
    setState((previous) => (previous ? { ...previous, ...next, seen: true } : previous));
    void api('PUT', '/api/web/guide', next).catch(() => undefined);
  }, []);

  useEffect(() => {
    void api<GuideState>('GET', '/api/web/guide')
      .then((s) => {
        setState(s);
        if (!s.seen) void api('PUT', '/api/web/guide', { step: s.step }).catch(() => undefined);
      })
      .catch(() => setState(null));
  }, []);

  const active = state !== null && !state.dismissed && !state.completed;

  // What is linked decides where the guide stands; re-read on every page change while it is open.
  useEffect(() => {
    if (!active) return;
    void api<ConnectionsResponse>('GET', '/api/connections')
      .then((r) => {
        const live = r.connections.filter((c) => c.status === 'linked');
        setLinked({
          nuorder: live.some((c) => c.system === 'nuorder'),
          pos: live.some((c) => c.system === 'lightspeed-x' || c.system === 'lightspeed-r'),
        });
      })
      .catch(() => undefined);
  }, [active, path]);

  useEffect(() => {
    if (!active || !state || !linked) return;
    let step = state.step;
    if (step === 1 && linked.nuorder) step = 2;
    if (step === 2 && linked.pos && linked.nuorder) step = 3;
    if (step === 3 && path.startsWith('/plans/')) step = 4;
    if (step !== state.step) save({ step });
  }, [active, state, linked, path, save]);

  const api_ = useMemo<GuideApi>(
    () => ({
      open: () => {
        setState((previous) => {
          const next = {
            step: previous && !previous.completed ? previous.step : 0,
            dismissed: false,
            completed: false,
            seen: true,
          };
          void api('PUT', '/api/web/guide', next).catch(() => undefined);
          return next;
        });
        setFocusRequest((n) => n + 1);
      },
      report: (event) => {
        if (event === 'export-started')
          setState((previous) => {
            if (!previous || previous.dismissed || previous.completed || previous.step >= 5) return previous;
            void api('PUT', '/api/web/guide', { step: 5 }).catch(() => undefined);
            return { ...previous, step: 5 };
          });
      },
    }),
    [],
  );

  return (
    <Ctx.Provider value={api_}>
      {/* Settings pages are not part of the journey the guide walks through: it stays out of their way. */}
      {active && state && !path.startsWith('/settings') && (
        <GuidePanel state={state} path={path} save={save} focusRequest={focusRequest} />
      )}
      {children}
    </Ctx.Provider>
  );
}

function GuidePanel({
  state,
  path,
  save,
  focusRequest,
}: {
  state: GuideState;
  path: string;
  save: (s: Partial<GuideState>) => void;
  focusRequest: number;
}) {
  const index = Math.max(0, Math.min(steps.length - 1, state.step));
  const step = steps[index] as Step;
  const titleId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const onPage = step.page === null || path.startsWith(step.page);

  useEffect(() => {
    if (focusRequest > 0) headingRef.current?.focus();
  }, [focusRequest]);

  const panelRef = useRef<HTMLElement>(null);
  const [minimized, setMinimized] = useState(false);
  const [placement, setPlacement] = useState<{ top: number; left: number } | null>(null);

  useEffect(() => {
    document.body.classList.add('guide-open');
    return () => document.body.classList.remove('guide-open');
  }, []);

  // Highlight the control the step talks about (it may appear after the page loads) and sit next to it.
  useEffect(() => {
    setPlacement(null);
    if (!step.target || !onPage) return;
    let highlighted: Element | null = null;
    let scrolled = false;
    const place = (): void => {
      const el = document.querySelector(`[data-guide="${step.target}"]`);
      if (el !== highlighted) {
        highlighted?.classList.remove('guide-target');
        highlighted = el;
        el?.classList.add('guide-target');
        if (el && !scrolled) {
          scrolled = true;
          el.scrollIntoView({ block: 'center' });
        }
      }
      const panel = panelRef.current;
      if (!el || !panel) {
        setPlacement(null);
        return;
      }
      const r = el.getBoundingClientRect();
      const vw = window.innerWidth;
      const vh = window.innerHeight;
      if (r.bottom < 0 || r.top > vh) {
        setPlacement(null);
        return;
      }
      const ph = panel.offsetHeight;
      const pw = panel.offsetWidth;
      const gap = 16;
      const clampTop = (t: number): number => Math.min(Math.max(8, t), vh - ph - 8);
      let next: { top: number; left: number } | null = null;
      if (step.place === 'above-left') {
        // A control in a bar at the bottom: sit above the bar, on the left, clear of the row actions.
        if (r.top - gap - ph >= 8) next = { top: r.top - gap - ph, left: 16 };
      } else if (vw - r.right >= pw + gap + 8) next = { top: clampTop(r.top - 8), left: r.right + gap };
      else if (r.left >= pw + gap + 8) next = { top: clampTop(r.top - 8), left: r.left - gap - pw };
      else {
        const left = Math.min(Math.max(8, r.right - pw), vw - pw - 8);
        if (r.bottom + gap + ph <= vh - 8) next = { top: r.bottom + gap, left };
        else if (r.top - gap - ph >= 8) next = { top: r.top - gap - ph, left };
      }
      setPlacement((p) =>
        next === null ? null : p && Math.abs(p.top - next.top) < 1 && Math.abs(p.left - next.left) < 1 ? p : next,
      );
    };
    place();
    const timer = setInterval(place, 300);
    window.addEventListener('scroll', place, { passive: true });
    window.addEventListener('resize', place);
    return () => {
      clearInterval(timer);
      window.removeEventListener('scroll', place);
      window.removeEventListener('resize', place);
      highlighted?.classList.remove('guide-target');
    };
  }, [step.target, step.place, onPage, path]);

  const last = index === steps.length - 1;
  if (minimized) {
    return (
      <button
        type="button"
        className="guide-pill"
        onClick={() => setMinimized(false)}
        aria-label={`Show the getting-started guide (step ${index + 1} of ${steps.length}: ${step.title})`}
      >
        Guide · step {index + 1} of {steps.length}
      </button>
    );
  }
  return (
    <aside
      ref={panelRef}
      className={`guide ${placement ? 'guide-anchored' : ''}`}
      style={placement ? { top: placement.top, left: placement.left, right: 'auto', bottom: 'auto' } : undefined}
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
    >
      <p className="guide-step">
        Getting started · step {index + 1} of {steps.length}
      </p>
      <h2 id={titleId} ref={headingRef} tabIndex={-1}>
        {step.title}
      </h2>
      <p>{step.body}</p>
      {step.target && onPage && <p className="guide-hint">The highlighted control on this page is the one to use.</p>}
      <div className="guide-actions">
        {index > 0 && (
          <button type="button" className="secondary" onClick={() => save({ step: index - 1 })}>
            Back
          </button>
        )}
        {!onPage && step.page && (
          <button type="button" onClick={() => navigate(step.goTo ?? step.page ?? '/')}>
            Go to {step.pageName}
          </button>
        )}
        {(onPage || !step.page) && !last && (
          <button type="button" onClick={() => save({ step: index + 1 })}>
            {index === 0 ? 'Start' : 'Next'}
          </button>
        )}
        {last && (
          <button type="button" onClick={() => save({ completed: true })}>
            Finish
          </button>
        )}
        <button type="button" className="link guide-close" onClick={() => setMinimized(true)}>
          Hide
        </button>
        <button type="button" className="link" onClick={() => save({ dismissed: true })}>
          Close guide
        </button>
      </div>
    </aside>
  );
}
