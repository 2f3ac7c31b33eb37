/** Reads the web app needs beyond the export engine's API (routes/web-support.ts), as the API answers them. */
import { z } from 'zod';
import { money, pageFields, timestamp } from './common.ts';
import { exportSummary } from './exports.ts';

export const catalogItem = z
  .object({
    posItemId: z.string(),
    name: z.string(),
    sku: z.string().nullable(),
    gtins: z.array(z.string()),
    archived: z.boolean(),
    parentId: z.string().nullable(),
    familySize: z.number().int().describe('Items of the same POS family (matrix) in the mirror, this one included'),
    linkedVariants: z.array(z.string()).describe('Wholesale variants already linked to this item on this connection'),
  })
  .meta({ id: 'CatalogItem', description: "An item of a POS connection's catalog mirror" });

export const guideState = z
  .object({
    step: z.number().int().min(0).max(20),
    dismissed: z.boolean(),
    completed: z.boolean(),
    seen: z.boolean().describe('False until the person first saw the guide: the web app opens it on first sign-in'),
  })
  .meta({ id: 'GuideState' });

export const connectionHealth = z
  .object({
    connectionId: z.string(),
    lastOrderSyncAt: timestamp.nullable(),
    lastCatalogSyncAt: timestamp.nullable(),
    syncing: z.boolean(),
    orders: z.number().int().nullable(),
    lastJobError: z.string().nullable(),
  })
  .meta({ id: 'ConnectionHealth' });

export const planCandidates = z
  .object({
    items: z.array(catalogItem),
    byGtin: z.record(z.string(), z.array(z.string())).describe("The POS items carrying each of the plan's GTINs"),
  })
  .meta({ id: 'PlanCandidates' });

export const purchaseOrderView = z
  .object({
    exportId: z.string(),
    planId: z.string(),
    orderId: z.string(),
    orderNumber: z.string().nullable(),
    brand: z.string().nullable(),
    connectionId: z.string(),
    connectionName: z.string(),
    system: z.string(),
    posLabel: z.string().describe("The POS system's short name, e.g. X-Series"),
    locationId: z.string().nullable(),
    locationName: z.string().nullable(),
    poId: z.string().nullable(),
    poNumber: z.string().nullable(),
    poUrl: z.string().nullable(),
    backofficeUrl: z.string().nullable().describe('In demo mode: the simulator back-office page that shows this PO'),
    source: z.literal('nuorder'),
    tag: z.string(),
    exportedAt: timestamp.nullable(),
    summary: exportSummary.nullable(),
  })
  .meta({ id: 'SyncedPurchaseOrder', description: 'A purchase order Tradeloop created in the POS' });

export const purchaseOrdersPage = z
  .object({ purchaseOrders: z.array(purchaseOrderView), ...pageFields })
  .meta({ id: 'SyncedPurchaseOrderPage' });

export const purchaseOrderDetail = purchaseOrderView
  .extend({
    live: z
      .object({
        status: z.string().nullable(),
        open: z.boolean().nullable(),
        lines: z.array(
          z.object({
            posItemId: z.string(),
            name: z.string().nullable(),
            sku: z.string().nullable(),
            quantity: z.number(),
            unitCost: money.nullable(),
            received: z.number(),
          }),
        ),
      })
      .nullable()
      .describe('The PO as the POS shows it now; null when it cannot be read (see liveError)'),
    liveError: z.string().nullable(),
  })
  .meta({ id: 'SyncedPurchaseOrderDetail' });
