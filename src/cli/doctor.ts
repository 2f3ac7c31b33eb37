import type { Command } from 'commander';
import { AppError } from '../core/errors.ts';
import { diagnoseConnection, type DoctorReport } from '../flows/doctor.ts';
import { toDoctorReportView } from '../http/routes/doctor.ts';
import { connections } from '../store/repos/index.ts';
import { resolveTenant, withContext } from './context.ts';
import { orgOption } from './options.ts';

const mark = { ok: 'ok      ', mismatch: 'MISMATCH', error: 'ERROR   ', skipped: 'skipped ' } as const;

function printReport(report: DoctorReport): void {
  const { connection, counts } = report;
  console.log(`${connection.name} (${connection.system}, ${connection.id})`);
  for (const check of report.checks) {
    console.log(
      `  ${mark[check.outcome]}  ${check.call}  — ${check.purpose}${check.detail ? `: ${check.detail}` : ''}`,
    );
    for (const field of check.fields) console.log(`              field ${field.path}: ${field.problem}`);
  }
  console.log(
    `  ${counts.ok} ok, ${counts.mismatch} mismatch, ${counts.error} error, ${counts.skipped} skipped` +
      (report.healthy ? '' : ' — the connector would fail on what this account sends'),
  );
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor [connection]')
    .description(
      'Probe every resource a linked connection uses (read-only) and report, call by call and field by field, ' +
        "whether the live replies still fit the connector's schema. Without a connection: every linked one",
    )
    .addOption(orgOption())
    .option('--json', 'print JSON: each report as GET /api/connections/:id/doctor answers')
    .action(async (named: string | undefined, options: { org?: string; json?: boolean }) => {
      const healthy = await withContext(
        async (ctx) => {
          const tenantId = await resolveTenant(ctx, options.org);
          const all = await connections.list(ctx.store.db, tenantId);
          const chosen = named
            ? all.filter((c) => c.id === named || c.name === named)
            : all.filter((c) => c.status === 'linked');
          if (chosen.length === 0)
            throw new AppError(
              named ? 'CONNECTION_NOT_FOUND' : 'NOTHING_TO_CHECK',
              named
                ? `No connection with id or name "${named}"; \`tradeloop doctor\` without one checks every linked connection`
                : 'No linked connection to check: link an account first',
            );
          const reports: DoctorReport[] = [];
          for (const connection of chosen) reports.push(await diagnoseConnection(ctx, tenantId, connection.id));
          if (options.json) console.log(JSON.stringify({ reports: reports.map(toDoctorReportView) }, null, 2));
          else reports.forEach(printReport);
          return reports.every((r) => r.healthy);
        },
        { logLevel: 'warn' },
      );
      if (!healthy) process.exitCode = 1;
    });
}
