import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, rememberCsrf, type Me } from './api.ts';
import { LoginPage } from './pages/LoginPage.tsx';
import { Shell } from './Shell.tsx';

type AuthState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; me: Me }
  | { status: 'error'; message: string };

export function App() {
  const [auth, setAuth] = useState<AuthState>({ status: 'loading' });

  const loadMe = useCallback(async () => {
    try {
      const me = await api<Me>('GET', '/api/auth/me');
      rememberCsrf(me.csrfToken);
      setAuth({ status: 'signed-in', me });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setAuth({ status: 'signed-out' });
      else setAuth({ status: 'error', message: error instanceof Error ? error.message : 'Something went wrong' });
    }
  }, []);

  useEffect(() => {
    void loadMe();
  }, [loadMe]);

  useEffect(() => {
    const onUnauthorized = (): void => {
      rememberCsrf(null);
      setAuth({ status: 'signed-out' });
    };
    window.addEventListener('tradeloop:unauthorized', onUnauthorized);
    return () => window.removeEventListener('tradeloop:unauthorized', onUnauthorized);
  }, []);

  if (auth.status === 'loading')
    return (
      <p className="page-status" role="status">
        Loading…
      </p>
    );
  if (auth.status === 'error') {
    return (
      <div className="page-status" role="alert">
        <p>{auth.message}</p>
        <button onClick={() => void loadMe()}>Try again</button>
      </div>
    );
  }
  if (auth.status === 'signed-out')
    return (
      <LoginPage
        onSignedIn={(me) => {
          rememberCsrf(me.csrfToken);
          setAuth({ status: 'signed-in', me });
        }}
      />
    );
  return (
    <Shell
      me={auth.me}
      onSignedOut={() => {
        rememberCsrf(null);
        setAuth({ status: 'signed-out' });
      }}
    />
  );
}
