/**
 * The sales sync at a glance, as `GET /api/sales-orders/status` answers it and `tradeloop sales-orders status`
 * prints it; and the settings schema both use.
 */
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { loadSalesSettings } from '../../flows/sales/config.ts';
import { SALES_COMPLETE, SALES_NETSUITE_SYNC, SALES_RETRY, SALES_XSERIES_SYNC } from '../../flows/sales/tasks.ts';
import * as queue from '../../jobs/queue.ts';
import { connections, salesCursors, salesRuleSets, salesSyncs } from '../../store/repos/index.ts';
import { timestamp } from '../schemas/common.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const salesTasks = [SALES_NETSUITE_SYNC, SALES_XSERIES_SYNC, SALES_COMPLETE, SALES_RETRY];

const connectionView = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.string(),
    account: z.string(),
    lastError: z.string().nullable(),
  })
  .nullable();

export const settingsSchema = z.object({
  skipSalesOrders: z
    .boolean()
    .describe(
      'Off: every imported POS sale becomes a NetSuite sales order. On: only sales meeting a condition do; the rest become cash sales',
    ),
  syncIntervalMinutes: z.number().int().min(1).max(1440),
  lookbackDays: z.number().int().min(1).max(90),
  netsuiteCustomerId: z.string().min(1).nullable(),
  paymentTypeName: z.string().min(1),
  posSalesOrderBilling: z.enum(['cashSale', 'invoice']),
});

export const salesStatusView = z.object({
  netsuite: connectionView,
  xseries: connectionView,
  settings: settingsSchema,
  activeVersion: z.number(),
  counts: z.array(z.object({ direction: z.string(), state: z.string(), count: z.number() })),
  cursors: z.array(z.object({ key: z.string(), value: z.string(), updatedAt: timestamp })),
  jobs: z.array(
    z.object({
      id: z.string(),
      task: z.string(),
      state: z.string(),
      runAt: timestamp,
      lastError: z.string().nullable(),
      finishedAt: timestamp.nullable(),
    }),
  ),
});

export async function salesStatus(ctx: AppContext, tenantId: string): Promise<z.input<typeof salesStatusView>> {
  const db = ctx.store.db;
  const view = async (system: 'netsuite' | 'lightspeed-x') => {
    const found = (await connections.list(db, tenantId, { system }))[0];
    return found
      ? {
          id: found.id,
          name: found.name,
          status: found.status,
          account: found.externalAccountId,
          lastError: found.lastError,
        }
      : null;
  };
  const jobs = (await Promise.all(salesTasks.map((task) => queue.list(db, tenantId, { task, limit: 5 }))))
    .flat()
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, 10);
  return {
    netsuite: await view('netsuite'),
    xseries: await view('lightspeed-x'),
    settings: await loadSalesSettings(db, tenantId),
    activeVersion: (await salesRuleSets.active(db, tenantId))?.version ?? 0,
    counts: await salesSyncs.counts(db, tenantId),
    cursors: (await salesCursors.list(db, tenantId)).map((k) => ({
      key: k.key,
      value: k.value,
      updatedAt: new Date(k.updatedAt).toISOString(),
    })),
    jobs: jobs.map((j) => ({
      id: j.id,
      task: j.task,
      state: j.state,
      runAt: new Date(j.runAt).toISOString(),
      lastError: j.lastError,
      finishedAt: iso(j.finishedAt),
    })),
  };
}
