/**
 * Issue 12, acceptance 6 (a): the orders list filtered by POS-sync status is a query, correct at any size.
 * Before, the route read the first 500 orders and filtered those: with 34 exported among 5,000 (all
 * older than the newest 500), `?syncStatus=exported` answered 0.
 * Besides the count, every filter is checked against the status each order shows (flows/order-status.ts),
 * on a manual and an automatic POS connection: exported, failed (an export's, and automatic sync's that
 * could not start one), in progress (one waiting for the POS), needs review (automatic sync's draft, unless
 * a person planned the order since) and not exported.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExportPlan } from '../../src/core/plan.ts';
import type { WholesaleOrder } from '../../src/core/wholesale-order.ts';
import { autoSyncKey, autoSyncTask } from '../../src/flows/auto-sync.ts';
import { syncStatuses } from '../../src/flows/order-status.ts';
import { automaticSyncCreator } from '../../src/flows/plan-export.ts';
import { PermanentJobError } from '../../src/jobs/errors.ts';
import { claimJobs, enqueue, fail } from '../../src/jobs/queue.ts';
import type { Db } from '../../src/store/db.ts';
import { connections, exportPlans, exports, wholesaleOrders } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';

const ORDERS = 5_000;
const EXPORTED = 34;
const STATES = ['not_exported', 'needs_review', 'in_progress', 'exported', 'failed'] as const;

function order(i: number): WholesaleOrder {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  return {
    sourceId: `src-${i}`,
    orderNumber: String(3_100_000 + i),
    status: 'approved',
    brand: { sourceId: 'brand-1', name: 'Northwind' },
    retailer: { sourceId: 'retailer-1', name: 'Lakeside Goods' },
    customerPoNumber: null,
    currency: 'USD',
    shipWindow: { start: null, end: null },
    notes: '',
    createdAt: at,
    modifiedAt: at,
    billingAddress: null,
    shippingAddress: null,
    lines: [],
  } as unknown as WholesaleOrder;
}

const stubPlan = (needsReview: number) =>
  ({ fingerprint: 'test', counts: { needsReview }, blockers: [], warnings: [] }) as unknown as ExportPlan;

async function planFor(
  db: Db,
  tenantId: string,
  connectionId: string,
  orderIds: string[],
  createdBy: string,
  now = Date.now(),
) {
  return exportPlans.create(db, tenantId, {
    now,
    connectionId,
    locationId: 'outlet-1',
    orderIds,
    overrides: [],
    plan: stubPlan(1),
    createdBy,
  });
}

/** Exports of these orders on a connection, in a state (one plan for them, as a bulk export makes). */
async function exportsIn(
  db: Db,
  tenantId: string,
  connectionId: string,
  orderIds: string[],
  state: 'in_progress' | 'exported' | 'failed',
): Promise<void> {
  const plan = await planFor(db, tenantId, connectionId, orderIds, 'user-1');
  await exports.insertInProgress(db, tenantId, plan.id, connectionId, orderIds);
  if (state === 'in_progress') return;
  for (const row of await exports.forPlan(db, tenantId, plan.id))
    await exports.update(db, tenantId, row.id, {
      state,
      ...(state === 'failed' ? { failure: { code: 'REMOTE_REJECTED', message: 'refused', retryable: false } } : {}),
    });
}

forEachDialect('orders list filtered by POS-sync status', (getStore, dialect) => {
  test(
    '5,000 orders with 34 exported: ?syncStatus=exported returns 34, and every filter matches what the orders show',
    { timeout: 120_000 },
    async (t) => {
      const started = Date.now();
      const app = createTestApp(getStore());
      const db = app.ctx.store.db;
      const { tenantId, token } = await app.newTenant('Lakeside Goods');
      const source = await connections.create(db, tenantId, {
        system: 'nuorder',
        name: 'Northwind',
        baseUrl: 'http://nuorder.test',
        externalAccountId: 'northwind',
        secretId: null,
      });
      const manual = await connections.create(db, tenantId, {
        system: 'lightspeed-x',
        name: 'Main store',
        baseUrl: 'http://x.test',
        externalAccountId: 'lakeside',
        secretId: null,
        settings: { syncMode: 'manual' },
      });
      const automatic = await connections.create(db, tenantId, {
        system: 'lightspeed-r',
        name: 'Outlet',
        baseUrl: 'http://r.test',
        externalAccountId: '83051',
        secretId: null,
        settings: { syncMode: 'automatic', defaultLocationId: '1' },
      });
      const ids: string[] = [];
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < ORDERS; i++)
          ids.push((await wholesaleOrders.upsertFromSource(trx, tenantId, source.id, order(i))).stored.id);
      });
      const id = (i: number) => ids[i] as string;
      // The oldest orders: far from the newest 500 the list shows first.
      await exportsIn(db, tenantId, manual.id, ids.slice(0, EXPORTED), 'exported');
      await exportsIn(db, tenantId, automatic.id, ids.slice(0, 10), 'exported');
      await exportsIn(db, tenantId, manual.id, [id(100), id(101), id(102)], 'failed');
      await exportsIn(db, tenantId, manual.id, [id(200), id(201)], 'in_progress');
      const waitingPlan = (await exports.forOrders(db, tenantId, [id(201)]))[0]?.planId as string;
      await exports.setWaiting(db, tenantId, waitingPlan, {
        since: Date.now(),
        reason: 'The POS answered 503',
        nextTryAt: Date.now() + 5_000,
      });
      // Automatic sync: a draft waiting for review; another one a person planned again since; one that failed.
      await planFor(db, tenantId, automatic.id, [id(300)], automaticSyncCreator);
      await planFor(db, tenantId, automatic.id, [id(301)], automaticSyncCreator, Date.now() - 1_000);
      await planFor(db, tenantId, automatic.id, [id(301), id(4_000)], 'user-1');
      await enqueue(db, {
        tenantId,
        task: autoSyncTask,
        key: autoSyncKey(id(302), automatic.id),
        payload: { orderId: id(302), connectionId: automatic.id },
      });
      const [claimed] = await claimJobs(app.ctx.store, {
        task: autoSyncTask,
        workerId: 'test',
        limit: 1,
        lockMs: 30_000,
        now: Date.now(),
      });
      assert.ok(claimed);
      await fail(db, claimed, new PermanentJobError('Location 9 does not belong to Outlet'), { permanent: true });
      t.diagnostic(`${dialect}: ${ORDERS} orders and their exports written in ${Date.now() - started} ms`);

      const list = async (query: string) => {
        const response = await app.call('GET', `/api/orders?${query}`, { token });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        return response.body as {
          orders: Array<{ id: string; sync: Array<{ status: { state: string } }> }>;
          total: number;
        };
      };

      const queryStarted = Date.now();
      const exported = await list('syncStatus=exported&limit=100');
      const took = Date.now() - queryStarted;
      assert.equal(exported.total, EXPORTED + 0, 'every exported order, however old');
      assert.equal(exported.orders.length, EXPORTED);
      assert.ok(exported.orders.every((o) => o.sync.some((s) => s.status.state === 'exported')));
      const second = await list('syncStatus=exported&limit=20&offset=20');
      assert.equal(second.total, EXPORTED);
      assert.equal(second.orders.length, EXPORTED - 20, 'pages of the filtered list');
      t.diagnostic(`${dialect}: ?syncStatus=exported → ${exported.total} of ${ORDERS} orders in ${took} ms`);

      // Every filter against the statuses the orders show, computed order by order.
      const shown = await syncStatuses(app.ctx, tenantId, ids);
      for (const state of STATES) {
        const expected = ids.filter((orderId) => shown.get(orderId)?.some((s) => s.status.state === state)).sort();
        const got: string[] = [];
        for (let offset = 0; ; offset += 500) {
          const page = await list(`syncStatus=${state}&limit=500&offset=${offset}`);
          assert.equal(page.total, expected.length, `${state}: the total`);
          got.push(...page.orders.map((o) => o.id));
          if (page.orders.length < 500) break;
        }
        assert.deepEqual(got.sort(), expected, `${state}: the same orders the statuses show`);
        t.diagnostic(`${dialect}: ?syncStatus=${state} → ${expected.length}`);
      }
      const counts = Object.fromEntries(
        await Promise.all(STATES.map(async (s) => [s, (await list(`syncStatus=${s}&limit=1`)).total] as const)),
      );
      assert.deepEqual(
        { ...counts, not_exported: undefined },
        { exported: EXPORTED, failed: 4, in_progress: 2, needs_review: 1, not_exported: undefined },
      );
      // Not exported somewhere: all but the ten exported to both points of sale.
      assert.equal(counts['not_exported'], ORDERS - 10);
    },
  );
});
