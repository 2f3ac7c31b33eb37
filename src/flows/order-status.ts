import { findByKeys } from '../jobs/queue.ts';
import type { Connection, StoredExport } from '../store/repos/index.ts';
import { connections, exportPlans, exports } from '../store/repos/index.ts';
import type { SyncFilter, SyncState } from '../store/repos/wholesale-orders.ts';
import { autoSyncFailure, autoSyncKey, autoSyncTask } from './auto-sync.ts';
import type { EngineContext } from './engine-context.ts';
import { automaticSyncCreator } from './plan-export.ts';

/** One order's POS-sync status on one POS connection, as the buyer sees it. */
export type SyncStatus =
  | { state: 'not_exported' }
  | { state: 'needs_review'; planId: string; reason: string }
  | {
      state: 'in_progress';
      exportId: string;
      planId: string;
      stepsDone: number;
      startedAt: number;
      /** "Waiting for the POS": the POS stopped answering; the export retries by itself (epoch ms). */
      waiting: { since: number; reason: string; nextTryAt: number } | null;
    }
  | {
      state: 'exported';
      exportId: string;
      poId: string | null;
      poNumber: string | null;
      poUrl: string | null;
      exportedAt: number | null;
      summary: StoredExport['summary'];
    }
  | {
      state: 'failed';
      /** Null when automatic sync failed before an export began (no plan could be made): see jobId. */
      exportId: string | null;
      planId: string | null;
      /** The failed automatic sync job (retry it once the cause is fixed), when automatic sync failed. */
      jobId: string | null;
      code: string | null;
      reason: string | null;
      retryable: boolean;
    };

export interface OrderSyncStatus {
  connectionId: string;
  connectionName: string;
  system: string;
  /** The POS system's short name (`X-Series`), from its manifest. */
  posLabel: string;
  status: SyncStatus;
}

export async function posConnectionsOf(ctx: EngineContext, tenantId: string): Promise<Connection[]> {
  return (await connections.list(ctx.store.db, tenantId)).filter((c) => ctx.connectors.isPos(c.system));
}

const isAutomatic = (c: Connection): boolean => c.settings['syncMode'] === 'automatic';

/** The orders-list filter for a sync state, by the same rules as `syncStatuses` (a query, at any size). */
export async function syncFilter(ctx: EngineContext, tenantId: string, state: SyncState): Promise<SyncFilter> {
  return {
    state,
    connections: (await posConnectionsOf(ctx, tenantId)).map((c) => ({ id: c.id, automatic: isAutomatic(c) })),
    automaticSync: { planCreator: automaticSyncCreator, jobTask: autoSyncTask },
  };
}

/** Every order's status on every POS connection of the tenant, in a few queries. */
export async function syncStatuses(
  ctx: EngineContext,
  tenantId: string,
  orderIds: readonly string[],
): Promise<Map<string, OrderSyncStatus[]>> {
  const posConnections = await posConnectionsOf(ctx, tenantId);
  const rows = await exports.forOrders(ctx.store.db, tenantId, orderIds);
  const stepsDone = new Map<string, number>();
  for (const planId of new Set(rows.filter((r) => r.state === 'in_progress').map((r) => r.planId))) {
    const steps = await exports.steps(ctx.store.db, tenantId, planId);
    stepsDone.set(planId, steps.filter((s) => s.state === 'done').length);
  }
  const automatic = posConnections.filter(isAutomatic);
  const autoJobs = new Map(
    (
      await findByKeys(
        ctx.store.db,
        tenantId,
        autoSyncTask,
        orderIds.flatMap((orderId) => automatic.map((c) => autoSyncKey(orderId, c.id))),
      )
    ).map((job) => [job.key, job]),
  );
  const result = new Map<string, OrderSyncStatus[]>();
  for (const orderId of orderIds) {
    const statuses: OrderSyncStatus[] = [];
    for (const connection of posConnections) {
      const row = rows.find((r) => r.orderId === orderId && r.connectionId === connection.id);
      const autoJob = autoJobs.get(autoSyncKey(orderId, connection.id));
      statuses.push({
        connectionId: connection.id,
        connectionName: connection.name,
        system: connection.system,
        posLabel: ctx.connectors.labels(connection.system).shortLabel,
        status: row
          ? statusOf(row, stepsDone.get(row.planId) ?? 0)
          : autoJob?.state === 'failed'
            ? { ...FAILED_AUTOMATIC, jobId: autoJob.id, reason: autoSyncFailure(autoJob) }
            : await waitingOrNot(ctx, tenantId, connection, orderId),
      });
    }
    result.set(orderId, statuses);
  }
  return result;
}

const FAILED_AUTOMATIC = {
  state: 'failed',
  exportId: null,
  planId: null,
  code: 'AUTO_SYNC_FAILED',
  retryable: true,
} as const;

function statusOf(row: StoredExport, stepsDone: number): SyncStatus {
  switch (row.state) {
    case 'in_progress':
      return {
        state: 'in_progress',
        exportId: row.id,
        planId: row.planId,
        stepsDone,
        startedAt: row.startedAt,
        waiting: row.waiting,
      };
    case 'exported':
      return {
        state: 'exported',
        exportId: row.id,
        poId: row.poId,
        poNumber: row.poNumber,
        poUrl: row.poUrl,
        exportedAt: row.finishedAt,
        summary: row.summary,
      };
    case 'failed':
      return {
        state: 'failed',
        exportId: row.id,
        planId: row.planId,
        jobId: null,
        code: row.failureCode,
        reason: row.failureMessage,
        retryable: row.failureRetryable ?? false,
      };
  }
}

/** Automatic sync leaves a draft plan when a line needs a person: the order shows as waiting for review. */
async function waitingOrNot(
  ctx: EngineContext,
  tenantId: string,
  connection: Connection,
  orderId: string,
): Promise<SyncStatus> {
  if (!isAutomatic(connection)) return { state: 'not_exported' };
  const draft = await exportPlans.latestDraftFor(ctx.store.db, tenantId, connection.id, orderId);
  if (!draft || draft.createdBy !== automaticSyncCreator) return { state: 'not_exported' };
  return {
    state: 'needs_review',
    planId: draft.id,
    reason: `${draft.plan.counts.needsReview} line(s) need a decision before the automatic sync can export this order`,
  };
}
