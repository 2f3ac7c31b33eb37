import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { isUniqueViolation } from '../errors.ts';
import { exports } from '../repos/index.ts';
import { forEachDialect, type TestStore } from '../testing.ts';
import { migrateToLatest } from './index.ts';

/** The store as it was before migration 0006: its indexes, columns and record gone, then it runs again. */
async function before0006(store: TestStore): Promise<Kysely<any>> {
  const db = store.db as unknown as Kysely<any>;
  await db.schema.dropIndex('connections_account_uq').execute();
  await db.schema.dropIndex('exports_account_once_uq').execute();
  await db.schema.alterTable('exports').dropColumn('pos_account').execute();
  await db.schema.alterTable('exports').dropColumn('source_order').execute();
  await sql`delete from tradeloop_migrations where name = '0006_export_once_by_account'`.execute(db);
  return db;
}

const at = 1_700_000_000_000;

async function connection(db: Kysely<any>, id: string, system: string, account: string, status: string, t: number) {
  await db
    .insertInto('connections')
    .values({
      id,
      tenant_id: 'org',
      system,
      name: id,
      status,
      base_url: 'http://pos.test',
      external_account_id: account,
      secret_id: status === 'unlinked' ? null : `secret-${id}`,
      settings: '{}',
      catalog_cursor: null,
      last_sync_at: null,
      last_error: null,
      rate_headroom: null,
      created_at: t,
      updated_at: t,
    })
    .execute();
  if (status !== 'unlinked')
    await db
      .insertInto('secrets')
      .values({
        id: `secret-${id}`,
        tenant_id: 'org',
        purpose: 'x',
        key_id: 'k',
        ciphertext: 'c',
        created_at: t,
        updated_at: t,
      })
      .execute();
}

async function order(db: Kysely<any>, id: string, connectionId: string, sourceId: string) {
  await db
    .insertInto('wholesale_orders')
    .values({
      id,
      tenant_id: 'org',
      connection_id: connectionId,
      source_id: sourceId,
      order_number: '3100046',
      status: 'approved',
      brand_name: 'Northwind',
      currency: 'USD',
      ship_start: null,
      ship_end: null,
      total_minor: 0,
      line_count: 0,
      unit_count: 0,
      content_hash: 'h',
      document: '{}',
      source_created_at: at,
      source_modified_at: at,
      ingested_at: at,
      updated_at: at,
    })
    .execute();
}

async function plan(db: Kysely<any>, id: string, connectionId: string) {
  await db
    .insertInto('export_plans')
    .values({
      id,
      tenant_id: 'org',
      connection_id: connectionId,
      location_id: 'loc',
      order_ids: '[]',
      state: 'applied',
      overrides: '[]',
      plan: '{}',
      fingerprint: 'f',
      created_by: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
}

async function exported(db: Kysely<any>, id: string, orderId: string, connectionId: string, po: string, t: number) {
  await db
    .insertInto('exports')
    .values({
      id,
      tenant_id: 'org',
      order_id: orderId,
      connection_id: connectionId,
      plan_id: `plan-${connectionId}`,
      state: 'exported',
      job_id: null,
      po_id: po,
      po_number: po,
      po_url: null,
      failure_code: null,
      failure_message: null,
      failure_retryable: null,
      summary: null,
      started_at: t,
      finished_at: t,
      updated_at: t,
    })
    .execute();
}

const link = (connectionId: string, variantKey: string, posItemId: string) => ({
  tenant_id: 'org',
  connection_id: connectionId,
  variant_key: variantKey,
  pos_item_id: posItemId,
  source: 'export',
  created_at: at,
  updated_at: at,
});

forEachDialect('migration 0006: export once by POS account', (getStore) => {
  test('an account relinked before it: one connection, its exports, plans and links on it; the twice-exported order counts once', async () => {
    const store = getStore();
    const db = await before0006(store);
    await db.insertInto('organizations').values({ id: 'org', name: 'Lakeside', created_at: at }).execute();
    // R-Series 83050 linked, unlinked, linked again (a second row); NuORDER brand relinked the same way.
    await connection(db, 'nuo-old', 'nuorder', 'northwind', 'unlinked', at);
    await connection(db, 'nuo-new', 'nuorder', 'northwind', 'linked', at + 10);
    await connection(db, 'pos-old', 'lightspeed-r', '83050', 'unlinked', at + 1);
    await connection(db, 'pos-new', 'lightspeed-r', '83050', 'linked', at + 20);
    await connection(db, 'pos-other', 'lightspeed-r', '99999', 'linked', at);
    // The order, ingested under each NuORDER row (the relink re-ingested it).
    await order(db, 'order-a', 'nuo-old', 'src-a');
    await order(db, 'order-a2', 'nuo-new', 'src-a');
    await order(db, 'order-b', 'nuo-old', 'src-b');
    for (const c of ['pos-old', 'pos-new', 'pos-other']) await plan(db, `plan-${c}`, c);
    // PO 4 through the old row, PO 5 for the same order through the new one (the audit's double export).
    await exported(db, 'exp-1', 'order-a', 'pos-old', '4', at + 2);
    await exported(db, 'exp-2', 'order-a2', 'pos-new', '5', at + 30);
    await exported(db, 'exp-3', 'order-b', 'pos-old', '6', at + 3);
    await exported(db, 'exp-4', 'order-b', 'pos-other', '7', at + 4);
    await db
      .insertInto('item_links')
      .values([
        link('pos-old', 'nw|1|navy|s', '11'),
        link('pos-old', 'nw|1|navy|m', '12'),
        link('pos-new', 'nw|1|navy|m', '22'),
      ])
      .execute();

    assert.deepEqual(await migrateToLatest(store), ['0006_export_once_by_account']);

    const rows = await db
      .selectFrom('connections')
      .select(['id', 'status', 'external_account_id', 'secret_id'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.id, r.status, r.external_account_id, r.secret_id]),
      [
        ['nuo-new', 'linked', 'northwind', 'secret-nuo-new'],
        ['nuo-old', 'unlinked', 'northwind#replaced-by:nuo-new', null],
        ['pos-new', 'linked', '83050', 'secret-pos-new'],
        ['pos-old', 'unlinked', '83050#replaced-by:pos-new', null],
        ['pos-other', 'linked', '99999', 'secret-pos-other'],
      ],
    );
    const after = await db
      .selectFrom('exports')
      .select(['id', 'connection_id', 'pos_account', 'source_order'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      after.map((r) => [r.id, r.connection_id, r.pos_account, r.source_order]),
      [
        ['exp-1', 'pos-new', 'lightspeed-r:83050', 'nuorder:src-a'],
        ['exp-2', 'pos-new', 'lightspeed-r:83050', 'nuorder:src-a#duplicate:exp-2'],
        ['exp-3', 'pos-new', 'lightspeed-r:83050', 'nuorder:src-b'],
        ['exp-4', 'pos-other', 'lightspeed-r:99999', 'nuorder:src-b'],
      ],
    );
    const plans = await db.selectFrom('export_plans').select(['id', 'connection_id']).orderBy('id').execute();
    assert.deepEqual(
      plans.map((p) => p.connection_id),
      ['pos-new', 'pos-new', 'pos-other'],
    );
    const links = await db
      .selectFrom('item_links')
      .select(['connection_id', 'variant_key', 'pos_item_id'])
      .orderBy('variant_key')
      .execute();
    assert.deepEqual(
      links.map((l) => [l.connection_id, l.variant_key, l.pos_item_id]),
      [
        ['pos-new', 'nw|1|navy|m', '22'],
        ['pos-new', 'nw|1|navy|s', '11'],
      ],
    );

    // The first export counts, through either order row: the re-ingested copy cannot be exported again.
    const found = await exports.onAccount(store.db, 'org', 'pos-new', ['order-a2']);
    assert.deepEqual(
      found.map((e) => [e.id, e.poNumber, e.forOrderId]),
      [['exp-1', '4', 'order-a2']],
    );
    await assert.rejects(
      store.db
        .transaction()
        .execute((trx) => exports.insertInProgress(trx, 'org', 'plan-pos-new', 'pos-new', ['order-a2'])),
      isUniqueViolation,
    );
    // And one row per account from now on.
    await assert.rejects(connection(db, 'pos-third', 'lightspeed-r', '83050', 'linked', at + 40), isUniqueViolation);
  });
});
