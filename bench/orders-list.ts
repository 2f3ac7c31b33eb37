// Orders list benchmark (issue 18): `GET /api/orders?limit=50` (its handler, listOrders: the page, its total, the
// sync status and timeline of the 50, the brand list) over 100,000 orders with multi-KB documents, on SQLite and on
// PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test, in a schema of its own).
// Prints the p50 and p95 of 40 calls (after 5 warm-up calls) per dialect. Run: node bench/orders-list.ts.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { withConnectors } from '../src/main.ts';
import { Vault } from '../src/secrets/vault.ts';
import { openStore, type Store, type StoreOptions } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrations/index.ts';
import { createOrganizationWithUser } from '../src/http/auth.ts';
import { listOrders } from '../src/http/routes/export-views.ts';
import { ordersQuery } from '../src/http/schemas/orders.ts';
import { connections } from '../src/store/repos/index.ts';
import { figure } from './lib/figures.ts';
import { pgSchema } from './lib/pg.ts';

const ORDERS = Number(process.env['BENCH_ORDERS'] ?? 100_000);

async function seed(store: Store, tenantId: string, connectionId: string): Promise<void> {
  const filler = randomBytes(1500).toString('hex'); // a 3 KB document, as a real order's is
  const brands = ['Northwind Outfitters', 'Blue Harbor', 'Alder & Pine', 'Summit Supply', 'Lumen Goods'];
  const started = Date.now();
  const chunk = 500;
  for (let i = 0; i < ORDERS; i += chunk) {
    const rows = Array.from({ length: Math.min(chunk, ORDERS - i) }, (_, j) => {
      const n = i + j;
      const created = Date.UTC(2024, 0, 1) + n * 60_000;
      return {
        id: randomUUID(),
        tenant_id: tenantId,
        connection_id: connectionId,
        source_id: `src-${n}`,
        order_number: String(100_000 + n),
        status: 'approved',
        brand_name: brands[n % brands.length]!,
        currency: 'USD',
        ship_start: null,
        ship_end: null,
        total_minor: 10_000 + n,
        line_count: 12,
        unit_count: 40,
        content_hash: `h${n}`,
        document: JSON.stringify({ orderNumber: String(100_000 + n), filler }),
        source_created_at: created,
        source_modified_at: created,
        ingested_at: created,
        updated_at: created,
      };
    });
    await store.db.insertInto('wholesale_orders').values(rows).execute();
  }
  console.log(`  seeded ${ORDERS.toLocaleString('en')} orders in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function measure(label: string, options: StoreOptions, cleanup: () => Promise<void>) {
  const store = await openStore(options);
  try {
    await migrateToLatest(store);
    const config = loadConfig({ LOG_LEVEL: 'warn', TRADELOOP_DATA_DIR: mkdtempSync(join(tmpdir(), 'tl-bench-')) });
    const ctx = withConnectors({
      config,
      store,
      logger: createLogger('warn'),
      vault: new Vault(randomBytes(32).toString('base64')),
      now: () => Date.now(),
    });
    const { tenantId } = await createOrganizationWithUser(ctx, {
      organization: 'Bench',
      email: `bench-${Date.now()}@example.test`,
      name: 'Bench',
      password: 'bench-password',
    });
    const { id: connectionId } = await connections.create(store.db, tenantId, {
      system: 'nuorder',
      name: 'Bench brand',
      baseUrl: 'http://127.0.0.1:9',
      externalAccountId: 'bench',
      secretId: null,
    });
    await seed(store, tenantId, connectionId);
    if (store.dialect === 'postgres') await store.db.executeQuery({ sql: 'analyze', parameters: [] } as never);
    const query = ordersQuery.parse({ limit: '50' });
    const times: number[] = [];
    for (let i = 0; i < 45; i++) {
      const started = performance.now();
      const page = await listOrders(ctx, tenantId, query);
      if (i >= 5) times.push(performance.now() - started);
      if (page.orders.length !== 50 || page.total !== ORDERS) throw new Error(`unexpected page: ${page.total}`);
    }
    times.sort((a, b) => a - b);
    const p50 = times[Math.floor(times.length / 2)]!;
    const p95 = times[Math.floor(times.length * 0.95)]!;
    console.log(`  ${label}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${times.length} calls`);
    return p50;
  } finally {
    await store.close();
    await cleanup();
  }
}

console.log(`\nGET /api/orders?limit=50 (listOrders) over ${ORDERS.toLocaleString('en')} orders`);
const dir = mkdtempSync(join(tmpdir(), 'tl-bench-orders-'));
const sqliteP50 = await measure('SQLite', { sqliteFile: join(dir, 'bench.db') }, async () =>
  rmSync(dir, { recursive: true, force: true }),
);
figure({
  id: 'orders-list-100k-sqlite',
  figure: `p50 ${sqliteP50.toFixed(1)} ms`,
  target: 'p50 ≤ 30 ms',
  pass: sqliteP50 <= 30,
});
const onPg = await pgSchema();
const pgP50 = await measure('PostgreSQL', onPg.options, onPg.drop);
figure({
  id: 'orders-list-100k-pg',
  figure: `p50 ${pgP50.toFixed(1)} ms`,
  target: 'p50 ≤ 30 ms',
  pass: pgP50 <= 30,
});
