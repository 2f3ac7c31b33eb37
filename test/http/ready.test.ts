/**
 * Issue 12, items 3 and 8: /ready tells the truth about the store. It answers 503 while the database
 * is unreachable and 200 again once it is back (PostgreSQL behind a TCP proxy that the test cuts), and
 * 503 while reads work but writes fail (a read-only database, a full disk); a write request then gets a
 * clear 503, not a 500.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrations/index.ts';
import { createTestStore, POSTGRES_SKIP_REASON, testDatabaseUrl } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';

const databaseUrl = testDatabaseUrl();

test('[sqlite] a store that refuses writes: /ready 503, a write 503 STORE_UNAVAILABLE, then ready again', async () => {
  const store = await createTestStore('sqlite');
  try {
    const t = createTestApp(store);
    const tenant = await t.newTenant('Acme');
    assert.equal((await t.call('GET', '/ready')).status, 200);
    // The one SQLite connection turns read-only: reads work, every write fails.
    await sql`PRAGMA query_only = 1`.execute(store.db);
    const ready = await t.call('GET', '/ready');
    assert.equal(ready.status, 503);
    assert.match(ready.body.reason, /refuses writes/);
    const write = await t.call('POST', '/api/tokens', { token: tenant.token, body: { name: 'ci' } });
    assert.equal(write.status, 503);
    assert.equal(write.body.error.code, 'STORE_UNAVAILABLE');
    assert.equal(write.headers.get('retry-after'), '5');
    await sql`PRAGMA query_only = 0`.execute(store.db);
    assert.equal((await t.call('GET', '/ready')).status, 200);
  } finally {
    await store.dispose();
  }
});

test('[sqlite] a full disk: /ready 503 until space is freed', async (t) => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'tradeloop-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tradeloop-full', mountPoint], { stdio: 'pipe' });
  } catch {
    rmSync(mountPoint, { recursive: true, force: true });
    t.skip('cannot mount a small file system here (needs root)');
    return;
  }
  const store = await openStore({ sqliteFile: join(mountPoint, 'data', 'tradeloop.db') });
  try {
    await migrateToLatest(store);
    const app = createTestApp(store);
    assert.equal((await app.call('GET', '/ready')).status, 200);
    // Fill the disk to the last byte.
    const filler = join(mountPoint, 'filler');
    const fd = openSync(filler, 'w');
    const block = Buffer.alloc(1024 * 1024);
    try {
      for (;;) writeSync(fd, block);
    } catch (error) {
      assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
    } finally {
      closeSync(fd);
    }
    const full = await app.call('GET', '/ready');
    assert.equal(full.status, 503);
    assert.match(full.body.reason, /disk full|refuses writes/);
    rmSync(filler);
    assert.equal((await app.call('GET', '/ready')).status, 200, 'ready again once space is freed');
  } finally {
    await store.close();
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  }
});

/** A TCP proxy to PostgreSQL that the test can cut (close every connection, refuse new ones) and restore. */
async function startProxy(
  target: URL,
): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = async (): Promise<void> => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  };
  const stop = async (): Promise<void> => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  };
  await listen();
  return { port, cut: stop, restore: listen, close: stop };
}

test(
  '[postgres] /ready reports a database outage and recovers; a read-only database is not ready',
  { skip: databaseUrl === undefined ? POSTGRES_SKIP_REASON : false, timeout: 60_000 },
  async () => {
    const url = new URL(databaseUrl as string);
    const schema = `test_${crypto.randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`create schema "${schema}"`);
    const proxy = await startProxy(url);
    const stores: Store[] = [];
    try {
      const viaProxy = new URL(url);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      const store = await openStore({ databaseUrl: viaProxy.toString(), pgSchema: schema, poolSize: 3 });
      stores.push(store);
      await migrateToLatest(store);
      const t = createTestApp(store);
      assert.equal((await t.call('GET', '/ready')).status, 200);

      await proxy.cut();
      const down = await t.call('GET', '/ready');
      assert.equal(down.status, 503);
      assert.equal(down.body.reason, 'database unreachable');

      await proxy.restore();
      assert.equal((await t.call('GET', '/ready')).status, 200, 'ready again once the database is back');

      // Reads work, writes do not: a database in read-only mode (a standby, or disk-full protection).
      const readOnly = new URL(url);
      readOnly.searchParams.set('options', '-c default_transaction_read_only=on');
      const roStore = await openStore({ databaseUrl: readOnly.toString(), pgSchema: schema, poolSize: 2 });
      stores.push(roStore);
      const ro = await createTestApp(roStore).call('GET', '/ready');
      assert.equal(ro.status, 503);
      assert.match(ro.body.reason, /refuses writes/);
    } finally {
      for (const s of stores) await s.close();
      await proxy.close();
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    }
  },
);
