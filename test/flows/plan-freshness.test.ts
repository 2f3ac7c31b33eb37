/**
 * Issue 12, acceptance 6 (b): a UPC the merchant adds in the POS 3 s before a review shows as UPC match
 * (not New item), and the export of that review goes through (not refused as drifted). Before, a plan
 * skipped the POS change feed when the mirror was read less than 30 s earlier. Automatic sync still
 * plans from a mirror read moments ago, when no export wrote to the POS since (it plans many orders).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import type { PlanLine } from '../../src/core/plan.ts';
import { automaticSyncCreator, createPlan } from '../../src/flows/plan-export.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { startEngine, type EngineHarness } from '../support/engine.ts';

async function call(e: EngineHarness, method: string, path: string, body?: unknown) {
  return e.app.call(method, path, { token: e.token, ...(body === undefined ? {} : { body }) });
}

async function review(e: EngineHarness, orderId: string, locationId: string) {
  const response = await call(e, 'POST', '/api/plans', {
    connectionId: e.posConnection.id,
    locationId,
    orderIds: [orderId],
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body as {
    id: string;
    canApply: boolean;
    lines: PlanLine[];
    newProducts: Array<{ variants: Array<{ variantKey: string; gtin14: string | null; upc: string | null }> }>;
  };
}

for (const system of ['lightspeed-x', 'lightspeed-r'] as const) {
  forEachDialect(`plans read the POS catalog on ${system}`, (getStore) => {
    test('a UPC added to the POS 3 s before a review shows as UPC match, and the export goes through', async () => {
      const e = await startEngine(getStore(), system, { brands: 1 });
      try {
        await e.drain();
        const locations = (await call(e, 'GET', `/api/connections/${e.posConnection.id}/locations`)).body.locations;
        const location = locations.find((l: { archived: boolean }) => !l.archived);
        const orders = (await call(e, 'GET', '/api/orders?limit=100')).body.orders as Array<{ id: string }>;
        // The first review: an order with a new item that has a UPC.
        let first: Awaited<ReturnType<typeof review>> | undefined;
        let orderId = '';
        for (const order of orders) {
          const p = await review(e, order.id, location.id);
          if (p.canApply && p.newProducts.some((n) => n.variants.some((v) => v.gtin14))) {
            first = p;
            orderId = order.id;
            break;
          }
        }
        assert.ok(first, 'an order with a new item');
        const variant = first.newProducts.flatMap((n) => n.variants).find((v) => v.gtin14) as {
          variantKey: string;
          gtin14: string;
          upc: string | null;
        };
        const lineOf = (p: { lines: PlanLine[] }) => p.lines.find((l) => l.variantKey === variant.variantKey);
        assert.equal(lineOf(first)?.decision.kind, 'new_item');

        // The merchant adds an item with that UPC in the POS (as the seed's advice says), then reviews again.
        const pos = await e.ctx.connectors.pointOfSale(e.posConnection);
        const supplier =
          (await pos.findSupplier({ name: 'House Brand', sourceBrandId: 'house' }))[0] ??
          (await pos.createSupplier({ name: 'Added By Hand', sourceBrandId: 'by-hand', currency: 'USD' }));
        const added = await pos.createProduct({
          correlationKey: 'added-by-hand-0000',
          matrixKey: 'by|hand|item',
          supplierId: supplier.id,
          brandName: 'By Hand',
          styleNumber: 'HAND-1',
          color: 'Black',
          name: 'Added in the POS by the merchant',
          season: null,
          category: null,
          images: [],
          existingParentId: null,
          variants: [
            {
              variantKey: 'by|hand|item|m',
              correlationKey: 'added-by-hand-variant-0000',
              size: 'M',
              gtin14: variant.gtin14,
              upc: variant.upc,
              cost: { minor: 100, currency: 'USD' },
              retail: null,
            },
          ],
        });
        const addedId = Object.values(added.variantIds)[0];
        await sleep(3_000);
        const second = await review(e, orderId, location.id);
        const decision = lineOf(second)?.decision;
        assert.equal(decision?.kind, 'upc_match', `the added item is found: ${JSON.stringify(decision)}`);
        assert.equal((decision as { posItemId: string }).posItemId, addedId);

        // Automatic sync plans from the mirror just read: no feed request.
        await e.pos.control('DELETE', '/_sim/requests');
        await createPlan(e.ctx, e.tenantId, {
          connectionId: e.posConnection.id,
          locationId: location.id,
          orderIds: [orderId],
          createdBy: automaticSyncCreator,
        });
        const reads = ((await e.pos.control('GET', '/_sim/requests?limit=100')).recent as Array<{ path: string }>)
          .map((r) => r.path)
          .filter((p) => /products|Item\.json/.test(p));
        assert.deepEqual(reads, [], 'automatic sync reuses a mirror read moments ago');

        // Exporting that review: not refused as drifted, and the PO takes the item the merchant added.
        const applied = await call(e, 'POST', `/api/plans/${second.id}/apply`);
        assert.equal(applied.status, 202, JSON.stringify(applied.body));
        await e.drain();
        const progress = (await call(e, 'GET', `/api/plans/${second.id}/progress`)).body;
        assert.equal(progress.exports[0]?.state, 'exported', JSON.stringify(progress.exports[0]));
      } finally {
        await e.close();
      }
    });
  });
}
