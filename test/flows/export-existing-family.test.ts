/**
 * Issue 18, X-Series: new sizes of a style/colour whose family is already in the POS join that family (POST
 * /api/2.1/products) instead of becoming a second family: when other sizes on the order match the family, and when
 * only an earlier export knows it (the family Tradeloop created for the style/colour before). A ghost write on the
 * add (committed, reply lost) is found by the step's reconcile: nothing is added twice. Over the simulators, with
 * the buyer's REST calls and the production job handlers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExportPlan, PlanLine } from '../../src/core/plan.ts';
import { buildScenario, scenarioOptions } from '../../src/simulators/shared/scenario.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { startEngine, type EngineHarness } from '../support/engine.ts';
import { jobsProgress, waitUntil } from '../support/wait.ts';

type Plan = { id: string; canApply: boolean } & Pick<ExportPlan, 'lines' | 'newProducts' | 'purchaseOrders'>;
interface XProduct {
  id: string;
  sku: string | null;
  family_id: string;
  source_id: string | null;
  deleted_at: string | null;
}

const call = (e: EngineHarness, method: string, path: string, body?: unknown) =>
  e.app.call(method, path, { token: e.token, ...(body === undefined ? {} : { body }) });

async function planOf(e: EngineHarness, orderIds: string[], locationId: string): Promise<Plan> {
  const r = await call(e, 'POST', '/api/plans', { connectionId: e.posConnection.id, locationId, orderIds });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

/** Applies the plan and runs the jobs until the export settles (a retry after a lost reply waits its backoff). */
async function exportSettled(e: EngineHarness, planId: string): Promise<{ state: string; failureMessage?: string }> {
  const applied = await call(e, 'POST', `/api/plans/${planId}/apply`);
  assert.equal(applied.status, 202, JSON.stringify(applied.body));
  return waitUntil(
    async () => {
      await e.drain();
      const progress = (await call(e, 'GET', `/api/plans/${planId}/progress`)).body;
      const [row] = progress.exports;
      if (row.state !== 'in_progress') return { done: true, value: row };
      return {
        done: false,
        progress: {
          steps: progress.steps.map((s: { key: string; state: string }) => [s.key, s.state]),
          jobs: await jobsProgress(e.ctx.store.db, e.tenantId),
        },
      };
    },
    { what: 'the export settling', intervalMs: 150 },
  );
}

async function products(e: EngineHarness): Promise<XProduct[]> {
  const state = await e.pos.control('GET', '/_sim/state');
  return (state.products as XProduct[]).filter((p) => p.deleted_at === null);
}

/** The live products carrying a new variant's key as their SKU. */
const carrying = (all: XProduct[], key: string) => all.filter((p) => (p.sku ?? '').toLowerCase() === key);

const productIdOf = (line: PlanLine): string => decodeURIComponent(line.lineKey.split(':')[0] ?? '');

forEachDialect('export to X-Series: new sizes join the family of their style/colour', (getStore) => {
  test('sizes join the family their matched sizes sit in, or the one an earlier export created; a ghost write duplicates nothing', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      await e.drain();
      const [location] = (await call(e, 'GET', `/api/connections/${e.posConnection.id}/locations`)).body.locations;
      const orders = (await call(e, 'GET', '/api/orders?limit=100')).body.orders as Array<{
        id: string;
        brand: string;
      }>;

      // 1. An order with new sizes of a style/colour whose other sizes match a POS family.
      let plan: Plan | undefined;
      for (const o of orders) {
        const p = await planOf(e, [o.id], location.id);
        if (p.canApply && p.newProducts.some((np) => np.existingParentId !== null)) {
          plan = p;
          break;
        }
      }
      assert.ok(plan, 'a demo order with new sizes of a style/colour the POS has');
      const joining = plan.newProducts.filter((np) => np.existingParentId !== null);
      const fresh = plan.newProducts.filter((np) => np.existingParentId === null);
      const before = await products(e);
      const familiesBefore = new Set(before.map((p) => p.family_id));
      await e.pos.control('DELETE', '/_sim/requests');
      // The first add commits and its reply is lost: the retry's reconcile must find it by SKU.
      await e.pos.control('POST', '/_sim/faults', {
        kind: 'ghost_write',
        method: 'POST',
        path: '/api/2.1/products',
        times: 1,
      });
      const row = await exportSettled(e, plan.id);
      assert.equal(row.state, 'exported', row.failureMessage);

      const after = await products(e);
      for (const np of joining) {
        for (const v of np.variants) {
          const items = carrying(after, v.correlationKey);
          assert.equal(items.length, 1, `${v.variantKey} exists once`);
          assert.equal(items[0]!.family_id, np.existingParentId, `${v.variantKey} sits in the existing family`);
        }
        assert.deepEqual(
          after.filter((p) => p.source_id === np.correlationKey),
          [],
          `no family of its own for ${np.styleNumber} ${np.color}`,
        );
      }
      const newFamilies = new Set(after.map((p) => p.family_id).filter((f) => !familiesBefore.has(f)));
      assert.equal(newFamilies.size, fresh.length, 'a family only for each style/colour the POS had none of');
      const requests = await e.pos.control('GET', '/_sim/requests?limit=5000');
      const adds = (requests.recent as Array<{ method: string; path: string }>).filter(
        (r) => r.method === 'POST' && r.path === '/api/2.1/products',
      ).length;
      const joiningSizes = joining.reduce((n, np) => n + np.variants.length, 0);
      assert.equal(adds, joiningSizes, 'one add per new size, the ghost-written one not sent again');
      const state = await e.pos.control('GET', '/_sim/state');
      const po = (state.consignments as Array<{ id: string; reference: string }>).find(
        (c) => c.reference === plan.purchaseOrders[0]!.correlationKey,
      );
      assert.ok(po, 'the purchase order');
      const onPo = new Set(
        (state.consignmentLines as Array<{ consignment_id: string; product_id: string }>)
          .filter((l) => l.consignment_id === po.id)
          .map((l) => l.product_id),
      );
      for (const v of joining.flatMap((np) => np.variants))
        assert.ok(onPo.has(carrying(after, v.correlationKey)[0]!.id), `${v.variantKey} is on the PO`);

      // 2. A style/colour the POS has none of, ordered one size at a time: the first order's export creates its
      // family; the second order's size joins it, though only the first export's item links know that family.
      const world = buildScenario(scenarioOptions('demo'));
      const brandId = world.brands.find((b) => b.name === orders[0]!.brand)?.id;
      const inPos = new Set(world.posItems.map((i) => i.matrixKey));
      const style = world.styles.find(
        (st) =>
          st.brandId === brandId &&
          !inPos.has(`pos-${st.id}`) &&
          st.sizes.filter((z) => z.upc !== null).length >= 2 &&
          !plan.lines.some((l) => productIdOf(l) === st.id),
      );
      assert.ok(style, 'a demo style with two sizes and nothing in the POS');
      const [firstSize, nextSize] = style.sizes.filter((z) => z.upc !== null);
      const orderOf = async (size: string): Promise<string> => {
        const created = await e.nuorder.control('POST', '/_sim/orders', {
          brand: orders[0]!.brand,
          lines: [{ productId: style.id, size, quantity: 2 }],
          status: 'approved',
        });
        assert.equal((await call(e, 'POST', '/api/orders/sync')).status, 202);
        await e.drain();
        const found = ((await call(e, 'GET', '/api/orders?limit=100')).body.orders as any[]).find(
          (o) => o.orderNumber === created.order.order_number,
        );
        assert.ok(found, 'the new order was ingested');
        return found.id;
      };
      const firstPlan = await planOf(e, [await orderOf(firstSize!.size)], location.id);
      assert.equal(firstPlan.newProducts[0]?.existingParentId, null, 'a new style/colour: a family is created');
      assert.equal((await exportSettled(e, firstPlan.id)).state, 'exported');
      const after2 = await products(e);
      const family = carrying(after2, firstPlan.newProducts[0]!.variants[0]!.correlationKey)[0]?.family_id;
      assert.ok(family, 'the family that export created');
      const next = { size: nextSize!.size, family };
      const second = await planOf(e, [await orderOf(next.size)], location.id);
      assert.equal(second.canApply, true);
      assert.equal(second.newProducts.length, 1);
      assert.equal(second.newProducts[0]!.existingParentId, next.family, 'the plan names the family made before');
      const secondRow = await exportSettled(e, second.id);
      assert.equal(secondRow.state, 'exported', secondRow.failureMessage);
      const last = await products(e);
      const [item] = carrying(last, second.newProducts[0]!.variants[0]!.correlationKey);
      assert.equal(item?.family_id, next.family, 'the size joined that family');
      assert.equal(
        new Set(last.map((p) => p.family_id)).size,
        new Set(after2.map((p) => p.family_id)).size,
        'no new family',
      );
    } finally {
      await e.close();
    }
  });
});
