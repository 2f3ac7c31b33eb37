/** The shapes the Tradeloop API answers with (see /api/openapi.json), as the web app reads them. */

export type { Money } from '../../src/core/money.ts';
import type { Money } from '../../src/core/money.ts';

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
  /** R-Series only: the account currency Tradeloop was told; null = USD assumed. */
  currency: string | null;
  defaultLocationId: string | null;
  brandName: string | null;
  /** NuORDER: the merchant's store among the brand's retailers; null = not chosen, nothing is imported. */
  retailer: { id: string; name: string } | null;
  lastSyncAt: string | null;
  lastError: string | null;
  rateHeadroom: RateHeadroom | null;
  catalogItems: number | null;
  itemLinks: number | null;
  createdAt: string;
}

export interface DemoHints {
  nuorder?: { consumerKey: string; consumerSecret: string; brands: string[] };
  netsuite?: { accountId: string; consumerKey: string; consumerSecret: string; tokenId: string; tokenSecret: string };
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

// The export summary and sync-status shapes are the server's own: type-only imports, erased from the bundle.
export type { ExportSummary } from '../../src/store/repos/exports.ts';
export type { SyncStatus, OrderSyncStatus } from '../../src/flows/order-status.ts';
import type { ExportSummary } from '../../src/store/repos/exports.ts';
import type { OrderSyncStatus } from '../../src/flows/order-status.ts';

export type SyncState = 'not_exported' | 'needs_review' | 'in_progress' | 'exported' | 'failed';

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
  /** What the source left out of the line (e.g. no retail price), in words. */
  gaps?: Array<{ field: string; reason: string }>;
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
  /** Waiting for the POS: it stopped answering; the export tries again by itself at nextTryAt. */
  waiting: { since: string; reason: string; nextTryAt: string } | null;
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

// The plan's shapes are the server's own (src/core/plan.ts): type-only imports, erased from the bundle.
export type {
  ReviewReason,
  Candidate,
  LineDecision,
  OverrideAction,
  ItemOverride,
  PlanLine,
  PlanWarning,
  MatrixStatus,
  PlanMatrix,
  NewProduct,
  PlannedPurchaseOrder,
  PlanCounts,
} from '../../src/core/plan.ts';
import type {
  ItemUpdate,
  PlanSupplier,
  PlanCounts,
  PlanLine,
  PlanWarning,
  PlanMatrix,
  NewProduct,
  PlannedPurchaseOrder,
  ItemOverride,
} from '../../src/core/plan.ts';

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
  /** The pricing policy version that priced the new items; 0 = the MSRP as sent. */
  pricingVersion?: number;
  suppliers?: PlanSupplier[];
  itemUpdates?: ItemUpdate[];
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

export type { EvidenceChange } from '../../src/core/plan.ts';

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
