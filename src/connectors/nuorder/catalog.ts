/**
 * A NuORDER brand's catalog for the pre-flight forecast. `GET /api/products` [I]: one client names the path
 * (nuorder.md §4, S-JV) and nothing documents its reply, so both forms are read: product objects (as
 * `GET /api/product/{id}` serves them), or product ids, then read one by one, a few at a time. For 5,000 styles
 * that is 1 call when the listing carries the products, 1 + 5,000 when it carries ids.
 */
import type { CatalogProduct } from '../../core/forecast.ts';
import { RemoteContractBroken } from '../shared/errors.ts';
import { NUORDER_VENDOR, type NuorderClient } from './client.ts';
import { images, optionalMoney } from './map.ts';
import { productSchema, type NuorderProduct } from './schemas.ts';

const blank = (v: string | null | undefined): string | null =>
  v === null || v === undefined || v.trim() === '' ? null : v.trim();

export async function listCatalog(
  client: NuorderClient,
  currency: string,
  concurrency: number,
): Promise<{ products: CatalogProduct[]; requests: number }> {
  const listed = await client.listProducts();
  let requests = 1;
  const products: NuorderProduct[] = [];
  const ids: string[] = [];
  listed.forEach((item, i) => {
    if (typeof item === 'string') {
      ids.push(item);
      return;
    }
    const parsed = productSchema.safeParse(item);
    if (!parsed.success)
      throw new RemoteContractBroken({
        vendor: NUORDER_VENDOR,
        method: 'GET',
        path: '/api/products',
        fieldPath: `[${i}].${parsed.error.issues[0]?.path.join('.') ?? ''}`,
        problem: parsed.error.issues[0]?.message ?? 'invalid',
      });
    products.push(parsed.data);
  });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++] as string;
      requests++;
      const product = await client.getProduct(id);
      if (product) products.push(product);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  const live = products.filter((p) => p.archived !== true && p.active !== false);
  return { products: live.map((p) => mapCatalogProduct(p, currency)), requests };
}

/** A product's sizes with their wholesale and retail prices in `currency` (size level first). */
export function mapCatalogProduct(p: NuorderProduct, currency: string): CatalogProduct {
  const level = p.pricing?.[currency];
  return {
    sourceId: p._id,
    styleNumber: p.style_number,
    season: blank(p.season),
    color: p.color,
    colorCode: blank(p.color_code),
    name: blank(p.name) ?? p.style_number,
    category: blank(p.category) ?? blank(p.department),
    brandExternalId: blank(p.brand_id),
    images: images(p),
    sizes: (p.sizes ?? []).map((s) => {
      const own = s.pricing?.[currency];
      // [I] units per pack on a product size: the order line's `units_per_pack` (§3.3) has to come from somewhere.
      const units = (s as { units_per_pack?: unknown }).units_per_pack;
      return {
        size: s.size,
        rawUpc: blank(s.upc),
        cost: optionalMoney(own?.wholesale, currency) ?? optionalMoney(level?.wholesale, currency),
        retail: optionalMoney(own?.retail, currency) ?? optionalMoney(level?.retail, currency),
        ...(typeof units === 'number' && units > 1 ? { unitsPerPack: units } : {}),
      };
    }),
  };
}
