/** Amendments with their decisions, the plan of applying one to the POS purchase order, and its progress. */
import { z } from 'zod';
import type { AmendmentPlanView } from '../../flows/amendments/view.ts';
import { pageFields, sameShape, timestamp } from './common.ts';
import { amendmentChange } from './orders.ts';

export const amendmentDecision = z
  .object({
    id: z.string(),
    orderId: z.string(),
    state: z.enum(['open', 'accepted', 'dismissed']),
    detectedAt: timestamp,
    changes: z.array(amendmentChange),
    decidedBy: z.string().nullable().describe('Who accepted or dismissed it (an email, or `automatic`)'),
    decidedAt: timestamp.nullable(),
    applyState: z
      .enum(['applying', 'applied', 'refused', 'failed'])
      .nullable()
      .describe('What applying it to the POS purchase order did; null while open or when dismissed'),
    applyMessage: z.string().nullable().describe('Why the apply failed, or what it left to do by hand'),
    applyJobId: z.string().nullable(),
    appliedAt: timestamp.nullable(),
  })
  .meta({ id: 'AmendmentDecision', description: 'An amendment with the decision on it and what applying it did' });

export const amendmentsPage = z
  .object({ amendments: z.array(amendmentDecision), ...pageFields })
  .meta({ id: 'AmendmentsPage' });

const changeKinds = ['set_quantity', 'remove_line', 'add_lines', 'set_cost', 'set_expected_date', 'cancel_po'] as const;
const refusalReasons = [
  'po_received',
  'po_closed',
  'po_cancelled',
  'po_receiving',
  'po_status_unknown',
  'below_received',
  'line_received',
] as const;

export const amendmentPlan = z
  .object({
    amendmentId: z.string(),
    orderId: z.string(),
    poNumber: z.string(),
    poUrl: z.string(),
    poStatus: z.string().describe("The PO's status word in the POS now"),
    fingerprint: z.string().describe('Send it with accept: refused (AMENDMENT_DRIFTED) if the plan changed since'),
    needsNoReview: z.boolean().describe('Nothing refused, nothing to review: automatic apply would take it'),
    changesSomething: z.boolean(),
    changes: z.array(
      z.object({
        kind: z.enum(changeKinds),
        description: z.string(),
        posItemId: z.string().nullable(),
        lineKeys: z.array(z.string()),
      }),
    ),
    refused: z.array(
      z.object({
        reason: z.enum(refusalReasons),
        lineKeys: z.array(z.string()),
        message: z.string(),
        byHand: z.array(z.string()).describe('What a person would do instead, in the POS or with the brand'),
      }),
    ),
    review: z.array(z.object({ lineKey: z.string().nullable(), message: z.string() })),
    notes: z.array(z.string()),
    added: z
      .object({
        newProducts: z.number().int(),
        lines: z.array(
          z.object({
            lineKey: z.string(),
            name: z.string(),
            size: z.string(),
            quantity: z.number().int(),
            decision: z.string().describe('How the line is matched: upc_match, new_item, needs_review, …'),
          }),
        ),
        blockers: z.array(z.string()),
      })
      .nullable(),
  })
  .meta({ id: 'AmendmentPlan', description: 'What accepting the amendment changes on the POS purchase order' });

export const amendmentAccepted = z
  .object({ amendment: amendmentDecision, plan: amendmentPlan, jobId: z.string().nullable() })
  .meta({ id: 'AmendmentAccepted' });

export const amendmentProgress = z
  .object({
    amendmentId: z.string(),
    applyState: amendmentDecision.shape.applyState,
    steps: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        state: z.enum(['pending', 'running', 'done', 'failed']),
        error: z.string().nullable(),
      }),
    ),
    totalSteps: z.number().int(),
    doneSteps: z.number().int(),
  })
  .meta({ id: 'AmendmentProgress' });

sameShape<z.output<typeof amendmentPlan>, AmendmentPlanView>(true);
