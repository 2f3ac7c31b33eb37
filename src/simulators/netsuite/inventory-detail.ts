import { NsError, badRef, invalidValue, userError } from './errors.ts';
import { isObject, numberValue, refValue, round2, shownRef, type Json } from './fields.ts';
import type { NsAssignment, NsItem, NsState } from './model.ts';

/**
 * Inventory detail on a line that moves stock: which serial and lot numbers and bins it takes (§5,
 * section_N3744760), checked the way NetSuite checks a fulfilment or a cash sale, chosen the way a warehouse person
 * would (seeding, the back office), and taken out of stock.
 */

function needsDetail(
  state: NsState,
  item: NsItem,
  location: string,
): { numbers: 'serial' | 'lot' | null; bins: boolean } {
  const numbers =
    item.itemType === 'serializedInventoryItem'
      ? 'serial'
      : item.itemType === 'lotNumberedInventoryItem'
        ? 'lot'
        : null;
  const bins = item.useBins && (state.locations[location]?.useBins ?? false);
  return { numbers, bins };
}

/**
 * Checks the inventoryDetail of a line that moves `quantity` of `item` out of `location`: serial and lot items need
 * their numbers, bin items at a bin location need bins, and the assignment quantities must add up (§5,
 * section_N3744760). The REST shape `inventoryDetail.inventoryAssignment.items[]` is [I] in the reference.
 */
export function validateDetail(
  state: NsState,
  item: NsItem,
  location: string,
  quantity: number,
  detail: unknown,
  lineLabel: number,
  path: string,
): NsAssignment[] | null {
  const needs = needsDetail(state, item, location);
  if (!needs.numbers && !needs.bins) return null;
  const assignmentsRaw =
    isObject(detail) && isObject(detail.inventoryAssignment) ? detail.inventoryAssignment.items : undefined;
  if (!Array.isArray(assignmentsRaw) || assignmentsRaw.length === 0) {
    // [I] NetSuite's message for a missing inventory detail.
    throw userError(
      `Please configure the inventory detail in line ${lineLabel} of the item list.`,
      `${path}.inventoryDetail`,
    );
  }
  const out: NsAssignment[] = [];
  const usedSerials = new Set<string>();
  assignmentsRaw.forEach((raw, i) => {
    const p = `${path}.inventoryDetail.inventoryAssignment.items[${i}]`;
    if (!isObject(raw)) throw new NsError(400, 'INVALID_FLD_VALUE', 'An inventory assignment must be an object.', p);
    const q =
      raw.quantity === undefined
        ? needs.numbers === 'serial'
          ? 1
          : quantity
        : numberValue(raw.quantity, 'quantity', `${p}.quantity`);
    if (q <= 0) throw invalidValue(q, 'quantity', `${p}.quantity`);
    let numberId: string | null = null;
    let bin: string | null = null;
    if (needs.numbers) {
      const ref = refValue(raw.issueInventoryNumber ?? raw.receiptInventoryNumber);
      const name = typeof raw.receiptInventoryNumber === 'string' ? raw.receiptInventoryNumber : ref?.refName;
      const number = Object.values(state.inventoryNumbers).find(
        (n) => n.item === item.id && (ref?.id ? n.id === ref.id : n.inventoryNumber === name),
      );
      if (!ref && !name)
        throw userError(
          `Please enter value(s) for: Serial/Lot Number in line ${lineLabel} of the item list.`,
          `${p}.issueInventoryNumber`,
        );
      if (!number || number.location !== location) {
        throw badRef('issueInventoryNumber', `${p}.issueInventoryNumber`, ref ? shownRef(ref) : (name ?? ''));
      }
      if (needs.numbers === 'serial') {
        if (q !== 1)
          throw userError(`The quantity of serial number ${number.inventoryNumber} must be 1.`, `${p}.quantity`);
        if (usedSerials.has(number.id))
          throw userError(`Serial number ${number.inventoryNumber} is used more than once.`, p);
        usedSerials.add(number.id);
      }
      if (number.quantityOnHand < q) {
        throw userError(
          `The serial/lot number ${number.inventoryNumber} is not available at this location in the quantity required.`,
          p,
        );
      }
      numberId = number.id;
      if (needs.bins) bin = number.bin;
    }
    if (needs.bins) {
      const ref = refValue(raw.binNumber);
      const found = ref
        ? ref.id
          ? state.bins[ref.id]
          : Object.values(state.bins).find((b) => b.binNumber === ref.refName)
        : undefined;
      if (!ref)
        throw userError(`Please enter value(s) for: Bin in line ${lineLabel} of the item list.`, `${p}.binNumber`);
      if (!found || found.location !== location) {
        throw badRef('binNumber', `${p}.binNumber`, shownRef(ref));
      }
      if (numberId && bin && bin !== found.id)
        throw userError(`The serial/lot number is not in bin ${found.binNumber}.`, `${p}.binNumber`);
      if (!needs.numbers && (item.binOnHand[found.id] ?? 0) < q) {
        throw userError(`Bin ${found.binNumber} does not hold ${q} of ${item.itemId}.`, `${p}.binNumber`);
      }
      bin = found.id;
    }
    out.push({ inventoryNumber: numberId, bin, quantity: q });
  });
  const total = round2(out.reduce((sum, a) => sum + a.quantity, 0));
  if (total !== quantity)
    throw userError(`The total inventory detail quantity must be ${quantity}.`, `${path}.inventoryDetail`);
  return out;
}

/** Chooses serials, lots and bins the way a warehouse person would (seeding and the back office). */
export function autoDetail(state: NsState, item: NsItem, location: string, quantity: number): unknown {
  const needs = needsDetail(state, item, location);
  if (!needs.numbers && !needs.bins) return undefined;
  const items: Json[] = [];
  if (needs.numbers) {
    let left = quantity;
    for (const n of Object.values(state.inventoryNumbers)) {
      if (left <= 0) break;
      if (n.item !== item.id || n.location !== location || n.quantityOnHand <= 0) continue;
      const q = needs.numbers === 'serial' ? 1 : Math.min(left, n.quantityOnHand);
      items.push({
        issueInventoryNumber: { id: n.id },
        ...(needs.bins && n.bin ? { binNumber: { id: n.bin } } : {}),
        quantity: q,
      });
      left -= q;
    }
  } else {
    let left = quantity;
    for (const [binId, onHand] of Object.entries(item.binOnHand)) {
      if (left <= 0) break;
      if (state.bins[binId]?.location !== location || onHand <= 0) continue;
      const q = Math.min(left, onHand);
      items.push({ binNumber: { id: binId }, quantity: q });
      left -= q;
    }
  }
  return { inventoryAssignment: { items } };
}

export function takeStock(
  state: NsState,
  item: NsItem,
  location: string,
  quantity: number,
  detail: NsAssignment[] | null,
): void {
  item.onHand[location] = (item.onHand[location] ?? 0) - quantity;
  for (const a of detail ?? []) {
    if (a.inventoryNumber) {
      const n = state.inventoryNumbers[a.inventoryNumber];
      if (n) n.quantityOnHand -= a.quantity;
    } else if (a.bin) {
      item.binOnHand[a.bin] = (item.binOnHand[a.bin] ?? 0) - a.quantity;
    }
  }
}
