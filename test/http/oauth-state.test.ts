/**
 * Issue 12, item 7: an OAuth state belongs to the session that started the link, not only to its
 * organization. Another session (even of the same user) cannot finish it, and its attempt does not use
 * the state up; the session that started it can.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestStore } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';

test('a POS link started in one session cannot be finished in another', async () => {
  const store = await createTestStore('sqlite');
  try {
    const base = createTestApp(store);
    const t = createTestApp(store, {
      config: {
        ...base.ctx.config,
        providers: {
          ...base.ctx.config.providers,
          // A closed local port: the code exchange fails without leaving the machine.
          lightspeedX: { baseUrl: 'http://127.0.0.1:1', clientId: 'tradeloop-test', clientSecret: 'secret' },
        },
      },
    });
    const user = await t.newTenant('Acme');
    const signIn = async (): Promise<{ cookie: string; csrf: string }> => {
      const reply = await t.call('POST', '/api/auth/login', { body: { email: user.email, password: user.password } });
      assert.equal(reply.status, 200);
      return { cookie: (reply.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrf: reply.body.csrfToken };
    };
    const a = await signIn();
    const b = await signIn();
    const started = await t.call('POST', '/api/connections/pos', {
      body: { system: 'lightspeed-x' },
      headers: { cookie: a.cookie, 'x-csrf-token': a.csrf },
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const state = new URL(started.body.authorizeUrl).searchParams.get('state') ?? '';
    const finish = async (headers: Record<string, string>): Promise<string> => {
      const reply = await t.call('GET', `/api/connections/oauth/callback?state=${state}&code=abc&domain_prefix=acme`, {
        headers,
      });
      assert.equal(reply.status, 302);
      return decodeURIComponent(reply.headers.get('location') ?? '');
    };
    assert.match(await finish({ cookie: b.cookie }), /linking attempt is unknown or was already used/);
    assert.match(
      await finish({ authorization: `Bearer ${user.token}` }),
      /linking attempt is unknown or was already used/,
      'nor an API token of the same user',
    );
    // The session that started it gets past the state (to the code exchange, which fails here: no POS).
    assert.doesNotMatch(await finish({ cookie: a.cookie }), /linking attempt is unknown/);
    assert.match(await finish({ cookie: a.cookie }), /linking attempt is unknown or was already used/, 'used once');
  } finally {
    await store.dispose();
  }
});
