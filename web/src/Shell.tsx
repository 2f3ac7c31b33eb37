import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api, type Me } from './api.ts';
import { GuideDock, GuidePill, GuideProvider, useGuide } from './guide.tsx';
import { NotificationsProvider } from './notifications.tsx';
import { Link, match, navigate, useLocation } from './router.ts';
import type { ConnectionsResponse } from './types.ts';
import { OrdersPage } from './pages/OrdersPage.tsx';
import { OrderPage } from './pages/OrderPage.tsx';
import { ConnectionsPage } from './pages/ConnectionsPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { ExportStartPage } from './pages/ExportStartPage.tsx';
import { PlanPage } from './pages/PlanPage.tsx';
import { PurchaseOrdersPage } from './pages/PurchaseOrdersPage.tsx';
import { PurchaseOrderPage } from './pages/PurchaseOrderPage.tsx';
import { ReceivingPage } from './pages/ReceivingPage.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { LinksPage } from './pages/LinksPage.tsx';
import { PosReordersPage } from './pages/PosReordersPage.tsx';
import { ReorderPage } from './pages/ReorderPage.tsx';
import { ForecastPage } from './pages/merchant/ForecastPage.tsx';
import { MappingsPage } from './pages/merchant/MappingsPage.tsx';
import { PricingPage } from './pages/merchant/PricingPage.tsx';

const sections = [
  { path: '/orders', label: 'Orders', also: ['/export', '/plans'] },
  { path: '/purchase-orders', label: 'Synced POs', also: [] },
  { path: '/audit', label: 'Audit', also: [] },
  { path: '/connections', label: 'Connections', also: ['/brands'] },
  { path: '/settings', label: 'Settings', also: [] },
];

function route(path: string, search: URLSearchParams): ReactNode {
  if (path === '/' || path === '/orders') return <OrdersPage />;
  let m = match('/orders/:id/reorder', path);
  if (m) return <ReorderPage key={m['id']} orderId={m['id'] as string} />;
  m = match('/orders/:id', path);
  if (m) return <OrderPage key={m['id']} orderId={m['id'] as string} />;
  if (path === '/export') return <ExportStartPage key={search.toString()} />;
  m = match('/plans/:id', path);
  if (m) return <PlanPage key={m['id']} planId={m['id'] as string} />;
  if (path === '/purchase-orders') return <PurchaseOrdersPage />;
  m = match('/purchase-orders/:id/receive', path);
  if (m) return <ReceivingPage key={m['id']} exportId={m['id'] as string} />;
  if (path === '/audit') return <AuditPage />;
  m = match('/purchase-orders/:id', path);
  if (m) return <PurchaseOrderPage key={m['id']} exportId={m['id'] as string} />;
  if (path === '/connections') return <ConnectionsPage />;
  m = match('/connections/:id/pricing', path);
  if (m) return <PricingPage key={m['id']} connectionId={m['id'] as string} />;
  m = match('/connections/:id/links', path);
  if (m) return <LinksPage key={m['id']} connectionId={m['id'] as string} />;
  m = match('/connections/:id/pos-reorders', path);
  if (m) return <PosReordersPage key={m['id']} connectionId={m['id'] as string} />;
  m = match('/connections/:id/mappings', path);
  if (m) return <MappingsPage key={m['id']} connectionId={m['id'] as string} />;
  m = match('/brands/:id/forecast', path);
  if (m) return <ForecastPage key={m['id']} brandId={m['id'] as string} />;
  // Settings → Sales orders (/settings/sales) is rendered by SettingsPage.
  if (path === '/settings' || path.startsWith('/settings/')) return <SettingsPage />;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Page not found</h1>
      <p className="empty">
        There is nothing at this address. <Link to="/orders">Go to your orders</Link>.
      </p>
    </section>
  );
}

export function Shell({ me, onSignedOut }: { me: Me; onSignedOut: () => void }) {
  return (
    <NotificationsProvider>
      <GuideProvider userId={me.user.id}>
        <Frame me={me} onSignedOut={onSignedOut} />
      </GuideProvider>
    </NotificationsProvider>
  );
}

function Frame({ me, onSignedOut }: { me: Me; onSignedOut: () => void }) {
  const location = useLocation();
  const current =
    sections.find((s) => location.path.startsWith(s.path) || s.also.some((a) => location.path.startsWith(a))) ??
    (location.path === '/' ? sections[0] : undefined);

  useEffect(() => {
    const title = current?.label ?? 'Tradeloop';
    document.title = `${title} · Tradeloop`;
  }, [current]);

  const signOut = async (): Promise<void> => {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    onSignedOut();
  };

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/orders" className="brand">
          Tradeloop
        </Link>
        <nav aria-label="Main">
          <ul>
            {sections.map((s) => (
              <li key={s.path}>
                <Link to={s.path} aria-current={current?.path === s.path ? 'page' : undefined}>
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <GuidePill />
          <HelpMenu />
          <span className="org" title={me.user.email}>
            {me.organization.name}
          </span>
          <button type="button" className="link on-dark" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content" id="main" tabIndex={-1}>
        <GuideDock />
        {route(location.path, location.search)}
      </main>
    </div>
  );
}

function HelpMenu() {
  const [open, setOpen] = useState(false);
  const [demo, setDemo] = useState<Array<{ system: string; url: string; label: string }> | null>(null);
  const guide = useGuide();
  const ref = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    void api<ConnectionsResponse>('GET', '/api/connections')
      .then((r) => {
        const simulators = r.providers.demo?.simulators;
        // Named as each connector names its system (the registry's labels).
        const label = (system: string) => r.providers.systems.find((s) => s.system === system)?.label ?? system;
        setDemo(
          simulators
            ? Object.entries(simulators).map(([system, url]) => ({ system, url, label: label(system) }))
            : null,
        );
      })
      .catch(() => undefined);
    const onDown = (e: MouseEvent): void => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = (): void => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  return (
    <div
      className="help"
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          close();
        }
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className="link on-dark"
        aria-expanded={open}
        aria-controls="help-menu"
        onClick={() => setOpen((o) => !o)}
      >
        Help
      </button>
      {open && (
        <div id="help-menu" className="help-menu">
          <ul>
            <li>
              <button
                type="button"
                className="menu-item"
                onClick={() => {
                  setOpen(false);
                  guide.open();
                }}
              >
                Getting-started guide
              </button>
            </li>
            <li>
              <button
                type="button"
                className="menu-item"
                onClick={() => {
                  setOpen(false);
                  navigate('/connections');
                }}
              >
                Connection health
              </button>
            </li>
            {demo && (
              <li className="menu-group">
                <span className="menu-heading">Demo simulators (back offices)</span>
                <ul>
                  {demo.map(({ system, url, label }) => (
                    <li key={system}>
                      <a className="menu-item" href={url} target="_blank" rel="noreferrer">
                        {label}
                      </a>
                    </li>
                  ))}
                </ul>
              </li>
            )}
          </ul>
        </div>
      )}
    </div>
  );
}
