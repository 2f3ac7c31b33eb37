/** Replies of "Reorder" (flows/reorder/from-tradeloop.ts). */
import { z } from 'zod';
import { pageFields, timestamp } from './common.ts';

export const reorderDraft = z
  .object({
    orderId: z.string(),
    orderNumber: z.string(),
    brand: z.string(),
    lines: z.array(
      z.object({
        lineKey: z.string(),
        styleNumber: z.string(),
        color: z.string(),
        size: z.string(),
        name: z.string(),
        quantity: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'ReorderDraft' });

export const reorderSent = z
  .object({
    sourceId: z.string().describe("The new order's NuORDER id"),
    orderNumber: z.string(),
    status: z.string().describe("NuORDER's status word: the brand approves the order or suggests changes"),
    existed: z.boolean().describe('True when this reorder had been sent already (the same key)'),
    lines: z.number().int(),
    units: z.number().int(),
  })
  .meta({ id: 'ReorderSent' });

/** A reorder the merchant started in the POS back office (flows/reorder/from-pos/view.ts). */
export const posReorder = z
  .object({
    id: z.string(),
    status: z
      .enum(['sending', 'awaiting_approval', 'in_pos', 'nothing_mapped', 'failed'])
      .describe(
        'sending: being sent to NuORDER; awaiting_approval: sent, the brand has not approved it yet; in_pos: approved, pulled in and shown as exported to the PO; nothing_mapped: no line of the PO is linked to a style of the brand, nothing sent; failed: see error',
      ),
    brand: z.string(),
    purchaseOrder: z.object({ id: z.string(), number: z.string(), url: z.string().nullable() }),
    wholesaleOrder: z.object({ number: z.string(), sourceId: z.string().nullable() }),
    taggedIn: z.string().nullable().describe("The PO's field the NuORDER order number was written in"),
    orderId: z.string().nullable(),
    exportId: z.string().nullable(),
    lines: z.array(
      z.object({
        posItemId: z.string(),
        styleNumber: z.string(),
        color: z.string(),
        size: z.string(),
        quantity: z.number().int(),
      }),
    ),
    unmappedLines: z
      .array(z.object({ posItemId: z.string(), quantity: z.number().int(), reason: z.string() }))
      .describe('PO lines not sent: no item link names their style, colour and size (reported, never guessed)'),
    error: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'PosReorder' });

export const posReordersPage = z
  .object({
    reorders: z.array(posReorder),
    watched: z
      .boolean()
      .describe("Whether Tradeloop reads this POS's purchase orders (false: its connector offers no PO feed yet)"),
    ...pageFields,
  })
  .meta({ id: 'PosReordersPage' });
