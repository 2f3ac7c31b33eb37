/**
 * Issue 15, acceptance 4: a seeded likely duplicate (an item an export created beside the merchant's own item for the
 * same style, colour and size, no shared barcode) is listed with both merge directions explained; after the merge
 * in the R-Series simulator the next export of that style plans Confirmed to the kept item, in either direction
 * (the recommended one keeps Tradeloop's item; the other is followed by SKU). X-Series has no merge: relink to the
 * merchant's item, and the next plan is Confirmed to it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computePlan } from '../../src/flows/plan-export.ts';
import { wholesaleOrders } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { apiAs, startEngine, type ApiCall, type EngineHarness } from '../support/engine.ts';

/** Exports the first order that creates new items; its id and the links of the created sizes. */
async function exportWithNewItems(e: EngineHarness, call: ApiCall) {
  const connectionId = e.posConnection.id;
  const locations = (await call('GET', `/api/connections/${connectionId}/locations`)).body.locations as any[];
  for (const order of (await call('GET', '/api/orders?limit=100')).body.orders as any[]) {
    const planned = await call('POST', '/api/plans', {
      connectionId,
      locationId: locations[0].id,
      orderIds: [order.id],
    });
    if (!planned.body.canApply || planned.body.counts.newItem < 2) continue;
    assert.equal((await call('POST', `/api/plans/${planned.body.id}/apply`)).status, 202);
    await e.drain();
    const links = (await call('GET', `/api/connections/${connectionId}/item-links?limit=500`)).body.links as any[];
    return { orderId: order.id as string, created: links.filter((l) => l.origin === 'created_by_export') };
  }
  throw new Error('no demo order with two new items');
}

async function planCopy(e: EngineHarness, orderId: string): Promise<any> {
  const stored = await wholesaleOrders.get(e.ctx.store.db, e.tenantId, orderId);
  assert.ok(stored);
  const copy = { ...stored.document, sourceId: `${stored.document.sourceId}-again` };
  return computePlan(e.ctx, e.posConnection, [copy], []);
}
const decisionOf = (plan: any, variantKey: string) => plan.lines.find((l: any) => l.variantKey === variantKey).decision;

/** The merchant's own item for a size, as staff would key it: no barcode, SKU "STYLE-COLOR-SIZE". */
async function merchantItemR(e: EngineHarness, parts: any): Promise<string> {
  const t = await e.pos.control('POST', '/_sim/tokens', { clientId: 'tradeloop-sim-client' });
  const sku = `${parts.style}-${parts.color}-${parts.size}`.toUpperCase();
  const response = await fetch(`${e.pos.url}/API/V3/Account/${t.account_id}/Item.json`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ description: `Our ${parts.style} ${parts.color} ${parts.size}`, customSku: sku }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return String(((await response.json()) as any).Item.itemID);
}

/** The same on X-Series; its SKU (the reply's id may be the product's, not the variant's). */
async function merchantItemX(e: EngineHarness, parts: any): Promise<string> {
  const t = await e.pos.control('POST', '/_sim/tokens', { client_id: 'tradeloop-dev' });
  const sku = `${parts.style}-${parts.color}-${parts.size}`.toUpperCase();
  const response = await fetch(`${e.pos.url}/api/2.0/products`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Our ${parts.style} ${parts.color} ${parts.size}`, sku, price_excluding_tax: 10 }),
  });
  assert.ok(response.status < 300, await response.text());
  return sku;
}

forEachDialect('merges on lightspeed-r', (getStore) => {
  test('a likely duplicate is listed with both directions; after the merge in the POS the next plan is Confirmed to the kept item', async () => {
    const e = await startEngine(getStore(), 'lightspeed-r', { brands: 1 });
    try {
      await e.drain();
      const call = apiAs(e);
      const base = `/api/connections/${e.posConnection.id}/item-links`;
      const { orderId, created } = await exportWithNewItems(e, call);
      const [a, b] = created;
      const theirsA = await merchantItemR(e, a.parts);
      const theirsB = await merchantItemR(e, b.parts);

      const listed = await call('GET', `${base}/duplicates`);
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      const entryA = listed.body.duplicates.find((d: any) => d.ours.posItemId === a.posItemId);
      assert.ok(
        entryA,
        `duplicate of ${a.posItemId} listed: ${JSON.stringify(listed.body.duplicates.map((d: any) => d.ours.posItemId))}`,
      );
      assert.equal(entryA.theirs.posItemId, theirsA);
      assert.equal(entryA.matchedOn, 'style_color_size');
      assert.equal(entryA.advice.permanent, true);
      assert.deepEqual(
        entryA.advice.directions.map((d: any) => [d.id, d.recommended]),
        [
          ['existing_into_new', true],
          ['new_into_existing', false],
        ],
      );
      assert.match(entryA.advice.summary, /permanent/);
      assert.ok(
        listed.body.duplicates.some((d: any) => d.ours.posItemId === b.posItemId && d.theirs.posItemId === theirsB),
      );

      // A: the recommended direction (the merchant's item merged into Tradeloop's): the link already points at the kept item.
      await e.pos.control('POST', '/_sim/merge-items', {
        keepItemID: Number(a.posItemId),
        mergeItemID: Number(theirsA),
      });
      // B: the other direction (Tradeloop's item merged into the merchant's): the link follows by SKU.
      await e.pos.control('POST', '/_sim/merge-items', {
        keepItemID: Number(theirsB),
        mergeItemID: Number(b.posItemId),
      });
      const follow = await call('POST', `${base}/follow-merges`);
      assert.equal(follow.status, 200, JSON.stringify(follow.body));
      assert.deepEqual(
        follow.body.followed.map((f: any) => [f.variantKey, f.from, f.to]),
        [[b.variantKey, b.posItemId, theirsB]],
      );
      assert.deepEqual(follow.body.unresolved, []);

      const plan = await planCopy(e, orderId);
      assert.deepEqual(decisionOf(plan, a.variantKey), {
        kind: 'confirmed',
        posItemId: a.posItemId,
        origin: 'created_by_export',
      });
      assert.deepEqual(decisionOf(plan, b.variantKey), {
        kind: 'confirmed',
        posItemId: theirsB,
        origin: 'followed_merge',
      });
      // Once merged, neither pair is a likely duplicate any more.
      const after = (await call('GET', `${base}/duplicates`)).body.duplicates as any[];
      assert.ok(!after.some((d) => [a.posItemId, b.posItemId].includes(d.ours.posItemId)));
    } finally {
      await e.close();
    }
  });
});

forEachDialect('no merge on lightspeed-x', (getStore) => {
  test('the duplicate is listed with relink and deactivate; relinked, the next plan is Confirmed to the merchant item', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      await e.drain();
      const call = apiAs(e);
      const base = `/api/connections/${e.posConnection.id}/item-links`;
      const { orderId, created } = await exportWithNewItems(e, call);
      const [a] = created;
      const theirsSku = await merchantItemX(e, a.parts);
      const listed = await call('GET', `${base}/duplicates`);
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      const entry = listed.body.duplicates.find(
        (d: any) => d.ours.posItemId === a.posItemId && d.theirs.sku === theirsSku,
      );
      assert.ok(entry, JSON.stringify([a, listed.body.duplicates]));
      const theirs = entry.theirs.posItemId;
      assert.equal(entry.advice.canMerge, false);
      assert.deepEqual(
        entry.advice.directions.map((d: any) => d.id),
        ['relink_and_deactivate'],
      );
      assert.match(entry.advice.directions[0].steps.join(' '), /inactive/);

      const relinked = await call('POST', `${base}/relink-duplicate`, { ours: a.posItemId, theirs });
      assert.equal(relinked.status, 200, JSON.stringify(relinked.body));
      assert.ok(relinked.body.relinked.includes(a.variantKey));
      const plan = await planCopy(e, orderId);
      assert.deepEqual(decisionOf(plan, a.variantKey), {
        kind: 'confirmed',
        posItemId: theirs,
        origin: 'chosen_by_person',
      });
      const history = await call('GET', `${base}/history?variantKey=${encodeURIComponent(a.variantKey)}`);
      assert.deepEqual(
        history.body.events.map((ev: any) => [ev.kind, ev.posItemId, ev.origin]),
        [
          ['linked', a.posItemId, 'created_by_export'],
          ['changed', theirs, 'chosen_by_person'],
        ],
      );
      const bad = await call('POST', `${base}/relink-duplicate`, { ours: a.posItemId, theirs: 'nope' });
      assert.equal(bad.status, 400);
    } finally {
      await e.close();
    }
  });
});
