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

/**
 * R-Series since 2025-07-10: the leaky bucket plus a burst limiter of `burst` requests per fixed one-second
 * window (its phase unknown to the client), each with the real headers. Latency on the way in and out is
 * random, so arrivals do not keep the spacing of the sends.
 */
async function burstAndBucketServer(options: { size: number; drip: number; burst: number }) {
  let level = 0;
  let last = Date.now();
  const windows = new Map<number, number>();
  const refused = { burst: 0, bucket: 0 };
  const phase = Math.floor(Math.random() * 1000);
  const server = await startTestServer(async (_req, res) => {
    await new Promise((r) => setTimeout(r, Math.random() * 15));
    const now = Date.now();
    level = Math.max(0, level - ((now - last) / 1000) * options.drip);
    last = now;
    const window = Math.floor((now + phase) / 1000);
    const used = windows.get(window) ?? 0;
    const headers = {
      'X-LS-API-Drip-Rate': String(options.drip),
      'X-LS-API-Bucket-Level': `${level.toFixed(3)}/${options.size}`,
      'X-LS-API-Burst-Level': `${used}/${options.burst}`,
    };
    const body = { httpCode: '429', httpMessage: 'Too Many Requests', errorClass: 'RateLimitedException' };
    if (used >= options.burst) {
      refused.burst += 1;
      json(res, 429, body, { ...headers, 'X-LS-API-RateLimit-Type': 'api-burst-limiter', 'Retry-After': '1' });
      return;
    }
    if (level >= options.size) {
      refused.bucket += 1;
      json(res, 429, body, { ...headers, 'X-LS-API-RateLimit-Type': 'api-leaky-bucket', 'Retry-After': '1' });
      return;
    }
    windows.set(window, used + 1);
    level += 1;
    await new Promise((r) => setTimeout(r, Math.random() * 15));
    json(
      res,
      200,
      { ok: true },
      {
        ...headers,
        'X-LS-API-Burst-Level': `${used + 1}/${options.burst}`,
        'X-LS-API-Bucket-Level': `${level}/${options.size}`,
      },
    );
  });
  servers.push(server);
  return { server, refused };
}

/** The least time N requests need under both limits (bucket empty at the start, windows of one second). */
function minimumSeconds(total: number, size: number, drip: number, burst: number): number {
  // Greedy is optimal: in each window send as many as the burst and the bucket allow.
  let sent = 0;
  let second = 0;
  for (; ; second++) {
    const bucketRoom = Math.floor(size + drip * second) - sent;
    sent += Math.max(0, Math.min(burst, bucketRoom));
    if (sent >= total) return second;
  }
}

test('burst limiter: 120 GETs with 6 workers against burst 25/s, bucket 60, drip 20: zero 429s, near the minimum', async () => {
  const options = { size: 60, drip: 20, burst: 25 };
  const total = 120;
  const { server, refused } = await burstAndBucketServer(options);
  const governor = createLeakyBucketGovernor({
    key: 'lightspeed-r:acct:burst',
    store: new InMemoryBudgetStore(),
    vendor: 'lightspeed-r',
    initialSize: options.size,
    initialDripPerSecond: options.drip,
    headroom: 0,
  });
  const http = createHttpClient({
    baseUrl: server.url,
    name: 'lightspeed-r',
    timeoutMs: 5_000,
    governor,
    retry: { attempts: 3, baseMs: 10, capMs: 100 },
    rateLimitWaitMs: 60_000,
  });
  // The first reply reports the burst limit (a real client calibrates on its first request too).
  await http.request({ method: 'GET', path: '/first', schema: z.unknown() });
  let next = 1;
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
  const minimum = minimumSeconds(total - 1, options.size - 1, options.drip, options.burst);
  assert.deepEqual(refused, { burst: 0, bucket: 0 }, 'no 429 of either kind');
  assert.ok(seconds >= minimum * 0.9, `took ${seconds}s, the minimum is ${minimum}s`);
  assert.ok(seconds <= minimum * 1.25 + 0.5, `took ${seconds}s, the minimum is ${minimum}s`);
});

test('burst limiter: slots are held until a window after each reply, and the header teaches the limit', async () => {
  const clock = fakeClock();
  const store = new InMemoryBudgetStore();
  const g = createLeakyBucketGovernor({ key: 'acct', store, vendor: 'lightspeed-r', clock, headroom: 0 });
  await g.beforeRequest(1);
  clock.advance(5);
  await g.afterResponse({
    status: 200,
    cost: 1,
    headers: new Headers({ 'x-ls-api-bucket-level': '1/90', 'x-ls-api-burst-level': '1/3' }),
  });
  const t0 = clock.now();
  await g.beforeRequest(1);
  await g.beforeRequest(1);
  assert.equal(clock.now(), t0, 'two more fit in the window');
  await g.beforeRequest(1); // both still in flight: a window from now at the earliest
  assert.equal(clock.now() - t0, 1000);
  // Another client of the account used the window: the server's count is believed.
  await g.afterResponse({
    status: 200,
    cost: 1,
    headers: new Headers({ 'x-ls-api-bucket-level': '5/90', 'x-ls-api-burst-level': '3/3' }),
  });
  const t1 = clock.now();
  await g.beforeRequest(1);
  assert.ok(clock.now() - t1 >= 1000, 'waits for the window the server reported full');
});

test('a burst 429 blocks for a second without filling the bucket; a server without the limiter is not paced', async () => {
  const clock = fakeClock();
  const store = new InMemoryBudgetStore();
  const g = createLeakyBucketGovernor({ key: 'acct', store, vendor: 'lightspeed-r', clock, headroom: 0 });
  await g.beforeRequest(1);
  const retryAt = await g.afterResponse({
    status: 429,
    cost: 1,
    headers: new Headers({
      'x-ls-api-bucket-level': '10/90',
      'x-ls-api-burst-level': '20/20',
      'x-ls-api-ratelimit-type': 'api-burst-limiter',
    }),
  });
  assert.equal(retryAt, clock.now() + 1000, 'no Retry-After: back off one second (§6)');
  const state = await store.load('acct');
  assert.ok(state?.kind === 'leaky-bucket' && state.level === 10, 'the bucket level is the reported one');
  const t0 = clock.now();
  await g.beforeRequest(1);
  assert.equal(clock.now() - t0, 1000);
  await g.afterResponse({ status: 200, cost: 1, headers: new Headers({ 'x-ls-api-bucket-level': '11/90' }) });
  const t1 = clock.now();
  for (let i = 0; i < 40; i++) await g.beforeRequest(1);
  assert.equal(clock.now() - t1, 0, 'no burst header on a reply with a bucket level: no burst limiter');
});

test('the 2015 429 (no Retry-After, no level, text/html) backs off from a second, doubling, and a reply resets it', async () => {
  const clock = fakeClock();
  const store = new InMemoryBudgetStore();
  const g = createLeakyBucketGovernor({ key: 'acct', store, vendor: 'lightspeed-r', clock, headroom: 0 });
  const bare = () => new Headers({ 'content-type': 'text/html; charset=UTF-8', 'x-ls-acct-id': '0' });
  const first = await g.afterResponse({ status: 429, cost: 1, headers: bare() });
  assert.equal(first, clock.now() + 1000);
  const second = await g.afterResponse({ status: 429, cost: 1, headers: bare() });
  assert.equal(second, clock.now() + 2000);
  const third = await g.afterResponse({ status: 429, cost: 1, headers: bare() });
  assert.equal(third, clock.now() + 4000);
  clock.advance(4000);
  await g.afterResponse({ status: 200, cost: 1, headers: new Headers({ 'x-ls-api-bucket-level': '0/90' }) });
  const again = await g.afterResponse({ status: 429, cost: 1, headers: bare() });
  assert.equal(again, clock.now() + 1000, 'a reply in between starts the back-off over');
});

test('through the transport, a 429 of either kind uses no retry attempt, with or without Retry-After', async () => {
  let calls = 0;
  const replies = [
    // 2015: no Retry-After, no bucket header, text/html.
    () => ({ status: 429, headers: { 'content-type': 'text/html; charset=UTF-8', 'X-Ls-Acct-Id': '0' } }),
    () => ({
      status: 429,
      headers: {
        'X-LS-API-Bucket-Level': '3/90',
        'X-LS-API-Burst-Level': '20/20',
        'X-LS-API-RateLimit-Type': 'api-burst-limiter',
        'Retry-After': '1',
      },
    }),
    () => ({
      status: 429,
      headers: {
        'X-LS-API-Bucket-Level': '92.57/90',
        'X-LS-API-RateLimit-Type': 'api-leaky-bucket',
        'Retry-After': '1',
      },
    }),
  ];
  const server = await startTestServer((_req, res) => {
    const reply = replies[calls]?.();
    calls += 1;
    if (reply) {
      res.writeHead(reply.status, reply.headers);
      res.end(
        '{"httpCode":"429","httpMessage":"Too Many Requests","message":"Rate Limit Exceeded: slow down","errorClass":"RateLimitedException"}',
      );
      return;
    }
    json(res, 200, { ok: true }, { 'X-Ls-Api-Bucket-Level': '1/90' });
  });
  servers.push(server);
  const clock = fakeClock();
  const http = createHttpClient({
    baseUrl: server.url,
    name: 'lightspeed-r',
    timeoutMs: 5_000,
    clock,
    governor: createLeakyBucketGovernor({ key: 'a', store: new InMemoryBudgetStore(), vendor: 'lightspeed-r', clock }),
    retry: { attempts: 1, baseMs: 10, capMs: 100 },
    rateLimitWaitMs: 60_000,
  });
  const started = clock.now();
  assert.deepEqual(await http.request({ method: 'GET', path: '/x', schema: z.unknown() }), { ok: true });
  assert.equal(calls, 4);
  assert.ok(clock.now() - started >= 3000, 'waited at least a second after each 429');
});

test('bucket level formats: a fractional level above the size, and sizes 30/60/90/180 read from every reply', () => {
  assert.deepEqual(parseBucketLevel('91.67/90'), { used: 91.67, size: 90 });
  assert.deepEqual(parseBucketLevel('4.6128/30'), { used: 4.6128, size: 30 });
  assert.deepEqual(parseBucketLevel('12/60'), { used: 12, size: 60 });
  assert.deepEqual(parseBucketLevel(' 0 / 180 '), { used: 0, size: 180 });
  assert.equal(parseBucketLevel('1/0'), undefined);
  assert.equal(parseBucketLevel(null), undefined);
});

test('leaky bucket: the size follows the replies (90 → 30), and a level above the size waits for the drip', async () => {
  const clock = fakeClock();
  const store = new InMemoryBudgetStore();
  const g = createLeakyBucketGovernor({ key: 'acct', store, vendor: 'lightspeed-r', clock, headroom: 0 });
  await g.beforeRequest(1);
  await g.afterResponse({ status: 200, cost: 1, headers: new Headers({ 'x-ls-api-bucket-level': '29/30' }) });
  const t0 = clock.now();
  await g.beforeRequest(1); // 29 + 1 ≤ 30
  assert.equal(clock.now(), t0);
  await g.afterResponse({
    status: 400,
    cost: 1,
    headers: new Headers({ 'x-ls-api-bucket-level': '91.67/90', 'x-ls-api-drip-rate': '1' }),
  });
  const t1 = clock.now();
  await g.beforeRequest(1); // needs the level down to 89: 2.67 s
  assert.ok(Math.abs(clock.now() - t1 - 2670) <= 1, `waited ${clock.now() - t1} ms`);
});
