import type { NewVariant } from '../../core/plan.ts';
import { exportPlans, exports, type Connection, type StoredPlan } from '../../store/repos/index.ts';
import type { EngineContext } from '../engine-context.ts';

/**
 * How concurrent exports to one POS account cooperate on the records they share (a brand's supplier, a new
 * style ordered in several orders): the step that creates one runs under a lock of the account in the store
 * (the step's `exclusive` lease, `accountLease`), so exactly one export creates it and the others, taking the
 * lock after it, find it by its correlation key and go on. Automatic sync plans and applies new orders one by
 * one, so sharing is the common case.
 */
export interface Cooperation {
  /**
   * Whether another plan on this POS account started this step: it held the lock then, so it may have
   * created what the step creates, and the step must look before it creates.
   */
  startedElsewhere(stepKey: string): Promise<boolean>;
  /**
   * The variants that the other plans being applied to this account want in the same new product (same
   * correlation key): the first export creates them all at once, so the others find every size they need,
   * also where a family cannot be extended afterwards (X-Series).
   */
  companions(productKey: string): Promise<NewVariant[]>;
}

/** The lease a shared create holds: one per POS account and record name (a supplier, a product key). */
export function accountLease(connection: Connection, name: string): string {
  return `pos-create:${connection.system}:${connection.externalAccountId}:${name}`;
}

export function cooperation(ctx: EngineContext, connection: Connection, plan: StoredPlan): Cooperation {
  // Built once per run, on the first new product: every create-product step asks, and building this per step
  // (this plan's lines into a set, per product) was most of a large export's memory churn.
  let wanted: Promise<Map<string, NewVariant[]>> | undefined;
  return {
    startedElsewhere: (stepKey) =>
      exports.startedByOtherPlans(ctx.store.db, plan.tenantId, connection.id, plan.id, stepKey),
    async companions(productKey) {
      wanted ??= exportPlans
        .applyingOn(ctx.store.db, plan.tenantId, connection.id, plan.id)
        .then((others) => variantsWanted(plan, others));
      return (await wanted).get(productKey) ?? [];
    },
  };
}

/** The other plans' new variants by product correlation key, in plan order, less the sizes this plan matched. */
function variantsWanted(plan: StoredPlan, others: StoredPlan[]): Map<string, NewVariant[]> {
  const byKey = new Map<string, NewVariant[]>();
  if (others.length === 0) return byKey;
  // A size this plan matched to a POS item is not created again for another plan (that one drifted).
  const matchedHere = new Set(plan.plan.lines.filter((l) => l.decision.kind !== 'new_item').map((l) => l.variantKey));
  for (const other of others)
    for (const n of other.plan.newProducts) {
      const variants = n.variants.filter((v) => !matchedHere.has(v.variantKey));
      if (variants.length > 0) byKey.set(n.correlationKey, [...(byKey.get(n.correlationKey) ?? []), ...variants]);
    }
  return byKey;
}
