import { factsBlock, withFacts, type FactsShipment } from '../../../core/shipment-facts.ts';
import type { FactsEnv, FactsLoaded, FactsStep } from '../types.ts';

export type WriteOutcome = { written: true; field: string } | { written: false; field: string; reason: string };

/** The shipments as the PO's block reads them: each line named as the buyer knows it. */
function factsOf(loaded: FactsLoaded): { shipments: FactsShipment[]; ordered: number } {
  const lines = new Map(loaded.order.document.lines.map((l) => [l.lineKey, l]));
  const shipments = (loaded.fulfilment?.shipments ?? []).map((s): FactsShipment => ({
    shippedOn: s.shippedOn,
    carrier: s.carrier,
    trackingNumbers: s.trackingNumbers,
    items: s.lines.map((l) => {
      const line = lines.get(l.lineKey);
      return { name: line ? `${line.styleNumber} ${line.color} ${line.size}` : l.lineKey, quantity: l.quantity };
    }),
  }));
  return { shipments, ordered: loaded.order.unitCount };
}

/**
 * Puts the order's shipment facts into the POS purchase order's field for them. It reads what the PO carries first:
 * a retry, or a write whose reply was lost (a ghost write), finds the block already there and writes nothing; a
 * change replaces Tradeloop's earlier block, never adds a second. A PO the POS closed to changes is left alone.
 */
export function writeShipmentFacts(loaded: FactsLoaded): FactsStep<WriteOutcome> {
  const put = async (env: FactsEnv): Promise<WriteOutcome> => {
    const poId = env.loaded.export.poId;
    if (!poId) return { written: false, field: '', reason: 'the export names no purchase order' };
    const now = await env.ports.facts.read(poId);
    const { shipments, ordered } = factsOf(env.loaded);
    const wanted = withFacts(now.text, factsBlock(shipments, ordered));
    if (wanted === now.text)
      return { written: false, field: now.field, reason: 'the purchase order carries them already' };
    if (!now.writable)
      return { written: false, field: now.field, reason: now.reason ?? 'the POS refuses changes to it' };
    await env.ports.facts.write(poId, wanted);
    return { written: true, field: now.field };
  };
  return {
    key: 'write',
    label:
      `Write the shipments of order ${loaded.order.orderNumber} into purchase order ${loaded.export.poNumber ?? ''}`.trim(),
    run: put,
    reconcile: put,
  };
}
