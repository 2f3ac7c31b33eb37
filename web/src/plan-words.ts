import { moneyInText, upcText } from './format.ts';
import type { EvidenceChange, ItemDetail, Plan, PlanWarning } from './types.ts';

export const levelLabel: Record<PlanWarning['level'], string> = {
  item: 'POS item',
  matrix: 'Style/color',
  variant: 'Size',
  line: 'Line',
};

function itemName(items: Map<string, ItemDetail>, id: string): string {
  const i = items.get(id);
  return i ? `${i.name}${i.sku ? ` (SKU ${i.sku})` : ''}` : 'a POS item';
}

/** A plan warning in words a buyer reads: names instead of ids, UPCs as printed. */
export function warningText(w: PlanWarning, items: Map<string, ItemDetail>, plan: Plan): string {
  const upc = w.gtin14 ? upcText(null, w.gtin14) : 'this UPC';
  const names = (w.posItemIds ?? []).map((id) => itemName(items, id));
  const matrix = w.matrixKey ? plan.matrices.find((m) => m.matrixKey === w.matrixKey) : undefined;
  const matrixName = matrix ? `${matrix.name} ${matrix.color}` : 'this style/color';
  switch (w.code) {
    case 'DUPLICATE_UPC_IN_POS':
      return `Duplicate UPC in the POS: ${names.length} live items carry UPC ${upc}${names.length ? ` (${names.join(', ')})` : ''}.`;
    case 'GTIN_SHARED_BY_VARIANTS':
      return `Duplicate UPC in the order data: the brand gave UPC ${upc} to more than one size or color.`;
    case 'DUPLICATE_GTIN_IN_ORDER':
      return `UPC ${upc} appears on several lines of the same order.`;
    case 'POS_ITEM_SHARED_BY_VARIANTS':
      return `${names[0] ?? 'One POS item'} would receive several different wholesale sizes.`;
    case 'MATRIX_SPANS_POS_PARENTS':
      return `The matched sizes of ${matrixName} belong to different products in the POS.`;
    case 'MATRIX_PARTLY_NEW':
      return `Some sizes of ${matrixName} already exist in the POS; the others will be created as new items.`;
    case 'NEW_ITEM_DUPLICATES_UPC':
      return `A new item will be created although ${names.length ? names.join(', ') : 'a POS item'} already carries UPC ${upc}.`;
    case 'NEW_VARIANT_COST_DIFFERS':
      return 'This size costs differently in different orders; the new item takes the first order’s cost.';
    case 'LINK_TARGET_MISSING':
      return 'The POS item this size was linked to in an earlier export no longer exists; it was matched by UPC instead.';
    case 'LINK_TARGET_ARCHIVED':
      return 'The POS item this size was linked to in an earlier export is archived; it was matched by UPC instead.';
    case 'LINK_DIFFERS_FROM_UPC':
      return `This size stays linked to ${names[0] ?? 'the item chosen earlier'}, although other POS items carry its UPC ${upc}.`;
    default:
      return capital(w.message);
  }
}

export function isDuplicateUpcWarning(w: PlanWarning): boolean {
  return (
    w.code === 'DUPLICATE_UPC_IN_POS' ||
    w.code === 'GTIN_SHARED_BY_VARIANTS' ||
    w.code === 'DUPLICATE_GTIN_IN_ORDER' ||
    w.code === 'NEW_ITEM_DUPLICATES_UPC'
  );
}

/** What changed in the POS between a plan and its refresh, one sentence per change. */
export function changeText(c: EvidenceChange, items: Map<string, ItemDetail>): string {
  const name = (id: string | undefined): string => (id ? itemName(items, id) : 'a POS item');
  switch (c.kind) {
    case 'gtin_item_added':
      return `${c.archived ? 'An archived' : 'A new'} POS item now carries UPC ${upcText(null, c.gtin14)}: ${name(c.posItemId)}.`;
    case 'gtin_item_removed':
      return `${name(c.posItemId)} no longer carries UPC ${upcText(null, c.gtin14)}.`;
    case 'item_archived':
      return `${name(c.posItemId)} was archived in the POS.`;
    case 'item_unarchived':
      return `${name(c.posItemId)} was restored from the archive.`;
    case 'item_removed':
      return `A POS item the plan used was deleted.`;
    case 'item_appeared':
      return `${name(c.posItemId)} appeared in the POS.`;
    case 'version_changed':
      return `${name(c.posItemId)} was edited in the POS.`;
    case 'parent_changed':
      return `${name(c.posItemId)} moved to another product in the POS.`;
    case 'lookup_added':
    case 'lookup_dropped':
      return 'The order itself changed, so different products are looked up.';
  }
}

export function blockerText(b: Plan['blockers'][number], plan: Plan): string {
  switch (b.code) {
    case 'LINES_NEED_REVIEW': {
      const n = b.lines?.length ?? plan.counts.needsReview;
      return `${n} size${n === 1 ? ' needs' : 's need'} review. Under “Needs review”, choose the matching POS item or “Create new item” for ${n === 1 ? 'it' : 'each'}.`;
    }
    case 'ORDER_CANCELLED':
      return `${capital(b.message)} in NuORDER, so it is not exported.`;
    case 'ORDER_EMPTY':
      return `${capital(b.message)}.`;
    case 'PO_LINE_COST_CONFLICT':
      return `${capital(b.message)}. Link those sizes to different items, or ask the brand to correct the costs.`;
    case 'DUPLICATE_ORDER':
      return `${capital(b.message)}.`;
    case 'CURRENCY_MISMATCH':
      return `${capital(b.message)}: ask the brand for an order in the store's currency, or enter this one by hand.`;
    default:
      return `${capital(b.message)}.`;
  }
}

/** A server message as a sentence start, its amounts in the page's money format. */
function capital(s: string): string {
  const text = moneyInText(s);
  return text.charAt(0).toUpperCase() + text.slice(1);
}
