/** Exports (one order → one POS purchase order) as the API answers them. */
import { z } from 'zod';
import type { ExportSummary } from '../../store/repos/exports.ts';
import { pageFields, sameShape, timestamp } from './common.ts';

export const exportStates = ['in_progress', 'exported', 'failed'] as const;

export const exportSummary = z
  .object({
    linesSynced: z.number().int(),
    matchedItemsUpdated: z.number().int(),
    newDraftItems: z.number().int(),
    newProducts: z.number().int(),
    rejectedLines: z
      .array(z.object({ posItemId: z.string(), lineKeys: z.array(z.string()), message: z.string() }))
      .describe('Lines the POS refused, each with its reason; the rest of the PO was written'),
    warnings: z.array(z.string()),
    timeTakenMs: z.number().describe('How long the export took, in milliseconds'),
  })
  .meta({ id: 'ExportSummary', description: 'What an export wrote to the POS' });

export const exportWaiting = z.object({ since: timestamp, reason: z.string(), nextTryAt: timestamp }).meta({
  id: 'ExportWaiting',
  description: 'Waiting for the POS: it stopped answering; the export tries again by itself at nextTryAt',
});

export const exportView = z
  .object({
    id: z.string(),
    orderId: z.string(),
    orderNumber: z.string().nullable(),
    connectionId: z.string(),
    planId: z.string(),
    state: z.enum(exportStates),
    poId: z.string().nullable(),
    poNumber: z.string().nullable(),
    poUrl: z.string().nullable(),
    failure: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).nullable(),
    waiting: exportWaiting.nullable(),
    summary: exportSummary.nullable(),
    startedAt: timestamp,
    finishedAt: timestamp.nullable(),
  })
  .meta({ id: 'Export', description: 'One export: an order written to a POS as a purchase order' });

export const exportsPage = z.object({ exports: z.array(exportView), ...pageFields }).meta({ id: 'ExportsPage' });

/** What apply and retry answer: the plan's export job and its exports. */
export const applyAccepted = z
  .object({ planId: z.string(), jobId: z.string(), exports: z.array(exportView) })
  .meta({ id: 'ApplyAccepted' });

export const planProgress = z
  .object({
    planId: z.string(),
    state: z.enum(['draft', 'applying', 'applied', 'superseded']),
    // The saga's planned steps, in the order they run, with what it recorded of each (pending: not started).
    steps: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        state: z.enum(['pending', 'running', 'done', 'failed']),
        orderId: z.string().nullable(),
        error: z.string().nullable(),
      }),
    ),
    totalSteps: z.number().int(),
    doneSteps: z.number().int(),
    exports: z.array(exportView),
  })
  .meta({ id: 'PlanProgress' });

sameShape<z.output<typeof exportSummary>, ExportSummary>(true);
