import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { createInterface } from 'node:readline/promises';
import { AppError } from '../core/errors.ts';
import { requestApply } from '../flows/apply-export.ts';
import type { EngineContext } from '../flows/engine-context.ts';
import { posConnectionsOf } from '../flows/order-status.ts';
import { createPlan, listLocations, requirePosConnection } from '../flows/plan-export.ts';
import { exportSaga } from '../flows/export/saga.ts';
import { get as getJob } from '../jobs/queue.ts';
import { createWorker } from '../jobs/runner.ts';
import { jobHandlers } from '../main.ts';
import { exports, wholesaleOrders, type StoredPlan } from '../store/repos/index.ts';

interface ListOptions {
  brand?: string;
  status?: (typeof orderStatuses)[number];
  syncStatus?: (typeof syncStates)[number];
  search?: string;
  limit: number;
  offset: number;
  org?: string;
  json?: boolean;
}
import { listOrders, orderStatuses, syncStates, toExportViews, toPlanView } from '../http/routes/export-views.ts';
import { resolveTenant, withContext } from './context.ts';
import { orgOption, text, wholeNumber } from './options.ts';
import { registerOrderAmendments } from './order-amendments.ts';
import { registerOrderShow } from './order-show.ts';

/** One POS-sync status (as GET /api/orders shows it) in words. */
const describeStatus = (status: { state: string; [field: string]: unknown }): string => {
  switch (status.state) {
    case 'exported':
      return `Exported · PO ${String(status['poNumber'])}`;
    case 'failed':
      return `Failed: ${String(status['reason'])}`;
    case 'in_progress':
      return 'Export in progress';
    case 'needs_review':
      return 'Needs review';
    default:
      return 'Not exported';
  }
};

export function registerOrderCommands(program: Command): void {
  const orders = program.command('orders').description('Wholesale orders and their POS-sync status');
  orders
    .command('list')
    .description('List wholesale orders with their POS-sync status per POS connection')
    .addOption(new Option('--brand <name>', 'only this brand').argParser(text()))
    .addOption(new Option('--status <status>', 'only this NuORDER status').choices(orderStatuses))
    .addOption(new Option('--sync-status <state>', 'only this POS-sync status').choices(syncStates))
    .addOption(new Option('--search <text>', 'order number or brand contains').argParser(text(100)))
    .addOption(new Option('--limit <n>', 'how many (1–500)').argParser(wholeNumber(1, 500)).default(100))
    .addOption(new Option('--offset <n>', 'skip this many').argParser(wholeNumber(0)).default(0))
    .addOption(orgOption())
    .option('--json', 'print JSON, as GET /api/orders answers')
    .action(async (options: ListOptions) => {
      await withContext(
        async (ctx) => {
          const tenantId = await resolveTenant(ctx, options.org);
          const page = await listOrders(ctx, tenantId, {
            brand: options.brand,
            status: options.status,
            syncStatus: options.syncStatus,
            q: options.search,
            limit: options.limit,
            offset: options.offset,
          });
          if (options.json) {
            console.log(JSON.stringify(page, null, 2));
            return;
          }
          if (page.orders.length === 0) console.log('No orders yet. Link a NuORDER account, then sync.');
          for (const r of page.orders) {
            const sync =
              r.sync.map((s) => `${s.connectionName}: ${describeStatus(s.status)}`).join('; ') || 'no POS linked';
            console.log(
              `${r.orderNumber.padEnd(12)} ${r.brand.padEnd(24)} ${r.timeline.label.padEnd(18)} ${r.total.padStart(14)}  ${String(r.lineCount).padStart(4)} lines  ${sync}`,
            );
          }
          console.log(`${page.orders.length} of ${page.total} order(s)`);
        },
        { logLevel: 'warn' },
      );
    });

  registerOrderShow(orders);
  registerOrderAmendments(orders);

  program
    .command('export <order-numbers...>')
    .description(
      'Export orders to a POS location: prints the plan, asks to confirm, then shows progress and the summary',
    )
    .addOption(new Option('--pos <connection>', 'POS connection id or name').argParser(text()).makeOptionMandatory())
    .addOption(
      new Option('--location <location>', 'location (outlet / shop) id or name')
        .argParser(text())
        .makeOptionMandatory(),
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .addOption(orgOption())
    .option('--json', 'print JSON, as the REST API answers (implies --yes)')
    .action(
      async (
        orderNumbers: string[],
        options: { pos: string; location: string; yes?: boolean; org?: string; json?: boolean },
      ) => {
        await withContext((ctx) => runExport(ctx, orderNumbers, options), { logLevel: 'warn' });
      },
    );
}

async function runExport(
  ctx: EngineContext,
  orderNumbers: string[],
  options: { pos: string; location: string; yes?: boolean; org?: string; json?: boolean },
): Promise<void> {
  const tenantId = await resolveTenant(ctx, options.org);
  const connection = (await posConnectionsOf(ctx, tenantId)).find(
    (c) => c.id === options.pos || c.name === options.pos,
  );
  if (!connection)
    throw new AppError(
      'NOT_FOUND',
      `No POS connection "${options.pos}"; see the Connections page or GET /api/connections`,
    );
  await requirePosConnection(ctx, tenantId, connection.id);
  const locations = await listLocations(ctx, connection, await ctx.connectors.pointOfSale(connection));
  const location = locations.find(
    (l) => l.id === options.location || l.name.toLowerCase() === options.location.toLowerCase(),
  );
  if (!location)
    throw new AppError(
      'LOCATION_UNKNOWN',
      `No location "${options.location}" at ${connection.name}; choose one of: ${locations.map((l) => `${l.name} (${l.id})`).join(', ')}`,
    );
  const found = await wholesaleOrders.findByNumbers(ctx.store.db, tenantId, orderNumbers);
  const missing = orderNumbers.filter((n) => !found.some((o) => o.orderNumber === n));
  if (missing.length) throw new AppError('NOT_FOUND', `Unknown order number(s): ${missing.join(', ')}`);

  const plan = await createPlan(ctx, tenantId, {
    connectionId: connection.id,
    locationId: location.id,
    orderIds: found.map((o) => o.id),
    createdBy: 'cli',
  });
  if (!options.json) printPlan(plan, connection.name, location.name);
  if (!plan.plan.canApply) {
    // As POST /api/plans answers: the plan, with what needs review.
    if (options.json) console.log(JSON.stringify(toPlanView(plan), null, 2));
    else
      console.log(
        `\nNothing was exported. Resolve the review in the web app (plan ${plan.id}), or with POST /api/plans/${plan.id}/overrides.`,
      );
    process.exitCode = 2;
    return;
  }
  if (
    !options.yes &&
    !options.json &&
    !(await confirm(
      `Create ${plan.plan.purchaseOrders.length} purchase order(s) in ${connection.name} at ${location.name}?`,
    ))
  ) {
    console.log('Cancelled; nothing was created.');
    return;
  }
  const accepted = await requestApply(ctx, tenantId, plan.id);
  const finished = await followExport(
    ctx,
    tenantId,
    plan,
    accepted.jobId,
    !options.json && process.stdout.isTTY === true,
  );
  if (options.json) {
    // As POST /api/plans/:id/apply answers, with each export as it finished.
    const views = await toExportViews(ctx, tenantId, finished);
    console.log(JSON.stringify({ planId: plan.id, jobId: accepted.jobId, exports: views }, null, 2));
  } else {
    for (const e of finished) {
      const order = found.find((o) => o.id === e.orderId)?.orderNumber;
      if (e.state === 'exported' && e.summary) {
        const s = e.summary;
        console.log(
          `Order ${order} → PO ${e.poNumber}: ${s.linesSynced} lines synced, ${s.matchedItemsUpdated} matched items updated, ${s.newDraftItems} new draft items, ${s.warnings.length} warning(s), ${(s.timeTakenMs / 1000).toFixed(1)} s`,
        );
        if (e.poUrl) console.log(`  ${e.poUrl}`);
      } else {
        console.log(`Order ${order}: ${e.state === 'failed' ? `failed — ${e.failureMessage}` : e.state}`);
      }
    }
  }
  if (finished.some((e) => e.state !== 'exported')) process.exitCode = 1;
}

function printPlan(stored: StoredPlan, connectionName: string, locationName: string): void {
  const c = stored.plan.counts;
  console.log(`Plan ${stored.id} → ${connectionName}, ${locationName}`);
  console.log(
    `  ${c.lines} lines in ${c.orders} order(s): ${c.confirmed} confirmed, ${c.upcMatch} UPC match, ${c.linkedByBuyer} chosen by you, ${c.newItem} new items (${c.newProducts} products), ${c.needsReview} need review`,
  );
  for (const m of stored.plan.matrices.filter((m) => m.status === 'needs_review')) {
    const lines = stored.plan.lines.filter((l) => l.matrixKey === m.matrixKey && l.decision.kind === 'needs_review');
    for (const l of lines) {
      const d = l.decision as Extract<typeof l.decision, { kind: 'needs_review' }>;
      console.log(`  needs review: ${l.styleNumber} ${l.color} ${l.size} (${l.rawUpc ?? 'no UPC'}): ${d.detail}`);
    }
  }
  for (const w of stored.plan.warnings.slice(0, 10)) console.log(`  warning: ${w.message}`);
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY)
    throw new AppError('CONFIRMATION_NEEDED', 'Not a terminal: pass --yes to export without asking');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/**
 * What the export's progress bar shows: the saga's own planned steps and how many are done (exportSaga.progress),
 * the same numbers /progress and the web page show.
 */
export async function exportBarFigures(
  ctx: EngineContext,
  tenantId: string,
  planId: string,
): Promise<{ done: number; total: number }> {
  const { done, total } = await exportSaga.progress(ctx, tenantId, { planId });
  return { done, total };
}

/**
 * Runs the export's job in this process (a running server's worker may take it instead; either is
 * fine) and shows progress until every order of the plan is exported or failed.
 */
async function followExport(ctx: EngineContext, tenantId: string, plan: StoredPlan, jobId: string, showBar: boolean) {
  const worker = createWorker({ store: ctx.store, handlers: jobHandlers(ctx), pollMs: 200, concurrency: 1 });
  worker.start();
  const progressOf = () => exportBarFigures(ctx, tenantId, plan.id);
  const { total } = await progressOf();
  const bar = showBar
    ? new cliProgress.SingleBar(
        { format: 'Exporting [{bar}] {value}/{total} steps', hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(total, 0);
  let lastLogged = -1;
  try {
    for (;;) {
      const rows = await exports.forPlan(ctx.store.db, tenantId, plan.id);
      const { done } = await progressOf();
      bar?.update(done);
      if (!bar && done !== lastLogged) {
        console.error(`progress: ${done}/${total} steps`);
        lastLogged = done;
      }
      const job = await getJob(ctx.store.db, tenantId, jobId);
      const settled = rows.every((r) => r.state !== 'in_progress');
      if (settled || job?.state === 'failed' || job?.state === 'cancelled') return rows;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    bar?.stop();
    await worker.stop({ graceMs: 5_000 });
  }
}
