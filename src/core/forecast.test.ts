import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogOrder, forecastCsv, forecastReport, type CatalogProduct } from './forecast.ts';
import { money } from './money.ts';
import { buildCatalogIndex } from './pos-catalog.ts';
import { planExport } from './plan.ts';
import { testBrand, testEntry, upcA } from './testing.ts';

const product = (styleNumber: string, sizes: CatalogProduct['sizes']): CatalogProduct => ({
  sourceId: `p-${styleNumber}`,
  styleNumber,
  season: 'SS27',
  color: 'Navy',
  colorCode: null,
  name: `Style ${styleNumber}`,
  category: null,
  brandExternalId: null,
  images: [],
  sizes,
});

const size = (s: string, rawUpc: string | null, cost: number | null = 1000) => ({
  size: s,
  rawUpc,
  cost: cost === null ? null : money(cost, 'USD'),
  retail: money(2500, 'USD'),
});

describe('forecast', () => {
  const shared = upcA('71234567001');
  const products = [
    product('A-1', [size('S', upcA('71234567002')), size('M', null), size('L', '012345678906')]),
    product('B-2', [size('S', shared), size('M', upcA('21234567890'), null)]),
    product('C-3', [size('S', shared)]),
  ];
  const order = catalogOrder(testBrand, 'USD', products);
  const plan = planExport({
    orders: [order],
    catalog: buildCatalogIndex([testEntry({ posItemId: 'x1', codes: [upcA('71234567002')] })]),
    itemLinks: new Map(),
  });
  const report = forecastReport(plan, order);

  it('counts an order of every size as the plan does', () => {
    assert.equal(order.lines.length, 6);
    assert.deepEqual(
      [
        report.counts.styles,
        report.counts.sizes,
        report.counts.matched,
        report.counts.newItems,
        report.counts.needsReview,
      ],
      [3, 6, 1, plan.counts.newItem, plan.counts.needsReview],
    );
  });

  it('lists each problem once per size, in words, with its code', () => {
    const codes = report.problems.map((p) => `${p.styleNumber}/${p.size}:${p.code}`).sort();
    assert.deepEqual(codes, [
      'A-1/L:BAD_CHECK_DIGIT',
      'A-1/M:MISSING_UPC',
      'B-2/M:NO_WHOLESALE_PRICE',
      'B-2/M:RESTRICTED_CODE',
      'B-2/S:UPC_REUSED_ACROSS_STYLES',
      'C-3/S:UPC_REUSED_ACROSS_STYLES',
    ]);
  });

  it('writes a CSV a spreadsheet opens: a header, one row per problem, quotes and formulas defused', () => {
    const csv = forecastCsv('Acme, "Inc"', [
      {
        code: 'MISSING_UPC',
        styleNumber: '=HYPERLINK("x")',
        color: 'Navy',
        size: 'M',
        upc: '',
        message: 'line one\nline two',
      },
    ]);
    assert.equal(
      csv,
      'brand,style,color,size,upc,problem,what it means\r\n' +
        '"Acme, ""Inc""","\'=HYPERLINK(""x"")",Navy,M,,MISSING_UPC,"line one\nline two"\r\n',
    );
  });
});
