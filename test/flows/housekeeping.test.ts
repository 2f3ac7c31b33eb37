import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claimJobs, complete, enqueue, fail, get } from '../../src/jobs/queue.ts';
import { FAILED_JOB_RETENTION_MS, runHousekeeping, SUCCEEDED_JOB_RETENTION_MS } from '../../src/flows/housekeeping.ts';
import { organizations, sessions, users } from '../../src/store/repos/index.ts';
import * as oauthStates from '../../src/store/repos/oauth-states.ts';
import { forEachDialect, type TestStore } from '../../src/store/testing.ts';

const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 1);

/** A job of `task` run to its end at `at`: succeeded, or failed for good. */
async function finishedJob(
  store: TestStore,
  tenantId: string,
  task: string,
  outcome: 'succeeded' | 'failed',
  at: number,
) {
  const { job } = await enqueue(store.db, { tenantId, task, key: `${task}:${at}`, maxAttempts: 1, now: at });
  const [claimed] = await claimJobs(store, { task, workerId: 'w', limit: 1, lockMs: 60_000, now: at });
  assert.ok(claimed);
  if (outcome === 'succeeded') await complete(store.db, claimed, { ok: true }, at);
  else await fail(store.db, claimed, new Error('gave up'), { now: at });
  assert.equal((await get(store.db, tenantId, job.id))?.state, outcome);
  return job.id;
}

forEachDialect('housekeeping', (getStore) => {
  test('expired sessions and linking attempts go; finished jobs go after their retention; queued and recent jobs stay', async () => {
    const store = getStore();
    const tenantId = (await organizations.create(store.db, { name: 'Acme' })).id;
    const user = await users.create(store.db, tenantId, { email: 'a@acme.test', name: 'A', passwordHash: 'h' });
    const now = start + 200 * DAY;
    await sessions.create(store.db, tenantId, {
      tokenHash: 'old',
      userId: user.id,
      csrfToken: 'c',
      expiresAt: now - 1,
    });
    await sessions.create(store.db, tenantId, {
      tokenHash: 'live',
      userId: user.id,
      csrfToken: 'c',
      expiresAt: now + DAY,
    });

    const oldSuccess = await finishedJob(store, tenantId, 'a', 'succeeded', now - SUCCEEDED_JOB_RETENTION_MS - DAY);
    const recentSuccess = await finishedJob(store, tenantId, 'b', 'succeeded', now - SUCCEEDED_JOB_RETENTION_MS + DAY);
    // A failure as old as the old success stays: failures are kept longer, for the operator.
    const keptFailure = await finishedJob(store, tenantId, 'c', 'failed', now - SUCCEEDED_JOB_RETENTION_MS - DAY);
    const oldFailure = await finishedJob(store, tenantId, 'd', 'failed', now - FAILED_JOB_RETENTION_MS - DAY);
    const { job: queued } = await enqueue(store.db, { tenantId, task: 'e', now: start });
    // A linking attempt nobody finished keeps a sealed consumer secret: gone once it expires.
    for (const [id, expiresAt] of [
      ['abandoned', now - 1],
      ['in-progress', now + 60_000],
    ] as const)
      await oauthStates.create(store.db, tenantId, {
        id,
        system: 'nuorder',
        sealedData: 'sealed',
        boundTo: 'session:s',
        expiresAt,
        now: now - 60_000,
      });

    const report = await runHousekeeping(store.db, now);
    assert.deepEqual(report, { expiredSessions: 1, jobsRemoved: 2, expiredLinkAttempts: 1 });
    assert.equal(await oauthStates.get(store.db, 'abandoned'), undefined);
    assert.ok(await oauthStates.get(store.db, 'in-progress'));
    assert.equal(await sessions.findValid(store.db, 'old', now - 10), undefined);
    assert.ok(await sessions.findValid(store.db, 'live', now));
    assert.equal(await get(store.db, tenantId, oldSuccess), undefined);
    assert.equal(await get(store.db, tenantId, oldFailure), undefined);
    for (const kept of [recentSuccess, keptFailure, queued.id]) assert.ok(await get(store.db, tenantId, kept), kept);
    // Nothing left to do: a second run removes nothing.
    assert.deepEqual(await runHousekeeping(store.db, now), {
      expiredSessions: 0,
      jobsRemoved: 0,
      expiredLinkAttempts: 0,
    });
  });
});
