import { PermanentJobError } from '../../jobs/errors.ts';
import type { ExportPlan } from '../../core/plan.ts';
import type { PoChangeRules } from '../../core/po-change-rules.ts';
import type { PurchaseOrderChanges, PurchaseOrderSnapshot } from '../../core/ports/po-changes.ts';
import type { AmendmentRecord, StoredPlan } from '../../store/repos/index.ts';
import type { ExportLoaded, ExportPorts } from '../export/types.ts';
import type { SagaStep, StepEnv } from '../saga/index.ts';
import type { AmendmentApplyPlan } from './plan.ts';

/**
 * What the amendment saga's steps are made from. It is an export's too (`ExportLoaded`: the added lines' plan as a
 * stored plan under the amendment's id), so the export's own steps create the supplier and the new products.
 */
export interface AmendmentLoaded extends ExportLoaded {
  amendment: AmendmentRecord;
  apply: AmendmentApplyPlan;
  /** How the POS's POs take changes (its manifest's). */
  poChanges: PoChangeRules;
}

export interface AmendmentPorts extends ExportPorts {
  changes: PurchaseOrderChanges;
}

export type AmendmentStep<T = unknown> = SagaStep<AmendmentLoaded, AmendmentPorts, T>;
export type AmendmentEnv = StepEnv<AmendmentLoaded, AmendmentPorts>;

export const amendmentStepKeys = {
  check: 'po:check',
  quantities: 'po:quantities',
  costs: 'po:costs',
  expectedDate: 'po:expected-date',
  addLines: 'po:add-lines',
  removeLines: 'po:remove-lines',
  cancel: 'po:cancel',
  links: 'links',
  applied: 'applied',
};

const emptyPlan = { lines: [], newProducts: [], purchaseOrders: [], suppliers: [] } as unknown as ExportPlan;

/** The added lines' plan as the export's steps read it (a stored plan under the amendment's id). */
export function addedAsStoredPlan(apply: AmendmentApplyPlan, tenantId: string, locationId: string): StoredPlan {
  return {
    id: apply.amendmentId,
    tenantId,
    connectionId: apply.connectionId,
    locationId,
    orderIds: [apply.orderId],
    state: 'applying',
    overrides: [],
    plan: apply.added ?? emptyPlan,
    fingerprint: apply.fingerprint,
    createdBy: null,
    createdAt: 0,
    updatedAt: 0,
  };
}

/** The PO now; a PO gone from the POS stops the apply (nothing left to change). */
export async function currentPo(env: AmendmentEnv): Promise<PurchaseOrderSnapshot> {
  const po = await env.ports.changes.readPurchaseOrder(env.loaded.apply.poId);
  if (!po) throw new PoGone(env.loaded.apply.poNumber);
  return po;
}

export class PoGone extends PermanentJobError {
  constructor(poNumber: string) {
    super(`PO ${poNumber} no longer exists in the POS; make the change by hand`);
    this.name = 'PoGone';
  }
}
