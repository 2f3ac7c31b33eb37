/**
 * Issue 18 ("large plans paged by matrix"): `GET /api/plans/:id?matrixOffset=&matrixLimit=` answers a page of the
 * plan's styles/colors with only their lines, new products and warnings, and the whole plan's counts; the pages
 * together are the whole plan; a bad page is refused by name.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../../src/store/testing.ts';
import { startEngine } from '../support/engine.ts';

forEachDialect('a plan read by pages of styles/colors', (getStore) => {
  test('pages of two matrices carry their own lines and together make the whole plan', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      await e.drain();
      const call = (method: string, path: string, body?: unknown) =>
        e.app.call(method, path, { token: e.token, ...(body === undefined ? {} : { body }) });
      const connectionId = e.posConnection.id;
      const locations = (await call('GET', `/api/connections/${connectionId}/locations`)).body.locations as any[];
      const orders = (await call('GET', '/api/orders?limit=100')).body.orders as any[];
      const created = await call('POST', '/api/plans', {
        connectionId,
        locationId: locations[0].id,
        orderIds: orders.map((o) => o.id),
      });
      assert.ok(created.status === 200 || created.status === 201, `plan: ${created.status}`);
      const whole = (await call('GET', `/api/plans/${created.body.id}`)).body;
      const total = whole.matrices.length as number;
      assert.ok(total >= 3, `the demo orders have ${total} styles/colors`);
      assert.deepEqual(whole.matrixPage, { offset: 0, limit: total, total });

      const seenMatrices: string[] = [];
      const seenLines: string[] = [];
      for (let offset = 0; offset < total; offset += 2) {
        const page = await call('GET', `/api/plans/${created.body.id}?matrixOffset=${offset}&matrixLimit=2`);
        assert.equal(page.status, 200, `page at ${offset}: ${page.status}`);
        const keys = new Set((page.body.matrices as any[]).map((m) => m.matrixKey as string));
        assert.equal(keys.size, Math.min(2, total - offset));
        assert.deepEqual(page.body.matrixPage, { offset, limit: keys.size, total });
        assert.ok(
          (page.body.lines as any[]).every((l) => keys.has(l.matrixKey)),
          'only the page’s lines',
        );
        assert.ok(
          (page.body.newProducts as any[]).every((p) => keys.has(p.matrixKey)),
          'only its new products',
        );
        assert.deepEqual(page.body.counts, whole.counts, 'the counts are the whole plan’s');
        seenMatrices.push(...keys);
        seenLines.push(...(page.body.lines as any[]).map((l) => `${l.orderSourceId}/${l.lineKey}`));
      }
      assert.deepEqual(
        seenMatrices,
        (whole.matrices as any[]).map((m) => m.matrixKey),
      );
      assert.deepEqual(
        seenLines.sort(),
        (whole.lines as any[]).map((l) => `${l.orderSourceId}/${l.lineKey}`).sort(),
        'the pages together hold every line once',
      );

      const bad = await call('GET', `/api/plans/${created.body.id}?matrixLimit=0`);
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /matrixLimit/);
    } finally {
      await e.close();
    }
  });
});
