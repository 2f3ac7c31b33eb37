/**
 * Issue 12, acceptance 2: no field of a request chooses where the server connects. A listener on loopback
 * stands for any host a signed-in user might point the server at (an internal service, a port to scan); it
 * must receive nothing while every link route is called with URL fields naming it. The server reaches the
 * external systems where the operator configured them (here the simulators), and only there.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { test } from 'node:test';
import { defaultCredentials } from '../../src/simulators/netsuite/index.ts';
import { connections } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';
import { startSimulators } from '../support/simulators.ts';

/** A TCP listener that counts every connection made to it (an HTTP client, a port probe, anything). */
async function tripwire(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((socket) => {
    hits++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/internal`,
    hits: () => hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

forEachDialect('no request forgery', (getStore) => {
  test('URL fields in link requests are refused or ignored: the listener they name receives nothing', async () => {
    const wire = await tripwire();
    const sims = await startSimulators(['nuorder', 'lightspeed-x', 'lightspeed-r', 'netsuite']);
    const [nuorder, x, r, netsuite] = sims.running;
    try {
      const base = createTestApp(getStore());
      const providers = sims.providers;
      const t = createTestApp(getStore(), {
        config: { ...base.ctx.config, providers, publicUrl: 'http://tradeloop.test' },
      });
      const tenant = await t.newTenant('Lakeside Goods');
      const call = (method: string, path: string, body?: unknown) =>
        t.call(method, path, { token: tenant.token, ...(body === undefined ? {} : { body }) });
      const forged = {
        baseUrl: wire.url,
        apiBaseUrl: wire.url,
        authBaseUrl: wire.url,
        tokenUrl: wire.url,
        url: wire.url,
      };

      // NetSuite: a baseUrl is refused by name, before anything is sent or stored.
      const netsuiteLink = { accountId: '1234567_SB1', ...defaultCredentials };
      for (const field of Object.keys(forged)) {
        const refused = await call('POST', '/api/sales-orders/netsuite/link', {
          ...netsuiteLink,
          [field]: wire.url,
        });
        assert.equal(refused.status, 400, JSON.stringify(refused.body));
        assert.match(refused.body.error.message, new RegExp(`not accepted: ${field}`));
        assert.doesNotMatch(JSON.stringify(refused.body), /internal|127\.0\.0\.1/, 'the listener is not echoed');
      }
      assert.deepEqual(await connections.list(t.ctx.store.db, tenant.tenantId), [], 'nothing stored');
      // Without it, the configured NetSuite is linked.
      const linked = await call('POST', '/api/sales-orders/netsuite/link', netsuiteLink);
      assert.equal(linked.status, 201, JSON.stringify(linked.body));
      assert.equal(linked.body.baseUrl, netsuite.url);

      // NuORDER: a pasted token, and the start of an approval, go to the configured NuORDER.
      const nuorderLink = {
        brandName: 'Northwind Outfitters',
        consumerKey: 'tl-demo-consumer-key',
        consumerSecret: 'tl-demo-consumer-secret',
        ...forged,
      };
      const started = await call('POST', '/api/connections/nuorder', nuorderLink);
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const pasted = await call('POST', '/api/connections/nuorder', {
        ...nuorderLink,
        token: 'tl-demo-token-northwind-outfitters',
        tokenSecret: 'tl-demo-token-northwind-outfitters-secret',
      });
      assert.equal(pasted.status, 201, JSON.stringify(pasted.body));

      // Lightspeed: the consent page is the configured one; a callback naming a host as the store is refused.
      for (const system of ['lightspeed-x', 'lightspeed-r'] as const) {
        const pos = await call('POST', '/api/connections/pos', { system, ...forged });
        assert.equal(pos.status, 201, JSON.stringify(pos.body));
        assert.equal(new URL(pos.body.authorizeUrl).origin, (system === 'lightspeed-x' ? x : r).url);
      }
      const xStart = await call('POST', '/api/connections/pos', { system: 'lightspeed-x' });
      const state = new URL(xStart.body.authorizeUrl).searchParams.get('state') as string;
      const host = new URL(wire.url).host;
      const callback = await call(
        'GET',
        `/api/connections/oauth/callback?state=${state}&code=abc&domain_prefix=${encodeURIComponent(host)}`,
      );
      assert.match(decodeURIComponent(callback.headers.get('location') ?? ''), /is not an X-Series domain prefix/);

      // Changing a connection cannot point it anywhere either.
      const nuorderId = pasted.body.connection.id as string;
      const patched = await call('PATCH', `/api/connections/${nuorderId}`, { name: 'Northwind', ...forged });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      const stored = await connections.get(t.ctx.store.db, tenant.tenantId, nuorderId);
      assert.equal(stored?.baseUrl, nuorder.url);

      assert.equal(wire.hits(), 0, 'the server never connected to the host a request named');
    } finally {
      await Promise.all([wire.close(), sims.close()]);
    }
  });
});
