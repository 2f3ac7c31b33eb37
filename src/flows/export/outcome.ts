import { AppError } from '../../core/errors.ts';
import { RemoteAuthLost, RemoteRejected, RemoteUnavailable } from '../../core/ports/errors.ts';
import { connections, exports, wholesaleOrders, type Connection, type StoredPlan } from '../../store/repos/index.ts';
import type { EngineContext } from '../engine-context.ts';
import { automaticSyncCreator } from '../plan-export.ts';

/** A failure in plain words for the buyer, and whether Retry can help. */
export function describeForBuyer(error: unknown): { code: string; message: string; retryable: boolean } {
  if (error instanceof RemoteAuthLost)
    return {
      code: error.code,
      message: 'The POS no longer accepts our authorization. Link the POS again under Connections, then retry.',
      retryable: true,
    };
  if (error instanceof RemoteUnavailable)
    return {
      code: error.code,
      message: 'The POS did not answer in time. Nothing was duplicated; retry to finish the export.',
      retryable: true,
    };
  if (error instanceof RemoteRejected)
    return { code: error.code, message: `The POS refused the export: ${error.message}`, retryable: false };
  if (error instanceof AppError) return { code: error.code, message: error.message, retryable: error.retryable };
  return {
    code: 'INTERNAL',
    message: 'Something went wrong on our side; the error was logged. Retry, or contact support if it persists.',
    retryable: true,
  };
}

/** One order's export failed for good. */
export async function failExport(ctx: EngineContext, tenantId: string, exportId: string, error: unknown) {
  await exports.update(
    ctx.store.db,
    tenantId,
    exportId,
    { state: 'failed', failure: describeForBuyer(error), finishedAt: ctx.now(), waiting: null },
    ctx.now(),
  );
}

/** Every export of the plan still in progress fails with this error. */
export async function failOpenExports(ctx: EngineContext, tenantId: string, planId: string, error: unknown) {
  for (const row of await exports.forPlan(ctx.store.db, tenantId, planId))
    if (row.state === 'in_progress') await failExport(ctx, tenantId, row.id, error);
}

/**
 * Automatic sync exports with nobody watching: an export of it that failed for good is also told on the
 * connection (its last problem), where the merchant looks when orders stop arriving in the POS.
 */
export async function noticeAutomaticFailures(
  ctx: EngineContext,
  plan: StoredPlan,
  connection: Connection,
  failed: readonly unknown[],
): Promise<void> {
  if (plan.createdBy !== automaticSyncCreator || failed.length === 0) return;
  const orders = await wholesaleOrders.getMany(ctx.store.db, plan.tenantId, plan.orderIds);
  const numbers = orders.map((o) => o.orderNumber).join(', ');
  await connections.update(
    ctx.store.db,
    plan.tenantId,
    connection.id,
    { lastError: `Automatic export of order ${numbers} failed: ${describeForBuyer(failed[0]).message}` },
    ctx.now(),
  );
}
