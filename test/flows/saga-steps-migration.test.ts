/**
 * Issue 13, acceptance 3: one steps table. A database on the previous schema (the export's `export_steps`, the
 * sales sync's `sales_sync_steps`) with an export and a sales sync in flight is migrated (0009), and both resume
 * from their recorded steps: the export reconciles the write whose reply was lost and finishes with nothing
 * duplicated; the sales sync's steps read the same through its repository (done keeps its result, a running step
 * says its outcome is unknown).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWorker } from '../../src/jobs/runner.ts';
import { migrateToLatest } from '../../src/store/migrations/index.ts';
import { exports, salesSyncs } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import {
  checkExactlyOnce,
  drainRuns,
  newRun,
  posSystems,
  startWorld,
  testHandlers,
  type PosSystem,
} from '../support/reliability.ts';
import { backToBefore0009 } from '../support/previous-schema.ts';

/** The route of a PO's first line write, as the simulators' fault rules name it. */
const firstLineWrite: Record<PosSystem, { method: string; path: string }> = {
  'lightspeed-x': { method: 'POST', path: '/api/2.0/consignments/:id/bulk' },
  'lightspeed-r': { method: 'POST', path: '/API/V3/Account/:accountID/OrderLine.json' },
};

forEachDialect('saga steps: one table, migrated with sagas in flight', (getStore) => {
  test(
    'an export stopped by a lost reply (each POS) and a sales sync mid-way resume after the migration',
    { timeout: 120_000 },
    async (t) => {
      const store = getStore();
      const world = await startWorld(store);
      try {
        // 1. Exports in flight: each stops at its first line write, which commits in the POS but whose reply
        //    is a 500 (state unknown). The job waits for the POS (deferred far ahead: nothing runs it yet).
        const runs = [];
        for (const system of posSystems) {
          const run = await newRun(world, system);
          await run.pos.control('POST', '/_sim/faults', { kind: 'ghost_write', ...firstLineWrite[system], times: 1 });
          await run.apply();
          runs.push(run);
        }
        const firstPass = createWorker({
          store,
          handlers: testHandlers(world.ctx, 60_000),
          backoff: { baseMs: 600_000, capMs: 600_000 },
        });
        await firstPass.drain();
        for (const run of runs) {
          const steps = await exports.steps(store.db, run.tenantId, run.plan.id);
          const lines = steps.find((s) => s.stepKey.startsWith('lines:'));
          assert.equal(lines?.state, 'failed', `${run.system}: the line step's outcome is unknown`);
          assert.equal((await run.exportRow())?.state, 'in_progress', `${run.system}: still in progress`);
          assert.ok((await run.exportRow())?.waiting, `${run.system}: waiting for the POS`);
        }

        // 2. A sales sync in flight (its row as the sales sync writes it): one step done, one started.
        const tenantId = runs[0]!.tenantId;
        const ns = runs[0]!.posConnection.id;
        const { sync } = await salesSyncs.claim(store.db, tenantId, {
          direction: 'ns_to_x',
          sourceKey: 'ns:SO-1001',
          nsConnectionId: ns,
          xConnectionId: ns,
          state: 'sending',
          now: 1_000,
        });
        await salesSyncs.startStep(store.db, tenantId, sync.id, 'create-sale', 2_000);
        await salesSyncs.finishStep(store.db, tenantId, sync.id, 'create-sale', { saleId: 'x-1' }, 3_000);
        await salesSyncs.startStep(store.db, tenantId, sync.id, 'link-netsuite', 4_000);

        // 3. Back to the previous schema, then migrated again: the rows move, with their history.
        const before = await store.db
          .selectFrom('saga_steps')
          .selectAll()
          .orderBy('saga_id')
          .orderBy('step_key')
          .execute();
        await backToBefore0009(store);
        assert.deepEqual(await migrateToLatest(store), ['0009_saga_steps']);
        const after = await store.db
          .selectFrom('saga_steps')
          .selectAll()
          .orderBy('saga_id')
          .orderBy('step_key')
          .execute();
        const comparable = (rows: typeof before) =>
          rows.map((r) => ({
            ...r,
            attempts: r.saga === 'export' ? 1 : Number(r.attempts),
            position: Number(r.position),
          }));
        assert.deepEqual(
          comparable(after).map((r) => ({ ...r, position: r.saga === 'sales' ? 0 : r.position })),
          comparable(before).map((r) => ({ ...r, position: r.saga === 'sales' ? 0 : r.position })),
        );

        // 4. The sales sync reads the same: the done step keeps its result, the started one is still running.
        assert.deepEqual((await salesSyncs.getStep(store.db, tenantId, sync.id, 'create-sale'))?.result, {
          saleId: 'x-1',
        });
        const resumed = await salesSyncs.startStep(store.db, tenantId, sync.id, 'link-netsuite', 5_000);
        assert.equal(resumed?.state, 'running', 'an earlier attempt stopped midway: its outcome is unknown');
        assert.equal((await salesSyncs.getStep(store.db, tenantId, sync.id, 'link-netsuite'))?.attempts, 2);
        assert.deepEqual(
          (await salesSyncs.listSteps(store.db, tenantId, sync.id)).map((s) => s.stepKey),
          ['create-sale', 'link-netsuite'],
        );

        // 5. The exports resume: the POS answers again, the line step reconciles, nothing is duplicated.
        await store.db.updateTable('jobs').set({ run_at: Date.now() }).where('state', '=', 'queued').execute();
        await drainRuns(world, runs);
        for (const run of runs) {
          const row = await run.exportRow();
          assert.equal(row?.state, 'exported', `${run.system}: ${row?.failureMessage ?? ''}`);
          assert.deepEqual((await checkExactlyOnce(run)).problems, [], run.system);
          const steps = await exports.steps(store.db, run.tenantId, run.plan.id);
          assert.deepEqual(
            steps.filter((s) => s.state !== 'done').map((s) => s.stepKey),
            [],
            `${run.system}: every step done`,
          );
          t.diagnostic(`${run.system}: ${steps.length} steps, all done after the migration; no duplicate`);
        }
      } finally {
        await world.close();
      }
    },
  );
});
