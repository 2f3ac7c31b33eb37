import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../testing.ts';
import type { TestStore } from '../testing.ts';
import { apiTokens, organizations, secrets, sessions, settings, users } from './index.ts';

async function twoTenants(store: TestStore) {
  const acme = await organizations.create(store.db, { name: 'Acme' });
  const globex = await organizations.create(store.db, { name: 'Globex' });
  const alice = await users.create(store.db, acme.id, {
    email: 'Alice@Acme.test ',
    name: 'Alice',
    passwordHash: 'hash-a',
  });
  const bob = await users.create(store.db, globex.id, {
    email: 'bob@globex.test',
    name: 'Bob',
    passwordHash: 'hash-b',
  });
  return { acme, globex, alice, bob };
}

forEachDialect('repos', (getStore) => {
  test('organizations and users: created, found, and scoped to their tenant', async () => {
    const store = getStore();
    const { acme, globex, alice } = await twoTenants(store);
    assert.equal((await organizations.get(store.db, acme.id))?.name, 'Acme');
    assert.equal((await users.findByEmail(store.db, 'ALICE@acme.test'))?.id, alice.id);
    assert.equal((await users.getById(store.db, acme.id, alice.id))?.passwordHash, 'hash-a');
    assert.equal(await users.getById(store.db, globex.id, alice.id), undefined);
    assert.deepEqual((await organizations.list(store.db)).map((organization) => organization.name).sort(), [
      'Acme',
      'Globex',
    ]);
  });

  test('users: an email belongs to one user only', async () => {
    const store = getStore();
    const { globex } = await twoTenants(store);
    await assert.rejects(
      users.create(store.db, globex.id, { email: 'alice@acme.test', name: 'Other', passwordHash: 'x' }),
    );
  });

  test('sessions: valid until they expire, deleted only by their own tenant', async () => {
    const store = getStore();
    const { acme, globex, alice } = await twoTenants(store);
    const session = await sessions.create(store.db, acme.id, {
      tokenHash: 'token-hash-1',
      userId: alice.id,
      csrfToken: 'csrf',
      expiresAt: 2_000,
      now: 1_000,
    });
    assert.equal((await sessions.findValid(store.db, 'token-hash-1', 1_999))?.userId, alice.id);
    assert.equal(await sessions.findValid(store.db, 'token-hash-1', 2_000), undefined);
    assert.equal(await sessions.delete(store.db, globex.id, session.id), false);
    assert.equal(await sessions.delete(store.db, acme.id, session.id), true);
    assert.equal(await sessions.findValid(store.db, 'token-hash-1', 1_500), undefined);
  });

  test('api tokens: listed per tenant, touched, revoked only by their own tenant', async () => {
    const store = getStore();
    const { acme, globex, alice, bob } = await twoTenants(store);
    const token = await apiTokens.create(store.db, acme.id, {
      userId: alice.id,
      name: 'ci',
      tokenHash: 'th-1',
      prefix: 'tl_ab',
    });
    await apiTokens.create(store.db, globex.id, { userId: bob.id, name: 'other', tokenHash: 'th-2', prefix: 'tl_cd' });
    assert.deepEqual(
      (await apiTokens.list(store.db, acme.id)).map((t) => t.name),
      ['ci'],
    );
    await apiTokens.touch(store.db, acme.id, token.id, 5_000);
    assert.equal((await apiTokens.findByHash(store.db, 'th-1'))?.lastUsedAt, 5_000);
    assert.equal(await apiTokens.revoke(store.db, globex.id, token.id), false);
    assert.equal(await apiTokens.revoke(store.db, acme.id, token.id, 6_000), true);
    assert.equal(await apiTokens.findByHash(store.db, 'th-1'), undefined);
    assert.equal((await apiTokens.list(store.db, acme.id))[0]?.revokedAt, 6_000);
  });

  test('secrets: stored as given, readable and removable only by their tenant', async () => {
    const store = getStore();
    const { acme, globex } = await twoTenants(store);
    const secret = await secrets.put(store.db, acme.id, 'lightspeed-x:oauth', { keyId: 'k1', ciphertext: 'AAAA' });
    assert.equal(await secrets.get(store.db, globex.id, secret.id), undefined);
    assert.equal(await secrets.update(store.db, globex.id, secret.id, { keyId: 'k9', ciphertext: 'ZZZZ' }), false);
    assert.equal(await secrets.update(store.db, acme.id, secret.id, { keyId: 'k2', ciphertext: 'BBBB' }), true);
    const stored = await secrets.get(store.db, acme.id, secret.id);
    assert.equal(stored?.keyId, 'k2');
    assert.equal(stored?.ciphertext, 'BBBB');
    assert.equal(await secrets.delete(store.db, globex.id, secret.id), false);
    assert.equal(await secrets.delete(store.db, acme.id, secret.id), true);
    assert.equal(await secrets.get(store.db, acme.id, secret.id), undefined);
  });

  test('settings: JSON values per tenant, overwritten by set', async () => {
    const store = getStore();
    const { acme, globex } = await twoTenants(store);
    await settings.set(store.db, acme.id, 'defaults', { location: 'main', tax: false });
    await settings.set(store.db, acme.id, 'defaults', { location: 'outlet', tax: true });
    assert.deepEqual(await settings.get(store.db, acme.id, 'defaults'), { location: 'outlet', tax: true });
    assert.equal(await settings.get(store.db, globex.id, 'defaults'), undefined);
  });

  test('a row cannot point at a tenant that does not exist', async () => {
    const store = getStore();
    await assert.rejects(settings.set(store.db, 'no-such-tenant', 'k', 1));
  });
});
