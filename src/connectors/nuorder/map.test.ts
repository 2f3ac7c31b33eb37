import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderProblems } from '../../core/wholesale-order.ts';
import { RemoteContractBroken } from '../shared/errors.ts';
import { mapOrder, mapShipment, productIdsOf } from './map.ts';
import { orderSchema, productSchema, type NuorderProduct } from './schemas.ts';

/** Shaped like reference nuorder.md §3.3 (the 2023 real payload), trimmed. */
function fixtureOrder(): Record<string, unknown> {
  const line = (productId: string, sizes: unknown[], window: [string, string]) => ({
    product: {
      _id: productId,
      style_number: '4156301-4',
      color: 'TURQUOISE, RED',
      color_code: '',
      season: 'F22',
      department: 'TABLE LINENS',
      brand_id: 'spree-t-test',
    },
    ship_start: window[0],
    ship_end: window[1],
    warehouse: 'Wholesale',
    prebook: false,
    sizes,
    original_total: '84',
    discounted_total: '84',
    effective_subtotal: '84',
    total_applied: '0',
    item_price_after_discount: '$28.00',
    adjusted_wholesale_string: '$28.00',
    retail_string: '$45.00',
    custom_field_x: { anything: true },
  });
  return {
    _id: '65089de8ce0aac042cc47b32',
    order_number: '131803493',
    status: 'approved',
    customer_po_number: '',
    currency_code: 'USD',
    total: 672,
    total_quantity: 24,
    notes: '',
    created_on: '2023-09-18T18:58:48.161Z',
    modified_on: '2023-09-19T10:00:00.000Z',
    start_ship: '2023-09-18T00:00:00.000Z',
    end_ship: '2023-12-20T00:00:00.000Z',
    retailer: { _id: 'r1', retailer_name: 'Sweet Gourmet', retailer_code: 'SWEET GOURMET', buyer_name: 'Pam Gabriel' },
    billing_address: { line_1: '1 Main', city: 'Tyler', state: 'TX', zip: '75703', country: 'USA' },
    shipping_address: {
      line_1: '1 Main',
      city: 'Tyler',
      state: 'TX',
      zip: '75703',
      country: 'USA',
      display_name: 'Store',
    },
    order_discounts: { original_total: '672', surcharges: { total_surcharge: '0' } },
    shipments: [],
    line_items: [
      line(
        '64229ea416f63f19d7ca3ed0',
        [
          {
            size: '20x20 Set 4',
            quantity: 3,
            price: 28,
            original_price: 28,
            upc: '844277082457',
            discounts: { total_discount: 0, applied: [] },
          },
          { size: '14x72', quantity: 2, price: 19.5, original_price: 19.5 },
        ],
        ['2023-09-18T00:00:00.000Z', '2023-10-20T00:00:00.000Z'],
      ),
      line(
        '64229ea416f63f19d7ca3ed0',
        [{ size: '20x20 Set 4', quantity: 5, price: 28, price_precise: '28.00', upc: '844277082457' }],
        ['2023-11-01T00:00:00.000Z', '2023-12-20T00:00:00.000Z'],
      ),
      line('77779ea416f63f19d7ca3ed1', [{ size: 'OS', quantity: 1, price: 10.125, upc: 'N/A' }], ['', '']),
    ],
  };
}

const product: NuorderProduct = productSchema.parse({
  _id: '64229ea416f63f19d7ca3ed0',
  brand_id: 'spree-t-test',
  style_number: '4156301-4',
  season: 'F22',
  color: 'TURQUOISE, RED',
  name: 'Napkin set',
  category: 'Linens',
  pricing: { USD: { wholesale: 28, retail: 45 }, CAD: { wholesale: 35, retail: 60 } },
  sizes: [
    { size: '20x20 Set 4', upc: '844277082457' },
    { size: '14x72', upc: '844277082464', pricing: { USD: { wholesale: 19.5, retail: 32.5 } } },
  ],
  images: ['https://cdn.example/a.jpg', { url: 'https://cdn.example/b.jpg' }],
});

const brand = { sourceId: 'brand-1', name: 'Spree' };

test('a full order maps to the core model', () => {
  const order = orderSchema.parse(fixtureOrder());
  assert.deepEqual(productIdsOf(order), ['64229ea416f63f19d7ca3ed0', '77779ea416f63f19d7ca3ed1']);
  const mapped = mapOrder(order, { brand, products: new Map([[product._id, product]]) });
  assert.equal(mapped.orderNumber, '131803493');
  assert.equal(mapped.sourceId, '65089de8ce0aac042cc47b32');
  assert.equal(mapped.status, 'approved');
  assert.equal(mapped.currency, 'USD');
  assert.equal(mapped.customerPoNumber, null);
  assert.deepEqual(mapped.shipWindow, { start: '2023-09-18T00:00:00.000Z', end: '2023-12-20T00:00:00.000Z' });
  assert.equal(mapped.retailer.name, 'Sweet Gourmet');
  assert.equal(mapped.shippingAddress?.name, 'Store');
  assert.equal(mapped.shippingAddress?.region, 'TX');
  assert.deepEqual(orderProblems(mapped), []);
  assert.equal(mapped.lines.length, 3);

  const [set4, runner, os] = mapped.lines;
  // The same product+size on two line items (two ship windows): one line, quantities summed, window widened.
  assert.equal(set4?.lineKey, '64229ea416f63f19d7ca3ed0:20x20%20Set%204');
  assert.equal(set4?.quantity, 8);
  assert.deepEqual(set4?.shipWindow, { start: '2023-09-18T00:00:00.000Z', end: '2023-12-20T00:00:00.000Z' });
  assert.deepEqual(set4?.unitCost, { minor: 2800, currency: 'USD' });
  assert.deepEqual(set4?.retailPrice, { minor: 4500, currency: 'USD' }, 'product-level retail');
  assert.equal(set4?.name, 'Napkin set');
  assert.equal(set4?.season, 'F22');
  assert.equal(set4?.colorCode, null);
  assert.equal(set4?.brandExternalId, 'spree-t-test');
  assert.equal(set4?.category, 'Linens');
  assert.deepEqual(set4?.images, ['https://cdn.example/a.jpg', 'https://cdn.example/b.jpg']);
  assert.deepEqual(set4?.gtin, { ok: true, gtin14: '00844277082457' });
  assert.equal(set4?.brand, brand);

  // A size without a UPC: no key at all in the JSON.
  assert.equal(runner?.rawUpc, null);
  assert.deepEqual(runner?.gtin, { ok: false, problem: 'missing', raw: null });
  assert.deepEqual(runner?.unitCost, { minor: 1950, currency: 'USD' });
  assert.deepEqual(runner?.retailPrice, { minor: 3250, currency: 'USD' }, 'size-level retail wins');

  // Product not readable: name falls back to the style, retail to the formatted line string, N/A UPC is missing.
  assert.equal(os?.name, '4156301-4');
  assert.deepEqual(os?.retailPrice, { minor: 4500, currency: 'USD' });
  assert.deepEqual(os?.unitCost, { minor: 1013, currency: 'USD' }, 'sub-cent wholesale rounds half up');
  assert.equal(os?.rawUpc, 'N/A');
  assert.equal(os?.gtin.ok, false);
  assert.equal(os?.shipWindow, null);
  assert.equal(os?.category, 'TABLE LINENS');
});

test('strings vs numbers as documented: a numeric order_number or a string quantity breaks the contract, naming the field', () => {
  const numeric = { ...fixtureOrder(), order_number: 131803493 };
  const r1 = orderSchema.safeParse(numeric);
  assert.equal(r1.success, false);
  assert.deepEqual(r1.error?.issues[0]?.path, ['order_number']);
  const o = fixtureOrder();
  (o.line_items as Array<{ sizes: Array<Record<string, unknown>> }>)[0]!.sizes[0]!.quantity = '3';
  const r2 = orderSchema.safeParse(o);
  assert.deepEqual(r2.error?.issues[0]?.path, ['line_items', 0, 'sizes', 0, 'quantity']);
});

test('a price that is not money is a contract break naming the line', () => {
  const o = fixtureOrder();
  (o.line_items as Array<{ sizes: Array<Record<string, unknown>> }>)[0]!.sizes[1]!.price_precise = 'abc';
  assert.throws(
    () => mapOrder(orderSchema.parse(o), { brand, products: new Map() }),
    (e: unknown) => e instanceof RemoteContractBroken && e.fieldPath === 'line_items[0].sizes[1].price_precise',
  );
});

test('a shipment maps tracking numbers and quantities per line key', () => {
  const order = orderSchema.parse(fixtureOrder());
  const s = mapShipment(order._id, {
    _id: 'sh1',
    type: 'shipment',
    carrier: 'UPS',
    tracking_numbers: ['1Z999', ''],
    shipped_on: '2023-10-01T00:00:00.000Z',
    line_items: order.line_items.slice(0, 2),
  });
  assert.equal(s.carrier, 'UPS');
  assert.deepEqual(s.trackingNumbers, ['1Z999']);
  assert.deepEqual(s.lines, [
    { lineKey: '64229ea416f63f19d7ca3ed0:20x20%20Set%204', quantity: 8 },
    { lineKey: '64229ea416f63f19d7ca3ed0:14x72', quantity: 2 },
  ]);
});
