import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compressToUpcE } from './gtin.ts';
import { money } from './money.ts';
import { buildCatalogIndex } from './pos-catalog.ts';
import type { PosCatalogEntry } from './pos-catalog.ts';
import { planExport, requiredLookups } from './plan.ts';
import type { ExportPlan, LineDecision, OwnedItem, PlanInput } from './plan.ts';
import type { PricingPolicy } from './pricing-policy.ts';
import { testEntry, testLine, testOrder, upcA } from './testing.ts';
import { X_SERIES_SHAPE } from './variant-shape.ts';
import type { OrderLine } from './wholesale-order.ts';

function plan(lines: OrderLine[], entries: PosCatalogEntry[] = [], extra: Partial<PlanInput> = {}): ExportPlan {
  return planExport({
    orders: [testOrder({ lines })],
    catalog: buildCatalogIndex(entries),
    itemLinks: new Map(),
    ...extra,
  });
}

const review = (d: LineDecision | undefined): Extract<LineDecision, { kind: 'needs_review' }> => {
  assert.ok(d?.kind === 'needs_review', `needs review, got ${JSON.stringify(d)}`);
  return d;
};

/** cost × 2.2, rounded up to .99, never below the MSRP. */
const keystonePlus: PricingPolicy = {
  version: 3,
  rule: { basis: { kind: 'markup', factor: 2.2 }, rounding: '.99', floorAtMsrp: true, minMarginPercent: null },
  brands: {},
};

describe('plans read codes the GS1 way', () => {
  const unit = upcA('01200000345');
  const upcE = compressToUpcE(unit) as string;

  it('a UPC-E with number system 0 matches the item stored with its UPC-A, and asks the catalog for it', () => {
    assert.equal(upcE.length, 8);
    const line = testLine({ upc: upcE });
    assert.deepEqual(requiredLookups({ orders: [testOrder({ lines: [line] })], itemLinks: new Map() }).gtins, [
      unit.padStart(14, '0'),
    ]);
    const p = plan([line], [testEntry({ posItemId: 'x1', codes: [unit] })]);
    assert.deepEqual(p.lines[0]?.decision, { kind: 'upc_match', posItemId: 'x1', gtin14: unit.padStart(14, '0') });
  });

  it('the POS item stored with the UPC-E is found by a line sent as UPC-A (the mirror indexes the reading)', () => {
    const p = plan([testLine({ upc: unit })], [testEntry({ posItemId: 'x2', codes: [upcE] })]);
    assert.equal(p.lines[0]?.decision.kind, 'upc_match');
  });

  it('a variable-measure code and a coupon code never match, and say why; nothing is looked up for them', () => {
    const weighed = upcA('21234567890'); // number system 2: restricted circulation
    const coupon = upcA('51234567890'); // number system 5: coupons
    const lines = [testLine({ size: 'S', upc: weighed }), testLine({ size: 'M', upc: coupon })];
    const entries = [
      testEntry({ posItemId: 'scale', codes: [weighed] }),
      testEntry({ posItemId: 'offer', codes: [coupon] }),
    ];
    assert.deepEqual(requiredLookups({ orders: [testOrder({ lines })], itemLinks: new Map() }).gtins, []);
    const p = plan(lines, entries);
    const [a, b] = p.lines.map((l) => review(l.decision));
    assert.equal(a?.reason, 'unmatchable_code');
    assert.match(a?.detail ?? '', /restricted-circulation code.*never matched/);
    assert.equal(b?.reason, 'unmatchable_code');
    assert.match(b?.detail ?? '', /coupon code, not a product/);
    assert.equal(p.lines[0]?.code?.refusal, 'restricted_regional');
    assert.equal(p.lines[1]?.code?.refusal, 'coupon');
    assert.equal(p.canApply, false);
  });

  it('a known-bad check digit is still refused', () => {
    const p = plan([testLine({ upc: '012345678906' })], [testEntry({ posItemId: 'x', codes: ['012345678905'] })]);
    const d = review(p.lines[0]?.decision);
    assert.equal(d.reason, 'malformed_upc');
    assert.equal(d.gtinProblem, 'bad_check_digit');
  });
});

describe('new items are priced by the policy', () => {
  it('cost × 2.2 rounded up to .99 with an MSRP floor: each variant carries its price and rule', () => {
    const p = plan(
      [
        testLine({
          size: 'S',
          upc: upcA('71234567801'),
          unitCost: money(2000, 'USD'),
          retailPrice: money(3900, 'USD'),
        }),
        testLine({
          size: 'M',
          upc: upcA('71234567802'),
          unitCost: money(2000, 'USD'),
          retailPrice: money(4900, 'USD'),
        }),
      ],
      [],
      { pricing: keystonePlus },
    );
    const [s, m] = p.newProducts[0]?.variants ?? [];
    assert.deepEqual(s?.retail, money(4499, 'USD')); // 44.00 → 44.99
    assert.equal(s?.price?.rule, 'cost × 2.2, rounded up to .99');
    assert.deepEqual(m?.retail, money(4900, 'USD')); // 44.99 < MSRP 49.00
    assert.equal(m?.price?.rule, 'cost × 2.2, rounded up to .99, raised to the MSRP floor');
    assert.equal(s?.price?.policyVersion, 3);
    assert.equal(p.pricingVersion, 3);
  });

  it('without a policy a new item gets the MSRP as sent (version 0), as before', () => {
    const p = plan([testLine({ upc: upcA('71234567803') })]);
    assert.deepEqual(p.newProducts[0]?.variants[0]?.retail, money(4500, 'USD'));
    assert.equal(p.pricingVersion, 0);
  });

  it('a price under the minimum margin sends the line to review; a buyer creating it anyway accepts the price', () => {
    const guarded: PricingPolicy = {
      version: 1,
      rule: { basis: { kind: 'msrp' }, rounding: 'none', floorAtMsrp: false, minMarginPercent: 50 },
      brands: {},
    };
    const line = testLine({ upc: upcA('71234567804') }); // cost 28.00, MSRP 45.00: 37.7 %
    const p = plan([line], [], { pricing: guarded });
    assert.equal(review(p.lines[0]?.decision).reason, 'price_review');
    assert.match(review(p.lines[0]?.decision).detail, /below the 50% minimum/);
    assert.equal(p.newProducts.length, 0);
    const accepted = plan([line], [], {
      pricing: guarded,
      overrides: [{ scope: 'line', key: p.lines[0]!.variantKey, action: { kind: 'create_new' } }],
    });
    assert.equal(accepted.lines[0]?.decision.kind, 'new_item');
    assert.equal(accepted.newProducts[0]?.variants[0]?.price?.review?.code, 'BELOW_MIN_MARGIN');
  });
});

describe('packs', () => {
  it('a 12-unit prepack line becomes 12 units at the pack cost ÷ 12 on the PO and on the new item', () => {
    const line = testLine({ upc: upcA('71234567805'), quantity: 1, unitsPerPack: 12, unitCost: money(3000, 'USD') });
    const p = plan([line]);
    const [po] = p.purchaseOrders[0]?.lines ?? [];
    assert.equal(po?.quantity, 12);
    assert.deepEqual(po?.unitCost, money(250, 'USD'));
    assert.equal(p.lines[0]?.pack?.packs, 1);
    assert.match(p.lines[0]?.pack?.rule ?? '', /1 pack of 12 → 12 units, USD 30\.00 ÷ 12 each: USD 2\.50 a unit/);
    assert.deepEqual(p.newProducts[0]?.variants[0]?.cost, money(250, 'USD'));
    assert.equal(p.newProducts[0]?.variants[0]?.size, 'M');
  });

  it('kept as packs: one PO line of packs at the pack cost, a pack item without the unit code', () => {
    const line = testLine({ upc: upcA('71234567806'), quantity: 3, unitsPerPack: 6, unitCost: money(3000, 'USD') });
    const p = plan([line], [], { casePacks: { stock: 'packs', remainder: 'round', packPriceIs: 'pack' } });
    assert.deepEqual(
      p.purchaseOrders[0]?.lines.map((l) => [l.quantity, l.unitCost.minor]),
      [[3, 3000]],
    );
    const v = p.newProducts[0]?.variants[0];
    assert.equal(v?.size, 'M (pack of 6)');
    assert.equal(v?.gtin14, null);
    assert.deepEqual(v?.price?.msrp, money(27000, 'USD'));
  });

  it('an uneven division is rounded half up and the gap is said on the line', () => {
    const line = testLine({ upc: upcA('71234567807'), quantity: 2, unitsPerPack: 12, unitCost: money(1000, 'USD') });
    const p = plan([line]);
    assert.deepEqual(p.purchaseOrders[0]?.lines[0]?.unitCost, money(83, 'USD'));
    assert.ok(p.warnings.some((w) => w.code === 'PACK_COST_ROUNDED' && /USD 0\.08 less/.test(w.message)));
  });
});

describe('variant shape', () => {
  it('a 240-variant style planned for X-Series becomes two products of 120, each PO line on its product', () => {
    const lines = Array.from({ length: 240 }, (_, i) =>
      testLine({
        size: `W${30 + (i % 12)}-L${28 + Math.floor(i / 12)}`,
        upc: upcA(`8${String(i).padStart(10, '0')}`),
        quantity: 1,
      }),
    );
    const p = plan(lines, [], { shapeLimits: X_SERIES_SHAPE });
    assert.deepEqual(
      p.newProducts.map((np) => np.variants.length),
      [120, 120],
    );
    assert.deepEqual(
      p.newProducts.map((np) => np.nameSuffix),
      [' (1 of 2)', ' (2 of 2)'],
    );
    assert.notEqual(p.newProducts[0]?.correlationKey, p.newProducts[1]?.correlationKey);
    assert.ok(p.warnings.some((w) => w.code === 'STYLE_SPLIT'));
    for (const po of p.purchaseOrders[0]?.lines ?? []) {
      assert.ok(po.target.kind === 'new');
      const product = p.newProducts.find((np) => np.matrixKey === (po.target as { matrixKey: string }).matrixKey);
      assert.ok(product?.variants.some((v) => v.variantKey === (po.target as { variantKey: string }).variantKey));
    }
    assert.equal(p.canApply, true);
  });
});

describe('field ownership of items Tradeloop created', () => {
  const line = testLine({ upc: upcA('71234567808'), unitCost: money(2000, 'USD'), retailPrice: money(3900, 'USD') });
  const base = plan([line]);
  const vk = base.lines[0]!.variantKey;
  const owned = (posRetail: number): Map<string, OwnedItem> =>
    new Map([
      [
        'item-9',
        { posItemId: 'item-9', variantKey: vk, writtenRetail: money(3900, 'USD'), posRetail: money(posRetail, 'USD') },
      ],
    ]);
  const entry = testEntry({ posItemId: 'item-9', codes: [upcA('71234567808')] });

  it('a price the merchant changed in the POS is kept, and the review says so', () => {
    const p = plan([line], [entry], {
      itemLinks: new Map([[vk, 'item-9']]),
      ownedItems: owned(5500),
      pricing: keystonePlus,
      followBrandPrices: true,
    });
    assert.equal(p.lines[0]?.decision.kind, 'confirmed');
    assert.deepEqual(p.itemUpdates, []);
    assert.ok(p.warnings.some((w) => w.code === 'PRICE_KEPT' && /changed in the POS to USD 55\.00/.test(w.message)));
  });

  it('an untouched price follows the brand when the merchant asks, and only then', () => {
    const asked = plan([line], [entry], {
      itemLinks: new Map([[vk, 'item-9']]),
      ownedItems: owned(3900),
      pricing: keystonePlus,
      followBrandPrices: true,
    });
    assert.deepEqual(
      asked.itemUpdates?.map((u) => [u.posItemId, u.retail.minor]),
      [['item-9', 4499]],
    );
    const notAsked = plan([line], [entry], {
      itemLinks: new Map([[vk, 'item-9']]),
      ownedItems: owned(3900),
      pricing: keystonePlus,
    });
    assert.deepEqual(notAsked.itemUpdates, []);
    assert.ok(
      notAsked.warnings.some((w) => w.code === 'PRICE_KEPT' && /following the brand's prices is off/.test(w.message)),
    );
  });
});

describe('suppliers', () => {
  it('a brand mapped to a POS supplier carries it on the plan', () => {
    const p = plan([testLine({ upc: upcA('71234567809') })], [], {
      brandSuppliers: new Map([['brand-1', { id: 'sup-7', name: 'Spree Linens Inc.' }]]),
    });
    assert.deepEqual(
      p.suppliers?.map((s) => [s.brand.sourceId, s.supplierId]),
      [['brand-1', 'sup-7']],
    );
  });
});
