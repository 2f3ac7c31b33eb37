/**
 * `tradeloop doctor` for an X-Series connection: one read-only probe per call the export and the sales sync make,
 * each through the same client and the same schema as the code that uses it, so a reply that no longer fits is a
 * `mismatch` naming every field that failed (src/connectors/shared/doctor.ts). Nothing is written: the sale create
 * (`POST /api/2026-07/sales`) is probed by reading sales through the same version and schema its reply is read with.
 * Pages are kept small (`page_size` 1–5): the rate budget is shared with real work.
 */
import { runProbes, type Probe } from '../shared/doctor.ts';
import type { DoctorCheck } from '../../core/ports/doctor.ts';
import type { HttpClient, QueryValue } from '../shared/http.ts';
import type { z } from 'zod';
import { createXSeriesSales, sale2026PageSchema, X_SALES_API_VERSION } from './sales.ts';
import {
  brandPageSchema,
  consignmentLinePageSchema,
  consignmentListSchema,
  outletPageSchema,
  productPageSchema,
  productReplySchema,
  retailerSchema,
  searchProductsSchema,
  supplierPageSchema,
  variantAttributeListSchema,
} from './schemas.ts';

const V2 = '/api/2.0';

export function xSeriesDoctor(client: HttpClient): () => Promise<DoctorCheck[]> {
  return () => runProbes(xSeriesProbes(client));
}

/** The probes, in the order the export meets the calls, then the sales sync's. */
export function xSeriesProbes(client: HttpClient): Probe[] {
  const get = <S extends z.ZodType>(path: string, schema: S, query?: Record<string, QueryValue>) =>
    client.request({ method: 'GET', path, query, schema });
  // Ids found by the listing probes, for the probes that read one record (null: the listing did not read).
  const seen: { product?: { id: string; sku: string | null } | null; consignment?: string | null } = {};
  const needs = (what: keyof typeof seen, none: string) => async () =>
    seen[what] === null ? 'not run: the listing it needs did not read' : seen[what] ? undefined : none;
  /** Runs a listing and notes that it failed, so the probes that need its ids say why they did not run. */
  const listing = async (what: keyof typeof seen, run: () => Promise<void>): Promise<void> => {
    seen[what] = null;
    await run();
  };
  const sales = createXSeriesSales(client);

  return [
    {
      call: `GET ${V2}/retailer`,
      purpose: 'the currency the store keeps its prices in',
      run: () => get(`${V2}/retailer`, retailerSchema),
    },
    {
      call: `GET ${V2}/outlets`,
      purpose: 'the outlets a purchase order can be received at',
      run: () => get(`${V2}/outlets`, outletPageSchema, { page_size: 5, deleted: true }),
    },
    {
      call: `GET ${V2}/products?after=…&deleted=true`,
      purpose: 'the catalog change feed (version cursor) that keeps the catalog mirror fresh',
      run: () =>
        listing('product', async () => {
          const page = await get(`${V2}/products`, productPageSchema, { after: 0, page_size: 5, deleted: true });
          const live = page.data.find((p) => !p.deleted_at);
          seen.product = live ? { id: live.id, sku: live.sku ?? null } : undefined;
        }),
    },
    {
      call: `GET ${V2}/products/{id}`,
      purpose: 'one product, re-read before a plan is applied',
      skip: needs('product', 'the store has no product to read'),
      run: () => get(`${V2}/products/${encodeURIComponent(seen.product?.id ?? '')}`, productReplySchema),
    },
    {
      call: `GET ${V2}/search?type=products&sku=…`,
      purpose: 'products by UPC or SKU (matching, and finding what an earlier export created)',
      skip: async () =>
        (await needs('product', 'the store has no product to search for')()) ??
        (seen.product?.sku ? undefined : 'the store has no product with a SKU to search for'),
      run: () =>
        get(`${V2}/search`, searchProductsSchema, {
          type: 'products',
          sku: [(seen.product?.sku ?? '').toLowerCase()],
          page_size: 5,
          offset: 0,
        }),
    },
    {
      call: `GET ${V2}/variant_attributes`,
      purpose: 'the Color and Size attributes new variants are made with',
      run: () => get(`${V2}/variant_attributes`, variantAttributeListSchema),
    },
    {
      call: `GET ${V2}/brands`,
      purpose: 'the brand new products are filed under',
      run: () => get(`${V2}/brands`, brandPageSchema, { after: 0, page_size: 5 }),
    },
    {
      call: `GET ${V2}/suppliers`,
      purpose: 'the supplier a purchase order is made out to',
      run: () => get(`${V2}/suppliers`, supplierPageSchema, { after: 0, page_size: 5 }),
    },
    {
      call: `GET ${V2}/consignments?type=SUPPLIER`,
      purpose: 'purchase orders, found again by their correlation key',
      run: () =>
        listing('consignment', async () => {
          const page = await get(`${V2}/consignments`, consignmentListSchema, {
            type: 'SUPPLIER',
            after: 0,
            page_size: 5,
          });
          seen.consignment = page.data.find((c) => !c.deleted_at)?.id;
        }),
    },
    {
      call: `GET ${V2}/consignments/{id}/products`,
      purpose: 'the lines already on a purchase order (so none is sent twice)',
      skip: needs('consignment', 'the store has no purchase order to read'),
      run: () =>
        get(`${V2}/consignments/${encodeURIComponent(seen.consignment ?? '')}/products`, consignmentLinePageSchema, {
          after: 0,
          page_size: 5,
        }),
    },
    {
      call: `GET ${V2}/sales?after=…`,
      purpose: 'sales sync: POS sales by version cursor, and a created sale read back with its status',
      run: () => sales.salesAfter(0, 1),
    },
    {
      call: `GET /api/${X_SALES_API_VERSION}/sales`,
      purpose: `sales sync: sales in the ${X_SALES_API_VERSION} shape the sale create answers in`,
      run: () => get(`/api/${X_SALES_API_VERSION}/sales`, sale2026PageSchema, { page_size: 1 }),
    },
  ];
}
