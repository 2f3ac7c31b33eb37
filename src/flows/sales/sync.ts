/**
 * The scheduled syncs, one per direction, each from its cursor:
 * - NetSuite → X-Series: SuiteQL "changed since" (lastmodifieddate, inclusive; an order seen twice is a no-op);
 * - X-Series → NetSuite: the 2.0 version cursor over sales. The same pass follows the sales Tradeloop made: when one
 *   reaches a finished status, its NetSuite sales order is queued to be fulfilled and billed.
 * And the dry run: the last N days of NetSuite orders judged by the active rules and a draft, with no writes.
 */
import { dryRun, type DryRunReport } from '../../core/sales/dry-run.ts';
import type { RuleSetDocument } from '../../core/sales/rules.ts';
import { isCompleting } from '../../core/sales/status.ts';
import { SALE_SOURCE_TYPE } from '../../core/sales/keys.ts';
import { salesCursors, salesSyncs } from '../../store/repos/index.ts';
import { activeRules } from './config.ts';
import type { SalesEnv } from './env.ts';
import { nsSourceKey } from './env.ts';
import { assessOrder, syncNetsuiteOrder, type OrderSyncResult } from './netsuite-to-xseries.ts';
import { enqueueComplete } from './tasks.ts';
import { importSale, type SaleImportResult } from './xseries-to-netsuite.ts';

export const netsuiteCursorKey = (env: SalesEnv): string => `netsuite:${env.pair.netsuite.id}:modified`;
export const xseriesCursorKey = (env: SalesEnv): string => `xseries:${env.pair.xseries.id}:version`;

export interface NetsuiteSyncReport {
  since: string;
  cursor: string;
  ruleSetVersion: number;
  orders: number;
  sent: number;
  sentByStatus: Record<string, number>;
  notSent: number;
  blocked: number;
  alreadySent: number;
  failed: number;
  results: OrderSyncResult[];
}

export async function syncFromNetsuite(env: SalesEnv, options: { since?: string } = {}): Promise<NetsuiteSyncReport> {
  const { ctx, tenantId } = env;
  const db = ctx.store.db;
  const key = netsuiteCursorKey(env);
  const since =
    options.since ??
    (await salesCursors.get(db, tenantId, key)) ??
    env.ns.cursorAt(ctx.now() - env.settings.lookbackDays * 86_400_000);
  const rules = await activeRules(db, tenantId);
  const changed = await env.ns.changedSalesOrders(since);
  const report: NetsuiteSyncReport = {
    since,
    cursor: since,
    ruleSetVersion: rules.version,
    orders: 0,
    sent: 0,
    sentByStatus: {},
    notSent: 0,
    blocked: 0,
    alreadySent: 0,
    failed: 0,
    results: [],
  };
  for (const order of changed) {
    let result: OrderSyncResult;
    try {
      result = await syncNetsuiteOrder(env, rules, order.id);
    } catch (error) {
      // Rate limited, credentials gone, NetSuite unreachable: keep the cursor before this order (it is looked at
      // again next time; the orders done so far are no-ops then) and let the job defer or retry.
      await salesCursors.set(db, tenantId, key, report.cursor, ctx.now());
      throw error;
    }
    report.orders++;
    report.results.push(result);
    if (result.outcome === 'send') {
      report.sent++;
      if (result.status) report.sentByStatus[result.status] = (report.sentByStatus[result.status] ?? 0) + 1;
    } else if (result.outcome === 'not_sent') report.notSent++;
    else if (result.outcome === 'blocked') report.blocked++;
    else if (result.outcome === 'already_sent') report.alreadySent++;
    else if (result.outcome === 'failed') report.failed++;
    if (order.modified > report.cursor) report.cursor = order.modified;
  }
  await salesCursors.set(db, tenantId, key, report.cursor, ctx.now());
  return report;
}

export interface XSeriesSyncReport {
  from: number;
  cursor: number;
  seen: number;
  followed: number;
  completionsQueued: number;
  imported: number;
  importedAs: Record<string, number>;
  notImported: number;
  failed: number;
  results: SaleImportResult[];
}

export async function syncFromXSeries(env: SalesEnv, options: { pageSize?: number } = {}): Promise<XSeriesSyncReport> {
  const { ctx, tenantId } = env;
  const db = ctx.store.db;
  const key = xseriesCursorKey(env);
  const stored = await salesCursors.get(db, tenantId, key);
  const firstRun = stored === undefined;
  // On the first run, history older than the look-back window is not imported (it predates the link).
  const oldest = ctx.now() - env.settings.lookbackDays * 86_400_000;
  const rules = await activeRules(db, tenantId);
  const pageSize = options.pageSize ?? 200;
  let cursor = Number(stored ?? 0);
  const report: XSeriesSyncReport = {
    from: cursor,
    cursor,
    seen: 0,
    followed: 0,
    completionsQueued: 0,
    imported: 0,
    importedAs: {},
    notImported: 0,
    failed: 0,
    results: [],
  };
  for (let page = 0; page < 100; page++) {
    const { sales, maxVersion } = await env.x.salesAfter(cursor, pageSize);
    for (const sale of sales) {
      report.seen++;
      const ours = await salesSyncs.findByXSale(db, tenantId, sale.id);
      if (ours && ours.direction === 'ns_to_x') {
        report.followed++;
        if (ours.xStatus !== sale.status)
          await salesSyncs.update(db, tenantId, ours.id, { xStatus: sale.status }, ctx.now());
        if (ours.state === 'sent' && isCompleting(sale.status)) {
          await enqueueComplete(db, tenantId, ours.id, ctx.now());
          report.completionsQueued++;
        }
        continue;
      }
      if (sale.source === SALE_SOURCE_TYPE) continue;
      if (!ours && firstRun && sale.saleDate && Date.parse(sale.saleDate) < oldest) continue;
      const before = ours?.state;
      const result = await importSale(env, rules, sale);
      report.results.push(result);
      if (result.outcome === 'imported') {
        report.imported++;
        if (result.as) report.importedAs[result.as] = (report.importedAs[result.as] ?? 0) + 1;
      } else if (result.outcome === 'not_imported') report.notImported++;
      else if (result.outcome === 'failed') report.failed++;
      else if (result.outcome === 'already_imported' && before === 'sent' && isCompleting(sale.status))
        report.completionsQueued++;
    }
    cursor = Math.max(cursor, maxVersion);
    await salesCursors.set(db, tenantId, key, String(cursor), ctx.now());
    report.cursor = cursor;
    if (sales.length < pageSize) break;
  }
  return report;
}

export interface DryRunResult extends DryRunReport {
  days: number;
  since: string;
  activeVersion: number;
  draftVersion: number | null;
}

/** The last `days` days of NetSuite orders (by last change), judged by the active rules and by `draft`. */
export async function runDryRun(
  env: SalesEnv,
  draft: { document: RuleSetDocument; version: number | null },
  days: number,
): Promise<DryRunResult> {
  const { ctx, tenantId } = env;
  const since = env.ns.cursorAt(ctx.now() - days * 86_400_000);
  const active = await activeRules(ctx.store.db, tenantId);
  const changed = await env.ns.changedSalesOrders(since, 2_000);
  const items = [];
  for (const c of changed) {
    const order = await env.ns.salesOrder(c.id);
    if (!order) continue;
    const row = await salesSyncs.findBySource(ctx.store.db, tenantId, nsSourceKey(env, order.id));
    items.push(await assessOrder(env, order, row));
  }
  return {
    ...dryRun(active.document, draft.document, items),
    days,
    since,
    activeVersion: active.version,
    draftVersion: draft.version,
  };
}
