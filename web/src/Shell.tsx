import type { MouseEvent, ReactNode } from 'react';
import { api, type Me } from './api.ts';
import { navigate, usePath } from './router.ts';
import { OrdersPage } from './pages/OrdersPage.tsx';
import { ConnectionsPage } from './pages/ConnectionsPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';

const sections: Array<{ path: string; label: string; render: () => ReactNode }> = [
  { path: '/orders', label: 'Orders', render: () => <OrdersPage /> },
  { path: '/connections', label: 'Connections', render: () => <ConnectionsPage /> },
  { path: '/settings', label: 'Settings', render: () => <SettingsPage /> },
];

export function Shell({ me, onSignedOut }: { me: Me; onSignedOut: () => void }) {
  const path = usePath();
  const current = sections.find((s) => path.startsWith(s.path)) ?? sections[0];

  const follow = (event: MouseEvent<HTMLAnchorElement>, to: string): void => {
    event.preventDefault();
    navigate(to);
  };
  const signOut = async (): Promise<void> => {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    onSignedOut();
  };

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Tradeloop</span>
        <nav aria-label="Main">
          <ul>
            {sections.map((s) => (
              <li key={s.path}>
                <a href={s.path} aria-current={current?.path === s.path ? 'page' : undefined} onClick={(e) => follow(e, s.path)}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <span title={me.user.email}>{me.organization.name}</span>
          <button className="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content">{current?.render()}</main>
    </div>
  );
}
