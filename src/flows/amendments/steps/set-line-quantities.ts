import type { PoChange } from '../../../core/amendment-plan.ts';
import { equalsMoney } from '../../../core/money.ts';
import { amendmentStepKeys, currentPo, type AmendmentStep } from '../types.ts';

type LineSet = Extract<PoChange, { kind: 'set_quantity' | 'set_cost' }>;

/**
 * New quantities and unit costs on the PO's lines. Each is an absolute value, set only where the line does not
 * have it yet (the PO is read first), so a resumed step or a write that landed though its reply was lost changes
 * nothing twice. A line no longer on the PO is reported, not recreated.
 */
export function setLineQuantities(
  poNumber: string,
  changes: readonly LineSet[],
): AmendmentStep<{ set: number; missing: string[] }> {
  const quantities = changes.filter((c) => c.kind === 'set_quantity').length;
  const costs = changes.length - quantities;
  const what = [
    quantities ? `the quantity of ${quantities} line${quantities === 1 ? '' : 's'}` : '',
    costs ? `the unit cost of ${costs} line${costs === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return {
    key: amendmentStepKeys.quantities,
    label: `Set ${what} on PO ${poNumber}`,
    async run(env) {
      const po = await currentPo(env);
      const missing: string[] = [];
      let set = 0;
      for (const change of changes) {
        const line = po.lines.find((l) => l.posItemId === change.posItemId);
        if (!line) {
          missing.push(change.posItemId);
          continue;
        }
        if (change.kind === 'set_quantity' && line.quantity !== change.to) {
          await env.ports.changes.setLineQuantity(po.id, change.posItemId, change.to);
          set += 1;
        }
        if (change.kind === 'set_cost' && (line.unitCost === null || !equalsMoney(line.unitCost, change.to))) {
          await env.ports.changes.setLineCost(po.id, change.posItemId, change.to);
          set += 1;
        }
      }
      return { set, missing };
    },
  };
}
