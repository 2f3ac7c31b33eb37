/** Connections (linked accounts) as the API answers them. */
import { z } from 'zod';
import type { BudgetState } from '../../connectors/shared/rate-governor.ts';
import { isoTime, pageFields, timestamp } from './common.ts';

/** What is left of a POS account's API budget, as the last replies said (the rate governor's state). */
export const rateHeadroom = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('window').describe('X-Series: so many requests per window'),
      limit: z.number().nullable(),
      remaining: z.number().nullable(),
      resetAt: timestamp.nullable(),
      updatedAt: timestamp,
      blockedUntil: timestamp.describe('No request before this time (a 429 said so); in the past when not blocked'),
    }),
    z.object({
      kind: z.literal('leaky-bucket').describe('R-Series: a bucket that drips'),
      level: z.number(),
      size: z.number(),
      dripPerSecond: z.number(),
      updatedAt: timestamp,
      blockedUntil: timestamp.describe('No request before this time (a 429 said so); in the past when not blocked'),
    }),
  ])
  .meta({ id: 'RateHeadroom' });

export function toRateHeadroom(state: BudgetState): z.input<typeof rateHeadroom> {
  const times = { updatedAt: isoTime(state.updatedAt), blockedUntil: isoTime(state.blockedUntil) };
  return state.kind === 'window'
    ? { kind: 'window', limit: state.limit, remaining: state.remaining, resetAt: isoTime(state.resetAt), ...times }
    : { kind: 'leaky-bucket', level: state.level, size: state.size, dripPerSecond: state.dripPerSecond, ...times };
}

export const connectionView = z
  .object({
    id: z.string(),
    system: z
      .string()
      .describe("The connector's system name (any registered one; the list is open), e.g. nuorder, lightspeed-x"),
    kind: z
      .enum(['pos', 'wholesale', 'erp'])
      .nullable()
      .describe("What the system is to Tradeloop (its connector's kind); null when no connector is registered for it"),
    systemLabel: z.string().describe("The system's name as a person reads it, e.g. Lightspeed Retail (X-Series)"),
    shortLabel: z.string().describe('The short name where systems sit side by side, e.g. X-Series'),
    supplierWord: z
      .string()
      .nullable()
      .describe("POS: the POS's word for whom purchase orders are placed with (supplier, vendor); null when not a POS"),
    takesCurrency: z
      .boolean()
      .describe('The POS does not say its account currency, so the connection carries one (`currency`) a person sets'),
    purchaseOrdersUrl: z
      .string()
      .nullable()
      .describe("Where the POS lists this account's purchase orders, when known (a simulator's back office in demo)"),
    name: z.string(),
    status: z.enum(['linked', 'needs_relink', 'unlinked']),
    accountId: z.string(),
    syncMode: z
      .enum(['manual', 'automatic'])
      .nullable()
      .describe('How new orders become POS purchase orders; null for a connection that is not a POS'),
    autoApplyAmendments: z
      .boolean()
      .nullable()
      .describe('POS: amendments that need no person are applied to the PO by themselves; null when not a POS'),
    currency: z
      .string()
      .nullable()
      .describe(
        'A POS that does not say its currency (takesCurrency): the account currency Tradeloop was told; null = USD assumed',
      ),
    defaultLocationId: z.string().nullable(),
    brandName: z.string().nullable(),
    retailer: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .describe("NuORDER: the merchant's store among the brand's retailers; null = not chosen, nothing is imported"),
    lastSyncAt: timestamp.nullable(),
    lastError: z.string().nullable(),
    rateHeadroom: rateHeadroom.nullable(),
    catalogItems: z.number().int().nullable(),
    itemLinks: z.number().int().nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'Connection' });

/** In demo mode, what the web app may pre-fill when linking, and the simulators' back-office pages. */
export const demoHints = z
  .object({
    nuorder: z
      .object({
        consumerKey: z.string(),
        consumerSecret: z.string(),
        brands: z.array(z.string()),
        retailerId: z.string(),
      })
      .optional(),
    netsuite: z
      .object({
        accountId: z.string(),
        consumerKey: z.string(),
        consumerSecret: z.string(),
        tokenId: z.string(),
        tokenSecret: z.string(),
      })
      .optional(),
    simulators: z.record(z.string(), z.string()).optional().describe('Back-office page by system'),
  })
  .meta({ id: 'DemoHints' });

export const connectionsList = z
  .object({
    connections: z.array(connectionView),
    ...pageFields,
    providers: z.object({
      lightspeedX: z.boolean().describe('An X-Series app is configured, so X-Series stores can be linked'),
      lightspeedR: z.boolean().describe('An R-Series app is configured, so R-Series stores can be linked'),
      nuorderBaseUrl: z.string(),
      demo: demoHints.nullable(),
      systems: z
        .array(
          z.object({
            system: z.string(),
            kind: z.enum(['pos', 'wholesale', 'erp']),
            label: z.string(),
            shortLabel: z.string(),
          }),
        )
        .describe('Every registered connector, in registration order, with what a person reads for it'),
    }),
  })
  .meta({ id: 'ConnectionList' });

export const posLocation = z
  .object({ id: z.string(), name: z.string(), currency: z.string().nullable(), archived: z.boolean() })
  .meta({ id: 'PosLocation' });
