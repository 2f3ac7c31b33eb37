/**
 * Export once, across both directions: when the brand approves a reorder the merchant started in the POS back
 * office and the order pull brings it in, the order is already in the POS as the merchant's PO. It is recorded as
 * exported to that PO (an export row with the PO, under the export-once key, beside an applied plan of the order
 * against the POS as it is, so the receiving, amendment and audit pages read it like any export), so neither a
 * manual export nor automatic sync makes a second PO.
 */
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../../../store/errors.ts';
import {
  connections,
  exportPlans,
  exports,
  posReorders,
  wholesaleOrders,
  type Connection,
} from '../../../store/repos/index.ts';
import type { EngineContext } from '../../engine-context.ts';
import { computePlan } from '../../plan-export.ts';

/** Who made the plan of an adopted order (plans' `created_by`). */
export const posReorderCreator = 'pos-reorder';

export interface AdoptReport {
  adopted: number;
  /** Orders of this pull that are reorders from a POS: automatic sync leaves them alone, adopted or not yet. */
  pairedOrderIds: Set<string>;
}

export async function adoptPosReorders(ctx: EngineContext, brand: Connection): Promise<AdoptReport> {
  const { db } = ctx.store;
  const report: AdoptReport = { adopted: 0, pairedOrderIds: new Set() };
  for (const reorder of await posReorders.awaitingOrder(db, brand.tenantId, brand.id)) {
    if (!reorder.sourceOrderId) continue;
    const order = await wholesaleOrders.getBySource(db, brand.tenantId, brand.id, reorder.sourceOrderId);
    if (!order) continue;
    report.pairedOrderIds.add(order.id);
    const pos = await connections.get(db, brand.tenantId, reorder.connectionId);
    if (!pos || pos.status !== 'linked') continue;
    try {
      if (await adoptOne(ctx, pos, reorder, order)) report.adopted++;
    } catch (error) {
      // The POS did not answer the plan's one read: the next pull tries again; the order stays out of auto-sync.
      ctx.logger.warn({ err: error, reorderId: reorder.id, orderId: order.id }, 'pos-reorder.adopt-failed');
    }
  }
  return report;
}

async function adoptOne(
  ctx: EngineContext,
  pos: Connection,
  reorder: posReorders.PosReorder,
  order: NonNullable<Awaited<ReturnType<typeof wholesaleOrders.getBySource>>>,
): Promise<boolean> {
  const plan = await computePlan(ctx, pos, [order.document], []);
  const exportId = randomUUID();
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      const stored = await exportPlans.create(trx, pos.tenantId, {
        connectionId: pos.id,
        locationId: reorder.locationId ?? '',
        orderIds: [order.id],
        overrides: [],
        plan,
        createdBy: posReorderCreator,
        now: ctx.now(),
      });
      await exportPlans.transition(trx, pos.tenantId, stored.id, 'draft', 'applied', ctx.now());
      await exports.insertAdopted(
        trx,
        pos.tenantId,
        {
          exportId,
          orderId: order.id,
          connectionId: pos.id,
          planId: stored.id,
          po: { id: reorder.posPoId, number: reorder.posPoNumber, url: reorder.posPoUrl },
        },
        ctx.now(),
      );
      await posReorders.markInPos(trx, pos.tenantId, reorder.id, { orderId: order.id, exportId }, ctx.now());
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Exported to this POS account already (by a person, just before): that export stands, and the pairing names it.
    const [existing] = await exports.onAccount(ctx.store.db, pos.tenantId, pos.id, [order.id]);
    if (existing)
      await posReorders.markInPos(
        ctx.store.db,
        pos.tenantId,
        reorder.id,
        { orderId: order.id, exportId: existing.id },
        ctx.now(),
      );
    return false;
  }
  return true;
}
