import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createHttpClient, type HttpClientOptions } from './http.ts';
import {
  RemoteAuthLost,
  RemoteContractBroken,
  RemoteRateLimited,
  RemoteRejected,
  RemoteUnavailable,
} from './errors.ts';
import { json, memoryLogger, startTestServer, type TestServer } from './test-server.ts';
import { withLogContext } from '../../observability/context.ts';

const servers: TestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(handler: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const s = await startTestServer(handler);
  servers.push(s);
  return s;
}

const anything = z.unknown();
const fast = { attempts: 3, baseMs: 5, capMs: 20 };

function client(server: TestServer, extra: Partial<HttpClientOptions> = {}) {
  return createHttpClient({ baseUrl: server.url, name: 'testvendor', timeoutMs: 2_000, retry: fast, ...extra });
}

test('a GET is retried on 5xx and succeeds', async () => {
  let n = 0;
  const server = await serve((_req, res) => {
    n += 1;
    if (n < 3) json(res, 503, { message: 'busy' });
    else json(res, 200, { ok: true });
  });
  const data = await client(server).request({ method: 'GET', path: '/things', schema: z.object({ ok: z.boolean() }) });
  assert.deepEqual(data, { ok: true });
  assert.equal(server.requests.length, 3);
});

test('a GET that keeps failing throws RemoteUnavailable after the attempts', async () => {
  const server = await serve((_req, res) => json(res, 500, { message: 'down' }));
  await assert.rejects(client(server).request({ method: 'GET', path: '/x', schema: anything }), (e: unknown) => {
    assert.ok(e instanceof RemoteUnavailable);
    assert.equal(e.status, 500);
    assert.equal(e.retryable, true);
    return true;
  });
  assert.equal(server.requests.length, 3);
});

test('a POST is NOT retried on 5xx: RemoteUnavailable, state unknown', async () => {
  const server = await serve((_req, res) => json(res, 502, { message: 'bad gateway' }));
  await assert.rejects(
    client(server).request({ method: 'POST', path: '/orders', body: { a: 1 }, schema: anything }),
    (e: unknown) => {
      assert.ok(e instanceof RemoteUnavailable);
      assert.equal(e.remoteState, 'unknown');
      assert.equal(e.code, 'REMOTE_UNAVAILABLE');
      assert.equal(e.method, 'POST');
      return true;
    },
  );
  assert.equal(server.requests.length, 1);
  assert.equal(server.requests[0]?.headers['content-type'], 'application/json');
  assert.equal(server.requests[0]?.body, '{"a":1}');
});

test('a write marked idempotent (PUT upsert by external id) may be retried', async () => {
  let n = 0;
  const server = await serve((_req, res) => (++n === 1 ? json(res, 500, {}) : json(res, 200, {})));
  await client(server).request({ method: 'PUT', path: '/eid:1', body: {}, schema: anything, idempotent: true });
  assert.equal(server.requests.length, 2);
});

test('timeouts: a GET is retried then gives up; a POST times out once', async () => {
  const server = await serve(() => {
    /* never answers */
  });
  const c = client(server, { timeoutMs: 100, retry: { attempts: 2, baseMs: 1, capMs: 1 } });
  const started = Date.now();
  await assert.rejects(c.request({ method: 'GET', path: '/slow', schema: anything }), (e: unknown) => {
    assert.ok(e instanceof RemoteUnavailable);
    assert.equal(e.reason, 'timeout');
    return true;
  });
  assert.ok(Date.now() - started >= 200);
  assert.equal(server.requests.length, 2);
  await assert.rejects(c.request({ method: 'POST', path: '/slow', body: {}, schema: anything }), RemoteUnavailable);
  assert.equal(server.requests.length, 3);
});

test('connection refused is RemoteUnavailable (network)', async () => {
  const c = createHttpClient({
    baseUrl: 'http://127.0.0.1:1',
    name: 'v',
    timeoutMs: 500,
    retry: { attempts: 1, baseMs: 1, capMs: 1 },
  });
  await assert.rejects(c.request({ method: 'GET', path: '/', schema: anything }), (e: unknown) => {
    assert.ok(e instanceof RemoteUnavailable);
    assert.equal(e.reason, 'network');
    return true;
  });
});

test('429 with a short Retry-After waits and retries inside the call (without using an attempt)', async () => {
  let n = 0;
  const server = await serve((_req, res) => {
    n += 1;
    if (n <= 2) json(res, 429, { error: 'Too Many Requests' }, { 'retry-after': '0.2' });
    else json(res, 200, { ok: 1 });
  });
  const started = Date.now();
  await client(server, { retry: { attempts: 1, baseMs: 1, capMs: 1 } }).request({
    method: 'POST',
    path: '/x',
    body: {},
    schema: anything,
  });
  assert.equal(server.requests.length, 3);
  assert.ok(Date.now() - started >= 400);
});

test('429 with a long Retry-After (HTTP date) defers: RemoteRateLimited with retryAt', async () => {
  const later = new Date(Math.ceil((Date.now() + 120_000) / 1000) * 1000);
  const server = await serve((_req, res) =>
    json(res, 429, { error: 'Too Many Requests' }, { 'retry-after': later.toUTCString() }),
  );
  await assert.rejects(
    client(server, { kind: 'pos' }).request({ method: 'GET', path: '/x', schema: anything }),
    (e: unknown) => {
      assert.ok(e instanceof RemoteRateLimited);
      assert.equal(e.retryAt, later.getTime());
      assert.equal(e.code, 'POS_RATE_LIMITED');
      assert.equal(e.retryable, true);
      return true;
    },
  );
  assert.equal(server.requests.length, 1);
});

test('a reply that fails its schema names the field path', async () => {
  const server = await serve((_req, res) => json(res, 200, { items: [{ qty: 1 }, { qty: 'two' }] }));
  const schema = z.object({ items: z.array(z.object({ qty: z.number() })) });
  await assert.rejects(client(server).request({ method: 'GET', path: '/items', schema }), (e: unknown) => {
    assert.ok(e instanceof RemoteContractBroken);
    assert.equal(e.fieldPath, 'items[1].qty');
    assert.equal(e.vendor, 'testvendor');
    assert.equal(e.retryable, false);
    assert.match(e.message, /testvendor GET \/items .* items\[1\]\.qty/);
    return true;
  });
});

test('a 200 that is not JSON is a contract break of the body', async () => {
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>oops</html>');
  });
  await assert.rejects(client(server).request({ method: 'GET', path: '/', schema: anything }), (e: unknown) => {
    assert.ok(e instanceof RemoteContractBroken);
    assert.equal(e.fieldPath, '(body)');
    return true;
  });
});

test('4xx is RemoteRejected with the status and the vendor message (both R-Series and OAuth shapes)', async () => {
  const server = await serve((req, res) => {
    if (req.path === '/a')
      json(res, 400, {
        httpCode: '400',
        httpMessage: 'Bad Request',
        message: 'name cannot be blank.',
        errorClass: 'Exception',
      });
    else if (req.path === '/b') json(res, 422, { error: 'invalid_request', error_description: 'missing code' });
    else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not here');
    }
  });
  const c = client(server);
  await assert.rejects(c.request({ method: 'POST', path: '/a', body: {}, schema: anything }), (e: unknown) => {
    assert.ok(e instanceof RemoteRejected);
    assert.equal(e.status, 400);
    assert.equal(e.vendorMessage, 'name cannot be blank.');
    return true;
  });
  await assert.rejects(c.request({ method: 'POST', path: '/b', body: {}, schema: anything }), (e: unknown) => {
    assert.ok(e instanceof RemoteRejected);
    assert.equal(e.vendorMessage, 'missing code');
    assert.equal(e.vendorCode, 'invalid_request');
    return true;
  });
  await assert.rejects(c.request({ method: 'GET', path: '/c', schema: anything }), (e: unknown) => {
    assert.ok(e instanceof RemoteRejected);
    assert.equal(e.vendorMessage, 'not here');
    return true;
  });
  assert.equal(server.requests.length, 3, 'no retries on 4xx');
});

test('401: a refresh through onUnauthorized; a 401 after it, one more fresh refresh; then RemoteAuthLost', async () => {
  let valid = 'token-1';
  const server = await serve((req, res) => {
    if (req.headers.authorization === `Bearer ${valid}`) json(res, 200, { ok: true });
    else json(res, 401, { error: 'access_denied', hint: 'Access token could not be verified' });
  });
  let issued = 0;
  let current = 'token-0';
  let refreshes = 0;
  const c = client(server, {
    authorize: () => ({ authorization: `Bearer ${current}` }),
    onUnauthorized: async () => {
      refreshes += 1;
      current = `token-${++issued}`;
      return true;
    },
  });
  assert.deepEqual(await c.request({ method: 'GET', path: '/me', schema: anything }), { ok: true });
  assert.equal(refreshes, 1);

  // The freshly refreshed token is refused once (another process rotated it meanwhile, say): one more refresh.
  valid = 'token-3';
  assert.deepEqual(await c.request({ method: 'GET', path: '/me', schema: anything }), { ok: true });
  assert.equal(refreshes, 3);
  assert.equal(server.requests.length, 5);

  valid = 'token-never'; // no refresh can help any more
  await assert.rejects(c.request({ method: 'GET', path: '/me', schema: anything }), (e: unknown) => {
    assert.ok(e instanceof RemoteAuthLost);
    assert.equal(e.code, 'CONNECTION_NEEDS_RELINK');
    assert.equal(e.retryable, false);
    return true;
  });
  assert.equal(refreshes, 5, 'two refreshes, then the credentials count as lost');
});

test('logs carry method, path, status and ms, never tokens, Authorization headers or query strings', async () => {
  const secret = 'sekret-access-token-123';
  const server = await serve((req, res) => {
    if (req.path === '/fail') json(res, 500, {});
    else json(res, 200, { ok: true });
  });
  const logger = memoryLogger();
  const c = client(server, {
    logger,
    authorize: () => ({ authorization: `Bearer ${secret}` }),
    retry: { attempts: 1, baseMs: 1, capMs: 1 },
  });
  await c.request({ method: 'GET', path: '/ok', query: { code: secret }, schema: anything });
  const failure = await c
    .request({ method: 'POST', path: '/fail', body: {}, schema: anything })
    .catch((e: unknown) => e);
  assert.equal(server.requests[0]?.headers.authorization, `Bearer ${secret}`);
  assert.ok(logger.lines.length >= 2);
  const line = JSON.parse(logger.lines[0] ?? '{}') as Record<string, unknown>;
  assert.equal(line.method, 'GET');
  assert.equal(line.path, '/ok');
  assert.equal(line.status, 200);
  assert.equal(typeof line.ms, 'number');
  for (const l of logger.lines) {
    assert.ok(!l.includes(secret), `no token in ${l}`);
    assert.ok(!/authorization/i.test(l));
  }
  assert.ok(!JSON.stringify(failure).includes(secret));
  assert.ok(!String((failure as Error).message).includes(secret));
});

test('query parameters and absolute next URLs', async () => {
  const server = await serve((req, res) => json(res, 200, { url: req.url }));
  const c = client(server);
  const a = await c.request({
    method: 'GET',
    path: '/list',
    query: { a: 1, b: ['x', 'y'], c: undefined },
    schema: z.object({ url: z.string() }),
  });
  assert.equal(a.url, '/list?a=1&b=x&b=y');
  const b = await c.request({
    method: 'GET',
    path: `${server.url}/next?after=abc`,
    schema: z.object({ url: z.string() }),
  });
  assert.equal(b.url, '/next?after=abc');
});

test('a link to another host (a next-page URL a reply chose) is not followed, and no credentials go there', async () => {
  const elsewhere = await serve((_req, res) => json(res, 200, { ok: true }));
  const home = await serve((_req, res) => json(res, 200, { ok: true }));
  const authorized = client(home, { authorize: () => ({ authorization: 'Bearer secret-token' }) });
  await assert.rejects(
    authorized.request({
      method: 'GET',
      path: `${elsewhere.url}/API/V3/Account/1/Item.json?offset=100`,
      schema: anything,
    }),
    (error: unknown) => error instanceof RemoteContractBroken && /another host/.test(error.message),
  );
  assert.equal(elsewhere.requests.length, 0, 'nothing was sent to the other host');
  // The same vendor's own absolute links are followed.
  await authorized.request({
    method: 'GET',
    path: `${home.url}/API/V3/Account/1/Item.json?offset=100`,
    schema: anything,
  });
  assert.equal(home.requests[0]?.headers.authorization, 'Bearer secret-token');
});

test('a call inside a log context sends its correlation id and logs host and path without the query', async () => {
  const server = await serve((_req, res) => json(res, 200, { ok: true }));
  const logger = memoryLogger();
  await withLogContext({ correlationId: 'req-42' }, () =>
    client(server, { logger }).request({
      method: 'GET',
      path: '/things',
      query: { code: 'secret-code' },
      schema: anything,
    }),
  );
  await client(server).request({ method: 'GET', path: '/outside', schema: anything });
  assert.equal(server.requests[0]?.headers['x-correlation-id'], 'req-42');
  assert.equal(server.requests[1]?.headers['x-correlation-id'], undefined, 'none outside a context');
  const [line] = logger.lines.map((l) => JSON.parse(l));
  assert.equal(line.host, new URL(server.url).host);
  assert.equal(line.path, '/things');
  assert.ok(!logger.lines.join('').includes('secret-code'), 'the query stays out of the log');
});
