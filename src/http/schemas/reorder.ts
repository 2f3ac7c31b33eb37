/** Replies of "Reorder" (flows/reorder/from-tradeloop.ts). */
import { z } from 'zod';

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
