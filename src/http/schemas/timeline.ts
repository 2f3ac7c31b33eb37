/**
 * An order's milestone timeline as the API answers it (core/order-timeline.ts): the milestones in time order, the
 * latest step as a status and its words, and the shipments the brand reported (carrier, tracking links to the
 * carrier's page, ship date, lines and quantities).
 */
import { z } from 'zod';
import type { Milestone, Timeline } from '../../core/order-timeline.ts';
import { sameShape, timestamp } from './common.ts';

export const timelineStatuses = [
  'created',
  'submitted',
  'approved',
  'exported',
  'partially_shipped',
  'shipped',
  'partially_received',
  'received',
  'cancelled',
] as const;

export const trackingLinkView = z
  .object({
    number: z.string(),
    carrier: z.enum(['ups', 'fedex', 'usps', 'dhl', 'canada_post', 'purolator']).nullable(),
    carrierName: z.string().nullable(),
    url: z.string().nullable().describe("The carrier's public tracking page; null when the carrier is unknown"),
    guessed: z.boolean().describe('The carrier came from the number, not from what the brand wrote'),
    candidates: z.array(z.enum(['ups', 'fedex', 'usps', 'dhl', 'canada_post', 'purolator'])),
  })
  .meta({ id: 'TrackingLink' });

export const milestoneView = z
  .object({
    kind: z.enum(['created', 'submitted', 'approved', 'exported', 'shipped', 'received', 'delivered', 'cancelled']),
    at: z.string().nullable().describe('ISO 8601; null when the step surely happened but its date is unknown'),
    label: z.string(),
    detail: z.string(),
    id: z.string().nullable().optional(),
    units: z.number().optional(),
    tracking: z.array(trackingLinkView).optional(),
    carrier: z.string().nullable().optional(),
    poNumber: z.string().optional(),
    poUrl: z.string().nullable().optional(),
  })
  .meta({ id: 'Milestone' });

/** The latest step only: what the orders list's status column reads. */
export const timelineStatusView = z
  .object({
    status: z.enum(timelineStatuses),
    label: z.string().describe('The latest step in words ("Partially shipped")'),
  })
  .meta({ id: 'TimelineStatus' });

export const shipmentView = z
  .object({
    id: z.string(),
    carrier: z.string().nullable(),
    trackingNumbers: z.array(z.string()),
    tracking: z.array(trackingLinkView),
    shippedOn: z.string().nullable().describe('The ship date as the brand gave it'),
    units: z.number().int(),
    lines: z.array(z.object({ lineKey: z.string(), quantity: z.number() })),
    firstSeenAt: timestamp.describe('When Tradeloop first saw it'),
  })
  .meta({ id: 'Shipment' });

export const timelineView = z
  .object({
    milestones: z.array(milestoneView),
    status: z.enum(timelineStatuses),
    label: z.string(),
    units: z.object({ ordered: z.number(), shipped: z.number(), received: z.number() }),
    sourceStatus: z.string().nullable().describe("The source's status as last read after export; null before"),
    refreshedAt: timestamp.nullable().describe('When the source was last read for this order'),
    complete: z.boolean().describe('Shipped in full or cancelled: no longer re-read'),
    shipments: z.array(shipmentView),
  })
  .meta({ id: 'Timeline' });

sameShape<
  z.output<typeof milestoneView>,
  Omit<Milestone, 'tracking'> & {
    tracking?: Milestone['tracking'] extends readonly (infer T)[] | undefined ? T[] : never;
  }
>(true);
sameShape<z.output<typeof timelineStatusView>, Pick<Timeline, 'status' | 'label'>>(true);
