/** The shapes the Tradeloop API answers with (see /api/openapi.json), as the web app reads them. */

export interface Money {
  minor: number;
  currency: string;
}

export type ConnectionSystem = 'nuorder' | 'lightspeed-x' | 'lightspeed-r' | 'netsuite';
export type PosSystem = 'lightspeed-x' | 'lightspeed-r';

export type RateHeadroom =
  | {
      kind: 'window';
      limit: number;
      remaining: number;
      resetAt: number | null;
      updatedAt: number;
      blockedUntil: number;
    }
  | {
      kind: 'leaky-bucket';
      level: number;
      size: number;
      dripPerSecond: number;
      updatedAt: number;
      blockedUntil: number;
    };

export interface Connection {
  id: string;
  system: ConnectionSystem;
  name: string;
  status: 'linked' | 'needs_relink' | 'unlinked';
  accountId: string;
  syncMode: 'manual' | 'automatic' | null;
  defaultLocationId: string | null;
  brandName: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
  rateHeadroom: RateHeadroom | null;
  catalogItems: number | null;
  itemLinks: number | null;
  createdAt: string;
}

export interface DemoHints {
  nuorder?: { consumerKey: string; consumerSecret: string; brands: string[] };
  simulators?: Record<string, string>;
}

export interface ConnectionsResponse {
  connections: Connection[];
  providers: { lightspeedX: boolean; lightspeedR: boolean; nuorderBaseUrl: string; demo: DemoHints | null };
}

export interface ConnectionHealth {
  connectionId: string;
  lastOrderSyncAt: string | null;
  lastCatalogSyncAt: string | null;
  syncing: boolean;
  orders: number | null;
  lastJobError: string | null;
}

export interface PosLocation {
  id: string;
  name: string;
  currency: string | null;
  archived: boolean;
}

export interface ExportSummary {
  linesSynced: number;
  matchedItemsUpdated: number;
  newDraftItems: number;
  newProducts: number;
  rejectedLines: Array<{ posItemId: string; lineKeys: string[]; message: string }>;
  warnings: string[];
  timeTakenMs: number;
}

export type SyncState = 'not_exported' | 'needs_review' | 'in_progress' | 'exported' | 'failed';

export type SyncStatus =
  | { state: 'not_exported' }
  | { state: 'needs_review'; planId: string; reason: string }
  | { state: 'in_progress'; exportId: string; planId: string; stepsDone: number; startedAt: number }
  | {
      state: 'exported';
      exportId: string;
      poId: string | null;
      poNumber: string | null;
      poUrl: string | null;
      exportedAt: number | null;
      summary: ExportSummary | null;
    }
  | {
      state: 'failed';
      exportId: string;
      planId: string;
      code: string | null;
      reason: string | null;
      retryable: boolean;
    };

export interface OrderSyncStatus {
  connectionId: string;
  connectionName: string;
  system: string;
  status: SyncStatus;
}

export interface OrderSummary {
  id: string;
  orderNumber: string;
  brand: string;
  status: string;
  currency: string;
  total: string;
  totalMinor: number;
  lineCount: number;
  unitCount: number;
  shipStart: string | null;
  shipEnd: string | null;
  createdAt: string | null;
  sync: OrderSyncStatus[];
}

export interface OrdersResponse {
  orders: OrderSummary[];
  total: number;
  brands: string[];
}

export interface PostalAddress {
  name: string | null;
  line1: string | null;
  line2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
}

export interface ShipWindow {
  start: string | null;
  end: string | null;
}

export interface OrderLine {
  lineKey: string;
  productSourceId: string;
  brand: { sourceId: string; name: string };
  styleNumber: string;
  season: string | null;
  color: string;
  colorCode: string | null;
  size: string;
  name: string;
  rawUpc: string | null;
  gtin: { ok: true; gtin14: string } | { ok: false; problem: string; raw?: string | null };
  quantity: number;
  unitCost: Money;
  retailPrice: Money | null;
  shipWindow: ShipWindow | null;
  images: string[];
  category: string | null;
}

export interface WholesaleOrderDocument {
  sourceId: string;
  orderNumber: string;
  status: string;
  brand: { sourceId: string; name: string };
  retailer: {
    sourceId: string | null;
    name: string;
    code: string | null;
    buyerName: string | null;
    buyerEmail: string | null;
  };
  customerPoNumber: string | null;
  currency: string;
  shipWindow: ShipWindow;
  notes: string;
  createdAt: string;
  modifiedAt: string;
  billingAddress: PostalAddress | null;
  shippingAddress: PostalAddress | null;
  lines: OrderLine[];
}

export interface ExportView {
  id: string;
  orderId: string;
  orderNumber: string | null;
  connectionId: string;
  planId: string;
  state: 'in_progress' | 'exported' | 'failed';
  poId: string | null;
  poNumber: string | null;
  poUrl: string | null;
  failure: { code: string; message: string; retryable: boolean } | null;
  summary: ExportSummary | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface AmendmentView {
  id: string;
  state: string;
  detectedAt: string;
  changes: Array<{ kind: string; lineKey: string | null; before: unknown; after: unknown; cancellation?: boolean }>;
}

export interface OrderDetail extends OrderSummary {
  document: WholesaleOrderDocument;
  exports: ExportView[];
  amendments: AmendmentView[];
}

// --- Plans --------------------------------------------------------------------------------------------

export type ReviewReason =
  | 'duplicate_upc'
  | 'archived_only'
  | 'no_upc'
  | 'malformed_upc'
  | 'override_invalid'
  | 'conflicting_upc'
  | 'invalid_quantity';

export interface Candidate {
  posItemId: string;
  parentId: string | null;
  name: string;
  sku: string | null;
  archived: boolean;
}

export type LineDecision =
  | { kind: 'confirmed'; posItemId: string }
  | { kind: 'upc_match'; posItemId: string; gtin14: string }
  | { kind: 'linked_by_buyer'; posItemId: string; scope: 'line' | 'matrix' }
  | { kind: 'new_item'; matrixKey: string; variantKey: string; byBuyer: boolean }
  | { kind: 'needs_review'; reason: ReviewReason; detail: string; candidates: Candidate[]; gtinProblem?: string }
  | { kind: 'skipped'; reason: 'zero_quantity' };

export type OverrideAction = { kind: 'link'; posItemId: string } | { kind: 'create_new' };

export interface ItemOverride {
  scope: 'line' | 'matrix';
  key: string;
  action: OverrideAction;
}

export interface PlanLine {
  orderSourceId: string;
  lineKey: string;
  variantKey: string;
  matrixKey: string;
  styleNumber: string;
  color: string;
  size: string;
  name: string;
  gtin14: string | null;
  rawUpc: string | null;
  quantity: number;
  unitCost: Money;
  retailPrice: Money | null;
  decision: LineDecision;
  override: ItemOverride | null;
}

export interface PlanWarning {
  code: string;
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

export interface PlanMatrix {
  matrixKey: string;
  brand: { sourceId: string; name: string };
  styleNumber: string;
  color: string;
  name: string;
  status: MatrixStatus;
  variantKeys: string[];
  lines: Array<{ orderSourceId: string; lineKey: string }>;
  warnings: PlanWarning[];
}

export interface NewProduct {
  matrixKey: string;
  brand: { sourceId: string; name: string };
  styleNumber: string;
  color: string;
  name: string;
  existingParentId: string | null;
  variants: Array<{
    variantKey: string;
    size: string;
    gtin14: string | null;
    upc: string | null;
    cost: Money;
    retail: Money | null;
    orderSourceIds: string[];
  }>;
}

export interface PlannedPurchaseOrder {
  orderSourceId: string;
  orderNumber: string;
  brand: { sourceId: string; name: string };
  currency: string;
  customerPoNumber: string | null;
  shipWindow: ShipWindow;
  notes: string;
  lines: Array<{
    target:
      | { kind: 'existing'; posItemId: string }
      | { kind: 'new'; matrixKey: string; variantKey: string }
      | { kind: 'unresolved' };
    quantity: number;
    unitCost: Money;
    sourceLineKeys: string[];
  }>;
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

export interface Plan {
  id: string;
  state: 'draft' | 'applying' | 'applied' | 'superseded';
  connectionId: string;
  locationId: string;
  orderIds: string[];
  overrides: ItemOverride[];
  canApply: boolean;
  counts: PlanCounts;
  blockers: Array<{
    code: string;
    message: string;
    orderSourceId?: string;
    lines?: Array<{ orderSourceId: string; lineKey: string }>;
  }>;
  warnings: PlanWarning[];
  matrices: PlanMatrix[];
  lines: PlanLine[];
  newProducts: NewProduct[];
  purchaseOrders: PlannedPurchaseOrder[];
  overrideProblems: Array<{ code: string; message: string; override: ItemOverride }>;
  fingerprint: string;
  createdAt: string;
}

export interface ItemDetail {
  posItemId: string;
  name: string;
  sku: string | null;
  gtins: string[];
  archived: boolean;
  parentId: string | null;
  familySize: number;
  linkedVariants: string[];
}

export interface PlanCandidates {
  items: ItemDetail[];
  byGtin: Record<string, string[]>;
}

export interface Progress {
  planId: string;
  state: string;
  steps: Array<{ key: string; state: string; orderId: string | null; error: string | null }>;
  totalSteps: number;
  exports: ExportView[];
}

export type EvidenceChange =
  | { kind: 'gtin_item_added'; gtin14: string; posItemId: string; archived: boolean }
  | { kind: 'gtin_item_removed'; gtin14: string; posItemId: string }
  | { kind: 'item_archived'; posItemId: string }
  | { kind: 'item_unarchived'; posItemId: string }
  | { kind: 'item_removed'; posItemId: string }
  | { kind: 'item_appeared'; posItemId: string }
  | { kind: 'version_changed'; posItemId: string; before: string; after: string }
  | { kind: 'parent_changed'; posItemId: string; before: string | null; after: string | null }
  | { kind: 'lookup_added'; gtin14?: string; posItemId?: string }
  | { kind: 'lookup_dropped'; gtin14?: string; posItemId?: string };

export interface PurchaseOrderView {
  exportId: string;
  planId: string;
  orderId: string;
  orderNumber: string | null;
  brand: string | null;
  connectionId: string;
  connectionName: string;
  system: string;
  locationId: string | null;
  locationName: string | null;
  poId: string | null;
  poNumber: string | null;
  poUrl: string | null;
  backofficeUrl: string | null;
  source: 'nuorder';
  tag: string;
  exportedAt: string | null;
  summary: ExportSummary | null;
}

export interface PurchaseOrderDetail extends PurchaseOrderView {
  live: {
    status: string | null;
    open: boolean | null;
    lines: Array<{
      posItemId: string;
      name: string | null;
      sku: string | null;
      quantity: number;
      unitCost: Money | null;
      received: number;
    }>;
  } | null;
  liveError: string | null;
}
