/**
 * A link the remote refuses leaves nothing behind: no connection, no sealed secret, no linking attempt
 * (issue 12, ASVS basics). Every way of linking: Lightspeed X-/R-Series consent, NuORDER's approval and a
 * pasted token, NetSuite's token-based credentials; and a relink of an unlinked account that is refused
 * leaves that account as it was.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultCredentials } from '../../src/simulators/netsuite/index.ts';
import { connections } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';
import { startSimulators } from '../support/simulators.ts';

forEachDialect('refused links leave nothing', (getStore) => {
  test('X-Series, R-Series, NuORDER (approval and token) and NetSuite: a refusal stores no connection, secret or attempt', async () => {
    const sims = await startSimulators(['nuorder', 'lightspeed-x', 'lightspeed-r', 'netsuite']);
    try {
      const base = createTestApp(getStore());
      const providers = sims.providers;
      const t = createTestApp(getStore(), {
        config: { ...base.ctx.config, providers, publicUrl: 'http://tradeloop.test' },
      });
      const tenant = await t.newTenant('Lakeside Goods');
      const call = (method: string, path: string, body?: unknown) =>
        t.call(method, path, { token: tenant.token, ...(body === undefined ? {} : { body }) });
      const db = t.ctx.store.db;
      const leftovers = async () => ({
        connections: (await connections.list(db, tenant.tenantId, { includeUnlinked: true })).length,
        secrets: (await db.selectFrom('secrets').select('id').where('tenant_id', '=', tenant.tenantId).execute())
          .length,
        attempts: (await db.selectFrom('oauth_states').select('id').where('tenant_id', '=', tenant.tenantId).execute())
          .length,
      });
      const nothing = { connections: 0, secrets: 0, attempts: 0 };

      // Lightspeed: the consent page is answered, then the code is refused (spent, forged) or access denied.
      for (const system of ['lightspeed-x', 'lightspeed-r'] as const) {
        for (const refusal of ['code=not-a-code&domain_prefix=lakesidegoods', 'error=access_denied']) {
          const started = await call('POST', '/api/connections/pos', { system });
          const state = new URL(started.body.authorizeUrl).searchParams.get('state') as string;
          const back = await call('GET', `/api/connections/oauth/callback?state=${state}&${refusal}`);
          assert.match(back.headers.get('location') ?? '', /^\/connections\?error=/, `${system} ${refusal}`);
          assert.deepEqual(await leftovers(), nothing, `${system} ${refusal}`);
        }
      }

      // NuORDER: a consumer NuORDER does not know is refused at the start; nothing waits for approval.
      const consumer = { consumerKey: 'tl-demo-consumer-key', consumerSecret: 'tl-demo-consumer-secret' };
      const unknownConsumer = await call('POST', '/api/connections/nuorder', {
        brandName: 'Northwind Outfitters',
        consumerKey: 'tl-demo-consumer-key',
        consumerSecret: 'not-the-secret',
      });
      assert.ok(unknownConsumer.status >= 400 && unknownConsumer.status < 500, JSON.stringify(unknownConsumer.body));
      assert.deepEqual(await leftovers(), nothing, 'NuORDER start refused');
      // Started, then a verifier NuORDER refuses: the attempt is used up, nothing linked.
      const started = await call('POST', '/api/connections/nuorder', {
        brandName: 'Northwind Outfitters',
        ...consumer,
      });
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const refusedVerifier = await call('POST', '/api/connections/nuorder/verify', {
        linkId: started.body.pending.linkId,
        verifier: 'not-the-verifier',
      });
      assert.ok(refusedVerifier.status >= 400 && refusedVerifier.status < 500, JSON.stringify(refusedVerifier.body));
      assert.deepEqual(await leftovers(), nothing, 'NuORDER verifier refused');
      // A pasted token NuORDER refuses, and one for a store the brand does not sell to.
      const issued = {
        brandName: 'Northwind Outfitters',
        ...consumer,
        token: 'tl-demo-token-northwind-outfitters',
        tokenSecret: 'tl-demo-token-northwind-outfitters-secret',
      };
      assert.equal((await call('POST', '/api/connections/nuorder', { ...issued, tokenSecret: 'wrong' })).status, 400);
      assert.equal(
        (await call('POST', '/api/connections/nuorder', { ...issued, retailerId: 'f'.repeat(24) })).status,
        400,
      );
      assert.deepEqual(await leftovers(), nothing, 'NuORDER token refused');

      // NetSuite: credentials it refuses.
      const ns = await call('POST', '/api/sales-orders/netsuite/link', {
        accountId: '1234567_SB1',
        ...defaultCredentials,
        tokenSecret: 'not-the-secret',
      });
      assert.equal(ns.status, 400, JSON.stringify(ns.body));
      assert.deepEqual(await leftovers(), nothing, 'NetSuite refused');

      // An unlinked account linked again with credentials NuORDER refuses stays unlinked, with no secret.
      const linked = await call('POST', '/api/connections/nuorder', issued);
      assert.equal(linked.status, 201, JSON.stringify(linked.body));
      assert.equal((await call('DELETE', `/api/connections/${linked.body.connection.id}`)).status, 200);
      assert.equal((await call('POST', '/api/connections/nuorder', { ...issued, tokenSecret: 'wrong' })).status, 400);
      const [kept] = await connections.list(db, tenant.tenantId, { includeUnlinked: true });
      assert.equal(kept?.status, 'unlinked');
      assert.equal(kept?.secretId, null);
      assert.deepEqual(await leftovers(), { connections: 1, secrets: 0, attempts: 0 });
    } finally {
      await sims.close();
    }
  });
});
