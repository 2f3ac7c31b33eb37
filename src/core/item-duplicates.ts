/**
 * Likely duplicates: an item Tradeloop created and an item the merchant already had that look like the same
 * product (same style, colour and size, or the same SKU) but share no barcode, so no export could have matched
 * them. Each comes with the merge advice in plain words. Items sharing a barcode are not listed here: the plan
 * already sees those (duplicate-UPC review).
 *
 * Merging (lightspeed-r-series.md §8, S3 9172987745947): R-Series merges in Retail POS only (no API), permanently;
 * "the existing item … is merged into the new item, overwriting the new item … details", and that is the direction
 * Lightspeed recommends for items a NuORDER export created: the new item's ID, which the link holds, survives. X-Series
 * has no merge (lightspeed-x-series.md documents none): the equivalent is to relink to the merchant's item and
 * deactivate the duplicate. Which applies is the POS's own description (its manifest's `itemMerge`), passed in.
 */
import { normaliseKeyPart } from './pos-catalog.ts';

export interface DuplicateCandidate {
  readonly posItemId: string;
  readonly name: string;
  readonly sku: string | null;
  /** Canonical GTIN-14s. */
  readonly gtins: readonly string[];
  readonly archived: boolean;
  /** True when an export created it (Tradeloop's own). */
  readonly createdByTradeloop: boolean;
  /** Style number, colour and size when known (all three are needed to match on them). */
  readonly styleNumber?: string | null;
  readonly color?: string | null;
  readonly size?: string | null;
}

export interface MergeDirection {
  readonly id: 'existing_into_new' | 'new_into_existing' | 'relink_and_deactivate';
  readonly title: string;
  /** What the person does, step by step, where they do it. */
  readonly steps: readonly string[];
  /** What the store looks like afterwards, and what the next export does. */
  readonly outcome: string;
  readonly recommended: boolean;
}

/** What a POS offers against a duplicate, from its connector's manifest (the flow passes it in). */
export interface DuplicatePos {
  readonly system: string;
  /** Its short name (`X-Series`). */
  readonly label: string;
  /** What the merchant calls its app (`Retail POS`). */
  readonly appName: string;
  /** How it merges two items; null: it has no merge. */
  readonly merge: { readonly permanent: boolean } | null;
}

export interface MergeAdvice {
  readonly system: string;
  readonly canMerge: boolean;
  readonly permanent: boolean;
  readonly summary: string;
  readonly directions: readonly MergeDirection[];
}

export interface LikelyDuplicate {
  readonly ours: DuplicateCandidate;
  readonly theirs: DuplicateCandidate;
  readonly matchedOn: 'style_color_size' | 'sku';
  readonly advice: MergeAdvice;
}

const itemName = (c: DuplicateCandidate): string => `${c.name} (#${c.posItemId}${c.sku ? `, SKU ${c.sku}` : ''})`;

export function mergeAdvice(pos: DuplicatePos, ours: DuplicateCandidate, theirs: DuplicateCandidate): MergeAdvice {
  const { system, appName, merge } = pos;
  if (merge === null)
    return {
      system,
      canMerge: false,
      permanent: false,
      summary: `${pos.label} cannot merge items. Keep your item ${itemName(theirs)} and retire the one Tradeloop created.`,
      directions: [
        {
          id: 'relink_and_deactivate',
          title: `Link the brand's product to your item, and deactivate ${itemName(ours)}`,
          steps: [
            `In Tradeloop, change the link of this size to your item #${theirs.posItemId}.`,
            `In ${appName}, move any stock of #${ours.posItemId} to #${theirs.posItemId} (a stock adjustment), then make #${ours.posItemId} inactive.`,
          ],
          outcome: `Your item keeps its sales history; the next order of this size is Confirmed to #${theirs.posItemId}. Nothing is permanent: the inactive item can be made active again.`,
          recommended: true,
        },
      ],
    };
  return {
    system,
    canMerge: true,
    permanent: merge.permanent,
    summary: `Merge your item ${itemName(theirs)} into the item Tradeloop created, ${itemName(ours)}.${merge.permanent ? ` Merging is permanent in ${pos.label}: it cannot be undone.` : ''}`,
    directions: [
      {
        id: 'existing_into_new',
        title: `Merge your item #${theirs.posItemId} into Tradeloop's #${ours.posItemId} (recommended)`,
        steps: [
          `In ${appName} open item #${ours.posItemId} (the one the export created), choose Merge in the left menu.`,
          `Pick your item #${theirs.posItemId}, then Merge and OK.`,
        ],
        outcome: `Item #${ours.posItemId} stays and takes your item's details (name, prices, SKU); your item's stock and purchase-order lines move to it and #${theirs.posItemId} disappears. The link Tradeloop holds still points at #${ours.posItemId}, so the next order of this size is Confirmed to it.`,
        recommended: true,
      },
      {
        id: 'new_into_existing',
        title: `Merge Tradeloop's #${ours.posItemId} into your item #${theirs.posItemId}`,
        steps: [
          `In ${appName} open your item #${theirs.posItemId}, choose Merge, pick #${ours.posItemId}, then Merge and OK.`,
        ],
        outcome: `Your item #${theirs.posItemId} stays but takes the created item's details, and #${ours.posItemId} disappears. Tradeloop follows the merge when your item now carries the created item's SKU or barcode; if the brand sends no barcode for this size, a later order may create the item again.`,
        recommended: false,
      },
    ],
  };
}

function styleKey(c: DuplicateCandidate): string | null {
  if (!c.styleNumber || !c.color || !c.size) return null;
  return [c.styleNumber, c.color, c.size].map((p) => normaliseKeyPart(p)).join('|');
}

function skuKey(c: DuplicateCandidate): string | null {
  const sku = c.sku?.trim().toLowerCase();
  return sku ? sku : null;
}

/**
 * Every pair of an item Tradeloop created and a merchant item that share the style/colour/size or the SKU and no
 * barcode, live items only, one entry per pair (style match preferred), ours in catalog order.
 */
export function findLikelyDuplicates(items: readonly DuplicateCandidate[], pos: DuplicatePos): LikelyDuplicate[] {
  const live = items.filter((i) => !i.archived);
  const theirsBy = { style: new Map<string, DuplicateCandidate[]>(), sku: new Map<string, DuplicateCandidate[]>() };
  for (const item of live.filter((i) => !i.createdByTradeloop)) {
    for (const [map, key] of [
      [theirsBy.style, styleKey(item)],
      [theirsBy.sku, skuKey(item)],
    ] as const)
      if (key !== null) map.set(key, [...(map.get(key) ?? []), item]);
  }
  const out: LikelyDuplicate[] = [];
  for (const ours of live.filter((i) => i.createdByTradeloop)) {
    const seen = new Set<string>();
    const add = (theirs: DuplicateCandidate, matchedOn: LikelyDuplicate['matchedOn']): void => {
      if (seen.has(theirs.posItemId) || theirs.gtins.some((g) => ours.gtins.includes(g))) return;
      seen.add(theirs.posItemId);
      out.push({ ours, theirs, matchedOn, advice: mergeAdvice(pos, ours, theirs) });
    };
    const style = styleKey(ours);
    const sku = skuKey(ours);
    for (const theirs of style === null ? [] : (theirsBy.style.get(style) ?? [])) add(theirs, 'style_color_size');
    for (const theirs of sku === null ? [] : (theirsBy.sku.get(sku) ?? [])) add(theirs, 'sku');
  }
  return out;
}
