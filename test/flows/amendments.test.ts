/**
 * Issue 15, acceptance 1 (amendments into the PO), on both POS and both dialects: an exported order is edited in
 * NuORDER (a quantity up, a line removed, a line of a new style added); accepting the amendment updates the POS
 * purchase order through the `amendment.apply` saga. A worker process is SIGKILLed right after the POS created the
 * new item (its reply withheld), a 429 and a ghost write hit the apply; the PO ends as the amended order, with one
 * new item and no duplicate line. A second edit is refused once the PO is received (X-Series) or Finished
 * (R-Series), with the reason; a second order's cancellation cancels (X-Series) or archives (R-Series) its PO.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGtin } from '../../src/core/gtin.ts';
import { acceptAmendment, autoApplyAmendmentJob, enqueueAutoApply } from '../../src/flows/amendments/decide.ts';
import { planAmendmentApply } from '../../src/flows/amendments/plan.ts';
import { requestApply } from '../../src/flows/apply-export.ts';
import { ingestOrders } from '../../src/flows/ingest-orders.ts';
import { createPlan } from '../../src/flows/plan-export.ts';
import { list as listJobs } from '../../src/jobs/queue.ts';
import { createWorker } from '../../src/jobs/runner.ts';
import { buildScenario, scenarioOptions } from '../../src/simulators/shared/scenario.ts';
import {
  amendmentDecisions,
  connections,
  exports,
  wholesaleOrders,
  type StoredOrder,
} from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { spawnEngineWorker } from '../support/engine-worker-process.ts';
import {
  cleanSmall,
  newRun,
  posSystems,
  startWorld,
  testHandlers,
  type Run,
  type World,
} from '../support/reliability.ts';
import { jobsProgress, waitUntil } from '../support/wait.ts';

const WORLD = { ...cleanSmall, seed: 'r2' };
const LOCK_MS = 2_000;

/** Pulls every NuORDER portal of the run's organization (the edit becomes an amendment). */
async function pull(run: Run): Promise<void> {
  const { ctx } = run.world;
  for (const source of await connections.list(ctx.store.db, run.tenantId, { system: 'nuorder' }))
    await ingestOrders(ctx, source, await ctx.connectors.wholesaleSource(source));
}

async function openAmendment(run: Run, orderId: string) {
  const open = (await amendmentDecisions.forOrder(run.world.store.db, run.tenantId, orderId)).filter(
    (a) => a.state === 'open',
  );
  assert.equal(open.length, 1, 'one open amendment');
  return open[0] as NonNullable<(typeof open)[0]>;
}

/** An in-process worker with the production handlers until the amendment's apply has finished. */
async function drainAmendment(world: World, tenantId: string, id: string) {
  const worker = createWorker({
    store: world.store,
    handlers: testHandlers(world.ctx, 60_000),
    concurrency: 4,
    backoff: { baseMs: 10, capMs: 50 },
  });
  return waitUntil(
    async () => {
      await worker.drain();
      const a = await amendmentDecisions.get(world.store.db, tenantId, id);
      if (a?.applyState === 'applied' || a?.applyState === 'failed') return { done: true, value: a };
      return { done: false, progress: { amendment: a, jobs: await jobsProgress(world.store.db, tenantId) } };
    },
    { what: `amendment ${id} applied (or failed)` },
  );
}

/** The PO's lines in the POS (item → quantity, and how many line records per item), read from the simulator. */
function poLines(run: Run, poId: string): { lines: Map<string, number>; records: Map<string, number>; status: string } {
  const state = run.pos.sim.exportState() as any;
  const lines = new Map<string, number>();
  const records = new Map<string, number>();
  const add = (id: string, n: number) => {
    lines.set(id, (lines.get(id) ?? 0) + n);
    records.set(id, (records.get(id) ?? 0) + 1);
  };
  if (run.system === 'lightspeed-x') {
    for (const l of state.consignmentLines as any[])
      if (l.consignment_id === poId && !l.deleted_at) add(String(l.product_id), Number(l.count));
    const c = (state.consignments as any[]).find((x) => x.id === poId);
    return { lines, records, status: c?.deleted_at ? 'DELETED' : String(c?.status) };
  }
  for (const l of state.tables.OrderLine as any[])
    if (String(l.orderID) === poId) add(String(l.itemID), Number(l.quantity));
  const o = (state.tables.Order as any[]).find((x) => String(x.orderID) === poId);
  return { lines, records, status: o?.archived ? 'archived' : o?.complete ? 'finished' : 'open' };
}

/** Live POS items carrying a barcode (any written form). */
function itemsWithCode(run: Run, code: string): string[] {
  const parsed = parseGtin(code);
  if (!parsed.ok) throw new Error(`bad code ${code}`);
  const gtin = parsed.gtin14;
  const same = (c: unknown) => {
    const p = parseGtin(typeof c === 'string' ? c : null);
    return p.ok && p.gtin14 === gtin;
  };
  const state = run.pos.sim.exportState() as any;
  if (run.system === 'lightspeed-x')
    return (state.products as any[])
      .filter((p) => !p.deleted_at && (p.product_codes ?? []).some((c: { code: string }) => same(c.code)))
      .map((p) => p.id);
  return (state.tables.Item as any[])
    .filter((i) => !i.archived && (same(i.upc) || same(i.ean)))
    .map((i) => String(i.itemID));
}

/** A style of the order's brand that is neither on the order nor in the POS: adding it creates one new product. */
function newStyleFor(world: World, run: Run, order: StoredOrder) {
  const scenario = buildScenario(scenarioOptions(world.scenario as 'small', world.options));
  const brand = scenario.brands.find((b) => b.name === order.document.brand.name);
  const onOrder = new Set(order.document.lines.map((l) => `${l.styleNumber}/${l.color}`));
  const style = scenario.styles.find(
    (s) =>
      s.brandId === brand?.id &&
      !onOrder.has(`${s.styleNumber}/${s.color}`) &&
      s.sizes.every((z) => z.upc !== null && parseGtin(z.upc).ok && itemsWithCode(run, z.upc).length === 0),
  );
  if (!style) throw new Error('the scenario has no new style for this brand');
  return { style, size: style.sizes[0] as { size: string; upc: string } };
}

async function exportedPoId(run: Run, orderId: string): Promise<string> {
  const row = (await exports.forOrders(run.world.store.db, run.tenantId, [orderId])).find(
    (e) => e.state === 'exported',
  );
  assert.ok(row?.poId, 'the order was exported');
  return row.poId;
}

/** Writes straight to the POS API (a person working in the POS). */
async function posApi(run: Run, method: string, path: string, body: unknown): Promise<void> {
  const minted =
    run.system === 'lightspeed-x'
      ? await run.pos.control('POST', '/_sim/tokens', { client_id: 'tradeloop-dev' })
      : await run.pos.control('POST', '/_sim/tokens', { clientId: 'tradeloop-sim-client' });
  const base = run.system === 'lightspeed-x' ? run.pos.url : `${run.pos.url}/API/V3/Account/${minted.account_id}`;
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${minted.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path} → ${response.status}: ${await response.text()}`);
}

/** Receives the PO in the POS: X-Series every unit received and RECEIVED; R-Series marked Finished. */
async function receiveInPos(run: Run, poId: string): Promise<void> {
  if (run.system === 'lightspeed-x') {
    for (const [item, count] of poLines(run, poId).lines)
      await posApi(run, 'PUT', `/api/2.0/consignments/${poId}/products/${item}`, { received: count });
    await posApi(run, 'PUT', `/api/2.0/consignments/${poId}`, { status: 'RECEIVED' });
  } else await posApi(run, 'PUT', `/Order/${poId}.json`, { complete: true });
}

forEachDialect('amendments applied to the POS purchase order', (getStore, dialect) => {
  for (const system of posSystems)
    test(
      `${system}: quantity, removed line and a new style applied exactly once under a kill, a 429 and a ghost write; refused once received; a cancellation cancels the PO`,
      { timeout: 150_000 },
      async (t) => {
        const store = getStore();
        const world = await startWorld(store, 'small', WORLD);
        try {
          const run = await newRun(world, system);
          await run.apply();
          await drainAmendmentFreeExport(world, run);
          const order = run.order;
          const poId = await exportedPoId(run, order.id);
          const before = poLines(run, poId);
          const { style, size } = newStyleFor(world, run, order);

          // The brand edits the order: line A +2, line B removed (another product), a line of a new style added.
          const [a, b] = pickTwoProducts(order);
          await world.nuorder.control('POST', `/_sim/orders/${order.orderNumber}/edit`, {
            lines: [
              { productId: a.productSourceId, size: a.size, quantity: a.quantity + 2 },
              { productId: b.productSourceId, size: b.size, quantity: 0 },
              { externalId: style.externalId, size: size.size, quantity: 3 },
            ],
          });
          await pull(run);
          const amendment = await openAmendment(run, order.id);

          const preview = await planAmendmentApply(world.ctx, run.tenantId, amendment.id);
          assert.deepEqual(preview.plan.changes.map((c) => c.kind).sort(), [
            'add_lines',
            'remove_line',
            'set_quantity',
          ]);
          assert.equal(preview.added?.newProducts.length, 1, 'the new style is one new product');
          assert.equal(preview.plan.refused.length, 0);
          assert.equal(preview.needsNoReview, true);
          const qtyChange = preview.plan.changes.find((c) => c.kind === 'set_quantity');
          const removal = preview.plan.changes.find((c) => c.kind === 'remove_line');
          assert.ok(qtyChange?.kind === 'set_quantity' && removal?.kind === 'remove_line');

          // A 429 on the first line change, a ghost write (committed, answered 500) on the removal.
          const linePut = system === 'lightspeed-x' ? '/api/2.0/consignments/*/products/*' : '*/OrderLine/*';
          await run.pos.control('POST', '/_sim/faults', {
            kind: 'rate_limit',
            method: 'PUT',
            path: linePut,
            times: 1,
            retryAfterSeconds: 1,
          });
          await run.pos.control('POST', '/_sim/faults', {
            kind: 'ghost_write',
            method: 'DELETE',
            path: linePut,
            times: 1,
          });

          // Accepted; the worker dies right after the POS created the new product (its reply never arrives).
          const reached = run.pos.holdAt(run.pos.writes.length + 1, 'after-commit');
          const accepted = await acceptAmendment(world.ctx, run.tenantId, amendment.id, {
            by: 'test',
            fingerprint: preview.fingerprint,
          });
          assert.ok(accepted.jobId);
          const doomed = spawnEngineWorker({
            store: store.options,
            vaultKey: world.vaultKey,
            workerId: 'doomed',
            lockMs: LOCK_MS,
          });
          try {
            const held = await reached;
            t.diagnostic(`${dialect} ${system}: killed after ${held.method} ${held.path}`);
          } finally {
            await doomed.kill();
          }
          run.pos.releaseHolds();
          const applied = await drainAmendment(world, run.tenantId, amendment.id);
          assert.equal(applied.applyState, 'applied', JSON.stringify(applied.applyResult));
          assert.deepEqual(
            (await run.pos.control('GET', '/_sim/faults')).faults,
            [],
            'the 429 and the ghost write hit',
          );

          // The PO is the amended order: A up by 2, B gone, the new style's size on it once with 3; one new item.
          const after = poLines(run, poId);
          const newItems = itemsWithCode(run, size.upc);
          assert.equal(newItems.length, 1, 'one new item for the new size');
          assert.equal(after.lines.get(qtyChange.posItemId), qtyChange.to);
          assert.equal(qtyChange.to, (before.lines.get(qtyChange.posItemId) ?? 0) + 2);
          assert.equal(after.lines.has(removal.posItemId), false, 'the removed line is gone');
          assert.equal(after.lines.get(newItems[0] as string), 3);
          assert.ok(
            [...after.records.values()].every((n) => n === 1),
            'no item twice on the PO',
          );
          assert.equal(after.lines.size, before.lines.size, 'one line removed, one added');

          // Received (X-Series) / Finished (R-Series) in the POS: the next edit is refused with the reason.
          await receiveInPos(run, poId);
          await world.nuorder.control('POST', `/_sim/orders/${order.orderNumber}/edit`, {
            lines: [{ productId: a.productSourceId, size: a.size, quantity: a.quantity + 5 }],
          });
          await pull(run);
          const late = await openAmendment(run, order.id);
          await assert.rejects(
            acceptAmendment(world.ctx, run.tenantId, late.id, { by: 'test' }),
            (error: any) =>
              error.code === 'AMENDMENT_REFUSED' &&
              (system === 'lightspeed-x' ? /was received/.test(error.message) : /is Finished/.test(error.message)),
          );
          assert.equal((await amendmentDecisions.get(store.db, run.tenantId, late.id))?.state, 'open', 'still open');

          // A second order, exported, then cancelled in NuORDER: accepting cancels (X) or archives (R) its PO.
          const second = await exportSecondOrder(world, run);
          await world.nuorder.control('POST', `/_sim/orders/${second.orderNumber}/status`, { action: 'cancel' });
          await pull(run);
          const cancellation = await openAmendment(run, second.id);
          const secondPo = await exportedPoId(run, second.id);
          const plan = await planAmendmentApply(world.ctx, run.tenantId, cancellation.id);
          assert.deepEqual(
            plan.plan.changes.map((c) => c.kind),
            ['cancel_po'],
          );
          await acceptAmendment(world.ctx, run.tenantId, cancellation.id, { by: 'test' });
          const cancelled = await drainAmendment(world, run.tenantId, cancellation.id);
          assert.equal(cancelled.applyState, 'applied', JSON.stringify(cancelled.applyResult));
          assert.equal(poLines(run, secondPo).status, system === 'lightspeed-x' ? 'CANCELLED' : 'archived');
        } finally {
          await world.close();
        }
      },
    );
});

forEachDialect('amendments applied by themselves (autoApplyAmendments)', (getStore) => {
  test(
    'X-Series: a change that needs no person is applied as `automatic`; one the PO refuses stays open',
    { timeout: 120_000 },
    async () => {
      const store = getStore();
      const world = await startWorld(store, 'small', WORLD);
      try {
        const run = await newRun(world, 'lightspeed-x');
        await run.apply();
        await drainAmendmentFreeExport(world, run);
        const { ctx } = world;
        const settings = { ...run.posConnection.settings, autoApplyAmendments: true };
        await connections.update(store.db, run.tenantId, run.posConnection.id, { settings }, ctx.now());
        const order = run.order;
        const poId = await exportedPoId(run, order.id);
        const [a] = pickTwoProducts(order);
        await world.nuorder.control('POST', `/_sim/orders/${order.orderNumber}/edit`, {
          lines: [{ productId: a.productSourceId, size: a.size, quantity: a.quantity + 1 }],
        });
        await pull(run);
        const first = await openAmendment(run, order.id);
        // Planning reads the PO: a 429 longer than a call waits in place defers the automatic job (no attempt used).
        await run.pos.control('POST', '/_sim/faults', {
          kind: 'rate_limit',
          method: 'GET',
          path: '/api/2.0/consignments/*',
          times: 1,
          retryAfterSeconds: 12,
        });
        assert.equal(await enqueueAutoApply(ctx, run.tenantId), 1);
        const applied = await drainAmendment(world, run.tenantId, first.id);
        assert.equal(applied.applyState, 'applied');
        assert.equal(applied.decidedBy, 'automatic');
        const [autoJob] = await listJobs(store.db, run.tenantId, { task: autoApplyAmendmentJob.name });
        assert.equal(autoJob?.state, 'succeeded', JSON.stringify(autoJob?.errors));
        assert.equal(autoJob?.attempts, 0, 'the 429 deferred the job instead of failing an attempt');

        await receiveInPos(run, poId);
        await world.nuorder.control('POST', `/_sim/orders/${order.orderNumber}/edit`, {
          lines: [{ productId: a.productSourceId, size: a.size, quantity: a.quantity + 2 }],
        });
        await pull(run);
        const refused = await openAmendment(run, order.id);
        assert.equal(await enqueueAutoApply(ctx, run.tenantId), 1);
        const worker = createWorker({ store, handlers: testHandlers(ctx, 60_000), concurrency: 2 });
        await worker.drain();
        const after = await amendmentDecisions.get(store.db, run.tenantId, refused.id);
        assert.equal(after?.state, 'open', 'a change the PO refuses waits for a person');
        assert.equal(after?.applyState, null);
      } finally {
        await world.close();
      }
    },
  );
});

/** Two order lines of different products (a quantity change on one, the other removed). */
function pickTwoProducts(order: StoredOrder) {
  const lines = order.document.lines.filter((l) => l.quantity > 0);
  const a = lines[0];
  const b = lines.find((l) => l.productSourceId !== a?.productSourceId);
  if (!a || !b) throw new Error('the order needs lines of two products');
  return [a, b] as const;
}

/** The run's export, drained by an in-process worker. */
async function drainAmendmentFreeExport(world: World, run: Run): Promise<void> {
  const worker = createWorker({ store: world.store, handlers: testHandlers(world.ctx, 60_000), concurrency: 4 });
  await waitUntil(
    async () => {
      await worker.drain();
      const row = await run.exportRow();
      if (row?.state === 'exported') return { done: true, value: undefined };
      if (row?.state === 'failed') throw new Error(`export failed: ${row.failureMessage}`);
      return { done: false, progress: { export: row?.state, jobs: await jobsProgress(world.store.db, run.tenantId) } };
    },
    { what: 'the export finished' },
  );
}

/** Plans and exports another approved order of the organization to the run's POS. */
async function exportSecondOrder(world: World, run: Run): Promise<StoredOrder> {
  const { orders } = await wholesaleOrders.list(world.store.db, run.tenantId);
  const other = orders.find((o) => o.id !== run.order.id && o.status === 'approved');
  if (!other) throw new Error('the scenario has one approved order only');
  const plan = await createPlan(world.ctx, run.tenantId, {
    connectionId: run.posConnection.id,
    locationId: run.plan.locationId,
    orderIds: [other.id],
  });
  assert.ok(plan.plan.canApply, JSON.stringify(plan.plan.blockers));
  await requestApply(world.ctx, run.tenantId, plan.id);
  const worker = createWorker({ store: world.store, handlers: testHandlers(world.ctx, 60_000), concurrency: 4 });
  return waitUntil(
    async () => {
      await worker.drain();
      const row = (await exports.forOrders(world.store.db, run.tenantId, [other.id]))[0];
      if (row?.state === 'exported')
        return {
          done: true,
          value: (await wholesaleOrders.get(world.store.db, run.tenantId, other.id)) as StoredOrder,
        };
      if (row?.state === 'failed') throw new Error(`export failed: ${row.failureMessage}`);
      return { done: false, progress: { export: row?.state, jobs: await jobsProgress(world.store.db, run.tenantId) } };
    },
    { what: 'the second export finished' },
  );
}
