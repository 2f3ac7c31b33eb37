import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ExportPlan, PlanLine } from '../../src/core/plan.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { startEngine, type EngineHarness } from '../support/engine.ts';
import { readPos } from '../support/pos-state.ts';
import { buildScenario, scenarioOptions } from '../../src/simulators/shared/scenario.ts';

type Pos = 'lightspeed-x' | 'lightspeed-r';

/** The buyer's REST calls, with the tenant's API token. */
function api(e: EngineHarness) {
  return async (method: string, path: string, body?: unknown) => {
    const response = await e.app.call(method, path, { token: e.token, ...(body === undefined ? {} : { body }) });
    return response;
  };
}

async function ordersOf(
  e: EngineHarness,
): Promise<Array<{ id: string; orderNumber: string; brand: string; sync: any[] }>> {
  const response = await api(e)('GET', '/api/orders?limit=100');
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.orders;
}

async function locationsOf(e: EngineHarness): Promise<Array<{ id: string; name: string }>> {
  const response = await api(e)('GET', `/api/connections/${e.posConnection.id}/locations`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.locations;
}

async function plan(
  e: EngineHarness,
  orderIds: string[],
  locationId: string,
  overrides: unknown[] = [],
): Promise<
  { id: string; canApply: boolean; counts: Record<string, number> } & Pick<
    ExportPlan,
    'lines' | 'newProducts' | 'purchaseOrders' | 'warnings' | 'blockers'
  >
> {
  const response = await api(e)('POST', '/api/plans', {
    connectionId: e.posConnection.id,
    locationId,
    orderIds,
    overrides,
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

async function exportAndWait(e: EngineHarness, planId: string): Promise<any[]> {
  const applied = await api(e)('POST', `/api/plans/${planId}/apply`);
  assert.equal(applied.status, 202, JSON.stringify(applied.body));
  await e.drain();
  const progress = await api(e)('GET', `/api/plans/${planId}/progress`);
  return progress.body.exports;
}

/** Orders created at the NuORDER simulator as a buyer would, approved by the brand, then pulled with "Sync now". */
async function newApprovedOrder(
  e: EngineHarness,
  brand: string,
  lines: Array<{ productId: string; size: string; quantity: number }>,
): Promise<string> {
  const created = await e.nuorder.control('POST', '/_sim/orders', { brand, lines, status: 'approved' });
  const sync = await api(e)('POST', '/api/orders/sync');
  assert.equal(sync.status, 202);
  await e.drain();
  const found = (await ordersOf(e)).find((o) => o.orderNumber === created.order.order_number);
  assert.ok(found, `order ${created.order.order_number} was ingested`);
  return found.id;
}

/** The NuORDER product id of a plan line (its line key is product id + size). */
const productIdOf = (line: PlanLine): string => decodeURIComponent(line.lineKey.split(':')[0] ?? '');

/** A demo catalog size that has no UPC at all, as some brands send. */
function sizeWithoutUpc(brandName: string): { productId: string; size: string } {
  const scenario = buildScenario(scenarioOptions('demo'));
  const brand = scenario.brands.find((b) => b.name === brandName)!;
  for (const style of scenario.styles.filter((s) => s.brandId === brand.id)) {
    const size = style.sizes.find((z) => z.upc === null);
    if (size) return { productId: style.id, size: size.size };
  }
  throw new Error(`the demo catalog of ${brandName} has no size without a UPC`);
}

for (const system of ['lightspeed-x', 'lightspeed-r'] as const satisfies readonly Pos[]) {
  forEachDialect(`export to ${system}`, (getStore) => {
    let e: EngineHarness;
    before(() => undefined);
    after(() => undefined);

    test('a demo order exports with the right PO, new drafts and links; again is refused; a reorder is all Confirmed', async () => {
      e = await startEngine(getStore(), system);
      try {
        await e.drain();
        const orders = await ordersOf(e);
        assert.equal(orders.length, 12, 'the 12 approved demo orders were ingested');
        assert.ok(orders.every((o) => o.sync.length === 1 && o.sync[0].status.state === 'not_exported'));
        const locations = await locationsOf(e);
        assert.ok(locations.length >= 2);
        const location = locations[1] as { id: string; name: string };

        // The first order that needs no review and has both matched and new lines.
        let chosen: { order: (typeof orders)[number]; plan: Awaited<ReturnType<typeof plan>> } | undefined;
        for (const order of orders) {
          const p = await plan(e, [order.id], location.id);
          if (p.canApply && p.counts['upcMatch']! > 0 && p.counts['newItem']! > 0) {
            chosen = { order, plan: p };
            break;
          }
        }
        assert.ok(chosen, 'a demo order with matched and new lines and nothing to review');
        const { order, plan: p } = chosen;

        const before = await readPos(e.pos, system);
        const [result] = await exportAndWait(e, p.id);
        assert.equal(result.state, 'exported', JSON.stringify(result));
        assert.ok(result.poNumber);
        assert.equal(result.summary.linesSynced, p.counts['poLines']);
        assert.equal(result.summary.newDraftItems, p.counts['newVariants']);
        assert.equal(result.summary.matchedItemsUpdated, p.counts['upcMatch']);

        const afterExport = await readPos(e.pos, system);
        const newPos = afterExport.purchaseOrders.filter((po) => !before.purchaseOrders.some((b) => b.id === po.id));
        assert.equal(newPos.length, 1, 'exactly one purchase order');
        const po = newPos[0]!;
        assert.equal(po.id, result.poId);
        assert.equal(po.locationId, location.id, 'at the chosen location');
        assert.equal(po.supplierName, order.brand, "the brand's supplier");
        assert.ok(po.reference.length > 0, 'carries its correlation reference');
        const planned = p.purchaseOrders[0]!;
        assert.equal(po.lines.length, planned.lines.length, 'every line present');
        assert.equal(
          po.lines.reduce((n, l) => n + l.quantity, 0),
          planned.lines.reduce((n, l) => n + l.quantity, 0),
          'quantities',
        );
        for (const line of planned.lines) {
          assert.ok(
            po.lines.some((l) => Math.abs(l.cost - line.unitCost.minor / 100) < 0.005 && l.quantity === line.quantity),
            `a line of ${line.quantity} at ${line.unitCost.minor / 100}`,
          );
        }

        const newItems = afterExport.items.filter((i) => !before.items.some((b) => b.id === i.id));
        const plannedVariants = p.newProducts.flatMap((np) =>
          np.variants.map((v) => ({ ...v, color: np.color, styleNumber: np.styleNumber })),
        );
        assert.equal(newItems.length, plannedVariants.length, 'one new draft item per new variant, no more');
        for (const variant of plannedVariants) {
          const item = newItems.find((i) => i.gtin14 === variant.gtin14);
          assert.ok(item, `a new item with UPC ${variant.upc}`);
          assert.ok(
            item.options.some((o) => o.includes(variant.size)),
            `size ${variant.size} on the item (${item.options.join(', ')})`,
          );
          assert.ok(
            item.options.some((o) => o.includes(variant.color)),
            `color ${variant.color} on the item`,
          );
          assert.ok(Math.abs(item.cost - variant.cost.minor / 100) < 0.005, 'cost');
          // The SKU staff see reads as the item (style-color-size), not as an internal key.
          const words = (text: string) =>
            text
              .toLowerCase()
              .replace(/[^a-z0-9]+/g, '-')
              .replace(/^-|-$/g, '');
          assert.ok(
            item.sku.startsWith(`${words(variant.styleNumber)}-${words(variant.color)}-${words(variant.size)}-`),
            `SKU ${item.sku} names style and size`,
          );
          if (variant.retail)
            assert.ok(Math.abs((item.retail ?? 0) - variant.retail.minor / 100) < 0.005, 'retail price');
        }

        const status = (await ordersOf(e)).find((o) => o.id === order.id)!.sync[0].status;
        assert.equal(status.state, 'exported');
        assert.equal(status.poNumber, result.poNumber);

        const again = await api(e)('POST', '/api/plans', {
          connectionId: e.posConnection.id,
          locationId: location.id,
          orderIds: [order.id],
        });
        assert.equal(again.status, 409);
        assert.equal(again.body.error.code, 'ORDER_ALREADY_EXPORTED');
        assert.match(again.body.error.message, new RegExp(String(result.poNumber)));
        const reapply = await api(e)('POST', `/api/plans/${p.id}/apply`);
        assert.equal(reapply.status, 409);
        assert.equal(reapply.body.error.code, 'PLAN_ALREADY_APPLIED');

        // The same styles ordered again: every line is Confirmed from the links the export recorded.
        const detail = await api(e)('GET', `/api/orders/${order.id}`);
        const reorderLines = (detail.body.document.lines as any[]).map((l) => ({
          productId: l.productSourceId,
          size: l.size,
          quantity: 2,
        }));
        const reorderId = await newApprovedOrder(e, order.brand, reorderLines);
        const reorder = await plan(e, [reorderId], location.id);
        assert.equal(reorder.counts['confirmed'], reorder.counts['lines'], JSON.stringify(reorder.counts));
        assert.equal(reorder.counts['newItem'], 0);

        // The brand cancels the exported order in NuORDER: it leaves the approved list, and the next
        // sync still notices, and records the cancellation as an amendment (never applied silently).
        await e.nuorder.control('POST', `/_sim/orders/${order.orderNumber}/status`, { action: 'cancel' });
        const sync = await api(e)('POST', '/api/orders/sync');
        assert.equal(sync.status, 202);
        await e.drain();
        const cancelled = await api(e)('GET', `/api/orders/${order.id}`);
        assert.equal(cancelled.body.status, 'cancelled');
        assert.equal(cancelled.body.amendments.length, 1);
        assert.deepEqual(
          (cancelled.body.amendments[0].changes as any[]).filter((c) => c.kind === 'status_changed'),
          [{ kind: 'status_changed', lineKey: null, before: 'approved', after: 'cancelled', cancellation: true }],
        );
        // Still exported: the PO in the POS is the buyer's to cancel.
        assert.equal(cancelled.body.sync[0].status.state, 'exported');
        // A sync with nothing new re-reads nothing: no second amendment.
        await api(e)('POST', '/api/orders/sync');
        await e.drain();
        assert.equal((await api(e)('GET', `/api/orders/${order.id}`)).body.amendments.length, 1);

        // The reorder, planned but not exported, is cancelled too: its plan is refused, and so is a new
        // one; nothing reaches the POS.
        const reorderNumber = (await api(e)('GET', `/api/orders/${reorderId}`)).body.orderNumber;
        await e.nuorder.control('POST', `/_sim/orders/${reorderNumber}/status`, { action: 'cancel' });
        await api(e)('POST', '/api/orders/sync');
        await e.drain();
        const posBefore = await readPos(e.pos, system);
        const refused = await api(e)('POST', `/api/plans/${reorder.id}/apply`);
        assert.equal(refused.status, 409);
        assert.equal(refused.body.error.code, 'ORDER_CANCELLED');
        assert.match(refused.body.error.message, new RegExp(`${reorderNumber} was cancelled in NuORDER`));
        const replanned = await api(e)('POST', '/api/plans', {
          connectionId: e.posConnection.id,
          locationId: location.id,
          orderIds: [reorderId],
        });
        assert.equal(replanned.status, 409);
        assert.equal(replanned.body.error.code, 'ORDER_CANCELLED');
        assert.deepEqual(await readPos(e.pos, system), posBefore, 'nothing written to the POS');

        // A NuORDER that refuses the cancelled listing does not stop new approved orders from arriving.
        await e.nuorder.control('POST', '/_sim/faults', {
          kind: 'error',
          status: 404,
          method: 'GET',
          path: '/api/orders/cancelled/list',
        });
        const nuorderSyncedAt = async (): Promise<number> =>
          Date.parse(
            ((await api(e)('GET', '/api/connections')).body.connections as any[]).find((c) => c.system === 'nuorder')
              .lastSyncAt,
          );
        const syncedBefore = await nuorderSyncedAt();
        await new Promise((resolve) => setTimeout(resolve, 5));
        await newApprovedOrder(e, order.brand, reorderLines.slice(0, 1));
        await e.nuorder.control('DELETE', '/_sim/faults');
        assert.ok((await nuorderSyncedAt()) > syncedBefore, 'the sync finished and counted');
        const log = await e.nuorder.control('GET', '/_sim/requests?limit=50');
        assert.ok(
          (log.recent as any[]).some((r) => r.path === '/api/orders/cancelled/list' && r.status === 404),
          'the cancelled listing was asked and refused',
        );
      } finally {
        await e.close();
      }
    });

    test('matching: EAN-13 with a leading zero matches UPC-A; duplicates, archived-only and missing UPCs need review; overrides are honoured', async () => {
      e = await startEngine(getStore(), system);
      try {
        await e.drain();
        const orders = await ordersOf(e);
        const [location] = await locationsOf(e);
        // One bulk plan over every demo order shows every case the demo catalog holds.
        const all = await plan(
          e,
          orders.map((o) => o.id),
          location!.id,
        );
        const lines = all.lines;
        const ean13Match = lines.find((l) => l.decision.kind === 'upc_match' && /^0\d{12}$/.test(l.rawUpc ?? ''));
        assert.ok(ean13Match, 'a line ordered as EAN-13 with a leading zero matched the UPC-A item');
        const duplicate = lines.find(
          (l) =>
            l.decision.kind === 'needs_review' &&
            l.decision.reason === 'duplicate_upc' &&
            l.decision.candidates.length === 2,
        );
        assert.ok(duplicate, 'a UPC held by two POS items needs review, with both candidates');
        assert.ok(
          all.warnings.some((w) => w.code.includes('DUPLICATE')),
          'with a duplicate-UPC warning',
        );
        const archived = lines.find((l) => l.decision.kind === 'needs_review' && l.decision.reason === 'archived_only');
        assert.ok(archived, 'an archived-only match needs review');
        assert.equal(all.canApply, false);
        assert.ok(all.blockers.some((b) => b.code === 'LINES_NEED_REVIEW'));
        // A size the brand sends without any UPC.
        const missing = sizeWithoutUpc(orders[0]!.brand);
        const noUpcOrder = await newApprovedOrder(e, orders[0]!.brand, [{ ...missing, quantity: 2 }]);
        const noUpcPlan = await plan(e, [noUpcOrder], location!.id);
        const noUpc = noUpcPlan.lines[0]!;
        assert.equal(noUpc.decision.kind, 'needs_review');
        assert.equal((noUpc.decision as Extract<PlanLine['decision'], { kind: 'needs_review' }>).reason, 'no_upc');
        const createdNew = await api(e)('POST', `/api/plans/${noUpcPlan.id}/overrides`, {
          overrides: [{ scope: 'line', key: noUpc.variantKey, action: { kind: 'create_new' } }],
        });
        assert.equal((createdNew.body.lines as PlanLine[])[0]!.decision.kind, 'new_item', 'create new is honoured');
        assert.equal(createdNew.body.canApply, true);

        // The buyer decides: link the duplicate to one candidate, create the others new.
        const candidate = (duplicate.decision as Extract<PlanLine['decision'], { kind: 'needs_review' }>)
          .candidates[0]!;
        const overridden = await api(e)('POST', `/api/plans/${all.id}/overrides`, {
          overrides: [
            { scope: 'line', key: duplicate.variantKey, action: { kind: 'link', posItemId: candidate.posItemId } },
            { scope: 'line', key: archived.variantKey, action: { kind: 'create_new' } },
          ],
        });
        assert.equal(overridden.status, 200, JSON.stringify(overridden.body));
        const decided = (key: string) =>
          (overridden.body.lines as PlanLine[]).find((l) => l.variantKey === key)!.decision;
        assert.deepEqual(decided(duplicate.variantKey), {
          kind: 'linked_by_buyer',
          posItemId: candidate.posItemId,
          scope: 'line',
        });
        assert.equal(decided(archived.variantKey).kind, 'new_item');
        const unknown = await api(e)('POST', `/api/plans/${all.id}/overrides`, {
          overrides: [
            { scope: 'line', key: duplicate.variantKey, action: { kind: 'link', posItemId: 'no-such-item' } },
          ],
        });
        assert.equal(unknown.status, 200);
        assert.ok(
          unknown.body.overrideProblems.some((p: any) => p.code === 'UNKNOWN_POS_ITEM'),
          'an override naming an unknown item is reported',
        );
      } finally {
        await e.close();
      }
    });

    test('a bulk plan of three orders sharing a new style creates it once', async () => {
      e = await startEngine(getStore(), system, { brands: 1 });
      try {
        await e.drain();
        const [location] = await locationsOf(e);
        const orders = await ordersOf(e);
        // A style/color none of whose sizes exist in the POS, from a demo order of this brand.
        const probe = await plan(
          e,
          orders.map((o) => o.id),
          location!.id,
        );
        const fresh = probe.newProducts.find((np) => np.variants.length >= 2 && np.variants.every((v) => v.gtin14));
        assert.ok(fresh, 'a new style in the demo orders');
        const productId = probe.lines.find(
          (l) => l.decision.kind === 'new_item' && l.decision.matrixKey === fresh.matrixKey,
        )!.lineKey;
        const productId2 = productIdOf(probe.lines.find((l) => l.lineKey === productId)!);
        const lines = fresh.variants.map((v) => ({ productId: productId2, size: v.size, quantity: 3 }));
        const brand = orders[0]!.brand;
        const ids = [
          await newApprovedOrder(e, brand, lines),
          await newApprovedOrder(e, brand, lines),
          await newApprovedOrder(e, brand, lines),
        ];
        const bulk = await plan(e, ids, location!.id);
        assert.equal(bulk.canApply, true, JSON.stringify(bulk.blockers));
        assert.equal(bulk.newProducts.filter((np) => np.matrixKey === fresh.matrixKey).length, 1, 'planned once');
        assert.equal(bulk.purchaseOrders.length, 3);
        const before = await readPos(e.pos, system);
        const results = await exportAndWait(e, bulk.id);
        assert.deepEqual(
          results.map((r) => r.state),
          ['exported', 'exported', 'exported'],
        );
        const afterExport = await readPos(e.pos, system);
        for (const variant of fresh.variants) {
          assert.equal(
            afterExport.items.filter((i) => i.gtin14 === variant.gtin14).length,
            1,
            `one item with UPC ${variant.upc}`,
          );
        }
        assert.equal(afterExport.purchaseOrders.length - before.purchaseOrders.length, 3, 'three purchase orders');
      } finally {
        await e.close();
      }
    });

    test('drift: a POS item created between plan and apply yields PLAN_DRIFTED and writes nothing', async () => {
      e = await startEngine(getStore(), system, { brands: 1 });
      try {
        await e.drain();
        const [location] = await locationsOf(e);
        const orders = await ordersOf(e);
        let target: Awaited<ReturnType<typeof plan>> | undefined;
        for (const order of orders) {
          const p = await plan(e, [order.id], location!.id);
          if (p.canApply && p.newProducts.length > 0) {
            target = p;
            break;
          }
        }
        assert.ok(target);
        const variant = target.newProducts[0]!.variants.find((v) => v.gtin14)!;
        // Someone creates an item with one of the planned UPCs in the POS (another app, or a person).
        const pos = await e.ctx.connectors.pointOfSale(e.posConnection);
        const suppliers = await pos.findSupplier({ name: 'House Brand', sourceBrandId: 'house' });
        const supplier =
          suppliers[0] ??
          (await pos.createSupplier({ name: 'Drift Test Supplier', sourceBrandId: 'drift-test', currency: 'USD' }));
        await pos.createProduct({
          correlationKey: 'drift-test-product-0000',
          matrixKey: 'drift|test|item',
          supplierId: supplier.id,
          brandName: 'Drift Test',
          styleNumber: 'DRIFT-1',
          color: 'Black',
          name: 'Created by hand',
          season: null,
          category: null,
          images: [],
          existingParentId: null,
          variants: [
            {
              variantKey: 'drift|test|item|m',
              correlationKey: 'drift-test-variant-0000',
              size: 'M',
              gtin14: variant.gtin14,
              upc: variant.upc,
              cost: { minor: 100, currency: 'USD' },
              retail: null,
            },
          ],
        });
        await e.pos.control('DELETE', '/_sim/requests');
        const applied = await api(e)('POST', `/api/plans/${target.id}/apply`);
        assert.equal(applied.status, 409);
        assert.equal(applied.body.error.code, 'PLAN_DRIFTED');
        assert.ok(applied.body.error.details.changes.length > 0, 'says what changed');
        const fresh = await api(e)('GET', `/api/plans/${applied.body.error.details.freshPlanId}`);
        assert.equal(fresh.status, 200);
        assert.equal(fresh.body.state, 'draft');
        const writes = (await e.pos.control('GET', '/_sim/requests?limit=1000')).recent.filter(
          (r: any) => r.method !== 'GET',
        );
        assert.deepEqual(writes, [], 'no write reached the POS');
        const old = await api(e)('GET', `/api/plans/${target.id}`);
        assert.equal(old.body.state, 'superseded');
      } finally {
        await e.close();
      }
    });
  });
}

forEachDialect('export: bad input and automatic sync', (getStore) => {
  test('malformed ids, unknown orders, another tenant’s order, a foreign location, an applied plan: clear 4xx, nothing written', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      await e.drain();
      const call = api(e);
      const orders = await ordersOf(e);
      const [location] = await locationsOf(e);
      const startRequests = (await e.pos.control('GET', '/_sim/requests')).total;

      const malformed = await call('GET', '/api/orders/not-an-id');
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error.details[0].path, 'id');
      const badPlan = await call('POST', '/api/plans', {
        connectionId: e.posConnection.id,
        locationId: location!.id,
        orderIds: ['nope'],
      });
      assert.equal(badPlan.status, 400);
      const unknown = await call('POST', '/api/plans', {
        connectionId: e.posConnection.id,
        locationId: location!.id,
        orderIds: [crypto.randomUUID()],
      });
      assert.equal(unknown.status, 404);

      const stranger = await e.app.newTenant('Someone Else');
      const foreign = await e.app.call('GET', `/api/orders/${orders[0]!.id}`, { token: stranger.token });
      assert.equal(foreign.status, 404);
      const foreignPlan = await e.app.call('POST', '/api/plans', {
        token: stranger.token,
        body: { connectionId: e.posConnection.id, locationId: location!.id, orderIds: [orders[0]!.id] },
      });
      assert.equal(foreignPlan.status, 404, 'another tenant cannot use this connection either');

      const wrongLocation = await call('POST', '/api/plans', {
        connectionId: e.posConnection.id,
        locationId: 'outlet-of-another-store',
        orderIds: [orders[0]!.id],
      });
      assert.equal(wrongLocation.status, 400);
      assert.equal(wrongLocation.body.error.code, 'LOCATION_UNKNOWN');

      const writesSoFar = ((await e.pos.control('GET', '/_sim/requests?limit=5000')).recent as any[]).filter(
        (r) => r.method !== 'GET',
      ).length;
      assert.equal(writesSoFar, 0, 'no write reached the POS');
      assert.ok((await e.pos.control('GET', '/_sim/requests')).total >= startRequests);
      const exportsRows = await e.ctx.store.db.selectFrom('exports').selectAll().execute();
      assert.equal(exportsRows.length, 0, 'no export recorded');

      const needsReview = (await Promise.all(orders.map((o) => plan(e, [o.id], location!.id)))).find(
        (p) => !p.canApply,
      );
      if (needsReview) {
        const refused = await call('POST', `/api/plans/${needsReview.id}/apply`);
        assert.equal(refused.status, 409);
        assert.equal(refused.body.error.code, 'PLAN_NEEDS_REVIEW');
      }
    } finally {
      await e.close();
    }
  });

  test('an order in another currency than the POS keeps is blocked at review, named, and nothing is written', async () => {
    const e = await startEngine(getStore(), 'lightspeed-r', { brands: 1 });
    try {
      await e.drain();
      // R-Series does not say its currency: the buyer sets it on the connection.
      const bad = await api(e)('PATCH', `/api/connections/${e.posConnection.id}`, { currency: 'euros' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details[0].path, 'currency');
      const set = await api(e)('PATCH', `/api/connections/${e.posConnection.id}`, { currency: 'eur' });
      assert.equal(set.status, 200);
      assert.equal(set.body.currency, 'EUR');
      const nuorderConnection = e.sources[0]!;
      const notPos = await api(e)('PATCH', `/api/connections/${nuorderConnection.id}`, { currency: 'EUR' });
      assert.equal(notPos.status, 400);
      assert.match(notPos.body.error.message, /currency: a NuORDER connection takes no currency/);
      const [location] = await locationsOf(e);
      const [order] = await ordersOf(e);
      const p = await plan(e, [order!.id], location!.id);
      assert.equal(p.canApply, false);
      const blocker = (p.blockers as any[]).find((b) => b.code === 'CURRENCY_MISMATCH');
      assert.ok(blocker, JSON.stringify(p.blockers));
      assert.match(
        blocker.message,
        new RegExp(`order ${order!.orderNumber} is in USD, and the POS keeps costs in EUR`),
      );
      const refused = await api(e)('POST', `/api/plans/${p.id}/apply`);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'PLAN_NEEDS_REVIEW');
      const writes = ((await e.pos.control('GET', '/_sim/requests?limit=5000')).recent as any[]).filter(
        (r) => r.method !== 'GET',
      );
      assert.deepEqual(writes, [], 'nothing written to the POS');
      // Back to the store's real currency: the same order plans without the block.
      await api(e)('PATCH', `/api/connections/${e.posConnection.id}`, { currency: 'USD' });
      const again = await plan(e, [order!.id], location!.id);
      assert.deepEqual(
        (again.blockers as any[]).filter((b) => b.code === 'CURRENCY_MISMATCH'),
        [],
      );
    } finally {
      await e.close();
    }
  });

  test('a failed export: a new plan for the order is refused with the reason and the way out (retry), and the retry finishes', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      await e.drain();
      const [location] = await locationsOf(e);
      const orders = await ordersOf(e);
      let target: Awaited<ReturnType<typeof plan>> | undefined;
      let orderId = '';
      for (const o of orders) {
        const p = await plan(e, [o.id], location!.id);
        if (p.canApply) {
          target = p;
          orderId = o.id;
          break;
        }
      }
      assert.ok(target);
      await e.pos.control('POST', '/_sim/faults', {
        kind: 'error',
        method: 'POST',
        path: '/api/2.0/consignments',
        status: 422,
        times: 1,
        body: { error: 'Supplier is inactive' },
      });
      const [failed] = await exportAndWait(e, target.id);
      assert.equal(failed.state, 'failed');
      const again = await api(e)('POST', '/api/plans', {
        connectionId: e.posConnection.id,
        locationId: location!.id,
        orderIds: [orderId],
      });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'ORDER_ALREADY_EXPORTED');
      assert.match(again.body.error.message, /failed to export to this POS \(.*Supplier is inactive.*\); retry/);
      const retried = await api(e)('POST', `/api/exports/${failed.id}/retry`);
      assert.equal(retried.status, 202, JSON.stringify(retried.body));
      await e.drain();
      const progress = await api(e)('GET', `/api/plans/${target.id}/progress`);
      assert.equal(progress.body.exports[0].state, 'exported');
    } finally {
      await e.close();
    }
  });

  test('automatic sync: a new approved order with nothing to review becomes a PO by itself; one that needs review waits', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      await e.drain();
      const call = api(e);
      const [location] = await locationsOf(e);
      const patched = await call('PATCH', `/api/connections/${e.posConnection.id}`, {
        syncMode: 'automatic',
        defaultLocationId: location!.id,
      });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.syncMode, 'automatic');

      const orders = await ordersOf(e);
      const all = await plan(
        e,
        orders.map((o) => o.id),
        location!.id,
      );
      const clean = all.lines
        .filter((l) => l.decision.kind === 'upc_match' || l.decision.kind === 'new_item')
        .slice(0, 3);
      const review =
        all.lines.find((l) => l.decision.kind === 'needs_review' && l.decision.reason !== 'no_upc') ??
        all.lines.find((l) => l.decision.kind === 'needs_review');
      assert.ok(clean.length > 0 && review);
      const brand = orders[0]!.brand;
      const before = await readPos(e.pos, 'lightspeed-x');

      const cleanId = await newApprovedOrder(
        e,
        brand,
        clean.map((l) => ({ productId: productIdOf(l), size: l.size, quantity: 1 })),
      );
      const reviewId = await newApprovedOrder(e, brand, [
        { productId: productIdOf(review), size: review.size, quantity: 1 },
      ]);
      await e.drain();

      const statuses = await ordersOf(e);
      const cleanStatus = statuses.find((o) => o.id === cleanId)!.sync[0].status;
      const reviewStatus = statuses.find((o) => o.id === reviewId)!.sync[0].status;
      assert.equal(cleanStatus.state, 'exported', JSON.stringify(cleanStatus));
      assert.equal(reviewStatus.state, 'needs_review', JSON.stringify(reviewStatus));
      const afterSync = await readPos(e.pos, 'lightspeed-x');
      assert.equal(
        afterSync.purchaseOrders.length - before.purchaseOrders.length,
        1,
        'one PO, for the clean order only',
      );
      assert.equal(afterSync.purchaseOrders.find((po) => po.id === cleanStatus.poId)?.locationId, location!.id);
    } finally {
      await e.close();
    }
  });
});
