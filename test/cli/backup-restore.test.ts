/**
 * Issue 12, acceptance 8: `tradeloop backup` of a live SQLite store, then `tradeloop restore` into a new
 * data directory, gives the same orders, exports and item links. Also what the commands refuse: a
 * restore over a database without --replace, a restore under a running process, a backup on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { requestApply } from '../../src/flows/apply-export.ts';
import { createPlan } from '../../src/flows/plan-export.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { lockSqliteFile } from '../../src/store/dialects/sqlite-lock.ts';
import { migrateToLatest } from '../../src/store/migrations/index.ts';
import { runTradeloop } from '../support/cli-process.ts';
import { startEngine } from '../support/engine.ts';

/** What must survive: every order, export and item link, as rows. */
async function contents(
  store: Store,
): Promise<{ orders: unknown[]; exports: unknown[]; links: unknown[]; connections: unknown[] }> {
  return {
    orders: await store.db
      .selectFrom('wholesale_orders')
      .select(['id', 'tenant_id', 'source_id', 'order_number', 'content_hash'])
      .orderBy('id')
      .execute(),
    exports: await store.db
      .selectFrom('exports')
      .select(['id', 'order_id', 'connection_id', 'state', 'po_id', 'po_number'])
      .orderBy('id')
      .execute(),
    links: await store.db.selectFrom('item_links').selectAll().orderBy(['connection_id', 'variant_key']).execute(),
    connections: await store.db.selectFrom('connections').select(['id', 'system', 'status']).orderBy('id').execute(),
  };
}

test('backup of a live store, restore into a new data directory: the same orders, exports and links', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tradeloop-backup-'));
  const oldDir = join(root, 'old');
  const newDir = join(root, 'new');
  const backupFile = join(root, 'backups', 'tradeloop-2026-12-05.db');
  const secretKey = randomBytes(32).toString('base64');
  const store = await openStore({ sqliteFile: join(oldDir, 'tradeloop.db') });
  await migrateToLatest(store);
  const e = await startEngine(store, 'lightspeed-x', { brands: 1, secretKey });
  try {
    await e.drain();
    const location = (await (await e.ctx.connectors.pointOfSale(e.posConnection)).listLocations())[0];
    assert.ok(location);
    const orders = await store.db.selectFrom('wholesale_orders').select('id').execute();
    let exported = 0;
    for (const order of orders) {
      const plan = await createPlan(e.ctx, e.tenantId, {
        connectionId: e.posConnection.id,
        locationId: location.id,
        orderIds: [order.id],
      });
      if (!plan.plan.canApply) continue;
      await requestApply(e.ctx, e.tenantId, plan.id);
      await e.drain();
      exported++;
    }
    const before = await contents(store);
    assert.ok(exported >= 1 && before.exports.length === exported, 'some orders were exported');
    assert.ok(before.links.length > 0, 'the exports left item links');
    assert.ok(before.exports.every((x) => (x as { state: string }).state === 'exported'));

    // Online: the store stays open (and written) in this process meanwhile.
    const backedUp = await runTradeloop(['backup', backupFile], {
      TRADELOOP_DATA_DIR: oldDir,
      TRADELOOP_SECRET_KEY: secretKey,
    });
    assert.equal(backedUp.code, 0, backedUp.stderr);
    assert.match(
      backedUp.stdout,
      new RegExp(`${before.orders.length} orders, ${exported} exports, ${before.links.length} item links`),
    );
    assert.match(backedUp.stdout, /secret key .*not in the backup/);
    const again = await runTradeloop(['backup', backupFile], { TRADELOOP_DATA_DIR: oldDir });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists; choose a new file name/);

    const restored = await runTradeloop(['restore', backupFile], {
      TRADELOOP_DATA_DIR: newDir,
      TRADELOOP_SECRET_KEY: secretKey,
    });
    assert.equal(restored.code, 0, restored.stderr);
    const copy = await openStore({ sqliteFile: join(newDir, 'tradeloop.db') });
    try {
      assert.deepEqual(await contents(copy), before);
    } finally {
      await copy.close();
    }

    // Over an existing database: only with --replace, and never under a running process.
    const over = await runTradeloop(['restore', backupFile], { TRADELOOP_DATA_DIR: newDir });
    assert.equal(over.code, 2);
    assert.match(over.stderr, /already a database at .*--replace/);
    const lock = lockSqliteFile(join(newDir, 'tradeloop.db'), 'start');
    try {
      const underServer = await runTradeloop(['restore', backupFile, '--replace'], { TRADELOOP_DATA_DIR: newDir });
      assert.equal(underServer.code, 1);
      assert.match(
        underServer.stderr,
        new RegExp(`^Another Tradeloop process \\(pid ${process.pid}, \`tradeloop start\``),
      );
    } finally {
      lock.release();
    }
    const replaced = await runTradeloop(['restore', backupFile, '--replace'], { TRADELOOP_DATA_DIR: newDir });
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.match(replaced.stdout, /kept as .*tradeloop\.db\.before-restore-/);

    writeFileSync(join(root, 'notes.txt'), 'not a database '.repeat(500));
    const notABackup = await runTradeloop(['restore', join(root, 'notes.txt')], {
      TRADELOOP_DATA_DIR: join(root, 'x'),
    });
    assert.equal(notABackup.code, 2);
    assert.match(notABackup.stderr, /is not a Tradeloop SQLite backup/);
    const onPostgres = await runTradeloop(['backup', join(root, 'pg.dump')], {
      DATABASE_URL: 'postgres://tradeloop@127.0.0.1:1/tradeloop',
    });
    assert.equal(onPostgres.code, 2);
    assert.match(onPostgres.stderr, /pg_dump --format=custom/);
  } finally {
    await e.close();
    await store.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('users create: the password from standard input, never an argument; the email must be an address', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tradeloop-users-'));
  try {
    const onCommandLine = await runTradeloop(
      ['users', 'create', '--email', 'a@shop.example', '--password', 'lantern-orbit-cactus'],
      {
        TRADELOOP_DATA_DIR: dataDir,
      },
    );
    assert.equal(onCommandLine.code, 2);
    assert.match(onCommandLine.stderr, /not taken as an argument.*--password-stdin/);
    const badEmail = await runTradeloop(
      ['users', 'create', '--email', 'x', '--password-stdin'],
      { TRADELOOP_DATA_DIR: dataDir },
      { stdin: 'lantern-orbit-cactus\n' },
    );
    assert.equal(badEmail.code, 2);
    assert.match(badEmail.stderr, /--email <email>' argument 'x' is invalid. It is not an email address/);
    const weak = await runTradeloop(
      ['users', 'create', '--email', 'a@shop.example', '--password-stdin'],
      { TRADELOOP_DATA_DIR: dataDir },
      { stdin: '12345678\n' },
    );
    assert.equal(weak.code, 2);
    assert.match(weak.stderr, /PASSWORD_TOO_SHORT.*at least 12 characters/);
    const common = await runTradeloop(
      ['users', 'create', '--email', 'a@shop.example', '--password-stdin'],
      { TRADELOOP_DATA_DIR: dataDir },
      { stdin: 'password1234\n' },
    );
    assert.match(common.stderr, /PASSWORD_TOO_COMMON/);
    const noTerminal = await runTradeloop(['users', 'create', '--email', 'a@shop.example'], {
      TRADELOOP_DATA_DIR: dataDir,
    });
    assert.equal(noTerminal.code, 2);
    assert.match(noTerminal.stderr, /--password-stdin/);
    const created = await runTradeloop(
      ['users', 'create', '--email', 'a@shop.example', '--password-stdin'],
      { TRADELOOP_DATA_DIR: dataDir },
      { stdin: 'lantern-orbit-cactus\n' },
    );
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Created organization .* and user a@shop\.example/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
