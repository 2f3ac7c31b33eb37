/**
 * Every response body Tradeloop relies on, validated against the official "API 2.0" OpenAPI document
 * (test/contracts/specs/, a copy of shared/reference/lightspeed-x-series-openapi-2.0.json) with ajv.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { responseValidator } from '../../../test/contracts/support/x-openapi.ts';
import { startHarness, type Harness } from './helpers.test-util.ts';

/** The spec's known defects are patched from their one list, test/contracts/lightspeed-x-spec-defects.ts. */
function validatorFor(path: string, method: string, status: string): (data: unknown) => void {
  const validate = responseValidator(path, method, status);
  return (data) => {
    const problems = validate(data);
    if (problems.length > 0) assert.fail(`${method.toUpperCase()} ${path} ${status}: ${problems.join('\n')}`);
  };
}

let h: Harness;
before(async () => {
  h = await startHarness('demo');
});
after(async () => {
  await h.server.close();
});

async function check(specPathName: string, method: string, status: string, url: string, json?: unknown): Promise<any> {
  const res = await h.json(url, { method: method.toUpperCase(), ...(json !== undefined ? { json } : {}) });
  assert.equal(String(res.status), status, `${method} ${url}: ${JSON.stringify(res.body)}`);
  validatorFor(specPathName, method, status)(res.body);
  return res.body;
}

test('responses validate against the OpenAPI document', async () => {
  const outlets = await check('/outlets', 'get', '200', '/api/2.0/outlets');
  const outlet = outlets.data[0].id;
  await check('/outlets/{outlet_id}', 'get', '200', `/api/2.0/outlets/${outlet}`);
  await check('/registers', 'get', '200', '/api/2.0/registers');
  await check('/users', 'get', '200', '/api/2.0/users');
  await check('/taxes', 'get', '200', '/api/2.0/taxes');
  await check('/payment_types', 'get', '200', '/api/2.0/payment_types');
  await check('/retailer', 'get', '200', '/api/2.0/retailer');
  await check('/brands', 'get', '200', '/api/2.0/brands');
  await check('/brands', 'post', '200', '/api/2.0/brands', { name: 'Fable Footwear' });
  const attrs = await check('/variant_attributes', 'get', '200', '/api/2.0/variant_attributes');
  await check('/variant_attributes', 'post', '201', '/api/2.0/variant_attributes', { name: 'Material' });

  const supplierId = (await check('/suppliers', 'post', '200', '/api/2.0/suppliers', { name: 'Juniper Row' })).data;
  await check('/suppliers', 'get', '200', '/api/2.0/suppliers');
  await check('/suppliers/{supplier_id}', 'get', '200', `/api/2.0/suppliers/${supplierId}`);

  const products = await check('/products', 'get', '200', '/api/2.0/products?page_size=300');
  const withCodes = products.data.find((p: any) => p.product_codes.length > 1);
  await check('/products', 'get', '200', `/api/2.0/products?sku=${withCodes.sku}`);
  await check('/products/{product_id}', 'get', '200', `/api/2.0/products/${withCodes.id}`);
  await check('/products/{product_id}/inventory', 'get', '200', `/api/2.0/products/${withCodes.id}/inventory`);
  await check('/search', 'get', '200', `/api/2.0/search?type=products&sku=${withCodes.sku.toLowerCase()}`);
  await check('/search', 'get', '200', '/api/2.0/search?type=sales&status=CLOSED');
  const color = attrs.data.find((a: any) => a.name === 'Color').id;
  const created = await check('/products', 'post', '200', '/api/2.0/products', {
    name: 'Alpine Beanie',
    source_id: 'nuorder-style-1',
    variants: [
      {
        sku: 'AB-RED',
        product_codes: [{ type: 'UPC', code: '084000000017' }],
        variant_definitions: [{ attribute_id: color, value: 'Red' }],
      },
      { sku: 'AB-BLU', variant_definitions: [{ attribute_id: color, value: 'Blue' }] },
    ],
  });
  await check('/products/{product_id}', 'get', '200', `/api/2.0/products/${created.data[1]}`);
  await check('/inventory', 'get', '200', '/api/2.0/inventory?page_size=50');

  const consignment = await check('/consignments', 'post', '201', '/api/2.0/consignments', {
    type: 'SUPPLIER',
    status: 'OPEN',
    outlet_id: outlet,
    supplier_id: supplierId,
    name: 'NuORDER #3100007',
    reference: 'PO-3100007',
    due_at: '2026-12-01T00:00:00Z',
  });
  const id = consignment.data.id;
  await check('/consignments/{consignment_id}/products', 'post', '200', `/api/2.0/consignments/${id}/products`, {
    product_id: created.data[0],
    count: 3,
    cost: '12.50',
  });
  await check('/consignments/{consignment_id}/bulk', 'post', '200', `/api/2.0/consignments/${id}/bulk`, [
    { product_id: created.data[1], count: 2 },
  ]);
  await check('/consignments/{consignment_id}/products', 'get', '200', `/api/2.0/consignments/${id}/products`);
  await check(
    '/consignments/{consignment_id}/products/{product_id}',
    'put',
    '200',
    `/api/2.0/consignments/${id}/products/${created.data[1]}`,
    { count: 4 },
  );
  await check('/consignments/{consignment_id}', 'put', '200', `/api/2.0/consignments/${id}`, { status: 'SENT' });
  await check('/consignments/{consignment_id}', 'get', '200', `/api/2.0/consignments/${id}`);
  await check('/consignments/{consignment_id}/totals', 'get', '200', `/api/2.0/consignments/${id}/totals`);
  await check('/consignments', 'get', '200', '/api/2.0/consignments?type=SUPPLIER');

  const sales = await check('/sales', 'get', '200', '/api/2.0/sales');
  assert.ok(sales.data.length > 0);
  const awaiting = sales.data.find((s: any) => s.status === 'AWAITING_PICKUP');
  await check('/sales/{sale_id}', 'get', '200', `/api/2.0/sales/${awaiting.id}`);
  await check('/sales/{sale_id}/fulfill', 'post', '200', `/api/2.0/sales/${awaiting.id}/fulfill`, {
    fulfillment_type: 'PICKED_UP',
  });
  await check('/sales/{sale_id}/fulfillments', 'get', '200', `/api/2.0/sales/${awaiting.id}/fulfillments`);

  // Sales created through §5.3 are read back through /api/2.0 in the 2.0 shape.
  const user = h.sim.db.users.values()[0]?.id;
  const tax = h.sim.db.taxes.values()[0]?.id;
  const legacy = await h.json('/api/register_sales', {
    method: 'POST',
    json: {
      user_id: user,
      status: 'CLOSED',
      register_sale_products: [{ product_id: created.data[0], quantity: 1, price: 10, tax: 0.8, tax_id: tax }],
    },
  });
  await check('/sales/{sale_id}', 'get', '200', `/api/2.0/sales/${legacy.body.register_sale.id}`);
});
