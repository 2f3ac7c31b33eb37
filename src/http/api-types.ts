/**
 * The API's replies as TypeScript types, inferred from the zod schemas that the routes answer with and that
 * write `/api/openapi.json`. The web app imports them as types only (erased from its bundle), so it reads what
 * the server answers, not a copy kept by hand.
 */
import type { z } from 'zod';
import type { meView } from './auth.ts';
import type * as amendments from './schemas/amendments.ts';
import type { money } from './schemas/common.ts';
import type * as connections from './schemas/connections.ts';
import type * as exports from './schemas/exports.ts';
import type * as itemLinks from './schemas/item-links.ts';
import type * as jobs from './schemas/jobs.ts';
import type * as merchant from './schemas/merchant.ts';
import type * as orders from './schemas/orders.ts';
import type * as plan from './schemas/plan.ts';
import type * as receiving from './schemas/receiving.ts';
import type * as reorder from './schemas/reorder.ts';
import type * as sales from './schemas/sales.ts';
import type * as web from './schemas/web.ts';
import type { salesStatusView, settingsSchema } from './routes/sales-status.ts';
import type { nuorderLinkReply, retailersReply } from './routes/nuorder-link.ts';

export type Money = z.output<typeof money>;
export type Me = z.output<typeof meView>;

// Connections
export type Connection = z.output<typeof connections.connectionView>;
export type ConnectionList = z.output<typeof connections.connectionsList>;
export type RateHeadroom = z.output<typeof connections.rateHeadroom>;
export type DemoHints = z.output<typeof connections.demoHints>;
export type PosLocation = z.output<typeof connections.posLocation>;
export type NuorderLinkReply = z.output<typeof nuorderLinkReply>;
export type NuorderRetailers = z.output<typeof retailersReply>;

// Orders and exports
export type OrderSummary = z.output<typeof orders.orderSummaryView>;
export type OrdersPage = z.output<typeof orders.ordersPage>;
export type OrderDetail = z.output<typeof orders.orderDetailView>;
export type OrderSyncStatus = z.output<typeof orders.orderSyncStatus>;
export type SyncStatus = z.output<typeof orders.syncStatus>;
export type WholesaleOrder = z.output<typeof orders.wholesaleOrder>;
export type OrderLine = z.output<typeof orders.orderLine>;
export type Amendment = z.output<typeof orders.amendmentView>;
export type AmendmentDecision = z.output<typeof amendments.amendmentDecision>;
export type AmendmentsPage = z.output<typeof amendments.amendmentsPage>;
export type AmendmentPlan = z.output<typeof amendments.amendmentPlan>;
export type AmendmentAccepted = z.output<typeof amendments.amendmentAccepted>;
export type AmendmentProgress = z.output<typeof amendments.amendmentProgress>;
export type ExportView = z.output<typeof exports.exportView>;
export type ExportSummary = z.output<typeof exports.exportSummary>;
export type ExportsPage = z.output<typeof exports.exportsPage>;
export type ApplyAccepted = z.output<typeof exports.applyAccepted>;
export type PlanProgress = z.output<typeof exports.planProgress>;

// Plans
export type Plan = z.output<typeof plan.planView>;
export type PlanLine = z.output<typeof plan.planLine>;
export type PlanMatrix = z.output<typeof plan.planMatrix>;
export type PlanWarning = z.output<typeof plan.planWarning>;
export type PlanCounts = z.output<typeof plan.planCounts>;
export type PlanBlocker = z.output<typeof plan.planBlocker>;
export type NewProduct = z.output<typeof plan.newProduct>;
export type PlannedPurchaseOrder = z.output<typeof plan.plannedPurchaseOrder>;
export type LineDecision = z.output<typeof plan.lineDecision>;
export type Candidate = z.output<typeof plan.candidate>;
export type ItemOverride = z.output<typeof plan.itemOverride>;
export type OverrideProblem = z.output<typeof plan.overrideProblem>;

// What the web app reads beyond the export engine
export type CatalogItem = z.output<typeof web.catalogItem>;
export type PlanCandidates = z.output<typeof web.planCandidates>;
export type ConnectionHealth = z.output<typeof web.connectionHealth>;
export type GuideState = z.output<typeof web.guideState>;
export type SyncedPurchaseOrder = z.output<typeof web.purchaseOrderView>;
export type SyncedPurchaseOrderPage = z.output<typeof web.purchaseOrdersPage>;
export type SyncedPurchaseOrderDetail = z.output<typeof web.purchaseOrderDetail>;

// Merchant settings
export type PricingPolicy = z.output<typeof merchant.pricingPolicy>;
export type Pricing = z.output<typeof merchant.pricingView>;
export type PricingDryRun = z.output<typeof merchant.pricingDryRun>;
export type Mappings = z.output<typeof merchant.mappingsView>;
export type OrdersLocation = z.output<typeof merchant.ordersLocation>;
export type Forecast = z.output<typeof merchant.forecastView>;
export type BrandsPage = z.output<typeof merchant.brandsPage>;

// Jobs
export type Job = z.output<typeof jobs.jobView>;
export type JobsPage = z.output<typeof jobs.jobsPage>;

// The sales sync
export type SalesStatus = z.output<typeof salesStatusView>;
export type SalesSettings = z.output<typeof settingsSchema>;
export type SalesRules = z.output<typeof sales.salesRules>;
export type SalesRuleSet = z.output<typeof sales.ruleSetDocument>;
export type SalesRuleSetVersion = z.output<typeof sales.ruleSetVersion>;
export type SalesRuleIssue = z.output<typeof sales.ruleIssue>;
export type SalesDryRun = z.output<typeof sales.salesDryRun>;
export type SalesLogEntry = z.output<typeof sales.salesLogEntry>;
export type SalesLogPage = z.output<typeof sales.salesLogPage>;

// Receiving against a synced PO, the discrepancy audit
export type ReceivingPage = z.output<typeof receiving.receivingPage>;
export type ReceiptAccepted = z.output<typeof receiving.receiptAccepted>;
export type AuditReport = z.output<typeof receiving.auditReport>;
export type AuditRowView = z.output<typeof receiving.auditRowView>;
export type AuditFlags = z.output<typeof receiving.auditFlags>;

// The item-link ledger, likely duplicates, reorder (issue 15)
export type ItemLinksPage = z.output<typeof itemLinks.linksPage>;
export type ItemLinkHistory = z.output<typeof itemLinks.linkHistory>;
export type LikelyDuplicates = z.output<typeof itemLinks.duplicatesReply>;
export type ReorderDraft = z.output<typeof reorder.reorderDraft>;
export type ReorderSent = z.output<typeof reorder.reorderSent>;
export type PosReordersPage = z.output<typeof reorder.posReordersPage>;
