/**
 * Export planning: for every order line, decide what the POS purchase order line will point at, and
 * say why. A plan is a pure function of (orders, POS evidence, item links, overrides), so it can be
 * stored, shown, fingerprinted, and recomputed when the POS catalog drifts.
 *
 * Decisions, in the order they are tried for a line:
 *   1. an override chosen by the buyer (line-level beats matrix-level) → `linked_by_buyer` or `new_item`;
 *   2. an item link from an earlier export whose POS item is still live → `confirmed`;
 *   3. the line's code, read the GS1 way (plan-codes.ts: UPC-E expanded, a case code's unit in units):
 *      exactly one live POS item across every reading → `upc_match`; none at all → `new_item`;
 *      several live → `needs_review/duplicate_upc`; only archived → `needs_review/archived_only`;
 *      no UPC → `needs_review/no_upc`; malformed → `needs_review/malformed_upc`; a readable code that
 *      names no single product (restricted circulation, coupon, demo) → `needs_review/unmatchable_code`.
 * Then the new items are priced by the connection's policy and shaped to the POS's limits
 * (plan-products.ts), and the items Tradeloop created keep what the merchant changed (plan-ownership.ts).
 * Nothing is guessed: there is no fallback to names or SKUs, because a wrong match silently puts
 * stock on the wrong item.
 *
 * Why `linked_by_buyer` and not `upc_match` + `overridden: true`: the evidence behind the two is
 * different (a person's choice vs a barcode), the UI labels them differently, and after the export
 * both become item links, i.e. `confirmed` next time.
 */
import { analyseLine, DEFAULT_PLAN_CASE_PACKS } from './plan-codes.ts';
import { checkOverrides, checkPlanWideGtins, decideLine } from './plan-decide.ts';
import { EvidenceRecorder, evidenceFingerprint } from './plan-evidence.ts';
import { ownershipUpdates } from './plan-ownership.ts';
import { collectNewProducts, linkedItemsOfMatrices, NO_PRICING_POLICY } from './plan-products.ts';
import type {
  DecisionKind,
  ExportPlan,
  MatrixStatus,
  PlanBlocker,
  PlanInput,
  PlanMatrix,
  PlannedPoLine,
  PlannedPurchaseOrder,
  PlanSupplier,
  PlanWarning,
  PoLineTarget,
  OverrideProblem,
} from './plan-types.ts';
import { getOrInit, lineRef, matchedItemId, workLines, type WorkLine } from './plan-work.ts';
import { equalsMoney } from './money.ts';
import { matrixKey, purchaseOrderCorrelationKey, variantKey } from './pos-catalog.ts';
import { compareText, orderProblems } from './wholesale-order.ts';
import type { WholesaleOrder } from './wholesale-order.ts';

export type * from './plan-types.ts';
export { diffEvidence, evidenceFingerprint, refreshEvidence } from './plan-evidence.ts';
export type { EvidenceChange } from './plan-evidence.ts';
export { DEFAULT_PLAN_CASE_PACKS } from './plan-codes.ts';
export { NO_PRICING_POLICY } from './plan-products.ts';

// ---------------------------------------------------------------------------------------------------
// Lookups

/**
 * What a plan of these orders will ask the catalog: every GTIN a line may match by (every reading of its
 * code), every link target and every override target. A flow loads exactly these rows from the mirror
 * into `buildCatalogIndex`.
 */
export function requiredLookups(input: Omit<PlanInput, 'catalog'>): { gtins: string[]; posItemIds: string[] } {
  const gtins = new Set<string>();
  const ids = new Set<string>();
  const packs = input.casePacks ?? DEFAULT_PLAN_CASE_PACKS;
  for (const order of input.orders) {
    for (const line of order.lines) {
      for (const g of analyseLine(line, packs).lookups) gtins.add(g);
      const linked = input.itemLinks.get(variantKey(line));
      if (linked !== undefined) ids.add(linked);
    }
  }
  for (const o of input.overrides ?? []) if (o.action.kind === 'link') ids.add(o.action.posItemId);
  // The items linked to other sizes of the orders' style/colours: the family new sizes join (plan-products.ts).
  const matrices = input.orders.flatMap((o) => o.lines.map((l) => matrixKey(l)));
  for (const list of linkedItemsOfMatrices(input.itemLinks, matrices).values()) for (const id of list) ids.add(id);
  return { gtins: [...gtins].sort(compareText), posItemIds: [...ids].sort(compareText) };
}

// ---------------------------------------------------------------------------------------------------
// Planning

/** One per source id; a repeated order is a blocker. */
function uniqueOrders(input: PlanInput, blockers: PlanBlocker[]): WholesaleOrder[] {
  const orders: WholesaleOrder[] = [];
  const orderIds = new Set<string>();
  for (const order of input.orders) {
    if (orderIds.has(order.sourceId)) {
      blockers.push({
        code: 'DUPLICATE_ORDER',
        orderSourceId: order.sourceId,
        message: `order ${order.orderNumber} is in the plan twice`,
      });
      continue;
    }
    orderIds.add(order.sourceId);
    orders.push(order);
  }
  return orders;
}

export function planExport(input: PlanInput): ExportPlan {
  const recorder = new EvidenceRecorder(input.catalog);
  const warnings: PlanWarning[] = [];
  const blockers: PlanBlocker[] = [];
  const overrideProblems: OverrideProblem[] = [];
  const orders = uniqueOrders(input, blockers);
  const work = workLines(orders, input);
  const overrides = checkOverrides(input.overrides ?? [], work, recorder, overrideProblems);
  const context = {
    itemLinks: input.itemLinks,
    overrides,
    recorder,
    warnings,
    duplicateUpcReported: new Set<string>(),
  };
  for (const w of work) w.plan.decision = decideLine(w, context);

  checkPlanWideGtins(work, warnings);
  const newProducts = collectNewProducts(work, recorder, warnings, input);
  const itemUpdates = ownershipUpdates(work, input, warnings);
  matrixAndItemWarnings(work, recorder, warnings);
  lineGapWarnings(work, warnings);
  packWarnings(work, warnings);
  const workOfOrder = new Map<WholesaleOrder, WorkLine[]>();
  for (const w of work) getOrInit(workOfOrder, w.order, () => []).push(w);
  const purchaseOrders = orders.map((order) =>
    planPurchaseOrder(order, workOfOrder.get(order) ?? [], blockers, input.keyScope),
  );
  orderBlockers(orders, work, input, blockers);

  const lines = work.map((w) => w.plan);
  const count = (kind: DecisionKind) => lines.filter((l) => l.decision.kind === kind).length;
  const evidence = recorder.evidence();
  return {
    lines,
    matrices: buildMatrices(work, warnings),
    newProducts,
    purchaseOrders,
    counts: {
      orders: orders.length,
      lines: lines.length,
      confirmed: count('confirmed'),
      upcMatch: count('upc_match'),
      linkedByBuyer: count('linked_by_buyer'),
      newItem: count('new_item'),
      needsReview: count('needs_review'),
      skipped: count('skipped'),
      newProducts: newProducts.length,
      newVariants: newProducts.reduce((n, p) => n + p.variants.length, 0),
      poLines: purchaseOrders.reduce((n, po) => n + po.lines.length, 0),
    },
    canApply: blockers.length === 0,
    blockers,
    warnings,
    overrideProblems,
    evidence,
    fingerprint: evidenceFingerprint(evidence),
    pricingVersion: (input.pricing ?? NO_PRICING_POLICY).version,
    suppliers: suppliersOf(purchaseOrders, input),
    itemUpdates,
  };
}

/** Per order: malformed, another currency than the POS's, cancelled, nothing to order; review first. */
function orderBlockers(orders: WholesaleOrder[], work: WorkLine[], input: PlanInput, blockers: PlanBlocker[]): void {
  const ordering = new Set(work.filter((w) => w.plan.decision.kind !== 'skipped').map((w) => w.order));
  for (const order of orders) {
    const problems = orderProblems(order);
    if (problems.length > 0) {
      blockers.push({
        code: 'ORDER_MALFORMED',
        orderSourceId: order.sourceId,
        message: `order ${order.orderNumber}: ${problems.join('; ')}`,
      });
    }
    const posCurrency = input.posCurrency?.toUpperCase();
    if (posCurrency && order.currency.toUpperCase() !== posCurrency) {
      blockers.push({
        code: 'CURRENCY_MISMATCH',
        orderSourceId: order.sourceId,
        message: `order ${order.orderNumber} is in ${order.currency.toUpperCase()}, and the POS keeps costs in ${posCurrency}; Tradeloop does not convert currencies`,
      });
    }
    if (order.status === 'cancelled') {
      blockers.push({
        code: 'ORDER_CANCELLED',
        orderSourceId: order.sourceId,
        message: `order ${order.orderNumber} is cancelled`,
      });
    }
    if (!ordering.has(order)) {
      blockers.push({
        code: 'ORDER_EMPTY',
        orderSourceId: order.sourceId,
        message: `order ${order.orderNumber} has no quantities to order`,
      });
    }
  }
  const review = work.filter((w) => w.plan.decision.kind === 'needs_review');
  if (review.length > 0) {
    blockers.unshift({
      code: 'LINES_NEED_REVIEW',
      message: `${review.length} line${review.length === 1 ? '' : 's'} need${review.length === 1 ? 's' : ''} review`,
      lines: review.map(lineRef),
    });
  }
}

/** The supplier of each brand on the plan's purchase orders: the merchant's mapping, when there is one. */
function suppliersOf(purchaseOrders: PlannedPurchaseOrder[], input: PlanInput): PlanSupplier[] {
  const brands = new Map(purchaseOrders.map((po) => [po.brand.sourceId, po.brand]));
  return [...brands.values()].map((brand) => {
    const mapped = input.brandSuppliers?.get(brand.sourceId);
    return { brand, supplierId: mapped?.id ?? null, supplierName: mapped?.name ?? null };
  });
}

/** A pack whose unit cost was rounded: the PO total differs from the brand's, and the line says by how much. */
function packWarnings(work: WorkLine[], warnings: PlanWarning[]): void {
  for (const w of work) {
    const pack = w.plan.pack;
    if (pack === undefined || pack.difference.minor === 0 || w.plan.decision.kind === 'skipped') continue;
    warnings.push({
      code: 'PACK_COST_ROUNDED',
      level: 'line',
      lines: [lineRef(w)],
      message: `${w.line.styleNumber} ${w.line.color} ${w.line.size}: ${pack.rule}`,
    });
  }
}

/** What the source left out of a line, shown on that line with what it means for the export. */
function lineGapWarnings(work: WorkLine[], warnings: PlanWarning[]): void {
  for (const w of work) {
    const kind = w.plan.decision.kind;
    if (kind === 'skipped') continue;
    for (const gap of w.line.gaps ?? []) {
      const effect =
        gap.field !== 'retailPrice'
          ? 'the line goes on without it'
          : kind === 'new_item'
            ? 'the new item is created without a retail price; set one in the POS'
            : kind === 'needs_review'
              ? 'a new item made for it would have no retail price'
              : 'the POS item keeps its own retail price';
      warnings.push({
        code: 'LINE_DATA_MISSING',
        level: 'line',
        lines: [lineRef(w)],
        message: `${w.line.styleNumber} ${w.line.color} ${w.line.size}: ${gap.reason}; ${effect}`,
      });
    }
  }
}

function matrixAndItemWarnings(work: WorkLine[], recorder: EvidenceRecorder, warnings: PlanWarning[]): void {
  const familiesOfMatrix = new Map<string, Set<string>>();
  const variantsOfItem = new Map<string, Set<string>>();
  for (const w of work) {
    const id = matchedItemId(w.plan.decision);
    if (id === null) continue;
    const parent = recorder.known(id)?.parentId ?? null;
    getOrInit(familiesOfMatrix, w.plan.matrixKey, () => new Set()).add(parent ?? `item:${id}`);
    getOrInit(variantsOfItem, id, () => new Set()).add(w.plan.variantKey);
  }
  for (const [mk, families] of familiesOfMatrix) {
    if (families.size > 1) {
      warnings.push({
        code: 'MATRIX_SPANS_POS_PARENTS',
        level: 'matrix',
        matrixKey: mk,
        message: `the sizes of ${mk} match items in ${families.size} different POS families`,
      });
    }
  }
  for (const [id, variants] of variantsOfItem) {
    if (variants.size > 1) {
      warnings.push({
        code: 'POS_ITEM_SHARED_BY_VARIANTS',
        level: 'item',
        posItemIds: [id],
        message: `POS item ${id} is the match for ${variants.size} different variants: ${[...variants].join(', ')}`,
      });
    }
  }
}

function planPurchaseOrder(
  order: WholesaleOrder,
  /** The order's own lines. */
  work: WorkLine[],
  blockers: PlanBlocker[],
  keyScope: string | undefined,
): PlannedPurchaseOrder {
  const lines: PlannedPoLine[] = [];
  const byTarget = new Map<string, PlannedPoLine>();
  for (const w of work) {
    if (w.order !== order) continue;
    const d = w.plan.decision;
    let target: PoLineTarget;
    if (d.kind === 'skipped') continue;
    if (d.kind === 'needs_review') target = { kind: 'unresolved' };
    else if (d.kind === 'new_item') target = { kind: 'new', matrixKey: d.matrixKey, variantKey: d.variantKey };
    else target = { kind: 'existing', posItemId: d.posItemId };
    const key =
      target.kind === 'existing' ? `e:${target.posItemId}` : target.kind === 'new' ? `n:${target.variantKey}` : null;
    const merged = key === null ? undefined : byTarget.get(key);
    if (merged === undefined) {
      const poLine: PlannedPoLine = {
        target,
        quantity: w.plan.quantity,
        unitCost: w.plan.unitCost,
        sourceLineKeys: [w.plan.lineKey],
      };
      lines.push(poLine);
      if (key !== null) byTarget.set(key, poLine);
      continue;
    }
    // A POS purchase order holds one line per item (X-Series keys lines by product id).
    merged.quantity += w.plan.quantity;
    merged.sourceLineKeys.push(w.plan.lineKey);
    if (!equalsMoney(merged.unitCost, w.plan.unitCost)) {
      blockers.push({
        code: 'PO_LINE_COST_CONFLICT',
        orderSourceId: order.sourceId,
        lines: merged.sourceLineKeys.map((lineKey) => ({ orderSourceId: order.sourceId, lineKey })),
        message: `order ${order.orderNumber}: lines ${merged.sourceLineKeys.join(', ')} land on one POS item at different costs`,
      });
    }
  }
  return {
    orderSourceId: order.sourceId,
    orderNumber: order.orderNumber,
    brand: order.brand,
    currency: order.currency,
    customerPoNumber: order.customerPoNumber,
    shipWindow: order.shipWindow,
    notes: order.notes,
    lines,
    correlationKey: purchaseOrderCorrelationKey('nuorder', order.sourceId, order.orderNumber, keyScope),
  };
}

function buildMatrices(work: WorkLine[], warnings: PlanWarning[]): PlanMatrix[] {
  const matrices = new Map<string, PlanMatrix & { kinds: Set<DecisionKind> }>();
  for (const w of work) {
    let m = matrices.get(w.plan.matrixKey);
    if (m === undefined) {
      m = {
        matrixKey: w.plan.matrixKey,
        brand: w.line.brand,
        styleNumber: w.line.styleNumber,
        color: w.line.color,
        name: w.line.name,
        status: 'mixed',
        variantKeys: [],
        lines: [],
        warnings: [],
        kinds: new Set(),
      };
      matrices.set(w.plan.matrixKey, m);
    }
    if (!m.variantKeys.includes(w.plan.variantKey)) m.variantKeys.push(w.plan.variantKey);
    m.lines.push(lineRef(w));
    m.kinds.add(w.plan.decision.kind);
  }
  // Each warning filed under the matrices it concerns, in warning order: one pass instead of one per matrix.
  const warningsOf = new Map<string, PlanWarning[]>();
  let lineMatrix: Map<string, string> | undefined;
  let matrixOfVariant: Map<string, Set<string>> | undefined;
  for (const wa of warnings) {
    lineMatrix ??= new Map(work.map((w) => [`${w.plan.orderSourceId}\u0000${w.plan.lineKey}`, w.plan.matrixKey]));
    if (matrixOfVariant === undefined) {
      matrixOfVariant = new Map();
      for (const m of matrices.values())
        for (const v of m.variantKeys) getOrInit(matrixOfVariant, v, () => new Set<string>()).add(m.matrixKey);
    }
    const concerns = new Set<string>();
    if (wa.matrixKey !== undefined) concerns.add(wa.matrixKey);
    if (wa.variantKey !== undefined) for (const mk of matrixOfVariant.get(wa.variantKey) ?? []) concerns.add(mk);
    for (const l of wa.lines ?? []) {
      const mk = lineMatrix.get(`${l.orderSourceId}\u0000${l.lineKey}`);
      if (mk !== undefined) concerns.add(mk);
    }
    for (const mk of concerns) getOrInit(warningsOf, mk, () => []).push(wa);
  }
  return [...matrices.values()].map(({ kinds, ...m }) => {
    const orderable = [...kinds].filter((k) => k !== 'skipped');
    let status: MatrixStatus;
    if (kinds.has('needs_review')) status = 'needs_review';
    else if (orderable.length === 0) status = 'skipped';
    else if (orderable.length === 1) status = orderable[0] as MatrixStatus;
    else status = 'mixed';
    return { ...m, status, warnings: warningsOf.get(m.matrixKey) ?? [] };
  });
}
