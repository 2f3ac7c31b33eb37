/** Replies of receiving against a synced PO and of the discrepancy audit (routes/receiving.ts). */
import { z } from 'zod';
import { money, timestamp } from './common.ts';

export const receivingItem = z
  .object({
    posItemId: z.string(),
    label: z.string(),
    sku: z.string().nullable(),
    codes: z.array(z.string()).describe("Codes a scan matches: the brand's UPC, the POS item's barcodes, its SKU"),
    ordered: z.number().int(),
    received: z.number().int().describe('Received so far, in Tradeloop or directly in the POS'),
    remaining: z.number().int(),
  })
  .meta({ id: 'ReceivingItem' });

export const receiptView = z
  .object({
    id: z.string(),
    state: z.enum(['queued', 'committing', 'committed', 'failed']),
    poNumber: z.string(),
    units: z.number().int(),
    lines: z.array(z.object({ posItemId: z.string(), label: z.string(), quantity: z.number().int() })),
    remainderPoNumber: z.string().nullable().describe('Where the units still open went (X-Series: a new order)'),
    error: z.string().nullable(),
    createdAt: timestamp,
    committedAt: timestamp.nullable(),
  })
  .meta({ id: 'Receipt' });

export const receivingPage = z
  .object({
    exportId: z.string(),
    orderId: z.string(),
    orderNumber: z.string(),
    connectionName: z.string(),
    po: z.object({
      id: z.string(),
      number: z.string(),
      url: z.string(),
      status: z.string(),
      receivable: z.boolean(),
    }),
    stockOnCommit: z
      .boolean()
      .describe('Committing adds the units to stock (X-Series); false: check them in in the POS (R-Series)'),
    items: z.array(receivingItem),
    receipts: z.array(receiptView),
  })
  .meta({ id: 'ReceivingPage' });

export const receiptRequest = z.object({
  receiptId: z.uuid('must be a UUID the client chose (the same on a retry)'),
  lines: z
    .array(
      z.object({
        posItemId: z.string().min(1),
        quantity: z.number().int().min(0),
        acceptedOver: z.number().int().min(0).optional().describe('Units past what is open that a person accepted'),
      }),
    )
    .min(1)
    .max(2000),
  flags: z
    .array(z.object({ kind: z.string().max(40), code: z.string().max(100).optional(), message: z.string().max(500) }))
    .max(500)
    .optional(),
});

export const receiptAccepted = z
  .object({ receipt: receiptView, created: z.boolean(), jobId: z.string() })
  .meta({ id: 'ReceiptAccepted' });

export const auditIssue = z.object({
  kind: z.enum([
    'missing_from_po',
    'quantity_differs',
    'cost_differs',
    'only_on_po',
    'removed_from_order',
    'relinked',
    'over_shipped',
    'short_shipped',
    'shipped_not_ordered',
    'over_received',
    'short_received',
  ]),
  message: z.string(),
});

export const auditRowView = z
  .object({
    orderNumber: z.string(),
    lineKey: z.string().nullable(),
    posItemId: z.string().nullable(),
    label: z.string(),
    ordered: z.number().int().nullable(),
    onPo: z.number().int().nullable(),
    shipped: z.number().int().nullable(),
    received: z.number().int().nullable(),
    orderedCost: money.nullable(),
    poCost: money.nullable(),
    issues: z.array(auditIssue),
  })
  .meta({ id: 'AuditRow' });

export const auditReport = z
  .object({
    orders: z.array(
      z.object({
        orderId: z.string(),
        orderNumber: z.string(),
        brandName: z.string(),
        poNumber: z.string().nullable(),
        issues: z.number().int(),
        error: z.string().nullable(),
        rows: z.array(auditRowView),
      }),
    ),
    total: z.number().int().describe('Orders listed'),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .meta({ id: 'AuditReport' });

export const auditFlags = z
  .object({
    orders: z.array(z.object({ orderId: z.string(), issues: z.number().int(), checkedAt: timestamp })),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .meta({ id: 'AuditFlags' });
