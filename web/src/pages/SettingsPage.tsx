export function SettingsPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Settings</h1>
      <p className="empty">Organization settings, API tokens and sales-order rules.</p>
    </section>
  );
}
