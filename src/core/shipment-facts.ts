/**
 * The shipment facts a POS purchase order carries, as one block of text in the PO's free-text field (each POS has
 * one: ports/po-shipment-facts.ts): each shipment's date, carrier, tracking numbers and units with the items
 * shipped, and the shipped total. The block sits between markers, so a later change replaces it (never a second
 * copy) and whatever the merchant wrote around it stays. Pure.
 */

export interface FactsShipment {
  readonly shippedOn: string | null;
  readonly carrier: string | null;
  readonly trackingNumbers: readonly string[];
  /** What each line shipped, named as the buyer reads it ("STY-1 Navy M"). */
  readonly items: ReadonlyArray<{ readonly name: string; readonly quantity: number }>;
}

export const FACTS_START = '[Tradeloop: shipments from the brand]';
export const FACTS_END = '[end of shipments]';

/** Items listed per shipment before "+N more": the field is a note, not a packing list. */
const ITEMS_SHOWN = 6;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function factsBlock(shipments: readonly FactsShipment[], orderedUnits: number): string {
  const lines = [FACTS_START];
  let shipped = 0;
  shipments.forEach((s, i) => {
    const units = s.items.reduce((n, x) => n + x.quantity, 0);
    shipped += units;
    const date = s.shippedOn ? s.shippedOn.slice(0, 10) : 'date not given';
    const carrier = s.carrier?.trim() || 'carrier not given';
    const tracking = s.trackingNumbers.length ? s.trackingNumbers.join(', ') : 'no tracking number';
    const items = s.items
      .slice(0, ITEMS_SHOWN)
      .map((x) => `${x.name} ×${x.quantity}`)
      .join('; ');
    const more = s.items.length > ITEMS_SHOWN ? `; +${s.items.length - ITEMS_SHOWN} more` : '';
    lines.push(`Shipment ${i + 1}: ${date} · ${carrier} · ${tracking} · ${plural(units, 'unit')} (${items}${more})`);
  });
  lines.push(`Shipped ${shipped} of ${plural(orderedUnits, 'unit')} ordered`, FACTS_END);
  return lines.join('\n');
}

/** The field's text with Tradeloop's block put in (replacing an earlier block), the merchant's own text kept. */
export function withFacts(existing: string, block: string): string {
  const start = existing.indexOf(FACTS_START);
  const end = start < 0 ? -1 : existing.indexOf(FACTS_END, start);
  if (start >= 0 && end >= 0) return existing.slice(0, start) + block + existing.slice(end + FACTS_END.length);
  const kept = existing.trimEnd();
  return kept === '' ? block : `${kept}\n${block}`;
}
