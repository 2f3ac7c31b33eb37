// The orders list on its index (migration 0014): newest first then by number, paged from the index, the brand list
// by a loose index scan — the same answers as before, in both dialects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { testOrder } from '../../core/testing.ts';
import { forEachDialect } from '../testing.ts';
import { connections, organizations, wholesaleOrders } from './index.ts';

forEachDialect('orders list', (getStore, dialect) => {
  test('pages newest first (ties by order number), brands distinct and sorted, scoped to the tenant', async () => {
    const store = getStore();
    const acme = await organizations.create(store.db, { name: 'Acme' });
    const other = await organizations.create(store.db, { name: 'Other' });
    const conn = async (tenantId: string) =>
      (
        await connections.create(store.db, tenantId, {
          system: 'nuorder',
          name: 'Brand portal',
          baseUrl: 'http://127.0.0.1:9',
          externalAccountId: `acct-${tenantId}`,
          secretId: null,
        })
      ).id;
    const acmeConn = await conn(acme.id);
    const brands = ['Zeta Goods', 'Alder & Pine', 'Mill', 'Alder & Pine', 'Zeta Goods', 'mill'];
    const created = ['2024-01-03', '2024-01-01', '2024-01-03', '2024-01-02', '2024-01-05', '2024-01-04'];
    for (const [i, brand] of brands.entries()) {
      await wholesaleOrders.upsertFromSource(
        store.db,
        acme.id,
        acmeConn,
        testOrder({
          sourceId: `src-${i}`,
          orderNumber: String(900 - i),
          brand: { sourceId: `b-${brand}`, name: brand },
          createdAt: `${created[i]}T00:00:00.000Z`,
        }),
      );
    }
    await wholesaleOrders.upsertFromSource(
      store.db,
      other.id,
      await conn(other.id),
      testOrder({ sourceId: 'x', orderNumber: '1', brand: { sourceId: 'b-o', name: 'Only Other' } }),
    );

    const page = await wholesaleOrders.list(store.db, acme.id, { limit: 4 });
    assert.equal(page.total, 6);
    // 01-05, 01-04, then the two of 01-03 by number (898 before 900); then 01-02 and 01-01.
    assert.deepEqual(
      page.orders.map((o) => o.orderNumber),
      ['896', '895', '898', '900'],
    );
    const rest = await wholesaleOrders.list(store.db, acme.id, { limit: 4, offset: 4 });
    assert.deepEqual(
      rest.orders.map((o) => o.orderNumber),
      ['897', '899'],
    );
    const expected = [...new Set(brands)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const got = await wholesaleOrders.brands(store.db, acme.id);
    // Collations differ (SQLite binary, PostgreSQL the database's): each dialect sorts as its ORDER BY would.
    assert.deepEqual([...got].sort(), [...expected].sort());
    assert.equal(got.length, 4);
    assert.deepEqual(await wholesaleOrders.brands(store.db, other.id), ['Only Other']);

    if (dialect === 'sqlite') {
      // The page is read from the index in its order: no sort of the whole table.
      const plan = await sql<{ detail: string }>`explain query plan
        select id from wholesale_orders where tenant_id = ${acme.id}
        order by source_created_at desc, order_number limit 50`.execute(store.db);
      const details = plan.rows.map((r) => r.detail).join(' | ');
      assert.match(details, /wholesale_orders_newest_idx/);
      assert.doesNotMatch(details, /TEMP B-TREE/);
    }
  });
});
