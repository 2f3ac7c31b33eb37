import { parseMoney, toDecimalString, type Money } from '../../core/money.ts';
import { RemoteContractBroken, RemoteRejected } from '../shared/errors.ts';
import type { QueryValue } from '../shared/http.ts';
import type { Clock } from '../shared/rate-governor.ts';
import { LIGHTSPEED_R_VENDOR, type RSeriesClient } from './client.ts';
import { itemPage, type RItem } from './schemas.ts';

/** What the parts of the R-Series PointOfSale (catalog.ts, products.ts, purchase-orders.ts, pos.ts) share. */

export const PAGE_MAX = 100;
export const IN_MAX = 100;

export const inList = (values: readonly string[]): string => `IN,[${values.join(',')}]`;

export function chunk<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

export interface RPosContext {
  client: RSeriesClient;
  /** The account's currency (upper case). */
  currency: string;
  clock: Clock;
  /** A refusal of ours, in the shape the flows handle like the POS's own. */
  refuse(message: string, status?: number): RemoteRejected;
  /** A decimal amount of a reply, in the account currency. */
  money(decimal: string, field: string): Money;
  /** An amount as R-Series writes it; refused unless in the account currency. */
  amount(m: Money): string;
  /** Every item of a query, across pages. */
  itemsWhere(query: Record<string, QueryValue>): Promise<RItem[]>;
}

export function createPosContext(client: RSeriesClient, currency: string, clock: Clock): RPosContext {
  const refuse = (message: string, status = 422): RemoteRejected =>
    new RemoteRejected({ vendor: LIGHTSPEED_R_VENDOR, status, vendorMessage: message });
  return {
    client,
    currency,
    clock,
    refuse,
    money(decimal, field) {
      const parsed = parseMoney(decimal, currency, { rounding: 'half_up' });
      if (!parsed.ok)
        throw new RemoteContractBroken({
          vendor: LIGHTSPEED_R_VENDOR,
          fieldPath: field,
          problem: parsed.error.message,
        });
      return parsed.value;
    },
    amount(m) {
      if (m.currency !== currency)
        throw refuse(`amounts must be in the account currency ${currency}, got ${m.currency}`);
      return toDecimalString(m);
    },
    itemsWhere: (query) => client.list('Item.json', { limit: PAGE_MAX, ...query }, itemPage),
  };
}
