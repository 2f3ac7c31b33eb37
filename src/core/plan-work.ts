/** What the parts of the planner (plan.ts, plan-decide.ts, plan-products.ts) pass between them. */
import { analyseLine, DEFAULT_PLAN_CASE_PACKS, type LineCodes } from './plan-codes.ts';
import type { LineDecision, PlanInput, PlanLine } from './plan-types.ts';
import { matrixKey, sizeKeyPart } from './pos-catalog.ts';
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

/** The orders' lines as the planner works on them: codes read, keys made, nothing decided yet. */
export function workLines(orders: readonly WholesaleOrder[], input: PlanInput): WorkLine[] {
  const packs = input.casePacks ?? DEFAULT_PLAN_CASE_PACKS;
  // The sizes of a style/color share its matrix key: normalised once, not once per line and again per variant key.
  const matrixKeys = new Map<string, string>();
  const matrixOf = (line: OrderLine): string =>
    getOrInit(matrixKeys, `${line.brand.sourceId}\u0000${line.styleNumber}\u0000${line.color}`, () => matrixKey(line));
  // An order has a handful of sizes: each normalised once.
  const sizeParts = new Map<string, string>();
  const variantOf = (matrix: string, size: string): string =>
    `${matrix}|${getOrInit(sizeParts, size, () => sizeKeyPart(size))}`;
  return orders.flatMap((order) =>
    order.lines.map((line): WorkLine => {
      const codes = analyseLine(line, packs);
      const matrix = matrixOf(line);
      return {
        order,
        line,
        codes,
        plan: {
          orderSourceId: order.sourceId,
          lineKey: line.lineKey,
          variantKey: variantOf(matrix, line.size),
          matrixKey: matrix,
          styleNumber: line.styleNumber,
          color: line.color,
          size: line.size,
          name: line.name,
          gtin14: codes.gtin14,
          rawUpc: line.rawUpc,
          quantity: codes.quantity,
          unitCost: codes.unitCost,
          retailPrice: line.retailPrice,
          decision: { kind: 'skipped', reason: 'zero_quantity' },
          override: null,
          ...(codes.refusal ? { code: codes.refusal } : {}),
          ...(codes.pack ? { pack: codes.pack } : {}),
        },
      };
    }),
  );
}
