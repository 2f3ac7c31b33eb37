import { useEffect, useState } from 'react';

/** A tiny history-API router: the pages are few and the server falls back to index.html for any path. */
export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const onPop = (): void => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    window.addEventListener('tradeloop:navigate', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('tradeloop:navigate', onPop);
    };
  }, []);
  return path;
}

export function navigate(to: string): void {
  if (to === window.location.pathname + window.location.search) return;
  window.history.pushState(null, '', to);
  window.dispatchEvent(new Event('tradeloop:navigate'));
}
