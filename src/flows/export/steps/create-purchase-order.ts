import type { PlannedPurchaseOrder } from '../../../core/plan.ts';
import type { PosPurchaseOrder, PurchaseOrderSpec } from '../../../core/ports/pos.ts';
import { purchaseOrderKeyOf } from '../../../core/pos-catalog.ts';
import { exports } from '../../../store/repos/index.ts';
import { stepKeys, supplierIdOf, type ExportEnv, type ExportStep } from '../types.ts';

/**
 * An order's empty purchase order, written with its correlation key (the PO number and a hash); a resumed step
 * finds it by that key first. The export row names the PO as soon as it exists (the order shows "being filled").
 */
export function createPurchaseOrder(po: PlannedPurchaseOrder, orderId: string): ExportStep<PosPurchaseOrder> {
  const correlationKey = purchaseOrderKeyOf(po);
  return {
    key: stepKeys.purchaseOrder(orderId),
    label: `Create the purchase order for order ${po.orderNumber}`,
    scope: orderId,
    run: async (env) => named(env, orderId, await env.ports.pos.createPurchaseOrder(specOf(env, po, correlationKey))),
    reconcile: async (env) =>
      named(
        env,
        orderId,
        (await env.ports.pos.findPurchaseOrderByCorrelation({ correlationKey, orderNumber: po.orderNumber })) ??
          (await env.ports.pos.createPurchaseOrder(specOf(env, po, correlationKey))),
      ),
  };
}

async function named(env: ExportEnv, orderId: string, created: PosPurchaseOrder): Promise<PosPurchaseOrder> {
  const { ctx, plan, exportRows } = env.loaded;
  const row = exportRows.find((e) => e.orderId === orderId);
  if (row)
    await exports.update(
      ctx.store.db,
      plan.tenantId,
      row.id,
      { poId: created.id, poNumber: created.number, poUrl: created.url },
      ctx.now(),
    );
  return created;
}

function specOf(env: ExportEnv, po: PlannedPurchaseOrder, correlationKey: string): PurchaseOrderSpec {
  return {
    correlationKey,
    orderNumber: po.orderNumber,
    locationId: env.loaded.plan.locationId,
    supplierId: supplierIdOf(env, po.brand.sourceId),
    name: `NuORDER #${po.orderNumber} · ${po.brand.name}`,
    notes: [
      `Synced from NuORDER order ${po.orderNumber}`,
      po.customerPoNumber ? `Customer PO ${po.customerPoNumber}` : null,
      po.shipWindow.start || po.shipWindow.end
        ? `Ship window ${dateOnly(po.shipWindow.start)} – ${dateOnly(po.shipWindow.end)}`
        : null,
      po.notes || null,
    ]
      .filter(Boolean)
      .join('\n'),
    shipWindow: po.shipWindow,
    currency: po.currency,
    sourceOrderId: po.orderSourceId,
  };
}

function dateOnly(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '?';
}
