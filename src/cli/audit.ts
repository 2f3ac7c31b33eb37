import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { auditCsv, type AuditRow } from '../core/discrepancy.ts';
import { runAudit } from '../flows/audit/audit.ts';
import { resolveTenant, withContext } from './context.ts';
import { orgOption, text, uuid } from './options.ts';

interface AuditOptions {
  brand?: string;
  season?: string;
  order?: string;
  csv?: string;
  json?: boolean;
  all?: boolean;
  org?: string;
}

/**
 * `tradeloop audit`: the discrepancy audit of exported orders (GET /api/audit): ordered vs exported vs shipped vs
 * received, line by line; prints the rows with issues (`--all` every row); `--csv file` writes the rows as the page
 * shows them, `--json` prints what the API answers.
 */
export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('Ordered (NuORDER) vs exported (POS PO) vs shipped vs received, line by line, for exported orders')
    .addOption(new Option('--brand <name>', 'only this brand').argParser(text(200)))
    .addOption(new Option('--season <season>', 'only orders with lines of this season').argParser(text(100)))
    .addOption(new Option('--order <order-id>', 'only this order').argParser(uuid))
    .addOption(
      new Option('--csv <file>', 'write the rows to a CSV file (the columns the page shows)').argParser(text(1000)),
    )
    .option('--all', 'list every row, not only those with issues')
    .option('--json', 'print JSON, as GET /api/audit answers')
    .addOption(orgOption())
    .action(async (options: AuditOptions) => {
      await withContext(async (ctx) => {
        const tenantId = await resolveTenant(ctx, options.org);
        const result = await runAudit(ctx, tenantId, {
          brand: options.brand,
          season: options.season,
          orderId: options.order,
          onlyIssues: !options.all,
        });
        if (options.csv) writeFileSync(options.csv, auditCsv(result.rows));
        if (options.json) {
          console.log(JSON.stringify({ orders: result.orders, total: result.orders.length }, null, 2));
          return;
        }
        if (result.orders.length === 0) {
          console.log(options.all ? 'No exported order matches.' : 'No discrepancy found.');
          return;
        }
        for (const o of result.orders) {
          console.log(`Order ${o.orderNumber} (${o.brandName}) → PO ${o.poNumber ?? '?'}: ${o.issues} issue(s)`);
          if (o.error) console.log(`  ${o.error}`);
          for (const row of o.rows) console.log(`  ${describe(row)}`);
        }
        if (options.csv) console.log(`${result.rows.length} rows written to ${options.csv}`);
      });
    });
}

function describe(row: AuditRow): string {
  const figures = `ordered ${row.ordered ?? '—'}, on PO ${row.onPo ?? '—'}, shipped ${row.shipped ?? '—'}, received ${row.received ?? '—'}`;
  const issues = row.issues.map((i) => i.message).join('; ');
  return `${row.label}: ${figures}${issues ? ` — ${issues}` : ''}`;
}
