import { normaliseKeyPart } from '../../core/pos-catalog.ts';
import type { Money } from '../../core/money.ts';
import type {
  CreatedProduct,
  FoundProduct,
  NewProductSpec,
  NewVariantSpec,
  PointOfSale,
  ProductCorrelationQuery,
} from '../../core/ports/pos.ts';
import { chunk, IN_MAX, inList, PAGE_MAX, type RPosContext } from './pos-context.ts';
import {
  attributeSetPage,
  manufacturerPage,
  matrixPage,
  oneItem,
  oneManufacturer,
  oneMatrix,
  type RAttributeSet,
  type RItem,
  type RItemMatrix,
} from './schemas.ts';

/**
 * Products on R-Series: an ItemMatrix per style/color and an Item per size (reference §2.4). The variant's
 * correlation key is its `customSku`; a matrix has no field for one, so a matrix whose create reply was lost
 * before any item exists is found as the one matrix with exactly the product's description and no items.
 * Items are created active: R-Series has no draft state (an item is live or archived, and archiving via DELETE
 * zeroes stock, §2.2), so new items are created with `publishToEcom: false` instead.
 */

function productBase(spec: Pick<NewProductSpec, 'name' | 'color'>): string {
  const name = spec.name.trim();
  const color = spec.color.trim();
  if (color === '' || name.toLowerCase().includes(color.toLowerCase())) return name;
  return `${name} ${color}`;
}

type ProductWrites = Pick<PointOfSale, 'findProductsByCorrelation' | 'createProduct'>;

/** How long a family's prices, once read or written, decide which new items carry their own. */
const FAMILY_PRICES_FRESH_MS = 15 * 60_000;

export function productWrites(ctx: RPosContext): ProductWrites {
  const { client, refuse, amount, itemsWhere, clock } = ctx;
  let attributeSets: Promise<RAttributeSet[]> | undefined;
  const manufacturers = new Map<string, string>();
  // Matrix id → the one amount its three price levels share (null: they differ, or are unknown), and when it was
  // learnt. The connector outlives an export and a merchant may re-price a family between two, so what is older
  // than one export's span is read again: an item left without prices takes its family's price as it is then.
  const matrixRetail = new Map<string, { retail: string | null; at: number }>();
  const knownRetail = (id: string): { retail: string | null } | undefined => {
    const known = matrixRetail.get(id);
    return known !== undefined && clock.now() - known.at < FAMILY_PRICES_FRESH_MS ? known : undefined;
  };
  const learnRetail = (id: string, retail: string | null): void => {
    matrixRetail.set(id, { retail, at: clock.now() });
  };

  /** The amount every price level (Default, MSRP, Online) of a matrix holds, if they agree. */
  function sharedRetail(matrix: RItemMatrix): string | null {
    const levels = (matrix.Prices?.ItemPrice ?? []).filter((p) => ['1', '2', '3'].includes(p.useTypeID));
    const amounts = new Set(levels.map((p) => Number(p.amount)));
    return levels.length === 3 && amounts.size === 1 ? String([...amounts][0]) : null;
  }

  /**
   * A family's prices decide which new items must carry their own (1.5 drips each, §6: three ItemPrices). The
   * families the run joins are read together, up to 100 a request (`itemMatrixID=IN,[…]`, §2.3; 1 drip), so one
   * read serves a whole export's joins. A lone family is read only for two or more priced items: one read (1)
   * against 1.5 on one item that may be priced otherwise anyway.
   */
  async function readFamilyPrices(matrixId: string, spec: NewProductSpec): Promise<void> {
    if (knownRetail(matrixId)) return;
    const priced = spec.variants.filter((v) => v.retail).length;
    if (priced === 0) return;
    const unknown = [...new Set([matrixId, ...(spec.familiesJoinedInRun ?? [])])].filter(
      (id) => /^\d+$/.test(id) && !knownRetail(id),
    );
    if (unknown.length < 2 && priced < 2) return;
    for (const part of chunk(unknown, IN_MAX)) {
      const read = await client.list('ItemMatrix.json', { itemMatrixID: inList(part), limit: PAGE_MAX }, matrixPage);
      for (const matrix of read) learnRetail(matrix.itemMatrixID, sharedRetail(matrix));
      // Not answered (archived, merged away): its items carry their own prices.
      for (const id of part) if (!read.some((m) => m.itemMatrixID === id)) learnRetail(id, null);
    }
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

  return {
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
        await readFamilyPrices(matrixId, spec);
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
        learnRetail(matrixId, matrix.Prices ? sharedRetail(matrix) : first?.retail ? amount(first.retail) : null);
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

      function pricedLikeMatrix(retail: Money): boolean {
        const shared = knownRetail(matrixId)?.retail;
        return shared !== undefined && shared !== null && Number(shared) === Number(amount(retail));
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
          // A variant takes its matrix's prices (§2.4 step 1: shared prices are set on the matrix [I: that a
          // variant created without Prices inherits them]); only a variant priced differently carries its own,
          // each ItemPrice costing 0.5 drip (§6).
          ...(v.retail && !pricedLikeMatrix(v.retail) ? { Prices: prices(v.retail) } : {}),
          // §8: the brand's product id → Vendor ID (ItemVendorNum).
          ItemVendorNums: { ItemVendorNum: [{ vendorID: s.supplierId, value: s.styleNumber, cost: amount(v.cost) }] },
        };
      }
    },
  };
}
