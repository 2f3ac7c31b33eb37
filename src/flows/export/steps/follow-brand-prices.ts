/**
 * The prices of items Tradeloop created that the plan lets follow the brand's new price (field ownership): written
 * to the POS in one recorded step, so a resumed saga does not write them twice, and recorded as ours.
 */
import type { ItemUpdate } from '../../../core/plan.ts';
import { itemOwnership } from '../../../store/repos/index.ts';
import { stepKeys, type ExportStep } from '../types.ts';

type Outcome = { posItemId: string; outcome: 'updated' | 'rejected'; message?: string };

export function followBrandPrices(updates: readonly ItemUpdate[]): ExportStep<Outcome[]> {
  return {
    key: stepKeys.itemPrices,
    label: `Update the retail price of ${updates.length} item${updates.length === 1 ? '' : 's'} that follow the brand`,
    async run(env) {
      const { ctx, connection } = env.loaded;
      const update = env.ports.pos.updateMatchedItems?.bind(env.ports.pos);
      // A POS that keeps no per-item prices we can write: nothing to follow.
      if (update === undefined) return [];
      const outcomes = await update(updates.map((u) => ({ posItemId: u.posItemId, retail: u.retail })));
      for (const o of outcomes) {
        const u = updates.find((x) => x.posItemId === o.posItemId);
        if (o.outcome === 'updated' && u)
          await itemOwnership.setWrittenRetail(
            ctx.store.db,
            connection.tenantId,
            connection.id,
            u.posItemId,
            u.retail,
            ctx.now(),
          );
      }
      return outcomes;
    },
  };
}
