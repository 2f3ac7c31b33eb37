/**
 * The shapes the Tradeloop API answers with: the server's own types, inferred from the zod schemas that write
 * /api/openapi.json (src/http/api-types.ts). Type-only imports, erased from the bundle; nothing here is a copy.
 */
import type * as api from '../../src/http/api-types.ts';

export type {
  Money,
  Connection,
  RateHeadroom,
  DemoHints,
  PosLocation,
  ConnectionHealth,
  ExportSummary,
  SyncStatus,
  OrderSyncStatus,
  OrderSummary,
  OrderLine,
  ExportView,
  OrderDetail,
  Plan,
  PlanLine,
  PlanWarning,
  PlanMatrix,
  NewProduct,
  PlannedPurchaseOrder,
  PlanCounts,
  LineDecision,
  Candidate,
  ItemOverride,
  PlanCandidates,
} from '../../src/http/api-types.ts';
// The details of a PLAN_DRIFTED answer: core's own shape.
export type { EvidenceChange } from '../../src/core/plan.ts';

export type ConnectionSystem = api.Connection['system'];
export type PosSystem = Exclude<ConnectionSystem, 'nuorder' | 'netsuite'>;
export type ConnectionsResponse = api.ConnectionList;
export type SyncState = api.SyncStatus['state'];
export type OrdersResponse = api.OrdersPage;
export type WholesaleOrderDocument = api.WholesaleOrder;
export type PostalAddress = NonNullable<api.WholesaleOrder['shippingAddress']>;
export type ShipWindow = api.WholesaleOrder['shipWindow'];
export type AmendmentView = api.Amendment;
export type ReviewReason = Extract<api.LineDecision, { kind: 'needs_review' }>['reason'];
export type OverrideAction = api.ItemOverride['action'];
export type MatrixStatus = api.PlanMatrix['status'];
export type ItemDetail = api.CatalogItem;
export type Progress = api.PlanProgress;
export type PurchaseOrderView = api.SyncedPurchaseOrder;
export type PurchaseOrderDetail = api.SyncedPurchaseOrderDetail;
