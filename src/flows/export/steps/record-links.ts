import type { PlannedPurchaseOrder } from '../../../core/plan.ts';
import type { AddLineOutcome } from '../../../core/ports/pos.ts';
import { exports, type ExportSummary } from '../../../store/repos/index.ts';
import { recordLinkChanges, type LinkChangeRequest } from '../../item-links/ledger.ts';
import { createdProducts, stepKeys, type ExportEnv, type ExportStep, type ProductStepResult } from '../types.ts';
import { lineOutcomes } from './add-lines.ts';

/**
 * The order's item links (each line's POS item, Confirmed on the next export) and "exported" with its summary, in
 * one transaction: an order is exported exactly when its links are recorded.
 */
export function recordLinks(po: PlannedPurchaseOrder, orderId: string): ExportStep<{ exported: true }> {
  return {
    key: stepKeys.links(orderId),
    label: `Record the item links and mark order ${po.orderNumber} exported`,
    scope: orderId,
    async run(env) {
      const { ctx, plan, connection, exportRows } = env.loaded;
      const row = exportRows.find((e) => e.orderId === orderId);
      const products = createdProducts(env);
      const summary = summarize(env, po, lineOutcomes(env, po, orderId), products);
      await ctx.store.db.transaction().execute(async (trx) => {
        // Through the ledger: each link with its origin and evidence (a Confirmed line records nothing new).
        await recordLinkChanges(trx, plan.tenantId, connection.id, linksOf(env, po, products), ctx.now());
        if (row)
          await exports.update(
            trx,
            plan.tenantId,
            row.id,
            { state: 'exported', summary, failure: null, finishedAt: ctx.now(), waiting: null },
            ctx.now(),
          );
      });
      return { exported: true };
    },
  };
}

function linksOf(
  env: ExportEnv,
  po: PlannedPurchaseOrder,
  products: Map<string, ProductStepResult>,
): LinkChangeRequest[] {
  const order = `order ${po.orderNumber}`;
  return env.loaded.plan.plan.lines
    .filter((l) => l.orderSourceId === po.orderSourceId)
    .flatMap((line): LinkChangeRequest[] => {
      const d = line.decision;
      const by = d.kind === 'linked_by_buyer' ? (env.loaded.plan.createdBy ?? 'a person') : 'tradeloop';
      if (d.kind === 'confirmed') return [];
      if (d.kind === 'upc_match')
        return [
          {
            variantKey: line.variantKey,
            to: d.posItemId,
            origin: 'upc_match',
            by,
            evidence: `UPC ${d.gtin14} matched item ${d.posItemId} (export of ${order})`,
          },
        ];
      if (d.kind === 'linked_by_buyer')
        return [
          {
            variantKey: line.variantKey,
            to: d.posItemId,
            origin: 'chosen_by_person',
            by,
            evidence: `chosen in the review of ${order}`,
          },
        ];
      const created = d.kind === 'new_item' ? products.get(d.matrixKey)?.variantIds[d.variantKey] : undefined;
      if (!created) return [];
      return [
        {
          variantKey: line.variantKey,
          to: created,
          origin: 'created_by_export',
          by: 'tradeloop',
          evidence: `the export of ${order} created item ${created}`,
        },
      ];
    });
}

function summarize(
  env: ExportEnv,
  po: PlannedPurchaseOrder,
  outcomes: AddLineOutcome[],
  products: Map<string, ProductStepResult>,
): ExportSummary {
  const plan = env.loaded.plan.plan;
  const newItemIds = new Set(
    plan.newProducts.flatMap((p) => Object.values(products.get(p.matrixKey)?.variantIds ?? {})),
  );
  const orderLines = plan.lines.filter((l) => l.orderSourceId === po.orderSourceId);
  const added = outcomes.filter((o) => o.outcome === 'added');
  const rejected = outcomes.filter(
    (o): o is Extract<AddLineOutcome, { outcome: 'rejected' }> => o.outcome === 'rejected',
  );
  return {
    linesSynced: added.length,
    matchedItemsUpdated: added.filter((o) => !newItemIds.has(o.posItemId)).length,
    newDraftItems: added.filter((o) => newItemIds.has(o.posItemId)).length,
    newProducts: new Set(orderLines.flatMap((l) => (l.decision.kind === 'new_item' ? [l.decision.matrixKey] : [])))
      .size,
    rejectedLines: rejected.map((r) => ({ posItemId: r.posItemId, lineKeys: r.sourceLineKeys, message: r.message })),
    warnings: [
      ...plan.warnings.map((w) => w.message),
      ...rejected.map((r) => `A line was refused by the POS: ${r.message}`),
    ],
    timeTakenMs: env.now() - env.ports.started,
  };
}
