/**
 * Exactly once across a crash: a real worker process is killed between the fulfilment and the bill, and another
 * worker takes the job over when its lock expires. It never fulfils again, and bills exactly once, whether the
 * dead worker's bill never reached NetSuite (hang) or reached it and committed after the worker died (latency).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { defaultRuleSet } from '../../src/core/sales/rules.ts';
import { activateVersion, saveDraft } from '../../src/flows/sales/config.ts';
import { salesJobHandlers } from '../../src/flows/sales/jobs.ts';
import { syncFromNetsuite, syncFromXSeries } from '../../src/flows/sales/sync.ts';
import { SALES_COMPLETE } from '../../src/flows/sales/tasks.ts';
import { createWorker } from '../../src/jobs/runner.ts';
import * as queue from '../../src/jobs/queue.ts';
import { salesSyncs } from '../../src/store/repos/index.ts';
import { forEachDialect, type TestStore } from '../../src/store/testing.ts';
import { waitUntil, type Probe } from '../support/wait.ts';
import { startSalesHarness, type SalesHarness } from './harness.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/sales-worker.ts', import.meta.url));
const LOCK_MS = 1_500;

async function withDoomedWorker(
  store: TestStore,
  vaultKey: string,
  workerId: string,
  netsuiteUrl: string,
  reached: () => Promise<Probe<void>>,
): Promise<void> {
  const child = spawn(process.execPath, [FIXTURE], {
    env: {
      ...process.env,
      NETSUITE_BASE_URL: netsuiteUrl,
      STORE_OPTIONS: JSON.stringify(store.options),
      SECRET_KEY: vaultKey,
      WORKER_ID: workerId,
      LOCK_MS: String(LOCK_MS),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  try {
    await waitUntil(
      async () => {
        assert.equal(child.exitCode, null, `worker ${workerId} exited early`);
        return reached();
      },
      { what: `worker ${workerId} getting to its kill point`, intervalMs: 25 },
    );
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

forEachDialect('sales sync: a worker killed between fulfilment and bill', (getStore) => {
  test('the next worker resumes: one fulfilment and one bill, for a bill that never reached NetSuite and one that committed but whose reply was lost', async () => {
    const store = getStore();
    const vaultKey = randomBytes(32).toString('base64');
    const h: SalesHarness = await startSalesHarness(store, { vaultKey });
    try {
      const rules = defaultRuleSet();
      rules.rules = [
        {
          id: 'park',
          name: 'Park open orders',
          enabled: true,
          when: [{ field: 'status', op: 'is', value: 'PENDING_FULFILLMENT' }],
          send: true,
          status: 'SAVED',
        },
      ];
      await activateVersion(h.t.ctx, h.tenantId, (await saveDraft(h.t.ctx, h.tenantId, rules)).version);

      const scenarios = [
        { name: 'the bill never reached NetSuite', committed: false, form: 'invoice', bill: 'invoice' },
        {
          name: 'the bill committed, its reply was lost, the worker died looking it up',
          committed: true,
          form: 'cashSale',
          bill: 'cashSale',
        },
      ] as const;
      for (const [i, scenario] of scenarios.entries()) {
        const order = await h.ns.raise({
          items: [{ item: 'TL-GPS-RIDGE' }, { item: 'NOR-1000-IND-28' }],
          status: 'B',
          fulfilment: 'ship',
          customForm: scenario.form,
        });
        await syncFromNetsuite(await h.env());
        const row = (await salesSyncs.list(store.db, h.tenantId)).find((r) => r.nsId === order.id);
        assert.ok(row?.xSaleId, `${scenario.name}: sent`);
        await h.x.finish(row.xSaleId, 'complete');
        await syncFromXSeries(await h.env()); // queues the fulfil-and-bill job; nothing in this process runs it

        const billPath = `/services/rest/record/v1/salesOrder/${order.id}/!transform/${scenario.bill}`;
        const lookupPath = `/services/rest/record/v1/${scenario.bill}/eid:TL-BILL-${order.id}`;
        if (scenario.committed) {
          // The look-up before the bill passes; the bill commits and its reply is lost; the look-up after it hangs.
          await h.ns.fault({ kind: 'latency', method: 'GET', path: lookupPath, latencyMs: 0, times: 1 });
          await h.ns.fault({ kind: 'ghost_drop', method: 'POST', path: billPath, times: 1 });
          await h.ns.fault({ kind: 'hang', method: 'GET', path: lookupPath });
        } else {
          await h.ns.fault({ kind: 'hang', method: 'POST', path: billPath });
        }
        await withDoomedWorker(store, vaultKey, `doomed-${i}`, h.ns.url, async () => {
          const rules = (await h.ns.control('/_sim/faults')).faults as Array<{ kind: string; hits: number }>;
          if (rules.some((r) => r.kind === 'hang' && r.hits >= 1)) return { done: true, value: undefined };
          const steps = await salesSyncs.listSteps(store.db, h.tenantId, row.id);
          return {
            done: false,
            progress: {
              faultHits: rules.map((r) => [r.kind, r.hits]),
              steps: steps.map((s) => [s.stepKey, s.state, s.attempts]),
            },
          };
        });
        // Killed: the fulfilment is recorded, the bill step was under way.
        const steps = await salesSyncs.listSteps(store.db, h.tenantId, row.id);
        assert.deepEqual(
          steps.map((s) => [s.stepKey, s.state]).filter(([k]) => k === 'fulfil' || k === 'bill'),
          [
            ['fulfil', 'done'],
            ['bill', 'running'],
          ],
          scenario.name,
        );
        assert.equal(h.ns.children(order.id, 'itemFulfillment').length, 1);
        const job = (await queue.list(store.db, h.tenantId, { task: SALES_COMPLETE })).find(
          (j) => (j.payload as { syncId: string }).syncId === row.id,
        );
        assert.notEqual(job?.state, 'succeeded', 'the dead worker did not finish it');
        await h.ns.clearFaults();
        assert.equal(
          h.ns.children(order.id, scenario.bill).length,
          scenario.committed ? 1 : 0,
          'what NetSuite holds before the rescue',
        );

        const rescuer = createWorker({
          store,
          workerId: `rescuer-${i}`,
          backoff: { baseMs: 1, capMs: 1 },
          handlers: salesJobHandlers(h.t.ctx, { completeLockMs: LOCK_MS }),
        });
        await waitUntil(
          async () => {
            if ((await salesSyncs.get(store.db, h.tenantId, row.id))?.state === 'completed')
              return { done: true, value: undefined };
            await rescuer.drain();
            const now = await queue.get(store.db, h.tenantId, job?.id ?? '');
            const steps = await salesSyncs.listSteps(store.db, h.tenantId, row.id);
            return {
              done: false,
              progress: {
                job: [now?.state, now?.attempts, now?.lockedBy],
                steps: steps.map((s) => [s.stepKey, s.state, s.attempts]),
              },
            };
          },
          { what: `${scenario.name}: the rescuer taking the job over and completing the sync`, intervalMs: 50 },
        );
        await rescuer.stop({ graceMs: 100 });

        assert.equal(h.ns.children(order.id, 'itemFulfillment').length, 1, `${scenario.name}: fulfilled once`);
        assert.equal(h.ns.children(order.id, scenario.bill).length, 1, `${scenario.name}: billed once`);
        const done = await queue.get(store.db, h.tenantId, job?.id ?? '');
        assert.equal(done?.state, 'succeeded');
        assert.match(done?.errors[0]?.message ?? '', new RegExp(`lock expired: worker doomed-${i}`));
        const billStep = (await salesSyncs.listSteps(store.db, h.tenantId, row.id)).find((s) => s.stepKey === 'bill');
        assert.ok((billStep?.attempts ?? 0) >= 2, 'the bill step was resumed, not started over');
        assert.equal(
          h.ns
            .state()
            .transactions[order.id].lines.every(
              (l: { quantityBilled: number; quantity: number }) => l.quantityBilled === l.quantity,
            ),
          true,
        );
      }
    } finally {
      await h.close();
    }
  });
});
