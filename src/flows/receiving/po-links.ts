/**
 * Which POS item the export put each order line on: the plan's PO lines (an existing item, or a new one the saga
 * created, read from its recorded create-product step). Receiving reads the brand's UPCs through it, the audit
 * compares it with the links Tradeloop holds now (relinked since).
 */
import type { PlanLine } from '../../core/plan-types.ts';
import { exportPlans, sagaSteps, type StoredExport, type StoredOrder } from '../../store/repos/index.ts';
import type { Db } from '../../store/db.ts';

export interface ExportedLink {
  lineKey: string;
  variantKey: string;
  posItemId: string;
  rawUpc: string | null;
  label: string;
}

export interface ExportedOrderLines {
  links: ExportedLink[];
  /** The plan's lines of this order (quantities and costs as the export put them on the PO). */
  planLines: PlanLine[];
}

export const lineLabel = (l: Pick<PlanLine, 'name' | 'color' | 'size'>): string =>
  [l.name, l.color, l.size].filter((s) => s && s.trim() !== '').join(' · ');

export async function exportedLinks(
  db: Db,
  tenantId: string,
  exportRow: StoredExport,
  order: Pick<StoredOrder, 'sourceId'>,
): Promise<ExportedOrderLines> {
  const plan = await exportPlans.get(db, tenantId, exportRow.planId);
  if (!plan) return { links: [], planLines: [] };
  const planLines = plan.plan.lines.filter((l) => l.orderSourceId === order.sourceId);
  const byKey = new Map(planLines.map((l) => [l.lineKey, l]));
  const po = plan.plan.purchaseOrders.find((p) => p.orderSourceId === order.sourceId);
  const created = new Map<string, Record<string, string>>();
  const links: ExportedLink[] = [];
  for (const poLine of po?.lines ?? []) {
    let posItemId: string | undefined;
    if (poLine.target.kind === 'existing') posItemId = poLine.target.posItemId;
    else if (poLine.target.kind === 'new') {
      const { matrixKey, variantKey } = poLine.target;
      if (!created.has(matrixKey)) {
        const step = await sagaSteps.get(db, tenantId, plan.id, `product:${matrixKey}`);
        created.set(matrixKey, (step?.result as { variantIds?: Record<string, string> } | null)?.variantIds ?? {});
      }
      posItemId = created.get(matrixKey)?.[variantKey];
    }
    if (!posItemId) continue;
    for (const lineKey of poLine.sourceLineKeys) {
      const line = byKey.get(lineKey);
      links.push({
        lineKey,
        variantKey: line?.variantKey ?? lineKey,
        posItemId,
        rawUpc: line?.rawUpc ?? null,
        label: line ? lineLabel(line) : lineKey,
      });
    }
  }
  return { links, planLines };
}
