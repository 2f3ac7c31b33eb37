import { amendmentStepKeys, currentPo, type AmendmentStep } from '../types.ts';

/** Lines the order no longer has, taken off the PO; a line already gone (an earlier attempt) is done. */
export function removeLines(poNumber: string, posItemIds: readonly string[]): AmendmentStep<{ removed: number }> {
  return {
    key: amendmentStepKeys.removeLines,
    label: `Remove ${posItemIds.length} line${posItemIds.length === 1 ? '' : 's'} from PO ${poNumber}`,
    async run(env) {
      const po = await currentPo(env);
      let removed = 0;
      for (const id of posItemIds) {
        if (!po.lines.some((l) => l.posItemId === id)) continue;
        await env.ports.changes.removeLine(po.id, id);
        removed += 1;
      }
      return { removed };
    },
  };
}
