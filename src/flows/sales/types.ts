import type { SalesOrder } from '../../core/ports/erp-sales-orders.ts';
import type { PosSale } from '../../core/ports/pos-sales.ts';
import type { RuleSetDocument } from '../../core/sales/rules.ts';
import { RemoteUnavailable } from '../../core/ports/errors.ts';
import type { AppContext } from '../../app-context.ts';
import type { SagaStep, StepEnv } from '../saga/index.ts';
import type { SalesSync } from '../../store/repos/index.ts';
import type { SalesEnv } from './env.ts';

/** The family of the sales sync's sagas in the one steps table; a saga per synced row, its id the row's. */
export const SALES_SAGA = 'sales';

/** What a synced row's steps are made from: read from the store (progress reads it too). */
export interface SalesLoaded {
  ctx: AppContext;
  tenantId: string;
  row: SalesSync;
  /** The rule set the row is synced under (its mapping, its ship methods), read when a step needs it. */
  rules(): Promise<RuleSetDocument>;
  /** What the sync that runs the steps has just read, so a step does not read it again (absent in a job's run). */
  given?: { order?: SalesOrder; sale?: PosSale };
}

export type SalesStep<T = unknown> = SagaStep<SalesLoaded, SalesEnv, T>;
export type SalesStepEnv = StepEnv<SalesLoaded, SalesEnv>;

/** The recorded step keys (the log shows them; a resumed sync finds its old rows by them). */
export const stepKeys = {
  createSale: 'create-sale',
  linkInNetsuite: 'link-netsuite',
  createSalesOrder: 'create-sales-order',
  createCashSale: 'create-cash-sale',
  fulfil: 'fulfil',
  bill: 'bill',
} as const;

/** A write's outcome is unknown (a timeout, a 5xx, a dropped reply): the step looks for what it may have made. */
export const unknownOutcome = (error: unknown): boolean => error instanceof RemoteUnavailable;

/**
 * A sales step looks for its record before it writes, every time: NetSuite may have done the work itself (fulfilled
 * in the warehouse, billed with the fulfilment), and another row or release may have made it. Found right after this
 * run's own write failed with an unknown outcome, nothing: the write did not happen, and the error stands (the row
 * records it; the next try looks again).
 */
export async function findOrMake<T>(
  env: SalesStepEnv,
  find: () => Promise<T | undefined>,
  make: () => Promise<T>,
): Promise<T> {
  const found = await find();
  if (found !== undefined) return found;
  if (env.failedAttempt !== undefined) throw env.failedAttempt;
  return make();
}
