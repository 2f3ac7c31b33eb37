/**
 * Field ownership in the export saga (core/plan-ownership.ts): what Tradeloop wrote on the items it just
 * created is recorded, and the prices the plan lets follow the brand are written (one recorded step, so a
 * resumed saga does not write them twice).
 */
import type { ExportPlan } from '../core/plan.ts';
import type { PointOfSale } from '../core/ports/pos.ts';
import { itemOwnership, type Connection } from '../store/repos/index.ts';
import type { EngineContext } from './engine-context.ts';
import type { ProductStepResult, SagaSteps } from './export-steps.ts';

export interface OwnershipRun {
  ctx: EngineContext;
  connection: Connection;
  plan: ExportPlan;
  saga: SagaSteps;
  pos: PointOfSale;
  productByMatrix: ReadonlyMap<string, ProductStepResult>;
}

export async function ownershipSteps(run: OwnershipRun): Promise<void> {
  await recordCreatedItems(run);
  await followBrandPrices(run);
}

/** The brand's values written on each new item (an upsert: a resumed saga records the same again). */
async function recordCreatedItems(run: OwnershipRun): Promise<void> {
  const rows = run.plan.newProducts.flatMap((product) =>
    product.variants.flatMap((v) => {
      const posItemId = run.productByMatrix.get(product.matrixKey)?.variantIds[v.variantKey];
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
    await itemOwnership.record(run.ctx.store.db, run.connection.tenantId, run.connection.id, rows, run.ctx.now());
}

async function followBrandPrices(run: OwnershipRun): Promise<void> {
  const updates = run.plan.itemUpdates ?? [];
  const update = run.pos.updateMatchedItems?.bind(run.pos);
  if (updates.length === 0 || update === undefined) return;
  const outcomes = await run.saga.step('item-prices', null, () =>
    update(updates.map((u) => ({ posItemId: u.posItemId, retail: u.retail }))),
  );
  for (const o of outcomes) {
    const u = updates.find((x) => x.posItemId === o.posItemId);
    if (o.outcome === 'updated' && u)
      await itemOwnership.setWrittenRetail(
        run.ctx.store.db,
        run.connection.tenantId,
        run.connection.id,
        u.posItemId,
        u.retail,
        run.ctx.now(),
      );
  }
}
