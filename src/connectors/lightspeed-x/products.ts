/**
 * X-Series products Tradeloop creates, and their finds (§2.2–2.4): a new family by POST /api/2.0/products with
 * `variants[]`, new sizes of a family already in the store by POST /api/2.1/products, one each. Correlation keys
 * as pos.ts describes them: the family's `source_id` and `handle`, each variant's SKU (also a CUSTOM code).
 */
import { AppError } from '../../core/errors.ts';
import { gtinForms, parseGtin } from '../../core/gtin.ts';
import { toDecimalString, type Money } from '../../core/money.ts';
import type {
  CreatedProduct,
  FoundProduct,
  NewProductSpec,
  NewVariantSpec,
  ProductCorrelationQuery,
} from '../../core/ports/pos.ts';
import { RemoteRejected, type RemoteContractBroken } from '../shared/errors.ts';
import type { QueryValue } from '../shared/http.ts';
import type { z } from 'zod';
import { draftMarker, familyIdOf, isArchived } from './map.ts';
import {
  addedVariantReplySchema,
  brandPageSchema,
  createdBrandSchema,
  createdIdsSchema,
  productPageSchema,
  searchProductsSchema,
  variantAttributeListSchema,
  variantAttributeReplySchema,
  type XProduct,
} from './schemas.ts';

const V2 = '/api/2.0';
/** §2.3: 2.1 "Add Single Variant". */
const ADD_VARIANT = '/api/2.1/products';
/** §2.4: search pages with offset + page_size (max 1000). */
const SEARCH_PAGE_SIZE = 1000;
/** Repeated `sku=` parameters per search request (keeps the URL well under 8 KB). */
const SKUS_PER_SEARCH = 40;

type Schema = z.ZodType;

/** What product creation needs from the port: its requests and the store facts it caches. */
export interface ProductDeps {
  get<S extends Schema>(path: string, schema: S, query?: Record<string, QueryValue>): Promise<z.output<S>>;
  write<S extends Schema>(method: string, path: string, body: unknown, schema: S): Promise<z.output<S>>;
  listAll<T extends { version?: number | null }>(
    path: string,
    schema: z.ZodType<{ data: T[]; version?: { max?: number | null } | null }>,
  ): Promise<T[]>;
  assertCurrency(method: string, path: string, currencies: Iterable<string>): Promise<void>;
  broken(path: string, fieldPath: string, problem: string, method?: string): RemoteContractBroken;
  retailPriceIncludesTax: boolean;
  /** Add new sizes to the family the plan names (`existingParentId`) rather than make another family. */
  addsToExistingFamilies: boolean;
}

interface Attributes {
  color: string;
  size: string;
}

export function xSeriesProducts(deps: ProductDeps) {
  const { get, write, listAll, assertCurrency, broken } = deps;

  const attributeIds = new Map<string, Promise<string>>();
  /** The id of a variant attribute (Color, Size), created when the store has none by that name (§2.2). */
  function variantAttribute(name: string): Promise<string> {
    const key = name.toLowerCase();
    let pending = attributeIds.get(key);
    if (pending === undefined) {
      pending = (async () => {
        const find = async (): Promise<string | undefined> =>
          (await get(`${V2}/variant_attributes`, variantAttributeListSchema)).data.find(
            (a) => !a.deleted_at && a.name.trim().toLowerCase() === key,
          )?.id;
        const existing = await find();
        if (existing) return existing;
        try {
          return (await write('POST', `${V2}/variant_attributes`, { name }, variantAttributeReplySchema)).data.id;
        } catch (error) {
          // Someone else created it meanwhile (422 "already exists"), or the reply was lost: look again.
          const again = await find().catch(() => undefined);
          if (again) return again;
          throw error;
        }
      })();
      attributeIds.set(key, pending);
      pending.catch(() => attributeIds.delete(key));
    }
    return pending;
  }

  const brandIds = new Map<string, Promise<string>>();
  /** The brand of that name (case-insensitive), created when missing. The name is its natural key. */
  function brandId(name: string): Promise<string> {
    const key = name.trim().toLowerCase();
    let pending = brandIds.get(key);
    if (pending === undefined) {
      pending = (async () => {
        const find = async (): Promise<string | undefined> =>
          (await listAll(`${V2}/brands`, brandPageSchema)).find(
            (b) => !b.deleted_at && b.name.trim().toLowerCase() === key,
          )?.id;
        const existing = await find();
        if (existing) return existing;
        try {
          const reply = await write('POST', `${V2}/brands`, { name: name.trim() }, createdBrandSchema);
          return typeof reply.data === 'string' ? reply.data : reply.data.id;
        } catch (error) {
          const again = await find().catch(() => undefined);
          if (again) return again;
          throw error;
        }
      })();
      brandIds.set(key, pending);
      pending.catch(() => brandIds.delete(key));
    }
    return pending;
  }

  /** Products whose SKU or product codes equal any of `codes` (deleted ones excluded), via /search (§2.4). */
  async function searchBySku(codes: readonly string[]): Promise<XProduct[]> {
    const unique = [...new Set(codes.map((c) => c.toLowerCase()))];
    const byId = new Map<string, XProduct>();
    for (const chunk of chunks(unique, SKUS_PER_SEARCH)) {
      for (let offset = 0; ; offset += SEARCH_PAGE_SIZE) {
        const page = await get(`${V2}/search`, searchProductsSchema, {
          type: 'products',
          sku: chunk,
          page_size: SEARCH_PAGE_SIZE,
          offset,
        });
        for (const p of page.data) if (!p.deleted_at) byId.set(p.id, p);
        if (page.data.length < SEARCH_PAGE_SIZE) break;
      }
    }
    return [...byId.values()];
  }

  const codesOf = (p: XProduct): string[] =>
    [p.sku ?? '', ...(p.product_codes ?? []).map((c) => c.code)].map((c) => c.toLowerCase());

  function barcodeCode(v: NewVariantSpec): { type: string; code: string } | null {
    const written = parseGtin(v.upc);
    const gtin14 = written.ok ? written.gtin14 : v.gtin14;
    if (gtin14 === null) return null;
    if (written.ok && v.upc !== null) {
      const code = v.upc.replace(/[\s-]+/g, '');
      return { type: code.length === 12 ? 'UPC' : code.length === 14 ? 'ITF' : 'EAN', code };
    }
    const forms = gtinForms(gtin14);
    if (forms.upcA) return { type: 'UPC', code: forms.upcA };
    if (forms.ean13) return { type: 'EAN', code: forms.ean13 };
    return { type: 'ITF', code: gtin14 };
  }

  const amount = (m: Money): number => Number(toDecimalString(m));

  function priceFields(retail: Money | null): Record<string, number> {
    if (retail === null) return {};
    return deps.retailPriceIncludesTax
      ? { price_including_tax: amount(retail) }
      : { price_excluding_tax: amount(retail) };
  }

  function describe(spec: NewProductSpec): string {
    const parts = [`${spec.brandName} style ${spec.styleNumber}, ${spec.color}`];
    if (spec.season) parts.push(`Season: ${spec.season}`);
    if (spec.category) parts.push(`Category: ${spec.category}`);
    return parts.join('. ');
  }

  async function createFamily(spec: NewProductSpec): Promise<CreatedProduct> {
    const path = `${V2}/products`;
    if (spec.variants.length === 0)
      throw new AppError('INVALID_INPUT', `product ${spec.correlationKey} has no variants`);
    await assertCurrency(
      'POST',
      path,
      spec.variants.flatMap((v) => [v.cost.currency, ...(v.retail ? [v.retail.currency] : [])]),
    );
    const [colorId, sizeId, brand] = await Promise.all([
      variantAttribute('Color'),
      variantAttribute('Size'),
      spec.brandName.trim() ? brandId(spec.brandName) : Promise.resolve(null),
    ]);
    const body = {
      name: spec.name,
      handle: spec.correlationKey.replace(/-/g, ''),
      description: describe(spec),
      source_id: spec.correlationKey,
      // The draft marker goes where ProductCreateBody has the field (top level). `variants[]` items
      // (ProductAddVariantPayload) have none, so the real API may drop it there (F9); a variant is recognised as
      // Tradeloop's by its SKU instead (map.ts isTradeloopDraft).
      source_variant_id: draftMarker(spec.correlationKey),
      supplier_id: spec.supplierId,
      supplier_code: spec.styleNumber,
      ...(brand ? { brand_id: brand } : {}),
      // New items are drafts until the merchant reviews them.
      is_active: false,
      variants: spec.variants.map((v) => {
        const barcode = barcodeCode(v);
        return {
          sku: v.correlationKey,
          product_codes: [...(barcode ? [barcode] : []), { type: 'CUSTOM', code: v.correlationKey }],
          supply_price: amount(v.cost),
          supplier_code: spec.styleNumber,
          product_suppliers: [{ supplier_id: spec.supplierId, price: amount(v.cost), code: spec.styleNumber }],
          ...priceFields(v.retail),
          variant_definitions: [
            { attribute_id: colorId, value: spec.color },
            { attribute_id: sizeId, value: v.size },
          ],
        };
      }),
    };
    const reply = await write('POST', path, body, createdIdsSchema);
    const ids = reply.data;
    if (ids.length === spec.variants.length) {
      // The ids come back in the order of `variants[]`, the family parent first (§2.2).
      const variantIds: Record<string, string> = {};
      spec.variants.forEach((v, i) => (variantIds[v.variantKey] = ids[i] as string));
      return { parentId: ids[0] ?? null, variantIds };
    }
    // Unexpected count (e.g. a separate parent record): read back what carries our keys.
    const [found] = await findProducts([{ correlationKey: spec.correlationKey, variants: spec.variants }]);
    if (!found || Object.keys(found.variantIds).length !== spec.variants.length) {
      throw broken(path, 'data', `expected ${spec.variants.length} product ids, got ${ids.length}`, 'POST');
    }
    return { parentId: found.parentId, variantIds: found.variantIds };
  }

  /** Every variant by `GET /products?sku=` (one request each: the slow, exact path), or null if any is missing. */
  async function loadBySku(variants: NewProductSpec['variants']): Promise<CreatedProduct | null> {
    const variantIds: Record<string, string> = {};
    let parentId: string | null = null;
    for (const v of variants) {
      const key = v.correlationKey.toLowerCase();
      const page = await get(`${V2}/products`, productPageSchema, { sku: v.correlationKey });
      const product = page.data.find((p) => !p.deleted_at && codesOf(p).includes(key));
      if (!product) return null;
      variantIds[v.variantKey] = product.id;
      parentId ??= familyIdOf(product);
    }
    return { parentId, variantIds };
  }

  /**
   * A new variant inside an existing family: POST /api/2.1/products ("Add Single Variant", §2.3), one request per
   * variant. [I] Which field names the family is unverified (§9.3): we send `common.variant_parent_id`, the 2.0
   * product's own field for "a variant of another Product" (§2.1), beside `common.name`, Postman's only `common`
   * key. `details` holds only the 2.1 keys (Postman: no sku, supply_price or source_variant_id, F10): the SKU is
   * the first product code ("the first is the default"), the supply price the supplier's price.
   */
  async function addVariant(
    spec: NewProductSpec,
    parentId: string,
    v: NewVariantSpec,
    attributes: Attributes,
  ): Promise<string> {
    const barcode = barcodeCode(v);
    const reply = await write(
      'POST',
      ADD_VARIANT,
      {
        common: { variant_parent_id: parentId, name: spec.name },
        details: {
          is_active: false,
          product_codes: [{ type: 'CUSTOM', code: v.correlationKey }, ...(barcode ? [barcode] : [])],
          product_suppliers: [{ supplier_id: spec.supplierId, price: amount(v.cost), code: spec.styleNumber }],
          ...priceFields(v.retail),
          variant_attribute_values: [
            { attribute_id: attributes.color, attribute_value: spec.color },
            { attribute_id: attributes.size, attribute_value: v.size },
          ],
        },
      },
      addedVariantReplySchema,
    );
    if (reply !== null) return reply;
    // No id in the reply (Postman's example answers `{}`): the variant is found by its SKU.
    const loaded = await loadBySku([v]);
    const id = loaded?.variantIds[v.variantKey];
    if (id === undefined)
      throw broken(ADD_VARIANT, 'data.id', `no product id, and no product has SKU ${v.correlationKey}`, 'POST');
    return id;
  }

  /**
   * The variants added to family `parentId` one by one. A 422 on one of them is either our own SKU (an earlier
   * attempt's write the search had not indexed yet: loaded by SKU and adopted) or the family refusing it (full at
   * 200 variants, §2.2, or gone): then that variant and the rest are created as their own family, the only way the
   * API leaves to create them.
   */
  async function addVariants(spec: NewProductSpec, parentId: string): Promise<CreatedProduct> {
    await assertCurrency(
      'POST',
      ADD_VARIANT,
      spec.variants.map((v) => v.cost.currency),
    );
    const [color, size] = await Promise.all([variantAttribute('Color'), variantAttribute('Size')]);
    const variantIds: Record<string, string> = {};
    for (const [i, v] of spec.variants.entries()) {
      try {
        variantIds[v.variantKey] = await addVariant(spec, parentId, v, { color, size });
      } catch (error) {
        if (!(error instanceof RemoteRejected && error.status === 422)) throw error;
        const ours = await loadBySku([v]);
        const id = ours?.variantIds[v.variantKey];
        if (id !== undefined) {
          variantIds[v.variantKey] = id;
          continue;
        }
        const rest = await createFamily({ ...spec, existingParentId: null, variants: spec.variants.slice(i) });
        return { parentId: i === 0 ? rest.parentId : parentId, variantIds: { ...variantIds, ...rest.variantIds } };
      }
    }
    return { parentId, variantIds };
  }

  async function findProducts(queries: readonly ProductCorrelationQuery[]): Promise<FoundProduct[]> {
    const keys = queries.flatMap((q) => q.variants.map((v) => v.correlationKey.toLowerCase()));
    if (keys.length === 0) return [];
    const products = await searchBySku(keys);
    const byKey = new Map<string, XProduct>();
    for (const p of products) {
      const carried = new Set([...codesOf(p), (p.source_variant_id ?? '').toLowerCase()]);
      for (const key of keys) {
        if (carried.has(key)) {
          const prior = byKey.get(key);
          if (prior === undefined || (isArchived(prior) && !isArchived(p))) byKey.set(key, p);
        }
      }
    }
    const found: FoundProduct[] = [];
    for (const q of queries) {
      const variantIds: Record<string, string> = {};
      let parentId: string | null = null;
      for (const v of q.variants) {
        const p = byKey.get(v.correlationKey.toLowerCase());
        if (!p) continue;
        variantIds[v.variantKey] = p.id;
        parentId ??= familyIdOf(p);
      }
      if (Object.keys(variantIds).length > 0) found.push({ correlationKey: q.correlationKey, parentId, variantIds });
    }
    return found;
  }

  async function createProduct(spec: NewProductSpec): Promise<CreatedProduct> {
    try {
      if (spec.existingParentId !== null && deps.addsToExistingFamilies)
        return await addVariants(spec, spec.existingParentId);
      return await createFamily(spec);
    } catch (error) {
      // A 422 "SKU already in use" after a find that saw nothing: an earlier attempt did create them, and
      // the search has not caught up (a search index lags its writes). Load each by SKU, which reads the
      // products themselves (§2.4); if every variant is there, they are ours.
      if (!(error instanceof RemoteRejected && error.status === 422)) throw error;
      const loaded = await loadBySku(spec.variants);
      if (loaded === null) throw error;
      return loaded;
    }
  }

  return { searchBySku, findProducts, createProduct };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
