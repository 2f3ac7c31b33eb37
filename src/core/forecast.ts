/**
 * The pre-flight forecast of a brand: its whole catalog planned as if one order held every size of every
 * style, against the POS's catalog, before any order arrives. The plan is the export's own (plan.ts), so the
 * forecast says exactly what an order of everything would do; the data-quality report lists each problem
 * once per size (or style), in words the merchant can send the brand.
 */
import { money, type Money } from './money.ts';
import type { ExportPlan, PlanLine } from './plan-types.ts';
import { makeLineKey, type BrandRef, type LineGap, type OrderLine, type WholesaleOrder } from './wholesale-order.ts';
import { readGtin } from './gtin.ts';

/** One product of a brand's catalog (NuORDER: style + season + color) with its sizes. */
export interface CatalogProduct {
  sourceId: string;
  styleNumber: string;
  season: string | null;
  color: string;
  colorCode: string | null;
  name: string;
  category: string | null;
  brandExternalId: string | null;
  images: string[];
  sizes: Array<{
    size: string;
    rawUpc: string | null;
    /** Wholesale price in the forecast's currency; null when the brand gives none. */
    cost: Money | null;
    retail: Money | null;
    unitsPerPack?: number;
  }>;
}

/** The source id of the forecast's order: never a real order's. */
export const FORECAST_ORDER_ID = 'forecast';

/** Every size of every product, one of each, as one approved order of the brand. */
export function catalogOrder(brand: BrandRef, currency: string, products: readonly CatalogProduct[]): WholesaleOrder {
  const lines: OrderLine[] = [];
  const seen = new Set<string>();
  for (const p of products) {
    for (const s of p.sizes) {
      const lineKey = makeLineKey(p.sourceId, s.size);
      if (seen.has(lineKey)) continue;
      seen.add(lineKey);
      const gaps: LineGap[] = [];
      if (s.cost === null) gaps.push({ field: 'unitCost', reason: 'the brand gives no wholesale price for it' });
      if (s.retail === null)
        gaps.push({ field: 'retailPrice', reason: 'the brand gives no retail price (MSRP) for it' });
      const read = readGtin(s.rawUpc);
      lines.push({
        lineKey,
        productSourceId: p.sourceId,
        brand,
        styleNumber: p.styleNumber,
        season: p.season,
        color: p.color,
        colorCode: p.colorCode,
        size: s.size,
        name: p.name,
        brandExternalId: p.brandExternalId,
        rawUpc: s.rawUpc,
        gtin: read.ok ? { ok: true, gtin14: read.gtin14 } : { ok: false, problem: read.problem, raw: s.rawUpc },
        quantity: 1,
        ...(s.unitsPerPack !== undefined && s.unitsPerPack > 1 ? { unitsPerPack: s.unitsPerPack } : {}),
        unitCost: s.cost ?? money(0, currency),
        retailPrice: s.retail,
        shipWindow: null,
        images: p.images,
        category: p.category,
        ...(gaps.length > 0 ? { gaps } : {}),
      });
    }
  }
  return {
    sourceId: FORECAST_ORDER_ID,
    orderNumber: 'forecast',
    status: 'approved',
    brand,
    retailer: { sourceId: null, name: 'forecast', code: null, buyerName: null, buyerEmail: null },
    customerPoNumber: null,
    currency,
    shipWindow: { start: null, end: null },
    notes: '',
    createdAt: '1970-01-01T00:00:00.000Z',
    modifiedAt: '1970-01-01T00:00:00.000Z',
    billingAddress: null,
    shippingAddress: null,
    lines,
  };
}

export type ForecastProblemCode =
  | 'MISSING_UPC'
  | 'BAD_CHECK_DIGIT'
  | 'MALFORMED_UPC'
  | 'RESTRICTED_CODE'
  | 'DUPLICATE_UPC_IN_POS'
  | 'ARCHIVED_ONLY_IN_POS'
  | 'UPC_REUSED_ACROSS_STYLES'
  | 'CONFLICTING_UPC'
  | 'SHAPE_OVER_LIMIT'
  | 'SHAPE_PROBLEM'
  | 'PRICE_REVIEW'
  | 'PACK_DATA'
  | 'NO_WHOLESALE_PRICE'
  | 'NO_MSRP';

export interface ForecastProblem {
  code: ForecastProblemCode;
  styleNumber: string;
  color: string;
  /** Empty for a problem of the whole style (its shape). */
  size: string;
  upc: string;
  message: string;
}

export interface ForecastCounts {
  /** Distinct style numbers. */
  styles: number;
  /** Style + color (+ season): NuORDER products. */
  products: number;
  sizes: number;
  matched: number;
  newItems: number;
  needsReview: number;
  newProducts: number;
  /** New products over the POS's shape, split to fit. */
  splitStyles: number;
  /** needs-review sizes by reason. */
  reviewReasons: Record<string, number>;
}

export interface ForecastReport {
  counts: ForecastCounts;
  problems: ForecastProblem[];
}

/** Counts and problems of the catalog's plan. */
export function forecastReport(plan: ExportPlan, order: WholesaleOrder): ForecastReport {
  const lines = plan.lines;
  const reasons: Record<string, number> = {};
  for (const l of lines)
    if (l.decision.kind === 'needs_review') reasons[l.decision.reason] = (reasons[l.decision.reason] ?? 0) + 1;
  const counts: ForecastCounts = {
    styles: new Set(order.lines.map((l) => l.styleNumber.toLowerCase())).size,
    products: new Set(order.lines.map((l) => l.productSourceId)).size,
    sizes: lines.length,
    matched: lines.filter((l) => ['upc_match', 'confirmed', 'linked_by_buyer'].includes(l.decision.kind)).length,
    newItems: plan.counts.newItem,
    needsReview: plan.counts.needsReview,
    newProducts: plan.counts.newProducts,
    splitStyles: plan.warnings.filter((w) => w.code === 'STYLE_SPLIT').length,
    reviewReasons: reasons,
  };
  return { counts, problems: problemsOf(plan, order) };
}

function problemsOf(plan: ExportPlan, order: WholesaleOrder): ForecastProblem[] {
  const out: ForecastProblem[] = [];
  const seen = new Set<string>();
  const byKey = new Map(plan.lines.map((l) => [l.lineKey, l]));
  const orderLine = new Map(order.lines.map((l) => [l.lineKey, l]));
  const add = (l: PlanLine, code: ForecastProblemCode, message: string): void => {
    const key = `${l.lineKey}\u0000${code}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ code, styleNumber: l.styleNumber, color: l.color, size: l.size, upc: l.rawUpc ?? '', message });
  };
  for (const l of plan.lines) {
    const d = l.decision;
    if (d.kind === 'needs_review') {
      const code = reviewCode(d.reason, d.gtinProblem, d.candidates.length);
      if (code === 'MISSING_UPC')
        add(l, code, 'the brand sends no UPC for this size, so it can only be matched by hand');
      else if (code !== null) add(l, code, d.detail);
    }
    for (const gap of orderLine.get(l.lineKey)?.gaps ?? [])
      add(l, gap.field === 'unitCost' ? 'NO_WHOLESALE_PRICE' : 'NO_MSRP', gap.reason);
  }
  for (const w of plan.warnings) {
    if (w.code === 'GTIN_SHARED_BY_VARIANTS' || w.code === 'DUPLICATE_UPC_IN_POS') {
      const code = w.code === 'GTIN_SHARED_BY_VARIANTS' ? 'UPC_REUSED_ACROSS_STYLES' : 'DUPLICATE_UPC_IN_POS';
      const lines = w.lines?.length
        ? w.lines.flatMap((r) => byKey.get(r.lineKey) ?? [])
        : plan.lines.filter((l) => l.gtin14 === w.gtin14);
      for (const l of lines) add(l, code, w.message);
    }
    if (w.code === 'STYLE_SPLIT') {
      const l = plan.lines.find((x) => x.matrixKey === w.matrixKey);
      if (l)
        out.push({
          code: 'SHAPE_OVER_LIMIT',
          styleNumber: l.styleNumber,
          color: l.color,
          size: '',
          upc: '',
          message: w.message,
        });
    }
  }
  return out;
}

function reviewCode(reason: string, gtinProblem: string | undefined, candidates: number): ForecastProblemCode | null {
  switch (reason) {
    case 'no_upc':
      return 'MISSING_UPC';
    case 'malformed_upc':
      return gtinProblem === 'bad_check_digit' ? 'BAD_CHECK_DIGIT' : 'MALFORMED_UPC';
    case 'unmatchable_code':
      return 'RESTRICTED_CODE';
    case 'duplicate_upc':
      return candidates > 0 ? 'DUPLICATE_UPC_IN_POS' : 'UPC_REUSED_ACROSS_STYLES';
    case 'archived_only':
      return 'ARCHIVED_ONLY_IN_POS';
    case 'conflicting_upc':
      return 'CONFLICTING_UPC';
    case 'variant_shape':
      return 'SHAPE_PROBLEM';
    case 'price_review':
      return 'PRICE_REVIEW';
    case 'pack_invalid':
      return 'PACK_DATA';
    default:
      return null;
  }
}

/** RFC 4180 CSV, one row per problem, with a header: what the merchant sends the brand. */
export function forecastCsv(brandName: string, problems: readonly ForecastProblem[]): string {
  const cell = (v: string): string =>
    /[",\r\n]/.test(v) || /^[=+\-@]/.test(v) ? `"${v.replace(/^([=+\-@])/, "'$1").replace(/"/g, '""')}"` : v;
  const rows = [['brand', 'style', 'color', 'size', 'upc', 'problem', 'what it means']];
  for (const p of problems) rows.push([brandName, p.styleNumber, p.color, p.size, p.upc, p.code, p.message]);
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
