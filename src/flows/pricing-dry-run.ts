/**
 * The dry run of a pricing policy over past orders: for every item the connection's recent orders would
 * create, the price the policy in force gives and the price the proposed one would give, and which rule made
 * it. Nothing is saved or written; a merchant sees what a change of policy does before saving it.
 */
import { equalsMoney, type Money } from '../core/money.ts';
import { analyseLine } from '../core/plan-codes.ts';
import { priceFor } from '../core/plan-products.ts';
import { variantKey } from '../core/pos-catalog.ts';
import type { PricingPolicy } from '../core/pricing-policy.ts';
import { wholesaleOrders } from '../store/repos/index.ts';
import type { EngineContext } from './engine-context.ts';
import { casePacksOf, pricingPolicyOf } from './merchant-settings.ts';
import { requirePosConnection } from './plan-export.ts';

export interface PriceChangeRow {
  orderNumbers: string[];
  brand: string;
  styleNumber: string;
  color: string;
  size: string;
  cost: Money;
  msrp: Money | null;
  /** The price the policy in force gives (the MSRP as sent when none was saved). */
  current: Money | null;
  next: Money | null;
  rule: string;
  review: string | null;
}

export interface PricingDryRun {
  currentVersion: number;
  orders: number;
  /** Distinct items (brand, style, color, size) the orders hold. */
  items: number;
  changes: PriceChangeRow[];
}

const MAX_ORDERS = 200;

export async function pricingDryRun(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
  proposed: PricingPolicy,
): Promise<PricingDryRun> {
  const connection = await requirePosConnection(ctx, tenantId, connectionId);
  const current = await pricingPolicyOf(ctx, connection);
  const packs = casePacksOf(connection);
  const listed = await wholesaleOrders.list(ctx.store.db, tenantId, { limit: MAX_ORDERS });
  const orders = await wholesaleOrders.getMany(
    ctx.store.db,
    tenantId,
    listed.orders.map((o) => o.id),
  );
  const rows = new Map<string, PriceChangeRow>();
  const seen = new Set<string>();
  for (const stored of orders) {
    for (const line of stored.document.lines) {
      if (line.quantity <= 0) continue;
      const key = variantKey(line);
      const row = rows.get(key);
      if (row) {
        if (!row.orderNumbers.includes(stored.orderNumber)) row.orderNumbers.push(stored.orderNumber);
        continue;
      }
      if (seen.has(key)) continue;
      seen.add(key);
      const codes = analyseLine(line, packs);
      const units = codes.pack?.stock === 'packs' ? codes.pack.unitsPerPack : 1;
      const before = priceFor(current, line, codes.unitCost, units);
      const after = priceFor(proposed, line, codes.unitCost, units);
      const same =
        before.retail !== null && after.retail !== null
          ? equalsMoney(before.retail, after.retail)
          : before.retail === after.retail;
      if (same && after.price.review === undefined) continue;
      rows.set(key, {
        orderNumbers: [stored.orderNumber],
        brand: line.brand.name,
        styleNumber: line.styleNumber,
        color: line.color,
        size: line.size,
        cost: codes.unitCost,
        msrp: after.price.msrp,
        current: before.retail,
        next: after.retail,
        rule: after.price.rule,
        review: after.price.review?.message ?? null,
      });
    }
  }
  return { currentVersion: current.version, orders: orders.length, items: seen.size, changes: [...rows.values()] };
}
