import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, plainReason } from './api.ts';
import { Link } from './router.ts';
import type { Progress } from './types.ts';

export interface Toast {
  id: number;
  tone: 'ok' | 'danger' | 'info';
  title: string;
  body?: string;
  link?: { to: string; label: string };
}

interface NotificationsApi {
  notify(toast: Omit<Toast, 'id'>): void;
  /** Follow an export until it finishes, wherever the buyer goes meanwhile (survives a reload). */
  watchExport(planId: string, label: string): void;
}

const Ctx = createContext<NotificationsApi>({ notify: () => undefined, watchExport: () => undefined });

export function useNotifications(): NotificationsApi {
  return useContext(Ctx);
}

const storageKey = 'tradeloop.watchedExports';

interface Watched {
  planId: string;
  label: string;
  since: number;
}

function readWatched(): Watched[] {
  try {
    const list = JSON.parse(localStorage.getItem(storageKey) ?? '[]') as Watched[];
    // A watch older than a day is stale (the export finished while nobody looked).
    return Array.isArray(list)
      ? list.filter((w) => typeof w.planId === 'string' && Date.now() - w.since < 86_400_000)
      : [];
  } catch {
    return [];
  }
}

function writeWatched(list: Watched[]): void {
  try {
    localStorage.setItem(storageKey, JSON.stringify(list));
  } catch {
    // private mode: watching still works until the page is closed
  }
}

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [watched, setWatched] = useState<Watched[]>(readWatched);
  const nextId = useRef(1);

  const notify = useCallback((toast: Omit<Toast, 'id'>) => {
    const id = nextId.current++;
    setToasts((list) => [...list.slice(-3), { ...toast, id }]);
    // Good news fades after a while; a failure stays until the buyer dismisses it.
    if (toast.tone !== 'danger') setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), 10_000);
  }, []);

  const watchExport = useCallback((planId: string, label: string) => {
    setWatched((list) => {
      const next = [...list.filter((w) => w.planId !== planId), { planId, label, since: Date.now() }];
      writeWatched(next);
      return next;
    });
  }, []);

  const watchedRef = useRef(watched);
  watchedRef.current = watched;

  useEffect(() => {
    if (watched.length === 0) return;
    let stopped = false;
    const check = async (): Promise<void> => {
      for (const w of watchedRef.current) {
        let progress: Progress;
        try {
          progress = await api<Progress>('GET', `/api/plans/${w.planId}/progress`);
        } catch {
          continue;
        }
        if (stopped) return;
        const running = progress.state === 'applying' || progress.exports.some((e) => e.state === 'in_progress');
        if (running || progress.exports.length === 0) continue;
        const failed = progress.exports.filter((e) => e.state === 'failed');
        const done = progress.exports.filter((e) => e.state === 'exported');
        if (failed.length > 0) {
          notify({
            tone: 'danger',
            title: `Export of ${w.label} failed`,
            body: plainReason(failed[0]?.failure?.message),
            link: { to: `/plans/${w.planId}`, label: 'Open the export' },
          });
        } else {
          const lines = done.reduce((n, e) => n + (e.summary?.linesSynced ?? 0), 0);
          notify({
            tone: 'ok',
            title: `Export of ${w.label} finished`,
            body: `${done.length === 1 ? `Purchase order ${done[0]?.poNumber ?? ''}` : `${done.length} purchase orders`} created in the POS, ${lines} line${lines === 1 ? '' : 's'} synced.`,
            link: { to: `/plans/${w.planId}`, label: 'See the summary' },
          });
        }
        setWatched((list) => {
          const next = list.filter((x) => x.planId !== w.planId);
          writeWatched(next);
          return next;
        });
      }
    };
    const timer = setInterval(() => void check(), 1500);
    void check();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [watched.length, notify]);

  const value = useMemo(() => ({ notify, watchExport }), [notify, watchExport]);

  return (
    <Ctx.Provider value={value}>
      {children}
      <section className="toasts" aria-label="Notifications" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`} role={t.tone === 'danger' ? 'alert' : 'status'}>
            <div className="toast-body">
              <strong>{t.title}</strong>
              {t.body && <p>{t.body}</p>}
              {t.link && (
                <Link to={t.link.to} onClick={() => setToasts((list) => list.filter((x) => x.id !== t.id))}>
                  {t.link.label}
                </Link>
              )}
            </div>
            <button
              type="button"
              className="icon-button"
              aria-label={`Dismiss: ${t.title}`}
              onClick={() => setToasts((list) => list.filter((x) => x.id !== t.id))}
            >
              ×
            </button>
          </div>
        ))}
      </section>
    </Ctx.Provider>
  );
}
