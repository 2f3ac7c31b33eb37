/**
 * The R-Series connector reads every reply real R-Series sent (recorded-shapes/lightspeed-r.json): each
 * recorded shape the connector reads is turned into synthetic fixtures in every variant it allows (optional keys
 * present and absent, one record and several, each alternative of a union, empty arrays), as recorded and widened
 * by the rules the recordings prove (support/r-series.ts), and replayed through the connector's schemas, its
 * client (with the recorded and documented rate-limit headers) and its PointOfSale mappers. A fixture the
 * connector cannot read fails here, naming the variant and the field.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { z } from 'zod';
import { fetchAccounts } from '../../src/connectors/lightspeed-r/link.ts';
import {
  attributeSetSchema,
  itemMatrixSchema,
  itemSchema,
  listEnvelope,
  orderLineSchema,
  orderSchema,
  shopSchema,
  singleEnvelope,
  vendorSchema,
} from '../../src/connectors/lightspeed-r/schemas.ts';
import { RemoteRejected } from '../../src/connectors/shared/errors.ts';
import { element, widen } from './support/r-series.ts';
import { fastClock, replayClient, type Reply, type Route } from './support/r-replay.ts';
import { fixtureVariants, interaction, recorded, type Shape } from './support/shapes.ts';

const R = 'lightspeed-r';
const A = '/API/Account/{accountID}';

/** Every variant of a recorded reply, as recorded and widened, with its V2 `@attributes` and with V3's. */
function variants(shape: Shape): Array<{ name: string; value: Record<string, unknown> }> {
  const out: Array<{ name: string; value: Record<string, unknown> }> = [];
  for (const [label, s] of [
    ['recorded', shape],
    ['widened', widen(shape)],
  ] as const) {
    for (const v of fixtureVariants(s)) {
      const value = v.value as Record<string, unknown>;
      out.push({ name: `${label}, ${v.name}`, value });
      if ('@attributes' in value)
        out.push({
          name: `${label}, ${v.name}, V3 envelope`,
          value: { ...value, '@attributes': { next: '', previous: '' } },
        });
    }
  }
  return out;
}

/** A record shape wrapped as a reply: one record (`single`) or a query page of one or many. */
const asReply = (key: string, record: Shape, kind: 'single' | 'list'): Shape => ({
  '@attributes': kind === 'single' ? { count: 'string:int' } : { count: 'string:int', 'limit?': 'string:int' },
  [key]: kind === 'single' ? record : { $oneOrMany: record },
});

const recordedOrder = interaction(R, 'GET', `${A}/Order.json`).shape;
const orderRecord = element(recordedOrder, 'Order');
const lineRecord = element(recordedOrder, 'Order.OrderLines.OrderLine');

/** Each reply the connector reads, the recording it is checked against, and the connector's own schema. */
const readReplies: Array<{ name: string; shape: Shape; schema: z.ZodType }> = [
  {
    name: 'GET Item.json',
    shape: interaction(R, 'GET', `${A}/Item.json`).shape,
    schema: listEnvelope('Item', itemSchema),
  },
  {
    name: 'GET Item/{id}.json',
    shape: interaction(R, 'GET', `${A}/Item/{id}.json`).shape,
    schema: singleEnvelope('Item', itemSchema),
  },
  {
    name: 'POST Item.json',
    shape: interaction(R, 'POST', `${A}/Item.json`).shape,
    schema: singleEnvelope('Item', itemSchema),
  },
  {
    name: 'PUT Item/{id}.json',
    shape: interaction(R, 'PUT', `${A}/Item/{id}.json`).shape,
    schema: singleEnvelope('Item', itemSchema),
  },
  {
    name: 'DELETE Item/{id}.json',
    shape: interaction(R, 'DELETE', `${A}/Item/{id}.json`).shape,
    schema: singleEnvelope('Item', itemSchema),
  },
  {
    name: 'ItemMatrix.Items.Item (a matrix variant)',
    shape: asReply(
      'Item',
      element(interaction(R, 'GET', `${A}/ItemMatrix/{id}.json`).shape, 'ItemMatrix.Items.Item'),
      'list',
    ),
    schema: listEnvelope('Item', itemSchema),
  },
  {
    name: 'GET ItemMatrix.json (count 0)',
    shape: interaction(R, 'GET', `${A}/ItemMatrix.json`).shape,
    schema: listEnvelope('ItemMatrix', itemMatrixSchema),
  },
  {
    name: 'GET ItemMatrix/{id}.json',
    shape: interaction(R, 'GET', `${A}/ItemMatrix/{id}.json`).shape,
    schema: singleEnvelope('ItemMatrix', itemMatrixSchema),
  },
  {
    name: 'ItemMatrix as a query page',
    shape: asReply(
      'ItemMatrix',
      element(interaction(R, 'GET', `${A}/ItemMatrix/{id}.json`).shape, 'ItemMatrix'),
      'list',
    ),
    schema: listEnvelope('ItemMatrix', itemMatrixSchema),
  },
  {
    name: 'GET ItemAttributeSet.json',
    shape: interaction(R, 'GET', `${A}/ItemAttributeSet.json`).shape,
    schema: listEnvelope('ItemAttributeSet', attributeSetSchema),
  },
  {
    name: 'GET ItemAttributeSet/{id}.json',
    shape: interaction(R, 'GET', `${A}/ItemAttributeSet/{id}.json`).shape,
    schema: singleEnvelope('ItemAttributeSet', attributeSetSchema),
  },
  {
    name: 'GET Vendor.json',
    shape: interaction(R, 'GET', `${A}/Vendor.json`).shape,
    schema: listEnvelope('Vendor', vendorSchema),
  },
  {
    name: 'GET Vendor/{id}.json',
    shape: interaction(R, 'GET', `${A}/Vendor/{id}.json`).shape,
    schema: singleEnvelope('Vendor', vendorSchema),
  },
  {
    name: 'POST Vendor.json',
    shape: interaction(R, 'POST', `${A}/Vendor.json`).shape,
    schema: singleEnvelope('Vendor', vendorSchema),
  },
  {
    name: 'PUT Vendor/{id}.json',
    shape: interaction(R, 'PUT', `${A}/Vendor/{id}.json`).shape,
    schema: singleEnvelope('Vendor', vendorSchema),
  },
  {
    name: 'DELETE Vendor/{id}.json',
    shape: interaction(R, 'DELETE', `${A}/Vendor/{id}.json`).shape,
    schema: singleEnvelope('Vendor', vendorSchema),
  },
  {
    name: 'Order.Vendor',
    shape: asReply('Vendor', element(recordedOrder, 'Order.Vendor'), 'list'),
    schema: listEnvelope('Vendor', vendorSchema),
  },
  {
    name: 'GET Shop/{id}.json',
    shape: interaction(R, 'GET', `${A}/Shop/{id}.json`).shape,
    schema: singleEnvelope('Shop', shopSchema),
  },
  {
    name: 'Shop as a query page',
    shape: asReply('Shop', element(interaction(R, 'GET', `${A}/Shop/{id}.json`).shape, 'Shop'), 'list'),
    schema: listEnvelope('Shop', shopSchema),
  },
  {
    name: 'Order.Shop',
    shape: asReply('Shop', element(recordedOrder, 'Order.Shop'), 'list'),
    schema: listEnvelope('Shop', shopSchema),
  },
  { name: 'GET Order.json', shape: recordedOrder, schema: listEnvelope('Order', orderSchema) },
  {
    name: 'GET Order/{id}.json (the recorded Order, alone)',
    shape: asReply('Order', orderRecord, 'single'),
    schema: singleEnvelope('Order', orderSchema),
  },
  {
    name: 'Order.OrderLines.OrderLine',
    shape: asReply('OrderLine', lineRecord, 'list'),
    schema: listEnvelope('OrderLine', orderLineSchema),
  },
];

describe('schemas: every variant of every recorded reply the connector reads', () => {
  for (const reply of readReplies) {
    test(reply.name, () => {
      for (const variant of variants(reply.shape)) {
        const parsed = reply.schema.safeParse(variant.value);
        assert.ok(
          parsed.success,
          `${reply.name} (${variant.name}): ${parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      }
    });
  }

  test('Account (GET /API/V3/Account.json), with and without the rate-limit headers', async () => {
    for (const variant of variants(interaction(R, 'GET', '/API/Account.json').shape)) {
      const { fetch } = (await import('./support/r-replay.ts')).replayFetch([
        { method: 'GET', path: /\/Account\.json$/, reply: () => ({ body: variant.value }) },
      ]);
      const accounts = await fetchAccounts({ apiBaseUrl: 'https://api.lightspeedapp.test', fetch }, 'token');
      const recordedAccount = variant.value.Account as Record<string, string> | Array<Record<string, string>>;
      const first = Array.isArray(recordedAccount) ? recordedAccount[0] : recordedAccount;
      assert.equal(accounts[0]?.accountId, first?.accountID, variant.name);
    }
  });

  const unused = recorded(R)
    .interactions.filter((i) =>
      /\/(Sale|SaleLine|Customer|Employee|Inventory|SpecialOrder|PriceLevel|Category)(\/|\.json)/.test(i.pathPattern),
    )
    .map((i) => `${i.method} ${i.pathPattern.replace(A, '')} ${i.status}`);
  test(`recorded but not read by the connector: ${unused.join(', ')}`, {
    skip: 'the connector reads no Sale, SaleLine, Customer, Employee, Inventory, SpecialOrder, PriceLevel or Category (only the Employee 404 body matters: it is checked with the errors below)',
  });
  test('Manufacturer and OrderLine.json replies', {
    skip: 'no recording has them; Manufacturer is read by name only, OrderLine rows are checked in the recorded Order.OrderLines shape',
  });
});

/** Fixtures, per variant index, for every route the PointOfSale reads. */
function fixtureRoutes(index: number): { routes: Route[]; pick: (shape: Shape) => Record<string, unknown> } {
  const pick = (shape: Shape): Record<string, unknown> => {
    const all = variants(shape);
    return (all[index % all.length] as { value: Record<string, unknown> }).value;
  };
  const from = (shape: Shape) => (): Reply => ({ body: pick(shape) });
  const routes: Route[] = [
    { method: 'GET', path: /\/Item\.json$/, reply: from(interaction(R, 'GET', `${A}/Item.json`).shape) },
    {
      method: 'GET',
      path: /\/ItemMatrix\.json$/,
      reply: from(
        asReply('ItemMatrix', element(interaction(R, 'GET', `${A}/ItemMatrix/{id}.json`).shape, 'ItemMatrix'), 'list'),
      ),
    },
    {
      method: 'GET',
      path: /\/ItemAttributeSet\.json$/,
      reply: from(interaction(R, 'GET', `${A}/ItemAttributeSet.json`).shape),
    },
    { method: 'GET', path: /\/Vendor\.json$/, reply: from(interaction(R, 'GET', `${A}/Vendor.json`).shape) },
    { method: 'POST', path: /\/Vendor\.json$/, reply: from(interaction(R, 'POST', `${A}/Vendor.json`).shape) },
    {
      method: 'GET',
      path: /\/Shop\.json$/,
      reply: from(asReply('Shop', element(interaction(R, 'GET', `${A}/Shop/{id}.json`).shape, 'Shop'), 'list')),
    },
    { method: 'GET', path: /\/Order\.json$/, reply: from(recordedOrder) },
    { method: 'GET', path: /\/Order\/\d+\.json$/, reply: from(asReply('Order', orderRecord, 'single')) },
    { method: 'GET', path: /\/OrderLine\.json$/, reply: from(asReply('OrderLine', lineRecord, 'list')) },
    { method: 'POST', path: /\/Item\.json$/, reply: from(interaction(R, 'POST', `${A}/Item.json`).shape) },
    {
      // No recording of PUT Order: the recorded Order, with the date the PUT just wrote.
      method: 'PUT',
      path: /\/Order\/\d+\.json$/,
      reply: () => {
        const order = pick(asReply('Order', orderRecord, 'single'));
        return { body: { ...order, Order: { ...(order.Order as object), orderedDate: '2026-11-01T12:00:00+00:00' } } };
      },
    },
  ];
  return { routes, pick };
}

const count = Math.max(...readReplies.map((r) => variants(r.shape).length));

describe('mappers: the PointOfSale reads every variant, through the client and its rate-limit headers', () => {
  test(`catalog feed, rechecks, barcode lookups, locations (${count} variants each)`, async () => {
    for (let i = 0; i < count; i++) {
      const { routes } = fixtureRoutes(i);
      const { pos } = await replayClient(routes);
      const page = await pos.catalogChanges(null, 100);
      assert.ok(page.entries.length >= 1, `variant ${i}: an item page maps to entries`);
      for (const entry of page.entries) {
        assert.match(entry.posItemId, /^\d+$/);
        assert.ok(typeof entry.version === 'string' && entry.version !== '', `variant ${i}: timeStamp is the version`);
      }
      const ids = page.entries.map((e) => e.posItemId);
      const recheck = await pos.getCatalogEntries(ids);
      assert.deepEqual(recheck.missingIds, [], `variant ${i}`);
      await pos.findCatalogEntriesByGtin(['00012345678905']);
      const shops = await pos.listLocations();
      assert.ok(shops.length >= 1 && shops.every((s) => /^\d+$/.test(s.id) && typeof s.archived === 'boolean'));
    }
  });

  test('suppliers, products and purchase orders', async () => {
    for (let i = 0; i < count; i++) {
      const { routes } = fixtureRoutes(i);
      const { pos } = await replayClient(routes);
      await pos.findSupplier({ name: 'Northwind', sourceBrandId: 'brand-1' });
      const created = await pos.createSupplier({ name: 'Northwind', sourceBrandId: 'brand-1', currency: null });
      assert.match(created.id, /^\d+$/);
      const product = await pos.createProduct({
        correlationKey: 'sty-1-navy',
        matrixKey: 'sty-1-navy',
        supplierId: created.id,
        brandName: '',
        styleNumber: 'STY-1',
        color: 'Navy',
        name: 'Field Jacket',
        season: null,
        category: null,
        images: [],
        existingParentId: '7',
        variants: [
          {
            variantKey: 'm',
            correlationKey: 'sty-1-navy-m',
            size: 'M',
            gtin14: null,
            upc: null,
            cost: { minor: 2500, currency: 'USD' },
            retail: null,
          },
        ],
      });
      assert.match(product.variantIds.m ?? '', /^\d+$/);
      await pos.findProductsByCorrelation([
        {
          correlationKey: 'sty-1-navy',
          variants: [{ variantKey: 'm', correlationKey: 'sty-1-navy-m' }],
          name: 'Field Jacket',
          color: 'Navy',
        },
      ]);
      assert.equal(await pos.findPurchaseOrderByCorrelation({ correlationKey: 'nuo-1-abcd', orderNumber: '1' }), null);
      const lines = await pos.listPurchaseOrderLines('14');
      assert.ok(
        lines.every((l) => Number.isInteger(l.quantity) && Number.isInteger(l.received)),
        `variant ${i}`,
      );
      const submitted = await pos.submitPurchaseOrder('14');
      assert.ok(['open', 'ordered', 'check_in', 'finished', 'archived'].includes(submitted.status), `variant ${i}`);
    }
  });
});

/** The recorded error body (400/404/405/429 alike), served as text/html as it was. */
const errorBody = (status: number, httpMessage: string, message: string, errorClass = 'Exception'): Reply => ({
  status,
  body: { httpCode: String(status), httpMessage, message, errorClass },
  headers: { 'content-type': 'text/html; charset=UTF-8' },
});

describe('errors and rate limits as recorded', () => {
  test('a recorded 400 (text/html) refuses one PO line with its message; the other lines stand', async () => {
    let posts = 0;
    const { pos } = await replayClient([
      {
        method: 'POST',
        path: /\/OrderLine\.json$/,
        reply: () =>
          ++posts === 1
            ? errorBody(400, 'Bad Request', 'OrderLine not created. Invalid itemID.')
            : {
                body: {
                  '@attributes': { count: '1' },
                  OrderLine: {
                    orderLineID: '9',
                    orderID: '14',
                    itemID: '2',
                    quantity: '1',
                    price: '5',
                    checkedIn: '0',
                    numReceived: '0',
                  },
                },
              },
      },
    ]);
    const cost = { minor: 500, currency: 'USD' };
    const outcomes = await pos.addPurchaseOrderLines(
      '14',
      [
        { posItemId: '1', quantity: 1, unitCost: cost, sourceLineKeys: ['a'] },
        { posItemId: '2', quantity: 1, unitCost: cost, sourceLineKeys: ['b'] },
      ],
      { firstAttempt: true },
    );
    assert.deepEqual(
      outcomes.map((o) => [o.outcome, 'message' in o ? o.message : '']),
      [
        ['rejected', 'OrderLine not created. Invalid itemID.'],
        ['added', ''],
      ],
    );
  });

  test('vendor lookup: `or=` is unrecorded [I]; refused with the recorded 400 shape, the two documented queries answer', async () => {
    const vendors = interaction(R, 'GET', `${A}/Vendor.json`).shape;
    const { pos, calls } = await replayClient([
      {
        method: 'GET',
        path: /\/Vendor\.json$/,
        reply: (url) =>
          url.searchParams.has('or')
            ? errorBody(400, 'Bad Request', 'Invalid query parameter: or.')
            : { body: fixtureVariants(vendors)[0]?.value },
      },
    ]);
    const found = await pos.findSupplier({ name: 'vendor 5', sourceBrandId: 'brand-1' });
    assert.ok(Array.isArray(found));
    assert.deepEqual(
      calls.map((c) => c.replace(/=.*/, '')),
      [
        'GET /API/V3/Account/83050/Vendor.json?or',
        'GET /API/V3/Account/83050/Vendor.json?b2bSellerUID',
        'GET /API/V3/Account/83050/Vendor.json?name',
      ],
    );
    calls.length = 0;
    await pos.findSupplier({ name: 'vendor 5', sourceBrandId: 'brand-1' });
    assert.equal(calls.length, 2, 'the refusal is remembered');
  });

  test('a recorded 404 body is a RemoteRejected 404 with the message', async () => {
    const { pos } = await replayClient([
      { method: 'GET', path: /\/Order\/\d+\.json$/, reply: () => errorBody(404, 'Not Found', 'Order not found.') },
    ]);
    await assert.rejects(pos.submitPurchaseOrder('14'), (e: unknown) => {
      assert.ok(e instanceof RemoteRejected && e.status === 404 && e.vendorMessage === 'Order not found.');
      return true;
    });
  });

  test('the recorded 2015 429 (text/html, no Retry-After, no bucket header) is waited out, then the call succeeds', async () => {
    let calls = 0;
    const clock = fastClock();
    const { pos } = await replayClient(
      [
        {
          method: 'GET',
          path: /\/Shop\.json$/,
          reply: () =>
            ++calls <= 2
              ? {
                  ...errorBody(429, 'Too Many Requests', 'Rate Limit Exceeded: slow down', 'RateLimitedException'),
                  headers: {
                    'content-type': 'text/html; charset=UTF-8',
                    'X-Ls-Acct-Id': '0',
                    'X-Ls-Api-Bucket-Level': '',
                  },
                }
              : { body: { '@attributes': { count: '1' }, Shop: { shopID: '1', name: 'Main', archived: 'false' } } },
        },
      ],
      { clock },
    );
    const started = clock.now();
    const shops = await pos.listLocations();
    assert.equal(shops.length, 1);
    assert.equal(calls, 3, 'two 429s, then the reply: no retry attempt was used (the client has one)');
    assert.ok(clock.now() - started >= 3000, `backed off ${clock.now() - started} ms: one second, then two`);
  });

  test('a 429 of the burst limiter (docs) and of the bucket (docs) are waited out as Retry-After says', async () => {
    let calls = 0;
    const clock = fastClock();
    const limited = (type: string, level: string): Reply => ({
      ...errorBody(429, 'Too Many Requests', 'Rate Limit Exceeded: burst rate limit exceeded', 'RateLimitedException'),
      headers: {
        'content-type': 'text/html; charset=UTF-8',
        'X-LS-API-RateLimit-Type': type,
        'X-LS-API-Bucket-Level': level,
        'X-LS-API-Burst-Level': '20/20',
        'Retry-After': '2',
      },
    });
    const { pos } = await replayClient(
      [
        {
          method: 'GET',
          path: /\/Shop\.json$/,
          reply: () => {
            calls += 1;
            if (calls === 1) return limited('api-burst-limiter', '10/90');
            if (calls === 2) return limited('api-leaky-bucket', '92.57/90');
            return {
              body: {
                '@attributes': { next: '', previous: '' },
                Shop: { shopID: '1', name: 'Main', archived: 'false' },
              },
            };
          },
        },
      ],
      { clock },
    );
    const started = clock.now();
    assert.equal((await pos.listLocations()).length, 1);
    assert.equal(calls, 3);
    assert.ok(clock.now() - started >= 4000, `waited ${clock.now() - started} ms`);
  });
});
