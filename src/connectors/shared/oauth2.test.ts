import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createHttpClient } from './http.ts';
import { RemoteAuthLost } from './errors.ts';
import { InMemoryTokenStore, bearerAuth, createOAuth2Client, createTokenManager } from './oauth2.ts';
import { json, memoryLogger, startTestServer, type TestServer } from './test-server.ts';

const servers: TestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** A token endpoint with rotating refresh tokens (each one is spent on use) and an API that checks the bearer. */
async function authServer(options: { refreshDelayMs?: number } = {}) {
  let generation = 0;
  const live = new Set<string>(['refresh-0']);
  let access = 'access-0';
  let refreshCalls = 0;
  const server = await startTestServer(async (req, res) => {
    if (req.path === '/oauth/token') {
      const form = new URLSearchParams(req.body);
      if (form.get('client_id') !== 'cid' || form.get('client_secret') !== 'csecret')
        return json(res, 401, { error: 'invalid_client' });
      if (form.get('grant_type') === 'authorization_code') {
        if (form.get('code') !== 'good-code')
          return json(res, 400, { error: 'invalid_grant', error_description: 'bad code' });
        return json(res, 200, {
          access_token: access,
          token_type: 'Bearer',
          expires_in: 3600,
          refresh_token: 'refresh-0',
          domain_prefix: 'shop',
        });
      }
      if (form.get('grant_type') === 'refresh_token') {
        refreshCalls += 1;
        const token = form.get('refresh_token') ?? '';
        if (options.refreshDelayMs) await new Promise((r) => setTimeout(r, options.refreshDelayMs));
        if (!live.delete(token))
          return json(res, 400, { error: 'invalid_grant', error_description: 'refresh token revoked' });
        generation += 1;
        access = `access-${generation}`;
        live.add(`refresh-${generation}`);
        return json(res, 200, {
          access_token: access,
          token_type: 'Bearer',
          expires_in: 3600,
          refresh_token: `refresh-${generation}`,
        });
      }
      return json(res, 400, { error: 'unsupported_grant_type' });
    }
    if (req.headers.authorization === `Bearer ${access}`) return json(res, 200, { ok: true });
    return json(res, 401, { error: 'access_denied', hint: 'Access token could not be verified' });
  });
  servers.push(server);
  return { server, refreshCalls: () => refreshCalls, revokeAll: () => live.clear() };
}

function oauthClient(url: string, logger?: ReturnType<typeof memoryLogger>) {
  return createOAuth2Client({
    name: 'lightspeed-x',
    authorizeUrl: 'https://secure.retail.lightspeed.app/connect',
    tokenUrl: `${url}/oauth/token`,
    clientId: 'cid',
    clientSecret: 'csecret',
    redirectUri: 'https://app.example/callback',
    scopes: ['products:read', 'consignments:write:stock_order'],
    logger,
  });
}

test('authorize URL carries response_type, client, redirect, space-delimited scope and state', () => {
  const url = new URL(oauthClient('http://127.0.0.1:9').authorizeUrl({ state: 'state-123456' }));
  assert.equal(url.origin + url.pathname, 'https://secure.retail.lightspeed.app/connect');
  assert.equal(url.searchParams.get('response_type'), 'code');
  assert.equal(url.searchParams.get('client_id'), 'cid');
  assert.equal(url.searchParams.get('redirect_uri'), 'https://app.example/callback');
  assert.equal(url.searchParams.get('scope'), 'products:read consignments:write:stock_order');
  assert.equal(url.searchParams.get('state'), 'state-123456');
});

test('exchanging a code; a bad code is RemoteAuthLost (invalid_grant)', async () => {
  const { server } = await authServer();
  const client = oauthClient(server.url);
  const tokens = await client.exchangeCode({ code: 'good-code' });
  assert.equal(tokens.accessToken, 'access-0');
  assert.equal(tokens.refreshToken, 'refresh-0');
  assert.ok(tokens.expiresAt > Date.now() + 3_500_000);
  assert.equal(tokens.extra?.domain_prefix, 'shop');
  assert.equal(server.requests[0]?.headers['content-type'], 'application/x-www-form-urlencoded');
  await assert.rejects(client.exchangeCode({ code: 'bad' }), RemoteAuthLost);
});

test('two processes refreshing at once spend the rotating refresh token only once', async () => {
  const { server, refreshCalls } = await authServer({ refreshDelayMs: 50 });
  const store = new InMemoryTokenStore(); // shared, like the store's vault
  await store.write('conn-1', { accessToken: 'access-0', refreshToken: 'refresh-0', expiresAt: Date.now() + 10_000 });
  // Two managers = two processes; both see a token inside the 60 s skew.
  const p1 = createTokenManager({
    client: oauthClient(server.url),
    store,
    connectionId: 'conn-1',
    vendor: 'lightspeed-x',
  });
  const p2 = createTokenManager({
    client: oauthClient(server.url),
    store,
    connectionId: 'conn-1',
    vendor: 'lightspeed-x',
  });
  const [a, b] = await Promise.all([p1.accessToken(), p2.accessToken()]);
  assert.equal(a, 'access-1');
  assert.equal(b, 'access-1');
  assert.equal(refreshCalls(), 1);
  assert.equal((await store.read('conn-1'))?.refreshToken, 'refresh-1');
});

test('a 401 from the API refreshes once under the lock, for concurrent callers too', async () => {
  const { server, refreshCalls } = await authServer();
  const store = new InMemoryTokenStore();
  // Not expired by our clock, but the server no longer accepts access-0 once it rotated... simulate a revoked token:
  await store.write('c', { accessToken: 'stale', refreshToken: 'refresh-0', expiresAt: Date.now() + 3_600_000 });
  const manager = createTokenManager({
    client: oauthClient(server.url),
    store,
    connectionId: 'c',
    vendor: 'lightspeed-x',
  });
  const http = createHttpClient({
    baseUrl: server.url,
    name: 'lightspeed-x',
    timeoutMs: 2000,
    retry: { attempts: 1, baseMs: 1, capMs: 1 },
    ...bearerAuth(manager),
  });
  const results = await Promise.all(
    [1, 2, 3].map(() => http.request({ method: 'GET', path: '/api/2.0/outlets', schema: z.unknown() })),
  );
  assert.deepEqual(results, [{ ok: true }, { ok: true }, { ok: true }]);
  assert.equal(refreshCalls(), 1);
});

test('a revoked refresh token (invalid_grant) means RemoteAuthLost: the connection needs re-linking', async () => {
  const { server, revokeAll } = await authServer();
  revokeAll();
  const store = new InMemoryTokenStore();
  await store.write('c', { accessToken: 'old', refreshToken: 'refresh-0', expiresAt: Date.now() - 1 });
  const manager = createTokenManager({
    client: oauthClient(server.url),
    store,
    connectionId: 'c',
    vendor: 'lightspeed-x',
  });
  await assert.rejects(manager.accessToken(), (e: unknown) => {
    assert.ok(e instanceof RemoteAuthLost);
    assert.equal(e.code, 'CONNECTION_NEEDS_RELINK');
    return true;
  });
});

test('no token or secret in the logs of a token exchange', async () => {
  const { server } = await authServer();
  const logger = memoryLogger();
  const client = oauthClient(server.url, logger);
  await client.exchangeCode({ code: 'good-code' });
  await client.refresh('refresh-0');
  assert.ok(logger.lines.length >= 2);
  for (const line of logger.lines) {
    for (const secret of ['access-0', 'refresh-0', 'access-1', 'refresh-1', 'csecret', 'good-code']) {
      assert.ok(!line.includes(secret), `${secret} leaked in ${line}`);
    }
  }
});
