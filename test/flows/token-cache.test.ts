/**
 * Issue 18: POS tokens are cached decrypted in memory per process with their expiry, so a POS call costs no
 * store read and no decryption; a refresh replaces the cached tokens and a relink drops them. Counted through the
 * vault's `opened` (every decryption), over the X-Series simulator on real HTTP, both dialects.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storePosConnection } from '../../src/flows/link-account.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { startEngine } from '../support/engine.ts';
import { SIMULATOR_APPS } from '../support/simulators.ts';

forEachDialect('POS tokens cached decrypted per process', (getStore) => {
  test('20 POS calls decrypt the tokens once (40 without the cache); a relink reads them again, a refresh keeps them in memory', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      const vault = e.ctx.vault;
      const pos = await e.ctx.connectors.pointOfSale(e.posConnection);
      const before = vault.opened;
      for (let i = 0; i < 20; i++) assert.ok((await pos.listLocations()).length > 0);
      assert.equal(vault.opened - before, 1, 'one decryption for 20 calls (without the cache: one or more per call)');

      // Tokens about to expire are refreshed under the lock (the store read again there), then served from memory.
      const minted = await e.pos.control('POST', '/_sim/tokens', { client_id: SIMULATOR_APPS.lightspeedX.clientId });
      const relink = {
        system: 'lightspeed-x',
        name: e.posConnection.name,
        baseUrl: e.posConnection.baseUrl,
        accountId: e.posConnection.externalAccountId,
        tokenUrl: String(e.posConnection.settings['tokenUrl']),
        tokens: {
          accessToken: minted.access_token,
          refreshToken: minted.refresh_token,
          // Within the token manager's 60 s skew: the next call refreshes first.
          expiresAt: Date.now() + 30_000,
        },
      };
      await storePosConnection(e.ctx, e.tenantId, relink);
      const relinked = vault.opened;
      assert.ok((await pos.listLocations()).length > 0);
      // Read again (the relink dropped the cached tokens), and once more under the refresh lock.
      assert.equal(vault.opened - relinked, 2, 'the relinked tokens are read, then refreshed');
      const refreshed = vault.opened;
      for (let i = 0; i < 10; i++) assert.ok((await pos.listLocations()).length > 0);
      assert.equal(vault.opened - refreshed, 0, 'the refreshed tokens are served from memory');
    } finally {
      await e.close();
    }
  });
});
