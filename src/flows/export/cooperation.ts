import type { NewVariant } from '../core/plan.ts';
import { DeferJob } from '../jobs/errors.ts';
import { exportPlans, exports, leases, type Connection, type StoredPlan } from '../store/repos/index.ts';
import type { EngineContext } from './engine-context.ts';

/**
 * How concurrent exports to one POS account cooperate on the records they share (a brand's supplier, a new
 * style ordered in several orders): the step that creates one runs under a lock of the account in the store,
 * so exactly one export creates it and the others, taking the lock after it, find it by its correlation key
 * and go on. Automatic sync plans and applies new orders one by one, so sharing is the common case.
 */
export interface Cooperation {
  /** Runs `fn` holding the POS account's lock on `name` (a supplier, a product key). */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
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

/** Long enough for another export to create a large style; past it the job waits its turn (no attempt used). */
const lockWaitMs = 120_000;

export function cooperation(ctx: EngineContext, connection: Connection, plan: StoredPlan): Cooperation {
  const account = `${connection.system}:${connection.externalAccountId}`;
  let others: Promise<StoredPlan[]> | undefined;
  return {
    async exclusive(name, fn) {
      try {
        return await leases.withLease(ctx.store.db, `pos-create:${account}:${name}`, fn, {
          ttlMs: 30_000,
          waitMs: lockWaitMs,
          pollMs: 100,
        });
      } catch (error) {
        if (error instanceof leases.LeaseTimeout)
          throw new DeferJob(ctx.now() + 5_000, `another export is still creating ${name} in the POS`);
        throw error;
      }
    },
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
