/**
 * Lightspeed Retail X-Series as a `PointOfSale` (src/core/ports/pos.ts), over API 2.0 (and 2.1 for
 * single-variant adds and product updates). Section numbers refer to shared/reference/lightspeed-x-series.md.
 *
 * Correlation keys (X-Series has no idempotency keys, so every create writes a key its find can search):
 * - product family: `source_id` = the product key, `handle` = the product key without dashes;
 * - variant: `sku` = the variant key (also a CUSTOM product code; it reads as style-color-size plus a hash).
 *   The SKU is what makes it findable: `GET /search?type=products&sku=` is documented [V] to match SKUs
 *   (lower-cased), while `source_id` is not searchable. Keys are [a-z0-9-], already lower case. The SKU also
 *   marks an inactive variant as Tradeloop's draft (see isArchived): `source_variant_id` is not in the 2.0
 *   `variants[]` schema (F9), so the draft marker `tl:` + key is written only at the top level.
 *   `source` is left alone (the API documents it as USER | SHOPIFY).
 * - new sizes of a family already in the store: added to it one by one (2.1 "Add Single Variant", products.ts),
 *   each with its SKU as above; the family keeps its own `source_id`.
 * - purchase order (SUPPLIER consignment): `reference` (shown as "Order number") = the PO key; `name`
 *   (shown as "Note") carries the wholesale order number and the notes.
 * - supplier: the brand's source id as a marker in `description` (suppliers have no external-id field).
 *
 * Decisions on the reference's open points:
 * - §3.5 envelope: requests are sent UNWRAPPED (tutorial, Postman, MCP client); replies are read in both forms
 *   (`{"data": {...}}` and bare), and GET /consignments as a bare array or a wrapped page.
 * - PO status: created OPEN (§3.6). `submitPurchaseOrder` leaves it OPEN by default, so the buyer reviews and
 *   sends it from the POS; with `submitStatus: 'SENT'` it moves it to SENT (an idempotent PUT).
 * - Archived: inactive products are catalog entries with `archived: true`; soft-deleted products (seen with
 *   `deleted=true`) are reported in `removedIds` by the change feed and as missing by `getCatalogEntries`,
 *   because a deleted product cannot go on a purchase order.
 * - Bulk lines: ≤ 500 per request; `count` ACCUMULATES (§3.4), so lines already on the PO are read first and
 *   never sent again; `received` is never sent (it would dispatch the order).
 */
import { AppError } from '../../core/errors.ts';
import { gtinForms } from '../../core/gtin.ts';
import { toDecimalString } from '../../core/money.ts';
import type { PosCatalogEntry } from '../../core/pos-catalog.ts';
import type {
  AddLineOutcome,
  CatalogPage,
  CatalogRecheck,
  PointOfSale,
  PosCapabilities,
  PosLocation,
  PosPurchaseOrder,
  PosPurchaseOrderLine,
  PosSupplier,
  PurchaseOrderLineSpec,
  PurchaseOrderQuery,
  PurchaseOrderSpec,
  SupplierQuery,
  SupplierSpec,
  AddLinesOptions,
  SubmitOptions,
} from '../../core/ports/pos.ts';
import { RemoteContractBroken, RemoteRejected } from '../shared/errors.ts';
import type { HttpClient, QueryValue } from '../shared/http.ts';
import type { z } from 'zod';
import { VENDOR } from './client.ts';
import { xSeriesDoctor } from './doctor.ts';
import { matchedItemUpdates } from './item-updates.ts';
import { xSeriesProducts } from './products.ts';
import {
  dueAtOf,
  retailerCurrency,
  markedBrandId,
  supplierMarker,
  toCatalogEntry,
  toLocation,
  toPurchaseOrder,
  toPurchaseOrderLine,
} from './map.ts';
import {
  bulkReplySchema,
  consignmentLinePageSchema,
  consignmentListSchema,
  consignmentReplySchema,
  createdSupplierSchema,
  outletPageSchema,
  productPageSchema,
  productReplySchema,
  retailerSchema,
  supplierPageSchema,
  type XConsignment,
  type XConsignmentLine,
  type XSupplier,
  type XProduct,
} from './schemas.ts';

const V2 = '/api/2.0';
/** §3.3: "not recommended … more than 500 products at a time". */
export const X_SERIES_BULK_LINE_LIMIT = 500;
/** Page size for full listings (suppliers, consignments, lines). */
const LIST_PAGE_SIZE = 1000;
const CATALOG_MAX_PAGE_SIZE = 10_000;
const NAME_MAX = 255;

export interface LightspeedXPosOptions {
  /**
   * What `submitPurchaseOrder` leaves the PO in: `OPEN` (default: a no-op, the buyer sends it from the POS) or
   * `SENT` (PUT status, §3.6 step 4). Either is idempotent.
   */
  submitStatus?: 'OPEN' | 'SENT';
  /** Write the MSRP of new items as `price_including_tax` instead of `price_excluding_tax` (default). */
  retailPriceIncludesTax?: boolean;
  /**
   * Add new sizes to the family of their style/colour already in the store with `POST /api/2.1/products` ("Add
   * Single Variant", §2.3; products.ts), instead of creating a second family. On by default; how the real API
   * names the family is [I] (§9.3: we send `common.variant_parent_id`), and a family that refuses the variant
   * gets the rest as a family of their own, as with this off.
   */
  addVariantsToExistingParent?: boolean;
  /** A buyer-facing link to a consignment. Default `{store origin}/consignment/{id}` [I]. */
  purchaseOrderUrl?: (consignmentId: string) => string;
  /** Parallel requests where the API has no batch read (getCatalogEntries, updateMatchedItems). Default 4. */
  concurrency?: number;
}

type Schema = z.ZodType;

export function createLightspeedXPos(client: HttpClient, options: LightspeedXPosOptions = {}): PointOfSale {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const poUrl = options.purchaseOrderUrl ?? ((id: string) => `${client.baseUrl.replace(/\/+$/, '')}/consignment/${id}`);
  const capabilities: PosCapabilities = {
    system: 'lightspeed-x',
    bulkLineLimit: X_SERIES_BULK_LINE_LIMIT,
    addsVariantsToExistingParent: options.addVariantsToExistingParent ?? true,
  };

  const catalogEntry = (p: XProduct): PosCatalogEntry => toCatalogEntry(p, options.retailPriceIncludesTax ?? false);

  const get = <S extends Schema>(path: string, schema: S, query?: Record<string, QueryValue>): Promise<z.output<S>> =>
    client.request({ method: 'GET', path, query, schema });
  const write = <S extends Schema>(
    method: string,
    path: string,
    body: unknown,
    schema: S,
    idempotent = false,
  ): Promise<z.output<S>> => client.request({ method, path, body, schema, idempotent });

  const broken = (path: string, fieldPath: string, problem: string, method = 'GET'): RemoteContractBroken =>
    new RemoteContractBroken({ vendor: VENDOR, method, path, fieldPath, problem });
  const refuse = (method: string, path: string, message: string): RemoteRejected =>
    new RemoteRejected({ vendor: VENDOR, method, path, status: 422, vendorMessage: message });

  /** Every record of a version-paged list (§2.5): `after=<version.max>` until an empty page. */
  async function listAll<T extends { version?: number | null }>(
    path: string,
    schema: z.ZodType<{ data: T[]; version?: { max?: number | null } | null }>,
    query: Record<string, QueryValue> = {},
  ): Promise<T[]> {
    const out: T[] = [];
    let after = 0;
    for (;;) {
      const page = await get(path, schema, { ...query, after, page_size: LIST_PAGE_SIZE });
      if (page.data.length === 0) return out;
      out.push(...page.data);
      const next = nextCursor(page.data, page.version?.max, after);
      if (next <= after) throw broken(path, 'version.max', `the version cursor did not advance past ${after}`);
      after = next;
    }
  }

  // ---- store facts, cached per instance -----------------------------------------------------------------

  const knownSuppliers = new Map<string, XSupplier>();
  let supplierCursor = 0;
  /**
   * The store's live suppliers, kept by the version cursor (§2.5: `version` grows on every edit, "store max for
   * incremental sync"): the first lookup lists them all, later ones read only what changed since, deletions
   * included (`deleted=true`), so an export to a store already seen spends one call (an empty page) here.
   */
  async function liveSuppliers(): Promise<XSupplier[]> {
    const path = `${V2}/suppliers`;
    let after = supplierCursor;
    for (;;) {
      const page = await get(path, supplierPageSchema, { after, page_size: LIST_PAGE_SIZE, deleted: true });
      if (page.data.length === 0) break;
      for (const supplier of page.data) knownSuppliers.set(supplier.id, supplier);
      const next = nextCursor(page.data, page.version?.max, after);
      if (next <= after) throw broken(path, 'version.max', `the version cursor did not advance past ${after}`);
      after = next;
    }
    supplierCursor = Math.max(supplierCursor, after);
    return [...knownSuppliers.values()].filter((s) => !s.deleted_at);
  }

  let currencyPromise: Promise<string | null> | undefined;
  const storeCurrency = (): Promise<string | null> => {
    currencyPromise ??= (async () => {
      const code = retailerCurrency(await get(`${V2}/retailer`, retailerSchema));
      if (code) return code;
      const outlets = await get(`${V2}/outlets`, outletPageSchema, { page_size: 1 });
      return outlets.data[0]?.currency?.toUpperCase() ?? null;
    })().catch((error: unknown) => {
      currencyPromise = undefined;
      throw error;
    });
    return currencyPromise;
  };

  async function assertCurrency(method: string, path: string, currencies: Iterable<string>): Promise<void> {
    const store = await storeCurrency();
    if (store === null) return;
    for (const c of currencies) {
      if (c.toUpperCase() !== store)
        throw refuse(method, path, `the store keeps its prices in ${store}; this is in ${c.toUpperCase()}`);
    }
  }

  const { searchBySku, findProducts, createProduct } = xSeriesProducts({
    get,
    write,
    listAll,
    assertCurrency,
    broken,
    retailPriceIncludesTax: options.retailPriceIncludesTax ?? false,
    addsToExistingFamilies: capabilities.addsVariantsToExistingParent,
  });

  // ---- purchase orders ----------------------------------------------------------------------------------

  async function consignment(poId: string): Promise<XConsignment> {
    return get(`${V2}/consignments/${encodeURIComponent(poId)}`, consignmentReplySchema);
  }

  async function lines(poId: string): Promise<XConsignmentLine[]> {
    const all = await listAll(`${V2}/consignments/${encodeURIComponent(poId)}/products`, consignmentLinePageSchema);
    return all.filter((l) => !l.deleted_at);
  }

  function poName(spec: PurchaseOrderSpec): string {
    let title = spec.name.trim() || `Wholesale order ${spec.orderNumber}`;
    if (!title.includes(spec.orderNumber)) title = `${title} (${spec.orderNumber})`;
    const notes = spec.notes.trim().replace(/\s+/g, ' ');
    if (notes === '' || title.length + 3 >= NAME_MAX) return title.slice(0, NAME_MAX);
    const room = NAME_MAX - title.length - 3;
    return `${title} — ${notes.length > room ? `${notes.slice(0, room - 1)}…` : notes}`;
  }

  interface BulkItem {
    productId: string;
    count: number;
    cost: string;
  }

  /**
   * Sends one bulk request; on a 4xx refusal, finds the refused lines by bisection (or by the `[i]` the
   * message names) so the others still go in. Returns product id → refusal message.
   */
  async function sendBulk(poId: string, items: BulkItem[]): Promise<Map<string, string>> {
    const path = `${V2}/consignments/${encodeURIComponent(poId)}/bulk`;
    const refused = new Map<string, string>();
    const queue: BulkItem[][] = [items];
    while (queue.length > 0) {
      const batch = queue.shift() as BulkItem[];
      if (batch.length === 0) continue;
      try {
        await write(
          'POST',
          path,
          batch.map((b) => ({ product_id: b.productId, count: b.count, cost: b.cost })),
          bulkReplySchema,
        );
      } catch (error) {
        if (!(error instanceof RemoteRejected) || (error.status !== 400 && error.status !== 422)) throw error;
        // The refusal should have changed nothing; re-read so a line that did go in is never sent twice.
        const present = new Set((await lines(poId)).map((l) => l.product_id));
        const rest = batch.filter((b) => !present.has(b.productId));
        if (rest.length === 0) continue;
        if (batch.length === 1 || rest.length === 1) {
          const only = rest[0] as BulkItem;
          if (batch.length === 1) {
            refused.set(only.productId, error.vendorMessage);
            continue;
          }
          queue.unshift([only]);
          continue;
        }
        const named = /\[(\d+)\]/.exec(error.vendorMessage);
        const index = named ? Number(named[1]) : -1;
        const culprit = rest.length === batch.length && index >= 0 && index < batch.length ? batch[index] : undefined;
        if (culprit) {
          refused.set(culprit.productId, error.vendorMessage);
          queue.unshift(rest.filter((b) => b !== culprit));
          continue;
        }
        const half = Math.ceil(rest.length / 2);
        queue.unshift(rest.slice(0, half), rest.slice(half));
      }
    }
    return refused;
  }

  // ---- the port -----------------------------------------------------------------------------------------

  const pos: PointOfSale = {
    capabilities,

    doctor: xSeriesDoctor(client),

    async listLocations(): Promise<PosLocation[]> {
      const outlets = await listAll(`${V2}/outlets`, outletPageSchema, { deleted: true });
      return outlets.map(toLocation);
    },

    async catalogChanges(cursor: string | null, pageSize: number): Promise<CatalogPage> {
      const path = `${V2}/products`;
      if (cursor !== null && !/^\d+$/.test(cursor)) {
        throw new AppError('INVALID_INPUT', `"${cursor}" is not an X-Series version cursor`);
      }
      const after = cursor === null ? 0 : Number(cursor);
      const size = Math.min(CATALOG_MAX_PAGE_SIZE, Math.max(1, Math.floor(pageSize)));
      const page = await get(path, productPageSchema, { after, page_size: size, deleted: true });
      const entries: PosCatalogEntry[] = [];
      const removedIds: string[] = [];
      for (const p of page.data) {
        if (p.deleted_at) removedIds.push(p.id);
        else entries.push(catalogEntry(p));
      }
      const next = nextCursor(page.data, page.version?.max, after);
      if (page.data.length > 0 && next <= after)
        throw broken(path, 'version.max', `the version cursor did not advance past ${after}`);
      // Only an empty page proves the present was reached: the API may cap page_size below the request.
      return { entries, removedIds, nextCursor: String(next), done: page.data.length === 0 };
    },

    async getCatalogEntries(ids: readonly string[]): Promise<CatalogRecheck> {
      const unique = [...new Set(ids)];
      const results = await mapLimit(unique, concurrency, async (productId) => {
        try {
          return await get(`${V2}/products/${encodeURIComponent(productId)}`, productReplySchema);
        } catch (error) {
          if (error instanceof RemoteRejected && error.status === 404) return null;
          throw error;
        }
      });
      const entries: PosCatalogEntry[] = [];
      const missingIds: string[] = [];
      unique.forEach((productId, i) => {
        const p = results[i];
        if (!p || p.deleted_at) missingIds.push(productId);
        else entries.push(catalogEntry(p));
      });
      return { entries, missingIds };
    },

    async findCatalogEntriesByGtin(gtin14s: readonly string[]): Promise<Record<string, PosCatalogEntry[]>> {
      const wanted = [...new Set(gtin14s)];
      const forms = wanted.flatMap((g) =>
        Object.values(gtinForms(g)).filter((f): f is string => typeof f === 'string'),
      );
      const out: Record<string, PosCatalogEntry[]> = {};
      for (const g of wanted) out[g] = [];
      if (forms.length === 0) return out;
      for (const p of await searchBySku(forms)) {
        const entry = catalogEntry(p);
        for (const g of entry.gtins) out[g]?.push(entry);
      }
      return out;
    },

    async findSupplier(query: SupplierQuery): Promise<PosSupplier[]> {
      const suppliers = await liveSuppliers();
      const marker = supplierMarker(query.sourceBrandId);
      const bySource = suppliers.filter((s) => (s.description ?? '').includes(marker));
      if (bySource.length > 0)
        return bySource.map((s) => ({ id: s.id, name: s.name, matchedBy: 'source_id' as const }));
      const name = normaliseName(query.name);
      return suppliers
        .filter((s) => normaliseName(s.name) === name)
        .map((s) => ({ id: s.id, name: s.name, matchedBy: 'name' as const }));
    },

    async listSuppliers() {
      const suppliers = await liveSuppliers();
      return suppliers.map((s) => ({ id: s.id, name: s.name, sourceBrandId: markedBrandId(s.description ?? '') }));
    },

    async createSupplier(spec: SupplierSpec): Promise<PosSupplier> {
      const name = spec.name.trim();
      const reply = await write(
        'POST',
        `${V2}/suppliers`,
        { name, description: `Wholesale brand, linked by Tradeloop ${supplierMarker(spec.sourceBrandId)}` },
        createdSupplierSchema,
      );
      return { id: typeof reply.data === 'string' ? reply.data : reply.data.id, name, matchedBy: 'created' };
    },

    findProductsByCorrelation: findProducts,

    storeCurrency,

    createProduct,

    async findPurchaseOrderByCorrelation(query: PurchaseOrderQuery): Promise<PosPurchaseOrder | null> {
      const all = await listAll(`${V2}/consignments`, consignmentListSchema, { type: 'SUPPLIER' });
      const matches = all.filter((c) => c.type === 'SUPPLIER' && !c.deleted_at && c.reference === query.correlationKey);
      if (matches.length === 0) return null;
      const first = matches.sort((a, b) => a.version - b.version)[0] as XConsignment;
      return toPurchaseOrder(first, poUrl(first.id));
    },

    async createPurchaseOrder(spec: PurchaseOrderSpec): Promise<PosPurchaseOrder> {
      const path = `${V2}/consignments`;
      await assertCurrency('POST', path, [spec.currency]);
      const created = await write(
        'POST',
        path,
        {
          type: 'SUPPLIER',
          status: 'OPEN',
          outlet_id: spec.locationId,
          supplier_id: spec.supplierId,
          name: poName(spec),
          reference: spec.correlationKey,
          due_at: dueAtOf(spec.shipWindow.end ?? spec.shipWindow.start),
        },
        consignmentReplySchema,
      );
      return toPurchaseOrder(created, poUrl(created.id));
    },

    async listPurchaseOrderLines(poId: string): Promise<PosPurchaseOrderLine[]> {
      const [currency, current] = await Promise.all([storeCurrency(), lines(poId)]);
      return current.map((l) => toPurchaseOrderLine(l, currency));
    },

    async addPurchaseOrderLines(
      poId: string,
      specs: readonly PurchaseOrderLineSpec[],
      options: AddLinesOptions = {},
    ): Promise<AddLineOutcome[]> {
      if (specs.length === 0) return [];
      const path = `${V2}/consignments/${poId}/bulk`;
      // On a step's first attempt the flow created this PO moments ago and sent none of these lines: the
      // reads (status, existing lines) only matter when resuming.
      const [po, currency, current] = await Promise.all([
        options.firstAttempt ? null : consignment(poId),
        storeCurrency(),
        options.firstAttempt ? [] : lines(poId),
      ]);
      if (po && (po.deleted_at || !['OPEN', 'SENT'].includes(po.status))) {
        throw refuse(
          'POST',
          path,
          `purchase order ${poId} is ${po.deleted_at ? 'deleted' : po.status} and takes no new lines`,
        );
      }
      const present = new Set(current.map((l) => l.product_id));
      const verdict = new Map<PurchaseOrderLineSpec, string | null>();
      const toSend = new Map<string, BulkItem>();
      for (const line of specs) {
        if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
          verdict.set(line, `quantity must be a whole number above 0, got ${line.quantity}`);
        } else if (currency !== null && line.unitCost.currency.toUpperCase() !== currency) {
          verdict.set(line, `the store keeps costs in ${currency}; this line is in ${line.unitCost.currency}`);
        } else if (present.has(line.posItemId)) {
          // Already on the PO (an earlier attempt got through): never sent again, counts accumulate.
          verdict.set(line, null);
        } else {
          const item = toSend.get(line.posItemId);
          if (item) item.count += line.quantity;
          else
            toSend.set(line.posItemId, {
              productId: line.posItemId,
              count: line.quantity,
              cost: toDecimalString(line.unitCost),
            });
        }
      }
      const refused = new Map<string, string>();
      for (const chunk of chunks([...toSend.values()], X_SERIES_BULK_LINE_LIMIT)) {
        for (const [productId, message] of await sendBulk(poId, chunk)) refused.set(productId, message);
      }
      return specs.map((line): AddLineOutcome => {
        const message = verdict.has(line) ? verdict.get(line) : refused.get(line.posItemId);
        return message === null || message === undefined
          ? { posItemId: line.posItemId, sourceLineKeys: line.sourceLineKeys, outcome: 'added' }
          : { posItemId: line.posItemId, sourceLineKeys: line.sourceLineKeys, outcome: 'rejected', message };
      });
    },

    async submitPurchaseOrder(poId: string, submit: SubmitOptions = {}): Promise<PosPurchaseOrder> {
      if ((options.submitStatus ?? 'OPEN') === 'OPEN') {
        // Left OPEN for the buyer to send from the POS: nothing to change, so nothing to ask.
        return { id: poId, number: '', url: poUrl(poId), status: 'OPEN', open: true };
      }
      // SENT. A first attempt follows the export's own line step: the consignment is OPEN, no read needed.
      const po = submit.firstAttempt ? null : await consignment(poId);
      if (po === null || (po.status === 'OPEN' && !po.deleted_at)) {
        // Setting a status is idempotent: safe to resend after a timeout.
        const sent = await write(
          'PUT',
          `${V2}/consignments/${encodeURIComponent(poId)}`,
          { status: 'SENT' },
          consignmentReplySchema,
          true,
        );
        return toPurchaseOrder(sent, poUrl(sent.id));
      }
      return toPurchaseOrder(po, poUrl(po.id));
    },

    updateMatchedItems: matchedItemUpdates({
      get,
      write,
      storeCurrency,
      concurrency,
      priceIncludesTax: options.retailPriceIncludesTax ?? false,
      mapLimit,
    }),
  };
  return pos;
}

function normaliseName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function nextCursor(
  items: ReadonlyArray<{ version?: number | null }>,
  max: number | null | undefined,
  after: number,
): number {
  if (typeof max === 'number' && max > after) return max;
  let best = after;
  for (const item of items) if (typeof item.version === 'number' && item.version > best) best = item.version;
  return best;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
