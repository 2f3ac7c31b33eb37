/**
 * The scheduled audit: every few hours each organization with a linked POS has its exported orders audited; an
 * order whose issues differ from what the last audit found (a new discrepancy) is flagged, and the orders list shows
 * the flag until a later audit finds the same issues gone. One job per organization and time bucket, whatever the
 * number of workers.
 */
import { z } from 'zod';
import { enqueue } from '../../jobs/queue.ts';
import { defineTask } from '../../jobs/task.ts';
import { connections, receipts } from '../../store/repos/index.ts';
import type { EngineContext } from '../engine-context.ts';
import { issuesFingerprint, runAudit } from './audit.ts';

export const AUDIT_PERIOD_MS = 6 * 3_600_000;

export const auditScheduleTask = defineTask(
  'audit.scheduled',
  z.object({ tenantId: z.string().min(1) }),
  { concurrency: 1, maxAttempts: 3 },
  (ctx: EngineContext, { tenantId }) => flagNewDiscrepancies(ctx, tenantId),
);

/** Audits every exported order of an organization and records which have new discrepancies. */
export async function flagNewDiscrepancies(
  ctx: EngineContext,
  tenantId: string,
): Promise<{ audited: number; flagged: number }> {
  const { orders } = await runAudit(ctx, tenantId, {});
  const before = new Map(
    (
      await receipts.auditsFor(
        ctx.store.db,
        tenantId,
        orders.map((o) => o.orderId),
      )
    ).map((a) => [a.orderId, a]),
  );
  let flagged = 0;
  for (const o of orders) {
    // An order the POS could not be read for keeps what the last audit found.
    if (o.error !== null) continue;
    const fingerprint = issuesFingerprint(o.rows);
    const last = before.get(o.orderId);
    const isNew = o.issues > 0 && (last === undefined || last.fingerprint !== fingerprint);
    const stillFlagged = o.issues > 0 && last?.flagged === true && last.fingerprint === fingerprint;
    const flag = isNew || stillFlagged;
    if (flag) flagged++;
    await receipts.saveAudit(ctx.store.db, tenantId, {
      orderId: o.orderId,
      fingerprint,
      issues: o.issues,
      flagged: flag,
      checkedAt: ctx.now(),
    });
  }
  return { audited: orders.length, flagged };
}

/** Queues the audit of every organization with a linked POS, once per period. */
export async function enqueueScheduledAudits(ctx: EngineContext): Promise<number> {
  const bucket = Math.floor(ctx.now() / AUDIT_PERIOD_MS);
  const tenants = new Set<string>();
  for (const system of ctx.connectors.systems('pos'))
    for (const c of await connections.listAllLinked(ctx.store.db, system)) tenants.add(c.tenantId);
  let created = 0;
  for (const tenantId of tenants) {
    const job = await enqueue(
      ctx.store.db,
      auditScheduleTask,
      { tenantId },
      { tenantId, key: `audit:${bucket}`, now: ctx.now() },
    );
    if (job.created) created++;
  }
  return created;
}
