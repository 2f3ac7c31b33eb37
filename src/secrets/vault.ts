import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../core/errors.ts';

/**
 * Encrypts external credentials at rest with AES-256-GCM. Every ciphertext names the key that made it
 * (the key id is a short hash of the key), so keys can rotate: new writes use the current key, and
 * older keys stay readable while they are listed as previous keys.
 *
 * Sealed format: `v1.<keyId>.<base64 iv>.<base64 tag>.<base64 ciphertext>`.
 */
export class Vault {
  readonly #current: { id: string; key: Buffer };
  readonly #byId: Map<string, Buffer>;

  constructor(currentKeyBase64: string, previousKeysBase64: string[] = []) {
    const keys = [currentKeyBase64, ...previousKeysBase64].map(decodeKey);
    this.#byId = new Map(keys.map((key) => [keyId(key), key]));
    const current = keys[0] as Buffer;
    this.#current = { id: keyId(current), key: current };
  }

  /** Ciphertexts opened by this vault: what the token cache saves is observable (credentials.ts, its test). */
  opened = 0;

  get currentKeyId(): string {
    return this.#current.id;
  }

  seal(plaintext: string, associatedData = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      'v1',
      this.#current.id,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      ciphertext.toString('base64'),
    ].join('.');
  }

  open(sealed: string, associatedData = ''): string {
    this.opened++;
    const [version, id, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !id || !iv || !tag || ciphertext === undefined) {
      throw new AppError('VAULT_CORRUPT', 'A stored credential is not in the vault format');
    }
    const key = this.#byId.get(id);
    if (!key) {
      throw new AppError(
        'VAULT_KEY_MISSING',
        `A stored credential was sealed with key ${id}, which is not configured (TRADELOOP_PREVIOUS_SECRET_KEYS)`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(associatedData));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new AppError('VAULT_CORRUPT', 'A stored credential failed its integrity check', { cause });
    }
  }

  sealJson(value: unknown, associatedData = ''): string {
    return this.seal(JSON.stringify(value), associatedData);
  }

  openJson<T>(sealed: string, associatedData = ''): T {
    return JSON.parse(this.open(sealed, associatedData)) as T;
  }

  /** True when the value was sealed with an older key and should be re-sealed. */
  needsRotation(sealed: string): boolean {
    return sealed.split('.')[1] !== this.#current.id;
  }
}

function decodeKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new AppError('VAULT_KEY_INVALID', 'A secret key must be 32 bytes encoded in base64');
  return key;
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** The configured key, or one generated on first start into the data directory, readable only by its owner. */
export function loadOrCreateSecretKey(configured: string | undefined, keyFile: string): string {
  if (configured) return configured;
  if (existsSync(keyFile)) return readFileSync(keyFile, 'utf8').trim();
  mkdirSync(dirname(keyFile), { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  return key;
}
