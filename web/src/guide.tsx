import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
  type RefObject,
} from 'react';
import type { GuideState } from '../../src/http/api-types.ts';
import { api } from './api.ts';
import { steps, type Step } from './guide-steps.ts';
import { navigate, usePath } from './router.ts';
import type { ConnectionsResponse } from './types.ts';

/**
 * The getting-started guide: a short, contextual walk through linking NuORDER, linking a POS and running
 * the first export. It opens on a person's first sign-in, can be closed at any time, and is resumed from
 * the Help menu at the step where it was left. Each step highlights the real control it talks about.
 *
 * It never covers a control: on a wide window it is a column on the right and the page narrows to make room;
 * on a narrower one it is a card at the top of the page, in the flow (styles/guide.css). "Hide" folds it into a
 * button in the top bar, remembered in this browser.
 */
interface GuideApi {
  open(): void;
  report(event: 'export-started'): void;
}

interface PillState {
  /** The guide is active but hidden: the top bar shows a button to bring it back. */
  hidden: { index: number; title: string } | null;
  show(): void;
}

interface PanelState {
  index: number;
  path: string;
  save: (s: Partial<GuideState>) => void;
  onHide: () => void;
  focusRequest: number;
}

const Ctx = createContext<GuideApi>({ open: () => undefined, report: () => undefined });
const PillCtx = createContext<PillState>({ hidden: null, show: () => undefined });
const PanelCtx = createContext<PanelState | null>(null);

export function useGuide(): GuideApi {
  return useContext(Ctx);
}

/** "Hide" is how this screen shows the guide, so it is kept per person in this browser. */
function hiddenKey(userId: string): string {
  return `tradeloop.guide.hidden.${userId}`;
}

function readHidden(userId: string): boolean {
  try {
    return localStorage.getItem(hiddenKey(userId)) === '1';
  } catch {
    return false;
  }
}

function writeHidden(userId: string, hidden: boolean): void {
  try {
    if (hidden) localStorage.setItem(hiddenKey(userId), '1');
    else localStorage.removeItem(hiddenKey(userId));
  } catch {
    // private browsing: Hide lasts until the next reload
  }
}

export function GuideProvider({ userId, children }: { userId: string; children: ReactNode }) {
  const path = usePath();
  const [state, setState] = useState<GuideState | null>(null);
  const [linked, setLinked] = useState<{ nuorder: boolean; pos: boolean } | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const [hidden, setHiddenState] = useState(() => readHidden(userId));

  const setHidden = useCallback(
    (value: boolean) => {
      writeHidden(userId, value);
      setHiddenState(value);
    },
    [userId],
  );

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
          pos: live.some((c) => c.kind === 'pos'),
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

  const guideApi = useMemo<GuideApi>(
    () => ({
      open: () => {
        setHidden(false);
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
    [setHidden],
  );

  // Settings pages are not part of the journey the guide walks through: it stays out of their way.
  const shown = active && state !== null && !path.startsWith('/settings');
  const index = Math.max(0, Math.min(steps.length - 1, state?.step ?? 0));
  const pill = useMemo<PillState>(
    () => ({
      hidden: shown && hidden ? { index, title: (steps[index] as Step).title } : null,
      show: () => {
        setHidden(false);
        setFocusRequest((n) => n + 1);
      },
    }),
    [shown, hidden, index, setHidden],
  );

  const panel = useMemo<PanelState | null>(
    () => (shown && !hidden ? { index, path, save, onHide: () => setHidden(true), focusRequest } : null),
    [shown, hidden, index, path, save, setHidden, focusRequest],
  );

  return (
    <Ctx.Provider value={guideApi}>
      <PillCtx.Provider value={pill}>
        <PanelCtx.Provider value={panel}>{children}</PanelCtx.Provider>
      </PillCtx.Provider>
    </Ctx.Provider>
  );
}

/** Where the open guide lives: first in the page's main content (the shell places it), see the file's note. */
export function GuideDock() {
  const panel = useContext(PanelCtx);
  return panel ? <GuidePanel {...panel} /> : null;
}

/** The hidden guide, as a button in the top bar: it brings the guide back at its step. */
export function GuidePill() {
  const { hidden, show } = useContext(PillCtx);
  if (!hidden) return null;
  return (
    <button
      type="button"
      className="guide-pill"
      onClick={show}
      aria-label={`Show the getting-started guide (step ${hidden.index + 1} of ${steps.length}: ${hidden.title})`}
    >
      Guide · step {hidden.index + 1} of {steps.length}
    </button>
  );
}

/**
 * Marks the control a step talks about (it may appear after the page loads). Beside the page, the guide also
 * brings it into view once; as a card at the top of the page it leaves the page where it is, so its words stay
 * in view.
 */
function useHighlight(
  target: string | null,
  onPage: boolean,
  path: string,
  panel: RefObject<HTMLElement | null>,
): void {
  useEffect(() => {
    if (!target || !onPage) return;
    let highlighted: Element | null = null;
    let scrolled = false;
    const mark = (): void => {
      const el = document.querySelector(`[data-guide="${target}"]`);
      if (el === highlighted) return;
      highlighted?.classList.remove('guide-target');
      highlighted = el;
      el?.classList.add('guide-target');
      if (el && !scrolled) {
        scrolled = true;
        const beside = panel.current !== null && getComputedStyle(panel.current).position === 'fixed';
        if (beside) el.scrollIntoView({ block: 'nearest' });
      }
    };
    mark();
    const timer = setInterval(mark, 300);
    return () => {
      clearInterval(timer);
      highlighted?.classList.remove('guide-target');
    };
  }, [target, onPage, path, panel]);
}

/** While the guide is open the page makes room for it (a wide window's right column, styles/guide.css). */
function useReservedSpace(): void {
  useLayoutEffect(() => {
    const root = document.documentElement;
    root.classList.add('guide-open');
    return () => root.classList.remove('guide-open');
  }, []);
}

function GuidePanel({ index, path, save, onHide, focusRequest }: PanelState) {
  const step = steps[index] as Step;
  const titleId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const onPage = step.page === null || path.startsWith(step.page);

  useEffect(() => {
    if (focusRequest > 0) headingRef.current?.focus();
  }, [focusRequest]);
  useHighlight(step.target, onPage, path, panelRef);
  useReservedSpace();

  const last = index === steps.length - 1;
  return (
    <aside ref={panelRef} className="guide" role="dialog" aria-modal="false" aria-labelledby={titleId}>
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
        <span className="guide-links">
          <button type="button" className="link" onClick={onHide}>
            Hide
          </button>
          <button type="button" className="link" onClick={() => save({ dismissed: true })}>
            Close guide
          </button>
        </span>
      </div>
    </aside>
  );
}
