/**
 * Case packs and prepacks: a wholesale line ordered in packs (NuORDER `sizes[].units_per_pack` > 1, or a
 * prepack of mixed sizes) becomes purchase-order lines either in units or in packs, as the merchant stocks
 * them. Getting this wrong is how stores receive 18 instead of 3 packs, or 3 instead of 18 units.
 *
 * Units: quantity = packs × units per pack; unit cost = pack cost ÷ units per pack. The division rarely
 * comes out in whole cents, so the remainder rule is the merchant's choice and stated on the result:
 * - `split`: the leftover cents go one each to the first units of every pack (R units at q+1, the rest at
 *   q, where pack cost = q × units + R), so the PO total equals packs × pack cost exactly; the item gets two
 *   PO lines at neighbouring costs when R > 0.
 * - `round`: one cost per size, pack cost ÷ units rounded half up; the difference from the pack total is
 *   reported (never hidden).
 * Packs: one PO line of packs at the pack cost; the item is the pack.
 *
 * Barcodes: a GTIN-14 with indicator 1–8 is a case of its unit GTIN (gtin.ts `packagingOf`): in units it
 * matches the unit item by the unit GTIN, in packs the pack item carries the case code. A plain (indicator
 * 0) code on a pack line may be the unit's UPC, so it never goes on a pack item: scanning one unit would
 * then sell a pack.
 */
import type { Result } from './errors.ts';
import { packagingOf } from './gtin.ts';
import { formatMoney, money } from './money.ts';
import type { Money } from './money.ts';

export interface PackLine {
  /** Packs ordered (NuORDER `sizes[].quantity` on a pack row). */
  packs: number;
  /** Units in one pack (NuORDER `units_per_pack`); 1 means the line is not a pack. */
  unitsPerPack: number;
  /** The price the source gave, and what it is the price of. */
  cost: Money;
  costPer: 'pack' | 'unit';
  /** A prepack of mixed sizes: units of each size in one pack, summing to `unitsPerPack`. Absent = one size. */
  contents?: ReadonlyArray<{ size: string; units: number }>;
  /** The line's canonical GTIN-14, when it has one. */
  gtin14: string | null;
}

export interface CasePackPolicy {
  /** How the merchant stocks packed goods. */
  stock: 'units' | 'packs';
  remainder: 'split' | 'round';
}

export const DEFAULT_CASE_PACK_POLICY: CasePackPolicy = { stock: 'units', remainder: 'split' };

export interface PackPoLine {
  /** The size of a prepack's part; null = the line's own size (or the pack itself). */
  size: string | null;
  quantity: number;
  unitCost: Money;
}

export interface PackConversion {
  stock: 'units' | 'packs';
  /** The purchase-order lines, in order; zero-quantity lines are left out. */
  lines: PackPoLine[];
  /** The GTIN-14 the plan matches the POS item by; null = no code to match (a new item by its own key). */
  matchGtin14: string | null;
  /** The barcode a new item gets; null = none (see notes). */
  itemGtin14: string | null;
  /** For packs: how the pack item is told apart from the unit ("pack of 12"). */
  packLabel: string | null;
  /** Sum of the PO lines. */
  total: Money;
  /** packs × pack cost: what the brand bills. */
  sourceTotal: Money;
  /** total − sourceTotal: zero for `split` and for packs; the rounding gap for `round`. */
  difference: Money;
  /** In plain words, for the review: what became what, and at which cost. */
  rule: string;
  notes: string[];
}

export type PackProblem = 'bad_packs' | 'bad_units_per_pack' | 'bad_contents' | 'negative_cost';

/** Converts one packed line by the merchant's policy. Expected data problems are values, not throws. */
export function convertPackLine(
  line: PackLine,
  policy: CasePackPolicy = DEFAULT_CASE_PACK_POLICY,
): Result<PackConversion, { problem: PackProblem; message: string }> {
  const problem = validate(line);
  if (problem !== null) return { ok: false, error: problem };
  const packCost = line.costPer === 'pack' ? line.cost.minor : line.cost.minor * line.unitsPerPack;
  if (!Number.isSafeInteger(packCost * line.packs)) throw new RangeError('pack cost out of range');
  const currency = line.cost.currency;
  const sourceTotal = money(packCost * line.packs, currency);
  const barcode = barcodes(line, policy.stock);
  const base =
    policy.stock === 'packs' || line.unitsPerPack === 1 ? asPacks(line, packCost) : asUnits(line, packCost, policy);
  const total = money(
    base.lines.reduce((sum, l) => sum + l.quantity * l.unitCost.minor, 0),
    currency,
  );
  return {
    ok: true,
    value: {
      stock: policy.stock,
      ...base,
      ...barcode,
      packLabel: policy.stock === 'packs' && line.unitsPerPack > 1 ? `pack of ${line.unitsPerPack}` : null,
      total,
      sourceTotal,
      difference: money(total.minor - sourceTotal.minor, currency),
    },
  };
}

function validate(line: PackLine): { problem: PackProblem; message: string } | null {
  if (!Number.isSafeInteger(line.packs) || line.packs < 0) {
    return { problem: 'bad_packs', message: `a line orders a whole number of packs, not ${line.packs}` };
  }
  if (!Number.isSafeInteger(line.unitsPerPack) || line.unitsPerPack < 1) {
    return {
      problem: 'bad_units_per_pack',
      message: `units per pack must be a whole number from 1, not ${line.unitsPerPack}`,
    };
  }
  if (line.cost.minor < 0)
    return { problem: 'negative_cost', message: `the cost ${formatMoney(line.cost)} is negative` };
  if (line.contents !== undefined) {
    const sum = line.contents.reduce((s, c) => s + c.units, 0);
    const wholeParts = line.contents.every((c) => Number.isSafeInteger(c.units) && c.units > 0);
    if (!wholeParts || sum !== line.unitsPerPack || line.contents.length === 0) {
      return {
        problem: 'bad_contents',
        message: `the prepack's sizes hold ${sum} units (${line.contents.map((c) => `${c.size}: ${c.units}`).join(', ')}), not the ${line.unitsPerPack} per pack the line says`,
      };
    }
  }
  return null;
}

type Base = Pick<PackConversion, 'lines' | 'rule'>;

function asPacks(line: PackLine, packCost: number): Base {
  const cost = money(packCost, line.cost.currency);
  const lines = line.packs === 0 ? [] : [{ size: null, quantity: line.packs, unitCost: cost }];
  const what =
    line.unitsPerPack === 1 ? plural(line.packs, 'unit') : `${plural(line.packs, 'pack')} of ${line.unitsPerPack}`;
  return { lines, rule: `${what} at ${formatMoney(cost)}, as ordered` };
}

function asUnits(line: PackLine, packCost: number, policy: CasePackPolicy): Base {
  const u = line.unitsPerPack;
  const parts = line.contents ?? [{ size: null, units: u }];
  const currency = line.cost.currency;
  const units = line.packs * u;
  const head = `${plural(line.packs, 'pack')} of ${u} → ${plural(units, 'unit')}, ${formatMoney(money(packCost, currency))} ÷ ${u} each`;
  if (policy.remainder === 'round') {
    const unitCost = money(Math.floor((2 * packCost + u) / (2 * u)), currency); // half up
    const lines = parts
      .map((p) => ({ size: p.size, quantity: line.packs * p.units, unitCost }))
      .filter((l) => l.quantity > 0);
    const gap = (unitCost.minor * u - packCost) * line.packs;
    const said =
      gap === 0
        ? 'exact'
        : `${formatMoney(money(Math.abs(gap), currency))} ${gap > 0 ? 'more' : 'less'} than the brand's total`;
    return { lines, rule: `${head}: ${formatMoney(unitCost)} a unit, rounded half up (${said})` };
  }
  const q = Math.floor(packCost / u);
  let extra = packCost - q * u; // units per pack that carry one more minor unit
  const lines: PackPoLine[] = [];
  for (const part of parts) {
    const plus = Math.min(extra, part.units);
    extra -= plus;
    lines.push({ size: part.size, quantity: line.packs * plus, unitCost: money(q + 1, currency) });
    lines.push({ size: part.size, quantity: line.packs * (part.units - plus), unitCost: money(q, currency) });
  }
  const kept = lines.filter((l) => l.quantity > 0);
  const r = packCost - q * u;
  const how =
    r === 0
      ? `${formatMoney(money(q, currency))} a unit (exact)`
      : `${r} of every ${u} at ${formatMoney(money(q + 1, currency))}, the rest at ${formatMoney(money(q, currency))}, so the total is the brand's to the cent`;
  return { lines: kept, rule: `${head}: ${how}` };
}

function barcodes(
  line: PackLine,
  stock: 'units' | 'packs',
): Pick<PackConversion, 'matchGtin14' | 'itemGtin14' | 'notes'> {
  const g = line.gtin14;
  if (g === null) return { matchGtin14: null, itemGtin14: null, notes: [] };
  const packaging = packagingOf(g);
  const isPack = line.unitsPerPack > 1;
  if (packaging.kind === 'pack') {
    if (stock === 'packs') {
      return { matchGtin14: g, itemGtin14: g, notes: [`case code ${g} is a pack of unit ${packaging.unitGtin14}`] };
    }
    if (line.contents !== undefined && line.contents.length > 1) {
      return {
        matchGtin14: null,
        itemGtin14: null,
        notes: [`case code ${g} names the prepack, not any one of its sizes`],
      };
    }
    return {
      matchGtin14: packaging.unitGtin14,
      itemGtin14: packaging.unitGtin14,
      notes: [`case code ${g} is a pack of unit ${packaging.unitGtin14}: matched by the unit's code`],
    };
  }
  if (!isPack) return { matchGtin14: g, itemGtin14: g, notes: [] };
  if (stock === 'packs') {
    return {
      matchGtin14: null,
      itemGtin14: null,
      notes: [`${g} may be the unit's code, so the pack item does not get it`],
    };
  }
  if (line.contents !== undefined && line.contents.length > 1) {
    return { matchGtin14: null, itemGtin14: null, notes: [`${g} is one code for a prepack of several sizes`] };
  }
  return { matchGtin14: g, itemGtin14: g, notes: [] };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
