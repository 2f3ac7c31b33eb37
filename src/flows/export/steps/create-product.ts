import type { NewProduct } from '../../../core/plan.ts';
import { RemoteRejected } from '../../../core/ports/errors.ts';
import type { NewProductSpec } from '../../../core/ports/pos.ts';
import { accountLease } from '../cooperation.ts';
import {
  stepKeys,
  supplierIdOf,
  type ExportEnv,
  type ExportLoaded,
  type ExportStep,
  type ProductStepResult,
} from '../types.ts';

/**
 * A new product (family) with its sizes, under the POS account's lock on the product's correlation key. What an
 * earlier attempt, or another export sharing this product, created is found by correlation key; only the missing
 * sizes are created (added to that family where the POS can).
 */
export function createProduct(
  loaded: ExportLoaded,
  product: NewProduct,
  /** familiesJoinedBy(the run's new products), computed once for all of them. */
  joined: readonly string[],
): ExportStep<ProductStepResult> {
  const key = stepKeys.product(product.matrixKey);
  return {
    key,
    label: `Create the new product ${product.name} · ${product.styleNumber} · ${product.color} (${plural(product.variants.length, 'size')})`,
    exclusive: accountLease(loaded.connection, `product:${product.correlationKey}`),
    // Under the account's lock, a step another plan started (it held the lock) looks before it creates.
    run: async (env) =>
      (await env.ports.coop.startedElsewhere(key)) ? reconcile(env, product, joined) : create(env, product, joined),
    reconcile: (env) => reconcile(env, product, joined),
  };
}

/** The existing families a run's new products join: read together by a POS that reads a family first. */
export function familiesJoinedBy(products: readonly NewProduct[]): string[] {
  return [...new Set(products.map((p) => p.existingParentId).filter((id): id is string => id !== null))];
}

async function reconcile(env: ExportEnv, product: NewProduct, joined: readonly string[]): Promise<ProductStepResult> {
  const { pos } = env.ports;
  const [found] = await pos.findProductsByCorrelation([
    {
      correlationKey: product.correlationKey,
      name: product.name,
      color: product.color,
      variants: product.variants.map((v) => ({ variantKey: v.variantKey, correlationKey: v.correlationKey })),
    },
  ]);
  const have = found?.variantIds ?? {};
  const missing = product.variants.filter((v) => !have[v.variantKey]);
  if (missing.length === 0)
    return { parentId: found?.parentId ?? null, variantIds: have, created: product.variants.length };
  const created = await pos.createProduct(
    found?.parentId
      ? specOf(env, product, missing, found.parentId, joined, true)
      : specOf(env, product, missing, product.existingParentId, joined),
  );
  return {
    parentId: created.parentId ?? found?.parentId ?? null,
    variantIds: { ...have, ...created.variantIds },
    created: product.variants.length,
  };
}

/**
 * The first export to create the product also creates the sizes the others being applied want, so they find
 * every size (a family cannot always be extended later: X-Series).
 */
async function create(env: ExportEnv, product: NewProduct, joined: readonly string[]): Promise<ProductStepResult> {
  const variants = [...product.variants];
  for (const v of await env.ports.coop.companions(product.correlationKey))
    if (!variants.some((w) => w.variantKey === v.variantKey)) variants.push(v);
  try {
    const created = await env.ports.pos.createProduct(specOf(env, product, variants, product.existingParentId, joined));
    return { parentId: created.parentId, variantIds: created.variantIds, created: product.variants.length };
  } catch (error) {
    // "SKU already in use": our own key (an export this one could not see made it); find and adopt.
    if (error instanceof RemoteRejected && error.status === 422) return reconcile(env, product, joined);
    throw error;
  }
}

function specOf(
  env: ExportEnv,
  product: NewProduct,
  variants: NewProduct['variants'],
  existingParentId: string | null,
  joined: readonly string[],
  existingParentIsOurs = false,
): NewProductSpec {
  const canExtend = env.ports.pos.capabilities.addsVariantsToExistingParent;
  return {
    correlationKey: product.correlationKey,
    matrixKey: product.matrixKey,
    supplierId: supplierIdOf(env, product.brand.sourceId),
    brandName: product.brand.name,
    styleNumber: product.styleNumber,
    color: product.color,
    name: product.name,
    season: product.season,
    category: product.category,
    images: product.images,
    existingParentId: canExtend ? existingParentId : null,
    existingParentIsOurs: canExtend && existingParentId !== null && existingParentIsOurs,
    ...(canExtend && existingParentId !== null ? { familiesJoinedInRun: joined } : {}),
    variants: variants.map((v) => ({
      variantKey: v.variantKey,
      correlationKey: v.correlationKey,
      size: v.size,
      gtin14: v.gtin14,
      upc: v.upc,
      cost: v.cost,
      retail: v.retail,
    })),
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
