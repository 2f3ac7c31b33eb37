/**
 * `updateMatchedItems` on X-Series: the supply price (the supplier's price, `product_suppliers[].price`) and
 * the retail price (`price_excluding_tax`, or including tax as the connection writes prices) of items that
 * already exist, by `PUT /api/2.1/products/{id}` with this variant's `details` only (§2.3). PUT sets values, so
 * a retry after a lost reply writes the same again.
 */
import { toDecimalString, type Money } from '../../core/money.ts';
import type { MatchedItemUpdate, PointOfSale } from '../../core/ports/pos.ts';
import { RemoteRejected } from '../shared/errors.ts';
import type { QueryValue } from '../shared/http.ts';
import type { z } from 'zod';
import { anyReplySchema, productReplySchema, type XProduct } from './schemas.ts';

const V2 = '/api/2.0';

export interface ItemUpdateDeps {
  get<S extends z.ZodType>(path: string, schema: S, query?: Record<string, QueryValue>): Promise<z.output<S>>;
  write<S extends z.ZodType>(
    method: string,
    path: string,
    body: unknown,
    schema: S,
    idempotent?: boolean,
  ): Promise<z.output<S>>;
  storeCurrency(): Promise<string | null>;
  concurrency: number;
  priceIncludesTax: boolean;
  mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]>;
}

type Outcome = { posItemId: string; outcome: 'updated' | 'rejected'; message?: string };

const amount = (m: Money): number => Number(toDecimalString(m));

export function matchedItemUpdates(deps: ItemUpdateDeps): NonNullable<PointOfSale['updateMatchedItems']> {
  return async (updates: readonly MatchedItemUpdate[]) => {
    const currency = await deps.storeCurrency();
    return deps.mapLimit(updates, deps.concurrency, async (u): Promise<Outcome> => {
      const posItemId = u.posItemId;
      if (u.cost === undefined && u.retail === undefined) return { posItemId, outcome: 'updated' };
      for (const m of [u.cost, u.retail]) {
        if (m !== undefined && currency !== null && m.currency.toUpperCase() !== currency)
          return {
            posItemId,
            outcome: 'rejected',
            message: `the store keeps prices in ${currency}; this is in ${m.currency}`,
          };
      }
      try {
        const p = await deps.get(`${V2}/products/${encodeURIComponent(posItemId)}`, productReplySchema);
        if (p.deleted_at) return { posItemId, outcome: 'rejected', message: 'the product is deleted' };
        const details: Record<string, unknown> = {};
        if (u.cost !== undefined) {
          const suppliers = supplierPrice(p, u.cost);
          if (suppliers === null)
            return {
              posItemId,
              outcome: 'rejected',
              message: 'the product has no supplier, and X-Series keeps a supply price per supplier',
            };
          details.product_suppliers = suppliers;
        }
        if (u.retail !== undefined)
          details[deps.priceIncludesTax ? 'price_including_tax' : 'price_excluding_tax'] = amount(u.retail);
        await deps.write(
          'PUT',
          `/api/2.1/products/${encodeURIComponent(posItemId)}`,
          { details },
          anyReplySchema,
          true,
        );
        return { posItemId, outcome: 'updated' };
      } catch (error) {
        if (error instanceof RemoteRejected) return { posItemId, outcome: 'rejected', message: error.vendorMessage };
        throw error;
      }
    });
  };
}

/**
 * 2.1 `details` has no `supply_price` (F10): the supply price is the supplier's price
 * (`product_suppliers[].price`), so it is set for the product's supplier, keeping its supplier code.
 */
function supplierPrice(p: XProduct, cost: Money): Array<Record<string, unknown>> | null {
  const listed = p.product_suppliers?.find((s) => s.supplier_id === p.supplier_id) ?? p.product_suppliers?.[0];
  const supplierId = p.supplier_id ?? listed?.supplier_id ?? null;
  if (!supplierId) return null;
  const code = listed?.code ?? p.supplier_code ?? null;
  return [{ supplier_id: supplierId, price: amount(cost), ...(code ? { code } : {}) }];
}
