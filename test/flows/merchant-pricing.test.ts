import assert from 'node:assert/strict';
import { test } from 'node:test';
import { money } from '../../src/core/money.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { buyer } from '../support/buyer.ts';
import { startEngine } from '../support/engine.ts';
import { readPos } from '../support/pos-state.ts';

/** cost × factor (tenths), rounded up to .99, never below the MSRP: the arithmetic the test expects, in cents. */
function expected(costCents: number, msrpCents: number | null, factorTenths: number): number {
  const base = Math.ceil((costCents * factorTenths) / 10);
  const ending = Math.floor(base / 100) * 100 + 99;
  const rounded = ending >= base ? ending : ending + 100;
  return msrpCents !== null && msrpCents > rounded ? msrpCents : rounded;
}

const policy = (factor: number) => ({
  rule: { basis: { kind: 'markup', factor }, rounding: '.99', floorAtMsrp: true, minMarginPercent: null },
  brands: {},
});

for (const system of ['lightspeed-x', 'lightspeed-r'] as const) {
  forEachDialect(`pricing policy on ${system}`, (getStore) => {
    test('cost × 2.2 rounded to .99 with an MSRP floor: dry run, review, new items carry it; a merchant-edited price survives the reorder', async () => {
      const e = await startEngine(getStore(), system, { brands: 1 });
      try {
        await e.drain();
        const api = buyer(e);
        const pricing = `/api/connections/${e.posConnection.id}/pricing`;

        // A bad policy is refused by field and changes nothing.
        const bad = await api.call('PUT', pricing, {
          policy: { rule: { basis: { kind: 'markup', factor: 0.5 }, rounding: '.98', floorAtMsrp: 'yes' } },
        });
        assert.equal(bad.status, 400);
        const paths = (bad.body.error.details as Array<{ path: string }>).map((d) => d.path).sort();
        assert.deepEqual(paths, ['rule.basis.factor', 'rule.floorAtMsrp', 'rule.minMarginPercent', 'rule.rounding']);
        assert.equal((await api.ok('GET', pricing)).version, 0);

        // The dry run over the demo orders lists what the policy would change, before it is saved.
        const dry = await api.ok('POST', `${pricing}/dry-run`, policy(2.2));
        assert.ok(
          dry.orders >= 4 && dry.changes.length > 0,
          JSON.stringify({ orders: dry.orders, n: dry.changes.length }),
        );
        for (const c of dry.changes) {
          assert.equal(c.next.minor, expected(c.cost.minor, c.msrp?.minor ?? null, 22), JSON.stringify(c));
          assert.match(c.rule, /^cost × 2\.2, rounded up to \.99/);
        }
        assert.equal((await api.ok('GET', pricing)).version, 0, 'a dry run saves nothing');

        // Overridable per brand: this brand marked up × 3 instead; a bad override is named by its path.
        const [portal] = (await api.ok('GET', '/api/brands')).brands;
        const perBrand = (factor: number) => ({
          ...policy(2.2),
          brands: { [portal.sourceId]: { basis: { kind: 'markup', factor } } },
        });
        const badBrand = await api.call('POST', `${pricing}/dry-run`, perBrand(0));
        assert.equal(badBrand.status, 400);
        assert.equal(badBrand.body.error.details[0].path, `brands.${portal.sourceId}.basis.factor`);
        const brandDry = await api.ok('POST', `${pricing}/dry-run`, perBrand(3));
        for (const c of brandDry.changes) assert.equal(c.next.minor, expected(c.cost.minor, c.msrp?.minor ?? null, 30));

        const saved = await api.ok('PUT', pricing, { policy: policy(2.2), followBrandPrices: true });
        assert.equal(saved.version, 1);

        // The review: every new item with its cost, MSRP, the price to be written and its rule.
        const [location] = await api.locations();
        let chosen: (Awaited<ReturnType<typeof api.plan>> & { orderId: string }) | undefined;
        for (const order of await api.orders()) {
          const p = await api.plan([order.id], location!.id);
          if (p.canApply && p.newProducts.length > 0) {
            chosen = { ...p, orderId: order.id };
            break;
          }
        }
        assert.ok(chosen, 'a demo order with new items and nothing to review');
        assert.equal(chosen.pricingVersion, 1);
        const variants = chosen.newProducts.flatMap((np) => np.variants);
        for (const v of variants) {
          assert.equal(v.retail?.minor, expected(v.cost.minor, v.price?.msrp?.minor ?? null, 22), JSON.stringify(v));
          assert.match(v.price?.rule ?? '', /cost × 2\.2, rounded up to \.99/);
          assert.equal(v.price?.policyVersion, 1);
        }
        const before = await readPos(e.pos, system);
        const [result] = await api.exportAndWait(chosen.id);
        assert.equal(result.state, 'exported', JSON.stringify(result));
        const after = await readPos(e.pos, system);
        const created = after.items.filter((i) => !before.items.some((b) => b.id === i.id));
        assert.equal(created.length, variants.length);
        for (const v of variants) {
          const item = created.find((i) => i.gtin14 === v.gtin14);
          assert.ok(item, `item ${v.upc}`);
          assert.equal(Math.round(Number(item.retail) * 100), v.retail?.minor, `price of ${v.upc} in the POS`);
        }

        // The merchant changes one new item's price in the POS; the brand's prices change (a new policy version).
        const [edited, untouched] = created;
        assert.ok(edited && untouched);
        const pos = await e.ctx.connectors.pointOfSale(e.posConnection);
        await pos.updateMatchedItems!([{ posItemId: edited.id, retail: money(5555, 'USD') }]);
        await api.ok('PUT', pricing, { policy: policy(2.5) });

        const detail = await api.ok('GET', `/api/orders/${chosen.orderId}`);
        const brand = (await api.orders()).find((o) => o.id === chosen.orderId)!.brand;
        const reorderId = await api.newOrder(
          brand,
          (detail.document.lines as any[]).map((l) => ({ productId: l.productSourceId, size: l.size, quantity: 1 })),
        );
        const reorder = await api.plan([reorderId], location!.id);
        assert.equal(reorder.counts.confirmed, reorder.counts.lines - reorder.counts.skipped);
        const kept = reorder.warnings.filter((w) => w.code === 'PRICE_KEPT');
        assert.ok(
          kept.some((w) => w.posItemIds?.includes(edited.id) && /changed in the POS to USD 55\.55/.test(w.message)),
          JSON.stringify(kept),
        );
        assert.ok(!reorder.itemUpdates?.some((u) => u.posItemId === edited.id), 'the edited price is not rewritten');
        const follow = reorder.itemUpdates?.find((u) => u.posItemId === untouched.id);
        assert.ok(follow, 'an untouched price follows the brand');
        await api.exportAndWait(reorder.id);
        const last = await readPos(e.pos, system);
        assert.equal(Number(last.items.find((i) => i.id === edited.id)?.retail), 55.55, 'the merchant’s price stays');
        assert.equal(
          Math.round(Number(last.items.find((i) => i.id === untouched.id)?.retail) * 100),
          follow.retail.minor,
          'the brand-owned price followed',
        );
      } finally {
        await e.close();
      }
    });
  });
}
