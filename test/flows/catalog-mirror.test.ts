import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syncCatalogMirror } from '../../src/flows/catalog-mirror.ts';
import { catalogMirror, connections, type Connection } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { startEngine } from '../support/engine.ts';

for (const system of ['lightspeed-x', 'lightspeed-r'] as const) {
  forEachDialect(`catalog mirror on ${system}`, (getStore) => {
    test('concurrent syncs share passes: one running, one after it for every later request', async () => {
      const e = await startEngine(getStore(), system, { brands: 1 });
      try {
        await e.drain();
        const connection = (await connections.get(e.ctx.store.db, e.tenantId, e.posConnection.id)) as Connection;
        const pos = await e.ctx.connectors.pointOfSale(connection);
        await syncCatalogMirror(e.ctx, connection, pos);
        const feed = system === 'lightspeed-x' ? '/api/2.0/products' : /\/Item\.json$/;
        const feedReads = async (): Promise<number> =>
          ((await e.pos.control('GET', '/_sim/requests?limit=1000')).recent as any[]).filter(
            (r) => r.method === 'GET' && (typeof feed === 'string' ? r.path === feed : feed.test(r.path)),
          ).length;
        await e.pos.control('DELETE', '/_sim/requests');

        // Twenty at once: the first reads; the other nineteen may have come after that read began, so
        // they share one more pass, which starts after all of them.
        const reports = await Promise.all(Array.from({ length: 20 }, () => syncCatalogMirror(e.ctx, connection, pos)));
        const inMirror = await catalogMirror.count(e.ctx.store.db, connection.id);
        assert.ok(inMirror > 0);
        assert.ok(reports.every((r) => r?.full === false && r.itemsInMirror === inMirror));
        assert.equal(await feedReads(), 2, 'two feed reads for twenty requests');

        // Requests after they settled read again, every one (nothing is kept beyond the requests it served).
        await e.pos.control('DELETE', '/_sim/requests');
        for (let i = 0; i < 3; i++) await syncCatalogMirror(e.ctx, connection, pos);
        assert.equal(await feedReads(), 3);
        // And again a burst while one runs: two reads.
        await e.pos.control('DELETE', '/_sim/requests');
        const first = syncCatalogMirror(e.ctx, connection, pos);
        await Promise.all([first, ...Array.from({ length: 5 }, () => syncCatalogMirror(e.ctx, connection, pos))]);
        await syncCatalogMirror(e.ctx, connection, pos);
        assert.equal(await feedReads(), 3, 'the burst made two reads, the one after it a third');
      } finally {
        await e.close();
      }
    });
  });
}
