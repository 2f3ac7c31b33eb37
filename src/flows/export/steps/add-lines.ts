import type { PlannedPurchaseOrder } from '../../../core/plan.ts';
import type { AddLineOutcome, PosPurchaseOrder, PurchaseOrderLineSpec } from '../../../core/ports/pos.ts';
import { createdProducts, lineSpecOf, stepKeys, type ExportEnv, type ExportLoaded, type ExportStep } from '../types.ts';

/** Lines per step: a step's worth is one bulk request on X-Series (500), a hundred one-line requests on R-Series. */
export function linesPerStep(loaded: ExportLoaded): number {
  return Math.max(loaded.capabilities.bulkLineLimit, 100);
}

/**
 * A step's worth of an order's lines. Never sent twice blindly (X-Series bulk quantities accumulate): a resumed
 * step lists the PO's lines and adds only those still missing.
 */
export function addLines(
  loaded: ExportLoaded,
  po: PlannedPurchaseOrder,
  orderId: string,
): Array<ExportStep<AddLineOutcome[]>> {
  const size = linesPerStep(loaded);
  const parts = Math.ceil(po.lines.length / size);
  return Array.from({ length: parts }, (_, part) => ({
    key: stepKeys.lines(orderId, part),
    label: `Add the lines of order ${po.orderNumber}${parts > 1 ? ` (part ${part + 1} of ${parts})` : ''}`,
    scope: orderId,
    async run(env) {
      return env.ports.pos.addPurchaseOrderLines(poIdOf(env, orderId), chunk(env, po, part, size), {
        firstAttempt: true,
      });
    },
    async reconcile(env) {
      const poId = poIdOf(env, orderId);
      const lines = chunk(env, po, part, size);
      const present = new Set((await env.ports.pos.listPurchaseOrderLines(poId)).map((l) => l.posItemId));
      const missing = lines.filter((l) => !present.has(l.posItemId));
      const added = missing.length ? await env.ports.pos.addPurchaseOrderLines(poId, missing) : [];
      return [
        ...lines
          .filter((l) => present.has(l.posItemId))
          .map((l) => ({ posItemId: l.posItemId, sourceLineKeys: l.sourceLineKeys, outcome: 'added' as const })),
        ...added,
      ];
    },
  }));
}

/** Every line outcome of an order, from its recorded line steps. */
export function lineOutcomes(env: ExportEnv, po: PlannedPurchaseOrder, orderId: string): AddLineOutcome[] {
  const parts = Math.ceil(po.lines.length / linesPerStep(env.loaded));
  return Array.from({ length: parts }, (_, part) => env.result<AddLineOutcome[]>(stepKeys.lines(orderId, part))).flat();
}

const poIdOf = (env: ExportEnv, orderId: string): string =>
  env.result<PosPurchaseOrder>(stepKeys.purchaseOrder(orderId)).id;

/** The part's lines with their POS items: a matched item, or the size a create-product step made. */
function chunk(env: ExportEnv, po: PlannedPurchaseOrder, part: number, size: number): PurchaseOrderLineSpec[] {
  const products = createdProducts(env);
  return po.lines.slice(part * size, (part + 1) * size).flatMap((line) => lineSpecOf(line, products) ?? []);
}
