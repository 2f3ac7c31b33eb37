import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from './canonical.ts';
import { money } from './money.ts';
import { buildCatalogIndex, matrixKey, variantKey } from './pos-catalog.ts';
import type { PosCatalogEntry } from './pos-catalog.ts';
import { diffEvidence, evidenceFingerprint, planExport, refreshEvidence, requiredLookups } from './plan.ts';
import type { ExportPlan, ItemOverride, LineDecision, PlanInput } from './plan.ts';
import { testEntry, testLine, testOrder, upcA } from './testing.ts';
import type { OrderLine, WholesaleOrder } from './wholesale-order.ts';

const UPC1 = upcA('01234567890'); // 012345678905
const UPC2 = upcA('84427708245');
const UPC3 = upcA('71234567890');

function plan(orders: WholesaleOrder[], entries: PosCatalogEntry[], extra: Partial<PlanInput> = {}): ExportPlan {
  return planExport({ orders, catalog: buildCatalogIndex(entries), itemLinks: new Map(), ...extra });
}

function only(p: ExportPlan): LineDecision {
  assert.equal(p.lines.length, 1);
  const [line] = p.lines;
  assert.ok(line);
  return line.decision;
}

describe('planExport: one line at a time', () => {
  it('matches UPC-A against an EAN-13 with a leading zero', () => {
    const p = plan(
      [testOrder({ lines: [testLine({ upc: '012345678905' })] })],
      [testEntry({ posItemId: 'x1', codes: ['0012345678905'] })],
    );
    assert.deepEqual(only(p), { kind: 'upc_match', posItemId: 'x1', gtin14: '00012345678905' });
    assert.equal(p.canApply, true);
    assert.deepEqual(p.purchaseOrders[0]?.lines, [
      {
        target: { kind: 'existing', posItemId: 'x1' },
        quantity: 3,
        unitCost: money(2800, 'USD'),
        sourceLineKeys: [testLine().lineKey],
      },
    ]);
  });

  it('sends a UPC on two live POS items to review with both candidates', () => {
    const p = plan(
      [testOrder({ lines: [testLine({ upc: UPC1 })] })],
      [
        testEntry({ posItemId: 'b', codes: [UPC1], name: 'Second' }),
        testEntry({ posItemId: 'a', codes: [UPC1], name: 'First' }),
      ],
    );
    const d = only(p);
    assert.equal(d.kind, 'needs_review');
    assert.ok(d.kind === 'needs_review');
    assert.equal(d.reason, 'duplicate_upc');
    assert.deepEqual(
      d.candidates.map((c) => c.posItemId),
      ['a', 'b'],
    );
    assert.ok(p.warnings.some((w) => w.code === 'DUPLICATE_UPC_IN_POS' && w.level === 'item'));
    assert.equal(p.canApply, false);
    assert.equal(p.blockers[0]?.code, 'LINES_NEED_REVIEW');
    assert.deepEqual(p.purchaseOrders[0]?.lines[0]?.target, { kind: 'unresolved' });
  });

  it('a line the source gave no retail price is planned as usual, with a line warning saying what is missing', () => {
    const gap = {
      field: 'retailPrice',
      reason: "NuORDER has no retail price (MSRP) for it: the product's pricing.USD.retail is empty",
    };
    const line = testLine({ upc: UPC2, retailPrice: null, gaps: [gap] });
    const p = plan([testOrder({ lines: [line] })], []);
    assert.equal(only(p).kind, 'new_item');
    assert.equal(p.canApply, true);
    assert.equal(p.newProducts[0]?.variants[0]?.retail, null);
    const warnings = p.warnings.filter((w) => w.code === 'LINE_DATA_MISSING');
    assert.deepEqual(warnings, [
      {
        code: 'LINE_DATA_MISSING',
        level: 'line',
        lines: [{ orderSourceId: testOrder().sourceId, lineKey: line.lineKey }],
        message: `4156301-4 TURQUOISE, RED M: ${gap.reason}; the new item is created without a retail price; set one in the POS`,
      },
    ]);
    const matched = plan([testOrder({ lines: [line] })], [testEntry({ posItemId: 'x1', codes: [UPC2] })]);
    assert.match(
      matched.warnings.find((w) => w.code === 'LINE_DATA_MISSING')?.message ?? '',
      /keeps its own retail price/,
    );
  });

  it('ignores an archived duplicate when one live item remains', () => {
    const p = plan(
      [testOrder({ lines: [testLine({ upc: UPC1 })] })],
      [testEntry({ posItemId: 'old', codes: [UPC1], archived: true }), testEntry({ posItemId: 'new', codes: [UPC1] })],
    );
    assert.deepEqual(only(p), { kind: 'upc_match', posItemId: 'new', gtin14: '00012345678905' });
  });

  it('sends an archived-only match to review', () => {
    const p = plan(
      [testOrder({ lines: [testLine({ upc: UPC1 })] })],
      [testEntry({ posItemId: 'old', codes: [UPC1], archived: true })],
    );
    const d = only(p);
    assert.ok(d.kind === 'needs_review' && d.reason === 'archived_only');
    assert.deepEqual(
      d.candidates.map((c) => [c.posItemId, c.archived]),
      [['old', true]],
    );
  });

  it('sends no UPC and a bad check digit to review', () => {
    const p = plan(
      [
        testOrder({
          lines: [
            testLine({ size: 'S', upc: null }),
            testLine({ size: 'M', upc: '012345678906' }),
            testLine({ size: 'L', upc: 'N/A' }),
          ],
        }),
      ],
      [],
    );
    const reasons = p.lines.map((l) => (l.decision.kind === 'needs_review' ? l.decision.reason : l.decision.kind));
    assert.deepEqual(reasons, ['no_upc', 'malformed_upc', 'no_upc']);
    const bad = p.lines[1]?.decision;
    assert.ok(bad?.kind === 'needs_review' && bad.gtinProblem === 'bad_check_digit');
    assert.equal(p.counts.needsReview, 3);
    assert.equal(p.newProducts.length, 0);
  });

  it('creates a new item when no POS item has the GTIN', () => {
    const line = testLine({ upc: UPC1 });
    const p = plan([testOrder({ lines: [line] })], [testEntry({ posItemId: 'other', codes: [UPC2] })]);
    assert.deepEqual(only(p), {
      kind: 'new_item',
      matrixKey: matrixKey(line),
      variantKey: variantKey(line),
      byBuyer: false,
    });
    assert.equal(p.newProducts.length, 1);
    assert.equal(p.newProducts[0]?.variants[0]?.upc, UPC1);
    assert.deepEqual(p.purchaseOrders[0]?.lines[0]?.target, {
      kind: 'new',
      matrixKey: matrixKey(line),
      variantKey: variantKey(line),
    });
  });

  it('confirms a live item link, even without a UPC, and says when the UPC points elsewhere', () => {
    const line = testLine({ upc: UPC1 });
    const links = new Map([[variantKey(line), 'linked']]);
    const p = plan(
      [testOrder({ lines: [line] })],
      [testEntry({ posItemId: 'linked' }), testEntry({ posItemId: 'other', codes: [UPC1] })],
      { itemLinks: links },
    );
    assert.deepEqual(only(p), { kind: 'confirmed', posItemId: 'linked' });
    assert.ok(p.warnings.some((w) => w.code === 'LINK_DIFFERS_FROM_UPC'));

    const noUpc = testLine({ upc: null });
    const q = plan([testOrder({ lines: [noUpc] })], [testEntry({ posItemId: 'linked' })], {
      itemLinks: new Map([[variantKey(noUpc), 'linked']]),
    });
    assert.deepEqual(only(q), { kind: 'confirmed', posItemId: 'linked' });
  });

  it('falls through to the UPC rules when the linked item is gone or archived', () => {
    const line = testLine({ upc: UPC1 });
    const links = new Map([[variantKey(line), 'gone']]);
    const p = plan([testOrder({ lines: [line] })], [testEntry({ posItemId: 'x', codes: [UPC1] })], {
      itemLinks: links,
    });
    assert.deepEqual(only(p), { kind: 'upc_match', posItemId: 'x', gtin14: '00012345678905' });
    assert.ok(p.warnings.some((w) => w.code === 'LINK_TARGET_MISSING'));
    assert.deepEqual(p.evidence.items, [{ posItemId: 'gone', item: null }]);

    const q = plan([testOrder({ lines: [line] })], [testEntry({ posItemId: 'gone', archived: true })], {
      itemLinks: links,
    });
    assert.equal(only(q).kind, 'new_item');
    assert.ok(q.warnings.some((w) => w.code === 'LINK_TARGET_ARCHIVED'));
  });

  it('skips zero quantities', () => {
    const p = plan(
      [testOrder({ lines: [testLine({ size: 'S', quantity: 0 }), testLine({ size: 'M', upc: UPC1 })] })],
      [],
    );
    assert.deepEqual(p.lines[0]?.decision, { kind: 'skipped', reason: 'zero_quantity' });
    assert.equal(p.counts.skipped, 1);
    assert.equal(p.purchaseOrders[0]?.lines.length, 1);
    assert.equal(p.newProducts[0]?.variants.length, 1);
  });
});

describe('planExport: overrides', () => {
  const s = testLine({ size: 'S', upc: null });
  const m = testLine({ size: 'M', upc: UPC1 });
  const order = testOrder({ lines: [s, m] });
  const catalog = [
    testEntry({ posItemId: 'a', codes: [UPC1] }),
    testEntry({ posItemId: 'b', codes: [UPC1] }),
    testEntry({ posItemId: 'c' }),
  ];

  it('honours a line link and a matrix create_new, line-level first', () => {
    const overrides: ItemOverride[] = [
      { scope: 'matrix', key: matrixKey(s), action: { kind: 'create_new' } },
      { scope: 'line', key: variantKey(m), action: { kind: 'link', posItemId: 'b' } },
    ];
    const p = plan([order], catalog, { overrides });
    assert.deepEqual(p.lines[0]?.decision, {
      kind: 'new_item',
      matrixKey: matrixKey(s),
      variantKey: variantKey(s),
      byBuyer: true,
    });
    assert.deepEqual(p.lines[1]?.decision, { kind: 'linked_by_buyer', posItemId: 'b', scope: 'line' });
    assert.deepEqual(p.lines[1]?.override, overrides[1]);
    assert.equal(p.canApply, true);
    assert.deepEqual(p.overrideProblems, []);
    assert.equal(p.matrices[0]?.status, 'mixed');
    assert.equal(p.counts.linkedByBuyer, 1);
    assert.equal(p.counts.newItem, 1);
  });

  it('refuses a link to an unknown or archived item as a value, and the line waits for review', () => {
    const archived = [...catalog, testEntry({ posItemId: 'z', archived: true })];
    const p = plan([order], archived, {
      overrides: [
        { scope: 'line', key: variantKey(s), action: { kind: 'link', posItemId: 'nope' } },
        { scope: 'line', key: variantKey(m), action: { kind: 'link', posItemId: 'z' } },
      ],
    });
    assert.deepEqual(
      p.overrideProblems.map((o) => o.code),
      ['UNKNOWN_POS_ITEM', 'ARCHIVED_POS_ITEM'],
    );
    assert.deepEqual(
      p.lines.map((l) => (l.decision.kind === 'needs_review' ? l.decision.reason : '')),
      ['override_invalid', 'override_invalid'],
    );
    assert.equal(p.canApply, false);
  });

  it('reports an override for a key not in the plan and does not block', () => {
    const p = plan([testOrder({ lines: [m] })], [testEntry({ posItemId: 'a', codes: [UPC1] })], {
      overrides: [{ scope: 'line', key: 'nobody|x|y|z', action: { kind: 'create_new' } }],
    });
    assert.deepEqual(
      p.overrideProblems.map((o) => o.code),
      ['KEY_NOT_IN_PLAN'],
    );
    assert.equal(p.canApply, true);
  });

  it('refuses to link a multi-size matrix to one item', () => {
    const p = plan([order], catalog, {
      overrides: [{ scope: 'matrix', key: matrixKey(s), action: { kind: 'link', posItemId: 'c' } }],
    });
    assert.deepEqual(
      p.overrideProblems.map((o) => o.code),
      ['MATRIX_LINK_AMBIGUOUS'],
    );
    assert.equal(p.counts.needsReview, 2);
  });

  it('links a one-size matrix', () => {
    const p = plan([testOrder({ lines: [s] })], catalog, {
      overrides: [{ scope: 'matrix', key: matrixKey(s), action: { kind: 'link', posItemId: 'c' } }],
    });
    assert.deepEqual(only(p), { kind: 'linked_by_buyer', posItemId: 'c', scope: 'matrix' });
  });

  it('warns when the buyer creates an item whose UPC the POS already has', () => {
    const p = plan([testOrder({ lines: [m] })], catalog, {
      overrides: [{ scope: 'line', key: variantKey(m), action: { kind: 'create_new' } }],
    });
    assert.equal(only(p).kind, 'new_item');
    assert.ok(p.warnings.some((w) => w.code === 'NEW_ITEM_DUPLICATES_UPC'));
  });
});

describe('planExport: matrices and bulk', () => {
  it('three orders sharing a new style create one NewProduct, and each PO points at it', () => {
    const sizes = ['S', 'M', 'L'];
    const upcs = [UPC1, UPC2, UPC3];
    const orders = [1, 2, 3].map((n) =>
      testOrder({
        sourceId: `o${n}`,
        orderNumber: `100596-${n}`,
        lines: sizes.slice(0, n).map((size, i) => testLine({ size, upc: upcs[i] ?? null, quantity: n })),
      }),
    );
    const p = plan(orders, []);
    assert.equal(p.newProducts.length, 1);
    const product = p.newProducts[0];
    assert.ok(product);
    assert.deepEqual(
      product.variants.map((v) => v.size),
      ['S', 'M', 'L'],
    );
    assert.deepEqual(product.variants[0]?.orderSourceIds, ['o1', 'o2', 'o3']);
    assert.equal(p.counts.newProducts, 1);
    assert.equal(p.counts.newVariants, 3);
    assert.equal(p.counts.newItem, 6);
    assert.deepEqual(
      p.purchaseOrders.map((po) => po.lines.length),
      [1, 2, 3],
    );
    for (const po of p.purchaseOrders) {
      for (const l of po.lines) {
        const target = l.target;
        assert.ok(target.kind === 'new' && product.variants.some((v) => v.variantKey === target.variantKey));
      }
    }
    assert.equal(p.matrices.length, 1);
    assert.equal(p.matrices[0]?.status, 'new_item');
    assert.equal(p.canApply, true);
  });

  it('adds new sizes to the family the other sizes already sit in', () => {
    const p = plan(
      [testOrder({ lines: [testLine({ size: 'S', upc: UPC1 }), testLine({ size: 'M', upc: UPC2 })] })],
      [testEntry({ posItemId: 'x-s', parentId: 'fam', codes: [UPC1] })],
    );
    assert.equal(p.newProducts[0]?.existingParentId, 'fam');
    assert.ok(p.warnings.some((w) => w.code === 'MATRIX_PARTLY_NEW'));
    assert.equal(p.matrices[0]?.status, 'mixed');
    assert.ok(p.matrices[0]?.warnings.some((w) => w.code === 'MATRIX_PARTLY_NEW'));
  });

  it('adds new sizes to the family an earlier export linked for the style/color, though no size on the order matches', () => {
    const order = testOrder({ lines: [testLine({ size: 'M', upc: UPC2 })] });
    const linkedS = variantKey({ ...order.lines[0]!, size: 'S' });
    const input = { orders: [order], itemLinks: new Map([[linkedS, 'x-s']]) };
    assert.deepEqual(requiredLookups(input).posItemIds, ['x-s'], 'the linked size is read from the mirror');
    const p = plan([order], [testEntry({ posItemId: 'x-s', parentId: 'fam', codes: [UPC1] })], input);
    assert.equal(p.newProducts[0]?.existingParentId, 'fam');
    assert.ok(
      p.evidence.items.some((i) => i.posItemId === 'x-s'),
      'and is evidence: a change to it is drift',
    );
    const archived = plan(
      [order],
      [testEntry({ posItemId: 'x-s', parentId: 'fam', codes: [UPC1], archived: true })],
      input,
    );
    assert.equal(archived.newProducts[0]?.existingParentId, null, 'not into a family the merchant archived');
    const gone = plan([order], [], input);
    assert.equal(gone.newProducts[0]?.existingParentId, null, 'nor into one that is gone');
  });

  it('warns when one style/color matches items of different POS families', () => {
    const p = plan(
      [testOrder({ lines: [testLine({ size: 'S', upc: UPC1 }), testLine({ size: 'M', upc: UPC2 })] })],
      [
        testEntry({ posItemId: 'x-s', parentId: 'fam1', codes: [UPC1] }),
        testEntry({ posItemId: 'x-m', parentId: 'fam2', codes: [UPC2] }),
      ],
    );
    assert.equal(p.matrices[0]?.status, 'upc_match');
    assert.ok(p.matrices[0]?.warnings.some((w) => w.code === 'MATRIX_SPANS_POS_PARENTS' && w.level === 'matrix'));
  });

  it('will not create two new items with one barcode', () => {
    const p = plan(
      [testOrder({ lines: [testLine({ size: 'S', upc: UPC1 }), testLine({ size: 'M', upc: UPC1 })] })],
      [],
    );
    assert.deepEqual(
      p.lines.map((l) => (l.decision.kind === 'needs_review' ? l.decision.reason : l.decision.kind)),
      ['duplicate_upc', 'duplicate_upc'],
    );
    assert.ok(p.warnings.some((w) => w.code === 'GTIN_SHARED_BY_VARIANTS'));
    assert.ok(p.warnings.some((w) => w.code === 'DUPLICATE_GTIN_IN_ORDER'));
    assert.equal(p.newProducts.length, 0);
  });

  it('will not create one new variant with two barcodes', () => {
    const p = plan(
      [
        testOrder({ sourceId: 'o1', lines: [testLine({ upc: UPC1 })] }),
        testOrder({ sourceId: 'o2', lines: [testLine({ upc: UPC2 })] }),
      ],
      [],
    );
    assert.deepEqual(
      p.lines.map((l) => (l.decision.kind === 'needs_review' ? l.decision.reason : l.decision.kind)),
      ['conflicting_upc', 'conflicting_upc'],
    );
  });

  it('blocks cancelled, empty and duplicate orders', () => {
    const p = plan(
      [
        testOrder({ sourceId: 'c', status: 'cancelled', lines: [testLine({ upc: UPC1 })] }),
        testOrder({ sourceId: 'e', lines: [] }),
        testOrder({ sourceId: 'e', lines: [] }),
      ],
      [],
    );
    assert.deepEqual(p.blockers.map((b) => b.code).sort(), ['DUPLICATE_ORDER', 'ORDER_CANCELLED', 'ORDER_EMPTY']);
    assert.equal(p.canApply, false);
    assert.equal(p.counts.orders, 2);
  });

  it('blocks an order in another currency than the POS keeps, naming both; the same code in any case passes', () => {
    const order = testOrder({ sourceId: 'usd', lines: [testLine({ upc: UPC1 })] });
    const other = plan([order], [], { posCurrency: 'CAD' });
    assert.equal(other.canApply, false);
    assert.deepEqual(
      other.blockers.map((b) => [b.code, b.orderSourceId]),
      [['CURRENCY_MISMATCH', 'usd']],
    );
    assert.match(other.blockers[0]!.message, new RegExp(`is in ${order.currency}, and the POS keeps costs in CAD`));
    for (const same of [order.currency.toLowerCase(), null, undefined]) {
      const p = plan([order], [], { posCurrency: same });
      assert.deepEqual(
        p.blockers.filter((b) => b.code === 'CURRENCY_MISMATCH'),
        [],
        String(same),
      );
    }
  });

  it('merges order lines that land on one POS item and blocks when their costs differ', () => {
    const a = testLine({ size: 'S', upc: UPC1 });
    const b = testLine({ size: 'M', upc: UPC2 });
    const links = new Map([
      [variantKey(a), 'x'],
      [variantKey(b), 'x'],
    ]);
    const p = plan([testOrder({ lines: [a, b] })], [testEntry({ posItemId: 'x' })], { itemLinks: links });
    assert.deepEqual(
      p.purchaseOrders[0]?.lines.map((l) => [l.quantity, l.sourceLineKeys.length]),
      [[6, 2]],
    );
    assert.ok(p.warnings.some((w) => w.code === 'POS_ITEM_SHARED_BY_VARIANTS'));
    assert.equal(p.canApply, true);
    const q = plan([testOrder({ lines: [a, { ...b, unitCost: money(1, 'USD') }] })], [testEntry({ posItemId: 'x' })], {
      itemLinks: links,
    });
    assert.ok(q.blockers.some((x) => x.code === 'PO_LINE_COST_CONFLICT'));
  });
});

describe('fingerprint and drift', () => {
  const line = testLine({ upc: UPC1 });
  const linked = testLine({ size: 'L', upc: null });
  const orders = [testOrder({ lines: [line, linked] })];
  const links = new Map([[variantKey(linked), 'l1']]);
  const before = [
    testEntry({ posItemId: 'x1', codes: [UPC1], version: '10' }),
    testEntry({ posItemId: 'l1', version: '3' }),
  ];

  it('lists what a flow must load', () => {
    assert.deepEqual(
      requiredLookups({
        orders,
        itemLinks: links,
        overrides: [{ scope: 'line', key: 'k', action: { kind: 'link', posItemId: 'o9' } }],
      }),
      {
        gtins: ['00012345678905'],
        posItemIds: ['l1', 'o9'],
      },
    );
  });

  it('is unchanged by catalog rows the plan did not read', () => {
    const p = plan(orders, before, { itemLinks: links });
    const q = plan(orders, [...before, testEntry({ posItemId: 'unrelated', codes: [UPC2] })], { itemLinks: links });
    assert.equal(p.fingerprint, q.fingerprint);
    assert.equal(p.fingerprint, evidenceFingerprint(refreshEvidence(p.evidence, buildCatalogIndex(before))));
  });

  it('names what drifted', () => {
    const p = plan(orders, before, { itemLinks: links });
    const after = buildCatalogIndex([
      testEntry({ posItemId: 'x1', codes: [UPC1], version: '11', archived: true }),
      testEntry({ posItemId: 'x2', codes: [UPC1], version: '1' }),
    ]);
    const fresh = refreshEvidence(p.evidence, after);
    assert.notEqual(evidenceFingerprint(fresh), p.fingerprint);
    assert.deepEqual(diffEvidence(p.evidence, fresh), [
      { kind: 'item_archived', posItemId: 'x1' },
      { kind: 'version_changed', posItemId: 'x1', before: '10', after: '11' },
      { kind: 'gtin_item_added', gtin14: '00012345678905', posItemId: 'x2', archived: false },
      { kind: 'item_removed', posItemId: 'l1' },
    ]);
    assert.deepEqual(diffEvidence(p.evidence, p.evidence), []);
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties over a small universe, so collisions (shared GTINs, shared styles, links, archived rows) are common.

const GTIN_POOL = [UPC1, UPC2, UPC3, upcA('00000000017'), upcA('50000000001')];
const ITEM_IDS = ['i0', 'i1', 'i2', 'i3', 'i4', 'i5'];

const arbUpc = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...GTIN_POOL) },
  { weight: 1, arbitrary: fc.constantFrom(null, '012345678906', 'N/A', '00' + UPC1) },
);

const arbLine: fc.Arbitrary<OrderLine> = fc
  .record({
    style: fc.constantFrom('ST-1', 'st-1', 'ST-2'),
    color: fc.constantFrom('Red', 'RED ', 'Blue'),
    size: fc.constantFrom('S', 'M', 'L'),
    upc: arbUpc,
    quantity: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 1, max: 20 }) },
      { weight: 1, arbitrary: fc.constant(0) },
    ),
    cost: fc.constantFrom(2800, 2900),
  })
  .map((r) =>
    testLine({
      productSourceId: `${r.style}/${r.color}`,
      styleNumber: r.style,
      color: r.color,
      size: r.size,
      upc: r.upc,
      quantity: r.quantity,
      unitCost: money(r.cost, 'USD'),
    }),
  );

const arbOrders: fc.Arbitrary<WholesaleOrder[]> = fc
  .array(fc.uniqueArray(arbLine, { maxLength: 6, selector: (l) => l.lineKey }), { minLength: 1, maxLength: 4 })
  .map((lineSets) => lineSets.map((lines, i) => testOrder({ sourceId: `o${i}`, orderNumber: `100${i}`, lines })));

const arbEntry: fc.Arbitrary<PosCatalogEntry> = fc
  .record({
    id: fc.constantFrom(...ITEM_IDS),
    codes: fc.subarray(GTIN_POOL, { maxLength: 2 }),
    archived: fc.boolean(),
    version: fc.constantFrom('1', '2'),
    parentId: fc.constantFrom(null, 'p1', 'p2'),
  })
  .map((r) =>
    testEntry({ posItemId: r.id, codes: r.codes, archived: r.archived, version: r.version, parentId: r.parentId }),
  );

const arbCatalog = fc.uniqueArray(arbEntry, { maxLength: 6, selector: (e) => e.posItemId });

const arbInput = fc
  .record({
    orders: arbOrders,
    catalog: arbCatalog,
    linkPicks: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...ITEM_IDS, 'gone')), { maxLength: 3 }),
    overridePicks: fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom<'line' | 'matrix'>('line', 'matrix'),
        fc.constantFrom<string | null>(null, ...ITEM_IDS, 'gone'),
      ),
      { maxLength: 3 },
    ),
  })
  .map(({ orders, catalog, linkPicks, overridePicks }) => {
    const lines = orders.flatMap((o) => o.lines);
    const pick = (n: number) => lines[n % Math.max(lines.length, 1)];
    const itemLinks = new Map<string, string>();
    for (const [n, id] of linkPicks) {
      const l = pick(n);
      if (l) itemLinks.set(variantKey(l), id);
    }
    const overrides: ItemOverride[] = [];
    for (const [n, scope, id] of overridePicks) {
      const l = pick(n);
      if (!l) continue;
      overrides.push({
        scope,
        key: scope === 'line' ? variantKey(l) : matrixKey(l),
        action: id === null ? { kind: 'create_new' } : { kind: 'link', posItemId: id },
      });
    }
    return { orders, catalog, itemLinks, overrides };
  });

type Universe = {
  orders: WholesaleOrder[];
  catalog: PosCatalogEntry[];
  itemLinks: Map<string, string>;
  overrides: ItemOverride[];
};
const run = (u: Universe, catalog = u.catalog) =>
  planExport({ orders: u.orders, catalog: buildCatalogIndex(catalog), itemLinks: u.itemLinks, overrides: u.overrides });

describe('planExport properties', () => {
  it('every line gets exactly one decision, and the counts add up', () => {
    fc.assert(
      fc.property(arbInput, (u) => {
        const p = run(u);
        const expected = u.orders.flatMap((o) => o.lines.map((l) => `${o.sourceId}/${l.lineKey}`));
        assert.deepEqual(
          p.lines.map((l) => `${l.orderSourceId}/${l.lineKey}`),
          expected,
        );
        const c = p.counts;
        assert.equal(c.confirmed + c.upcMatch + c.linkedByBuyer + c.newItem + c.needsReview + c.skipped, c.lines);
        assert.equal(c.lines, expected.length);
        assert.equal(p.canApply, p.blockers.length === 0);
        if (c.needsReview > 0) assert.equal(p.canApply, false);
        // every non-skipped line is on its order's PO exactly once
        for (const po of p.purchaseOrders) {
          const keys = po.lines.flatMap((l) => l.sourceLineKeys);
          const want = p.lines
            .filter((l) => l.orderSourceId === po.orderSourceId && l.decision.kind !== 'skipped')
            .map((l) => l.lineKey);
          assert.deepEqual([...keys].sort(), [...want].sort());
        }
        // new_item lines point at a planned new variant
        for (const l of p.lines) {
          if (l.decision.kind !== 'new_item') continue;
          const { matrixKey: mk, variantKey: vk } = l.decision;
          assert.ok(p.newProducts.some((np) => np.matrixKey === mk && np.variants.some((v) => v.variantKey === vk)));
        }
        // matched items are live
        for (const l of p.lines) {
          if (
            l.decision.kind === 'upc_match' ||
            l.decision.kind === 'confirmed' ||
            l.decision.kind === 'linked_by_buyer'
          ) {
            const id = l.decision.posItemId;
            const entry = [...u.catalog].reverse().find((e) => e.posItemId === id);
            assert.ok(entry && !entry.archived, `matched ${id} must be live`);
          }
        }
      }),
    );
  });

  it('is deterministic, whatever order the catalog rows come in', () => {
    fc.assert(
      fc.property(arbInput, (u) => {
        const p = run(u);
        assert.deepEqual(run(u), p);
        assert.equal(canonicalJson(run(u, [...u.catalog].reverse())), canonicalJson(p));
      }),
    );
  });

  it('bulk plans never produce two NewProducts (or two variants) with the same key', () => {
    fc.assert(
      fc.property(arbInput, (u) => {
        const p = run(u);
        const keys = p.newProducts.map((np) => np.matrixKey);
        assert.equal(new Set(keys).size, keys.length);
        for (const np of p.newProducts) {
          const vks = np.variants.map((v) => v.variantKey);
          assert.equal(new Set(vks).size, vks.length);
          const gtins = np.variants.map((v) => v.gtin14).filter((g) => g !== null);
          assert.equal(new Set(gtins).size, gtins.length);
        }
      }),
    );
  });

  it('the fingerprint changes iff the evidence changes, and diffEvidence is empty iff it does not', () => {
    fc.assert(
      fc.property(arbInput, arbCatalog, (u, otherCatalog) => {
        const p = run(u);
        const q = run(u, otherCatalog);
        const sameEvidence = canonicalJson(p.evidence) === canonicalJson(q.evidence);
        assert.equal(p.fingerprint === q.fingerprint, sameEvidence);
        assert.equal(diffEvidence(p.evidence, q.evidence).length === 0, sameEvidence);
        // re-checking the stored evidence against the new catalog gives the new plan's evidence
        assert.equal(evidenceFingerprint(refreshEvidence(p.evidence, buildCatalogIndex(otherCatalog))), q.fingerprint);
        // when the evidence is the same, so are the decisions
        if (sameEvidence)
          assert.deepEqual(
            q.lines.map((l) => l.decision),
            p.lines.map((l) => l.decision),
          );
      }),
      { numRuns: 300 },
    );
  });
});
