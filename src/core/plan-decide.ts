/**
 * The decision of each order line (plan.ts runs them in order): the buyer's overrides, checked against
 * the plan and the catalog; then per line override → item link → the line's codes; then what only the
 * whole plan shows (one GTIN on several variants).
 */
import { isGtinProblem } from './plan-codes.ts';
import { EvidenceRecorder, candidate } from './plan-evidence.ts';
import type {
  ItemOverride,
  LineDecision,
  OverrideProblem,
  OverrideProblemCode,
  PlanInput,
  PlanWarning,
} from './plan-types.ts';
import { getOrInit, lineRef, type WorkLine } from './plan-work.ts';
import type { PosCatalogEntry } from './pos-catalog.ts';

export interface CheckedOverrides {
  line: ReadonlyMap<string, ItemOverride>;
  matrix: ReadonlyMap<string, ItemOverride>;
  /** Overrides that cannot be honoured, with why: their lines go to review. */
  invalid: ReadonlyMap<ItemOverride, string>;
}

/** Indexes the overrides (a later one for the same key wins) and checks each against the plan and the catalog. */
export function checkOverrides(
  overrides: readonly ItemOverride[],
  work: readonly WorkLine[],
  recorder: EvidenceRecorder,
  problems: OverrideProblem[],
): CheckedOverrides {
  const variantsOfMatrix = new Map<string, Set<string>>();
  for (const w of work) {
    if (w.plan.quantity === 0) continue;
    getOrInit(variantsOfMatrix, w.plan.matrixKey, () => new Set()).add(w.plan.variantKey);
  }
  const allVariantKeys = new Set(work.map((w) => w.plan.variantKey));
  const allMatrixKeys = new Set(work.map((w) => w.plan.matrixKey));
  const line = new Map<string, ItemOverride>();
  const matrix = new Map<string, ItemOverride>();
  const invalid = new Map<ItemOverride, string>();
  for (const o of overrides) {
    const target = o.scope === 'line' ? line : matrix;
    const previous = target.get(o.key);
    if (previous !== undefined) {
      problems.push({
        code: 'SUPERSEDED',
        override: previous,
        message: `a later ${o.scope} override for ${o.key} replaces this one`,
      });
    }
    target.set(o.key, o);
  }
  for (const o of [...line.values(), ...matrix.values()]) {
    const inPlan = o.scope === 'line' ? allVariantKeys.has(o.key) : allMatrixKeys.has(o.key);
    if (!inPlan) {
      problems.push({
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
      problems.push({ ...problem, override: o });
      invalid.set(o, problem.message);
    }
  }
  return { line, matrix, invalid };
}

/** Every live and archived item carrying any of the line's lookup GTINs, each once. */
function itemsByCodes(w: WorkLine, recorder: EvidenceRecorder): readonly PosCatalogEntry[] {
  const [only, ...more] = w.codes.lookups;
  // One reading of the code (the usual case): the recorder's answer is already unique and sorted.
  if (only !== undefined && more.length === 0) return recorder.byGtin(only);
  const unique = new Map<string, PosCatalogEntry>();
  for (const gtin14 of w.codes.lookups) for (const e of recorder.byGtin(gtin14)) unique.set(e.posItemId, e);
  return [...unique.values()].sort((a, b) => (a.posItemId < b.posItemId ? -1 : a.posItemId > b.posItemId ? 1 : 0));
}

export interface DecideContext {
  itemLinks: PlanInput['itemLinks'];
  overrides: CheckedOverrides;
  recorder: EvidenceRecorder;
  warnings: PlanWarning[];
  duplicateUpcReported: Set<string>;
}

/** One line's decision: quantity, override, item link, then its codes. */
export function decideLine(w: WorkLine, c: DecideContext): LineDecision {
  const { plan, codes } = w;
  if (plan.quantity === 0) return { kind: 'skipped', reason: 'zero_quantity' };
  if (!Number.isSafeInteger(plan.quantity) || plan.quantity < 0) {
    return {
      kind: 'needs_review',
      reason: 'invalid_quantity',
      detail: `quantity ${plan.quantity} is not a whole number of units`,
      candidates: [],
    };
  }
  if (codes.packProblem !== undefined)
    return { kind: 'needs_review', reason: 'pack_invalid', detail: codes.packProblem, candidates: [] };

  // Evidence of the codes is gathered for every orderable line, whatever decides it, so warnings
  // (and drift) see the same POS state.
  const byGtin = itemsByCodes(w, c.recorder);
  const live = byGtin.filter((e) => !e.archived);
  const shown = plan.gtin14 ?? codes.lookups[0];
  if (shown !== undefined && live.length > 1 && !c.duplicateUpcReported.has(shown)) {
    c.duplicateUpcReported.add(shown);
    c.warnings.push({
      code: 'DUPLICATE_UPC_IN_POS',
      level: 'item',
      gtin14: shown,
      posItemIds: live.map((e) => e.posItemId),
      message: `GTIN ${shown} is on ${live.length} live POS items`,
    });
  }
  return byOverride(w, c, live) ?? byLink(w, c, live) ?? byCodes(w, byGtin, live);
}

function byOverride(w: WorkLine, c: DecideContext, live: PosCatalogEntry[]): LineDecision | null {
  const { plan } = w;
  const override = c.overrides.line.get(plan.variantKey) ?? c.overrides.matrix.get(plan.matrixKey);
  if (override === undefined) return null;
  plan.override = override;
  const invalid = c.overrides.invalid.get(override);
  if (invalid !== undefined) {
    const target = override.action.kind === 'link' ? c.recorder.byId(override.action.posItemId) : null;
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
    c.warnings.push({
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

function byLink(w: WorkLine, c: DecideContext, live: PosCatalogEntry[]): LineDecision | null {
  const { plan } = w;
  const linked = c.itemLinks.get(plan.variantKey);
  if (linked === undefined) return null;
  const target = c.recorder.byId(linked);
  if (target !== null && !target.archived) {
    if (live.length > 0 && !live.some((e) => e.posItemId === linked)) {
      c.warnings.push({
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
  c.warnings.push({
    code: target === null ? 'LINK_TARGET_MISSING' : 'LINK_TARGET_ARCHIVED',
    level: 'line',
    variantKey: plan.variantKey,
    posItemIds: [linked],
    lines: [lineRef(w)],
    message: `the item linked to ${plan.variantKey} (${linked}) is ${target === null ? 'gone' : 'archived'}; matched by UPC instead`,
  });
  return null;
}

/**
 * By the line's codes: a code that may not match (missing, unreadable, restricted) goes to review with why;
 * a UPC match needs exactly one live item across every reading of the code.
 */
function byCodes(w: WorkLine, byGtin: readonly PosCatalogEntry[], live: PosCatalogEntry[]): LineDecision {
  const { plan, codes } = w;
  const refusal = codes.refusal;
  if (refusal !== undefined) {
    if (refusal.refusal === 'missing')
      return { kind: 'needs_review', reason: 'no_upc', detail: 'the line has no UPC', candidates: [] };
    if (isGtinProblem(refusal.refusal))
      return {
        kind: 'needs_review',
        reason: 'malformed_upc',
        detail: refusal.message,
        candidates: [],
        gtinProblem: refusal.refusal,
      };
    return { kind: 'needs_review', reason: 'unmatchable_code', detail: refusal.message, candidates: [] };
  }
  const [only] = live;
  if (live.length === 1 && only !== undefined) {
    const gtin14 = codes.lookups.find((g) => only.gtins.includes(g)) ?? codes.lookups[0] ?? '';
    return { kind: 'upc_match', posItemId: only.posItemId, gtin14 };
  }
  const shown = plan.gtin14 ?? codes.lookups[0];
  if (live.length > 1) {
    return {
      kind: 'needs_review',
      reason: 'duplicate_upc',
      detail: `${live.length} live POS items carry GTIN ${shown}`,
      candidates: live.map(candidate),
    };
  }
  if (byGtin.length > 0) {
    return {
      kind: 'needs_review',
      reason: 'archived_only',
      detail: `only archived POS items carry GTIN ${shown}`,
      candidates: byGtin.map(candidate),
    };
  }
  return { kind: 'new_item', matrixKey: plan.matrixKey, variantKey: plan.variantKey, byBuyer: false };
}

/** GTINs shared by different variants of the plan, or repeated inside one order. */
export function checkPlanWideGtins(work: WorkLine[], warnings: PlanWarning[]): void {
  const byGtin = new Map<string, WorkLine[]>();
  for (const w of work) {
    if (w.plan.gtin14 !== null && w.plan.decision.kind !== 'skipped')
      getOrInit(byGtin, w.plan.gtin14, () => []).push(w);
  }
  for (const [gtin14, group] of byGtin) {
    if (group.length === 1) continue; // one line: nothing shared, nothing repeated
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
