/**
 * `tradeloop doctor` for an R-Series connection: one read-only probe per read the export makes, each through the
 * connector's own client, schema and (where the PointOfSale has a read-only method for it) mapper, so a reply
 * that no longer fits is a `mismatch` naming every field that failed (src/connectors/shared/doctor.ts). Nothing
 * is written. Pages are small (`limit` 5): the rate budget is shared with real work, and the probes run one
 * after another through the same governor.
 */
import type { DoctorCheck } from '../../core/ports/doctor.ts';
import type { PointOfSale } from '../../core/ports/pos.ts';
import { runProbes, type Probe } from '../shared/doctor.ts';
import type { RSeriesClient } from './client.ts';
import {
  accountList,
  attributeSetPage,
  manufacturerPage,
  matrixPage,
  oneOrder,
  orderPage,
  vendorPage,
} from './schemas.ts';

export function rSeriesDoctor(client: RSeriesClient, pos: PointOfSale): () => Promise<DoctorCheck[]> {
  return () => runProbes(rSeriesProbes(client, pos));
}

interface Seen {
  itemIds?: string[] | null;
  gtin?: string | null;
  vendorName?: string | null;
  orderId?: string | null;
}

/** The probes, in the order an export meets the calls. */
export function rSeriesProbes(client: RSeriesClient, pos: PointOfSale): Probe[] {
  const seen: Seen = {};
  // null: the listing that finds the record failed (its own check says why); undefined: it found none.
  const needs = (what: keyof Seen, none: string) => async () =>
    seen[what] === null ? 'not run: the listing it needs did not read' : seen[what] ? undefined : none;
  const listing = async (what: keyof Seen, run: () => Promise<void>): Promise<void> => {
    seen[what] = null;
    await run();
  };

  return [
    {
      call: 'GET /API/V3/Account.json',
      purpose: 'the account this connection was linked to',
      run: () =>
        client.http.request({
          method: 'GET',
          path: `${new URL(client.accountUrl).origin}/API/V3/Account.json`,
          schema: accountList,
        }),
    },
    {
      call: 'GET Shop.json?archived=true',
      purpose: 'the shops a purchase order can be received at',
      run: () => pos.listLocations(),
    },
    {
      call: 'GET Item.json?archived=true&sort=timeStamp&timeStamp=>=,…',
      purpose: 'the catalog change feed (timeStamp cursor) that keeps the catalog mirror fresh',
      run: () =>
        listing('itemIds', async () => {
          seen.gtin = null;
          const page = await pos.catalogChanges(null, 5);
          seen.itemIds = page.entries.length > 0 ? page.entries.map((e) => e.posItemId) : undefined;
          seen.gtin = page.entries.flatMap((e) => e.gtins)[0];
        }),
    },
    {
      call: 'GET Item.json?itemID=IN,[…]&archived=true',
      purpose: 'items re-read before a plan is applied',
      skip: needs('itemIds', 'the store has no item to read'),
      run: () => pos.getCatalogEntries(seen.itemIds ?? []),
    },
    {
      call: 'GET Item.json?upc=IN,[…] (and ean, customSku)',
      purpose: 'items by barcode, just before new items are created',
      skip: needs('gtin', 'the store has no item with a barcode to look up'),
      run: () => pos.findCatalogEntriesByGtin([seen.gtin ?? '']),
    },
    {
      call: 'GET ItemMatrix.json',
      purpose: 'matrices (styles), found again after a create whose reply was lost',
      run: () => client.request({ path: 'ItemMatrix.json', query: { limit: 5 }, schema: matrixPage }),
    },
    {
      call: 'GET ItemAttributeSet.json',
      purpose: 'the Color/Size attribute sets new matrices are made with',
      run: () => client.request({ path: 'ItemAttributeSet.json', query: { limit: 100 }, schema: attributeSetPage }),
    },
    {
      call: 'GET Manufacturer.json',
      purpose: 'the brand (manufacturer) new items are filed under',
      run: () => client.request({ path: 'Manufacturer.json', query: { limit: 5 }, schema: manufacturerPage }),
    },
    {
      call: 'GET Vendor.json',
      purpose: 'vendors (the supplier of a purchase order)',
      run: () =>
        listing('vendorName', async () => {
          const page = await client.request({ path: 'Vendor.json', query: { limit: 5 }, schema: vendorPage });
          seen.vendorName = page.items.find((v) => v.name.trim() !== '' && !v.name.includes('|'))?.name;
        }),
    },
    {
      call: 'GET Vendor.json?or=b2bSellerUID=…|name=…',
      purpose:
        'the vendor of a brand by its NuORDER id or its name in one request (or= is inferred: refused, the connector asks twice)',
      skip: needs('vendorName', 'the store has no vendor to look up'),
      run: () => pos.findSupplier({ name: seen.vendorName ?? '', sourceBrandId: 'tradeloop-doctor' }),
    },
    {
      call: 'GET Order.json?archived=true',
      purpose: 'purchase orders, found again by their refNum',
      run: () =>
        listing('orderId', async () => {
          const page = await client.request({
            path: 'Order.json',
            query: { archived: 'true', limit: 5 },
            schema: orderPage,
          });
          seen.orderId = page.items[0]?.orderID;
        }),
    },
    {
      call: 'GET Order/{id}.json',
      purpose: 'one purchase order, read before it is marked ordered',
      skip: needs('orderId', 'the store has no purchase order to read'),
      run: () => client.request({ path: `Order/${seen.orderId ?? ''}.json`, schema: oneOrder }),
    },
    {
      call: 'GET OrderLine.json?orderID=…',
      purpose: 'the lines already on a purchase order (so none is sent twice)',
      skip: needs('orderId', 'the store has no purchase order to read'),
      run: () => pos.listPurchaseOrderLines(seen.orderId ?? ''),
    },
  ];
}
