import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from './api.ts';

export type Resource<T> =
  /** `data` is the previous answer while a new one loads (filters changed), so the page does not flicker. */
  | { status: 'loading'; data: T | undefined; error: null; reload: () => Promise<void> }
  | { status: 'ready'; data: T; error: null; reload: () => Promise<void> }
  | { status: 'error'; data: T | undefined; error: string; reload: () => Promise<void> };

/**
 * Loads data for a page, reloads when `deps` change, and (optionally) polls: `poll(data)` returns the
 * delay before the next load, or null to stop. A failed poll keeps the last data and shows the error.
 */
export function useResource<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  options: { poll?: (data: T) => number | null } = {},
): Resource<T> {
  const [state, setState] = useState<{
    status: 'loading' | 'ready' | 'error';
    data: T | undefined;
    error: string | null;
  }>({ status: 'loading', data: undefined, error: null });
  const loadRef = useRef(load);
  loadRef.current = load;
  const pollRef = useRef(options.poll);
  pollRef.current = options.poll;
  const generation = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const run = useCallback(async (): Promise<void> => {
    const mine = ++generation.current;
    if (timer.current) clearTimeout(timer.current);
    try {
      const data = await loadRef.current();
      if (mine !== generation.current) return;
      setState({ status: 'ready', data, error: null });
      const delay = pollRef.current?.(data) ?? null;
      if (delay !== null) timer.current = setTimeout(() => void run(), delay);
    } catch (error) {
      if (mine !== generation.current) return;
      setState((previous) => ({ status: 'error', data: previous.data, error: messageOf(error) }));
    }
  }, []);

  useEffect(() => {
    setState((previous) => ({ status: 'loading', data: previous.data, error: null }));
    void run();
    return () => {
      generation.current++;
      if (timer.current) clearTimeout(timer.current);
    };
  }, deps);

  const reload = useCallback(() => run(), [run]);
  if (state.status === 'ready') return { status: 'ready', data: state.data as T, error: null, reload };
  if (state.status === 'error')
    return { status: 'error', data: state.data, error: state.error ?? 'Something went wrong', reload };
  return { status: 'loading', data: state.data, error: null, reload };
}
