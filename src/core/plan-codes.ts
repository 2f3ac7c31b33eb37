/**
 * What a plan reads from one order line before deciding it: the line's barcode read the GS1 way (may it
 * match across the catalog, and by which GTINs), and, for a packed line, how the packs become PO units.
 * `requiredLookups` and the decisions both use it, so a plan looks up exactly what it decides by.
 */
import { convertPackLine } from './case-pack.ts';
import { matchability, type MatchRefusal } from './gs1-prefix.ts';
import type { GtinProblem } from './gtin.ts';
import { money, type Money } from './money.ts';
import type { CasePackSettings, PlanPack } from './plan-types.ts';
import type { OrderLine } from './wholesale-order.ts';

/**
 * Units, one cost per unit rounded half up. The `split` remainder rule gives one item two PO lines at
 * neighbouring costs, and an X-Series purchase order holds one line per product, so plans round.
 */
export const DEFAULT_PLAN_CASE_PACKS: CasePackSettings = { stock: 'units', remainder: 'round', packPriceIs: 'pack' };

export interface LineCodes {
  /** The GTIN-14 shown on the line (null when the code could not be read). */
  gtin14: string | null;
  /** Every GTIN-14 to look up in the catalog; empty when the code may not match (see `refusal`). */
  lookups: readonly string[];
  /** Why the code may not match across the catalog. */
  refusal?: { refusal: MatchRefusal; message: string };
  /** The barcode a new item made for this line gets (null: none). */
  itemGtin14: string | null;
  /** PO quantity and unit cost: the line's own, or its packs converted. */
  quantity: number;
  unitCost: Money;
  pack?: PlanPack;
  /** Set when the pack data do not add up: the line goes to review. */
  packProblem?: string;
}

const UNREADABLE: ReadonlySet<MatchRefusal> = new Set<MatchRefusal>([
  'missing',
  'not_numeric',
  'bad_length',
  'bad_check_digit',
]);

/** True when the refusal is the code's own problem (it could not be read), not its GS1 class. */
export function isGtinProblem(refusal: MatchRefusal): refusal is GtinProblem {
  return UNREADABLE.has(refusal);
}

export function analyseLine(line: OrderLine, packs: CasePackSettings): LineCodes {
  const m = matchability(line.rawUpc);
  const base: LineCodes = m.matchable
    ? { gtin14: m.gtin14, lookups: [...m.lookupGtins], itemGtin14: m.gtin14, quantity: 0, unitCost: line.unitCost }
    : {
        gtin14: m.gtin14,
        lookups: [],
        refusal: { refusal: m.reason, message: m.message },
        itemGtin14: m.gtin14,
        quantity: 0,
        unitCost: line.unitCost,
      };
  base.quantity = line.quantity;
  const units = line.unitsPerPack ?? 1;
  if (units === 1) return base;
  const converted = convertPackLine(
    {
      packs: line.quantity,
      unitsPerPack: units,
      cost: line.unitCost,
      costPer: packs.packPriceIs,
      gtin14: m.matchable ? m.gtin14 : null,
    },
    { stock: packs.stock, remainder: 'round' },
  );
  if (!converted.ok) return { ...base, packProblem: converted.error.message };
  const c = converted.value;
  const [first] = c.lines;
  const packCost =
    packs.packPriceIs === 'pack' ? line.unitCost : money(line.unitCost.minor * units, line.unitCost.currency);
  return {
    ...base,
    // In units a case code matches by its unit's GTIN; a pack item never takes a plain code (see case-pack.ts).
    gtin14: c.matchGtin14 ?? base.gtin14,
    lookups: !m.matchable || c.matchGtin14 === null ? [] : c.matchGtin14 === m.gtin14 ? m.lookupGtins : [c.matchGtin14],
    itemGtin14: m.matchable ? c.itemGtin14 : null,
    quantity: c.lines.reduce((n, l) => n + l.quantity, 0),
    unitCost: first?.unitCost ?? line.unitCost,
    pack: {
      packs: line.quantity,
      unitsPerPack: units,
      packCost,
      stock: c.stock,
      rule: c.rule,
      notes: c.notes,
      difference: c.difference,
    },
  };
}
