import type { LinkOrigin } from '../../core/item-links.ts';
import type { ExportPlan } from '../../core/plan.ts';
import type { Db } from '../../store/db.ts';
import { itemLinks, type Connection } from '../../store/repos/index.ts';

/**
 * "Confirmed" names the link's origin: each confirmed line gets the origin its link has in the ledger now. Not
 * evidence (the plan's fingerprint is made before), only words for the review.
 */
export async function nameLinkOrigins(db: Db, connection: Connection, plan: ExportPlan): Promise<ExportPlan> {
  const keys = [...new Set(plan.lines.filter((l) => l.decision.kind === 'confirmed').map((l) => l.variantKey))];
  if (keys.length === 0) return plan;
  const origins = await itemLinks.originsFor(db, connection.tenantId, connection.id, keys);
  return {
    ...plan,
    lines: plan.lines.map((line) => {
      const origin = origins.get(line.variantKey)?.origin as LinkOrigin | null | undefined;
      return line.decision.kind === 'confirmed' && origin ? { ...line, decision: { ...line.decision, origin } } : line;
    }),
  };
}
