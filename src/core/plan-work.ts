/** What the parts of the planner (plan.ts, plan-decide.ts, plan-products.ts) pass between them. */
import type { LineCodes } from './plan-codes.ts';
import type { LineDecision, PlanLine } from './plan-types.ts';
import type { OrderLine, WholesaleOrder } from './wholesale-order.ts';

/** One order line while it is planned: the order, the line as ordered, its plan line, its codes read once. */
export interface WorkLine {
  order: WholesaleOrder;
  line: OrderLine;
  plan: PlanLine;
  codes: LineCodes;
}

export const lineRef = (w: { plan: PlanLine }) => ({ orderSourceId: w.plan.orderSourceId, lineKey: w.plan.lineKey });

export function matchedItemId(d: LineDecision): string | null {
  return d.kind === 'confirmed' || d.kind === 'upc_match' || d.kind === 'linked_by_buyer' ? d.posItemId : null;
}

export function getOrInit<K, V>(map: Map<K, V>, key: K, init: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = init();
    map.set(key, value);
  }
  return value;
}
