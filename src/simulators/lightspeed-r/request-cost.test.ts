/**
 * The R-Series leaky bucket under the default (current, reference §6) regime — bucket 90, 1 drip/s, base cost 1 —
 * which lightspeed-r.test.ts only drives in the legacy model: the per-request cost in `X-LS-API-Request-Cost` for
 * each cost rule, the headers on every response, the 429 with `Retry-After` seconds, and one bucket per
 * (account × OAuth client).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SimClock } from '../shared/clock.ts';
import { serveApp, type RunningServer } from '../shared/server.ts';
import { createLightspeedRSimulator } from './index.ts';

const acct = '83050';
let server: RunningServer;
let token: string;
let otherToken: string;

before(async () => {
  const clock = new SimClock();
  clock.set(Date.UTC(2026, 10, 1, 12), true); // frozen: nothing drains unless the test moves the clock
  const sim = createLightspeedRSimulator({ clock });
  sim.seedScenario('small', {});
  server = await serveApp(sim.app, 0);
  const post = async (path: string, body: unknown, method = 'POST'): Promise<any> =>
    (
      await fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json();
  await post(
    '/_sim/config',
    {
      clients: [
        { clientId: 'tradeloop-sim-client', clientSecret: 'tradeloop-sim-secret' },
        { clientId: 'other-app', clientSecret: 'other-secret' },
      ],
      // The clock is frozen, so the burst limiter's one-second window would never end; its own test is below.
      burstLimiter: false,
    },
    'PUT',
  );
  token = (await post('/_sim/tokens', {})).access_token;
  otherToken = (await post('/_sim/tokens', { clientId: 'other-app' })).access_token;
});
after(async () => {
  await server.close();
});

async function call(
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${server.url}/API/V3/Account/${acct}/${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token ?? token}`, 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const cost = (r: { headers: Headers }): number => Number(r.headers.get('x-ls-api-request-cost'));
const level = (r: { headers: Headers }): number => Number(r.headers.get('x-ls-api-bucket-level')?.split('/')[0]);

test('each request reports its cost, and the level adds the costs up', async () => {
  const first = await call('Item.json?limit=1');
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('x-ls-acct-id'), acct);
  assert.equal(first.headers.get('x-ls-oauth-client-id'), '51661', 'numeric, as recorded and documented');
  assert.equal(first.headers.get('x-ls-api-bucket-level'), '1/90', 'default bucket: 90');
  assert.equal(first.headers.get('x-ls-api-drip-rate'), '1');
  assert.equal(cost(first), 1, 'base cost 1 for a GET');

  const items = [first.body.Item].flat();
  const itemID = items[0].itemID as string;
  const cases: Array<[string, Parameters<typeof call>[1], number]> = [
    // load_relations: to-many +0.2 on one record, doubled on a list; count=1 costs 10.
    [`Item/${itemID}.json?load_relations=${encodeURIComponent('["ItemShops"]')}`, {}, 1.2],
    [`Item.json?limit=5&load_relations=${encodeURIComponent('["ItemShops"]')}`, {}, 1.4],
    ['Item.json?count=1', {}, 10],
    // POST/PUT: +0.5 per nested entity; a write without any costs 1 like a read; Category writes cost 10.
    ['Vendor.json', { method: 'POST', body: { name: 'Cost Vendor' } }, 1],
    [
      'Item.json',
      {
        method: 'POST',
        body: {
          description: 'Cost Item',
          Prices: {
            ItemPrice: [
              { amount: '10', useTypeID: '1' },
              { amount: '12', useTypeID: '2' },
            ],
          },
        },
      },
      2,
    ],
    ['Category.json', { method: 'POST', body: { name: 'Cost Category' } }, 10],
    // or= across two fields of one entity: +1 per operand.
    [`Item.json?or=${encodeURIComponent(`upc=${items[0].upc || '000000000000'}|customSku=none`)}`, {}, 3],
  ];
  let expected = level(first);
  for (const [path, init, want] of cases) {
    const res = await call(path, init);
    assert.ok(res.status === 200, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
    assert.equal(cost(res), want, `cost of ${init?.method ?? 'GET'} ${path}`);
    expected += want;
    assert.ok(Math.abs(level(res) - expected) < 0.01, `level ${level(res)} after ${path}, expected ${expected}`);
  }
});

test('past the size: 429 with Retry-After seconds and the leaky-bucket type, nothing written; another client is unaffected', async () => {
  // Fill the bucket: the request that crosses 90 is allowed, the next is refused.
  let last = await call('Item.json?count=1');
  while (last.status === 200 && level(last) < 90) last = await call('Item.json?count=1');
  assert.equal(last.status, 200, 'the request that pushes the level past the size is allowed');
  const refused = await call('Vendor.json', { method: 'POST', body: { name: 'Refused Vendor' } });
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get('x-ls-api-ratelimit-type'), 'api-leaky-bucket');
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After ${refused.headers.get('retry-after')}`);
  assert.equal(
    retryAfter,
    Math.ceil(level(refused) - 90 + 0.001),
    'whole seconds until the level is below 90 at 1 drip/s',
  );
  assert.equal(refused.body.httpCode, '429');

  const other = await call(`Vendor.json?name=${encodeURIComponent('Refused Vendor')}`, { token: otherToken });
  assert.equal(other.status, 200, 'one bucket per (account × client)');
  assert.equal(other.headers.get('x-ls-oauth-client-id'), '51662');
  assert.equal(other.body.Vendor, undefined, 'the refused write did not happen');
  assert.equal(level(other), 1);

  await fetch(`${server.url}/_sim/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: retryAfter }) });
  const again = await call('Shop.json');
  assert.equal(again.status, 200, 'accepted once the level drained below the size');
});

test('the burst limiter: N requests per one-second window of the simulator clock, per client; refused ones cost nothing', async () => {
  const config = (body: unknown) =>
    fetch(`${server.url}/_sim/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await config({ burstLimiter: true, burstLimit: 3, bucketSize: 90, resetBuckets: true });
  const levels: string[] = [];
  for (let i = 0; i < 3; i++) levels.push((await call('Shop.json')).headers.get('x-ls-api-burst-level') ?? '');
  assert.deepEqual(levels, ['1/3', '2/3', '3/3']);
  const refused = await call('Vendor.json', { method: 'POST', body: { name: 'Burst Vendor' } });
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get('x-ls-api-ratelimit-type'), 'api-burst-limiter');
  assert.equal(refused.headers.get('retry-after'), '1');
  assert.equal(refused.headers.get('x-ls-api-burst-level'), '3/3');
  assert.equal(level(refused), 3, 'the refused request did not reach the bucket');
  assert.equal(refused.body.errorClass, 'RateLimitedException');
  const other = await call('Shop.json', { token: otherToken });
  assert.equal(other.headers.get('x-ls-api-burst-level'), '1/3', 'one window per (account × client)');
  await fetch(`${server.url}/_sim/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 1000 }) });
  const next = await call(`Vendor.json?name=${encodeURIComponent('Burst Vendor')}`);
  assert.equal(next.status, 200, 'a new window');
  assert.equal(next.body.Vendor, undefined, 'the refused write did not happen');
  assert.equal(next.headers.get('x-ls-api-burst-level'), '1/3');
  // Default: 2/9 of the bucket (the documented `1/20` with the 90-drip bucket).
  await config({ burstLimit: null, bucketSize: 45, resetBuckets: true });
  assert.equal((await call('Shop.json')).headers.get('x-ls-api-burst-level'), '1/10');
  await config({ burstLimiter: false, bucketSize: 90, resetBuckets: true });
  assert.equal((await call('Shop.json')).headers.get('x-ls-api-burst-level'), null);
});
