// Issue 14, acceptance 4: 1,000 open exported orders, followed after export until complete. Prints the NuORDER
// calls one status refresh makes (counted by the NuORDER simulator, a separate process), with nothing shipped, after
// 100 partial and 50 full shipments, and once those are complete; then the calls a day at the default poll interval
// (ORDER_POLL_SECONDS, every poll refreshes) against the budget documented in docs/simulators/nuorder.md
// ("Re-reading many orders cheaply": 1,000 calls a day per brand connection for the status refresh, ours: NuORDER
// publishes no limit). Exits 1 when a figure is over it.
// Run: npm run bench (all benches) or node bench/shipment-refresh.ts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { ingestOrders } from '../src/flows/ingest-orders.ts';
import { refreshShipments } from '../src/flows/shipment-refresh.ts';
import { openStore } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrations/index.ts';
import { connections, exportPlans, exports, wholesaleOrders, type Connection } from '../src/store/repos/index.ts';
import { engine, startSim, stopSims } from './lib/sims.ts';

const OPEN = 1_000;
const PARTIAL = 100;
const FULL = 50;
/** docs/simulators/nuorder.md: the status refresh's daily budget per brand connection (ours, [I]). */
const DAILY_BUDGET = 1_000;
const pollSeconds = loadConfig({}).orderPollMs / 1000;

const nuorder = await startSim('nuorder');
const pos = await startSim('lightspeed-x');
let failed = false;
try {
  await nuorder.control('POST', '/_sim/seed', {
    scenario: 'small',
    options: { brands: 1, approvedOrders: OPEN, linesPerOrder: [3, 3], missingUpcShare: 0 },
  });
  const store = await openStore({ sqliteFile: join(mkdtempSync(join(tmpdir(), 'tl-bench-ship-')), 'bench.db') });
  await migrateToLatest(store);
  const t0 = Date.now();
  const { ctx, tenantId, posConnection } = await engine(store, nuorder, pos, 'lightspeed-x');
  const source = (await connections.list(store.db, tenantId, { system: 'nuorder' }))[0] as Connection;
  const port = await ctx.connectors.wholesaleSource(source);
  await ingestOrders(ctx, source, port);
  console.log(`seeded and ingested in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const orders: Awaited<ReturnType<typeof wholesaleOrders.list>>['orders'] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await wholesaleOrders.list(store.db, tenantId, { limit: 500, offset });
    orders.push(...page.orders);
    if (page.orders.length < 500) break;
  }
  // Seeded as exported (the export itself is bench/export.ts's subject): one plan, one exported row per order.
  const plan = await exportPlans.create(store.db, tenantId, {
    connectionId: posConnection.id,
    locationId: 'bench',
    orderIds: orders.map((o) => o.id),
    overrides: [],
    plan: { fingerprint: 'bench' } as never,
    createdBy: null,
  });
  await exports.insertInProgress(
    store.db,
    tenantId,
    plan.id,
    posConnection.id,
    orders.map((o) => o.id),
  );
  for (const row of await exports.forPlan(store.db, tenantId, plan.id))
    await exports.update(store.db, tenantId, row.id, {
      state: 'exported',
      poId: null,
      poNumber: `PO-${row.id.slice(0, 6)}`,
    });
  console.log(`${orders.length} open exported orders (one brand connection)`);

  const refresh = async (label: string) => {
    await nuorder.control('DELETE', '/_sim/requests');
    const report = await refreshShipments(ctx, (await connections.get(store.db, tenantId, source.id))!, port);
    const counted = (await nuorder.control('GET', '/_sim/requests')).total as number;
    console.log(
      `${label.padEnd(46)} ${String(counted).padStart(4)} NuORDER calls (port says ${report.requests}); ` +
        `followed ${report.followed}, changed ${report.changed}, complete ${report.completed}`,
    );
    return counted;
  };

  const quiet = await refresh('refresh, nothing shipped');
  for (const [i, o] of orders.slice(0, PARTIAL + FULL).entries()) {
    const doc = (await wholesaleOrders.get(store.db, tenantId, o.id))!.document;
    const line = doc.lines[0]!;
    await nuorder.control('POST', `/_sim/orders/${o.sourceId}/shipments`, {
      carrier: 'UPS',
      trackingNumbers: [`1Z999AA1${String(10_000_000 + i).padStart(10, '0')}`],
      ...(i < PARTIAL ? { lines: [{ productId: line.productSourceId, size: line.size, quantity: 1 }] } : {}),
    });
  }
  const busy = await refresh(`refresh, ${PARTIAL} partial + ${FULL} full shipments since`);
  const after = await refresh('refresh, nothing new (the 50 no longer followed)');
  const perDay = 86_400 / pollSeconds;
  // A day at the default interval: every refresh as quiet as the last, plus one call per order shipped in full.
  const daily = Math.round(perDay * after + FULL);
  console.log(
    `\nper refresh: ${quiet} quiet, ${busy} with ${FULL} orders shipped in full since (= ${busy - FULL} + 1 each)` +
      `\nper day at ORDER_POLL_SECONDS=${pollSeconds}: ${perDay} refreshes × ${after} + ${FULL} shipped in full = ` +
      `${daily} calls; budget ${DAILY_BUDGET} (docs/simulators/nuorder.md) → ${daily <= DAILY_BUDGET ? 'within' : 'OVER'}`,
  );
  failed = daily > DAILY_BUDGET || quiet > 2 || orders.length < OPEN;
  await store.close();
} finally {
  await stopSims(nuorder, pos);
}
process.exitCode = failed ? 1 : 0;
