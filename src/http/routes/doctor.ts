import { z } from 'zod';
import { diagnoseConnection, type DoctorReport } from '../../flows/doctor.ts';
import type { EngineContext } from '../../flows/engine-context.ts';
import type { RouteModule } from '../app.ts';
import { timestamp } from '../schemas/common.ts';

export const doctorCheckView = z.object({
  call: z.string(),
  purpose: z.string(),
  outcome: z.enum(['ok', 'mismatch', 'error', 'skipped']),
  fields: z.array(z.object({ path: z.string(), problem: z.string() })),
  detail: z.string().optional(),
  ms: z.number(),
});

export const doctorReportView = z.object({
  connection: z.object({ id: z.string(), name: z.string(), system: z.string(), status: z.string() }),
  checkedAt: timestamp,
  healthy: z.boolean(),
  counts: z.object({ ok: z.number(), mismatch: z.number(), error: z.number(), skipped: z.number() }),
  checks: z.array(doctorCheckView),
});

/** A doctor report as the API answers it (also `tradeloop doctor --json`). */
export function toDoctorReportView(report: DoctorReport): z.input<typeof doctorReportView> {
  return { ...report, checkedAt: new Date(report.checkedAt).toISOString() };
}

/** `GET /api/connections/:id/doctor`: probes every resource the connection's connector reads (read-only). */
export function doctorRoutes(ctx: EngineContext): RouteModule {
  return (_app, router) => {
    router.route({
      method: 'get',
      path: '/api/connections/:id/doctor',
      operationId: 'diagnoseConnection',
      summary: "Check that the live replies of every call this connection's connector makes still fit its schema",
      tag: 'connections',
      params: z.object({ id: z.string().min(1).max(100) }),
      response: doctorReportView,
      handler: async ({ c, params }) =>
        toDoctorReportView(await diagnoseConnection(ctx, c.get('caller').tenantId, params.id)),
    });
  };
}
