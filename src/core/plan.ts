/**
 * Export planning: for every order line, decide what the POS purchase order line will point at, and
 * say why. A plan is a pure function of (orders, POS evidence, item links, overrides), so it can be
 * stored, shown, fingerprinted, and recomputed when the POS catalog drifts.
 *
 * Decisions, in the order they are tried for a line:
 *   1. an override chosen by the buyer (line-level beats matrix-level) → `linked_by_buyer` or `new_item`;
 *   2. an item link from an earlier export whose POS item is still live → `confirmed`;
 *   3. the line's GTIN: exactly one live POS item → `upc_match`; none at all → `new_item`;
 *      several live → `needs_review/duplicate_upc`; only archived → `needs_review/archived_only`;
 *      no UPC → `needs_review/no_upc`; malformed → `needs_review/malformed_upc`.
 * Nothing is guessed: there is no fallback to names or SKUs, because a wrong match silently puts
 * stock on the wrong item.
 *
 * Why `linked_by_buyer` and not `upc_match` + `overridden: true`: the evidence behind the two is
 * different (a person's choice vs a barcode), the UI labels them differently, and after the export
 * both become item links, i.e. `confirmed` next time.
 */
import { hashCanonical } from './canonical.ts';
import type { GtinProblem } from './gtin.ts';
import { equalsMoney } from './money.ts';
import type { Money } from './money.ts';
import { matrixKey, productCorrelationKey, variantCorrelationKey, variantKey } from './pos-catalog.ts';
import type { CatalogLookup, PosCatalogEntry } from './pos-catalog.ts';
import { compareText, orderProblems } from './wholesale-order.ts';
import type { BrandRef, OrderLine, ShipWindow, WholesaleOrder } from './wholesale-order.ts';

// ---------------------------------------------------------------------------------------------------
// Input

export type OverrideAction = { kind: 'link'; posItemId: string } | { kind: 'create_new' };

/** A buyer's choice. `key` is a variantKey for scope 'line', a matrixKey for scope 'matrix'. */
export interface ItemOverride {
  scope: 'line' | 'matrix';
  key: string;
  action: OverrideAction;
}

export interface PlanInput {
  orders: readonly WholesaleOrder[];
  /** Needs to answer only for the GTINs and ids `requiredLookups` lists. */
  catalog: CatalogLookup;
  /** variantKey → posItemId: the "Confirmed" memory written by earlier exports. */
  itemLinks: ReadonlyMap<string, string>;
  overrides?: readonly ItemOverride[];
  /** The currency the POS keeps costs in, when known: an order in another one cannot be exported. */
  posCurrency?: string | null;
}

// ---------------------------------------------------------------------------------------------------
// Output

export type ReviewReason =
  /** Several live POS items carry the GTIN, or several variants in the plan share it. */
  | 'duplicate_upc'
  /** The only POS items with the GTIN are archived (R-Series archiving is not reversible for stock). */
  | 'archived_only'
  | 'no_upc'
  | 'malformed_upc'
  /** The buyer's override names an unknown or archived item, or links a whole multi-size matrix to one item. */
  | 'override_invalid'
  /** The same variant arrives with different UPCs (in different orders of a bulk plan). */
  | 'conflicting_upc'
  /** Negative or fractional quantity. */
  | 'invalid_quantity';

/** A POS item shown to the buyer as a possible match. */
export interface Candidate {
  posItemId: string;
  parentId: string | null;
  name: string;
  sku: string | null;
  archived: boolean;
}

export type LineDecision =
  | { kind: 'confirmed'; posItemId: string }
  | { kind: 'upc_match'; posItemId: string; gtin14: string }
  | { kind: 'linked_by_buyer'; posItemId: string; scope: 'line' | 'matrix' }
  /** Points at `newProducts[matrixKey].variants[variantKey]`. `byBuyer`: a create_new override, not the GTIN rule. */
  | { kind: 'new_item'; matrixKey: string; variantKey: string; byBuyer: boolean }
  | { kind: 'needs_review'; reason: ReviewReason; detail: string; candidates: Candidate[]; gtinProblem?: GtinProblem }
  /** Quantity 0: nothing to order, nothing to create. */
  | { kind: 'skipped'; reason: 'zero_quantity' };

export type DecisionKind = LineDecision['kind'];

export interface PlanLine {
  orderSourceId: string;
  lineKey: string;
  variantKey: string;
  matrixKey: string;
  styleNumber: string;
  color: string;
  size: string;
  name: string;
  gtin14: string | null;
  rawUpc: string | null;
  quantity: number;
  unitCost: Money;
  retailPrice: Money | null;
  decision: LineDecision;
  /** The override that decided this line, if any (also when it was refused). */
  override: ItemOverride | null;
}

export type WarningCode =
  /** An item link points at a POS item that no longer exists; the line was matched by UPC instead. */
  | 'LINK_TARGET_MISSING'
  /** An item link points at an archived POS item; the line was matched by UPC instead. */
  | 'LINK_TARGET_ARCHIVED'
  /** The linked item does not carry the line's GTIN, while other live items do. */
  | 'LINK_DIFFERS_FROM_UPC'
  /** A GTIN in the plan is carried by several live POS items. */
  | 'DUPLICATE_UPC_IN_POS'
  /** Different variants in the plan share one GTIN (vendor data error). */
  | 'GTIN_SHARED_BY_VARIANTS'
  /** One order has several lines with the same GTIN. */
  | 'DUPLICATE_GTIN_IN_ORDER'
  /** Different variants would land on the same POS item. */
  | 'POS_ITEM_SHARED_BY_VARIANTS'
  /** The variants of one style/color match items of different POS families. */
  | 'MATRIX_SPANS_POS_PARENTS'
  /** Some variants of a style/color exist in the POS, others will be created. */
  | 'MATRIX_PARTLY_NEW'
  /** A new item will be created although live POS items carry its GTIN (buyer chose create_new). */
  | 'NEW_ITEM_DUPLICATES_UPC'
  /** The same new variant is ordered at different costs in different orders; the first order's cost is used for the item. */
  | 'NEW_VARIANT_COST_DIFFERS'
  /** The source left a value out of a line (its `gaps`, e.g. no retail price); the line goes on without it. */
  | 'LINE_DATA_MISSING';

export interface PlanWarning {
  code: WarningCode;
  level: 'item' | 'matrix' | 'variant' | 'line';
  message: string;
  matrixKey?: string;
  variantKey?: string;
  gtin14?: string;
  posItemIds?: string[];
  lines?: Array<{ orderSourceId: string; lineKey: string }>;
}

export type MatrixStatus =
  'confirmed' | 'upc_match' | 'linked_by_buyer' | 'new_item' | 'needs_review' | 'skipped' | 'mixed';

/** One style/color across the whole plan: what the buyer reviews. */
export interface PlanMatrix {
  matrixKey: string;
  brand: BrandRef;
  styleNumber: string;
  color: string;
  name: string;
  /** `needs_review` if any line needs review; otherwise the lines' common kind, or `mixed`. */
  status: MatrixStatus;
  variantKeys: string[];
  lines: Array<{ orderSourceId: string; lineKey: string }>;
  warnings: PlanWarning[];
}

export interface NewVariant {
  variantKey: string;
  /** Written into the POS with the item (see ports/pos.ts). */
  correlationKey: string;
  size: string;
  gtin14: string | null;
  /** The barcode as the brand wrote it (spaces/hyphens removed), to store in the POS as typed. */
  upc: string | null;
  cost: Money;
  retail: Money | null;
  orderSourceIds: string[];
}

/** One product (matrix/family) to create, however many orders want it. */
export interface NewProduct {
  matrixKey: string;
  correlationKey: string;
  brand: BrandRef;
  styleNumber: string;
  color: string;
  name: string;
  season: string | null;
  category: string | null;
  images: string[];
  /**
   * Set when the style/color's other variants already exist in one POS family: the new variants belong
   * in that family. Null when there is none or when they span several families.
   */
  existingParentId: string | null;
  variants: NewVariant[];
}

export type PoLineTarget =
  | { kind: 'existing'; posItemId: string }
  | { kind: 'new'; matrixKey: string; variantKey: string }
  /** Needs review: not applicable until the buyer decides. */
  | { kind: 'unresolved' };

export interface PlannedPoLine {
  target: PoLineTarget;
  quantity: number;
  unitCost: Money;
  /** Order lines merged into this PO line (several only when they point at the same item). */
  sourceLineKeys: string[];
}

/** The purchase order one wholesale order will become. */
export interface PlannedPurchaseOrder {
  orderSourceId: string;
  orderNumber: string;
  brand: BrandRef;
  currency: string;
  customerPoNumber: string | null;
  shipWindow: ShipWindow;
  notes: string;
  lines: PlannedPoLine[];
}

export interface PlanCounts {
  orders: number;
  lines: number;
  confirmed: number;
  upcMatch: number;
  linkedByBuyer: number;
  newItem: number;
  needsReview: number;
  skipped: number;
  newProducts: number;
  newVariants: number;
  poLines: number;
}

export type BlockerCode =
  | 'LINES_NEED_REVIEW'
  | 'ORDER_CANCELLED'
  | 'ORDER_EMPTY'
  | 'ORDER_MALFORMED'
  | 'DUPLICATE_ORDER'
  | 'PO_LINE_COST_CONFLICT'
  | 'CURRENCY_MISMATCH';

export interface PlanBlocker {
  code: BlockerCode;
  message: string;
  orderSourceId?: string;
  lines?: Array<{ orderSourceId: string; lineKey: string }>;
}

export type OverrideProblemCode =
  /** Blocks the lines it covers (needs_review/override_invalid). */
  | 'UNKNOWN_POS_ITEM'
  | 'ARCHIVED_POS_ITEM'
  | 'MATRIX_LINK_AMBIGUOUS'
  /** Reported only: the key matches no line of this plan. */
  | 'KEY_NOT_IN_PLAN'
  /** Reported only: a later override with the same scope and key replaced this one. */
  | 'SUPERSEDED';

export interface OverrideProblem {
  code: OverrideProblemCode;
  override: ItemOverride;
  message: string;
}

export interface EvidenceItem {
  posItemId: string;
  parentId: string | null;
  archived: boolean;
  version: string;
}

/**
 * Everything the plan read from the POS, sorted: the fingerprint is its hash. Kept in the stored plan
 * so that drift can be checked by looking up the same GTINs and ids again (`refreshEvidence`).
 */
export interface PlanEvidence {
  /** Every GTIN looked up, with every item carrying it (archived too), sorted by id. */
  gtins: Array<{ gtin14: string; candidates: EvidenceItem[] }>;
  /** Every item looked up by id (link and override targets); null = not found. */
  items: Array<{ posItemId: string; item: EvidenceItem | null }>;
}

export interface ExportPlan {
  lines: PlanLine[];
  matrices: PlanMatrix[];
  newProducts: NewProduct[];
  purchaseOrders: PlannedPurchaseOrder[];
  counts: PlanCounts;
  canApply: boolean;
  blockers: PlanBlocker[];
  warnings: PlanWarning[];
  overrideProblems: OverrideProblem[];
  evidence: PlanEvidence;
  fingerprint: string;
}

// ---------------------------------------------------------------------------------------------------
// Lookups

/**
 * What a plan of these orders will ask the catalog: every valid GTIN on the lines, every link target
 * and every override target. A flow loads exactly these rows from the mirror into `buildCatalogIndex`.
 */
export function requiredLookups(input: Omit<PlanInput, 'catalog'>): { gtins: string[]; posItemIds: string[] } {
  const gtins = new Set<string>();
  const ids = new Set<string>();
  for (const order of input.orders) {
    for (const line of order.lines) {
      if (line.gtin.ok) gtins.add(line.gtin.gtin14);
      const linked = input.itemLinks.get(variantKey(line));
      if (linked !== undefined) ids.add(linked);
    }
  }
  for (const o of input.overrides ?? []) if (o.action.kind === 'link') ids.add(o.action.posItemId);
  return { gtins: [...gtins].sort(compareText), posItemIds: [...ids].sort(compareText) };
}

/** Records every answer the catalog gives, so the evidence is exactly what the decisions used. */
class EvidenceRecorder {
  readonly gtins = new Map<string, readonly PosCatalogEntry[]>();
  readonly items = new Map<string, PosCatalogEntry | null>();
  private readonly catalog: CatalogLookup;

  constructor(catalog: CatalogLookup) {
    this.catalog = catalog;
  }

  byGtin(gtin14: string): readonly PosCatalogEntry[] {
    let found = this.gtins.get(gtin14);
    if (found === undefined) {
      const unique = new Map<string, PosCatalogEntry>();
      for (const e of this.catalog.byGtin(gtin14)) if (!unique.has(e.posItemId)) unique.set(e.posItemId, e);
      found = [...unique.values()].sort((a, b) => compareText(a.posItemId, b.posItemId));
      this.gtins.set(gtin14, found);
    }
    return found;
  }

  byId(posItemId: string): PosCatalogEntry | null {
    let found = this.items.get(posItemId);
    if (found === undefined) {
      found = this.catalog.byId(posItemId) ?? null;
      this.items.set(posItemId, found);
    }
    return found;
  }

  /** Any entry seen so far, for parent ids of matched items. */
  known(posItemId: string): PosCatalogEntry | undefined {
    const direct = this.items.get(posItemId);
    if (direct) return direct;
    for (const list of this.gtins.values()) for (const e of list) if (e.posItemId === posItemId) return e;
    return undefined;
  }

  evidence(): PlanEvidence {
    return {
      gtins: [...this.gtins.entries()]
        .sort(([a], [b]) => compareText(a, b))
        .map(([gtin14, list]) => ({ gtin14, candidates: list.map(evidenceItem) })),
      items: [...this.items.entries()]
        .sort(([a], [b]) => compareText(a, b))
        .map(([posItemId, e]) => ({ posItemId, item: e === null ? null : evidenceItem(e) })),
    };
  }
}

function evidenceItem(e: PosCatalogEntry): EvidenceItem {
  return { posItemId: e.posItemId, parentId: e.parentId, archived: e.archived, version: e.version };
}

function candidate(e: PosCatalogEntry): Candidate {
  return { posItemId: e.posItemId, parentId: e.parentId, name: e.name, sku: e.sku, archived: e.archived };
}

// ---------------------------------------------------------------------------------------------------
// Planning

interface WorkLine {
  order: WholesaleOrder;
  line: OrderLine;
  plan: PlanLine;
}

const lineRef = (w: { plan: PlanLine }) => ({ orderSourceId: w.plan.orderSourceId, lineKey: w.plan.lineKey });

export function planExport(input: PlanInput): ExportPlan {
  const recorder = new EvidenceRecorder(input.catalog);
  const warnings: PlanWarning[] = [];
  const blockers: PlanBlocker[] = [];
  const overrideProblems: OverrideProblem[] = [];

  // Orders: one per source id.
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

  const work: WorkLine[] = [];
  for (const order of orders) {
    for (const line of order.lines) {
      const vk = variantKey(line);
      work.push({
        order,
        line,
        plan: {
          orderSourceId: order.sourceId,
          lineKey: line.lineKey,
          variantKey: vk,
          matrixKey: matrixKey(line),
          styleNumber: line.styleNumber,
          color: line.color,
          size: line.size,
          name: line.name,
          gtin14: line.gtin.ok ? line.gtin.gtin14 : null,
          rawUpc: line.rawUpc,
          quantity: line.quantity,
          unitCost: line.unitCost,
          retailPrice: line.retailPrice,
          decision: { kind: 'skipped', reason: 'zero_quantity' },
          override: null,
        },
      });
    }
  }

  // Overrides: index, then check each against the plan and the catalog.
  const variantsOfMatrix = new Map<string, Set<string>>();
  for (const w of work) {
    if (w.plan.quantity === 0) continue;
    getOrInit(variantsOfMatrix, w.plan.matrixKey, () => new Set()).add(w.plan.variantKey);
  }
  const allVariantKeys = new Set(work.map((w) => w.plan.variantKey));
  const lineOverrides = new Map<string, ItemOverride>();
  const matrixOverrides = new Map<string, ItemOverride>();
  const invalidOverrides = new Map<ItemOverride, string>();
  for (const o of input.overrides ?? []) {
    const target = o.scope === 'line' ? lineOverrides : matrixOverrides;
    const previous = target.get(o.key);
    if (previous !== undefined) {
      overrideProblems.push({
        code: 'SUPERSEDED',
        override: previous,
        message: `a later ${o.scope} override for ${o.key} replaces this one`,
      });
    }
    target.set(o.key, o);
  }
  for (const o of [...lineOverrides.values(), ...matrixOverrides.values()]) {
    const inPlan = o.scope === 'line' ? allVariantKeys.has(o.key) : work.some((w) => w.plan.matrixKey === o.key);
    if (!inPlan) {
      overrideProblems.push({
        code: 'KEY_NOT_IN_PLAN',
        override: o,
        message: `no line of this plan has ${o.scope} key ${o.key}`,
      });
      continue;
    }
    if (o.action.kind !== 'link') continue;
    const target = recorder.byId(o.action.posItemId);
    let problem: { code: OverrideProblemCode; message: string } | null = null;
    if (target === null)
      problem = { code: 'UNKNOWN_POS_ITEM', message: `POS item ${o.action.posItemId} does not exist` };
    else if (target.archived)
      problem = { code: 'ARCHIVED_POS_ITEM', message: `POS item ${o.action.posItemId} (${target.name}) is archived` };
    else if (o.scope === 'matrix' && (variantsOfMatrix.get(o.key)?.size ?? 0) > 1) {
      problem = {
        code: 'MATRIX_LINK_AMBIGUOUS',
        message: `style/color ${o.key} has ${variantsOfMatrix.get(o.key)?.size} sizes; link each size, not the whole matrix, to one item`,
      };
    }
    if (problem !== null) {
      overrideProblems.push({ ...problem, override: o });
      invalidOverrides.set(o, problem.message);
    }
  }

  // Per-line decisions.
  const duplicateUpcReported = new Set<string>();
  for (const w of work) {
    w.plan.decision = decideLine(
      w,
      input.itemLinks,
      lineOverrides,
      matrixOverrides,
      invalidOverrides,
      recorder,
      warnings,
      duplicateUpcReported,
    );
  }

  checkPlanWideGtins(work, warnings);
  const newProducts = collectNewProducts(work, recorder, warnings);
  matrixAndItemWarnings(work, recorder, warnings);
  lineGapWarnings(work, warnings);
  const purchaseOrders = orders.map((order) => planPurchaseOrder(order, work, blockers));

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
    if (!work.some((w) => w.order === order && w.plan.decision.kind !== 'skipped')) {
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
  };
}

function decideLine(
  w: WorkLine,
  itemLinks: ReadonlyMap<string, string>,
  lineOverrides: ReadonlyMap<string, ItemOverride>,
  matrixOverrides: ReadonlyMap<string, ItemOverride>,
  invalidOverrides: ReadonlyMap<ItemOverride, string>,
  recorder: EvidenceRecorder,
  warnings: PlanWarning[],
  duplicateUpcReported: Set<string>,
): LineDecision {
  const { line, plan } = w;
  if (plan.quantity === 0) return { kind: 'skipped', reason: 'zero_quantity' };
  if (!Number.isSafeInteger(plan.quantity) || plan.quantity < 0) {
    return {
      kind: 'needs_review',
      reason: 'invalid_quantity',
      detail: `quantity ${plan.quantity} is not a whole number of units`,
      candidates: [],
    };
  }

  // Evidence of the GTIN is gathered for every orderable line, whatever decides it, so warnings
  // (and drift) see the same POS state.
  const byGtin = line.gtin.ok ? recorder.byGtin(line.gtin.gtin14) : [];
  const live = byGtin.filter((e) => !e.archived);
  if (line.gtin.ok && live.length > 1 && !duplicateUpcReported.has(line.gtin.gtin14)) {
    duplicateUpcReported.add(line.gtin.gtin14);
    warnings.push({
      code: 'DUPLICATE_UPC_IN_POS',
      level: 'item',
      gtin14: line.gtin.gtin14,
      posItemIds: live.map((e) => e.posItemId),
      message: `GTIN ${line.gtin.gtin14} is on ${live.length} live POS items`,
    });
  }

  const override = lineOverrides.get(plan.variantKey) ?? matrixOverrides.get(plan.matrixKey);
  if (override !== undefined) {
    plan.override = override;
    const invalid = invalidOverrides.get(override);
    if (invalid !== undefined) {
      const target = override.action.kind === 'link' ? recorder.byId(override.action.posItemId) : null;
      return {
        kind: 'needs_review',
        reason: 'override_invalid',
        detail: invalid,
        candidates: target === null ? [] : [candidate(target)],
      };
    }
    if (override.action.kind === 'link')
      return { kind: 'linked_by_buyer', posItemId: override.action.posItemId, scope: override.scope };
    if (live.length > 0) {
      warnings.push({
        code: 'NEW_ITEM_DUPLICATES_UPC',
        level: 'variant',
        variantKey: plan.variantKey,
        gtin14: plan.gtin14 ?? undefined,
        posItemIds: live.map((e) => e.posItemId),
        lines: [lineRef(w)],
        message: `a new item will be created for ${plan.variantKey} although live POS items carry its GTIN`,
      });
    }
    return { kind: 'new_item', matrixKey: plan.matrixKey, variantKey: plan.variantKey, byBuyer: true };
  }

  const linked = itemLinks.get(plan.variantKey);
  if (linked !== undefined) {
    const target = recorder.byId(linked);
    if (target !== null && !target.archived) {
      if (live.length > 0 && !live.some((e) => e.posItemId === linked)) {
        warnings.push({
          code: 'LINK_DIFFERS_FROM_UPC',
          level: 'line',
          variantKey: plan.variantKey,
          gtin14: plan.gtin14 ?? undefined,
          posItemIds: [linked, ...live.map((e) => e.posItemId)],
          lines: [lineRef(w)],
          message: `linked item ${linked} does not carry GTIN ${plan.gtin14}, which other POS items carry; the link is kept`,
        });
      }
      return { kind: 'confirmed', posItemId: linked };
    }
    warnings.push({
      code: target === null ? 'LINK_TARGET_MISSING' : 'LINK_TARGET_ARCHIVED',
      level: 'line',
      variantKey: plan.variantKey,
      posItemIds: [linked],
      lines: [lineRef(w)],
      message: `the item linked to ${plan.variantKey} (${linked}) is ${target === null ? 'gone' : 'archived'}; matched by UPC instead`,
    });
  }

  if (!line.gtin.ok) {
    if (line.gtin.problem === 'missing')
      return { kind: 'needs_review', reason: 'no_upc', detail: 'the line has no UPC', candidates: [] };
    return {
      kind: 'needs_review',
      reason: 'malformed_upc',
      detail: `UPC ${JSON.stringify(line.rawUpc)}: ${line.gtin.problem.replaceAll('_', ' ')}`,
      candidates: [],
      gtinProblem: line.gtin.problem,
    };
  }
  const gtin14 = line.gtin.gtin14;
  const [only] = live;
  if (live.length === 1 && only !== undefined) return { kind: 'upc_match', posItemId: only.posItemId, gtin14 };
  if (live.length > 1) {
    return {
      kind: 'needs_review',
      reason: 'duplicate_upc',
      detail: `${live.length} live POS items carry GTIN ${gtin14}`,
      candidates: live.map(candidate),
    };
  }
  if (byGtin.length > 0) {
    return {
      kind: 'needs_review',
      reason: 'archived_only',
      detail: `only archived POS items carry GTIN ${gtin14}`,
      candidates: byGtin.map(candidate),
    };
  }
  return { kind: 'new_item', matrixKey: plan.matrixKey, variantKey: plan.variantKey, byBuyer: false };
}

/** GTINs shared by different variants of the plan, or repeated inside one order. */
function checkPlanWideGtins(work: WorkLine[], warnings: PlanWarning[]): void {
  const byGtin = new Map<string, WorkLine[]>();
  for (const w of work) {
    if (w.plan.gtin14 !== null && w.plan.decision.kind !== 'skipped')
      getOrInit(byGtin, w.plan.gtin14, () => []).push(w);
  }
  for (const [gtin14, group] of byGtin) {
    const variants = [...new Set(group.map((w) => w.plan.variantKey))];
    if (variants.length > 1) {
      warnings.push({
        code: 'GTIN_SHARED_BY_VARIANTS',
        level: 'variant',
        gtin14,
        lines: group.map(lineRef),
        message: `GTIN ${gtin14} is on ${variants.length} different variants: ${variants.join(', ')}`,
      });
      // Creating items from such lines would put one barcode on several new POS items. This holds even
      // for a buyer's create_new: the data contradicts itself, so the buyer links these sizes to
      // existing items or the brand corrects the UPC (an amendment).
      for (const w of group) {
        if (w.plan.decision.kind === 'new_item') {
          w.plan.decision = {
            kind: 'needs_review',
            reason: 'duplicate_upc',
            detail: `GTIN ${gtin14} is also on ${variants.filter((v) => v !== w.plan.variantKey).join(', ')} in this plan; link this size to an existing item or have the brand correct the UPC`,
            candidates: [],
          };
        }
      }
    }
    const perOrder = new Map<string, WorkLine[]>();
    for (const w of group) getOrInit(perOrder, w.plan.orderSourceId, () => []).push(w);
    for (const [orderSourceId, lines] of perOrder) {
      if (lines.length > 1) {
        warnings.push({
          code: 'DUPLICATE_GTIN_IN_ORDER',
          level: 'variant',
          gtin14,
          lines: lines.map(lineRef),
          message: `order ${orderSourceId} has ${lines.length} lines with GTIN ${gtin14}`,
        });
      }
    }
  }
}

/** One NewProduct per matrix key, variants deduplicated by variant key, in first-appearance order. */
function collectNewProducts(work: WorkLine[], recorder: EvidenceRecorder, warnings: PlanWarning[]): NewProduct[] {
  // A new variant must carry one GTIN: the same variant with different GTINs cannot be created.
  const gtinsOfVariant = new Map<string, Set<string | null>>();
  for (const w of work) {
    if (w.plan.decision.kind === 'new_item')
      getOrInit(gtinsOfVariant, w.plan.variantKey, () => new Set()).add(w.plan.gtin14);
  }
  for (const w of work) {
    const gtins = gtinsOfVariant.get(w.plan.variantKey);
    if (w.plan.decision.kind === 'new_item' && gtins !== undefined && gtins.size > 1) {
      w.plan.decision = {
        kind: 'needs_review',
        reason: 'conflicting_upc',
        detail: `${w.plan.variantKey} arrives with different UPCs: ${[...gtins].map((g) => g ?? 'none').join(', ')}`,
        candidates: [],
      };
    }
  }

  const products = new Map<string, NewProduct>();
  for (const w of work) {
    if (w.plan.decision.kind !== 'new_item') continue;
    const { line, plan } = w;
    let product = products.get(plan.matrixKey);
    if (product === undefined) {
      product = {
        matrixKey: plan.matrixKey,
        correlationKey: productCorrelationKey(plan.matrixKey),
        brand: line.brand,
        styleNumber: line.styleNumber,
        color: line.color,
        name: line.name,
        season: line.season,
        category: line.category,
        images: [...line.images],
        existingParentId: null,
        variants: [],
      };
      products.set(plan.matrixKey, product);
    }
    for (const image of line.images) if (!product.images.includes(image)) product.images.push(image);
    const variant = product.variants.find((v) => v.variantKey === plan.variantKey);
    if (variant === undefined) {
      product.variants.push({
        variantKey: plan.variantKey,
        correlationKey: variantCorrelationKey(plan.variantKey),
        size: line.size,
        gtin14: plan.gtin14,
        upc: plan.gtin14 === null || line.rawUpc === null ? null : line.rawUpc.replace(/[\s-]+/g, ''),
        cost: line.unitCost,
        retail: line.retailPrice,
        orderSourceIds: [plan.orderSourceId],
      });
    } else {
      if (!variant.orderSourceIds.includes(plan.orderSourceId)) variant.orderSourceIds.push(plan.orderSourceId);
      if (!equalsMoney(variant.cost, line.unitCost)) {
        warnings.push({
          code: 'NEW_VARIANT_COST_DIFFERS',
          level: 'variant',
          variantKey: plan.variantKey,
          lines: [lineRef(w)],
          message: `${plan.variantKey} costs differ between orders; the new item gets the first order's cost`,
        });
      }
    }
  }

  // Existing family of the matrix, when its matched variants all sit in one.
  for (const product of products.values()) {
    const parents = new Set<string | null>();
    for (const w of work) {
      if (w.plan.matrixKey !== product.matrixKey) continue;
      const id = matchedItemId(w.plan.decision);
      if (id !== null) parents.add(recorder.known(id)?.parentId ?? null);
    }
    const [parent] = parents;
    if (parents.size === 1 && parent !== undefined && parent !== null) product.existingParentId = parent;
    if (parents.size > 0) {
      warnings.push({
        code: 'MATRIX_PARTLY_NEW',
        level: 'matrix',
        matrixKey: product.matrixKey,
        message:
          product.existingParentId === null
            ? `some sizes of ${product.styleNumber} ${product.color} exist in the POS, others will be created as a new product`
            : `new sizes of ${product.styleNumber} ${product.color} will join POS family ${product.existingParentId}`,
      });
    }
  }
  return [...products.values()];
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

function matchedItemId(d: LineDecision): string | null {
  return d.kind === 'confirmed' || d.kind === 'upc_match' || d.kind === 'linked_by_buyer' ? d.posItemId : null;
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

function planPurchaseOrder(order: WholesaleOrder, work: WorkLine[], blockers: PlanBlocker[]): PlannedPurchaseOrder {
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
  const lineMatrix = new Map(work.map((w) => [`${w.plan.orderSourceId}\u0000${w.plan.lineKey}`, w.plan.matrixKey]));
  return [...matrices.values()].map(({ kinds, ...m }) => {
    const orderable = [...kinds].filter((k) => k !== 'skipped');
    let status: MatrixStatus;
    if (kinds.has('needs_review')) status = 'needs_review';
    else if (orderable.length === 0) status = 'skipped';
    else if (orderable.length === 1) status = orderable[0] as MatrixStatus;
    else status = 'mixed';
    const own = warnings.filter(
      (wa) =>
        wa.matrixKey === m.matrixKey ||
        (wa.variantKey !== undefined && m.variantKeys.includes(wa.variantKey)) ||
        (wa.lines ?? []).some((l) => lineMatrix.get(`${l.orderSourceId}\u0000${l.lineKey}`) === m.matrixKey),
    );
    return { ...m, status, warnings: own };
  });
}

function getOrInit<K, V>(map: Map<K, V>, key: K, init: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = init();
    map.set(key, value);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Fingerprint and drift

/** sha256 of the canonical evidence: equal iff the evidence is equal. */
export function evidenceFingerprint(evidence: PlanEvidence): string {
  return hashCanonical({ v: 1, evidence: normaliseEvidence(evidence) });
}

/** Sorts both lists (and candidates), so hand-built or deserialised evidence hashes like a planned one. */
function normaliseEvidence(e: PlanEvidence): PlanEvidence {
  return {
    gtins: [...e.gtins]
      .sort((a, b) => compareText(a.gtin14, b.gtin14))
      .map((g) => ({
        gtin14: g.gtin14,
        candidates: [...g.candidates].sort((a, b) => compareText(a.posItemId, b.posItemId)).map(cleanItem),
      })),
    items: [...e.items]
      .sort((a, b) => compareText(a.posItemId, b.posItemId))
      .map((i) => ({ posItemId: i.posItemId, item: i.item === null ? null : cleanItem(i.item) })),
  };
}

const cleanItem = (i: EvidenceItem): EvidenceItem => ({
  posItemId: i.posItemId,
  parentId: i.parentId,
  archived: i.archived,
  version: i.version,
});

/** The same lookups as `old`, answered by a fresh catalog: compare fingerprints to detect drift before apply. */
export function refreshEvidence(old: PlanEvidence, catalog: CatalogLookup): PlanEvidence {
  const recorder = new EvidenceRecorder(catalog);
  for (const g of old.gtins) recorder.byGtin(g.gtin14);
  for (const i of old.items) recorder.byId(i.posItemId);
  return recorder.evidence();
}

export type EvidenceChange =
  | { kind: 'gtin_item_added'; gtin14: string; posItemId: string; archived: boolean }
  | { kind: 'gtin_item_removed'; gtin14: string; posItemId: string }
  | { kind: 'item_archived'; posItemId: string }
  | { kind: 'item_unarchived'; posItemId: string }
  | { kind: 'item_removed'; posItemId: string }
  | { kind: 'item_appeared'; posItemId: string }
  | { kind: 'version_changed'; posItemId: string; before: string; after: string }
  | { kind: 'parent_changed'; posItemId: string; before: string | null; after: string | null }
  /** The plans looked up different things (the orders or overrides changed, not the POS). */
  | { kind: 'lookup_added'; gtin14?: string; posItemId?: string }
  | { kind: 'lookup_dropped'; gtin14?: string; posItemId?: string };

/**
 * What changed between two evidences, for the PLAN_DRIFTED answer. Empty iff the fingerprints are
 * equal. Per-item changes (archived, version, parent) are listed once per item.
 */
export function diffEvidence(oldEvidence: PlanEvidence, newEvidence: PlanEvidence): EvidenceChange[] {
  const a = normaliseEvidence(oldEvidence);
  const b = normaliseEvidence(newEvidence);
  const changes: EvidenceChange[] = [];
  const seen = new Set<string>();
  const push = (c: EvidenceChange) => {
    const k = JSON.stringify(c);
    if (!seen.has(k)) {
      seen.add(k);
      changes.push(c);
    }
  };
  const compareItems = (x: EvidenceItem, y: EvidenceItem) => {
    if (x.archived !== y.archived)
      push({ kind: x.archived ? 'item_unarchived' : 'item_archived', posItemId: x.posItemId });
    if (x.parentId !== y.parentId)
      push({ kind: 'parent_changed', posItemId: x.posItemId, before: x.parentId, after: y.parentId });
    if (x.version !== y.version)
      push({ kind: 'version_changed', posItemId: x.posItemId, before: x.version, after: y.version });
  };

  const newGtins = new Map(b.gtins.map((g) => [g.gtin14, g.candidates]));
  const oldGtins = new Map(a.gtins.map((g) => [g.gtin14, g.candidates]));
  for (const [gtin14, before] of oldGtins) {
    const after = newGtins.get(gtin14);
    if (after === undefined) {
      push({ kind: 'lookup_dropped', gtin14 });
      continue;
    }
    const afterById = new Map(after.map((c) => [c.posItemId, c]));
    for (const x of before) {
      const y = afterById.get(x.posItemId);
      if (y === undefined) push({ kind: 'gtin_item_removed', gtin14, posItemId: x.posItemId });
      else compareItems(x, y);
    }
    const beforeIds = new Set(before.map((c) => c.posItemId));
    for (const y of after)
      if (!beforeIds.has(y.posItemId))
        push({ kind: 'gtin_item_added', gtin14, posItemId: y.posItemId, archived: y.archived });
  }
  for (const gtin14 of newGtins.keys()) if (!oldGtins.has(gtin14)) push({ kind: 'lookup_added', gtin14 });

  const newItems = new Map(b.items.map((i) => [i.posItemId, i.item]));
  const oldItems = new Map(a.items.map((i) => [i.posItemId, i.item]));
  for (const [posItemId, before] of oldItems) {
    if (!newItems.has(posItemId)) {
      push({ kind: 'lookup_dropped', posItemId });
      continue;
    }
    const after = newItems.get(posItemId) ?? null;
    if (before !== null && after === null) push({ kind: 'item_removed', posItemId });
    else if (before === null && after !== null) push({ kind: 'item_appeared', posItemId });
    else if (before !== null && after !== null) compareItems(before, after);
  }
  for (const posItemId of newItems.keys()) if (!oldItems.has(posItemId)) push({ kind: 'lookup_added', posItemId });
  return changes;
}
