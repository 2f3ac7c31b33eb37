import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLightspeedRSimulator } from './index.ts';

test('seeding large (~206,000 items) is fast and lookups stay indexed', async () => {
  const sim = createLightspeedRSimulator({ bucketSize: 1e9, dripRatePerSecond: 1e6 });
  const started = Date.now();
  const { summary } = sim.seedScenario('large', {});
  const seedMs = Date.now() - started;
  assert.ok((summary.items ?? 0) > 200_000);
  assert.ok(seedMs < 30_000, `seeding took ${seedMs} ms`);
  assert.ok(process.memoryUsage().rss < 1024 ** 3, 'under 1 GiB');
  const token = (await (await sim.app.request('/_sim/tokens', { method: 'POST' })).json()) as { access_token: string };
  const headers = { authorization: `Bearer ${token.access_token}` };
  const item = sim.core.store.tables.Item.get(180_000);
  assert.ok(item?.upc || item?.ean);
  const lookupStarted = Date.now();
  for (let i = 0; i < 50; i++) {
    const res = await sim.app.request(
      `/API/V3/Account/83050/Item.json?${item.upc ? `upc=${item.upc}` : `ean=${item.ean}`}`,
      { headers },
    );
    assert.equal(res.status, 200);
  }
  assert.ok(Date.now() - lookupStarted < 2000, 'indexed UPC lookups');
  let next = '/API/V3/Account/83050/Item.json?itemID=%3E%2C199000';
  let pages = 0;
  while (next && pages < 200) {
    const res = await sim.app.request(next, { headers });
    const body = (await res.json()) as { '@attributes': { next: string } };
    next = body['@attributes'].next.replace(/^https?:\/\/[^/]+/, '');
    pages++;
  }
  assert.ok(pages >= 69);
});
