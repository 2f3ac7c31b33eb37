/**
 * Issue 18 ("the daily full catalog pass skipped when a full pass finished within 24 h"): the scheduled full pass
 * reads only the change feed when a full pass (here the link's own) finished less than 20 hours ago, and is a
 * full pass again once the last one is older.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogSyncJob } from '../../src/flows/tasks.ts';
import { enqueue, get as getJob } from '../../src/jobs/queue.ts';
import { connections } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { startEngine } from '../support/engine.ts';

const HOUR = 3_600_000;

forEachDialect('the daily full catalog pass', (getStore) => {
  test('skipped for the change feed after a recent full pass; full again a day later', async () => {
    const e = await startEngine(getStore(), 'lightspeed-r', { brands: 1 });
    try {
      await e.drain(); // the link's first catalog pass: full
      const linked = await connections.get(e.ctx.store.db, e.tenantId, e.posConnection.id);
      const lastFull = linked?.settings['lastFullCatalogPassAt'];
      assert.equal(typeof lastFull, 'number', 'the link’s full pass is remembered');

      const daily = async (key: string) => {
        const { job } = await enqueue(
          e.ctx.store.db,
          catalogSyncJob,
          { connectionId: e.posConnection.id, full: true },
          { tenantId: e.tenantId, key, now: e.ctx.now() },
        );
        await e.drain();
        const done = await getJob(e.ctx.store.db, e.tenantId, job.id);
        assert.equal(done?.state, 'succeeded', JSON.stringify(done?.errors));
        return done?.result as { full: boolean; pages: number };
      };

      const soon = await daily('daily-test-1');
      assert.equal(soon.full, false, 'a full pass minutes ago: the feed is read instead');

      const settings = { ...linked!.settings, lastFullCatalogPassAt: e.ctx.now() - 21 * HOUR };
      await connections.update(e.ctx.store.db, e.tenantId, e.posConnection.id, { settings }, e.ctx.now());
      const later = await daily('daily-test-2');
      assert.equal(later.full, true, 'the last full pass is 21 hours old: a full pass');
      const after = await connections.get(e.ctx.store.db, e.tenantId, e.posConnection.id);
      assert.ok((after?.settings['lastFullCatalogPassAt'] as number) > e.ctx.now() - HOUR, 'and it is remembered');
    } finally {
      await e.close();
    }
  });
});
