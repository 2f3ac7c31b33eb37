export function OrdersPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Orders</h1>
      <p className="empty">Approved wholesale orders from NuORDER will appear here, each with its POS-sync status. Link a NuORDER account and a point of sale under Connections to get started.</p>
    </section>
  );
}
