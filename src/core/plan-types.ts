/**
 * The shapes of export planning (plan.ts): what a plan reads and what it answers. Kept apart from the
 * planner so the web app and the store can import them without the logic.
 */
import type { CasePackPolicy } from './case-pack.ts';
import type { MatchRefusal } from './gs1-prefix.ts';
import type { GtinProblem } from './gtin.ts';
import type { LinkOrigin } from './item-links.ts';
import type { Money } from './money.ts';
import type { CatalogLookup } from './pos-catalog.ts';
import type { PricingPolicy } from './pricing-policy.ts';
import type { PosShapeLimits } from './variant-shape.ts';
import type { BrandRef, ShipWindow, WholesaleOrder } from './wholesale-order.ts';

// ---------------------------------------------------------------------------------------------------
// Input

export type OverrideAction = { kind: 'link'; posItemId: string } | { kind: 'create_new' };

/** A buyer's choice. `key` is a variantKey for scope 'line', a matrixKey for scope 'matrix'. */
export interface ItemOverride {
  scope: 'line' | 'matrix';
  key: string;
  action: OverrideAction;
}

export interface PlanInput {
  orders: readonly WholesaleOrder[];
  /** Needs to answer only for the GTINs and ids `requiredLookups` lists. */
  catalog: CatalogLookup;
  /** variantKey → posItemId: the "Confirmed" memory written by earlier exports. */
  itemLinks: ReadonlyMap<string, string>;
  overrides?: readonly ItemOverride[];
  /** The currency the POS keeps costs in, when known: an order in another one cannot be exported. */
  posCurrency?: string | null;
  /** How new items are priced; absent = the MSRP as sent (what new items got before pricing policies). */
  pricing?: PricingPolicy | null;
  /** How packed lines (units per pack > 1) go on the PO; absent = `DEFAULT_PLAN_CASE_PACKS`. */
  casePacks?: CasePackSettings;
  /** The POS's limits on one product's shape; absent = not checked (nothing is split). */
  shapeLimits?: PosShapeLimits | null;
  /** Brand (`BrandRef.sourceId`) → the POS supplier the merchant mapped it to: used, never created. */
  brandSuppliers?: ReadonlyMap<string, { id: string; name: string }>;
  /** Items Tradeloop created, by POS item id: what it wrote and what the POS shows now (field ownership). */
  ownedItems?: ReadonlyMap<string, OwnedItem>;
  /** Update the price of an item Tradeloop created when the brand's price changes and nobody changed it in the POS. */
  followBrandPrices?: boolean;
  /** The organization: correlation keys are unique per organization and POS account (pos-catalog.ts). */
  keyScope?: string;
}

/**
 * Packed lines, as the merchant stocks them. `packPriceIs` says what a pack line's price is the price of:
 * NuORDER does not document it, so it is the merchant's visible choice [I]; `pack` by default, because the
 * line total NuORDER shows is price × quantity and the quantity counts packs.
 */
export interface CasePackSettings extends CasePackPolicy {
  packPriceIs: 'pack' | 'unit';
}

/** An item Tradeloop created: the brand's values it wrote, and the POS's values now (from the catalog mirror). */
export interface OwnedItem {
  posItemId: string;
  variantKey: string;
  /** The retail price Tradeloop wrote (or last updated to); null = none written. */
  writtenRetail: Money | null;
  /** The price the POS shows now; null when the mirror has none (then nothing is changed). */
  posRetail: Money | null;
}

// ---------------------------------------------------------------------------------------------------
// Output

export type ReviewReason =
  /** Several live POS items carry the GTIN, or several variants in the plan share it. */
  | 'duplicate_upc'
  /** The only POS items with the GTIN are archived (R-Series archiving is not reversible for stock). */
  | 'archived_only'
  | 'no_upc'
  | 'malformed_upc'
  /** The buyer's override names an unknown or archived item, or links a whole multi-size matrix to one item. */
  | 'override_invalid'
  /** The same variant arrives with different UPCs (in different orders of a bulk plan). */
  | 'conflicting_upc'
  /** Negative or fractional quantity. */
  | 'invalid_quantity'
  /** A readable code that is never matched across the catalog (restricted circulation, coupon, demo ...). */
  | 'unmatchable_code'
  /** The pricing policy cannot price the new item, or the price breaks its minimum margin. */
  | 'price_review'
  /** The new style cannot be shaped into a POS product (two sizes alike, a blank size). */
  | 'variant_shape'
  /** A packed line whose pack data do not add up (units per pack, packs). */
  | 'pack_invalid';

/** A POS item shown to the buyer as a possible match. */
export interface Candidate {
  posItemId: string;
  parentId: string | null;
  name: string;
  sku: string | null;
  archived: boolean;
}

export type LineDecision =
  /** `origin`: why the link exists (the item-link ledger), named by the review; set by the flow after planning. */
  | { kind: 'confirmed'; posItemId: string; origin?: LinkOrigin }
  | { kind: 'upc_match'; posItemId: string; gtin14: string }
  | { kind: 'linked_by_buyer'; posItemId: string; scope: 'line' | 'matrix' }
  /** Points at `newProducts[matrixKey].variants[variantKey]`. `byBuyer`: a create_new override, not the GTIN rule. */
  | { kind: 'new_item'; matrixKey: string; variantKey: string; byBuyer: boolean }
  | { kind: 'needs_review'; reason: ReviewReason; detail: string; candidates: Candidate[]; gtinProblem?: GtinProblem }
  /** Quantity 0: nothing to order, nothing to create. */
  | { kind: 'skipped'; reason: 'zero_quantity' };

export type DecisionKind = LineDecision['kind'];

export interface PlanLine {
  orderSourceId: string;
  lineKey: string;
  variantKey: string;
  matrixKey: string;
  styleNumber: string;
  color: string;
  size: string;
  name: string;
  /** The GTIN-14 the line matches by: its code read the GS1 way (UPC-E expanded; a case code's unit in units). */
  gtin14: string | null;
  rawUpc: string | null;
  /** Units on the PO (packs × units per pack when a pack line is stocked in units). */
  quantity: number;
  /** Cost of one of `quantity` (the pack cost ÷ units per pack, for units). */
  unitCost: Money;
  /** The brand's MSRP of one unit, as sent. */
  retailPrice: Money | null;
  decision: LineDecision;
  /** The override that decided this line, if any (also when it was refused). */
  override: ItemOverride | null;
  /** Set when the line's code may not match anything across the catalog (missing, unreadable, restricted ...). */
  code?: { refusal: MatchRefusal; message: string };
  /** A packed line (units per pack > 1): what was ordered and how it became `quantity` at `unitCost`. */
  pack?: PlanPack;
}

export interface PlanPack {
  packs: number;
  unitsPerPack: number;
  /** The cost of one pack, as the brand bills it. */
  packCost: Money;
  stock: 'units' | 'packs';
  /** In plain words: "2 packs of 12 → 24 units, $30.00 ÷ 12 each: $2.50 a unit, rounded half up (exact)". */
  rule: string;
  notes: string[];
  /** PO total − the brand's total: non-zero only when rounding a unit cost left a gap. */
  difference: Money;
}

export type WarningCode =
  /** An item link points at a POS item that no longer exists; the line was matched by UPC instead. */
  | 'LINK_TARGET_MISSING'
  /** An item link points at an archived POS item; the line was matched by UPC instead. */
  | 'LINK_TARGET_ARCHIVED'
  /** The linked item does not carry the line's GTIN, while other live items do. */
  | 'LINK_DIFFERS_FROM_UPC'
  /** A GTIN in the plan is carried by several live POS items. */
  | 'DUPLICATE_UPC_IN_POS'
  /** Different variants in the plan share one GTIN (vendor data error). */
  | 'GTIN_SHARED_BY_VARIANTS'
  /** One order has several lines with the same GTIN. */
  | 'DUPLICATE_GTIN_IN_ORDER'
  /** Different variants would land on the same POS item. */
  | 'POS_ITEM_SHARED_BY_VARIANTS'
  /** The variants of one style/color match items of different POS families. */
  | 'MATRIX_SPANS_POS_PARENTS'
  /** Some variants of a style/color exist in the POS, others will be created. */
  | 'MATRIX_PARTLY_NEW'
  /** A new item will be created although live POS items carry its GTIN (buyer chose create_new). */
  | 'NEW_ITEM_DUPLICATES_UPC'
  /** The same new variant is ordered at different costs in different orders; the first order's cost is used for the item. */
  | 'NEW_VARIANT_COST_DIFFERS'
  /** The source left a value out of a line (its `gaps`, e.g. no retail price); the line goes on without it. */
  | 'LINE_DATA_MISSING'
  /** A new style is over the POS's product shape and becomes several products (the steps say how). */
  | 'STYLE_SPLIT'
  /** An item Tradeloop created keeps the price the merchant set in the POS, though the brand's price changed. */
  | 'PRICE_KEPT'
  /** An item Tradeloop created follows the brand's new price (nobody changed it in the POS). */
  | 'PRICE_UPDATED'
  /** A pack's unit cost was rounded, so the PO total differs from the brand's by the amount said. */
  | 'PACK_COST_ROUNDED';

export interface PlanWarning {
  code: WarningCode;
  level: 'item' | 'matrix' | 'variant' | 'line';
  message: string;
  matrixKey?: string;
  variantKey?: string;
  gtin14?: string;
  posItemIds?: string[];
  lines?: Array<{ orderSourceId: string; lineKey: string }>;
}

export type MatrixStatus =
  'confirmed' | 'upc_match' | 'linked_by_buyer' | 'new_item' | 'needs_review' | 'skipped' | 'mixed';

/** One style/color across the whole plan: what the buyer reviews. */
export interface PlanMatrix {
  matrixKey: string;
  brand: BrandRef;
  styleNumber: string;
  color: string;
  name: string;
  /** `needs_review` if any line needs review; otherwise the lines' common kind, or `mixed`. */
  status: MatrixStatus;
  variantKeys: string[];
  lines: Array<{ orderSourceId: string; lineKey: string }>;
  warnings: PlanWarning[];
}

export interface NewVariant {
  variantKey: string;
  /** Written into the POS with the item (see ports/pos.ts). */
  correlationKey: string;
  size: string;
  gtin14: string | null;
  /** The barcode as the brand wrote it (spaces/hyphens removed), to store in the POS as typed. */
  upc: string | null;
  cost: Money;
  /** The retail price to write: the pricing policy's, see `price`. */
  retail: Money | null;
  /** How `retail` was made, for the review (absent on plans made before pricing policies). */
  price?: VariantPrice;
  /** A pack item: how it is told apart from the unit ("pack of 12"), also in its size. */
  packLabel?: string;
  orderSourceIds: string[];
}

export interface VariantPrice {
  /** The brand's MSRP for this item (× units per pack for a pack item), as sent. */
  msrp: Money | null;
  /** "cost × 2.2, rounded up to .99, raised to the MSRP floor". */
  rule: string;
  /** Margin over cost in tenths of a percent, truncated; null without a price. */
  marginPermille: number | null;
  policyVersion: number;
  /** Why a person must look at it before it is created (a buyer's "create new" accepts it as shown). */
  review?: { code: string; message: string };
}

/** One product (matrix/family) to create, however many orders want it. */
export interface NewProduct {
  matrixKey: string;
  correlationKey: string;
  brand: BrandRef;
  styleNumber: string;
  color: string;
  name: string;
  season: string | null;
  category: string | null;
  images: string[];
  /**
   * Set when the style/color's other variants already exist in one POS family: the new variants belong
   * in that family. Null when there is none or when they span several families.
   */
  existingParentId: string | null;
  variants: NewVariant[];
  /** The style/color's matrix key; differs from `matrixKey` when the style was split to fit the POS. */
  styleKey?: string;
  /** Added to the style's name by a split (" (1 of 2)"), "" otherwise. */
  nameSuffix?: string;
  /** What the split did, in plain words; empty when the style fits as it is. */
  shapeSteps?: string[];
}

export type PoLineTarget =
  | { kind: 'existing'; posItemId: string }
  | { kind: 'new'; matrixKey: string; variantKey: string }
  /** Needs review: not applicable until the buyer decides. */
  | { kind: 'unresolved' };

export interface PlannedPoLine {
  target: PoLineTarget;
  quantity: number;
  unitCost: Money;
  /** Order lines merged into this PO line (several only when they point at the same item). */
  sourceLineKeys: string[];
}

/** The purchase order one wholesale order will become. */
export interface PlannedPurchaseOrder {
  orderSourceId: string;
  orderNumber: string;
  brand: BrandRef;
  currency: string;
  customerPoNumber: string | null;
  shipWindow: ShipWindow;
  notes: string;
  lines: PlannedPoLine[];
  /** What the PO is found by in the POS; absent in plans made before keys were scoped (`purchaseOrderKeyOf`). */
  correlationKey?: string;
}

export interface PlanCounts {
  orders: number;
  lines: number;
  confirmed: number;
  upcMatch: number;
  linkedByBuyer: number;
  newItem: number;
  needsReview: number;
  skipped: number;
  newProducts: number;
  newVariants: number;
  poLines: number;
}

export type BlockerCode =
  | 'LINES_NEED_REVIEW'
  | 'ORDER_CANCELLED'
  | 'ORDER_EMPTY'
  | 'ORDER_MALFORMED'
  | 'DUPLICATE_ORDER'
  | 'PO_LINE_COST_CONFLICT'
  | 'CURRENCY_MISMATCH';

export interface PlanBlocker {
  code: BlockerCode;
  message: string;
  orderSourceId?: string;
  lines?: Array<{ orderSourceId: string; lineKey: string }>;
}

export type OverrideProblemCode =
  /** Blocks the lines it covers (needs_review/override_invalid). */
  | 'UNKNOWN_POS_ITEM'
  | 'ARCHIVED_POS_ITEM'
  | 'MATRIX_LINK_AMBIGUOUS'
  /** Reported only: the key matches no line of this plan. */
  | 'KEY_NOT_IN_PLAN'
  /** Reported only: a later override with the same scope and key replaced this one. */
  | 'SUPERSEDED';

export interface OverrideProblem {
  code: OverrideProblemCode;
  override: ItemOverride;
  message: string;
}

export interface EvidenceItem {
  posItemId: string;
  parentId: string | null;
  archived: boolean;
  version: string;
}

/**
 * Everything the plan read from the POS, sorted: the fingerprint is its hash. Kept in the stored plan
 * so that drift can be checked by looking up the same GTINs and ids again (`refreshEvidence`).
 */
export interface PlanEvidence {
  /** Every GTIN looked up, with every item carrying it (archived too), sorted by id. */
  gtins: Array<{ gtin14: string; candidates: EvidenceItem[] }>;
  /** Every item looked up by id (link and override targets); null = not found. */
  items: Array<{ posItemId: string; item: EvidenceItem | null }>;
}

export interface ExportPlan {
  lines: PlanLine[];
  matrices: PlanMatrix[];
  newProducts: NewProduct[];
  purchaseOrders: PlannedPurchaseOrder[];
  counts: PlanCounts;
  canApply: boolean;
  blockers: PlanBlocker[];
  warnings: PlanWarning[];
  overrideProblems: OverrideProblem[];
  evidence: PlanEvidence;
  fingerprint: string;
  /** The pricing policy version that priced the new items (0 = the MSRP as sent, no policy saved). */
  pricingVersion?: number;
  /** The POS supplier each brand's lines go to, where the merchant mapped one (else found or created at apply). */
  suppliers?: PlanSupplier[];
  /** Prices of items Tradeloop created that follow the brand's new price (field ownership). */
  itemUpdates?: ItemUpdate[];
}

export interface PlanSupplier {
  brand: BrandRef;
  /** Null: not mapped; the export finds the brand's supplier by its id or name, or creates one. */
  supplierId: string | null;
  supplierName: string | null;
}

export interface ItemUpdate {
  posItemId: string;
  variantKey: string;
  /** The price to write, and the one Tradeloop wrote before (still the POS's). */
  retail: Money;
  from: Money | null;
  rule: string;
}
