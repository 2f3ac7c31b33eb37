import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults: SQLite file under data/, port 3000', () => {
  const config = loadConfig({});
  assert.equal(config.databaseUrl, undefined);
  assert.match(config.sqliteFile, /data\/tradeloop\.db$/);
  assert.equal(config.port, 3000);
  assert.equal(config.publicUrl, 'http://127.0.0.1:3000');
});

test('a wrong value stops start-up with a message naming the variable and what is allowed', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'eighty' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ TRADELOOP_SECRET_KEY: 'short' }, /TRADELOOP_SECRET_KEY: must be 32 random bytes in base64/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => loadConfig(env),
      (e: unknown) => e instanceof ConfigError && message.test(e.message),
      JSON.stringify(env),
    );
  }
  assert.throws(
    () => loadConfig({ TRADELOOP_SECRET_KEY: 'short' }),
    (e: unknown) => e instanceof ConfigError && !e.message.includes('short'),
    'a secret is never echoed back',
  );
});

test('a config file supplies settings and the environment wins over it', async () => {
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const file = join(mkdtempSync(join(tmpdir(), 'tl-config-')), 'config.json');
  writeFileSync(file, JSON.stringify({ PORT: 4321, LOG_LEVEL: 'debug' }));
  const config = loadConfig({ TRADELOOP_CONFIG_FILE: file, LOG_LEVEL: 'warn' });
  assert.equal(config.port, 4321);
  assert.equal(config.logLevel, 'warn');
  assert.throws(() => loadConfig({ TRADELOOP_CONFIG_FILE: '/nope/missing.json' }), /TRADELOOP_CONFIG_FILE/);
});
