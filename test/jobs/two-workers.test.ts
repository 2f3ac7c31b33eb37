import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { enqueue } from '../../src/jobs/queue.ts';
import { organizations } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import type { TestStore } from '../../src/store/testing.ts';
import { waitUntil } from '../support/wait.ts';
import { spawnWorkerProcess } from './worker-process.ts';

const JOBS = 200;

async function createRunLog(store: TestStore): Promise<void> {
  await sql`create table job_runs (job_id text primary key, worker_id text not null)`.execute(store.db);
}

async function countByState(store: TestStore): Promise<Map<string, number>> {
  const rows = await store.db
    .selectFrom('jobs')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  return new Map(rows.map((row) => [row.state, Number(row.n)]));
}

forEachDialect('two worker processes', (getStore) => {
  test(`drain ${JOBS} jobs together, running each exactly once`, async () => {
    const store = getStore();
    await createRunLog(store);
    const tenantId = (await organizations.create(store.db, { name: 'Acme' })).id;
    const workers = ['alpha', 'beta'].map((workerId) => spawnWorkerProcess({ store: store.options, workerId }));
    try {
      await Promise.all(workers.map((worker) => worker.waitForLine(/^ready$/)));
      await store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < JOBS; i++) await enqueue(trx, { tenantId, task: 'record', payload: { i } });
      });

      await waitUntil(
        async () => {
          const byState = await countByState(store);
          return byState.get('succeeded') === JOBS
            ? { done: true, value: undefined }
            : { done: false, progress: byState };
        },
        { what: `the two workers draining ${JOBS} jobs` },
      );
    } finally {
      const exitCodes = await Promise.all(workers.map((worker) => worker.terminate()));
      assert.deepEqual(exitCodes, [0, 0], 'both workers stopped cleanly');
    }

    const { rows: runs } = await sql<{ worker_id: string; n: number }>`
      select worker_id, count(*) as n from job_runs group by worker_id
    `.execute(store.db);
    const perWorker = Object.fromEntries(runs.map((row) => [row.worker_id, Number(row.n)]));
    assert.equal((perWorker['alpha'] ?? 0) + (perWorker['beta'] ?? 0), JOBS, 'one run per job');
    assert.ok(
      (perWorker['alpha'] ?? 0) > 0 && (perWorker['beta'] ?? 0) > 0,
      `both worked: ${JSON.stringify(perWorker)}`,
    );
    const retried = await store.db.selectFrom('jobs').select('id').where('attempts', '>', 0).execute();
    assert.deepEqual(retried, [], 'no job failed, so none ran twice');
  });
});
