/**
 * X-Series → NetSuite: what a POS sale becomes in NetSuite (the "skip sales orders" setting and its four
 * conditions). Pure: no I/O.
 */
import { xStatusLabels, type XSaleStatus } from './status.ts';

export interface SaleImportFacts {
  status: XSaleStatus;
  /** SKUs of kits on the sale whose components are serial, lot or bin items (NetSuite's item data). */
  numberedKits: string[];
}

export interface ImportSettings {
  /** Off: every imported sale becomes a NetSuite sales order. On: only sales meeting a condition do. */
  skipSalesOrders: boolean;
}

export type SaleImportCondition = 'numbered_kit' | 'delivery_unfulfilled' | 'pickup_unfulfilled' | 'layby';

export const conditionLabels: Record<SaleImportCondition, string> = {
  numbered_kit: 'contains a kit with serial, lot or bin components',
  delivery_unfulfilled: 'is Delivery – Unfulfilled',
  pickup_unfulfilled: 'is Pickup – Unfulfilled',
  layby: 'is a Layby',
};

export type ImportDecision =
  | { import: false; reason: string }
  | { import: true; as: 'salesOrder' | 'cashSale'; conditions: SaleImportCondition[]; reason: string };

/** Sales first seen in one of these are imported; the rest are not (parked, voided, on account, service). */
const importable: readonly XSaleStatus[] = [
  'CLOSED',
  'AWAITING_PICKUP',
  'AWAITING_DISPATCH',
  'LAYBY',
  'PICKED_UP_CLOSED',
  'DISPATCHED_CLOSED',
  'LAYBY_CLOSED',
];

export function saleConditions(facts: SaleImportFacts): SaleImportCondition[] {
  const out: SaleImportCondition[] = [];
  if (facts.numberedKits.length > 0) out.push('numbered_kit');
  if (facts.status === 'AWAITING_DISPATCH') out.push('delivery_unfulfilled');
  if (facts.status === 'AWAITING_PICKUP') out.push('pickup_unfulfilled');
  if (facts.status === 'LAYBY') out.push('layby');
  return out;
}

export function decideImport(facts: SaleImportFacts, settings: ImportSettings): ImportDecision {
  if (!importable.includes(facts.status)) {
    return {
      import: false,
      reason: `${xStatusLabels[facts.status]} (${facts.status}) sales are not imported into NetSuite`,
    };
  }
  const conditions = saleConditions(facts);
  if (!settings.skipSalesOrders) {
    return {
      import: true,
      as: 'salesOrder',
      conditions,
      reason: '"Skip sales orders" is off: every imported sale becomes a sales order',
    };
  }
  if (conditions.length > 0) {
    const what = conditions.map((c) =>
      c === 'numbered_kit' ? `${conditionLabels[c]} (${facts.numberedKits.join(', ')})` : conditionLabels[c],
    );
    return {
      import: true,
      as: 'salesOrder',
      conditions,
      reason: `A sales order because the sale ${what.join(' and ')}`,
    };
  }
  return {
    import: true,
    as: 'cashSale',
    conditions,
    reason: 'A cash sale: the goods left with the customer and no sales-order condition applies',
  };
}
