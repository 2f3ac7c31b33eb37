import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';
import { startSim } from '../support/engine.ts';

/** Plays the person on a Lightspeed consent page: submits the page's form with "Allow", returns where it redirects. */
async function allowAt(authorizeUrl: string, formPath: string): Promise<URL> {
  const url = new URL(authorizeUrl);
  const body = new URLSearchParams(url.searchParams);
  body.set('decision', 'allow');
  const response = await fetch(`${url.origin}${formPath}`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(response.status, 302, await response.text());
  return new URL(response.headers.get('location') as string);
}

forEachDialect('linking accounts', (getStore) => {
  test('X-Series and R-Series link through their consent pages; NuORDER through its approval; unlink keeps history, drops credentials', async () => {
    const [nuorder, x, r] = await Promise.all([
      startSim('nuorder'),
      startSim('lightspeed-x'),
      startSim('lightspeed-r'),
    ]);
    try {
      const base = createTestApp(getStore());
      const providers = {
        nuorder: { baseUrl: nuorder.url },
        lightspeedX: { baseUrl: x.url, clientId: 'tradeloop-dev', clientSecret: 'tradeloop-dev-secret' },
        lightspeedR: { baseUrl: r.url, clientId: 'tradeloop-sim-client', clientSecret: 'tradeloop-sim-secret' },
        netsuite: { baseUrl: null },
      };
      const t = createTestApp(getStore(), {
        config: { ...base.ctx.config, providers, publicUrl: 'http://tradeloop.test' },
      });
      const tenant = await t.newTenant('Linking Co');
      const call = (method: string, path: string, body?: unknown) =>
        t.call(method, path, { token: tenant.token, ...(body === undefined ? {} : { body }) });

      // X-Series: consent page → redirect back with code and domain prefix → our callback.
      const startX = await call('POST', '/api/connections/pos', { system: 'lightspeed-x', name: 'Main store' });
      assert.equal(startX.status, 201, JSON.stringify(startX.body));
      assert.ok(startX.body.authorizeUrl.startsWith(`${x.url}/connect?`));
      const backX = await allowAt(startX.body.authorizeUrl, '/connect');
      assert.equal(backX.origin + backX.pathname, 'http://tradeloop.test/api/connections/oauth/callback');
      const doneX = await call('GET', `${backX.pathname}${backX.search}`);
      assert.equal(doneX.status, 302);
      assert.match(doneX.headers.get('location') ?? '', /^\/connections\?linked=/);
      const replay = await call('GET', `${backX.pathname}${backX.search}`);
      assert.match(replay.headers.get('location') ?? '', /^\/connections\?error=/, 'a state is used once');

      // R-Series: the same, at its own authorize page.
      const startR = await call('POST', '/api/connections/pos', { system: 'lightspeed-r' });
      const backR = await allowAt(startR.body.authorizeUrl, '/auth/oauth/authorize');
      const doneR = await call('GET', `${backR.pathname}${backR.search}`);
      assert.match(doneR.headers.get('location') ?? '', /^\/connections\?linked=/);

      // NuORDER: request token → a person approves the application → verifier back to our callback.
      const startN = await call('POST', '/api/connections/nuorder', {
        brandName: 'Northwind Outfitters',
        consumerKey: 'tl-demo-consumer-key',
        consumerSecret: 'tl-demo-consumer-secret',
      });
      assert.equal(startN.status, 201, JSON.stringify(startN.body));
      const requestToken = new URL(startN.body.authorizeUrl).searchParams.get('oauth_token') as string;
      const approved = await nuorder.control('POST', '/_sim/oauth/approve', { oauth_token: requestToken });
      const doneN = await call(
        'GET',
        `/api/connections/nuorder/callback?oauth_token=${requestToken}&oauth_verifier=${approved.oauth_verifier}`,
      );
      assert.match(doneN.headers.get('location') ?? '', /^\/connections\?linked=/, doneN.headers.get('location') ?? '');

      const listed = await call('GET', '/api/connections');
      const bySystem = Object.fromEntries((listed.body.connections as any[]).map((c) => [c.system, c]));
      assert.equal(bySystem['lightspeed-x'].status, 'linked');
      assert.equal(bySystem['lightspeed-x'].syncMode, 'automatic', 'X-Series syncs POs automatically by default');
      assert.equal(bySystem['lightspeed-r'].syncMode, 'manual', 'R-Series exports manually by default');
      assert.equal(bySystem['nuorder'].brandName, 'Northwind Outfitters');
      assert.doesNotMatch(
        JSON.stringify(listed.body),
        /access_token|refresh|tl-demo-consumer-secret/i,
        'no credential is ever shown',
      );

      // Another tenant sees none of it and cannot finish someone else's link.
      const other = await t.newTenant('Other Co');
      const theirs = await t.call('GET', '/api/connections', { token: other.token });
      assert.deepEqual(theirs.body.connections, []);

      // Unlink: credentials destroyed, the connection kept as history.
      const xId = bySystem['lightspeed-x'].id as string;
      const secretId = (
        await t.ctx.store.db
          .selectFrom('connections')
          .select('secret_id')
          .where('id', '=', xId)
          .executeTakeFirstOrThrow()
      ).secret_id;
      const unlinked = await call('DELETE', `/api/connections/${xId}`);
      assert.equal(unlinked.status, 200);
      const row = await t.ctx.store.db
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', xId)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'unlinked');
      assert.equal(row.secret_id, null);
      assert.equal(
        await t.ctx.store.db
          .selectFrom('secrets')
          .select('id')
          .where('id', '=', secretId as string)
          .executeTakeFirst(),
        undefined,
      );
      assert.equal((await call('DELETE', `/api/connections/${xId}`)).status, 404);

      // A link the provider declined says so, and stores nothing.
      const declined = await call('POST', '/api/connections/pos', { system: 'lightspeed-x' });
      const state = new URL(declined.body.authorizeUrl).searchParams.get('state');
      const refused = await call(
        'GET',
        `/api/connections/oauth/callback?state=${state}&error=access_denied&error_description=The+user+denied+access`,
      );
      assert.match(decodeURIComponent(refused.headers.get('location') ?? ''), /did not grant access/);
    } finally {
      await Promise.all([nuorder.server.close(), x.server.close(), r.server.close()]);
    }
  });
});
