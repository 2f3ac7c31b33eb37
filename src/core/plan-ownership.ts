/**
 * Field ownership of the items Tradeloop created. The brand's values are what Tradeloop wrote; a value the
 * POS now shows differently was changed by the merchant, and from then on it is the merchant's: no export
 * changes it, and the review says so. Only the price is ever written again (and only when the merchant
 * asks, `followBrandPrices`); name, images and description are written once, at creation, and never again.
 */
import { equalsMoney, formatMoney } from './money.ts';
import { NO_PRICING_POLICY, priceFor } from './plan-products.ts';
import type { ItemUpdate, PlanInput, PlanWarning } from './plan-types.ts';
import { lineRef, type WorkLine } from './plan-work.ts';

export function ownershipUpdates(
  work: readonly WorkLine[],
  input: Pick<PlanInput, 'ownedItems' | 'pricing' | 'followBrandPrices'>,
  warnings: PlanWarning[],
): ItemUpdate[] {
  const owned = input.ownedItems;
  if (owned === undefined || owned.size === 0) return [];
  const updates: ItemUpdate[] = [];
  const seen = new Set<string>();
  for (const w of work) {
    const d = w.plan.decision;
    if (d.kind !== 'confirmed' || seen.has(d.posItemId)) continue;
    const item = owned.get(d.posItemId);
    if (item === undefined) continue;
    seen.add(d.posItemId);
    const packs = w.codes.pack?.stock === 'packs' ? w.codes.pack.unitsPerPack : 1;
    const next = priceFor(input.pricing ?? NO_PRICING_POLICY, w.line, w.plan.unitCost, packs);
    const written = item.writtenRetail;
    const pos = item.posRetail;
    const say = (code: PlanWarning['code'], message: string): void =>
      void warnings.push({
        code,
        level: 'line',
        variantKey: w.plan.variantKey,
        posItemIds: [d.posItemId],
        lines: [lineRef(w)],
        message,
      });
    const what = `${w.plan.styleNumber} ${w.plan.color} ${w.plan.size}`;
    if (written === null || pos === null) continue;
    if (!equalsMoney(pos, written)) {
      say(
        'PRICE_KEPT',
        `${what}: the price was changed in the POS to ${formatMoney(pos)} (Tradeloop wrote ${formatMoney(written)}); it is yours now, and no export changes it`,
      );
      continue;
    }
    if (next.retail === null || equalsMoney(next.retail, written)) continue;
    if (!input.followBrandPrices) {
      say(
        'PRICE_KEPT',
        `${what}: the brand's price now gives ${formatMoney(next.retail)} (${next.price.rule}); the item keeps ${formatMoney(written)} because following the brand's prices is off`,
      );
      continue;
    }
    updates.push({
      posItemId: d.posItemId,
      variantKey: w.plan.variantKey,
      retail: next.retail,
      from: written,
      rule: next.price.rule,
    });
    say(
      'PRICE_UPDATED',
      `${what}: nobody changed its price in the POS, so it follows the brand's: ${formatMoney(written)} → ${formatMoney(next.retail)} (${next.price.rule})`,
    );
  }
  return updates;
}
