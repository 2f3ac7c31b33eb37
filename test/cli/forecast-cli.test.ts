import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrations/index.ts';
import { startEngine } from '../support/engine.ts';

const root = join(import.meta.dirname, '..', '..');

function tradeloop(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'src', 'cli', 'main.ts'), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

test('tradeloop forecast <brand>: the counts of GET /api/brands/:id/forecast, the CSV one row per problem, an unknown brand named', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tradeloop-forecast-'));
  const secretKey = randomBytes(32).toString('base64');
  const store = await openStore({ sqliteFile: join(dataDir, 'tradeloop.db') });
  await migrateToLatest(store);
  const e = await startEngine(store, 'lightspeed-x', { brands: 1, secretKey });
  try {
    await e.drain();
    const env = {
      TRADELOOP_DATA_DIR: dataDir,
      TRADELOOP_SECRET_KEY: secretKey,
      LOG_LEVEL: 'warn',
      NUORDER_BASE_URL: e.nuorder.url,
      LIGHTSPEED_X_BASE_URL: e.pos.url,
      LIGHTSPEED_X_CLIENT_ID: 'tradeloop-dev',
      LIGHTSPEED_X_CLIENT_SECRET: 'tradeloop-dev-secret',
    };
    const brands = (await e.app.call('GET', '/api/brands', { token: e.token })).body.brands as Array<{
      id: string;
      name: string;
    }>;
    const brand = brands[0]!;
    const rest = (await e.app.call('GET', `/api/brands/${brand.id}/forecast`, { token: e.token })).body;

    const csvFile = join(dataDir, 'problems.csv');
    const run = await tradeloop(['forecast', brand.name, '--csv', csvFile], env);
    assert.equal(run.code, 0, run.stderr);
    const c = rest.counts;
    assert.match(run.stdout, new RegExp(`${c.sizes} sizes`));
    assert.match(run.stdout, new RegExp(`${c.matched} sizes match an item you sell, ${c.newItems} would be new`));
    assert.match(run.stdout, new RegExp(`${c.needsReview} need review`));
    assert.match(run.stdout, /It took 1 NuORDER call\(s\)/);
    const lines = readFileSync(csvFile, 'utf8').trimEnd().split('\r\n');
    assert.equal(lines[0], 'brand,style,color,size,upc,problem,what it means');
    assert.equal(lines.length - 1, rest.problems.length);

    const json = await tradeloop(['forecast', brand.id, '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout).counts, c);

    const unknown = await tradeloop(['forecast', 'No Such Brand'], env);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, new RegExp(`No brand "No Such Brand"; the brands are: ${brand.name}`));
  } finally {
    await e.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
