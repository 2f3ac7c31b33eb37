/**
 * Issue 14, acceptance 3: the discrepancy audit finds what was seeded on an exported order's POS PO — a quantity
 * difference, a line missing from the PO, a cost change — each on its own line and nothing else, and nothing on a
 * clean order; the CSV (`GET /api/audit?format=csv`) holds exactly the rows the API (and so the page) shows. Over
 * HTTP, on X-Series (the simulator's state is edited as a person would in the back office).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditCsv } from '../../src/core/discrepancy.ts';
import { flagNewDiscrepancies } from '../../src/flows/audit/schedule.ts';
import { orderShipments } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { drainRuns, newRun, startWorld } from '../support/reliability.ts';

forEachDialect('discrepancy audit', (getStore) => {
  test('a clean order has no issue; seeded quantity, missing line and cost change are found; CSV = API rows', async () => {
    const world = await startWorld(getStore());
    try {
      const run = await newRun(world, 'lightspeed-x');
      await run.apply();
      await drainRuns(world, [run]);
      const exportRow = await run.exportRow();
      assert.equal(exportRow?.state, 'exported');
      const api = (path: string) => world.app.call('GET', path, { token: run.token });

      // A clean order: every row, no issue.
      const clean = await api(`/api/audit?orderId=${run.order.id}`);
      assert.equal(clean.status, 200, JSON.stringify(clean.body));
      assert.equal(clean.body.orders.length, 1);
      const cleanRows = clean.body.orders[0].rows as Array<{ issues: unknown[] }>;
      assert.ok(cleanRows.length >= 3, 'the order has three lines at least');
      assert.deepEqual(
        cleanRows.flatMap((r) => r.issues),
        [],
        'nothing on a clean order',
      );
      assert.equal((await api('/api/audit?onlyIssues=true')).body.total, 0, 'no order with issues');

      // Seed three differences on the PO, as a person editing it in the POS would.
      const state = run.pos.sim.exportState() as any;
      const lines = (state.consignmentLines as any[]).filter(
        (l) => l.consignment_id === exportRow!.poId && !l.deleted_at,
      );
      const [qty, gone, cost] = lines;
      qty.count = Number(qty.count) + 2;
      gone.deleted_at = new Date().toISOString();
      cost.cost = Number(cost.cost) + 1.5;
      run.pos.sim.importState(state);

      const found = await api(`/api/audit?orderId=${run.order.id}`);
      const rows = found.body.orders[0].rows as Array<{ posItemId: string | null; issues: Array<{ kind: string }> }>;
      const kindsOf = (id: string) =>
        rows.filter((r) => r.posItemId === id).flatMap((r) => r.issues.map((i) => i.kind));
      assert.deepEqual(kindsOf(qty.product_id), ['quantity_differs'], 'the quantity difference');
      assert.deepEqual(kindsOf(cost.product_id), ['cost_differs'], 'the cost change');
      const missing = rows.filter((r) => r.issues.some((i) => i.kind === 'missing_from_po'));
      assert.equal(missing.length >= 1, true, 'the line missing from the PO');
      assert.equal(
        rows.flatMap((r) => r.issues).length,
        2 + missing.length,
        `nothing else: ${JSON.stringify(rows.filter((r) => r.issues.length > 0))}`,
      );

      // CSV = the API's rows (the page renders these rows).
      const csv = await api(`/api/audit?orderId=${run.order.id}&format=csv`);
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
      assert.equal(csv.body, auditCsv(found.body.orders[0].rows));
      const onlyIssues = await api('/api/audit?onlyIssues=true&format=csv');
      const withIssues = await api('/api/audit?onlyIssues=true');
      assert.equal(withIssues.body.total, 1);
      assert.equal(onlyIssues.body, auditCsv(withIssues.body.orders.flatMap((o: { rows: unknown[] }) => o.rows)));

      // The scheduled audit flags the order once for these discrepancies, and the orders list can read it.
      const first = await flagNewDiscrepancies(world.ctx, run.tenantId);
      assert.deepEqual(first, { audited: 1, flagged: 1 });
      const flags = await api('/api/audit/flags');
      assert.deepEqual(
        flags.body.orders.map((o: { orderId: string }) => o.orderId),
        [run.order.id],
      );
      // A shipment the brand reported: one unit more than ordered on a line is over-shipped.
      const orderLine = run.order.document.lines.find((l) => l.quantity > 0)!;
      await orderShipments.record(
        world.ctx.store.db,
        run.tenantId,
        {
          orderId: run.order.id,
          connectionId: run.order.connectionId,
          status: 'approved',
          complete: false,
          shipments: [
            {
              sourceId: 'asn-1',
              orderSourceId: run.order.sourceId,
              carrier: 'UPS',
              trackingNumbers: [],
              shippedAt: null,
              lines: [{ lineKey: orderLine.lineKey, quantity: orderLine.quantity + 1 }],
            },
          ],
        },
        Date.now(),
      );
      const shipped = (await api(`/api/audit?orderId=${run.order.id}`)).body.orders[0].rows as Array<{
        lineKey: string | null;
        shipped: number | null;
        issues: Array<{ kind: string }>;
      }>;
      const shippedRow = shipped.find((r) => r.lineKey === orderLine.lineKey)!;
      assert.equal(shippedRow.shipped, orderLine.quantity + 1);
      assert.ok(
        shippedRow.issues.some((i) => i.kind === 'over_shipped'),
        JSON.stringify(shippedRow),
      );

      // Bad input: a clear 400 naming the field.
      const bad = await api('/api/audit?orderId=nope');
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /orderId/);
    } finally {
      await world.close();
    }
  });
});
