import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AppError } from '../core/errors.ts';
import { Vault, loadOrCreateSecretKey } from './vault.ts';

const newKey = (): string => randomBytes(32).toString('base64');

test('seals and opens a value; the sealed form carries the key id and not the plaintext', () => {
  const vault = new Vault(newKey());
  const sealed = vault.seal('refresh-token-123', 'connection:abc');
  assert.doesNotMatch(sealed, /refresh-token-123/);
  assert.equal(sealed.split('.')[1], vault.currentKeyId);
  assert.equal(vault.open(sealed, 'connection:abc'), 'refresh-token-123');
});

test('a tampered ciphertext, or one opened for another record, fails its integrity check', () => {
  const vault = new Vault(newKey());
  const sealed = vault.seal('secret', 'connection:abc');
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[4] as string, 'base64');
  bytes[0] = (bytes[0] as number) ^ 1;
  parts[4] = bytes.toString('base64');
  assert.throws(
    () => vault.open(parts.join('.'), 'connection:abc'),
    (e: unknown) => e instanceof AppError && e.code === 'VAULT_CORRUPT',
  );
  assert.throws(
    () => vault.open(sealed, 'connection:other'),
    (e: unknown) => e instanceof AppError && e.code === 'VAULT_CORRUPT',
  );
});

test('keys rotate: values sealed with a previous key stay readable and are flagged for re-sealing', () => {
  const oldKey = newKey();
  const sealedWithOld = new Vault(oldKey).sealJson({ token: 't1' });
  const rotated = new Vault(newKey(), [oldKey]);
  assert.deepEqual(rotated.openJson(sealedWithOld), { token: 't1' });
  assert.equal(rotated.needsRotation(sealedWithOld), true);
  assert.equal(rotated.needsRotation(rotated.seal('x')), false);
  const withoutOld = new Vault(newKey());
  assert.throws(
    () => withoutOld.open(sealedWithOld),
    (e: unknown) => e instanceof AppError && e.code === 'VAULT_KEY_MISSING',
  );
});

test('a generated key is written once, readable only by its owner, and reused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradeloop-key-'));
  const file = join(dir, 'secret.key');
  const first = loadOrCreateSecretKey(undefined, file);
  assert.equal(Buffer.from(first, 'base64').length, 32);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(loadOrCreateSecretKey(undefined, file), first);
  assert.equal(readFileSync(file, 'utf8').trim(), first);
  assert.equal(loadOrCreateSecretKey('configured', file), 'configured');
});
