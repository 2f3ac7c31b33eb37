import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { enqueue } from '../../src/jobs/queue.ts';
import { openStore } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrations/index.ts';
import { organizations } from '../../src/store/repos/index.ts';
import { runTradeloop } from '../support/cli-process.ts';

/** The task names of the jobs `tradeloop jobs list --json` shows: which organization it acted on. */
async function listedTasks(args: string[], env: Record<string, string>): Promise<string[]> {
  const result = await runTradeloop(['jobs', 'list', '--json', ...args], env);
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as { jobs: Array<{ task: string }> }).jobs.map((j) => j.task);
}

test('with two organizations: chosen once with `org use`, overridden by TRADELOOP_ORG and --org, forgotten', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tradeloop-org-'));
  const env = { TRADELOOP_DATA_DIR: dataDir, TRADELOOP_ORG: '' };
  const store = await openStore({ sqliteFile: join(dataDir, 'tradeloop.db') });
  try {
    await migrateToLatest(store);
    const first = await organizations.create(store.db, { name: 'Lakeside Goods' });
    const second = await organizations.create(store.db, { name: 'Harbour Outfitters' });
    await enqueue(store.db, { tenantId: first.id, task: 'test.lakeside', key: 'one' });
    await enqueue(store.db, { tenantId: second.id, task: 'test.harbour', key: 'one' });

    const ambiguous = await runTradeloop(['jobs', 'list'], env);
    assert.equal(ambiguous.code, 2);
    // Both organizations named, in whatever order they were listed (two made in the same millisecond tie).
    assert.match(ambiguous.stderr, /ORG_AMBIGUOUS.*tradeloop org use/);
    assert.match(ambiguous.stderr, /Lakeside Goods/);
    assert.match(ambiguous.stderr, /Harbour Outfitters/);
    assert.equal(ambiguous.stderr.trimEnd().split('\n').length, 1);

    const unknown = await runTradeloop(['org', 'use', 'Nowhere Ltd'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /ORG_NOT_FOUND.*Nowhere Ltd/);
    assert.equal(existsSync(join(dataDir, 'cli-profile.json')), false, 'a refused choice writes nothing');

    const chosen = await runTradeloop(['org', 'use', 'Harbour Outfitters'], env);
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.match(chosen.stdout, /Harbour Outfitters/);
    assert.deepEqual(JSON.parse(readFileSync(join(dataDir, 'cli-profile.json'), 'utf8')), {
      org: { id: second.id, name: 'Harbour Outfitters' },
    });
    assert.deepEqual(await listedTasks([], env), ['test.harbour']);
    const listed = await runTradeloop(['org', 'list', '--json'], env);
    assert.equal(JSON.parse(listed.stdout).current, second.id);

    // The environment wins over the profile, and --org over both.
    assert.deepEqual(await listedTasks([], { ...env, TRADELOOP_ORG: first.id }), ['test.lakeside']);
    assert.deepEqual(await listedTasks(['--org', 'Harbour Outfitters'], { ...env, TRADELOOP_ORG: first.id }), [
      'test.harbour',
    ]);

    const forgotten = await runTradeloop(['org', 'forget'], env);
    assert.equal(forgotten.code, 0, forgotten.stderr);
    assert.equal((await runTradeloop(['jobs', 'list'], env)).code, 2, 'ambiguous again');

    // A damaged profile: one line naming the file and the way out.
    writeFileSync(join(dataDir, 'cli-profile.json'), '{ not json');
    const damaged = await runTradeloop(['jobs', 'list'], env);
    assert.equal(damaged.code, 2);
    assert.match(damaged.stderr, /PROFILE_INVALID.*cli-profile\.json.*tradeloop org forget/);
    assert.equal((await runTradeloop(['org', 'forget'], env)).code, 0);
    assert.equal(existsSync(join(dataDir, 'cli-profile.json')), false);
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
