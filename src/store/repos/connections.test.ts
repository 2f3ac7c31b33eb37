import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../testing.ts';
import { connections, organizations } from './index.ts';

forEachDialect('connections: one per external account', (getStore) => {
  test('two links of one account at once get one row; an unlinked row is found again, another organization has its own', async () => {
    const store = getStore();
    const org = await organizations.create(store.db, { name: 'Lakeside' });
    const other = await organizations.create(store.db, { name: 'Lakeside (second account)' });
    const account = { system: 'netsuite' as const, name: 'NetSuite', baseUrl: 'http://ns.test', secretId: null };
    const rows = await Promise.all(
      Array.from({ length: 4 }, () =>
        connections.findOrCreate(store.db, org.id, { ...account, externalAccountId: '1234567_SB1' }),
      ),
    );
    assert.equal(new Set(rows.map((r) => r.id)).size, 1, 'one row');
    await connections.update(store.db, org.id, rows[0]!.id, { status: 'unlinked' });
    assert.equal(
      (await connections.findByAccount(store.db, org.id, 'netsuite', '1234567_SB1'))?.id,
      rows[0]!.id,
      'an unlinked row is what linking again revives',
    );
    const theirs = await connections.findOrCreate(store.db, other.id, { ...account, externalAccountId: '1234567_SB1' });
    assert.notEqual(theirs.id, rows[0]!.id);
    await assert.rejects(connections.create(store.db, org.id, { ...account, externalAccountId: '1234567_SB1' }));
  });
});
