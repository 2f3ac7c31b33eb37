/** The sales sync (NetSuite ↔ X-Series) as the API answers it: rule sets, the dry run and the log. */
import { z } from 'zod';
import type { DryRunFigures, PlannedOutcome } from '../../core/sales/dry-run.ts';
import { ruleOperators, type RuleIssue, type RuleSetDocument } from '../../core/sales/rules.ts';
import { xSaleStatuses } from '../../core/sales/status.ts';
import { jsonValue, pageFields, sameShape, timestamp } from './common.ts';

export const salesSyncStates = ['not_sent', 'sending', 'sent', 'completing', 'completed', 'failed'] as const;
export const salesDirections = ['ns_to_x', 'x_to_ns'] as const;

export const ruleSetDocument = z
  .object({
    mapping: z.array(
      z.object({
        key: z.string().describe('The name rules use, e.g. AWAITING_PICKUP'),
        xStatus: z.enum(xSaleStatuses),
        label: z.string(),
        paid: z.boolean(),
        description: z.string(),
      }),
    ),
    rules: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        enabled: z.boolean(),
        when: z.array(
          z.object({
            field: z.string(),
            op: z.enum(ruleOperators),
            value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
          }),
        ),
        send: z.boolean().describe('false: orders this rule matches are deliberately not sent'),
        status: z.string().optional().describe('A mapping key (required when send is true)'),
      }),
    ),
    pickupShipMethods: z.array(z.string()),
    deliveryShipMethods: z.array(z.string()),
  })
  .meta({ id: 'SalesRuleSet', description: 'A rule set: the status mapping and the rules that decide what is sent' });

export const ruleSetVersion = z
  .object({
    version: z.number().int(),
    state: z.enum(['draft', 'active', 'retired', 'default']),
    note: z.string().nullable(),
    createdAt: timestamp.nullable(),
    activatedAt: timestamp.nullable(),
    document: ruleSetDocument,
  })
  .meta({ id: 'SalesRuleSetVersion' });

export const salesRules = z
  .object({
    active: ruleSetVersion,
    versions: z.array(ruleSetVersion),
    language: z
      .object({
        fields: z.array(
          z.object({
            name: z.string(),
            kind: z.string(),
            values: z.array(z.string()).optional(),
            description: z.string(),
          }),
        ),
        operators: z.array(z.string()),
        netsuiteStatuses: z.array(z.string()),
        xSeriesStatuses: z.array(
          z.object({ status: z.string(), label: z.string(), state: z.string(), attributes: z.array(z.string()) }),
        ),
      })
      .describe('The language rules are written in: the order fields, operators and statuses'),
  })
  .meta({ id: 'SalesRules' });

/** Where a rule set does not validate: each issue names the rule and the field. */
export const ruleIssue = z
  .object({ path: z.string(), rule: z.string().optional(), field: z.string().optional(), message: z.string() })
  .meta({ id: 'SalesRuleIssue' });

export const ruleValidation = z.object({ ok: z.boolean(), issues: z.array(ruleIssue) }).meta({ id: 'SalesRuleCheck' });

const plannedOutcome = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('send'),
    status: z.string(),
    xStatus: z.string(),
    ruleId: z.string(),
    ruleName: z.string(),
  }),
  z.object({ outcome: z.literal('not_sent'), reason: z.string(), ruleId: z.string().nullable() }),
  z.object({ outcome: z.literal('blocked'), status: z.string(), reason: z.string(), ruleId: z.string() }),
  z.object({ outcome: z.literal('already_sent'), status: z.string() }),
]);

const figures = z.object({
  orders: z.number().int(),
  send: z.number().int(),
  sendByStatus: z.record(z.string(), z.number().int()),
  notSent: z.number().int(),
  blocked: z.number().int(),
  alreadySent: z.number().int(),
});

export const salesDryRun = z
  .object({
    days: z.number().int(),
    since: timestamp.describe('The orders changed since then were replayed'),
    activeVersion: z.number().int(),
    draftVersion: z.number().int().nullable(),
    active: figures,
    draft: figures,
    changed: z.number().int(),
    rows: z.array(
      z.object({
        orderId: z.string(),
        tranId: z.string(),
        active: plannedOutcome,
        draft: plannedOutcome,
        change: z.enum(['same', 'newly_sent', 'no_longer_sent', 'status_changed']),
      }),
    ),
  })
  .meta({ id: 'SalesDryRun' });

export const salesLogEntry = z
  .object({
    id: z.string(),
    direction: z.enum(salesDirections),
    state: z.enum(salesSyncStates),
    netsuite: z.object({
      recordType: z.string().nullable(),
      id: z.string().nullable(),
      tranId: z.string().nullable(),
    }),
    xseries: z.object({
      saleId: z.string().nullable(),
      invoiceNumber: z.string().nullable(),
      status: z.string().nullable(),
    }),
    sentAs: z.string().nullable(),
    ruleId: z.string().nullable(),
    ruleSetVersion: z.number().int().nullable(),
    reason: z.string().nullable(),
    error: z.object({ code: z.string().nullable(), message: z.string().nullable() }).nullable(),
    fulfilmentId: z.string().nullable(),
    billId: z.string().nullable(),
    billType: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'SalesLogEntry', description: 'One synced NetSuite order or X-Series sale' });

export const salesLogPage = z.object({ entries: z.array(salesLogEntry), ...pageFields }).meta({ id: 'SalesLogPage' });

export const salesLogDetail = salesLogEntry
  .extend({
    steps: z.array(
      z.object({
        step: z.string(),
        state: z.enum(['running', 'done', 'failed']),
        attempts: z.number().int(),
        result: jsonValue.describe('What the step recorded (the ids it created or found)'),
        error: z.string().nullable(),
        startedAt: timestamp,
        finishedAt: timestamp.nullable(),
      }),
    ),
  })
  .meta({ id: 'SalesLogDetail' });

sameShape<z.output<typeof ruleSetDocument>, RuleSetDocument>(true);
sameShape<z.output<typeof plannedOutcome>, PlannedOutcome>(true);
sameShape<z.output<typeof ruleIssue>, RuleIssue>(true);
sameShape<z.output<typeof figures>, DryRunFigures>(true);
