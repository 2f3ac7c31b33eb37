import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enqueue } from '../../src/jobs/queue.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';

forEachDialect('HTTP API: auth, isolation, errors', (getStore) => {
  test('every non-public route refuses a request without a session or token (401)', async () => {
    const t = createTestApp(getStore());
    const guarded = t.router.routes().filter((r) => r.access === 'user');
    assert.ok(guarded.length >= 8, `expected the API's routes to be registered, found ${guarded.length}`);
    for (const route of guarded) {
      const path = route.path.replace(/:[A-Za-z_]\w*/g, 'some-id');
      const method = route.method.toUpperCase();
      const response = await t.call(method, path, method === 'GET' ? {} : { body: {} });
      assert.equal(response.status, 401, `${route.method.toUpperCase()} ${route.path} answered ${response.status}`);
      assert.equal(response.body.error.code, 'AUTH_REQUIRED');
    }
    const forged = await t.call('GET', '/api/jobs', { token: 'tlt_not-a-real-token' });
    assert.equal(forged.status, 401);
  });

  test("a user of one organization gets 404 for another organization's job, and never sees it listed", async () => {
    const t = createTestApp(getStore());
    const alice = await t.newTenant('Alice Outfitters');
    const bob = await t.newTenant('Bob Boards');
    const { job } = await enqueue(t.ctx.store.db, { tenantId: alice.tenantId, task: 'demo.noop', payload: { n: 1 } });

    const own = await t.call('GET', `/api/jobs/${job.id}`, { token: alice.token });
    assert.equal(own.status, 200);
    assert.equal(own.body.id, job.id);

    for (const [method, path] of [
      ['GET', `/api/jobs/${job.id}`],
      ['POST', `/api/jobs/${job.id}/cancel`],
      ['POST', `/api/jobs/${job.id}/retry`],
    ] as const) {
      const response = await t.call(method, path, { token: bob.token });
      assert.equal(response.status, 404, `${method} ${path} as another tenant answered ${response.status}`);
    }
    const bobsList = await t.call('GET', '/api/jobs', { token: bob.token });
    assert.deepEqual(bobsList.body.jobs, []);
    const stillQueued = await t.call('GET', `/api/jobs/${job.id}`, { token: alice.token });
    assert.equal(stillQueued.body.state, 'queued', "another tenant's cancel changed nothing");
  });

  test('sessions: wrong password is refused, the cookie is HttpOnly, writes need the CSRF header', async () => {
    const t = createTestApp(getStore());
    const user = await t.newTenant('Carol Cycles');
    const wrong = await t.call('POST', '/api/auth/login', { body: { email: user.email, password: 'not it at all' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, 'LOGIN_FAILED');

    const login = await t.call('POST', '/api/auth/login', { body: { email: user.email, password: user.password } });
    assert.equal(login.status, 200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /tl_session=/);
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Lax/i);
    const cookie = setCookie.split(';')[0] as string;

    const me = await t.call('GET', '/api/auth/me', { headers: { cookie } });
    assert.equal(me.body.user.email, user.email);
    const withoutCsrf = await t.call('POST', '/api/tokens', { headers: { cookie }, body: { name: 'x' } });
    assert.equal(withoutCsrf.status, 403);
    assert.equal(withoutCsrf.body.error.code, 'CSRF_TOKEN_INVALID');
    const withCsrf = await t.call('POST', '/api/tokens', {
      headers: { cookie, 'x-csrf-token': me.body.csrfToken },
      body: { name: 'script' },
    });
    assert.equal(withCsrf.status, 201);
    assert.match(withCsrf.body.token, /^tlt_/);

    const listed = await t.call('GET', '/api/tokens', { headers: { cookie } });
    assert.equal(
      JSON.stringify(listed.body).includes(withCsrf.body.token),
      false,
      'a token value is never shown again',
    );

    await t.call('POST', '/api/auth/logout', { headers: { cookie, 'x-csrf-token': me.body.csrfToken } });
    const afterLogout = await t.call('GET', '/api/auth/me', { headers: { cookie } });
    assert.equal(afterLogout.status, 401);
  });

  test('bad input gets a 400 naming the field and changes nothing; unknown routes are 404 JSON', async () => {
    const t = createTestApp(getStore());
    const user = await t.newTenant('Dana Denim');
    const before = await t.call('GET', '/api/tokens', { token: user.token });

    const missing = await t.call('POST', '/api/tokens', { token: user.token, body: { name: '' } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'INVALID_INPUT');
    assert.equal(missing.body.error.details[0].path, 'name');

    const malformed = await t.call('POST', '/api/tokens', {
      token: user.token,
      rawBody: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 'INVALID_JSON');

    const badQuery = await t.call('GET', '/api/jobs?state=exploded', { token: user.token });
    assert.equal(badQuery.status, 400);
    assert.equal(badQuery.body.error.details[0].path, 'state');

    const after = await t.call('GET', '/api/tokens', { token: user.token });
    assert.deepEqual(
      after.body.tokens.map((x: { id: string }) => x.id),
      before.body.tokens.map((x: { id: string }) => x.id),
    );

    const unknown = await t.call('GET', '/api/no-such-thing', { token: user.token });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'NOT_FOUND');
    assert.doesNotMatch(JSON.stringify(unknown.body), /at .*\.ts:\d+/, 'no stack trace');
  });

  test('/health and /ready answer without auth; the OpenAPI document lists every route', async () => {
    const t = createTestApp(getStore());
    assert.equal((await t.call('GET', '/health')).status, 200);
    const ready = await t.call('GET', '/ready');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'ready');

    const doc = await t.call('GET', '/api/openapi.json');
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, '3.1.0');
    for (const route of t.router.routes()) {
      const path = route.path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
      assert.ok(doc.body.paths[path]?.[route.method], `OpenAPI is missing ${route.method} ${path}`);
    }
    assert.equal(doc.body.paths['/api/tokens'].post.requestBody.content['application/json'].schema.required[0], 'name');
  });
});
