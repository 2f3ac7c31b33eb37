/**
 * REST routes of the sales sync between NetSuite and X-Series (Settings → Sales orders in the web app, and
 * `tradeloop sales-orders …`): status, sync now, settings, versioned rules (validate, save a draft, activate), the
 * dry run, the log of synced orders and sales with retry, and linking a NetSuite account (TBA).
 */
import { z } from 'zod';
import type { EngineContext } from '../../flows/engine-context.ts';
import type { RouteModule } from '../app.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { ruleFields, ruleOperators, validateRuleSet } from '../../core/sales/rules.ts';
import { nsOrderStatusNames, sendableStatuses, xStatusLabels, formOfStatus } from '../../core/sales/status.ts';
import {
  activateVersion,
  activeRules,
  loadSalesSettings,
  ruleSetDocument,
  saveDraft,
  saveSalesSettings,
} from '../../flows/sales/config.ts';
import { linkNetsuite } from '../../flows/sales/connections.ts';
import { openSalesEnv } from '../../flows/sales/env.ts';
import { enqueueManualSync, enqueueRetry } from '../../flows/sales/tasks.ts';
import { runDryRun } from '../../flows/sales/sync.ts';
import { salesRuleSets, salesSyncs, type SalesSync } from '../../store/repos/index.ts';
import type { RuleSetDocument } from '../../core/sales/rules.ts';
import type { Db } from '../../store/db.ts';
import { isoTime, pageQuery, type JsonValue } from '../schemas/common.ts';
import {
  ruleSetVersion,
  ruleValidation,
  salesDirections,
  salesDryRun,
  salesLogDetail,
  salesLogEntry,
  salesLogPage,
  salesRules,
  salesSyncStates,
} from '../schemas/sales.ts';
import type { ApiRouter } from '../api-router.ts';
import { remoteErrors } from '../error-statuses.ts';
import { salesStatus, salesStatusView, settingsSchema } from './sales-status.ts';

const tag = 'sales-orders';
const iso = isoTime;
/** Saved versions were checked when saved (saveDraft), so they are rule sets. */
const savedDocument = (document: unknown): RuleSetDocument => document as RuleSetDocument;

const documentSchema = z
  .record(z.string(), z.unknown())
  .describe('A rule set: {mapping, rules, pickupShipMethods, deliveryShipMethods}');

/** A page of the log as `GET /api/sales-orders/log` answers it (also `tradeloop sales-orders log --json`). */
export async function listSalesLog(
  db: Db,
  tenantId: string,
  query: salesSyncs.ListOptions & { limit: number; offset: number },
): Promise<z.input<typeof salesLogPage>> {
  const { limit, offset, ...filters } = query;
  return {
    entries: (await salesSyncs.list(db, tenantId, query)).map(toSyncView),
    total: await salesSyncs.total(db, tenantId, filters),
    limit,
    offset,
  };
}

export function toSyncView(row: SalesSync): z.input<typeof salesLogEntry> {
  return {
    id: row.id,
    direction: row.direction,
    state: row.state,
    netsuite: {
      recordType: row.nsRecordType ?? (row.direction === 'ns_to_x' ? 'salesOrder' : null),
      id: row.nsId,
      tranId: row.nsTranId,
    },
    xseries: { saleId: row.xSaleId, invoiceNumber: row.xInvoiceNumber, status: row.xStatus },
    sentAs: row.sentAs,
    ruleId: row.ruleId,
    ruleSetVersion: row.ruleSetVersion,
    reason: row.reason,
    error: row.errorCode || row.errorMessage ? { code: row.errorCode, message: row.errorMessage } : null,
    fulfilmentId: row.fulfilmentId,
    billId: row.billId,
    billType: row.billType,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** The sales sync's routes; they open NetSuite and X-Series through the engine's connector registry. */
export function salesRoutes(engine: EngineContext): RouteModule {
  return (_ctx, router) => registerSalesRoutes(engine, router);
}

function registerSalesRoutes(ctx: EngineContext, router: ApiRouter): void {
  router.route({
    method: 'get',
    path: '/api/sales-orders/status',
    operationId: 'getSalesStatus',
    summary: 'The sales sync at a glance: connections, settings, counts by state, cursors, active rules, recent jobs',
    tag,
    response: salesStatusView,
    handler: async ({ c }) => salesStatus(ctx, c.get('caller').tenantId),
  });

  router.route({
    method: 'post',
    path: '/api/sales-orders/sync',
    operationId: 'syncSales',
    summary: 'Sync now: NetSuite → X-Series, X-Series → NetSuite, or both',
    tag,
    status: 202,
    body: z.object({ direction: z.enum(['netsuite', 'xseries', 'both']).default('both') }),
    response: z.object({ jobs: z.array(z.object({ id: z.string(), task: z.string() })) }),
    handler: async ({ c, body }) => {
      const tenantId = c.get('caller').tenantId;
      const directions = body.direction === 'both' ? (['netsuite', 'xseries'] as const) : ([body.direction] as const);
      const jobs = [];
      for (const direction of directions)
        jobs.push(await enqueueManualSync(ctx.store.db, tenantId, direction, ctx.now()));
      return { jobs: jobs.map((j) => ({ id: j.id, task: j.task })) };
    },
  });

  router.route({
    method: 'get',
    path: '/api/sales-orders/settings',
    operationId: 'getSalesSettings',
    summary: 'The sales sync settings (the "skip sales orders" switch and defaults)',
    tag,
    response: settingsSchema,
    handler: async ({ c }) => loadSalesSettings(ctx.store.db, c.get('caller').tenantId),
  });
  router.route({
    method: 'put',
    path: '/api/sales-orders/settings',
    operationId: 'updateSalesSettings',
    summary: 'Change sales sync settings',
    tag,
    body: settingsSchema.partial().strict(),
    response: settingsSchema,
    handler: async ({ c, body }) => saveSalesSettings(ctx, c.get('caller').tenantId, body),
  });

  router.route({
    method: 'get',
    path: '/api/sales-orders/rules',
    operationId: 'getSalesRules',
    summary: 'The active rule set, every saved version, and the language rules are written in',
    tag,
    response: salesRules,
    handler: async ({ c }) => {
      const tenantId = c.get('caller').tenantId;
      const active = await activeRules(ctx.store.db, tenantId);
      const stored = await salesRuleSets.active(ctx.store.db, tenantId);
      const versions = await salesRuleSets.list(ctx.store.db, tenantId);
      return {
        active: stored
          ? {
              version: stored.version,
              state: 'active' as const,
              note: stored.note,
              createdAt: iso(stored.createdAt),
              activatedAt: iso(stored.activatedAt),
              document: active.document,
            }
          : {
              version: 0,
              state: 'default' as const,
              note: 'Built-in defaults',
              createdAt: null,
              activatedAt: null,
              document: active.document,
            },
        versions: versions.map((v) => ({
          version: v.version,
          state: v.state,
          note: v.note,
          createdAt: iso(v.createdAt),
          activatedAt: iso(v.activatedAt),
          document: savedDocument(v.document),
        })),
        language: {
          fields: Object.entries(ruleFields).map(([name, spec]) => ({
            name,
            kind: spec.kind,
            ...(spec.values ? { values: [...spec.values] } : {}),
            description: spec.description,
          })),
          operators: [...ruleOperators],
          netsuiteStatuses: [...nsOrderStatusNames],
          xSeriesStatuses: sendableStatuses.map((s) => ({ status: s, label: xStatusLabels[s], ...formOfStatus(s) })),
        },
      };
    },
  });
  router.route({
    method: 'post',
    path: '/api/sales-orders/rules/validate',
    operationId: 'validateSalesRules',
    summary: 'Check a rule set without saving it; every issue names the rule and the field',
    tag,
    body: z.object({ document: documentSchema }),
    response: ruleValidation,
    handler: ({ body }) => {
      const checked = validateRuleSet(body.document);
      return checked.ok ? { ok: true, issues: [] } : { ok: false, issues: checked.issues };
    },
  });
  router.route({
    method: 'post',
    path: '/api/sales-orders/rules',
    operationId: 'saveSalesRules',
    errors: ['SALES_RULES_INVALID'],
    summary: 'Save a rule set as a new draft version (refused with every issue when it does not validate)',
    tag,
    status: 201,
    body: z.object({ document: documentSchema, note: z.string().max(500).optional() }),
    response: ruleSetVersion,
    description: 'A 400 SALES_RULES_INVALID answer lists the issues in `details` as {path, rule, field, message}.',
    handler: async ({ c, body }) => {
      const caller = c.get('caller');
      const saved = await saveDraft(ctx, caller.tenantId, body.document, {
        note: body.note ?? null,
        createdBy: caller.userId,
      });
      return {
        version: saved.version,
        state: saved.state,
        note: saved.note,
        createdAt: iso(saved.createdAt),
        activatedAt: iso(saved.activatedAt),
        document: savedDocument(saved.document),
      };
    },
  });
  router.route({
    method: 'get',
    path: '/api/sales-orders/rules/:version',
    operationId: 'getSalesRuleVersion',
    summary: 'One saved rule set version',
    tag,
    params: z.object({ version: z.coerce.number().int().min(1) }),
    response: ruleSetVersion,
    handler: async ({ c, params }) => {
      const found = await salesRuleSets.get(ctx.store.db, c.get('caller').tenantId, params.version);
      if (!found) throw notFound('Rule set version', String(params.version));
      return {
        version: found.version,
        state: found.state,
        note: found.note,
        createdAt: iso(found.createdAt),
        activatedAt: iso(found.activatedAt),
        document: savedDocument(found.document),
      };
    },
  });
  router.route({
    method: 'post',
    path: '/api/sales-orders/rules/:version/activate',
    operationId: 'activateSalesRuleVersion',
    errors: ['SALES_RULES_INVALID'],
    summary: 'Make a saved version the active rule set (the next sync follows it)',
    tag,
    params: z.object({ version: z.coerce.number().int().min(1) }),
    response: ruleSetVersion,
    handler: async ({ c, params }) => {
      const v = await activateVersion(ctx, c.get('caller').tenantId, params.version);
      return {
        version: v.version,
        state: v.state,
        note: v.note,
        createdAt: iso(v.createdAt),
        activatedAt: iso(v.activatedAt),
        document: savedDocument(v.document),
      };
    },
  });

  router.route({
    method: 'post',
    path: '/api/sales-orders/dry-run',
    operationId: 'dryRunSalesRules',
    errors: ['SALES_RULES_INVALID', 'SALES_NOT_CONNECTED', 'CONNECTION_NEEDS_RELINK', ...remoteErrors],
    summary: 'Replay the last N days of NetSuite orders against a draft rule set, next to the active one (no writes)',
    tag,
    body: z
      .object({
        version: z.number().int().min(0).optional(),
        document: documentSchema.optional(),
        days: z.number().int().min(1).max(90).default(7),
      })
      .refine((b) => (b.version === undefined) !== (b.document === undefined), {
        message: 'Give either a saved version or a document',
      }),
    response: salesDryRun,
    handler: async ({ c, body }) => {
      const tenantId = c.get('caller').tenantId;
      let draft;
      if (body.document !== undefined) {
        const checked = validateRuleSet(body.document);
        if (!checked.ok)
          throw new AppError(
            'SALES_RULES_INVALID',
            `The rule set does not validate: ${checked.issues.map((i) => i.message).join('; ')}`,
            { details: checked.issues },
          );
        draft = { document: checked.document, version: null };
      } else {
        draft = {
          document: await ruleSetDocument(ctx.store.db, tenantId, body.version ?? 0),
          version: body.version ?? 0,
        };
      }
      const env = await openSalesEnv(ctx, tenantId);
      const result = await runDryRun(env, draft, body.days);
      // NetSuite's cursor is UTC to the second without a zone; the API writes every time in ISO 8601.
      return { ...result, since: new Date(`${result.since}Z`).toISOString() };
    },
  });

  router.route({
    method: 'get',
    path: '/api/sales-orders/log',
    operationId: 'listSalesLog',
    summary: 'Synced NetSuite orders and X-Series sales, most recently changed first, with their state and errors',
    tag,
    query: z.object({
      direction: z.enum(salesDirections).optional(),
      state: z.enum(salesSyncStates).optional(),
      ...pageQuery(100, 500),
    }),
    response: salesLogPage,
    handler: async ({ c, query }) => listSalesLog(ctx.store.db, c.get('caller').tenantId, query),
  });
  router.route({
    method: 'get',
    path: '/api/sales-orders/log/:id',
    operationId: 'getSalesLogEntry',
    summary: 'One synced order or sale with its recorded steps',
    tag,
    params: z.object({ id: z.string().min(1).max(100) }),
    response: salesLogDetail,
    handler: async ({ c, params }) => {
      const tenantId = c.get('caller').tenantId;
      const row = await salesSyncs.get(ctx.store.db, tenantId, params.id);
      if (!row) throw notFound('Synced order', params.id);
      const steps = await salesSyncs.listSteps(ctx.store.db, tenantId, row.id);
      return {
        ...toSyncView(row),
        steps: steps.map((s) => ({
          step: s.stepKey,
          state: s.state,
          attempts: s.attempts,
          result: s.result as JsonValue,
          error: s.error,
          startedAt: new Date(s.startedAt).toISOString(),
          finishedAt: iso(s.finishedAt),
        })),
      };
    },
  });
  router.route({
    method: 'post',
    path: '/api/sales-orders/log/:id/retry',
    operationId: 'retrySalesLogEntry',
    errors: ['SALES_ALREADY_DONE'],
    summary: 'Try a failed or unsent order or sale again (it is looked up first, so nothing is made twice)',
    tag,
    status: 202,
    params: z.object({ id: z.string().min(1).max(100) }),
    response: z.object({ job: z.object({ id: z.string(), task: z.string() }) }),
    handler: async ({ c, params }) => {
      const tenantId = c.get('caller').tenantId;
      const row = await salesSyncs.get(ctx.store.db, tenantId, params.id);
      if (!row) throw notFound('Synced order', params.id);
      if (row.state === 'completed')
        throw new AppError('SALES_ALREADY_DONE', 'This one is completed; there is nothing to retry');
      const job = await enqueueRetry(ctx.store.db, tenantId, row.id, ctx.now());
      return { job: { id: job.id, task: job.task } };
    },
  });

  router.route({
    method: 'post',
    path: '/api/sales-orders/netsuite/link',
    operationId: 'linkNetsuite',
    errors: ['NETSUITE_LINK_FAILED'],
    summary: 'Link a NetSuite account with Token-Based Authentication (checked with one SuiteQL call; stored sealed)',
    tag,
    status: 201,
    // Strict: where the server connects comes from its configuration, so a `baseUrl` (or any other field)
    // is refused by name rather than quietly ignored.
    body: z.strictObject(
      {
        accountId: z.string().min(3).max(40),
        consumerKey: z.string().min(1),
        consumerSecret: z.string().min(1),
        tokenId: z.string().min(1),
        tokenSecret: z.string().min(1),
        name: z.string().min(1).max(100).optional(),
      },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys'
            ? `not accepted: ${issue.keys.join(', ')} (NetSuite is reached at the host the server is configured with, NETSUITE_BASE_URL or the account's own)`
            : undefined,
      },
    ),
    response: z.object({
      id: z.string(),
      name: z.string(),
      status: z.string(),
      account: z.string(),
      baseUrl: z.string(),
    }),
    handler: async ({ c, body }) => {
      const linked = await linkNetsuite(ctx, c.get('caller').tenantId, body);
      return {
        id: linked.id,
        name: linked.name,
        status: linked.status,
        account: linked.externalAccountId,
        baseUrl: linked.baseUrl,
      };
    },
  });
}
