/**
 * Issue 15, acceptance 3: the item-link ledger shows the origin of every link of an exported order; changing a
 * link and undoing it restores the previous plan decision; the history is kept (every event stays). Both POS
 * systems, both dialects, through the API as the page uses it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computePlan } from '../../src/flows/plan-export.ts';
import { wholesaleOrders } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { apiAs, startEngine, type ApiCall, type EngineHarness } from '../support/engine.ts';

/** Plans each order until one exports with both new items and UPC matches; exports it. */
async function exportMixedOrder(e: EngineHarness, call: ApiCall) {
  const connectionId = e.posConnection.id;
  const locations = (await call('GET', `/api/connections/${connectionId}/locations`)).body.locations as any[];
  const orders = (await call('GET', '/api/orders?limit=100')).body.orders as any[];
  for (const order of orders) {
    const planned = await call('POST', '/api/plans', {
      connectionId,
      locationId: locations[0].id,
      orderIds: [order.id],
    });
    assert.equal(planned.status, 201, JSON.stringify(planned.body));
    if (!planned.body.canApply || planned.body.counts.newItem === 0 || planned.body.counts.upcMatch === 0) continue;
    assert.equal((await call('POST', `/api/plans/${planned.body.id}/apply`)).status, 202);
    await e.drain();
    const progress = await call('GET', `/api/plans/${planned.body.id}/progress`);
    assert.equal(progress.body.exports[0].state, 'exported', JSON.stringify(progress.body.exports[0]));
    return { order, plan: planned.body, locationId: locations[0].id };
  }
  throw new Error('no demo order with both new items and UPC matches');
}

const decisionOf = (plan: any, variantKey: string) => plan.lines.find((l: any) => l.variantKey === variantKey).decision;

for (const system of ['lightspeed-x', 'lightspeed-r'] as const) {
  forEachDialect(`item-link ledger on ${system}`, (getStore) => {
    test('every link of an exported order has its origin; change + undo restores the plan decision; history kept', async () => {
      const e = await startEngine(getStore(), system, { brands: 1 });
      try {
        await e.drain();
        const call = apiAs(e);
        const base = `/api/connections/${e.posConnection.id}/item-links`;
        const { order, plan } = await exportMixedOrder(e, call);

        // The ledger names the origin of each size of the order, as the plan decided it.
        const listed = await call('GET', `${base}?limit=500`);
        assert.equal(listed.status, 200, JSON.stringify(listed.body));
        const byKey = new Map((listed.body.links as any[]).map((l) => [l.variantKey, l]));
        const exportedLines = (plan.lines as any[]).filter((l) => l.quantity > 0);
        for (const line of exportedLines) {
          const link = byKey.get(line.variantKey);
          assert.ok(link, `a link for ${line.variantKey}`);
          const expected = line.decision.kind === 'upc_match' ? 'upc_match' : 'created_by_export';
          assert.equal(link.origin, expected, line.variantKey);
          assert.equal(link.originLabel, expected === 'upc_match' ? 'UPC match' : 'Created by an export');
        }
        assert.equal(listed.body.total, new Set(exportedLines.map((l) => l.variantKey)).size);

        // The page per brand and the search find the same links.
        const brands = (await call('GET', '/api/brands')).body.brands as any[];
        const ofBrand = await call('GET', `${base}?brandId=${brands[0].id}&limit=500`);
        assert.equal(ofBrand.body.total, listed.body.total);
        const upcLines = exportedLines.filter((l) => l.decision.kind === 'upc_match');
        const upcLine = upcLines[0];
        // Another live item of the merchant's (matched for another size) to change the link to.
        const otherLine = upcLines.find((l) => l.decision.posItemId !== upcLine.decision.posItemId);
        assert.ok(otherLine, 'two UPC-matched sizes');
        const upcLink = byKey.get(upcLine.variantKey);
        const found = await call('GET', `${base}?q=${encodeURIComponent(upcLink.posItemId)}`);
        assert.ok(found.body.links.some((l: any) => l.variantKey === upcLine.variantKey));

        // A reorder of the same sizes plans Confirmed, naming the origin.
        const before = await planOfOrderCopy(e, order);
        assert.deepEqual(decisionOf(before, upcLine.variantKey), {
          kind: 'confirmed',
          posItemId: upcLink.posItemId,
          origin: 'upc_match',
        });

        // Change the UPC-matched size's link to another size's item, then undo.
        const otherItem = otherLine.decision.posItemId;
        const changed = await call('POST', `${base}/change`, { variantKey: upcLine.variantKey, posItemId: otherItem });
        assert.equal(changed.status, 200, JSON.stringify(changed.body));
        assert.equal(changed.body.link.posItemId, otherItem);
        assert.equal(changed.body.link.origin, 'chosen_by_person');
        const afterChange = await planOfOrderCopy(e, order);
        assert.deepEqual(decisionOf(afterChange, upcLine.variantKey), {
          kind: 'confirmed',
          posItemId: otherItem,
          origin: 'chosen_by_person',
        });

        const undone = await call('POST', `${base}/undo`, { variantKey: upcLine.variantKey });
        assert.equal(undone.status, 200, JSON.stringify(undone.body));
        assert.equal(undone.body.link.posItemId, upcLink.posItemId);
        assert.equal(undone.body.link.origin, 'upc_match');
        const afterUndo = await planOfOrderCopy(e, order);
        assert.deepEqual(decisionOf(afterUndo, upcLine.variantKey), {
          kind: 'confirmed',
          posItemId: upcLink.posItemId,
          origin: 'upc_match',
        });

        // History kept: the first link, the change and the undo, each with who and when.
        const history = await call('GET', `${base}/history?variantKey=${encodeURIComponent(upcLine.variantKey)}`);
        assert.deepEqual(
          history.body.events.map((ev: any) => [ev.seq, ev.kind, ev.posItemId, ev.origin]),
          [
            [1, 'linked', upcLink.posItemId, 'upc_match'],
            [2, 'changed', otherItem, 'chosen_by_person'],
            [3, 'undone', upcLink.posItemId, 'upc_match'],
          ],
        );
        assert.equal(history.body.events[2].undoes, 2);
        assert.ok(history.body.events.every((ev: any) => ev.by && !Number.isNaN(Date.parse(ev.at))));

        // Forget, then undo: the link comes back; nothing further back than the first link to undo past it.
        assert.equal(
          (await call('POST', `${base}/change`, { variantKey: upcLine.variantKey, posItemId: null })).status,
          200,
        );
        const forgotten = await call('GET', `${base}?q=${encodeURIComponent(upcLink.posItemId)}`);
        assert.ok(!forgotten.body.links.some((l: any) => l.variantKey === upcLine.variantKey));
        assert.equal(
          (await call('POST', `${base}/undo`, { variantKey: upcLine.variantKey })).body.link.posItemId,
          upcLink.posItemId,
        );

        // Bad input changes nothing and says what is wrong.
        const bad = await call('POST', `${base}/change`, { variantKey: upcLine.variantKey, posItemId: 'no-such-item' });
        assert.equal(bad.status, 400);
        assert.match(bad.body.error.message, /posItemId/);
        const unknown = await call('POST', `${base}/undo`, { variantKey: 'nobody|nothing|none|x' });
        assert.equal(unknown.status, 404);
        const after = await call('GET', `${base}/history?variantKey=${encodeURIComponent(upcLine.variantKey)}`);
        assert.equal(after.body.events.length, 5);
      } finally {
        await e.close();
      }
    });
  });
}

/**
 * The plan the next order of the same sizes gets (a reorder): the exported order itself is exported once, so a copy
 * under another NuORDER id is planned against the mirror and the ledger as they are now.
 */
async function planOfOrderCopy(e: EngineHarness, order: any): Promise<any> {
  const stored = await wholesaleOrders.get(e.ctx.store.db, e.tenantId, order.id);
  assert.ok(stored);
  const copy = {
    ...stored.document,
    sourceId: `${stored.document.sourceId}-again`,
    orderNumber: `${stored.document.orderNumber}-2`,
  };
  return computePlan(e.ctx, e.posConnection, [copy], []);
}
