import { isDuplicateUpcWarning } from '../../plan-words.ts';
import type { ItemDetail, Plan, PlanLine, PlanMatrix, PlanWarning } from '../../types.ts';

/** The review's tabs: each lists the sizes with that kind of decision, grouped by style/color. */
export type TabId = 'review' | 'matched' | 'new';

/** One size of one style/color: in a bulk review, the lines of every order that ordered it. */
export interface VariantRow {
  variantKey: string;
  lines: PlanLine[];
  /** The line that speaks for the size: the one needing review when there is one. */
  first: PlanLine;
  quantity: number;
}

/** A plan's lines by style/color and size, built once per plan (a 10,000-line plan has ~5,000 sizes). */
const linesBySize = new WeakMap<Plan, Map<string, PlanLine[]>>();

function linesOf(plan: Plan, matrixKey: string, variantKey: string): PlanLine[] {
  let index = linesBySize.get(plan);
  if (!index) {
    index = new Map();
    for (const line of plan.lines) {
      const key = `${line.matrixKey}\n${line.variantKey}`;
      const lines = index.get(key);
      if (lines) lines.push(line);
      else index.set(key, [line]);
    }
    linesBySize.set(plan, index);
  }
  return index.get(`${matrixKey}\n${variantKey}`) ?? [];
}

export function rowsOf(plan: Plan, m: PlanMatrix): VariantRow[] {
  return m.variantKeys.flatMap((vk) => {
    const lines = linesOf(plan, m.matrixKey, vk);
    const first = lines.find((l) => l.decision.kind === 'needs_review') ?? lines[0];
    return first ? [{ variantKey: vk, lines, first, quantity: lines.reduce((n, l) => n + l.quantity, 0) }] : [];
  });
}

/** The tab a size is listed under; a skipped size (quantity 0) is under none. */
export function tabOf(row: VariantRow): TabId | null {
  switch (row.first.decision.kind) {
    case 'needs_review':
      return 'review';
    case 'confirmed':
    case 'upc_match':
    case 'linked_by_buyer':
      return 'matched';
    case 'new_item':
      return 'new';
    case 'skipped':
      return null;
  }
}

export const tabLabel: Record<TabId, string> = { review: 'Needs review', matched: 'Matched', new: 'New items' };

/** Every style/color with its sizes, sorted into tabs; a tab's count is the number of sizes it lists. */
export function sortIntoTabs(plan: Plan): {
  groups: Array<{ matrix: PlanMatrix; rows: VariantRow[] }>;
  counts: Record<TabId, number>;
} {
  const groups = plan.matrices.map((matrix) => ({ matrix, rows: rowsOf(plan, matrix) }));
  const counts: Record<TabId, number> = { review: 0, matched: 0, new: 0 };
  for (const g of groups)
    for (const row of g.rows) {
      const tab = tabOf(row);
      if (tab) counts[tab]++;
    }
  return { groups, counts };
}

/** The SKU a new item will get in the POS (its correlation key, which reads as style-color-size). */
export function newItemSku(plan: Plan, matrixKey: string, variantKey: string): string | undefined {
  return plan.newProducts.find((p) => p.matrixKey === matrixKey)?.variants.find((v) => v.variantKey === variantKey)
    ?.correlationKey;
}

export function matchedItemId(line: PlanLine): string | null {
  const d = line.decision;
  return d.kind === 'confirmed' || d.kind === 'upc_match' || d.kind === 'linked_by_buyer' ? d.posItemId : null;
}

/** Whether a warning is about this line: its size, its UPC, the line itself, or the POS item it is matched to. */
function concerns(w: PlanWarning, line: PlanLine): boolean {
  const matched = matchedItemId(line);
  return (
    w.variantKey === line.variantKey ||
    (w.gtin14 !== undefined && w.gtin14 === line.gtin14) ||
    (w.lines ?? []).some((l) => l.orderSourceId === line.orderSourceId && l.lineKey === line.lineKey) ||
    (w.level === 'item' && matched !== null && (w.posItemIds ?? []).includes(matched))
  );
}

/**
 * A duplicate-UPC warning is settled once the buyer has decided every size it is about (picked the item, or
 * "Create new item"): the review stops repeating it. Other warnings stay, they describe what will happen.
 */
export function isSettled(plan: Plan, w: PlanWarning): boolean {
  if (!isDuplicateUpcWarning(w)) return false;
  const lines = plan.lines.filter((l) => concerns(w, l));
  return (
    lines.length > 0 &&
    lines.every(
      (l) =>
        l.decision.kind !== 'needs_review' &&
        (l.override !== null ||
          l.decision.kind === 'linked_by_buyer' ||
          (l.decision.kind === 'new_item' && l.decision.byBuyer)),
    )
  );
}

/** The warnings still worth a buyer's attention. */
export function openWarnings(plan: Plan): PlanWarning[] {
  return plan.warnings.filter((w) => !isSettled(plan, w));
}

/** The warnings shown under a size row (style/color ones are shown on the card). */
export function rowWarnings(plan: Plan, row: VariantRow): PlanWarning[] {
  return openWarnings(plan).filter((w) => w.level !== 'matrix' && row.lines.some((l) => concerns(w, l)));
}

/** The POS items the picker offers for a size: the UPC's candidates, the catalog's items with it, the current one. */
export function candidatesFor(
  row: VariantRow,
  items: Map<string, ItemDetail>,
  byGtin: Record<string, string[]>,
): ItemDetail[] {
  const d = row.first.decision;
  const ids = new Set<string>();
  if (d.kind === 'needs_review') for (const c of d.candidates) ids.add(c.posItemId);
  if (row.first.gtin14) for (const id of byGtin[row.first.gtin14] ?? []) ids.add(id);
  const matched = matchedItemId(row.first);
  if (matched) ids.add(matched);
  return [...ids].flatMap((id): ItemDetail[] => {
    const known = items.get(id);
    if (known) return [known];
    const c = d.kind === 'needs_review' ? d.candidates.find((x) => x.posItemId === id) : undefined;
    return c ? [{ ...c, gtins: [], familySize: 1, linkedVariants: [] }] : [];
  });
}
