/**
 * `tradeloop doctor` for a NetSuite connection: one read-only probe per read the sales sync makes, each through the
 * connector's own client, schemas and mappers (schemas.ts), so a reply that no longer fits is a `mismatch` naming
 * every field that failed (src/connectors/shared/doctor.ts). Nothing is written. The probes follow the calls a sync
 * makes: changed orders, then the first order's record, its items and their stock, kits, what was made from it,
 * the look-ups by external id and name, and the custom field the sync links orders with.
 */
import type { DoctorCheck } from '../../core/ports/doctor.ts';
import type { SalesOrder } from '../../core/ports/erp-sales-orders.ts';
import { XSERIES_SALE_ID_FIELD } from '../../core/sales/rules.ts';
import { runProbes, type Probe } from '../shared/doctor.ts';
import type { NetsuiteClient } from './client.ts';
import type { NsItemInfo, NsLocation } from './catalog.ts';
import { NetsuiteSales, formatCursor } from './sales.ts';

const SUITEQL = 'POST /services/rest/query/v1/suiteql';
const RECORD = '/services/rest/record/v1';
/** How far back the probe looks for sales orders to read (a quiet account may have none lately). */
const LOOKBACK_MS = 365 * 86_400_000;

export function netsuiteDoctor(client: NetsuiteClient, now: () => number = Date.now): () => Promise<DoctorCheck[]> {
  return async () => {
    const checks = await runProbes(netsuiteProbes(new NetsuiteSales(client), now), now);
    return checks.map(explainMissingField);
  };
}

interface Seen {
  orders?: Array<{ id: string }> | null;
  order?: SalesOrder | null;
  items?: NsItemInfo[] | null;
  locations?: NsLocation[] | null;
}

const NOT_RUN = 'not run: the read it needs failed';

/** The custom field check throws this when the account lacks the field: an error the operator can act on. */
class MissingCustomField extends Error {}

export function netsuiteProbes(ns: NetsuiteSales, now: () => number = Date.now): Probe[] {
  const seen: Seen = {};
  // null: the read that finds the record failed, or was not run for that reason (the first check says why);
  // undefined: it found none. A probe not run for that reason passes it on to what it would have read.
  const needs = (what: keyof Seen, none: string, produces?: keyof Seen) => async (): Promise<string | undefined> => {
    if (seen[what] !== null) return seen[what] ? undefined : none;
    if (produces) seen[produces] = null;
    return NOT_RUN;
  };
  const reading = async <K extends keyof Seen>(what: K, run: () => Promise<Seen[K]>): Promise<void> => {
    seen[what] = null;
    seen[what] = await run();
  };
  const items = (): NsItemInfo[] => seen.items ?? [];
  const binLocation = (): NsLocation | undefined => seen.locations?.find((l) => l.bins);

  return [
    {
      call: `${SUITEQL} (transaction: sales orders changed since …)`,
      purpose: 'the sales orders the NetSuite → X-Series sync picks up',
      run: () =>
        reading('orders', async () => {
          const found = await ns.changedSalesOrders(formatCursor(now() - LOOKBACK_MS), 5);
          return found.length > 0 ? found : undefined;
        }),
    },
    {
      call: `GET ${RECORD}/salesOrder/{id}?expandSubResources=true`,
      purpose: 'a sales order with its lines and status (orderStatus), as the sync reads each one',
      skip: needs('orders', 'no sales order changed in the last year to read', 'order'),
      run: () => reading('order', async () => (seen.orders?.[0] ? await ns.salesOrder(seen.orders[0].id) : undefined)),
    },
    {
      call: `${SUITEQL} (location)`,
      purpose: 'the locations orders are sold and fulfilled from (matched to X-Series outlets by name)',
      run: () => reading('locations', () => ns.locations()),
    },
    {
      call: `${SUITEQL} (item by itemid and by id)`,
      purpose: 'the items of an order, by SKU and by internal id (serial, lot, bin, kit)',
      skip: needs('order', 'no sales order to take items from', 'items'),
      run: () =>
        reading('items', async () => {
          const lines = seen.order?.lines ?? [];
          const bySku = await ns.itemsBySku(lines.flatMap((l) => (l.sku ? [l.sku] : [])));
          const byId = await ns.itemsById(lines.map((l) => l.itemId));
          return [...new Map([...bySku.values(), ...byId.values()].map((i) => [i.id, i])).values()];
        }),
    },
    {
      call: `${SUITEQL} (inventorynumber JOIN inventorynumberlocation)`,
      purpose: 'the serial and lot numbers a fulfilment or cash sale names in its inventory detail',
      skip: needs('items', 'no items to read stock for'),
      run: () => ns.inventoryNumbers(items().map((i) => i.id)),
    },
    {
      call: `${SUITEQL} (inventorybalance)`,
      purpose: 'the bins that hold stock at a location that uses bins',
      skip: async () =>
        (await needs('items', 'no items to read stock for')()) ?? (binLocation() ? undefined : 'no location uses bins'),
      run: () => ns.loadInventory(items(), binLocation()?.id ?? ''),
    },
    {
      call: `GET ${RECORD}/kitItem/{id}?expandSubResources=true`,
      purpose: 'the members of a kit, fulfilled from the kit line’s location',
      skip: async () =>
        (await needs('items', 'no items to look for a kit in')()) ??
        (items().some((i) => i.type === 'Kit') ? undefined : 'the order has no kit'),
      run: () => ns.kitMembers(items().find((i) => i.type === 'Kit')?.id ?? ''),
    },
    {
      call: `${SUITEQL} (transaction JOIN transactionline on createdfrom)`,
      purpose: 'the fulfilments and bills already made from an order (so none is made twice)',
      skip: needs('order', 'no sales order to look under'),
      run: () => ns.children(seen.order?.id ?? ''),
    },
    {
      call: `GET ${RECORD}/itemFulfillment/eid:{externalId}`,
      purpose: 'a fulfilment by the external id Tradeloop gives it (a retry looks it up first)',
      skip: needs('order', 'no sales order to look under'),
      run: () => ns.byExternalId('itemFulfillment', `TL-IF-${seen.order?.id ?? ''}`),
    },
    {
      call: `${SUITEQL} (item: ShipItem; transaction: customform)`,
      purpose: 'ship methods and sales-order forms by name, for the sales orders POS sales become',
      run: async () => {
        await ns.shipMethodId('Store Pickup');
        await ns.salesOrderFormId('Standard Sales Order - Cash Sale');
      },
    },
    {
      call: `${SUITEQL} (customer)`,
      purpose: 'the customer POS sales are recorded against when none is chosen',
      run: () => ns.firstCustomerId(),
    },
    {
      call: `GET ${RECORD}/metadata-catalog/salesorder (application/schema+json)`,
      purpose: `the custom field ${XSERIES_SALE_ID_FIELD} that links an order to its X-Series sale`,
      run: async () => {
        if (!(await ns.hasCustomField('salesOrder', XSERIES_SALE_ID_FIELD))) throw new MissingCustomField();
      },
    },
  ];
}

/** The custom-field probe's refusal in words; every other check is passed on as runProbes made it. */
function explainMissingField(check: DoctorCheck): DoctorCheck {
  if (check.outcome !== 'error' || !check.call.includes('metadata-catalog') || check.detail !== 'the call failed')
    return check;
  return {
    ...check,
    detail:
      `The account has no transaction body field ${XSERIES_SALE_ID_FIELD} on sales orders: create it ` +
      '(Customization > Lists, Records & Fields > Transaction Body Fields, type Free-Form Text, applied to sales ' +
      'orders and cash sales). Until then sales are made but not linked in NetSuite.',
  };
}
