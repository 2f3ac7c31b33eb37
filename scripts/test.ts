// `npm test`: builds the web app if needed (the browser tests load it), then runs every test file with
// node's test runner. Unit tests sit beside their code (src/**/*.test.ts); cross-cutting ones in test/.
// Store and flow tests also run on PostgreSQL when TEST_DATABASE_URL is set (CI sets it).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const webIndex = join(root, 'web', 'dist', 'index.html');

if (!existsSync(webIndex) || process.env['TRADELOOP_REBUILD_WEB'] === '1') {
  console.log('Building the web app for the browser tests…');
  const { build } = await import('vite');
  await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
}

const patterns = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src/**/*.test.ts', 'test/**/*.test.ts'];
console.log(
  process.env['TEST_DATABASE_URL']
    ? 'Store and flow tests run on SQLite and on PostgreSQL (TEST_DATABASE_URL is set).'
    : 'Store and flow tests run on SQLite only; set TEST_DATABASE_URL to include PostgreSQL.',
);
const result = spawnSync(
  process.execPath,
  ['--test', `--test-concurrency=${process.env['TEST_CONCURRENCY'] ?? '3'}`, '--test-timeout=240000', ...patterns],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
