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
  let others: Promise<StoredPlan[]> | undefined;
  return {
    startedElsewhere: (stepKey) =>
      exports.startedByOtherPlans(ctx.store.db, plan.tenantId, connection.id, plan.id, stepKey),
    async companions(productKey) {
      others ??= exportPlans
        .applyingOn(ctx.store.db, plan.tenantId, connection.id)
        .then((plans) => plans.filter((p) => p.id !== plan.id));
      // A size this plan matched to a POS item is not created again for another plan (that one drifted).
      const matchedHere = new Set(
        plan.plan.lines.filter((l) => l.decision.kind !== 'new_item').map((l) => l.variantKey),
      );
      return (await others).flatMap((p) =>
        p.plan.newProducts
          .filter((n) => n.correlationKey === productKey)
          .flatMap((n) => n.variants.filter((v) => !matchedHere.has(v.variantKey))),
      );
    },
  };
}
