/**
 * Issue 14, acceptance 1 from the CLI: `tradeloop orders show <number>` prints the order's timeline with both
 * shipments (carrier, tracking number and the carrier's tracking page) after the brand shipped it in two parts, and
 * `--json` answers as GET /api/orders/:id; `tradeloop orders list` reads the timeline's latest step.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { requestApply } from '../../src/flows/apply-export.ts';
import { createPlan } from '../../src/flows/plan-export.ts';
import { ingestOrdersJob } from '../../src/flows/tasks.ts';
import { enqueue } from '../../src/jobs/queue.ts';
import { openStore } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrations/index.ts';
import { exports, wholesaleOrders } from '../../src/store/repos/index.ts';
import { runTradeloop } from '../support/cli-process.ts';
import { startEngine } from '../support/engine.ts';

const UPS = '1Z999AA10123456784';
const FEDEX = '123456789012';

test('orders show: the timeline with both shipments and their tracking pages', { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tradeloop-orders-show-'));
  const secretKey = randomBytes(32).toString('base64');
  const store = await openStore({ sqliteFile: join(dataDir, 'tradeloop.db') });
  await migrateToLatest(store);
  const e = await startEngine(store, 'lightspeed-x', { brands: 1, secretKey });
  const env = { TRADELOOP_DATA_DIR: dataDir, TRADELOOP_SECRET_KEY: secretKey };
  try {
    await e.drain();
    const location = (await e.ctx.connectors.pointOfSale(e.posConnection).then((p) => p.listLocations()))[0]!;
    let exported: { number: string; sourceId: string } | undefined;
    for (const o of (await wholesaleOrders.list(store.db, e.tenantId, { limit: 20 })).orders) {
      const plan = await createPlan(e.ctx, e.tenantId, {
        connectionId: e.posConnection.id,
        locationId: location.id,
        orderIds: [o.id],
      });
      if (!plan.plan.canApply) continue;
      await requestApply(e.ctx, e.tenantId, plan.id);
      await e.drain();
      assert.equal((await exports.forPlan(store.db, e.tenantId, plan.id))[0]?.state, 'exported');
      exported = { number: o.orderNumber, sourceId: o.sourceId };
      break;
    }
    assert.ok(exported, 'an order that needs no review');
    const order = (await wholesaleOrders.findByNumbers(store.db, e.tenantId, [exported.number]))[0]!;
    const line = order.document.lines[0]!;
    await e.nuorder.control('POST', `/_sim/orders/${exported.sourceId}/shipments`, {
      carrier: 'UPS',
      trackingNumbers: [UPS],
      lines: [{ productId: line.productSourceId, size: line.size, quantity: line.quantity }],
    });
    await e.nuorder.control('POST', `/_sim/orders/${exported.sourceId}/shipments`, {
      carrier: 'FedEx',
      trackingNumbers: [FEDEX],
    });
    await enqueue(
      store.db,
      ingestOrdersJob,
      { connectionId: e.sources[0]!.id },
      { tenantId: e.tenantId, key: 'cli-poll', now: Date.now() },
    );
    await e.drain();

    const human = await runTradeloop(['orders', 'show', exported.number], env, { timeoutMs: 60_000 });
    assert.equal(human.code, 0, human.stderr + human.stdout);
    assert.match(human.stdout, new RegExp(`Order ${exported.number} .* Shipped`));
    assert.match(human.stdout, /Shipment 1 of 2 .*by UPS/);
    assert.match(human.stdout, /Shipment 2 of 2 .*by FedEx/);
    assert.ok(human.stdout.includes(`https://www.ups.com/track?tracknum=${UPS}`), human.stdout);
    assert.ok(human.stdout.includes(`https://www.fedex.com/fedextrack/?trknbr=${FEDEX}`), human.stdout);

    const json = await runTradeloop(['orders', 'show', exported.number, '--json'], env, { timeoutMs: 60_000 });
    assert.equal(json.code, 0, json.stderr);
    const view = JSON.parse(json.stdout);
    const api = await e.app.call('GET', `/api/orders/${order.id}`, { token: e.token });
    assert.deepEqual(view.timelineDetail.milestones, api.body.timelineDetail.milestones);
    assert.deepEqual(view.timeline, { status: 'shipped', label: 'Shipped' });

    const list = await runTradeloop(['orders', 'list', '--status', 'shipped'], env, { timeoutMs: 60_000 });
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${exported.number} .*Shipped`));
    assert.match(list.stdout, /1 of 1 order/);
  } finally {
    await e.close();
    await store.close();
  }
});
