/**
 * The store survives a lost PostgreSQL connection (issue 12, item 3): connections cut while idle do not
 * end the process, a read is tried again on a fresh connection, and a transaction cut before COMMIT runs
 * again from the start and commits once. Real PostgreSQL; the cut is pg_terminate_backend.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { isConnectionLost } from './db.ts';
import { createTestStore, POSTGRES_SKIP_REASON, testDatabaseUrl, type TestStore } from './testing.ts';

const skip = testDatabaseUrl() === undefined ? POSTGRES_SKIP_REASON : false;

describe('[postgres] a lost connection', { skip }, () => {
  let store: TestStore;
  let admin: pg.Client;

  before(async () => {
    store = await createTestStore('postgres');
    admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
  });
  after(async () => {
    await admin?.end();
    await store?.dispose();
  });

  /** Terminates every connection of the store's pool (they all have the store's schema on their search path). */
  async function cutEveryConnection(): Promise<number> {
    const pids = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db);
    const own = pids.rows.map((r) => r.pid);
    const result = await admin.query<{ n: string }>(
      'select count(pg_terminate_backend(pid)) as n from pg_stat_activity where pid = any($1::int[])',
      [own],
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    return Number(result.rows[0]?.n ?? 0);
  }

  test('connections cut while idle: the process lives on and the next read works', async () => {
    const process_ = process as NodeJS.Process;
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => void uncaught.push(error);
    process_.on('uncaughtException', onUncaught);
    try {
      assert.equal(await cutEveryConnection(), 1);
      const result = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      assert.equal(result.rows[0]?.one, 1);
      assert.deepEqual(uncaught, []);
    } finally {
      process_.off('uncaughtException', onUncaught);
    }
  });

  test('a transaction cut before COMMIT runs again and commits once', async () => {
    await sql`create table if not exists blip_log (id text primary key, tries integer not null)`.execute(store.db);
    let runs = 0;
    const tries = await store.db.transaction().execute(async (trx) => {
      runs++;
      await sql`insert into blip_log (id, tries) values ('once', ${runs})`.execute(trx);
      // The backend ends itself: the insert above is rolled back with it.
      if (runs === 1) await sql`select pg_terminate_backend(pg_backend_pid())`.execute(trx);
      return runs;
    });
    assert.equal(tries, 2, 'the transaction ran again after the cut');
    const rows = await sql<{ id: string; tries: number }>`select id, tries from blip_log`.execute(store.db);
    assert.deepEqual(rows.rows, [{ id: 'once', tries: 2 }]);
  });

  test('a statement that is not a read is not repeated outside a transaction', async () => {
    await sql`create table if not exists blip_writes (n integer)`.execute(store.db);
    await assert.rejects(
      sql`insert into blip_writes (n) select 1 from (select pg_terminate_backend(pg_backend_pid())) t`.execute(
        store.db,
      ),
      (error) => isConnectionLost(error),
    );
    // The store is usable again at once.
    const count = await sql<{ n: number }>`select count(*)::int as n from blip_writes`.execute(store.db);
    assert.equal(count.rows[0]?.n, 0);
  });
});
