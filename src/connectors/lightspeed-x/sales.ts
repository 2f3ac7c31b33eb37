/**
 * The X-Series side of the sales sync (reference lightspeed-x-series.md §5): sales by version cursor, one sale,
 * creating a sale through the date-versioned endpoint with `state` + `attributes` (and a client-chosen UUID as its
 * correlation key), and the store set-up a sale needs (outlets, registers, users, taxes, payment types, products by
 * SKU). Built on an authenticated `HttpClient` (the X-Series client, or the shared transport with a bearer token).
 *
 * Which API for what: sales are CREATED through `POST /api/2026-07/sales` (§5.3: the documented way to write
 * `state` + `attributes` with a client-chosen id; the 0.9 `register_sales` is deprecated since 2023-02), whose reply
 * is the 2026-07 Sale (F2: no `status`, nothing required). They are READ through 2.0 (`GET /api/2.0/sales[/{id}]`):
 * it is in the 2.0 OpenAPI we validate against, and it carries the legacy `status` the NetSuite rules map to, which
 * the 2026-07 Sale no longer has. Every date version serves the same store ("each version includes the full set").
 */
import { z } from 'zod';
import type { CreatedPosSale, NewPosSale, PosSales } from '../../core/ports/pos-sales.ts';
import { RemoteRejected } from '../shared/errors.ts';
import type { HttpClient } from '../shared/http.ts';
import {
  createdSaleSchema,
  listSchema,
  namedSchema,
  productSkuSchema,
  registerSchema,
  saleSchema,
  taxSchema,
  toCreatedSale,
  toTax,
  userSchema,
} from './sales-schemas.ts';
import { toPosSale } from './map.ts';

export {
  createdSaleSchema,
  sale2026PageSchema,
  toCreatedSale,
  type XCreatedSale,
  type XSale,
} from './sales-schemas.ts';

/** The date version used for sale writes (§5.3). */
export const X_SALES_API_VERSION = '2026-07';

const v2 = '/api/2.0';

/** The sales port over X-Series, and the store set-up reads one by one (the contract tests call them). */
export interface XSeriesSales extends PosSales {
  readonly http: HttpClient;
  outlets(): Promise<Array<{ id: string; name: string }>>;
  registers(): Promise<Array<{ id: string; outletId: string; name: string }>>;
  users(): Promise<Array<{ id: string }>>;
  taxes(): Promise<Array<{ id: string; name: string; rate: number }>>;
  paymentTypes(): Promise<Array<{ id: string; name: string }>>;
}

export function createXSeriesSales(http: HttpClient): XSeriesSales {
  const productCache = new Map<string, { id: string; sku: string | null } | null>();
  const list = async <T extends z.ZodType>(path: string, item: T): Promise<Array<z.output<T>>> => {
    const out: Array<z.output<T>> = [];
    let after = 0;
    for (let page = 0; page < 50; page++) {
      const data = await http.request({
        method: 'GET',
        path,
        query: { after, page_size: 1000 },
        schema: listSchema(item),
      });
      out.push(...data.data);
      const max = data.version?.max ?? null;
      if (data.data.length === 0 || max === null || max <= after) break;
      after = max;
    }
    return out;
  };
  const live = <T extends { deleted_at?: string | null | undefined }>(rows: T[]): T[] =>
    rows.filter((r) => !r.deleted_at);

  const createSale = async (input: NewPosSale): Promise<CreatedPosSale> => {
    const body = {
      id: input.id,
      source: {
        author_id: input.authorId,
        register_id: input.registerId,
        id: input.sourceId,
        type: input.sourceType,
      },
      date: input.date,
      state: input.state,
      attributes: input.attributes,
      ...(input.note ? { note: input.note } : {}),
      ...(input.fulfillment
        ? {
            fulfillment_details: [
              { type: input.fulfillment.type, ...(input.fulfillment.note ? { note: input.fulfillment.note } : {}) },
            ],
          }
        : {}),
      // `number:double` in the 2026-07 SaleLineItem (the docs' example sends strings; the schema wins).
      line_items: input.lines.map((l) => ({
        product: { id: l.productId },
        quantity: l.quantity,
        pricing: { price: money(l.price) },
        tax: { id: l.taxId, amount: money(l.taxAmount) },
        // A line note is the line attribute `line_note` (LineItemAttribute); lines have no `note` field.
        ...(l.note ? { attributes: [{ name: 'line_note', value: l.note }] } : {}),
        ...(input.fulfillment ? { _metadata: { fulfillment_method: input.fulfillment.type } } : {}),
      })),
      ...(input.payment
        ? {
            payments: [
              {
                amount: input.payment.amount,
                type: { config_id: input.payment.paymentTypeId },
                date: input.payment.date,
              },
            ],
          }
        : {}),
    };
    const created = await http.request({
      method: 'POST',
      path: `/api/${X_SALES_API_VERSION}/sales`,
      body,
      schema: createdSaleSchema,
    });
    return toCreatedSale(created, input.id);
  };

  const sales: XSeriesSales = {
    http,
    async getSale(id) {
      try {
        const body = await http.request({
          method: 'GET',
          path: `${v2}/sales/${encodeURIComponent(id)}`,
          schema: z.object({ data: saleSchema }),
        });
        return toPosSale(body.data);
      } catch (error) {
        if (error instanceof RemoteRejected && error.status === 404) return undefined;
        throw error;
      }
    },
    async createSale(input) {
      try {
        return await createSale(input);
      } catch (error) {
        // 409: a sale with the id we chose exists, so an earlier attempt made it (the id is the correlation key).
        if (!(error instanceof RemoteRejected && error.status === 409)) throw error;
        const made = await sales.getSale(input.id);
        if (!made) throw error;
        return { id: made.id, state: null, attributes: null };
      }
    },
    async salesAfter(version, pageSize = 200) {
      const data = await http.request({
        method: 'GET',
        path: `${v2}/sales`,
        query: { after: version, page_size: pageSize },
        schema: listSchema(saleSchema),
      });
      const max = Math.max(version, data.version?.max ?? version, ...data.data.map((s) => s.version));
      return { sales: data.data.map(toPosSale), maxVersion: max };
    },
    async productsBySku(skus) {
      const out = new Map<string, { id: string; sku: string }>();
      for (const sku of [...new Set(skus)]) {
        const data = await http.request({
          method: 'GET',
          path: `${v2}/search`,
          query: { type: 'products', sku: sku.toLowerCase(), page_size: 5 },
          schema: z.object({ data: z.array(productSkuSchema).default([]) }),
        });
        const match = data.data.find((p) => !p.deleted_at && (p.sku ?? '').toLowerCase() === sku.toLowerCase());
        if (match) {
          out.set(sku, { id: match.id, sku: match.sku ?? sku });
          productCache.set(match.id, { id: match.id, sku: match.sku ?? sku });
        }
      }
      return out;
    },
    async product(id) {
      if (productCache.has(id)) return productCache.get(id) ?? undefined;
      try {
        const data = await http.request({
          method: 'GET',
          path: `${v2}/products/${encodeURIComponent(id)}`,
          schema: z.object({ data: productSkuSchema }),
        });
        const found = { id: data.data.id, sku: data.data.sku ?? null };
        productCache.set(id, found);
        return found;
      } catch (error) {
        if (error instanceof RemoteRejected && error.status === 404) {
          productCache.set(id, null);
          return undefined;
        }
        throw error;
      }
    },
    async outlets() {
      return live(await list(`${v2}/outlets`, namedSchema)).map((o) => ({ id: o.id, name: o.name ?? '' }));
    },
    async registers() {
      return live(await list(`${v2}/registers`, registerSchema)).map((r) => ({
        id: r.id,
        outletId: r.outlet_id,
        name: r.name ?? '',
      }));
    },
    async users() {
      return live(await list(`${v2}/users`, userSchema)).map((u) => ({ id: u.id }));
    },
    async taxes() {
      const data = await http.request({ method: 'GET', path: `${v2}/taxes`, schema: listSchema(taxSchema) });
      return live(data.data).map(toTax);
    },
    async paymentTypes() {
      const data = await http.request({ method: 'GET', path: `${v2}/payment_types`, schema: listSchema(namedSchema) });
      return live(data.data).map((p) => ({ id: p.id, name: p.name ?? '' }));
    },
    async storeSetup() {
      return {
        outlets: await sales.outlets(),
        registers: await sales.registers(),
        users: await sales.users(),
        taxes: await sales.taxes(),
        paymentTypes: await sales.paymentTypes(),
      };
    },
  };
  return sales;
}

function money(n: number): number {
  return Math.round(n * 100) / 100;
}
