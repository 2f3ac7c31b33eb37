/**
 * The X-Series contract suite. X-Series has no recorded traffic, so the fixtures come from the vendor's own
 * documents, written in exactly their shapes:
 * - the 2026-07 sales (create, read, list) from the recorded 2026-07 shapes, every variant `fixtureVariants` makes;
 * - every 2.0 reply the connectors read (support/x-cases.ts) from the official 2.0 OpenAPI: the spec's own example
 *   and generated bodies (every property, nullable ones null, only what is required or truly needed, arrays empty);
 * - the documented error bodies, 429 with `Retry-After` included, answered by the simulator.
 * Each is replayed through the connector's own schemas and mappers; a fixture the connector cannot read fails.
 * Plus: the simulator's 2026-07 sales replies have the recorded shape's keys and types, and nothing else.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { z } from 'zod';
import { variantCorrelationKey } from '../../src/core/pos-catalog.ts';
import { startXHarness, type XHarness } from '../../src/connectors/lightspeed-x/harness.test-util.ts';
import { toCatalogEntry } from '../../src/connectors/lightspeed-x/map.ts';
import { productReplySchema } from '../../src/connectors/lightspeed-x/schemas.ts';
import { createdSaleSchema, sale2026PageSchema, toCreatedSale } from '../../src/connectors/lightspeed-x/sales.ts';
import { RemoteAuthLost, RemoteRateLimited, RemoteRejected } from '../../src/connectors/shared/errors.ts';
import { replyExample, replySchema, schemaFixtureVariants } from './support/openapi-fixtures.ts';
import { diffShape, fixtureVariants, formatMismatches, interaction, type Shape } from './support/shapes.ts';
import { xCases } from './support/x-cases.ts';
import { loadXSpec } from './support/x-openapi.ts';

const spec = loadXSpec();
const SALES = 'lightspeed-x-2026-07-sales' as const;
const OUR_ID = '5d4fcfa8-0000-4000-8000-000000000001';

/** Parses with the connector's schema and maps; returns the problems (empty when the connector reads it). */
function replay(schema: z.ZodType, body: unknown, map?: (parsed: any) => unknown): string[] {
  const parsed = schema.safeParse(body);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  try {
    map?.(parsed.data);
    return [];
  } catch (error) {
    return [`the mapper threw: ${error instanceof Error ? error.message : String(error)}`];
  }
}

describe('2026-07 sales, from the recorded shapes', () => {
  const replies: Array<[string, string, z.ZodType]> = [
    ['POST', '/api/2026-07/sales', createdSaleSchema],
    ['GET', '/api/2026-07/sales/{id}', createdSaleSchema],
    ['GET', '/api/2026-07/sales', sale2026PageSchema],
  ];
  for (const [method, path, schema] of replies) {
    test(`${method} ${path}: every variant is read`, () => {
      const variants = fixtureVariants(interaction(SALES, method, path).shape);
      assert.ok(variants.length >= 5);
      for (const v of variants) {
        assert.deepEqual(replay(schema, v.value), [], v.name);
        if (schema === createdSaleSchema) {
          const sale = toCreatedSale(createdSaleSchema.parse(v.value), OUR_ID);
          assert.ok(sale.id.length > 0, `${v.name}: a sale id`);
          assert.ok(sale.state === null || ['parked', 'pending', 'voided', 'closed'].includes(sale.state));
        }
      }
    });
  }

  test('a reply without the id (the spec requires nothing) stands for the id we sent', () => {
    assert.deepEqual(toCreatedSale(createdSaleSchema.parse({ data: { state: 'closed' } }), OUR_ID), {
      id: OUR_ID,
      state: 'closed',
      attributes: null,
    });
    assert.equal(toCreatedSale(createdSaleSchema.parse({}), OUR_ID).id, OUR_ID);
  });
});

describe('2.0 replies, from the official OpenAPI', () => {
  for (const c of xCases) {
    test(`${c.method.toUpperCase()} ${c.path} ${c.status}: ${c.reader}`, () => {
      const bodies: Array<{ name: string; value: unknown }> = [];
      const example = replyExample(spec, c.path, c.method, c.status);
      if (example !== undefined) bodies.push({ name: "the spec's example", value: example });
      for (const d of c.documented ?? []) bodies.push({ name: 'documented reply', value: d });
      if (!c.documented)
        bodies.push(
          ...schemaFixtureVariants(spec, replySchema(spec, c.path, c.method, c.status), {
            needed: c.needed,
            hints: c.hints,
          }),
        );
      const problems = bodies.flatMap((b) => replay(c.schema, b.value, c.map).map((p) => `${b.name}: ${p}`));
      assert.deepEqual(problems, [], problems.join('\n'));
    });
  }

  test('the suite can fail: a product without the version the feed pages by is refused', () => {
    const full = schemaFixtureVariants(spec, replySchema(spec, '/products/{product_id}', 'get', '200'))[0]!;
    const withoutVersion = structuredClone(full.value) as { data: Record<string, unknown> };
    delete withoutVersion.data.version;
    // The reply is unwrapped from `data` before it is read, so the path is the product's own.
    assert.deepEqual(replay(productReplySchema, withoutVersion), [
      'version: Invalid input: expected number, received undefined',
    ]);
  });

  test("taxes: the rate is read from the spec's `rates` (the example's GST is 15 %)", () => {
    const taxes = xCases.find((c) => c.path === '/taxes')!;
    const parsed = taxes.schema.parse(replyExample(spec, '/taxes', 'get', '200')) as { data: unknown[] };
    const mapped = taxes.map!(parsed) as Array<{ name: string; rate: number }>;
    assert.deepEqual(
      mapped.map((t) => [t.name, t.rate]),
      [
        ['No Tax', 0],
        ['GST', 0.15],
        ['VAT', 0.2],
      ],
    );
  });
});

describe('draft markers (F9): a Tradeloop draft is recognised by its SKU', () => {
  const example = replyExample(spec, '/products/{product_id}', 'get', '200') as { data: Record<string, unknown> };
  const product = (fields: Record<string, unknown>) =>
    toCatalogEntry(productReplySchema.parse({ data: { ...example.data, ...fields } }) as never);
  const dropped = { is_active: false, active: false, source_variant_id: null, source_id: null, deleted_at: null };

  test('inactive, marker dropped, SKU = the variant key: still ours, so not archived', () => {
    const sku = variantCorrelationKey('brand-1|ST-1042|Navy|M');
    assert.equal(product({ ...dropped, sku }).archived, false);
    assert.equal(product({ ...dropped, sku: variantCorrelationKey('brand-1|雪|雪|雪') }).archived, false);
  });

  test("an inactive merchant item (the spec example's own SKU) stays archived", () => {
    assert.equal(product(dropped).archived, true);
    assert.equal(product({ ...dropped, sku: 'NAVY-M-1042' }).archived, true);
  });
});

describe('the simulator, against the recorded shapes and the error bodies', () => {
  let h: XHarness;
  before(async () => {
    h = await startXHarness({ scenario: 'small' });
  });
  after(async () => h.close());

  test("the simulator's 2026-07 sales replies have the recorded keys and types, and no others", async () => {
    const product = h.sim.db.products.values().find((p) => p.is_active && p.deleted_at === null)!;
    const user = h.sim.db.users.values()[0]!.id;
    const tax = h.sim.db.taxes.values()[0]!.id;
    const payment = h.sim.db.paymentTypes.values()[0]!.id;
    const body = {
      source: { author_id: user, id: 'NS-SO77', type: 'TRADELOOP_NETSUITE' },
      state: 'pending',
      attributes: ['delivery'],
      note: 'NetSuite SO77',
      line_items: [
        {
          product: { id: product.id },
          quantity: 2,
          pricing: { price: 20 },
          tax: { id: tax, amount: 1.6 },
          attributes: [{ name: 'line_note', value: 'gift wrap' }],
        },
      ],
      payments: [{ amount: 43.2, type: { config_id: payment } }],
    };
    const created = await h.api('/api/2026-07/sales', 'POST', body);
    assert.equal(created.status, 200);
    const createShape = interaction(SALES, 'POST', '/api/2026-07/sales').shape;
    const checks: Array<[string, unknown, Shape]> = [
      ['POST', created.body, createShape],
      [
        'GET one',
        (await h.api(`/api/2026-07/sales/${created.body.data.id}`)).body,
        interaction(SALES, 'GET', '/api/2026-07/sales/{id}').shape,
      ],
      [
        'GET list',
        (await h.api('/api/2026-07/sales?page_size=50')).body,
        interaction(SALES, 'GET', '/api/2026-07/sales').shape,
      ],
      // UpdateSale answers SaleCreateResponse, the create's shape.
      [
        'PUT',
        (await h.api(`/api/2026-07/sales/${created.body.data.id}`, 'PUT', { ...body, state: 'closed' })).body,
        createShape,
      ],
    ];
    for (const [what, reply, shape] of checks) {
      const diff = diffShape(reply, shape);
      assert.deepEqual(diff, [], `${what}:\n${formatMismatches(diff)}`);
    }
  });

  const errorBodies: Array<{ status: number; body: unknown; message: string; source: string }> = [
    { status: 403, body: { error: 'permission denied' }, message: 'permission denied', source: 'reference §6' },
    { status: 404, body: { error: 'Product not found' }, message: 'Product not found', source: 'spec 1 status codes' },
    {
      status: 409,
      body: { error: 'A webhook with this type and URL already exists' },
      message: 'A webhook with this type and URL already exists',
      source: 'reference §6 (webhooks)',
    },
    {
      status: 422,
      body: { error: "update can't be processed", details: { name: ['is required'] } },
      message: "update can't be processed",
      source: 'reference §6 (2.1 product PUT)',
    },
    {
      status: 422,
      body: { errors: [{ message: 'Invalid consignment status' }] },
      message: 'Invalid consignment status',
      source: 'reference §6 (errors[] as the MCP client reads it)',
    },
  ];
  for (const e of errorBodies) {
    test(`a ${e.status} ${JSON.stringify(e.body)} (${e.source}) is a refusal carrying its message`, async () => {
      await h.fault({ kind: 'error', status: e.status, path: '/api/2.0/suppliers', times: 1, body: e.body });
      await assert.rejects(
        h.client.request({ method: 'GET', path: '/api/2.0/suppliers', schema: productReplySchema }),
        (error) => error instanceof RemoteRejected && error.status === e.status && error.vendorMessage === e.message,
      );
    });
  }

  test('401 {"error":"Access token is not valid"}: one refresh, then the connection is reported lost', async () => {
    await h.fault({
      kind: 'error',
      status: 401,
      path: '/api/2.0/outlets',
      times: 5,
      body: { error: 'Access token is not valid' },
    });
    await assert.rejects(h.pos.listLocations(), (error) => error instanceof RemoteAuthLost);
  });

  /** Each 429 case on its own connection: the governor then holds every call until the retry time. */
  async function withFreshStore(fn: (x: XHarness) => Promise<void>): Promise<void> {
    const x = await startXHarness({ scenario: 'small' });
    try {
      await fn(x);
    } finally {
      await x.close();
    }
  }

  test('429 with Retry-After as an HTTP date (the current body): deferred until then, not failed', () =>
    withFreshStore(async (x) => {
      await x.fault({ kind: 'rate_limit', path: '/api/2.0/outlets', times: 1, retryAfterSeconds: 120 });
      const before = Date.now();
      await assert.rejects(x.pos.listLocations(), (error) => {
        assert.ok(error instanceof RemoteRateLimited);
        // An HTTP date has whole seconds: about two minutes from now.
        assert.ok(error.retryAt >= before + 118_000 && error.retryAt <= Date.now() + 121_000, String(error.retryAt));
        return true;
      });
    }));

  test('429 in the older body (its retry-after in the body, no header): deferred, not failed', () =>
    withFreshStore(async (x) => {
      await x.fault({
        kind: 'error',
        status: 429,
        path: '/api/2.0/suppliers',
        times: 1,
        body: {
          error: 'Your access to the API has been rate limited',
          limits: { retailer: '651 > 650 for lakesidegoods' },
          'retry-after': 'Thu, 28 Aug 2016 06:05:00 +0000',
        },
      });
      const before = Date.now();
      // Without a Retry-After header the governor backs off a while (as vend/govend does: 30 s) instead of failing.
      await assert.rejects(x.pos.findSupplier({ name: 'nobody', sourceBrandId: 'nobody' }), (error) => {
        assert.ok(error instanceof RemoteRateLimited);
        assert.ok(error.retryAt > before && error.retryAt <= Date.now() + 300_000, String(error.retryAt));
        return true;
      });
    }));
});
