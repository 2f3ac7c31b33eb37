import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWorker } from '../../src/jobs/runner.ts';
import { enqueue, get } from '../../src/jobs/queue.ts';
import { organizations } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { waitUntil } from '../support/wait.ts';
import { spawnWorkerProcess } from './worker-process.ts';

const LOCK_MS = 1_000;

forEachDialect('a worker killed mid-job', (getStore) => {
  test('its job is taken over once the lock expires, and completed by another worker', async () => {
    const store = getStore();
    const tenantId = (await organizations.create(store.db, { name: 'Acme' })).id;
    const { job } = await enqueue(store.db, { tenantId, task: 'block', payload: { order: 'W-1' } });

    const doomed = spawnWorkerProcess({ store: store.options, workerId: 'doomed', lockMs: LOCK_MS });
    try {
      assert.equal(await doomed.waitForLine(/^claimed /), `claimed ${job.id}`);
    } finally {
      await doomed.kill();
    }
    const orphaned = await get(store.db, tenantId, job.id);
    assert.equal(orphaned?.state, 'running');
    assert.equal(orphaned?.lockedBy, 'doomed');

    let completedBy: string | undefined;
    const rescuer = createWorker({
      store,
      workerId: 'rescuer',
      backoff: { baseMs: 1, capMs: 1 },
      handlers: {
        block: {
          run: (_job, ctx) => {
            completedBy = ctx.workerId;
            return 'rescued';
          },
        },
      },
    });
    assert.equal(await rescuer.drain(), 0, 'the lock is still live: nobody may take the job yet');

    await waitUntil(
      async () => {
        await rescuer.drain();
        const now = await get(store.db, tenantId, job.id);
        return now?.state === 'succeeded'
          ? { done: true, value: undefined }
          : { done: false, progress: [now?.state, now?.attempts, now?.lockedBy] };
      },
      { what: 'the rescuer taking the job over', intervalMs: 20 },
    );

    const done = await get(store.db, tenantId, job.id);
    assert.equal(done?.state, 'succeeded');
    assert.equal(done?.result, 'rescued');
    assert.equal(completedBy, 'rescuer');
    assert.equal(done?.attempts, 1, 'the lost run counts as one failed attempt');
    assert.match(done?.errors[0]?.message ?? '', /lock expired: worker doomed/);
  });
});
