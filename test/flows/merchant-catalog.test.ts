import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compressToUpcE } from '../../src/core/gtin.ts';
import { money } from '../../src/core/money.ts';
import type { PointOfSale } from '../../src/core/ports/pos.ts';
import { upcA } from '../../src/core/testing.ts';
import { CATALOG_CODES_VERSION, syncCatalogMirror } from '../../src/flows/catalog-mirror.ts';
import { buildScenario, scenarioOptions } from '../../src/simulators/shared/scenario.ts';
import { connections } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { buyer, productId, seedProducts } from '../support/buyer.ts';
import { startEngine, type EngineHarness } from '../support/engine.ts';
import { readPos } from '../support/pos-state.ts';

const brand = buildScenario(scenarioOptions('demo')).brands[0]!.name;
const unitUpc = upcA('01200000345'); // number system 0, compresses to a UPC-E
const upcE = compressToUpcE(unitUpc) as string;
const weighed = upcA('21234567890'); // 2xxxxx: variable measure, set per country
const coupon = upcA('51234567890'); // 5xxxxx: coupons
const badCheck = '012345678906';

/** An item the merchant already sells, carrying `upc`, made through the POS's own API. */
async function posItem(pos: PointOfSale, name: string, upc: string): Promise<string> {
  const [existing] = await pos.findSupplier({ name: 'House Goods', sourceBrandId: 'house-goods' });
  const supplier =
    existing ?? (await pos.createSupplier({ name: 'House Goods', sourceBrandId: 'house-goods', currency: 'USD' }));
  const created = await pos.createProduct({
    correlationKey: `house-${upc}`,
    matrixKey: `house|${upc}|one`,
    supplierId: supplier.id,
    brandName: 'House Goods',
    styleNumber: `H-${upc}`,
    color: 'Plain',
    name,
    season: null,
    category: null,
    images: [],
    existingParentId: null,
    variants: [
      {
        variantKey: `house|${upc}|one|os`,
        correlationKey: `house-${upc}-v`,
        size: 'OS',
        gtin14: upc.padStart(14, '0'),
        upc,
        cost: money(500, 'USD'),
        retail: money(1000, 'USD'),
      },
    ],
  });
  return Object.values(created.variantIds)[0]!;
}

async function seedCatalog(e: EngineHarness): Promise<void> {
  await seedProducts(e, [
    {
      brand,
      style_number: 'CODES-1',
      season: 'SS27',
      color: 'Black',
      name: 'Code check tee',
      pricing: { USD: { wholesale: 10, retail: 25 } },
      sizes: [
        { size: 'S', upc: upcE },
        { size: 'M', upc: weighed },
        { size: 'L', upc: coupon },
        { size: 'XL', upc: badCheck },
      ],
    },
    {
      brand,
      style_number: 'PACK-12',
      season: 'SS27',
      color: 'Natural',
      name: 'Cotton socks, prepack of 12',
      pricing: { USD: { wholesale: 30, retail: 5 } },
      sizes: [{ size: 'One Size', upc: upcA('71234567890'), units_per_pack: 12 }],
    },
    {
      brand,
      style_number: 'BIG-240',
      season: 'SS27',
      color: 'Indigo',
      name: 'Selvedge jean',
      pricing: { USD: { wholesale: 20, retail: 50 } },
      sizes: Array.from({ length: 240 }, (_, i) => ({
        size: `W${24 + (i % 20)}-L${26 + Math.floor(i / 20)}`,
        upc: upcA(`8${String(i).padStart(10, '0')}`),
      })),
    },
  ]);
}

for (const system of ['lightspeed-x', 'lightspeed-r'] as const) {
  forEachDialect(`product data on ${system}`, (getStore) => {
    test('codes the GS1 way, a 12-unit prepack in units, and a 240-variant style shaped to the POS, applied without error', async () => {
      const e = await startEngine(getStore(), system, { brands: 1 });
      try {
        // 240 items and PO lines are ~500 R-Series requests: at the real drip of 1/s that is minutes of waiting
        // for the bucket, which is not what this test is about (the bucket has its own tests).
        if (system === 'lightspeed-r')
          await e.pos.control('PUT', '/_sim/config', { bucketSize: 100_000, dripRate: 1_000, resetBuckets: true });
        await e.drain();
        const api = buyer(e);
        const pos = await e.ctx.connectors.pointOfSale(e.posConnection);
        const unitItem = await posItem(pos, 'House tee (UPC-A)', unitUpc);
        await posItem(pos, 'Deli scale item', weighed);
        await posItem(pos, 'Store coupon', coupon);
        await seedCatalog(e);
        const [location] = await api.locations();

        // 2. Codes.
        const codes = await productId(e, 'CODES-1');
        const codesOrder = await api.newOrder(
          brand,
          ['S', 'M', 'L', 'XL'].map((size) => ({ productId: codes, size, quantity: 2 })),
        );
        const p1 = await api.plan([codesOrder], location!.id);
        const bySize = new Map(p1.lines.map((l) => [l.size, l]));
        assert.deepEqual(bySize.get('S')?.decision, {
          kind: 'upc_match',
          posItemId: unitItem,
          gtin14: unitUpc.padStart(14, '0'),
        });
        const why = (size: string) => {
          const d = bySize.get(size)?.decision;
          assert.ok(d?.kind === 'needs_review', `${size}: ${JSON.stringify(d)}`);
          return d;
        };
        assert.equal(why('M').reason, 'unmatchable_code');
        assert.match(why('M').detail, /restricted-circulation code.*never matched across the catalog/);
        assert.equal(why('L').reason, 'unmatchable_code');
        assert.match(why('L').detail, /coupon code, not a product/);
        assert.equal(why('XL').reason, 'malformed_upc');
        assert.equal(why('XL').gtinProblem, 'bad_check_digit');

        // 3. A 12-unit prepack: 12 units at the pack cost ÷ 12 on the PO and on the new item.
        const pack = await productId(e, 'PACK-12');
        const packOrder = await api.newOrder(brand, [{ productId: pack, size: 'One Size', quantity: 1 }]);
        const p2 = await api.plan([packOrder], location!.id);
        assert.equal(p2.canApply, true, JSON.stringify(p2.blockers));
        assert.deepEqual(
          p2.purchaseOrders[0]!.lines.map((l) => [l.quantity, l.unitCost.minor]),
          [[12, 250]],
        );
        assert.match(p2.lines[0]!.pack!.rule, /1 pack of 12 → 12 units, USD 30\.00 ÷ 12 each: USD 2\.50 a unit/);
        const before = await readPos(e.pos, system);
        const [packed] = await api.exportAndWait(p2.id);
        assert.equal(packed.state, 'exported', JSON.stringify(packed));
        const afterPack = await readPos(e.pos, system);
        const po = afterPack.purchaseOrders.find((x) => x.id === packed.poId)!;
        assert.deepEqual(
          po.lines.map((l) => [l.quantity, Number(l.cost)]),
          [[12, 2.5]],
        );
        const sock = afterPack.items.find((i) => !before.items.some((b) => b.id === i.id));
        assert.equal(Number(sock?.cost), 2.5);

        // 4. 240 variants: X-Series allows 200 a product, so two products of 120; R-Series has no count limit.
        const big = await productId(e, 'BIG-240');
        const sizes = (await e.nuorder.control('GET', '/_sim/state')).products.find((p: any) => p.json._id === big).json
          .sizes as Array<{ size: string }>;
        const bigOrder = await api.newOrder(
          brand,
          sizes.map((s) => ({ productId: big, size: s.size, quantity: 1 })),
        );
        const p3 = await api.plan([bigOrder], location!.id);
        assert.equal(p3.canApply, true, JSON.stringify(p3.blockers));
        const parts = p3.newProducts.map((np) => np.variants.length);
        assert.deepEqual(parts, system === 'lightspeed-x' ? [120, 120] : [240]);
        if (system === 'lightspeed-x')
          assert.ok(p3.warnings.some((w) => w.code === 'STYLE_SPLIT' && /2 products/.test(w.message)));
        const [bigExport] = await api.exportAndWait(p3.id);
        assert.equal(bigExport.state, 'exported', JSON.stringify(bigExport));
        const afterBig = await readPos(e.pos, system);
        const jeans = afterBig.items.filter((i) => !afterPack.items.some((b) => b.id === i.id));
        assert.equal(jeans.length, 240);
        assert.equal(new Set(jeans.map((i) => i.parentId)).size, system === 'lightspeed-x' ? 2 : 1);
        assert.equal(afterBig.purchaseOrders.find((x) => x.id === bigExport.poId)?.lines.length, 240);

        // A mirror built before codes were read the GS1 way is rebuilt by one full pass.
        const settings = { ...e.posConnection.settings, catalogCodesVersion: 1 };
        await connections.update(e.ctx.store.db, e.tenantId, e.posConnection.id, { settings });
        const stale = (await connections.get(e.ctx.store.db, e.tenantId, e.posConnection.id))!;
        const report = await syncCatalogMirror(e.ctx, stale, pos);
        assert.equal(report?.full, true);
        const fresh = (await connections.get(e.ctx.store.db, e.tenantId, e.posConnection.id))!;
        assert.equal(fresh.settings['catalogCodesVersion'], CATALOG_CODES_VERSION);
      } finally {
        await e.close();
      }
    });
  });
}
