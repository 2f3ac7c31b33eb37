/**
 * An export plan as the API answers it: every line with its decision and evidence, the style/colors the buyer
 * reviews, the products to create and the purchase orders to write. The shapes are core's (core/plan-types.ts);
 * `sameShape` fails `tsc` when the two part.
 */
import { z } from 'zod';
import type {
  Candidate,
  ItemOverride,
  ItemUpdate,
  LineDecision,
  NewProduct,
  OverrideProblem,
  PlanBlocker,
  PlanCounts,
  PlanLine,
  PlanMatrix,
  PlannedPurchaseOrder,
  PlanSupplier,
  PlanWarning,
} from '../../core/plan.ts';
import type { BrandRef, ShipWindow } from '../../core/wholesale-order.ts';
import { money, sameShape, timestamp } from './common.ts';

export const brandRef = z
  .object({ sourceId: z.string().describe("The brand's id at the source"), name: z.string() })
  .meta({ id: 'BrandRef' });

export const shipWindow = z
  .object({
    start: z.string().nullable().describe('ISO 8601, as the source sent it'),
    end: z.string().nullable().describe('ISO 8601, as the source sent it'),
  })
  .meta({ id: 'ShipWindow' });

const lineRef = z.object({ orderSourceId: z.string(), lineKey: z.string() });

export const overrideAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('link'), posItemId: z.string().min(1) }),
  z.object({ kind: z.literal('create_new') }),
]);

/** A buyer's choice; also what `POST /api/plans/{id}/overrides` takes. */
export const itemOverride = z
  .object({
    scope: z.enum(['line', 'matrix']),
    key: z.string().min(1).describe("A line's variantKey (scope line) or a style/color's matrixKey (scope matrix)"),
    action: overrideAction,
  })
  .meta({ id: 'ItemOverride' });

const reviewReason = z.enum([
  'duplicate_upc',
  'archived_only',
  'no_upc',
  'malformed_upc',
  'override_invalid',
  'conflicting_upc',
  'invalid_quantity',
  'unmatchable_code',
  'price_review',
  'variant_shape',
  'pack_invalid',
]);
const gtinProblem = z.enum(['missing', 'not_numeric', 'bad_length', 'bad_check_digit']);
const matchRefusal = z.enum([
  ...gtinProblem.options,
  'restricted_regional',
  'restricted_company',
  'coupon',
  'refund_receipt',
  'issn',
  'demo',
  'variable_measure',
]);

export const candidate = z
  .object({
    posItemId: z.string(),
    parentId: z.string().nullable(),
    name: z.string(),
    sku: z.string().nullable(),
    archived: z.boolean(),
  })
  .meta({ id: 'Candidate' });

export const lineDecision = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('confirmed'),
      posItemId: z.string(),
      origin: z
        .enum(['upc_match', 'created_by_export', 'chosen_by_person', 'followed_merge'])
        .optional()
        .describe("Why the link exists (the item-link ledger): the review names it beside 'Confirmed'"),
    }),
    z.object({ kind: z.literal('upc_match'), posItemId: z.string(), gtin14: z.string() }),
    z.object({ kind: z.literal('linked_by_buyer'), posItemId: z.string(), scope: z.enum(['line', 'matrix']) }),
    z.object({ kind: z.literal('new_item'), matrixKey: z.string(), variantKey: z.string(), byBuyer: z.boolean() }),
    z.object({
      kind: z.literal('needs_review'),
      reason: reviewReason,
      detail: z.string(),
      candidates: z.array(candidate),
      gtinProblem: gtinProblem.optional(),
    }),
    z.object({ kind: z.literal('skipped'), reason: z.literal('zero_quantity') }),
  ])
  .meta({ id: 'LineDecision' });

export const planLine = z
  .object({
    orderSourceId: z.string(),
    lineKey: z.string(),
    variantKey: z.string(),
    matrixKey: z.string(),
    styleNumber: z.string(),
    color: z.string(),
    size: z.string(),
    name: z.string(),
    gtin14: z.string().nullable(),
    rawUpc: z.string().nullable(),
    quantity: z.number().describe('Units on the PO'),
    unitCost: money,
    retailPrice: money.nullable(),
    decision: lineDecision,
    override: itemOverride.nullable(),
    code: z.object({ refusal: matchRefusal, message: z.string() }).optional(),
    pack: z
      .object({
        packs: z.number(),
        unitsPerPack: z.number(),
        packCost: money,
        stock: z.enum(['units', 'packs']),
        rule: z.string(),
        notes: z.array(z.string()),
        difference: money,
      })
      .optional(),
  })
  .meta({ id: 'PlanLine' });

export const planWarning = z
  .object({
    code: z.enum([
      'LINK_TARGET_MISSING',
      'LINK_TARGET_ARCHIVED',
      'LINK_DIFFERS_FROM_UPC',
      'DUPLICATE_UPC_IN_POS',
      'GTIN_SHARED_BY_VARIANTS',
      'DUPLICATE_GTIN_IN_ORDER',
      'POS_ITEM_SHARED_BY_VARIANTS',
      'MATRIX_SPANS_POS_PARENTS',
      'MATRIX_PARTLY_NEW',
      'NEW_ITEM_DUPLICATES_UPC',
      'NEW_VARIANT_COST_DIFFERS',
      'LINE_DATA_MISSING',
      'STYLE_SPLIT',
      'PRICE_KEPT',
      'PRICE_UPDATED',
      'PACK_COST_ROUNDED',
    ]),
    level: z.enum(['item', 'matrix', 'variant', 'line']),
    message: z.string(),
    matrixKey: z.string().optional(),
    variantKey: z.string().optional(),
    gtin14: z.string().optional(),
    posItemIds: z.array(z.string()).optional(),
    lines: z.array(lineRef).optional(),
  })
  .meta({ id: 'PlanWarning' });

export const planMatrix = z
  .object({
    matrixKey: z.string(),
    brand: brandRef,
    styleNumber: z.string(),
    color: z.string(),
    name: z.string(),
    status: z.enum(['confirmed', 'upc_match', 'linked_by_buyer', 'new_item', 'needs_review', 'skipped', 'mixed']),
    variantKeys: z.array(z.string()),
    lines: z.array(lineRef),
    warnings: z.array(planWarning),
  })
  .meta({ id: 'PlanMatrix', description: 'One style/color across the whole plan: what the buyer reviews' });

const variantPrice = z.object({
  msrp: money.nullable(),
  rule: z.string(),
  marginPermille: z.number().int().nullable(),
  policyVersion: z.number().int(),
  review: z.object({ code: z.string(), message: z.string() }).optional(),
});

export const newProduct = z
  .object({
    matrixKey: z.string(),
    correlationKey: z.string(),
    brand: brandRef,
    styleNumber: z.string(),
    color: z.string(),
    name: z.string(),
    season: z.string().nullable(),
    category: z.string().nullable(),
    images: z.array(z.string()),
    existingParentId: z.string().nullable(),
    variants: z.array(
      z.object({
        variantKey: z.string(),
        correlationKey: z.string(),
        size: z.string(),
        gtin14: z.string().nullable(),
        upc: z.string().nullable(),
        cost: money,
        retail: money.nullable(),
        price: variantPrice.optional(),
        packLabel: z.string().optional(),
        orderSourceIds: z.array(z.string()),
      }),
    ),
    styleKey: z.string().optional(),
    nameSuffix: z.string().optional(),
    shapeSteps: z.array(z.string()).optional(),
  })
  .meta({ id: 'NewProduct', description: 'One product (matrix/family) to create, however many orders want it' });

const poLineTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('existing'), posItemId: z.string() }),
  z.object({ kind: z.literal('new'), matrixKey: z.string(), variantKey: z.string() }),
  z.object({ kind: z.literal('unresolved') }),
]);

export const plannedPurchaseOrder = z
  .object({
    orderSourceId: z.string(),
    orderNumber: z.string(),
    brand: brandRef,
    currency: z.string(),
    customerPoNumber: z.string().nullable(),
    shipWindow,
    notes: z.string(),
    lines: z.array(
      z.object({
        target: poLineTarget,
        quantity: z.number(),
        unitCost: money,
        sourceLineKeys: z.array(z.string()),
      }),
    ),
    correlationKey: z.string().optional(),
  })
  .meta({ id: 'PlannedPurchaseOrder', description: 'The purchase order one wholesale order will become' });

export const planCounts = z
  .object({
    orders: z.number().int(),
    lines: z.number().int(),
    confirmed: z.number().int(),
    upcMatch: z.number().int(),
    linkedByBuyer: z.number().int(),
    newItem: z.number().int(),
    needsReview: z.number().int(),
    skipped: z.number().int(),
    newProducts: z.number().int(),
    newVariants: z.number().int(),
    poLines: z.number().int(),
  })
  .meta({ id: 'PlanCounts' });

export const planBlocker = z
  .object({
    code: z.enum([
      'LINES_NEED_REVIEW',
      'ORDER_CANCELLED',
      'ORDER_EMPTY',
      'ORDER_MALFORMED',
      'DUPLICATE_ORDER',
      'PO_LINE_COST_CONFLICT',
      'CURRENCY_MISMATCH',
    ]),
    message: z.string(),
    orderSourceId: z.string().optional(),
    lines: z.array(lineRef).optional(),
  })
  .meta({ id: 'PlanBlocker' });

export const overrideProblem = z
  .object({
    code: z.enum(['UNKNOWN_POS_ITEM', 'ARCHIVED_POS_ITEM', 'MATRIX_LINK_AMBIGUOUS', 'KEY_NOT_IN_PLAN', 'SUPERSEDED']),
    override: itemOverride,
    message: z.string(),
  })
  .meta({ id: 'OverrideProblem' });

const planSupplier = z.object({
  brand: brandRef,
  supplierId: z.string().nullable(),
  supplierName: z.string().nullable(),
});

const itemUpdate = z.object({
  posItemId: z.string(),
  variantKey: z.string(),
  retail: money,
  from: money.nullable(),
  rule: z.string(),
});

export const planView = z
  .object({
    id: z.string(),
    state: z.enum(['draft', 'applying', 'applied', 'superseded']),
    connectionId: z.string(),
    locationId: z.string(),
    orderIds: z.array(z.string()),
    overrides: z.array(itemOverride),
    canApply: z.boolean(),
    counts: planCounts,
    blockers: z.array(planBlocker),
    warnings: z.array(planWarning),
    matrixPage: z
      .object({
        offset: z.number().int().min(0),
        limit: z.number().int().min(1),
        total: z.number().int().min(0).describe('Styles/colors in the whole plan'),
      })
      .describe(
        "Which styles/colors this reply carries (all unless `matrixOffset`/`matrixLimit` asked for a page); lines, new products and warnings are those of the page, counts and blockers the whole plan's",
      ),
    matrices: z.array(planMatrix).describe('Lines grouped by style/color, with the decision per size and its evidence'),
    lines: z.array(planLine),
    newProducts: z.array(newProduct),
    purchaseOrders: z.array(plannedPurchaseOrder),
    overrideProblems: z.array(overrideProblem),
    fingerprint: z.string(),
    createdAt: timestamp,
    pricingVersion: z
      .number()
      .int()
      .describe('The pricing policy version that priced the new items; 0 = the MSRP as sent'),
    suppliers: z.array(planSupplier).describe("Each brand's POS supplier where the merchant mapped one"),
    itemUpdates: z
      .array(itemUpdate)
      .describe('Prices of items Tradeloop created that follow the brand (nobody changed them in the POS)'),
  })
  .meta({ id: 'Plan', description: 'An export plan: what an export will match, create and write' });

sameShape<z.output<typeof brandRef>, BrandRef>(true);
sameShape<z.output<typeof shipWindow>, ShipWindow>(true);
sameShape<z.output<typeof itemOverride>, ItemOverride>(true);
sameShape<z.output<typeof candidate>, Candidate>(true);
sameShape<z.output<typeof lineDecision>, LineDecision>(true);
sameShape<z.output<typeof planLine>, PlanLine>(true);
sameShape<z.output<typeof planWarning>, PlanWarning>(true);
sameShape<z.output<typeof planMatrix>, PlanMatrix>(true);
sameShape<z.output<typeof newProduct>, NewProduct>(true);
sameShape<z.output<typeof plannedPurchaseOrder>, PlannedPurchaseOrder>(true);
sameShape<z.output<typeof planCounts>, PlanCounts>(true);
sameShape<z.output<typeof planBlocker>, PlanBlocker>(true);
sameShape<z.output<typeof overrideProblem>, OverrideProblem>(true);
sameShape<z.output<typeof planSupplier>, PlanSupplier>(true);
sameShape<z.output<typeof itemUpdate>, ItemUpdate>(true);
