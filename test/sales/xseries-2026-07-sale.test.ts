/**
 * Acceptance (issue 11, item 5): a NetSuite order becomes ONE X-Series sale through `POST /api/2026-07/sales`, whose
 * reply is in the 2026-07 shape (no `status`, `_metadata.version`, `source` an object, `product{id}` lines; divergence
 * F2), and the sync records it as sent, not failed: also when the write commits but its reply is lost (found again by
 * its correlation key, the sale id we chose), and when the reply lacks every field the spec leaves optional.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syncFromNetsuite } from '../../src/flows/sales/sync.ts';
import { salesSyncs } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { X_SALES, startSalesHarness, type SalesHarness } from './harness.ts';

/** The sales the sync made in X-Series, and how the simulator answered each create. */
async function outcome(h: SalesHarness): Promise<{ ours: any[]; creates: Array<{ status: number; fault?: string }> }> {
  const ours = h.x.sales().filter((s) => s.source === 'TRADELOOP_NETSUITE');
  const recent = (await h.x.control('/_sim/requests?limit=5000')).recent as Array<{
    method: string;
    path: string;
    status: number;
    fault?: string;
  }>;
  const creates = recent
    .filter((r) => r.method === 'POST' && r.path === X_SALES)
    .map((r) => ({ status: r.status, ...(r.fault ? { fault: r.fault } : {}) }));
  return { ours, creates };
}

async function syncOne(h: SalesHarness): Promise<{ orderId: string; row: any }> {
  // Billed, for pickup: the built-in rules send it as AWAITING_PICKUP, paid.
  const order = await h.ns.raise({ items: [{ item: 'NOR-1000-IND-28' }], fulfilment: 'pickup', status: 'G' });
  await syncFromNetsuite(await h.env());
  const rows = await salesSyncs.list(h.t.ctx.store.db, h.tenantId, { direction: 'ns_to_x' });
  const row = rows.find((r) => r.nsId === order.id);
  assert.ok(row, 'a log row for the order');
  return { orderId: order.id, row };
}

function assertSent(row: any, saleId: string): void {
  assert.ok(['sent', 'completing', 'completed'].includes(row.state), `${row.state}: ${row.errorMessage ?? ''}`);
  assert.equal(row.errorCode, null);
  assert.equal(row.xSaleId, saleId);
  assert.equal(row.xStatus, 'AWAITING_PICKUP', 'the legacy status, read back through 2.0');
}

forEachDialect('X-Series sales created through /api/2026-07/sales', (getStore) => {
  test('the 2026-07 reply is read: one sale, recorded as sent; a second sync adds nothing', async () => {
    const h = await startSalesHarness(getStore());
    try {
      const { orderId, row } = await syncOne(h);
      const { ours, creates } = await outcome(h);
      assert.equal(ours.length, 1, 'one X-Series sale');
      assertSent(row, ours[0].id);
      assert.deepEqual(creates, [{ status: 200 }], 'one create, answered 200 as the 2026-07 spec declares');
      const reply = (await h.x.api(`${X_SALES}/${ours[0].id}`)).body.data;
      assert.equal(reply.status, undefined, 'the 2026-07 sale has no status');
      assert.deepEqual([reply.state, reply.attributes], ['pending', ['pickup']]);
      assert.equal(h.ns.state().transactions[orderId].custom.custbody_tl_xseries_sale_id, ours[0].id);

      await syncFromNetsuite(await h.env());
      assert.equal((await outcome(h)).ours.length, 1, 'still one sale after another sync');
    } finally {
      await h.close();
    }
  });

  for (const kind of ['ghost_write', 'ghost_drop'] as const) {
    test(`${kind}: the sale commits, the reply is lost; it is found by its id and recorded once`, async () => {
      const h = await startSalesHarness(getStore());
      try {
        await h.x.fault({ kind, method: 'POST', path: X_SALES, times: 1 });
        const { row } = await syncOne(h);
        const { ours, creates } = await outcome(h);
        assert.equal(ours.length, 1, 'no duplicate sale');
        assert.deepEqual(
          creates.map((c) => c.fault),
          [kind],
          'one create, whose reply was lost; no second create',
        );
        assertSent(row, ours[0].id);
      } finally {
        await h.close();
      }
    });
  }

  test('a reply with every optional field gone (the spec requires none) is still a recorded sale', async () => {
    const h = await startSalesHarness(getStore());
    try {
      await h.x.fault({ kind: 'reshape', method: 'POST', path: X_SALES, times: 1, reshape: { set: { data: {} } } });
      const { row } = await syncOne(h);
      const { ours, creates } = await outcome(h);
      assert.equal(ours.length, 1);
      assert.equal(creates[0]?.fault, 'reshape');
      assertSent(row, ours[0].id);
    } finally {
      await h.close();
    }
  });
});
