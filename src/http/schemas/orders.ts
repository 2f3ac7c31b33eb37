/**
 * Wholesale orders as the API answers them: the list with each order's POS-sync status per POS connection,
 * and one order with its document (core/wholesale-order.ts), exports and amendments.
 */
import { z } from 'zod';
import type { AmendmentChange } from '../../core/amendment.ts';
import type { GtinResult } from '../../core/gtin.ts';
import type { OrderLine, PostalAddress, RetailerRef, WholesaleOrder } from '../../core/wholesale-order.ts';
import { jsonValue, money, pageFields, pageQuery, sameShape, timestamp } from './common.ts';
import { exportSummary, exportView, exportWaiting } from './exports.ts';
import { brandRef, shipWindow } from './plan.ts';
import { timelineStatusView, timelineView } from './timeline.ts';

export const orderStatuses = ['draft', 'review', 'pending', 'approved', 'processed', 'shipped', 'cancelled'] as const;
export const syncStates = ['not_exported', 'needs_review', 'in_progress', 'exported', 'failed'] as const;

const orderStatus = z.enum(orderStatuses);

/** One order's state on one POS connection; times as everywhere, ISO 8601. */
export const syncStatus = z
  .discriminatedUnion('state', [
    z.object({ state: z.literal('not_exported') }),
    z.object({ state: z.literal('needs_review'), planId: z.string(), reason: z.string() }),
    z.object({
      state: z.literal('in_progress'),
      exportId: z.string(),
      planId: z.string(),
      stepsDone: z.number().int(),
      startedAt: timestamp,
      waiting: exportWaiting.nullable(),
    }),
    z.object({
      state: z.literal('exported'),
      exportId: z.string(),
      poId: z.string().nullable(),
      poNumber: z.string().nullable(),
      poUrl: z.string().nullable(),
      exportedAt: timestamp.nullable(),
      summary: exportSummary.nullable(),
    }),
    z.object({
      state: z.literal('failed'),
      exportId: z.string().nullable().describe('Null when automatic sync failed before an export began: see jobId'),
      planId: z.string().nullable(),
      jobId: z.string().nullable().describe('The failed automatic sync job (retry it once the cause is fixed)'),
      code: z.string().nullable(),
      reason: z.string().nullable(),
      retryable: z.boolean(),
    }),
  ])
  .meta({ id: 'SyncStatus' });

export const orderSyncStatus = z
  .object({
    connectionId: z.string(),
    connectionName: z.string(),
    system: z.string(),
    posLabel: z.string().describe("The POS system's short name, e.g. X-Series"),
    status: syncStatus,
  })
  .meta({ id: 'OrderSyncStatus' });

export const orderSummaryView = z
  .object({
    id: z.string(),
    orderNumber: z.string(),
    brand: z.string(),
    status: orderStatus,
    currency: z.string(),
    total: z.string().describe('The total in words for people ("USD 3,118.00")'),
    totalMinor: z.number().int(),
    lineCount: z.number().int(),
    unitCount: z.number(),
    shipStart: timestamp.nullable(),
    shipEnd: timestamp.nullable(),
    createdAt: z.string().nullable().describe('When the order was placed at the source (ISO 8601, as it sent it)'),
    sync: z.array(orderSyncStatus),
    timeline: timelineStatusView.describe("The timeline's latest step: the orders list's status column"),
  })
  .meta({ id: 'OrderSummary' });

export const ordersQuery = z.object({
  brand: z.string().min(1).optional(),
  status: orderStatus.optional(),
  syncStatus: z.enum(syncStates).optional(),
  q: z.string().min(1).max(100).optional(),
  ...pageQuery(100, 500),
});

export const ordersPage = z
  .object({ orders: z.array(orderSummaryView), ...pageFields, brands: z.array(z.string()) })
  .meta({ id: 'OrdersPage' });

const gtinResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), gtin14: z.string() }),
  z.object({
    ok: z.literal(false),
    problem: z.enum(['missing', 'not_numeric', 'bad_length', 'bad_check_digit']),
    raw: z.string().nullable().optional(),
  }),
]);

const postalAddress = z
  .object({
    name: z.string().nullable(),
    line1: z.string().nullable(),
    line2: z.string().nullable(),
    city: z.string().nullable(),
    region: z.string().nullable(),
    postalCode: z.string().nullable(),
    country: z.string().nullable(),
  })
  .meta({ id: 'PostalAddress' });

export const orderLine = z
  .object({
    lineKey: z.string(),
    productSourceId: z.string(),
    brand: brandRef,
    styleNumber: z.string(),
    season: z.string().nullable(),
    color: z.string(),
    colorCode: z.string().nullable(),
    size: z.string(),
    name: z.string(),
    brandExternalId: z.string().nullable(),
    rawUpc: z.string().nullable(),
    gtin: gtinResult,
    quantity: z.number(),
    unitsPerPack: z.number().int().optional(),
    unitCost: money,
    retailPrice: money.nullable(),
    gaps: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
    shipWindow: shipWindow.nullable(),
    images: z.array(z.string()),
    category: z.string().nullable(),
  })
  .meta({ id: 'OrderLine', description: 'One size of one style/color, as ordered' });

const retailerRef = z.object({
  sourceId: z.string().nullable(),
  name: z.string(),
  code: z.string().nullable(),
  buyerName: z.string().nullable(),
  buyerEmail: z.string().nullable(),
});

export const wholesaleOrder = z
  .object({
    sourceId: z.string(),
    orderNumber: z.string(),
    status: orderStatus,
    brand: brandRef,
    retailer: retailerRef,
    customerPoNumber: z.string().nullable(),
    currency: z.string(),
    shipWindow,
    notes: z.string(),
    createdAt: z.string().describe('ISO 8601, as the source sent it'),
    modifiedAt: z.string().describe('ISO 8601, as the source sent it'),
    billingAddress: postalAddress.nullable(),
    shippingAddress: postalAddress.nullable(),
    lines: z.array(orderLine),
  })
  .meta({ id: 'WholesaleOrder', description: 'The order as Tradeloop keeps it, whatever platform it came from' });

const lineKey = z.string();
export const amendmentChange = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('line_added'), lineKey, before: z.null(), after: orderLine }),
    z.object({ kind: z.literal('line_removed'), lineKey, before: orderLine, after: z.null() }),
    z.object({ kind: z.literal('quantity_changed'), lineKey, before: z.number(), after: z.number() }),
    z.object({ kind: z.literal('cost_changed'), lineKey, before: money, after: money }),
    z.object({ kind: z.literal('retail_changed'), lineKey, before: money.nullable(), after: money.nullable() }),
    z.object({ kind: z.literal('upc_changed'), lineKey, before: z.string().nullable(), after: z.string().nullable() }),
    z.object({
      kind: z.literal('ship_window_changed'),
      lineKey: lineKey.nullable(),
      before: shipWindow.nullable(),
      after: shipWindow.nullable(),
    }),
    z.object({ kind: z.literal('notes_changed'), lineKey: z.null(), before: z.string(), after: z.string() }),
    z.object({
      kind: z.literal('status_changed'),
      lineKey: z.null(),
      before: orderStatus,
      after: orderStatus,
      cancellation: z.boolean(),
    }),
  ])
  .meta({ id: 'AmendmentChange' });

export const amendmentView = z
  .object({
    id: z.string(),
    state: z.enum(['open', 'accepted', 'dismissed']),
    detectedAt: timestamp,
    changes: z.array(amendmentChange),
  })
  .meta({ id: 'Amendment', description: 'What changed in the order after it was exported, for the buyer to see' });

export const fulfilmentEventView = z
  .object({
    kind: z.enum(['status_changed', 'shipment_added', 'shipment_changed', 'shipment_removed']),
    at: timestamp,
    detail: z.record(z.string(), jsonValue),
  })
  .meta({ id: 'FulfilmentEvent' });

export const orderDetailView = orderSummaryView
  .extend({
    document: wholesaleOrder,
    exports: z.array(exportView),
    amendments: z.array(amendmentView),
    timelineDetail: timelineView.describe('Every milestone, and the shipments the brand reported after export'),
    history: z
      .array(fulfilmentEventView)
      .describe('What the source said of the order since its export, change by change (status, shipments)'),
  })
  .meta({ id: 'OrderDetail' });

// The document's gtin keeps `raw` required-but-undefined in core; JSON drops an undefined, so it is optional here.
type JsonGtin =
  Exclude<GtinResult, { ok: false }> | (Omit<Extract<GtinResult, { ok: false }>, 'raw'> & { raw?: string | null });
type JsonLine = Omit<OrderLine, 'gtin'> & { gtin: JsonGtin };
sameShape<z.output<typeof gtinResult>, JsonGtin>(true);
sameShape<z.output<typeof postalAddress>, PostalAddress>(true);
sameShape<z.output<typeof retailerRef>, RetailerRef>(true);
sameShape<z.output<typeof orderLine>, JsonLine>(true);
sameShape<z.output<typeof wholesaleOrder>, Omit<WholesaleOrder, 'lines'> & { lines: JsonLine[] }>(true);
sameShape<
  z.output<typeof amendmentChange>,
  | Exclude<AmendmentChange, { kind: 'line_added' | 'line_removed' }>
  | { kind: 'line_added'; lineKey: string; before: null; after: JsonLine }
  | { kind: 'line_removed'; lineKey: string; before: JsonLine; after: null }
>(true);
