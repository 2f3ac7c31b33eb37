import { useGuide } from '../guide.tsx';
import { Link, navigate, usePath } from '../router.ts';
import { SalesOrdersPage } from './sales/SalesOrdersPage.tsx';

export function SettingsPage() {
  const guide = useGuide();
  const path = usePath();
  if (path.startsWith('/settings/sales')) return <SalesOrdersPage />;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Settings</h1>
      <div className="cards">
        <article className="card" aria-labelledby="settings-sales">
          <h2 id="settings-sales" className="card-title">
            Sales orders
          </h2>
          <p>
            NetSuite sales orders into X-Series as sales, with mapped statuses, fulfilled and billed back in NetSuite.
          </p>
          <Link to="/settings/sales">Sales orders settings</Link>
        </article>
        <article className="card" aria-labelledby="settings-connections">
          <h2 id="settings-connections" className="card-title">
            Connections
          </h2>
          <p>Linked NuORDER brand portals and Lightspeed stores, purchase-order sync mode and default locations.</p>
          <Link to="/connections">Manage connections</Link>
        </article>
        <article className="card" aria-labelledby="settings-guide">
          <h2 id="settings-guide" className="card-title">
            Getting started
          </h2>
          <p>The short guide through linking accounts and exporting a first order.</p>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              guide.open();
              navigate('/orders');
            }}
          >
            Open the guide
          </button>
        </article>
      </div>
    </section>
  );
}
