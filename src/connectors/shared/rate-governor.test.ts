import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createHttpClient } from './http.ts';
import { RemoteRateLimited } from './errors.ts';
import {
  InMemoryBudgetStore,
  createLeakyBucketGovernor,
  createWindowGovernor,
  parseBucketLevel,
  parseRetryAfter,
  type Clock,
} from './rate-governor.ts';
import { json, startTestServer, type TestServer } from './test-server.ts';

const servers: TestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function fakeClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(0, ms);
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** An R-Series-like leaky bucket, stricter than the real one: a request that would overflow gets 429. */
async function leakyBucketServer(size: number, drip: number) {
  let level = 0;
  let last = Date.now();
  let rejected = 0;
  const server = await startTestServer((_req, res) => {
    const now = Date.now();
    level = Math.max(0, level - ((now - last) / 1000) * drip);
    last = now;
    const cost = 1;
    const headers = { 'X-LS-API-Drip-Rate': String(drip), 'X-LS-API-Request-Cost': String(cost) };
    if (level + cost > size) {
      rejected += 1;
      json(
        res,
        429,
        { httpCode: '429', message: 'Rate limit' },
        {
          ...headers,
          'X-LS-API-Bucket-Level': `${level.toFixed(3)}/${size}`,
          'Retry-After': '1',
        },
      );
      return;
    }
    level += cost;
    json(res, 200, { ok: true }, { ...headers, 'X-Ls-Api-Bucket-Level': `${level.toFixed(6)}/${size}` });
  });
  servers.push(server);
  return { server, rejected: () => rejected };
}

test('leaky bucket: 150 GETs against bucket 90 / drip 20 with 6 workers finish near the minimum with zero 429s', async () => {
  const size = 90;
  const drip = 20;
  const total = 150;
  const { server, rejected } = await leakyBucketServer(size, drip);
  const governor = createLeakyBucketGovernor({
    key: 'lightspeed-r:acct:1',
    store: new InMemoryBudgetStore(),
    vendor: 'lightspeed-r',
    initialSize: size,
    initialDripPerSecond: drip,
  });
  const http = createHttpClient({
    baseUrl: server.url,
    name: 'lightspeed-r',
    timeoutMs: 5_000,
    governor,
    retry: { attempts: 3, baseMs: 10, capMs: 100 },
    rateLimitWaitMs: 60_000,
  });
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (next < total) {
        next += 1;
        await http.request({ method: 'GET', path: '/API/V3/Account/1/Item.json', schema: z.unknown() });
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const minimum = (total - size) / drip; // the bucket starts empty
  assert.equal(rejected(), 0, 'no 429');
  assert.ok(seconds >= minimum * 0.9, `took ${seconds}s, the minimum is ${minimum}s`);
  assert.ok(seconds <= minimum * 1.35 + 0.5, `took ${seconds}s, the minimum is ${minimum}s`);
});

test('leaky bucket: two governors on the same store (two processes) share one budget', async () => {
  const clock = fakeClock();
  const store = new InMemoryBudgetStore();
  const make = () =>
    createLeakyBucketGovernor({
      key: 'acct',
      store,
      vendor: 'lightspeed-r',
      clock,
      initialSize: 10,
      initialDripPerSecond: 1,
      headroom: 0,
    });
  const a = make();
  const b = make();
  for (let i = 0; i < 5; i++) await a.beforeRequest(1);
  for (let i = 0; i < 5; i++) await b.beforeRequest(1);
  const before = clock.now();
  await a.beforeRequest(1); // the bucket is full: waits one drip
  assert.equal(clock.now() - before, 1000);
  await assert.rejects(b.beforeRequest(3, { maxWaitMs: 500 }), (e: unknown) => {
    assert.ok(e instanceof RemoteRateLimited);
    assert.equal(e.retryAt, clock.now() + 3000);
    return true;
  });
});

test('leaky bucket: the live headers correct the estimate, and a 429 blocks until Retry-After', async () => {
  const clock = fakeClock();
  const store = new InMemoryBudgetStore();
  const g = createLeakyBucketGovernor({ key: 'acct', store, vendor: 'lightspeed-r', clock });
  await g.beforeRequest(1);
  await g.afterResponse({
    status: 200,
    cost: 1,
    headers: new Headers({ 'x-ls-api-bucket-level': '85/90', 'x-ls-api-drip-rate': '2' }),
  });
  const s = await store.load('acct');
  assert.equal(s?.kind, 'leaky-bucket');
  assert.equal(s?.kind === 'leaky-bucket' && s.dripPerSecond, 2);
  const t0 = clock.now();
  await g.beforeRequest(10); // 85 + 10 > 89 → waits (95-89)/2 s
  assert.equal(clock.now() - t0, 3000);
  const retryAt = await g.afterResponse({
    status: 429,
    cost: 10,
    headers: new Headers({ 'x-ls-api-bucket-level': '92.5/90', 'retry-after': '7' }),
  });
  assert.ok(retryAt !== undefined && retryAt >= clock.now() + 7000);
  await assert.rejects(g.beforeRequest(1, { maxWaitMs: 1000 }), RemoteRateLimited);
});

test('window (X-Series): spends Remaining, then defers to the end of the window', async () => {
  const clock = fakeClock();
  const g = createWindowGovernor({ key: 'x:shop', store: new InMemoryBudgetStore(), vendor: 'lightspeed-x', clock });
  await g.beforeRequest(1);
  await g.afterResponse({
    status: 200,
    cost: 1,
    headers: new Headers({ 'x-ratelimit-limit': '350', 'x-ratelimit-remaining': '2' }),
  });
  await g.beforeRequest(1);
  await g.beforeRequest(1);
  await assert.rejects(g.beforeRequest(1, { maxWaitMs: 10_000 }), (e: unknown) => {
    assert.ok(e instanceof RemoteRateLimited);
    assert.equal(e.retryAt, clock.now() + 300_000);
    return true;
  });
  clock.advance(300_000);
  await g.beforeRequest(1); // a new window
});

test('window (X-Series): a 429 with an HTTP-date Retry-After blocks every caller until then', async () => {
  const clock = fakeClock(Date.parse('2026-05-01T10:00:00Z'));
  const store = new InMemoryBudgetStore();
  const g = createWindowGovernor({ key: 'x:shop', store, vendor: 'lightspeed-x', clock });
  const retryAt = await g.afterResponse({
    status: 429,
    cost: 1,
    headers: new Headers({ 'retry-after': 'Fri, 01 May 2026 10:00:30 GMT' }),
  });
  assert.equal(retryAt, Date.parse('2026-05-01T10:00:30Z'));
  const other = createWindowGovernor({ key: 'x:shop', store, vendor: 'lightspeed-x', clock });
  await other.beforeRequest(1, { maxWaitMs: 60_000 });
  assert.equal(clock.now(), Date.parse('2026-05-01T10:00:30Z'));
});

test('header parsing', () => {
  assert.deepEqual(parseBucketLevel('37.460243701934/90'), { used: 37.460243701934, size: 90 });
  assert.equal(parseBucketLevel('garbage'), undefined);
  assert.equal(parseRetryAfter('3', 1000), 4000);
  assert.equal(parseRetryAfter('Wed, 15 Jul 2020 15:04:05 GMT', 0), Date.parse('2020-07-15T15:04:05Z'));
  assert.equal(parseRetryAfter('soon', 0), undefined);
  assert.equal(parseRetryAfter(null, 0), undefined);
});
