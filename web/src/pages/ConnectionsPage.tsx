export function ConnectionsPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Connections</h1>
      <p className="empty">Link your NuORDER account and one or more Lightspeed point-of-sale accounts (X-Series or R-Series).</p>
    </section>
  );
}
