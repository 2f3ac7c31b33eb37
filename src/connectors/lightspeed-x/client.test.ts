/** Linking, token refresh, rate limits and contract checks of the X-Series client, over loopback HTTP. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RemoteAuthLost, RemoteContractBroken, RemoteRateLimited, RemoteRejected } from '../shared/errors.ts';
import { InMemoryTokenStore } from '../shared/oauth2.ts';
import { InMemoryBudgetStore } from '../shared/rate-governor.ts';
import { startTestServer } from '../shared/test-server.ts';
import { createXSeriesClient } from './client.ts';
import { CLIENT_ID, CLIENT_SECRET, CONNECTION, startXHarness, type XHarness } from './harness.test-util.ts';
import { apiBaseUrlFor, authBaseUrlFor, authorizeUrl, exchangeCode, parseCallback, tokenUrlFor } from './link.ts';
import { createLightspeedXPos } from './pos.ts';

describe('link helpers', () => {
  test('real URLs come from the domain prefix; a simulator URL replaces every host', () => {
    assert.equal(apiBaseUrlFor('acme'), 'https://acme.retail.lightspeed.app');
    assert.equal(tokenUrlFor('acme'), 'https://acme.retail.lightspeed.app/api/1.0/token');
    assert.equal(authBaseUrlFor(), 'https://secure.retail.lightspeed.app');
    assert.equal(apiBaseUrlFor('acme', { simulatorUrl: 'http://127.0.0.1:4010/' }), 'http://127.0.0.1:4010');
    assert.equal(tokenUrlFor('acme', { simulatorUrl: 'http://127.0.0.1:4010' }), 'http://127.0.0.1:4010/api/1.0/token');
    assert.throws(() => apiBaseUrlFor('evil.com/x'), /not an X-Series domain prefix/);
    assert.throws(() => apiBaseUrlFor('a.b'), /not an X-Series domain prefix/);
    const url = new URL(
      authorizeUrl({
        authBaseUrl: authBaseUrlFor(),
        clientId: 'cid',
        redirectUri: 'https://app/cb',
        state: 'state-123',
      }),
    );
    assert.equal(url.origin + url.pathname, 'https://secure.retail.lightspeed.app/connect');
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.match(url.searchParams.get('scope') ?? '', /consignments:write:stock_order/);
    assert.throws(
      () => authorizeUrl({ authBaseUrl: 'https://x', clientId: 'c', redirectUri: 'https://r', state: 'short' }),
      /8 characters/,
    );
    assert.deepEqual(parseCallback('https://app/cb?error=access_denied&error_description=no&state=s'), {
      ok: false,
      error: 'access_denied',
      description: 'no',
      state: 's',
    });
  });
});

describe('X-Series client over the simulator', () => {
  let h: XHarness;
  before(async () => {
    h = await startXHarness();
  });
  after(async () => h.close());

  test('OAuth link: authorize URL → /connect → code → exchange → a working client', async () => {
    const redirectUri = 'https://tradeloop.test/oauth/lightspeed-x/callback';
    const state = 'st-0123456789';
    const start = authorizeUrl({
      authBaseUrl: authBaseUrlFor({ simulatorUrl: h.url }),
      clientId: CLIENT_ID,
      redirectUri,
      state,
    });
    const page = await fetch(start);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Allow/);
    // The merchant presses "Allow": the form posts the same parameters back.
    const params = Object.fromEntries(new URL(start).searchParams);
    const allowed = await fetch(`${h.url}/connect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...params, decision: 'allow' }),
      redirect: 'manual',
    });
    assert.equal(allowed.status, 302);
    const callback = parseCallback(allowed.headers.get('location') ?? '');
    assert.ok(callback.ok);
    assert.equal(callback.state, state);
    assert.equal(callback.domainPrefix, h.domainPrefix);

    const linked = await exchangeCode({
      tokenUrl: tokenUrlFor(callback.domainPrefix, { simulatorUrl: h.url }),
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      code: callback.code,
      redirectUri,
    });
    assert.equal(linked.domainPrefix, h.domainPrefix);
    assert.ok(linked.tokens.accessToken.length > 0);
    assert.ok(linked.tokens.refreshToken);
    assert.ok(linked.tokens.expiresAt > Date.now());

    const tokens = new InMemoryTokenStore();
    await tokens.write('linked', linked.tokens);
    const client = createXSeriesClient({
      apiBaseUrl: apiBaseUrlFor(linked.domainPrefix, { simulatorUrl: h.url }),
      connectionId: 'linked',
      tokens,
      oauth: {
        tokenUrl: tokenUrlFor(linked.domainPrefix, { simulatorUrl: h.url }),
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
      },
      budgets: new InMemoryBudgetStore(),
      budgetKey: 'linked',
    });
    const locations = await createLightspeedXPos(client).listLocations();
    assert.ok(locations.length >= 1);

    // A code is single use: a second exchange is invalid_grant → the link must start again.
    await assert.rejects(
      exchangeCode({
        tokenUrl: tokenUrlFor(linked.domainPrefix, { simulatorUrl: h.url }),
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        code: callback.code,
        redirectUri,
      }),
      RemoteAuthLost,
    );
  });

  test('expired access token: two concurrent calls spend ONE rotating refresh token', async () => {
    const before = (await h.tokens.read(CONNECTION))!;
    await h.resetCounts();
    await h.control('/_sim/clock', 'POST', { advanceSeconds: 86_400 + 60 });
    const [a, b] = await Promise.all([
      h.pos.listLocations(),
      h.pos.findSupplier({ name: 'nobody', sourceBrandId: 'none' }),
    ]);
    assert.ok(a.length > 0);
    assert.deepEqual(b, []);
    assert.equal(await h.count('POST /api/1.0/token'), 1, 'one refresh for both calls');
    const after = (await h.tokens.read(CONNECTION))!;
    assert.notEqual(after.accessToken, before.accessToken);
    assert.notEqual(after.refreshToken, before.refreshToken, 'the rotated refresh token is stored');
    // The old refresh token was revoked by the rotation.
    const reuse = await fetch(`${h.url}/api/1.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: before.refreshToken!,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }),
    });
    assert.equal(reuse.status, 400);
    await h.control('/_sim/clock', 'POST', { reset: true });
  });

  test('a token past its stored expiry is refreshed before the call; a dead refresh token is RemoteAuthLost', async () => {
    const current = (await h.tokens.read(CONNECTION))!;
    await h.tokens.write(CONNECTION, { ...current, expiresAt: Date.now() - 1000 });
    await h.resetCounts();
    await h.pos.listLocations();
    assert.equal(await h.count('POST /api/1.0/token'), 1);
    // A full listing is one page plus the empty page that ends it: no 401 round trip.
    assert.equal(await h.count('GET /api/2.0/outlets'), 2, 'no 401 round trip');

    // Spend the stored refresh token elsewhere, then expire the access token: nothing can revive it.
    const stored = (await h.tokens.read(CONNECTION))!;
    await fetch(`${h.url}/api/1.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: stored.refreshToken!,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }),
    });
    await h.tokens.write(CONNECTION, { ...stored, expiresAt: Date.now() - 1000 });
    await assert.rejects(h.pos.listLocations(), RemoteAuthLost);
    // Re-link for the tests that follow.
    const fresh = await h.control('/_sim/tokens', 'POST', {});
    await h.tokens.write(CONNECTION, {
      accessToken: fresh.access_token,
      refreshToken: fresh.refresh_token,
      expiresAt: Date.now() + 3_600_000,
    });
  });

  test('a 401 from the API (token_expired fault) is refreshed once and the call succeeds', async () => {
    await h.resetCounts();
    await h.fault({ kind: 'token_expired', path: '/api/2.0/outlets', times: 1 });
    const locations = await h.pos.listLocations();
    assert.ok(locations.length > 0);
    assert.equal(await h.count('POST /api/1.0/token'), 1);
    assert.equal(await h.count('GET /api/2.0/outlets'), 3, 'the 401, its retry, the closing empty page');
  });

  test('tokens never appear in the logs', async () => {
    const t = (await h.tokens.read(CONNECTION))!;
    const all = h.logs.join('\n');
    assert.ok(h.logs.length > 0);
    assert.ok(!all.includes(t.accessToken));
    assert.ok(!all.includes(t.refreshToken!));
    assert.ok(!/authorization|bearer/i.test(all));
  });
});

describe('rate limits', () => {
  let h: XHarness;
  before(async () => {
    h = await startXHarness();
  });
  after(async () => h.close());

  test('a short Retry-After is waited out once (bounded), then the call succeeds', async () => {
    await h.resetCounts();
    await h.fault({ kind: 'rate_limit', path: '/api/2.0/outlets', times: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const locations = await h.pos.listLocations();
    assert.ok(locations.length > 0);
    assert.equal(await h.count('GET /api/2.0/outlets'), 3, 'one 429, one retry (+ the closing empty page): no storm');
    assert.ok(Date.now() - started < 5000);
  });

  test('a long Retry-After → RemoteRateLimited with retryAt; the next call defers without a request', async () => {
    await h.resetCounts();
    await h.fault({ kind: 'rate_limit', path: '/api/2.0/outlets', times: 1, retryAfterSeconds: 120 });
    const error = await h.pos.listLocations().then(
      () => assert.fail('expected RemoteRateLimited'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof RemoteRateLimited);
    assert.ok(
      error.retryAt > Date.now() + 100_000 && error.retryAt < Date.now() + 125_000,
      `retryAt ${new Date(error.retryAt).toISOString()}`,
    );
    assert.equal(await h.count('GET /api/2.0/outlets'), 1);
    // The governor (shared through the BudgetStore) holds every later call until retryAt: no request goes out.
    await assert.rejects(h.pos.findSupplier({ name: 'x', sourceBrandId: 'y' }), RemoteRateLimited);
    const counts = (await h.control('/_sim/requests?limit=0')).total;
    assert.equal(counts, 1, 'nothing sent while blocked');
    const state = await h.budgets.load(`lightspeed-x:${h.domainPrefix}:${CLIENT_ID}`);
    assert.equal(state?.kind, 'window');
  });

  test('X-RateLimit-Remaining feeds the shared budget', async () => {
    const budgets = new InMemoryBudgetStore();
    const tokens = new InMemoryTokenStore();
    const t = await h.control('/_sim/tokens', 'POST', {});
    await tokens.write('c', {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: Date.now() + 3_600_000,
    });
    const client = createXSeriesClient({
      apiBaseUrl: h.url,
      connectionId: 'c',
      tokens,
      oauth: { tokenUrl: `${h.url}/api/1.0/token`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      budgets,
      budgetKey: 'k',
    });
    await h.control('/_sim/faults', 'DELETE');
    await h.control('/_sim/clock', 'POST', { advanceSeconds: 301 });
    await createLightspeedXPos(client).listLocations();
    const state = await budgets.load('k');
    assert.ok(
      state?.kind === 'window' && state.limit !== null && state.remaining !== null && state.remaining < state.limit,
    );
  });
});

describe('contract checks', () => {
  test('a reply with a broken shape is RemoteContractBroken naming the field', async () => {
    const fake = await startTestServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.path === '/api/2.0/products') {
        res.end(JSON.stringify({ data: [{ id: 'p1', name: 'Tee', version: 'seven' }], version: { min: 1, max: 7 } }));
      } else if (req.path === '/api/2.0/consignments') {
        res.statusCode = 201;
        res.end(JSON.stringify({ data: { id: 'c1', outlet_id: 'o1', name: 'PO', type: 'SUPPLIER', version: 3 } }));
      } else {
        res.end(JSON.stringify({ data: { id: 'r1', currency: { code: 'USD' } } }));
      }
    });
    try {
      const tokens = new InMemoryTokenStore();
      await tokens.write('c', { accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() + 3_600_000 });
      const client = createXSeriesClient({
        apiBaseUrl: fake.url,
        connectionId: 'c',
        tokens,
        oauth: { tokenUrl: `${fake.url}/api/1.0/token`, clientId: 'x', clientSecret: 'y' },
        budgets: new InMemoryBudgetStore(),
        budgetKey: 'k',
      });
      const pos = createLightspeedXPos(client);
      const feed = await pos.catalogChanges(null, 100).then(
        () => assert.fail('expected RemoteContractBroken'),
        (e: unknown) => e,
      );
      assert.ok(feed instanceof RemoteContractBroken);
      assert.equal(feed.fieldPath, 'data[0].version');
      const created = await pos
        .createPurchaseOrder({
          correlationKey: 'tlo-00000000000000000000',
          orderNumber: '100-1',
          locationId: 'o1',
          supplierId: 's1',
          name: 'PO 100-1',
          notes: '',
          shipWindow: { start: null, end: null },
          currency: 'USD',
          sourceOrderId: 'x',
        })
        .then(
          () => assert.fail('expected RemoteContractBroken'),
          (e: unknown) => e,
        );
      assert.ok(created instanceof RemoteContractBroken);
      assert.equal(created.fieldPath, 'status');
      // A refusal is RemoteRejected, not a contract problem.
      assert.ok(!(created instanceof RemoteRejected));
    } finally {
      await fake.close();
    }
  });
});
