/**
 * `updateMatchedItems` on R-Series: `PUT Item/{id}.json` with `defaultCost` (the supply price) and the price
 * levels Tradeloop wrote at creation (Default, MSRP, Online; §8), one item per request. PUT sets values, so a
 * retry writes the same again.
 */
import type { MatchedItemUpdate, PointOfSale } from '../../core/ports/pos.ts';
import { RemoteRejected } from '../shared/errors.ts';
import type { RPosContext } from './pos-context.ts';
import { oneItem } from './schemas.ts';

export function matchedItemUpdates(ctx: RPosContext): NonNullable<PointOfSale['updateMatchedItems']> {
  return async (updates: readonly MatchedItemUpdate[]) => {
    const out: Array<{ posItemId: string; outcome: 'updated' | 'rejected'; message?: string }> = [];
    for (const u of updates) {
      const posItemId = u.posItemId;
      if (u.cost === undefined && u.retail === undefined) {
        out.push({ posItemId, outcome: 'updated' });
        continue;
      }
      try {
        const body: Record<string, unknown> = {};
        if (u.cost !== undefined) body.defaultCost = ctx.amount(u.cost);
        if (u.retail !== undefined) {
          const amount = ctx.amount(u.retail);
          body.Prices = {
            ItemPrice: [
              { amount, useTypeID: '1', useType: 'Default' },
              { amount, useTypeID: '2', useType: 'MSRP' },
              { amount, useTypeID: '3', useType: 'Online' },
            ],
          };
        }
        if (!/^\d+$/.test(posItemId)) throw ctx.refuse(`not an R-Series item id: ${posItemId}`, 404);
        await ctx.client.request({ method: 'PUT', path: `Item/${posItemId}.json`, body, schema: oneItem });
        out.push({ posItemId, outcome: 'updated' });
      } catch (error) {
        if (!(error instanceof RemoteRejected)) throw error;
        out.push({ posItemId, outcome: 'rejected', message: error.vendorMessage });
      }
    }
    return out;
  };
}
