/**
 * Receiving against a synced PO (the receiving page: what is expected, commit a receipt) and the discrepancy audit
 * (the audit page, its CSV, the orders list's flags). The flows do the work: flows/receiving/, flows/audit/.
 */
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { auditCsv, type AuditRow } from '../../core/discrepancy.ts';
import { runAudit } from '../../flows/audit/audit.ts';
import type { EngineContext } from '../../flows/engine-context.ts';
import { requestReceipt } from '../../flows/receiving/commit.ts';
import { receivingView } from '../../flows/receiving/expected.ts';
import { receipts, type Receipt } from '../../store/repos/index.ts';
import type { ApiRouter } from '../api-router.ts';
import type { RouteModule } from '../app.ts';
import { remoteErrors } from '../error-statuses.ts';
import { isoTime, pageQuery } from '../schemas/common.ts';
import { auditFlags, auditReport, receiptAccepted, receiptRequest, receivingPage } from '../schemas/receiving.ts';

const exportParams = z.object({ exportId: z.uuid('must be a synced purchase order id (UUID)') });

export function receiptOut(r: Receipt) {
  return {
    id: r.id,
    state: r.state,
    poNumber: r.poNumber,
    units: r.units,
    lines: r.lines,
    remainderPoNumber: r.remainderPoNumber,
    error: r.error,
    createdAt: isoTime(r.createdAt),
    committedAt: isoTime(r.committedAt),
  };
}

const rowOut = (r: AuditRow) => ({ ...r, issues: [...r.issues] });

export const auditQuery = z.object({
  brand: z.string().trim().min(1).max(200).optional(),
  season: z.string().trim().min(1).max(100).optional(),
  orderId: z.uuid('must be an order id (UUID)').optional(),
  onlyIssues: z.enum(['true', 'false']).optional(),
  format: z.enum(['json', 'csv']).optional(),
  ...pageQuery(100, 1000),
});

export function receivingRoutes(engine: EngineContext): RouteModule {
  return (_ctx: AppContext, router: ApiRouter) => {
    router.route({
      method: 'get',
      path: '/api/purchase-orders/:exportId/receiving',
      operationId: 'getReceiving',
      summary:
        'What a synced PO expects to receive: each POS item with the codes a scan matches, ordered, received, open',
      tag: 'receiving',
      params: exportParams,
      errors: [...remoteErrors],
      response: receivingPage,
      handler: async ({ c, params }) => {
        const view = await receivingView(engine, c.get('caller').tenantId, params.exportId);
        return {
          exportId: view.exportRow.id,
          orderId: view.order.id,
          orderNumber: view.order.orderNumber,
          connectionName: view.connection.name,
          po: view.po,
          stockOnCommit: view.stockOnCommit,
          items: view.items,
          receipts: view.receipts.map(receiptOut),
        };
      },
    });

    router.route({
      method: 'post',
      path: '/api/purchase-orders/:exportId/receipts',
      operationId: 'commitReceipt',
      summary:
        'Commits a receipt: the units go to the POS PO as running totals, once, whatever retries (the same receiptId is the same receipt)',
      tag: 'receiving',
      params: exportParams,
      body: receiptRequest,
      errors: [...remoteErrors],
      status: 202,
      response: receiptAccepted,
      handler: async ({ c, params, body }) => {
        const caller = c.get('caller');
        const accepted = await requestReceipt(engine, caller.tenantId, params.exportId, body, caller.userId ?? null);
        return { receipt: receiptOut(accepted.receipt), created: accepted.created, jobId: accepted.jobId };
      },
    });

    router.route({
      method: 'get',
      path: '/api/audit',
      operationId: 'getAudit',
      summary:
        'The discrepancy audit of exported orders: ordered (NuORDER) vs exported (the POS PO) vs shipped vs received, line by line; format=csv for the same rows as a file',
      tag: 'audit',
      query: auditQuery,
      csv: 'One row per audit row, the columns the page shows (format=csv)',
      response: auditReport,
      handler: async ({ c, query }) => {
        const result = await runAudit(engine, c.get('caller').tenantId, {
          brand: query.brand,
          season: query.season,
          orderId: query.orderId,
          onlyIssues: query.onlyIssues === 'true',
        });
        const page = result.orders.slice(query.offset, query.offset + query.limit);
        if (query.format === 'csv')
          return new Response(auditCsv(page.flatMap((o) => o.rows)), {
            headers: {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition': 'attachment; filename="tradeloop-audit.csv"',
            },
          });
        return {
          orders: page.map((o) => ({ ...o, rows: o.rows.map(rowOut) })),
          total: result.orders.length,
          limit: query.limit,
          offset: query.offset,
        };
      },
    });

    router.route({
      method: 'get',
      path: '/api/audit/flags',
      operationId: 'listAuditFlags',
      summary: 'Orders the scheduled audit found new discrepancies on (the orders list flags them)',
      tag: 'audit',
      query: z.object(pageQuery(500, 5000)),
      response: auditFlags,
      handler: async ({ c, query }) => {
        const all = await receipts.flaggedAudits(engine.store.db, c.get('caller').tenantId);
        return {
          orders: all
            .slice(query.offset, query.offset + query.limit)
            .map((a) => ({ orderId: a.orderId, issues: a.issues, checkedAt: isoTime(a.checkedAt) })),
          total: all.length,
          limit: query.limit,
          offset: query.offset,
        };
      },
    });
  };
}
