import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { secrets } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';

const plaintext = { accessToken: 'lsx-access-PLAINTEXT-7f3a', refreshToken: 'lsx-refresh-PLAINTEXT-91bc' };

forEachDialect('credentials at rest', (getStore, dialect) => {
  test('a stored credential appears nowhere in the database in plaintext', async () => {
    const store = getStore();
    const t = createTestApp(store);
    const tenant = await t.newTenant('Eve Eyewear');
    const sealed = t.ctx.vault.sealJson(plaintext, 'credential');
    const stored = await secrets.put(store.db, tenant.tenantId, 'pos-connection', {
      keyId: t.ctx.vault.currentKeyId,
      ciphertext: sealed,
    });

    // Every row of every table, as text.
    const tables = ['organizations', 'users', 'sessions', 'api_tokens', 'secrets', 'jobs', 'settings'];
    let everything = '';
    for (const table of tables) {
      const rows = await sql`select * from ${sql.table(table)}`.execute(store.db);
      everything += JSON.stringify(rows.rows);
    }
    assert.ok(everything.includes(stored.id), 'the dump includes the secret row');
    for (const secret of Object.values(plaintext))
      assert.equal(everything.includes(secret), false, `${secret} stored in plaintext`);
    assert.equal(everything.includes(tenant.password), false, 'a password is stored only hashed');
    assert.equal(everything.includes(tenant.token), false, 'an API token is stored only hashed');

    if (dialect === 'sqlite') {
      // The raw file and its WAL, byte for byte.
      const file = store.options.sqliteFile as string;
      const dir = dirname(file);
      const bytes = readdirSync(dir)
        .map((name) => readFileSync(join(dir, name)).toString('latin1'))
        .join('');
      assert.ok(bytes.length > 0);
      for (const secret of Object.values(plaintext))
        assert.equal(bytes.includes(secret), false, `${secret} in the SQLite file`);
    }

    const read = await secrets.get(store.db, tenant.tenantId, stored.id);
    assert.deepEqual(t.ctx.vault.openJson(read?.ciphertext as string, 'credential'), plaintext);
  });
});
