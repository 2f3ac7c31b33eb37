/**
 * Field ownership in the export saga (core/plan-ownership.ts): what Tradeloop wrote on the items it just created
 * is recorded (an upsert: a resumed saga records the same again), so later plans know which values are ours.
 */
import { itemOwnership } from '../../../store/repos/index.ts';
import { createdProducts, stepKeys, type ExportStep } from '../types.ts';

export function recordOwnership(newProducts: number): ExportStep<{ recorded: number }> {
  return {
    key: stepKeys.ownership,
    label: `Record what Tradeloop wrote on the new items of ${newProducts} product${newProducts === 1 ? '' : 's'}`,
    async run(env) {
      const { ctx, connection, plan } = env.loaded;
      const products = createdProducts(env);
      const rows = plan.plan.newProducts.flatMap((product) =>
        product.variants.flatMap((v) => {
          const posItemId = products.get(product.matrixKey)?.variantIds[v.variantKey];
          if (!posItemId) return [];
          return [
            {
              posItemId,
              variantKey: v.variantKey,
              written: { retail: v.retail, name: product.name, images: product.images.length },
            },
          ];
        }),
      );
      if (rows.length > 0)
        await itemOwnership.record(ctx.store.db, connection.tenantId, connection.id, rows, ctx.now());
      return { recorded: rows.length };
    },
  };
}
