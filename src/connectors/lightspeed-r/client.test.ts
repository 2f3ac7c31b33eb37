import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { RemoteAuthLost, RemoteContractBroken, RemoteRateLimited } from '../shared/errors.ts';
import { InMemoryTokenStore } from '../shared/oauth2.ts';
import { InMemoryBudgetStore } from '../shared/rate-governor.ts';
import { createRSeriesClient } from './client.ts';
import { accountIdFromToken, authorizeUrl, completeLink, type RSeriesLinkConfig } from './link.ts';
import { createLightspeedRPos } from './pos.ts';
import {
  assertPacedNear,
  CLIENT_ID,
  CLIENT_SECRET,
  count429,
  startHarness,
  type Harness,
} from './harness.test-util.ts';

let h: Harness;

before(async () => {
  h = await startHarness('small');
});

after(async () => {
  await h.close();
});

beforeEach(async () => {
  await h.ctl('DELETE', '/_sim/faults');
  await h.ctl('DELETE', '/_sim/requests');
  await h.roomyBucket();
});

const anything = z.unknown();

test('link: authorize URL → Allow → code exchange → account id; the tokens work', async () => {
  const config: RSeriesLinkConfig = {
    authBaseUrl: h.url,
    apiBaseUrl: h.url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: 'http://127.0.0.1:9/callback',
  };
  const url = new URL(authorizeUrl(config, { state: 'st-1' }));
  assert.equal(url.origin + url.pathname, `${h.url}/auth/oauth/authorize`);
  assert.equal(url.searchParams.get('response_type'), 'code');
  assert.match(url.toString(), /scope=employee%3Ainventory\+employee%3Aproduct_edit/);
  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /id="allow"/);

  // The person clicks Allow.
  const allow = await fetch(`${h.url}/auth/oauth/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: CLIENT_ID,
      redirect_uri: config.redirectUri ?? '',
      scope: url.searchParams.get('scope') ?? '',
      state: 'st-1',
      decision: 'allow',
    }),
  });
  assert.equal(allow.status, 302);
  const back = new URL(allow.headers.get('location') ?? '');
  assert.equal(back.searchParams.get('state'), 'st-1');
  const code = back.searchParams.get('code') ?? '';

  const tokens = new InMemoryTokenStore();
  const linked = await completeLink(config, { code, connectionId: 'c-link', tokens });
  assert.equal(linked.accountId, '83050');
  assert.equal(accountIdFromToken(linked.tokens.accessToken), '83050');
  const stored = await tokens.read('c-link');
  assert.equal(stored?.accessToken, linked.tokens.accessToken);
  assert.ok(stored?.refreshToken);

  // A spent code is refused: the connection needs a new link.
  await assert.rejects(completeLink(config, { code, connectionId: 'c-link-2', tokens }), RemoteAuthLost);

  const client = createRSeriesClient({
    apiBaseUrl: h.url,
    accountId: linked.accountId,
    connectionId: 'c-link',
    tokens,
    oauth: { tokenUrl: `${h.url}/auth/oauth/token`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    budgets: new InMemoryBudgetStore(),
    budgetKey: 'k-link',
  });
  const shops = await createLightspeedRPos(client).listLocations();
  assert.equal(shops.length, 2);
});

test('refresh: an expired token is refreshed under the lock before the call, and the refresh token rotates', async () => {
  const { client, tokens } = await h.connect();
  const before = await tokens.read('conn-1');
  assert.ok(before);
  await tokens.write('conn-1', { ...before, expiresAt: Date.now() - 1000 });
  const pos = createLightspeedRPos(client);
  // Two calls at once: one refresh, not two (the second would spend a rotated refresh token).
  await Promise.all([pos.listLocations(), pos.listLocations()]);
  const after = await tokens.read('conn-1');
  assert.ok(after);
  assert.notEqual(after.accessToken, before.accessToken);
  assert.notEqual(after.refreshToken, before.refreshToken);
  assert.ok(after.expiresAt > Date.now() + 60_000);
});

test('refresh: a 401 from the API refreshes once and the call goes through; tokens never reach the log', async () => {
  const lines: string[] = [];
  const logger = {
    info: (o: object, m?: string) => lines.push(JSON.stringify(o) + (m ?? '')),
    warn: (o: object, m?: string) => lines.push(JSON.stringify(o) + (m ?? '')),
  };
  const { client, tokens } = await h.connect({ logger });
  const before = await tokens.read('conn-1');
  await h.ctl('POST', '/_sim/faults', {
    kind: 'token_expired',
    path: '/API/V3/Account/:accountID/Shop.json',
    times: 1,
  });
  const shops = await createLightspeedRPos(client).listLocations();
  assert.equal(shops.length, 2);
  const after = await tokens.read('conn-1');
  assert.notEqual(after?.accessToken, before?.accessToken);
  const text = lines.join('\n');
  assert.ok(lines.length >= 2);
  for (const secret of [before?.accessToken, before?.refreshToken, after?.accessToken, after?.refreshToken]) {
    assert.ok(secret && !text.includes(secret), 'a token appeared in the log');
  }
});

test('refresh: a revoked refresh token → RemoteAuthLost (relink)', async () => {
  const { client, tokens } = await h.connect();
  const current = await tokens.read('conn-1');
  assert.ok(current);
  await tokens.write('conn-1', { ...current, refreshToken: 'def50200-not-a-token', expiresAt: Date.now() - 1 });
  await assert.rejects(createLightspeedRPos(client).listLocations(), RemoteAuthLost);
  // The failed refresh reserved nothing: the next call fails the same way at once instead of waiting.
  const started = Date.now();
  await assert.rejects(createLightspeedRPos(client).listLocations(), RemoteAuthLost);
  assert.ok(Date.now() - started < 1_000);
});

test('governor: at bucket 20 / drip 5 a burst of writes meets no 429 and takes about the theoretical minimum', async () => {
  // Legacy cost model with writes at 4 drips: the client starts from its own guess (10) and learns 4.
  await h.ctl('PUT', '/_sim/config', {
    bucketSize: 20,
    dripRate: 5,
    costModel: 'legacy',
    readCost: 1,
    writeCost: 4,
    resetBuckets: true,
  });
  const { client } = await h.connect();
  const writes = 12;
  await h.ctl('DELETE', '/_sim/requests');
  const drips = 1 + writes * 4;
  const minimum = (drips - 20) / 5;
  await assertPacedNear(
    `governor: ${writes} writes + 1 read = ${drips} drips at bucket 20 / drip 5`,
    minimum,
    async () => {
      // One read, then the writes all at once (the governor orders them).
      await client.request({ path: 'Shop.json', schema: anything });
      await Promise.all(
        Array.from({ length: writes }, (_, i) =>
          client.request({ method: 'POST', path: 'Manufacturer.json', body: { name: `Burst ${i}` }, schema: anything }),
        ),
      );
    },
    { slackS: 0.15, floorRatio: 0.95 },
  );
  assert.equal(await count429(h), 0);
});

test('governor: at the benchmark settings (bucket 90, drip 20, writes 10) a burst meets no 429 within 1.1× the minimum', async () => {
  await h.ctl('PUT', '/_sim/config', {
    bucketSize: 90,
    dripRate: 20,
    costModel: 'legacy',
    readCost: 1,
    writeCost: 10,
    resetBuckets: true,
  });
  const { client } = await h.connect();
  const writes = 16;
  await h.ctl('DELETE', '/_sim/requests');
  const minimum = (writes * 10 - 90) / 20;
  await assertPacedNear(`governor (bucket 90 / drip 20): ${writes} writes × 10 drips`, minimum, () =>
    Promise.all(
      Array.from({ length: writes }, (_, i) =>
        client.request({ method: 'POST', path: 'Manufacturer.json', body: { name: `Bench ${i}` }, schema: anything }),
      ),
    ),
  );
  assert.equal(await count429(h), 0);
});

test('governor: the current cost model (every request 1) is learned from X-LS-API-Request-Cost', async () => {
  // The bucket alone (the burst limiter, 2/9 of this small bucket, would bind first: its own tests cover it).
  await h.ctl('PUT', '/_sim/config', {
    bucketSize: 20,
    dripRate: 5,
    costModel: 'current',
    burstLimiter: false,
    resetBuckets: true,
  });
  const { client } = await h.connect();
  const writes = 30;
  await h.ctl('DELETE', '/_sim/requests');
  const minimum = (writes - 20) / 5;
  await assertPacedNear(
    `governor (current model): ${writes} writes at bucket 20 / drip 5`,
    minimum,
    async () => {
      for (let i = 0; i < writes; i++) {
        await client.request({
          method: 'POST',
          path: 'Manufacturer.json',
          body: { name: `Current ${i}` },
          schema: anything,
        });
      }
    },
    { slackS: 0.3 },
  );
  assert.equal(await count429(h), 0);
});

test('governor: with the burst limiter on (20 a second at bucket 90), 70 concurrent reads meet no 429', async () => {
  await h.ctl('PUT', '/_sim/config', {
    bucketSize: 90,
    dripRate: 20,
    costModel: 'current',
    burstLimiter: true,
    burstLimit: null,
    resetBuckets: true,
  });
  const { client } = await h.connect();
  await h.ctl('DELETE', '/_sim/requests');
  const reads = 70;
  // The bucket never binds here (90 drips, 20 back a second): 20 requests a window, the last window opening
  // three seconds after the first.
  const minimum = Math.ceil(reads / 20) - 1;
  await assertPacedNear(
    `governor (burst 20/s): ${reads} reads`,
    minimum,
    () => Promise.all(Array.from({ length: reads }, () => client.request({ path: 'Shop.json', schema: anything }))),
    { slackS: 0.3, floorRatio: 0.9 },
  );
  assert.equal(await count429(h), 0);
  await h.roomyBucket();
});

test('429 with Retry-After: a short one is waited out inside the call, a long one → RemoteRateLimited', async () => {
  const { client } = await h.connect({ rateLimitWaitMs: 3_000 });
  await h.ctl('POST', '/_sim/faults', {
    kind: 'rate_limit',
    path: '/API/V3/Account/:accountID/Shop.json',
    retryAfterSeconds: 1,
    times: 1,
  });
  const started = Date.now();
  const shops = await createLightspeedRPos(client).listLocations();
  assert.equal(shops.length, 2);
  const waited = Date.now() - started;
  assert.ok(waited >= 950 && waited < 2_500, `waited ${waited} ms`);

  const other = await h.connect({ rateLimitWaitMs: 1_000 });
  await h.ctl('POST', '/_sim/faults', {
    kind: 'rate_limit',
    path: '/API/V3/Account/:accountID/Shop.json',
    retryAfterSeconds: 30,
    times: 1,
  });
  const t0 = Date.now();
  const error = await createLightspeedRPos(other.client)
    .listLocations()
    .then(
      () => assert.fail('expected RemoteRateLimited'),
      (e: unknown) => e,
    );
  assert.ok(error instanceof RemoteRateLimited);
  assert.equal(error.code, 'POS_RATE_LIMITED');
  assert.ok(error.retryAt >= t0 + 29_000, 'retryAt honours Retry-After');
  assert.ok(Date.now() - t0 < 1_000, 'did not sleep through a long Retry-After');
});

test('a reply that fails its schema → RemoteContractBroken naming the field', async () => {
  const { client } = await h.connect();
  const state = await h.ctl<{ tables: { Item: Array<Record<string, unknown>> } }>('GET', '/_sim/state');
  const victim = state.tables.Item[0];
  assert.ok(victim);
  const saved = structuredClone(state);
  victim.timeStamp = '';
  await h.ctl('PUT', '/_sim/state', state);
  try {
    const error = await createLightspeedRPos(client)
      .getCatalogEntries([String(victim.itemID)])
      .then(
        () => assert.fail('expected RemoteContractBroken'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof RemoteContractBroken);
    assert.equal(error.fieldPath, 'Item[0].timeStamp');
  } finally {
    await h.ctl('PUT', '/_sim/state', saved);
  }
});

test('an @attributes.next URL off the API origin is refused, the token is not sent there', async () => {
  const { client } = await h.connect();
  await assert.rejects(
    client.request({ path: 'https://evil.example/API/V3/Account/83050/Item.json?after=x', schema: anything }),
    (e: unknown) => e instanceof RemoteContractBroken && e.fieldPath === '@attributes.next',
  );
});
