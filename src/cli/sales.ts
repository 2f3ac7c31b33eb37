/**
 * `tradeloop sales-orders …`: the sales sync between NetSuite and X-Series from the command line.
 *   sync [--direction netsuite|xseries|both]   run a sync now (in this process) and then the fulfil/bill work it queued
 *   status [--json]                            connections, settings, counts by state, cursors, active rules
 *   log [--state s] [--limit n] / retry <id>   the synced orders and sales; try one again
 *   settings [--skip-sales-orders on|off] …    the sync's settings
 *   rules list | show [--version n] | validate <file> | save <file> | activate <version> | dry-run <file>|--version n
 */
import { readFileSync } from 'node:fs';
import { Argument, Option, type Command } from 'commander';
import type { EngineContext } from '../flows/engine-context.ts';
import { AppError } from '../core/errors.ts';
import { validateRuleSet, type RuleSetDocument } from '../core/sales/rules.ts';
import {
  activateVersion,
  activeRules,
  loadSalesSettings,
  ruleSetDocument,
  saveDraft,
  saveSalesSettings,
} from '../flows/sales/config.ts';
import { openSalesEnv } from '../flows/sales/env.ts';
import { salesJobHandlers } from '../flows/sales/jobs.ts';
import { syncFromNetsuite, syncFromXSeries, runDryRun } from '../flows/sales/sync.ts';
import { enqueueRetry } from '../flows/sales/tasks.ts';
import { createWorker } from '../jobs/runner.ts';
import { salesRuleSets, salesSyncs } from '../store/repos/index.ts';
import { salesStatus } from '../http/routes/sales-status.ts';
import { listSalesLog } from '../http/routes/sales.ts';
import { resolveTenant, withContext } from './context.ts';
import { orgOption, text, uuid, wholeNumber } from './options.ts';

function readDocument(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new AppError(
      'INVALID_INPUT',
      `Cannot read a rule set from ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/** Runs the sales jobs that are due (fulfil and bill, retries) with a worker of this process. */
async function runQueuedSalesWork(ctx: EngineContext): Promise<number> {
  const worker = createWorker({ store: ctx.store, handlers: salesJobHandlers(ctx), logger: ctx.logger });
  try {
    return await worker.drain();
  } finally {
    await worker.stop({ graceMs: 1_000 });
  }
}

export function registerSalesCommands(program: Command): void {
  const sales = program
    .command('sales-orders')
    .description('Sales sync between NetSuite and X-Series: sync, status, rules');

  sales
    .command('sync')
    .description('Sync now (in this process), then fulfil and bill what the POS finished')
    .addOption(
      new Option('--direction <direction>', 'which way').choices(['netsuite', 'xseries', 'both']).default('both'),
    )
    .addOption(orgOption())
    .option('--json', 'print JSON')
    .action(async (options: { direction: 'netsuite' | 'xseries' | 'both'; org?: string; json?: boolean }) => {
      await withContext(
        async (ctx) => {
          const tenantId = await resolveTenant(ctx, options.org);
          const env = await openSalesEnv(ctx, tenantId);
          const out: Record<string, unknown> = {};
          if (options.direction !== 'xseries') {
            const { results, ...report } = await syncFromNetsuite(env);
            out.netsuite = report;
            if (!options.json) {
              console.log(
                `NetSuite → X-Series (rules v${report.ruleSetVersion}, since ${report.since}): ${report.orders} orders, ${report.sent} sent, ${report.notSent} not sent, ${report.blocked} blocked, ${report.failed} failed, ${report.alreadySent} already sent`,
              );
              for (const [status, n] of Object.entries(report.sentByStatus)) console.log(`  sent as ${status}: ${n}`);
              for (const r of results)
                console.log(`  ${r.tranId || r.orderId}: ${r.outcome}${r.status ? ` (${r.status})` : ''}`);
            }
          }
          if (options.direction !== 'netsuite') {
            const { results, ...report } = await syncFromXSeries(env);
            out.xseries = report;
            if (!options.json) {
              console.log(
                `X-Series → NetSuite (from version ${report.from}): ${report.seen} sales seen, ${report.imported} imported, ${report.notImported} not imported, ${report.failed} failed; ${report.completionsQueued} to fulfil and bill`,
              );
              for (const r of results) console.log(`  sale ${r.saleId}: ${r.outcome}${r.as ? ` as ${r.as}` : ''}`);
            }
          }
          out.jobsRun = await runQueuedSalesWork(ctx);
          if (options.json) printJson(out);
          else console.log(`Ran ${String(out.jobsRun)} queued sales job(s) (fulfil and bill, retries).`);
        },
        { logLevel: 'warn' },
      );
    });

  sales
    .command('status')
    .description('Connections, settings, counts by state, cursors, the active rules and recent jobs')
    .addOption(orgOption())
    .option('--json', 'print JSON, as GET /api/sales-orders/status answers')
    .action(async (options: { org?: string; json?: boolean }) => {
      await withContext(
        async (ctx) => {
          const status = await salesStatus(ctx, await resolveTenant(ctx, options.org));
          if (options.json) return printJson(status);
          for (const [system, c] of [
            ['netsuite', status.netsuite],
            ['lightspeed-x', status.xseries],
          ] as const)
            console.log(`${system.padEnd(13)} ${c ? `${c.name} (${c.account}): ${c.status}` : 'not linked'}`);
          console.log(
            `Rules: version ${status.activeVersion}${status.activeVersion === 0 ? ' (built-in defaults)' : ''}; skip sales orders: ${status.settings.skipSalesOrders ? 'on' : 'off'}`,
          );
          for (const k of status.counts)
            console.log(
              `  ${k.direction === 'ns_to_x' ? 'NetSuite → X-Series' : 'X-Series → NetSuite'}  ${k.state.padEnd(10)} ${k.count}`,
            );
          for (const k of status.cursors) console.log(`  cursor ${k.key} = ${k.value}`);
        },
        { logLevel: 'warn' },
      );
    });

  sales
    .command('log')
    .description('Synced orders and sales, most recent first')
    .addOption(
      new Option('--state <state>', 'only this state').choices([
        'not_sent',
        'sending',
        'sent',
        'completing',
        'completed',
        'failed',
      ]),
    )
    .addOption(new Option('--limit <n>', 'how many (1–500)').argParser(wholeNumber(1, 500)).default(50))
    .addOption(orgOption())
    .option('--json', 'print JSON, as GET /api/sales-orders/log answers')
    .action(async (options: { state?: 'failed'; limit: number; org?: string; json?: boolean }) => {
      await withContext(
        async (ctx) => {
          const tenantId = await resolveTenant(ctx, options.org);
          const rows = await salesSyncs.list(ctx.store.db, tenantId, {
            state: options.state,
            limit: options.limit,
          });
          if (options.json)
            return printJson(
              await listSalesLog(ctx.store.db, tenantId, { state: options.state, limit: options.limit, offset: 0 }),
            );
          if (rows.length === 0) console.log('Nothing synced yet.');
          for (const r of rows) {
            const what =
              r.direction === 'ns_to_x'
                ? `NetSuite ${r.nsTranId ?? r.nsId} → X-Series ${r.xInvoiceNumber ?? r.xSaleId ?? '-'}`
                : `X-Series ${r.xInvoiceNumber ?? r.xSaleId} → NetSuite ${r.nsRecordType ?? ''} ${r.nsId ?? '-'}`;
            console.log(
              `${r.id}  ${r.state.padEnd(10)} ${what}${r.sentAs ? ` as ${r.sentAs}` : ''}${r.errorMessage ? `  error: ${r.errorMessage}` : r.reason && r.state === 'not_sent' ? `  why: ${r.reason}` : ''}`,
            );
          }
        },
        { logLevel: 'warn' },
      );
    });

  sales
    .command('retry')
    .description('Try a failed or unsent order or sale again (looked up first, never made twice)')
    .addArgument(new Argument('<id>', 'an id from `tradeloop sales-orders log`').argParser(uuid))
    .addOption(orgOption())
    .action(async (id: string, options: { org?: string }) => {
      await withContext(
        async (ctx) => {
          const tenantId = await resolveTenant(ctx, options.org);
          const row = await salesSyncs.get(ctx.store.db, tenantId, id);
          if (!row) throw new AppError('NOT_FOUND', `No synced order ${id}`);
          await enqueueRetry(ctx.store.db, tenantId, id, ctx.now());
          await runQueuedSalesWork(ctx);
          const after = await salesSyncs.get(ctx.store.db, tenantId, id);
          console.log(`${id} is now ${after?.state ?? '?'}${after?.errorMessage ? `: ${after.errorMessage}` : ''}`);
        },
        { logLevel: 'warn' },
      );
    });

  sales
    .command('settings')
    .description('Show or change the settings')
    .addOption(
      new Option('--skip-sales-orders <on|off>', 'only sales meeting a condition become NetSuite sales orders').choices(
        ['on', 'off'],
      ),
    )
    .addOption(
      new Option('--interval <minutes>', 'minutes between scheduled syncs (1–1440)').argParser(wholeNumber(1, 1440)),
    )
    .addOption(new Option('--lookback <days>', 'days the first sync looks back (1–90)').argParser(wholeNumber(1, 90)))
    .addOption(orgOption())
    .action(async (options: { skipSalesOrders?: 'on' | 'off'; interval?: number; lookback?: number; org?: string }) => {
      await withContext(
        async (ctx) => {
          const tenantId = await resolveTenant(ctx, options.org);
          const changes = {
            ...(options.skipSalesOrders ? { skipSalesOrders: options.skipSalesOrders === 'on' } : {}),
            ...(options.interval === undefined ? {} : { syncIntervalMinutes: options.interval }),
            ...(options.lookback === undefined ? {} : { lookbackDays: options.lookback }),
          };
          printJson(
            Object.keys(changes).length > 0
              ? await saveSalesSettings(ctx, tenantId, changes)
              : await loadSalesSettings(ctx.store.db, tenantId),
          );
        },
        { logLevel: 'warn' },
      );
    });

  const rules = sales
    .command('rules')
    .description('Versioned sales-order rules: list, show, validate, save, activate, dry-run');
  rules
    .command('list')
    .description('Saved versions, newest first')
    .addOption(orgOption())
    .action(async (options: { org?: string }) => {
      await withContext(
        async (ctx) => {
          const tenantId = await resolveTenant(ctx, options.org);
          const versions = await salesRuleSets.list(ctx.store.db, tenantId);
          if (versions.length === 0) console.log('No saved versions: the built-in defaults (version 0) are active.');
          for (const v of versions) {
            const doc = v.document as RuleSetDocument;
            console.log(
              `v${v.version}  ${v.state.padEnd(7)}  ${doc.rules.length} rules  ${new Date(v.createdAt).toISOString()}${v.note ? `  ${v.note}` : ''}`,
            );
          }
        },
        { logLevel: 'warn' },
      );
    });
  rules
    .command('show')
    .description('Print a version (default: the active rule set) as JSON')
    .addOption(new Option('--version <n>', 'a saved version').argParser(wholeNumber(1)))
    .addOption(orgOption())
    .action(async (options: { version?: number; org?: string }) => {
      await withContext(
        async (ctx) => {
          const tenantId = await resolveTenant(ctx, options.org);
          printJson(
            options.version
              ? await ruleSetDocument(ctx.store.db, tenantId, options.version)
              : (await activeRules(ctx.store.db, tenantId)).document,
          );
        },
        { logLevel: 'warn' },
      );
    });
  rules
    .command('validate <file>')
    .description('Check a rule set file; every issue names the rule and the field')
    .action((file: string) => {
      const checked = validateRuleSet(readDocument(file));
      if (checked.ok) {
        console.log(
          `${file}: valid (${checked.document.rules.length} rules, ${checked.document.mapping.length} mapped statuses)`,
        );
        return;
      }
      for (const issue of checked.issues) console.error(`${issue.path}: ${issue.message}`);
      process.exit(2);
    });
  rules
    .command('save <file>')
    .description('Save a rule set file as a new draft version (refused when it does not validate)')
    .addOption(new Option('--note <text>', 'what changed').argParser(text(500)))
    .addOption(orgOption())
    .action(async (file: string, options: { note?: string; org?: string }) => {
      await withContext(
        async (ctx) => {
          const tenantId = await resolveTenant(ctx, options.org);
          const saved = await saveDraft(ctx, tenantId, readDocument(file), { note: options.note ?? null });
          console.log(
            `Saved draft version ${saved.version}. Try it with \`tradeloop sales-orders rules dry-run --version ${saved.version}\`, then activate it.`,
          );
        },
        { logLevel: 'warn' },
      );
    });
  rules
    .command('activate')
    .description('Make a saved version the active rule set')
    .addArgument(new Argument('<version>', 'a saved version').argParser(wholeNumber(1)))
    .addOption(orgOption())
    .action(async (version: number, options: { org?: string }) => {
      await withContext(
        async (ctx) => {
          const tenantId = await resolveTenant(ctx, options.org);
          const v = await activateVersion(ctx, tenantId, version);
          console.log(`Version ${v.version} is active; the next sync follows it.`);
        },
        { logLevel: 'warn' },
      );
    });
  rules
    .command('dry-run [file]')
    .description(
      'Replay the last N days of NetSuite orders against a draft (a file or a saved version) next to the active rules',
    )
    .addOption(new Option('--version <n>', 'a saved version instead of a file').argParser(wholeNumber(1)))
    .addOption(new Option('--days <n>', 'days to replay (1–90)').argParser(wholeNumber(1, 90)).default(7))
    .addOption(orgOption())
    .option('--json', 'print JSON, as POST /api/sales-orders/dry-run answers')
    .action(
      async (file: string | undefined, options: { version?: number; days: number; org?: string; json?: boolean }) => {
        await withContext(
          async (ctx) => {
            const tenantId = await resolveTenant(ctx, options.org);
            let draft: { document: RuleSetDocument; version: number | null };
            if (file) {
              const checked = validateRuleSet(readDocument(file));
              if (!checked.ok)
                throw new AppError(
                  'SALES_RULES_INVALID',
                  checked.issues.map((i) => `${i.path}: ${i.message}`).join('; '),
                );
              draft = { document: checked.document, version: null };
            } else if (options.version) {
              draft = {
                document: await ruleSetDocument(ctx.store.db, tenantId, options.version),
                version: options.version,
              };
            } else {
              throw new AppError('INVALID_INPUT', 'Give a rule set file or --version');
            }
            const report = await runDryRun(await openSalesEnv(ctx, tenantId), draft, options.days);
            if (options.json) return printJson(report);
            const line = (name: string, f: typeof report.draft): string =>
              `${name}: ${f.orders} orders, ${f.send} would be sent (${
                Object.entries(f.sendByStatus)
                  .map(([k, n]) => `${k} ${n}`)
                  .join(', ') || 'none'
              }), ${f.notSent} not sent, ${f.blocked} blocked, ${f.alreadySent} already sent`;
            console.log(line(`Active (v${report.activeVersion})`, report.active));
            console.log(line(`Draft${report.draftVersion !== null ? ` (v${report.draftVersion})` : ''}`, report.draft));
            console.log(`${report.changed} order(s) would change:`);
            for (const row of report.rows.filter((r) => r.change !== 'same')) {
              const show = (p: (typeof row)['active']): string =>
                p.outcome === 'send' || p.outcome === 'blocked' ? `${p.outcome} as ${p.status}` : p.outcome;
              console.log(`  ${row.tranId}: ${show(row.active)} → ${show(row.draft)}`);
            }
          },
          { logLevel: 'warn' },
        );
      },
    );
}
