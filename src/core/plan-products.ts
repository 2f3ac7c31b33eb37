/**
 * The new products a plan will create, and what it writes on them: one product per style/color (several
 * when the style is over the POS's shape), each variant priced by the connection's pricing policy, a pack
 * stocked as packs told apart by its label.
 */
import { equalsMoney, money, type Money } from './money.ts';
import type { EvidenceRecorder } from './plan-evidence.ts';
import type { NewProduct, NewVariant, PlanInput, PlanWarning, VariantPrice } from './plan-types.ts';
import { getOrInit, lineRef, matchedItemId, type WorkLine } from './plan-work.ts';
import {
  matrixKeyOfVariant,
  productCorrelationKey,
  variantCorrelationKey,
  type PosCatalogEntry,
} from './pos-catalog.ts';
import { MSRP_AS_SENT, type PricingPolicy } from './pricing-policy.ts';
import { retailPrice } from './pricing.ts';
import { proposeVariantShape, type PosShapeLimits } from './variant-shape.ts';
import type { OrderLine } from './wholesale-order.ts';

/** The policy new items had before pricing policies: the MSRP as sent. Version 0 means "none saved". */
export const NO_PRICING_POLICY: PricingPolicy = { version: 0, rule: MSRP_AS_SENT, brands: {} };

/**
 * The retail price of an item made from `line` at `cost`, by the policy. A pack item's MSRP is the unit's
 * × units per pack [I: the brand's MSRP is per unit]. "No MSRP" under an MSRP rule does not need review: the
 * item is created without a price, as before policies (the line says so, LINE_DATA_MISSING).
 */
export function priceFor(
  policy: PricingPolicy,
  line: OrderLine,
  cost: Money,
  packUnits: number,
): { retail: Money | null; price: VariantPrice } {
  const unitMsrp = line.retailPrice !== null && line.retailPrice.currency === cost.currency ? line.retailPrice : null;
  const msrp = unitMsrp === null || packUnits === 1 ? unitMsrp : money(unitMsrp.minor * packUnits, cost.currency);
  const r = retailPrice(policy, { cost, msrp, currency: cost.currency, brandSourceId: line.brand.sourceId });
  const review = r.needsReview && r.needsReview.code !== 'NO_MSRP' ? r.needsReview : undefined;
  return {
    retail: r.price,
    price: {
      msrp,
      rule: packUnits === 1 || msrp === null ? r.rule : `${r.rule} (MSRP × ${packUnits} for the pack)`,
      marginPermille: r.marginPermille,
      policyVersion: r.policyVersion,
      ...(review ? { review } : {}),
    },
  };
}

/** New products, priced and shaped; lines that cannot be created as planned are sent to review. */
export function collectNewProducts(
  work: WorkLine[],
  recorder: EvidenceRecorder,
  warnings: PlanWarning[],
  input: Pick<PlanInput, 'pricing' | 'shapeLimits' | 'keyScope' | 'itemLinks'>,
): NewProduct[] {
  demoteConflictingUpcs(work);
  const products = buildProducts(work, warnings, input.pricing ?? NO_PRICING_POLICY, input.keyScope);
  demoteUnpriced(work, products);
  // Every linked item of the orders' style/colours is read, whatever the decisions: the evidence a plan records
  // must depend on its input only (a refresh re-reads the same items).
  const linked = new Map<string, PosCatalogEntry[]>();
  for (const [matrix, ids] of linkedItemsOfMatrices(
    input.itemLinks,
    work.map((w) => w.plan.matrixKey),
  ))
    linked.set(
      matrix,
      ids.map((id) => recorder.byId(id)).filter((e): e is PosCatalogEntry => e !== null),
    );
  setExistingParents(products, work, recorder, warnings, linked);
  return input.shapeLimits ? shapeProducts(products, work, warnings, input.shapeLimits, input.keyScope) : products;
}

/** A new variant must carry one GTIN: the same variant with different GTINs cannot be created. */
function demoteConflictingUpcs(work: WorkLine[]): void {
  const gtinsOfVariant = new Map<string, Set<string | null>>();
  for (const w of work) {
    if (w.plan.decision.kind === 'new_item')
      getOrInit(gtinsOfVariant, w.plan.variantKey, () => new Set()).add(w.plan.gtin14);
  }
  for (const w of work) {
    const gtins = gtinsOfVariant.get(w.plan.variantKey);
    if (w.plan.decision.kind === 'new_item' && gtins !== undefined && gtins.size > 1) {
      w.plan.decision = {
        kind: 'needs_review',
        reason: 'conflicting_upc',
        detail: `${w.plan.variantKey} arrives with different UPCs: ${[...gtins].map((g) => g ?? 'none').join(', ')}`,
        candidates: [],
      };
    }
  }
}

function newVariant(w: WorkLine, policy: PricingPolicy, keyScope: string | undefined): NewVariant {
  const { line, plan, codes } = w;
  const packs = codes.pack?.stock === 'packs' ? codes.pack.unitsPerPack : 1;
  const packLabel = packs > 1 ? `pack of ${packs}` : undefined;
  const itemGtin = codes.pack ? codes.itemGtin14 : plan.gtin14;
  const { retail, price } = priceFor(policy, line, plan.unitCost, packs);
  return {
    variantKey: plan.variantKey,
    correlationKey: variantCorrelationKey(plan.variantKey, keyScope),
    size: packLabel ? `${line.size} (${packLabel})` : line.size,
    gtin14: itemGtin,
    upc: itemGtinText(itemGtin, line),
    cost: plan.unitCost,
    retail,
    price,
    ...(packLabel ? { packLabel } : {}),
    orderSourceIds: [plan.orderSourceId],
  };
}

/**
 * The barcode as the POS stores it: the brand's code as typed when that is the item's GTIN; otherwise (a
 * UPC-E, a case code's unit) the GTIN in its shortest 12- or 13-digit form, which scanners read too.
 */
function itemGtinText(gtin14: string | null, line: OrderLine): string | null {
  if (gtin14 === null) return null;
  const typed = (line.rawUpc ?? '').replace(/[\s-]+/g, '');
  if (typed !== '' && typed.padStart(14, '0') === gtin14) return typed;
  return gtin14.startsWith('00') ? gtin14.slice(2) : gtin14.startsWith('0') ? gtin14.slice(1) : gtin14;
}

/** One NewProduct per matrix key, variants deduplicated by variant key, in first-appearance order. */
function buildProducts(
  work: WorkLine[],
  warnings: PlanWarning[],
  policy: PricingPolicy,
  keyScope: string | undefined,
): NewProduct[] {
  const products = new Map<string, NewProduct>();
  const variants = new Map<string, NewVariant>();
  for (const w of work) {
    if (w.plan.decision.kind !== 'new_item') continue;
    const { line, plan } = w;
    let product = products.get(plan.matrixKey);
    if (product === undefined) {
      product = {
        matrixKey: plan.matrixKey,
        correlationKey: productCorrelationKey(plan.matrixKey, keyScope),
        brand: line.brand,
        styleNumber: line.styleNumber,
        color: line.color,
        name: line.name,
        season: line.season,
        category: line.category,
        images: [...line.images],
        existingParentId: null,
        variants: [],
        styleKey: plan.matrixKey,
        nameSuffix: '',
        shapeSteps: [],
      };
      products.set(plan.matrixKey, product);
    }
    for (const image of line.images) if (!product.images.includes(image)) product.images.push(image);
    const variant = variants.get(plan.variantKey);
    if (variant === undefined) {
      const created = newVariant(w, policy, keyScope);
      product.variants.push(created);
      variants.set(plan.variantKey, created);
      continue;
    }
    if (!variant.orderSourceIds.includes(plan.orderSourceId)) variant.orderSourceIds.push(plan.orderSourceId);
    if (!equalsMoney(variant.cost, plan.unitCost)) {
      warnings.push({
        code: 'NEW_VARIANT_COST_DIFFERS',
        level: 'variant',
        variantKey: plan.variantKey,
        lines: [lineRef(w)],
        message: `${plan.variantKey} costs differ between orders; the new item gets the first order's cost`,
      });
    }
  }
  return [...products.values()];
}

/**
 * A variant the policy cannot price, or prices below its minimum margin, is not created unasked: its lines go
 * to review. A buyer's "create new" on the line accepts the price as the review shows it.
 */
function demoteUnpriced(work: WorkLine[], products: NewProduct[]): void {
  if (!products.some((p) => p.variants.some((v) => v.price?.review !== undefined))) return;
  const linesOfVariant = groupBy(work, (w) => w.plan.variantKey);
  for (const product of products) {
    const held = new Set<string>();
    for (const v of product.variants) {
      const review = v.price?.review;
      if (review === undefined) continue;
      const lines = (linesOfVariant.get(v.variantKey) ?? []).filter((w) => w.plan.decision.kind === 'new_item');
      if (lines.some((w) => w.plan.decision.kind === 'new_item' && w.plan.decision.byBuyer)) continue;
      held.add(v.variantKey);
      for (const w of lines)
        w.plan.decision = { kind: 'needs_review', reason: 'price_review', detail: review.message, candidates: [] };
    }
    product.variants = product.variants.filter((v) => !held.has(v.variantKey));
  }
  for (let i = products.length - 1; i >= 0; i--) if (products[i]?.variants.length === 0) products.splice(i, 1);
}

/**
 * The POS items linked (item links) to other sizes of these style/colours, by matrix key: one pass over the links.
 * They name the family an earlier export matched or created for a style/colour none of whose sizes is on this order.
 */
export function linkedItemsOfMatrices(
  itemLinks: ReadonlyMap<string, string>,
  matrixKeys: Iterable<string>,
): Map<string, string[]> {
  const wanted = new Set(matrixKeys);
  const out = new Map<string, string[]>();
  if (wanted.size === 0) return out;
  for (const [variantKey, posItemId] of itemLinks) {
    const matrix = matrixKeyOfVariant(variantKey);
    if (wanted.has(matrix)) getOrInit(out, matrix, () => []).push(posItemId);
  }
  return out;
}

/**
 * Existing family of the matrix, when its matched variants all sit in one; else, when none of its sizes on the
 * order is matched, the one family its linked items (from earlier exports) sit in, if live.
 */
function setExistingParents(
  products: NewProduct[],
  work: WorkLine[],
  recorder: EvidenceRecorder,
  warnings: PlanWarning[],
  linked: ReadonlyMap<string, readonly PosCatalogEntry[]>,
): void {
  const linesOfMatrix = groupBy(work, (w) => w.plan.matrixKey);
  for (const product of products) {
    const parents = new Set<string | null>();
    for (const w of linesOfMatrix.get(product.matrixKey) ?? []) {
      const id = matchedItemId(w.plan.decision);
      if (id !== null) parents.add(recorder.known(id)?.parentId ?? null);
    }
    if (parents.size === 0)
      for (const entry of linked.get(product.matrixKey) ?? []) if (!entry.archived) parents.add(entry.parentId);
    const [parent] = parents;
    if (parents.size === 1 && parent !== undefined && parent !== null) product.existingParentId = parent;
    if (parents.size > 0) {
      warnings.push({
        code: 'MATRIX_PARTLY_NEW',
        level: 'matrix',
        matrixKey: product.matrixKey,
        message:
          product.existingParentId === null
            ? `some sizes of ${product.styleNumber} ${product.color} exist in the POS, others will be created as a new product`
            : `new sizes of ${product.styleNumber} ${product.color} will join POS family ${product.existingParentId}`,
      });
    }
  }
}

/**
 * Each new product checked against the POS's shape (variant-shape.ts): over the limits, it becomes the
 * proposed products (keys derived from the style's, so the same style splits the same way on a retry); what a
 * split cannot fix (two sizes alike, a blank size) sends those lines to review. Nothing fails at apply for shape.
 */
function shapeProducts(
  products: NewProduct[],
  work: WorkLine[],
  warnings: PlanWarning[],
  limits: PosShapeLimits,
  keyScope: string | undefined,
): NewProduct[] {
  const out: NewProduct[] = [];
  const linesOfVariant = groupBy(work, (w) => w.plan.variantKey);
  for (const product of products) {
    const attributes = [
      ...(product.color.trim() !== '' ? ['Color'] : []),
      ...(product.variants.some((v) => v.size.trim() !== '') ? ['Size'] : []),
    ];
    const proposal = proposeVariantShape(
      {
        key: product.matrixKey,
        attributes,
        variants: product.variants.map((v) => ({
          key: v.variantKey,
          values: attributes.map((a) => (a === 'Color' ? product.color : v.size)),
        })),
      },
      limits,
    );
    const held = new Set<string>();
    for (const problem of proposal.problems) {
      for (const key of problem.variantKeys) {
        held.add(key);
        for (const w of linesOfVariant.get(key) ?? [])
          if (w.plan.decision.kind === 'new_item')
            w.plan.decision = {
              kind: 'needs_review',
              reason: 'variant_shape',
              detail: problem.message,
              candidates: [],
            };
      }
    }
    const variants = product.variants.filter((v) => !held.has(v.variantKey));
    if (proposal.fits || product.existingParentId !== null) {
      if (variants.length > 0) out.push({ ...product, variants });
      continue;
    }
    for (const part of proposal.products) {
      const keys = new Set(part.variants.map((v) => v.key));
      const partVariants = variants.filter((v) => keys.has(v.variantKey));
      if (partVariants.length === 0) continue;
      out.push({
        ...product,
        matrixKey: part.key,
        correlationKey: productCorrelationKey(part.key, keyScope),
        name: `${product.name}${part.nameSuffix}`,
        variants: partVariants,
        nameSuffix: part.nameSuffix,
        shapeSteps: [...proposal.steps],
      });
      for (const key of keys)
        for (const w of linesOfVariant.get(key) ?? []) {
          const d = w.plan.decision;
          if (d.kind === 'new_item' && d.matrixKey === product.matrixKey && d.variantKey === key)
            w.plan.decision = { ...d, matrixKey: part.key };
        }
    }
    warnings.push({
      code: 'STYLE_SPLIT',
      level: 'matrix',
      matrixKey: product.matrixKey,
      message: `${product.styleNumber} ${product.color} becomes ${proposal.products.length} products: ${proposal.steps.join('; ')}`,
    });
  }
  return out;
}

/** The lines under each key, in work order: one pass instead of a scan per product or variant. */
function groupBy(work: readonly WorkLine[], key: (w: WorkLine) => string): Map<string, WorkLine[]> {
  const out = new Map<string, WorkLine[]>();
  for (const w of work) getOrInit(out, key(w), () => []).push(w);
  return out;
}
