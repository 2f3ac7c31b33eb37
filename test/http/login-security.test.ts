/**
 * Issue 12, item 7, in-process over the real app and store: sign-in throttling per account and per
 * address (429 with Retry-After, the right password refused while locked, free again after the lock),
 * unknown emails taking as long as wrong passwords, login CSRF and body limits, security headers, and
 * the idle session timeout. The clock is the only thing the test controls.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestStore, type TestStore } from '../../src/store/testing.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

let store: TestStore;
let t: TestApp;
let clock = Date.UTC(2026, 11, 5, 9, 0, 0);

before(async () => {
  store = await createTestStore('sqlite');
  t = createTestApp(store, { now: () => clock });
});
after(async () => {
  await store.dispose();
});

const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  t.call('POST', '/api/auth/login', { body: { email, password }, headers });

test('5 wrong passwords lock the account: 429 with Retry-After, even for the right password, until the lock ends', async () => {
  const user = await t.newTenant('Throttled');
  const address = { 'x-forwarded-for': '203.0.113.7' };
  for (let i = 1; i <= 5; i++)
    assert.equal((await login(user.email, `wrong-${i}`, address)).status, 401, `attempt ${i}`);
  const sixth = await login(user.email, 'wrong-6', address);
  assert.equal(sixth.status, 429);
  assert.equal(sixth.body.error.code, 'LOGIN_THROTTLED');
  assert.match(sixth.body.error.message, /Too many failed sign-ins for this account\. Try again in 60 seconds/);
  assert.equal(sixth.headers.get('retry-after'), '60');
  assert.equal((await login(user.email, user.password, address)).status, 429, 'the right password waits too');
  clock += 61_000;
  const after = await login(user.email, user.password, address);
  assert.equal(after.status, 200, 'free again once the lock ended');
  assert.equal((await login(user.email, 'wrong-again', address)).status, 401, 'a success starts the account afresh');
});

test('parallel guesses get no more checks than sequential ones', async () => {
  const user = await t.newTenant('Burst');
  const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => login(user.email, `guess-${i}`)));
  assert.equal(replies.filter((r) => r.status === 401).length, 5, 'five checked');
  assert.equal(replies.filter((r) => r.status === 429).length, 25, 'the rest refused unchecked');
  assert.equal((await login(user.email, user.password)).status, 429);
  clock += 16 * 60_000;
});

test('many accounts from one address: the address is throttled', async () => {
  const address = { 'x-forwarded-for': '198.51.100.9' };
  // Without TRUST_PROXY the forwarded address is ignored: every in-process call comes from one client.
  let throttledAt = 0;
  for (let i = 1; i <= 30 && throttledAt === 0; i++) {
    const reply = await login(`nobody-${i}@unknown.example`, 'wrong-password', address);
    if (reply.status === 429) {
      throttledAt = i;
      assert.match(reply.body.error.message, /from your network address/);
    }
  }
  assert.equal(throttledAt, 21, 'twenty attempts, then refused');
  clock += 16 * 60_000;
});

test('an unknown email costs as much time as a wrong password', async () => {
  const user = await t.newTenant('Timing');
  const time = async (email: string): Promise<number> => {
    const started = performance.now();
    assert.equal((await login(email, 'not-the-password')).status, 401);
    return performance.now() - started;
  };
  // Interleaved, and the fastest of each compared: load on a shared machine only ever adds time, so the minimum is
  // the work itself (without the dummy hash an unknown email would answer in ~1 ms against ~30 ms).
  const known: number[] = [];
  const unknown: number[] = [];
  // Four of each: the fifth wrong password would be the account's last before its lock.
  for (let i = 1; i <= 4; i++) {
    known.push(await time(user.email));
    unknown.push(await time(`x${i}@unknown.example`));
  }
  const [k, u] = [Math.min(...known), Math.min(...unknown)];
  assert.ok(u > k * 0.5, `unknown email ${u.toFixed(1)} ms vs wrong password ${k.toFixed(1)} ms`);
  clock += 16 * 60_000;
});

test('login takes same-site JSON only, and at most 16 KB of it', async () => {
  const user = await t.newTenant('Csrf');
  const body = JSON.stringify({ email: user.email, password: user.password });
  const asText = await t.call('POST', '/api/auth/login', { rawBody: body, headers: { 'content-type': 'text/plain' } });
  assert.equal(asText.status, 415);
  assert.equal(asText.headers.get('set-cookie'), null);
  const form = await t.call('POST', '/api/auth/login', {
    rawBody: `email=${encodeURIComponent(user.email)}&password=x`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(form.status, 415);
  assert.equal((await login(user.email, user.password, { origin: 'https://attacker.example' })).status, 403);
  assert.equal((await login(user.email, user.password, { 'sec-fetch-site': 'cross-site' })).status, 403);
  assert.equal((await login(user.email, user.password, { 'sec-fetch-site': 'same-origin' })).status, 200);
  const huge = await t.call('POST', '/api/auth/login', {
    rawBody: JSON.stringify({ email: user.email, password: 'x'.repeat(20_000) }),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(huge.status, 413);
  assert.match(huge.body.error.message, /larger than the 16 KB this endpoint accepts/);
});

test('security headers on pages, API answers and errors', async () => {
  for (const path of ['/', '/api/auth/me', '/health', '/api/nope']) {
    const reply = await t.call('GET', path);
    const csp = reply.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
    assert.equal(reply.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(reply.headers.get('referrer-policy'), 'no-referrer', path);
    // The web page (no tenant data) is revalidated on every load (issue 18); everything else is never stored.
    assert.equal(reply.headers.get('cache-control'), path === '/' ? 'no-cache' : 'no-store', path);
    assert.equal(reply.headers.get('strict-transport-security'), null, 'no HSTS over http');
  }
  const https = createTestApp(store, { config: { ...t.ctx.config, publicUrl: 'https://tradeloop.example' } });
  assert.match((await https.call('GET', '/health')).headers.get('strict-transport-security') ?? '', /max-age=\d+/);
});

test('a session unused for SESSION_IDLE_MINUTES ends; one in use lives on', async () => {
  const user = await t.newTenant('Idle');
  const reply = await login(user.email, user.password);
  const cookie = (reply.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const me = () => t.call('GET', '/api/auth/me', { headers: { cookie } });
  const idle = t.ctx.config.sessionIdleMs;
  assert.equal(idle, 30 * 60_000);
  for (let i = 0; i < 4; i++) {
    clock += idle - 60_000;
    assert.equal((await me()).status, 200, `still in use after ${i + 1} × 29 minutes`);
  }
  clock += idle + 1;
  assert.equal((await me()).status, 401, 'idle for 30 minutes: signed out');
});
