import { AppError } from '../../core/errors.ts';
import { gtinForms } from '../../core/gtin.ts';
import { parseMoney, toDecimalString, type Money } from '../../core/money.ts';
import { canonicalGtins, normaliseKeyPart, type PosCatalogEntry } from '../../core/pos-catalog.ts';
import type {
  AddLineOutcome,
  CatalogPage,
  CatalogRecheck,
  CreatedProduct,
  FoundProduct,
  NewProductSpec,
  NewVariantSpec,
  PointOfSale,
  PosCapabilities,
  PosLocation,
  PosPurchaseOrder,
  PosPurchaseOrderLine,
  PosSupplier,
  ProductCorrelationQuery,
  PurchaseOrderLineSpec,
  PurchaseOrderQuery,
  PurchaseOrderSpec,
  SupplierQuery,
  SupplierSpec,
  AddLinesOptions,
  SubmitOptions,
} from '../../core/ports/pos.ts';
import { RemoteContractBroken, RemoteRejected } from '../shared/errors.ts';
import type { QueryValue } from '../shared/http.ts';
import { systemClock, type Clock } from '../shared/rate-governor.ts';
import { LIGHTSPEED_R_VENDOR, type RSeriesClient } from './client.ts';
import { rSeriesDoctor } from './doctor.ts';
import {
  attributeSetPage,
  itemPage,
  manufacturerPage,
  matrixPage,
  oneItem,
  oneManufacturer,
  oneMatrix,
  oneOrder,
  oneOrderLine,
  oneVendor,
  orderLinePage,
  orderPage,
  shopPage,
  vendorPage,
  type RAttributeSet,
  type RItem,
  type ROrder,
  type ROrderLine,
  type RVendor,
} from './schemas.ts';

/**
 * The PointOfSale port on Lightspeed Retail R-Series (reference: shared/reference/lightspeed-r-series.md).
 *
 * Correlation keys (DESIGN "No duplicates"), each written where the matching find can query it:
 * - variant → `Item.customSku` (`customSku=IN,[…]`), the key that reads as style-color-size (the "Custom SKU"
 *   staff see). `manufacturerSku` and the ItemVendorNum carry the brand's style number, as Lightspeed's own
 *   NuORDER import does (§8).
 * - product → the matrix is found through its items' `itemMatrixID`. An ItemMatrix has no field for a key,
 *   so one whose create reply was lost before any item exists is found as the one matrix with exactly the
 *   product's description and no items (the query carries name and color). No tag is written, so no write
 *   is spent removing one.
 * - supplier → `Vendor.b2bSellerUID` = the brand's source id, or the name: one `or=` query for both.
 * - purchase order → `Order.refNum` = the key, plus `b2bOrderUID` / `b2bOrderNumber` (§8).
 *
 * Change feed: `Item.json?sort=timeStamp&timeStamp=>=,{cursor}` with archived items; see `SETTLE_MS` for
 * when the tied items need no re-read (`>`).
 *
 * Items are created active: R-Series has no draft state (an item is live or archived, and archiving via
 * DELETE zeroes stock, §2.2), so new items are created with `publishToEcom: false` instead.
 * Creates are never retried here: a lost reply throws RemoteUnavailable and the flow runs the find.
 */

export interface LightspeedRPosOptions {
  /** The account's currency: R-Series keeps PO costs in it. A PO in another currency is refused. Default USD. */
  currency?: string;
  /**
   * A link to one PO in the back office, `{orderID}` replaced. Default: the R-Series web app's PO page
   * (`https://us.merchantos.com/?name=purchase_order.views.purchase_order&form_name=view&id={orderID}`, [I]).
   */
  purchaseOrderUrl?: string;
  clock?: Clock;
}

const PAGE_MAX = 100;
const IN_MAX = 100;

const inList = (values: readonly string[]): string => `IN,[${values.join(',')}]`;

function chunk<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** R-Series accepts an 11-digit upc: a UPC-A whose leading zero was dropped. */
function barcodeForms(code: string): string {
  return /^\d{11}$/.test(code) ? `0${code}` : code;
}

export function toCatalogEntry(item: RItem): PosCatalogEntry {
  const numericSku = /^\d+$/.test(item.customSku) ? item.customSku : null;
  return {
    posItemId: item.itemID,
    parentId: item.itemMatrixID === '0' ? null : item.itemMatrixID,
    gtins: canonicalGtins([barcodeForms(item.upc), barcodeForms(item.ean), numericSku]),
    sku: item.customSku !== '' ? item.customSku : item.systemSku !== '' ? item.systemSku : null,
    name: item.description,
    archived: item.archived,
    version: item.timeStamp,
  };
}

/** Every written form of a GTIN-14 an R-Series code field may hold (14, 13, 12, 11 and 8 digits). */
function searchForms(gtin14: string): string[] {
  const f = gtinForms(gtin14);
  const forms = [f.gtin14, f.ean13, f.upcA, f.upcA?.startsWith('0') ? f.upcA.slice(1) : undefined, f.gtin8];
  return [...new Set(forms.filter((x): x is string => x !== undefined))];
}

/** `2026-03-01` → `2026-03-01T00:00:00+00:00`; other ISO date-times pass through in UTC. */
function lsDateTime(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return `${text}T00:00:00+00:00`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return text;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

interface Cursor {
  /** Items with a timeStamp at or after this are (re)read. Null: the start of time. */
  ts: string | null;
  /**
   * Every item stamped `ts` or earlier has been read: the read that ended at `ts` happened, by the
   * server's clock, `SETTLE_MS` or more after that second. The next poll asks for later stamps only.
   */
  settled?: true;
  /** Mid-pass: the `@attributes.next` URL to follow as-is. */
  next?: string;
}

/**
 * R-Series timeStamps have one-second resolution, so a poll must re-read the items tied with its cursor:
 * one written later in that same second carries the same stamp. That re-read costs a page per hundred
 * ties (an export creates hundreds of items a second). Once the server's clock (its `Date` header) is
 * this far past the cursor's second, no write can still receive that stamp, and the ties need no re-read.
 */
const SETTLE_MS = 2_000;

function decodeCursor(cursor: string | null): Cursor {
  if (cursor === null || cursor === '') return { ts: null };
  try {
    const parsed = JSON.parse(cursor) as unknown;
    if (parsed && typeof parsed === 'object') {
      const c = parsed as Record<string, unknown>;
      const ts = typeof c.ts === 'string' ? c.ts : null;
      const next = typeof c.next === 'string' && c.next !== '' ? c.next : undefined;
      return {
        ts,
        ...(c.settled === true && ts !== null ? { settled: true as const } : {}),
        ...(next === undefined ? {} : { next }),
      };
    }
  } catch {
    // fall through
  }
  throw new AppError('POS_CURSOR_INVALID', `not an R-Series catalog cursor: ${cursor.slice(0, 80)}`);
}

function productBase(spec: Pick<NewProductSpec, 'name' | 'color'>): string {
  const name = spec.name.trim();
  const color = spec.color.trim();
  if (color === '' || name.toLowerCase().includes(color.toLowerCase())) return name;
  return `${name} ${color}`;
}

export function createLightspeedRPos(client: RSeriesClient, options: LightspeedRPosOptions = {}): PointOfSale {
  const currency = (options.currency ?? 'USD').toUpperCase();
  const clock = options.clock ?? systemClock;
  const poUrlTemplate =
    options.purchaseOrderUrl ??
    'https://us.merchantos.com/?name=purchase_order.views.purchase_order&form_name=view&id={orderID}';
  let attributeSets: Promise<RAttributeSet[]> | undefined;
  const manufacturers = new Map<string, string>();

  const capabilities: PosCapabilities = {
    system: 'lightspeed-r',
    bulkLineLimit: 1,
    addsVariantsToExistingParent: true,
  };

  const refuse = (message: string, status = 422): RemoteRejected =>
    new RemoteRejected({ vendor: LIGHTSPEED_R_VENDOR, status, vendorMessage: message });

  const money = (decimal: string, field: string): Money => {
    const parsed = parseMoney(decimal, currency, { rounding: 'half_up' });
    if (!parsed.ok)
      throw new RemoteContractBroken({ vendor: LIGHTSPEED_R_VENDOR, fieldPath: field, problem: parsed.error.message });
    return parsed.value;
  };

  const amount = (m: Money): string => {
    if (m.currency !== currency) throw refuse(`amounts must be in the account currency ${currency}, got ${m.currency}`);
    return toDecimalString(m);
  };

  // ---- items ----------------------------------------------------------------------------------------

  async function itemsWhere(query: Record<string, QueryValue>): Promise<RItem[]> {
    return client.list('Item.json', { limit: PAGE_MAX, ...query }, itemPage);
  }

  async function getAttributeSets(): Promise<RAttributeSet[]> {
    attributeSets ??= client
      .list('ItemAttributeSet.json', { limit: PAGE_MAX }, attributeSetPage)
      .catch((error: unknown) => {
        attributeSets = undefined;
        throw error;
      });
    return attributeSets;
  }

  /** Color → attribute1, size → attribute2 (the "Size" system set keeps size in attribute2, §2.4). */
  async function attributeSetFor(hasColor: boolean, hasSize: boolean): Promise<string> {
    const sets = await getAttributeSets();
    const norm = (s: string): string => s.trim().toLowerCase();
    const find = (a1: string, a2: string, fallback: string): string =>
      sets.find((s) => norm(s.attributeName1) === a1 && norm(s.attributeName2) === a2 && norm(s.attributeName3) === '')
        ?.itemAttributeSetID ?? fallback;
    if (hasColor && !hasSize) return find('color', '', '3');
    if (!hasColor && hasSize) return find('', 'size', '2');
    return find('color', 'size', '1');
  }

  async function manufacturerFor(brandName: string): Promise<string | undefined> {
    const name = brandName.trim();
    if (name === '') return undefined;
    const key = normaliseKeyPart(name);
    const cached = manufacturers.get(key);
    if (cached !== undefined) return cached;
    const found = (await client.list('Manufacturer.json', { name: `~,${name}`, limit: PAGE_MAX }, manufacturerPage))
      .filter((m) => normaliseKeyPart(m.name) === key)
      .sort((a, b) => Number(a.manufacturerID) - Number(b.manufacturerID))[0];
    // A lost create reply leaves a manufacturer that the next attempt finds by name: no duplicate.
    const id =
      found?.manufacturerID ??
      (await client.request({ method: 'POST', path: 'Manufacturer.json', body: { name }, schema: oneManufacturer }))
        .manufacturerID;
    manufacturers.set(key, id);
    return id;
  }

  // ---- purchase orders --------------------------------------------------------------------------------

  function statusOf(order: ROrder, hasReceipts = false): { status: string; open: boolean } {
    if (order.archived) return { status: 'archived', open: false };
    if (order.complete) return { status: 'finished', open: false };
    if (order.receivedDate !== undefined || hasReceipts) return { status: 'check_in', open: false };
    if (order.orderedDate !== undefined) return { status: 'ordered', open: true };
    return { status: 'open', open: true };
  }

  function toPurchaseOrder(order: ROrder): PosPurchaseOrder {
    return {
      id: order.orderID,
      number: order.orderID,
      url: poUrlTemplate.replace('{orderID}', encodeURIComponent(order.orderID)),
      ...statusOf(order),
    };
  }

  async function linesOf(orderId: string): Promise<ROrderLine[]> {
    if (!/^\d+$/.test(orderId)) throw refuse(`not an R-Series order id: ${orderId}`, 404);
    return client.list('OrderLine.json', { orderID: orderId, limit: PAGE_MAX, sort: 'orderLineID' }, orderLinePage);
  }

  /** Whether this account answers the combined vendor query (`or=`); unknown until first asked. */
  let vendorOrWorks: boolean | undefined;

  // ---- the port ---------------------------------------------------------------------------------------

  const port: PointOfSale = {
    capabilities,

    async storeCurrency(): Promise<string | null> {
      // R-Series does not say (no currency on Account or Shop, §4): only a currency the connection was
      // configured with is known. The USD default above is an assumption, not the store's word.
      return options.currency ? currency : null;
    },

    async listLocations(): Promise<PosLocation[]> {
      const shops = await client.list('Shop.json', { archived: 'true', limit: PAGE_MAX }, shopPage);
      // [I] A Shop has no currency field (§4); the account's currency is configured on the connection.
      return shops.map((s) => ({ id: s.shopID, name: s.name, currency: null, archived: s.archived }));
    },

    async catalogChanges(cursor, pageSize): Promise<CatalogPage> {
      const position = decodeCursor(cursor);
      const limit = Math.max(1, Math.min(PAGE_MAX, Math.trunc(pageSize) || PAGE_MAX));
      const reply =
        position.next !== undefined
          ? await client.send({ path: position.next, schema: itemPage })
          : await client.send({
              path: 'Item.json',
              query: {
                archived: 'true',
                sort: 'timeStamp',
                limit,
                // `>=` re-reads items tied with an unsettled cursor: none is skipped (the mirror upserts).
                ...(position.ts !== null ? { timeStamp: `${position.settled ? '>' : '>='},${position.ts}` } : {}),
              },
              schema: itemPage,
            });
      const page = reply.data;
      const entries = page.items.map(toCatalogEntry);
      const last = page.items[page.items.length - 1]?.timeStamp ?? position.ts;
      if (page.next !== '' && page.items.length > 0) {
        return { entries, removedIds: [], nextCursor: JSON.stringify({ ts: last, next: page.next }), done: false };
      }
      const serverNow = Date.parse(reply.headers.get('date') ?? '');
      const lastMs = last === null ? Number.NaN : Date.parse(last);
      const settled =
        (position.settled === true && last === position.ts) ||
        (Number.isFinite(serverNow) && Number.isFinite(lastMs) && serverNow - lastMs >= SETTLE_MS);
      return {
        entries,
        removedIds: [],
        nextCursor: JSON.stringify(settled ? { ts: last, settled: true } : { ts: last }),
        done: true,
      };
    },

    async getCatalogEntries(ids): Promise<CatalogRecheck> {
      const wanted = [...new Set(ids)];
      const numeric = wanted.filter((id) => /^\d+$/.test(id));
      const found = new Map<string, PosCatalogEntry>();
      for (const part of chunk(numeric, IN_MAX)) {
        for (const item of await itemsWhere({ itemID: inList(part), archived: 'true' }))
          found.set(item.itemID, toCatalogEntry(item));
      }
      return {
        entries: wanted.flatMap((id) => found.get(id) ?? []),
        missingIds: wanted.filter((id) => !found.has(id)),
      };
    },

    async findCatalogEntriesByGtin(gtin14s): Promise<Record<string, PosCatalogEntry[]>> {
      const result: Record<string, PosCatalogEntry[]> = {};
      const wanted = [...new Set(gtin14s)];
      for (const g of wanted) result[g] = [];
      // Pack the written forms of as many GTINs as fit in one IN list (≤ 100 values).
      const batches: string[][] = [];
      let current: string[] = [];
      for (const g of wanted) {
        const forms = searchForms(g);
        if (current.length + forms.length > IN_MAX) {
          batches.push(current);
          current = [];
        }
        current.push(...forms);
      }
      if (current.length > 0) batches.push(current);
      const byId = new Map<string, PosCatalogEntry>();
      for (const forms of batches) {
        for (const field of ['upc', 'ean', 'customSku']) {
          for (const item of await itemsWhere({ [field]: inList(forms), archived: 'true' }))
            byId.set(item.itemID, toCatalogEntry(item));
        }
      }
      for (const entry of [...byId.values()].sort((a, b) => Number(a.posItemId) - Number(b.posItemId))) {
        for (const g of entry.gtins) result[g]?.push(entry);
      }
      return result;
    },

    async findSupplier(query: SupplierQuery): Promise<PosSupplier[]> {
      const sourceId = query.sourceBrandId.trim();
      const name = query.name.trim();
      const byName = name === '' ? undefined : `~,%${name}%`;
      // One request asks for both (§2.3 `or=`, +1 drip per operand): the vendor linked to the brand, and
      // the vendors of that name. A `|` inside a value would split the `or=`, so such a value is asked alone.
      const separately = async (): Promise<RVendor[]> => [
        ...(sourceId === ''
          ? []
          : await client.list('Vendor.json', { b2bSellerUID: sourceId, limit: PAGE_MAX }, vendorPage)),
        ...(byName === undefined
          ? []
          : await client.list('Vendor.json', { name: byName, limit: PAGE_MAX }, vendorPage)),
      ];
      let asked: RVendor[];
      if (sourceId !== '' && byName !== undefined && !`${sourceId}${name}`.includes('|') && vendorOrWorks !== false) {
        try {
          asked = await client.list(
            'Vendor.json',
            { or: `b2bSellerUID=${sourceId}|name=${byName}`, limit: PAGE_MAX },
            vendorPage,
          );
          vendorOrWorks = true;
        } catch (error) {
          // `or=` over these two fields is inferred, not documented: refused once, this account is asked
          // the documented way from then on.
          if (!(error instanceof RemoteRejected && error.status === 400 && vendorOrWorks === undefined)) throw error;
          vendorOrWorks = false;
          asked = await separately();
        }
      } else {
        asked = await separately();
      }
      const candidates = [...new Map(asked.map((v) => [v.vendorID, v])).values()];
      if (sourceId !== '') {
        const exact = candidates.filter((v) => v.b2bSellerUID === sourceId && !v.archived);
        if (exact.length > 0)
          return exact.map((v) => ({ id: v.vendorID, name: v.name, matchedBy: 'source_id' as const }));
      }
      if (name === '') return [];
      const key = normaliseKeyPart(name);
      return (
        candidates
          .filter((v: RVendor) => !v.archived && normaliseKeyPart(v.name) === key)
          // A vendor linked to another NuORDER brand is not this brand's.
          .filter((v) => v.b2bSellerUID === '' || v.b2bSellerUID === sourceId)
          .map((v) => ({ id: v.vendorID, name: v.name, matchedBy: 'name' as const }))
      );
    },

    async createSupplier(spec: SupplierSpec): Promise<PosSupplier> {
      // [I] Vendor.purchasingCurrency is not documented as writable; the account currency applies.
      const vendor = await client.request({
        method: 'POST',
        path: 'Vendor.json',
        body: { name: spec.name.trim(), b2bSellerUID: spec.sourceBrandId },
        schema: oneVendor,
      });
      return { id: vendor.vendorID, name: vendor.name, matchedBy: 'created' };
    },

    async findProductsByCorrelation(queries: readonly ProductCorrelationQuery[]): Promise<FoundProduct[]> {
      const variantKeys = [...new Set(queries.flatMap((q) => q.variants.map((v) => v.correlationKey.toLowerCase())))];
      const itemsByKey = new Map<string, RItem[]>();
      for (const part of chunk(variantKeys, IN_MAX)) {
        for (const item of await itemsWhere({ customSku: inList(part) })) {
          const key = item.customSku.toLowerCase();
          itemsByKey.set(key, [...(itemsByKey.get(key) ?? []), item]);
        }
      }
      const out: FoundProduct[] = [];
      const needMatrix: ProductCorrelationQuery[] = [];
      for (const q of queries) {
        const variantIds: Record<string, string> = {};
        const parents = new Map<string, number>();
        for (const v of q.variants) {
          // Lowest id first: the original, should a person have copied the SKU.
          const item = (itemsByKey.get(v.correlationKey.toLowerCase()) ?? []).sort(
            (a, b) => Number(a.itemID) - Number(b.itemID),
          )[0];
          if (!item) continue;
          variantIds[v.variantKey] = item.itemID;
          if (item.itemMatrixID !== '0') parents.set(item.itemMatrixID, (parents.get(item.itemMatrixID) ?? 0) + 1);
        }
        const parentId =
          [...parents.entries()].sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]))[0]?.[0] ?? null;
        if (parentId === null) needMatrix.push(q);
        if (parentId !== null || Object.keys(variantIds).length > 0)
          out.push({ correlationKey: q.correlationKey, parentId, variantIds });
      }
      // A matrix whose create reply was lost has no item yet, and ItemMatrix has no field for our key: it is
      // recognised as the one matrix with exactly this description and no items (the newest, should there be
      // several). A merchant's own empty matrix of the same name would be adopted — harmless, it is empty.
      for (const q of needMatrix) {
        if (!q.name) continue;
        const description = productBase({ name: q.name, color: q.color ?? '' });
        const matrices = await client.list('ItemMatrix.json', { description, limit: PAGE_MAX }, matrixPage);
        const exact = matrices.filter((m) => m.description === description).map((m) => m.itemMatrixID);
        if (exact.length === 0) continue;
        const withItems = new Set(
          (await itemsWhere({ itemMatrixID: inList(exact.slice(0, IN_MAX)) })).map((i) => i.itemMatrixID),
        );
        const empty = exact.filter((id) => !withItems.has(id)).sort((a, b) => Number(b) - Number(a))[0];
        if (!empty) continue;
        const existing = out.find((f) => f.correlationKey === q.correlationKey);
        if (existing) existing.parentId = empty;
        else out.push({ correlationKey: q.correlationKey, parentId: empty, variantIds: {} });
      }
      return out;
    },

    async createProduct(spec: NewProductSpec): Promise<CreatedProduct> {
      const base = productBase(spec);
      if (base === '') throw refuse('a product needs a name');
      const color = spec.color.trim();
      const hasSize = spec.variants.some((v) => v.size.trim() !== '');
      const setId = await attributeSetFor(color !== '', hasSize);
      const manufacturerID = await manufacturerFor(spec.brandName);
      const first = spec.variants[0];

      let matrixId: string;
      if (spec.existingParentId !== null) {
        // An existing family (the merchant's, or ours from an earlier attempt): add the items to it.
        if (!/^\d+$/.test(spec.existingParentId))
          throw refuse(`not an R-Series matrix id: ${spec.existingParentId}`, 404);
        matrixId = spec.existingParentId;
      } else {
        const matrix = await client.request({
          method: 'POST',
          path: 'ItemMatrix.json',
          body: {
            description: base,
            itemAttributeSetID: setId,
            defaultVendorID: spec.supplierId,
            ...(manufacturerID !== undefined ? { manufacturerID } : {}),
            ...(first ? { defaultCost: amount(first.cost) } : {}),
            ...(first?.retail ? { Prices: prices(first.retail) } : {}),
          },
          schema: oneMatrix,
        });
        matrixId = matrix.itemMatrixID;
      }

      const variantIds: Record<string, string> = {};
      for (const variant of spec.variants) {
        const item = await client.request({
          method: 'POST',
          path: 'Item.json',
          body: itemBody(spec, variant, { matrixId, setId, manufacturerID, color, base }),
          schema: oneItem,
        });
        variantIds[variant.variantKey] = item.itemID;
      }
      return { parentId: matrixId, variantIds };

      function prices(retail: Money): { ItemPrice: Array<{ amount: string; useTypeID: string; useType: string }> } {
        // §8: MSRP → Default, MSRP and Online price levels.
        const a = amount(retail);
        return {
          ItemPrice: [
            { amount: a, useTypeID: '1', useType: 'Default' },
            { amount: a, useTypeID: '2', useType: 'MSRP' },
            { amount: a, useTypeID: '3', useType: 'Online' },
          ],
        };
      }

      function itemBody(
        s: NewProductSpec,
        v: NewVariantSpec,
        ctx: { matrixId: string; setId: string; manufacturerID: string | undefined; color: string; base: string },
      ): Record<string, unknown> {
        const size = v.size.trim();
        const raw = (v.upc ?? '').replace(/[\s-]+/g, '');
        // upc must be 11–14 digits (§2.1): the brand's form when it fits, else the GTIN-14.
        const upc = /^\d{11,14}$/.test(raw) ? raw : (v.gtin14 ?? '');
        const attributes =
          ctx.setId === '2' || (ctx.color === '' && size !== '')
            ? { attribute1: '', attribute2: size }
            : { attribute1: ctx.color, attribute2: size };
        return {
          description: [ctx.base, size].filter((p) => p !== '').join(' '),
          itemMatrixID: ctx.matrixId,
          customSku: v.correlationKey,
          manufacturerSku: s.styleNumber,
          upc,
          defaultCost: amount(v.cost),
          defaultVendorID: s.supplierId,
          ...(ctx.manufacturerID !== undefined ? { manufacturerID: ctx.manufacturerID } : {}),
          publishToEcom: 'false',
          ItemAttributes: { itemAttributeSetID: ctx.setId, ...attributes, attribute3: '' },
          ...(v.retail ? { Prices: prices(v.retail) } : {}),
          // §8: the brand's product id → Vendor ID (ItemVendorNum).
          ItemVendorNums: { ItemVendorNum: [{ vendorID: s.supplierId, value: s.styleNumber, cost: amount(v.cost) }] },
        };
      }
    },

    async findPurchaseOrderByCorrelation(query: PurchaseOrderQuery): Promise<PosPurchaseOrder | null> {
      const orders = await client.list(
        'Order.json',
        { refNum: query.correlationKey, archived: 'true', limit: PAGE_MAX },
        orderPage,
      );
      const mine = orders.filter((o) => o.refNum.toLowerCase() === query.correlationKey.toLowerCase());
      // A live one before an archived one; the oldest of those (the first create).
      const best = mine.sort(
        (a, b) => Number(a.archived) - Number(b.archived) || Number(a.orderID) - Number(b.orderID),
      )[0];
      return best ? toPurchaseOrder(best) : null;
    },

    async createPurchaseOrder(spec: PurchaseOrderSpec): Promise<PosPurchaseOrder> {
      if (spec.currency.toUpperCase() !== currency) {
        throw refuse(`this R-Series account keeps purchase orders in ${currency}; the order is in ${spec.currency}`);
      }
      const window = [spec.shipWindow.start, spec.shipWindow.end].map((d) => d ?? '?');
      const note = [spec.name, spec.notes]
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .join('\n\n');
      const order = await client.request({
        method: 'POST',
        path: 'Order.json',
        body: {
          shopID: spec.locationId,
          vendorID: spec.supplierId,
          refNum: spec.correlationKey,
          b2bOrderUID: spec.sourceOrderId,
          b2bOrderNumber: spec.orderNumber,
          ...(spec.shipWindow.end !== null ? { arrivalDate: lsDateTime(spec.shipWindow.end) } : {}),
          ...(spec.shipWindow.start !== null || spec.shipWindow.end !== null
            ? { shipInstructions: `Ship window ${window[0]} – ${window[1]}` }
            : {}),
          ...(note !== '' ? { Note: { note } } : {}),
        },
        schema: oneOrder,
      });
      return toPurchaseOrder(order);
    },

    async listPurchaseOrderLines(poId: string): Promise<PosPurchaseOrderLine[]> {
      return (await linesOf(poId)).map((line, index) => ({
        posItemId: line.itemID,
        quantity: line.quantity,
        unitCost: money(line.price, `OrderLine[${index}].price`),
        received: line.checkedIn + line.numReceived,
      }));
    },

    async addPurchaseOrderLines(
      poId: string,
      lines: readonly PurchaseOrderLineSpec[],
      options: AddLinesOptions = {},
    ): Promise<AddLineOutcome[]> {
      // Never add an item twice: read what the PO holds first (a lost reply may have added it), unless the
      // flow's records show this is the first attempt at these lines.
      const present = new Set(options.firstAttempt ? [] : (await linesOf(poId)).map((l) => l.itemID));
      const out: AddLineOutcome[] = [];
      for (const line of lines) {
        const base = { posItemId: line.posItemId, sourceLineKeys: line.sourceLineKeys };
        if (present.has(line.posItemId)) {
          out.push({ ...base, outcome: 'added' });
          continue;
        }
        if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
          out.push({
            ...base,
            outcome: 'rejected',
            message: `quantity must be a whole number above 0, got ${line.quantity}`,
          });
          continue;
        }
        if (line.unitCost.currency !== currency) {
          out.push({
            ...base,
            outcome: 'rejected',
            message: `unit cost is in ${line.unitCost.currency}, the account keeps ${currency}`,
          });
          continue;
        }
        const cost = toDecimalString(line.unitCost);
        try {
          await client.request({
            method: 'POST',
            path: 'OrderLine.json',
            body: { orderID: poId, itemID: line.posItemId, quantity: line.quantity, price: cost, originalPrice: cost },
            schema: oneOrderLine,
          });
          present.add(line.posItemId);
          out.push({ ...base, outcome: 'added' });
        } catch (error) {
          // A 400/422 refuses this line only (bad item, bad value); anything else concerns the whole PO.
          if (error instanceof RemoteRejected && (error.status === 400 || error.status === 422)) {
            out.push({ ...base, outcome: 'rejected', message: error.vendorMessage });
            continue;
          }
          throw error;
        }
      }
      return out;
    },

    async submitPurchaseOrder(poId: string, options: SubmitOptions = {}): Promise<PosPurchaseOrder> {
      if (!/^\d+$/.test(poId)) throw refuse(`not an R-Series order id: ${poId}`, 404);
      // A first attempt right after adding the lines: the PO is ours, has lines and was never marked
      // ordered, so the two reads below would only confirm it.
      if (!options.firstAttempt) {
        const order = await client.request({ path: `Order/${poId}.json`, schema: oneOrder });
        // Idempotent: already Ordered (or further along) → nothing to do.
        if (order.orderedDate !== undefined || order.archived || order.complete || order.receivedDate !== undefined)
          return toPurchaseOrder(order);
        // §3.1: orderedDate only makes the PO "Ordered" once it has a line.
        const lines = await client.request({
          path: 'OrderLine.json',
          query: { orderID: poId, limit: 1 },
          schema: orderLinePage,
        });
        if (lines.items.length === 0)
          throw refuse(`purchase order ${poId} has no lines yet; R-Series marks only a PO with lines as ordered`);
      }
      const updated = await client.request({
        method: 'PUT',
        path: `Order/${poId}.json`,
        body: { orderedDate: lsDateTime(new Date(clock.now()).toISOString()) },
        schema: oneOrder,
      });
      if (updated.orderedDate === undefined) throw refuse(`R-Series did not mark purchase order ${poId} as ordered`);
      return toPurchaseOrder(updated);
    },
  };
  // Read-only probes of every read above (tradeloop doctor), through this same port, client and schemas.
  port.doctor = rSeriesDoctor(client, port);
  return port;
}
