/**
 * `tradeloop doctor` and `GET /api/connections/:id/doctor`: read-only probes of every resource a linked
 * connection's connector uses, each saying whether the live reply still fits the connector's schema, field by
 * field. The connector does the probing (`ConnectionDoctor`); this flow picks the connector and shapes the report.
 */
import { notFound } from '../core/errors.ts';
import type { DoctorCheck } from '../core/ports/doctor.ts';
import { connections, type Connection } from '../store/repos/index.ts';
import type { EngineContext } from './engine-context.ts';

export interface DoctorReport {
  connection: { id: string; name: string; system: string; status: string };
  checkedAt: number;
  /** True when every check is ok or skipped. */
  healthy: boolean;
  counts: Record<DoctorCheck['outcome'], number>;
  checks: DoctorCheck[];
}

/** The probes of the connection's main port, by its connector's kind. */
async function probesFor(ctx: EngineContext, connection: Connection): Promise<DoctorCheck[]> {
  const port =
    ctx.connectors.manifest(connection.system)?.kind === 'pos'
      ? await ctx.connectors.pointOfSale(connection)
      : ctx.connectors.manifest(connection.system)?.kind === 'wholesale'
        ? await ctx.connectors.wholesaleSource(connection)
        : ctx.connectors.manifest(connection.system)?.kind === 'erp'
          ? await ctx.connectors.erpSalesOrders(connection)
          : undefined;
  return port?.doctor ? port.doctor() : [];
}

export async function diagnoseConnection(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
): Promise<DoctorReport> {
  const connection = await connections.get(ctx.store.db, tenantId, connectionId);
  if (!connection) throw notFound('Connection', connectionId);
  const checks = await probesFor(ctx, connection);
  const counts: DoctorReport['counts'] = { ok: 0, mismatch: 0, error: 0, skipped: 0 };
  for (const check of checks) counts[check.outcome] += 1;
  if (checks.length === 0)
    checks.push({
      call: '(none)',
      purpose: `${connection.system} has no probes`,
      outcome: 'skipped',
      fields: [],
      detail: 'This connector does not offer probes yet',
      ms: 0,
    });
  ctx.logger.info(
    { tenantId, connectionId, system: connection.system, counts },
    counts.mismatch + counts.error > 0 ? 'doctor found problems' : 'doctor: all checks passed',
  );
  return {
    connection: { id: connection.id, name: connection.name, system: connection.system, status: connection.status },
    checkedAt: ctx.now(),
    healthy: counts.mismatch === 0 && counts.error === 0,
    counts,
    checks,
  };
}
