import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from './helpers.test-util.ts';
import { createLightspeedXSimulator } from './index.ts';

let h: Harness;
before(async () => {
  h = await startHarness('demo');
});
after(async () => {
  await h.server.close();
});

async function firstOutlet(): Promise<string> {
  const { body } = await h.json('/api/2.0/outlets');
  return body.data[0].id;
}

async function activeProducts(n: number): Promise<any[]> {
  const { body } = await h.json('/api/2.0/products?page_size=200');
  return body.data.filter((p: any) => p.is_active).slice(0, n);
}

describe('OAuth', () => {
  const redirect = 'http://127.0.0.1:9/callback';
  const authorize = async (state = 'state-12345'): Promise<URL> => {
    const page = await fetch(
      `${h.url}/connect?response_type=code&client_id=tradeloop-dev&redirect_uri=${encodeURIComponent(redirect)}&state=${state}&scope=products:read`,
    );
    assert.equal(page.status, 200);
    const text = await page.text();
    assert.match(text, /Allow/);
    assert.match(text, /Lakeside Goods/);
    const res = await fetch(`${h.url}/connect`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        response_type: 'code',
        client_id: 'tradeloop-dev',
        redirect_uri: redirect,
        state,
        scope: 'products:read',
        decision: 'allow',
      }),
    });
    assert.equal(res.status, 302);
    return new URL(res.headers.get('location') as string);
  };
  const token = (form: Record<string, string>): Promise<Response> =>
    fetch(`${h.url}/api/1.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });

  test('code flow, refresh rotation, and each refusal', async () => {
    const back = await authorize();
    assert.equal(back.searchParams.get('state'), 'state-12345');
    assert.equal(back.searchParams.get('domain_prefix'), 'lakesidegoods');
    const code = back.searchParams.get('code') as string;
    const base = { client_id: 'tradeloop-dev', redirect_uri: redirect, grant_type: 'authorization_code', code };

    const bad = await token({ ...base, client_secret: 'wrong' });
    assert.equal(bad.status, 401);
    assert.equal((await bad.json()).error, 'invalid_client');

    const ok = await token({ ...base, client_secret: 'tradeloop-dev-secret' });
    assert.equal(ok.status, 200);
    const pair = await ok.json();
    assert.equal(pair.token_type, 'Bearer');
    assert.equal(pair.access_token.length, 40);
    assert.equal(pair.domain_prefix, 'lakesidegoods');
    assert.equal(typeof pair.expires, 'number');
    assert.equal(pair.expires_in, 86400);

    const reused = await token({ ...base, client_secret: 'tradeloop-dev-secret' });
    assert.equal(reused.status, 400);
    assert.equal((await reused.json()).error, 'invalid_grant');

    const refresh = {
      client_id: 'tradeloop-dev',
      client_secret: 'tradeloop-dev-secret',
      grant_type: 'refresh_token',
      refresh_token: pair.refresh_token,
    };
    const rotated = await token(refresh);
    assert.equal(rotated.status, 200);
    const next = await rotated.json();
    assert.notEqual(next.refresh_token, pair.refresh_token);
    const again = await token(refresh);
    assert.equal(again.status, 400, 'a used refresh token is refused');

    const works = await fetch(`${h.url}/api/2.0/outlets`, {
      headers: { authorization: `Bearer ${next.access_token}` },
    });
    assert.equal(works.status, 200);
    await h.control('/_sim/clock', 'POST', { advanceSeconds: 86_401 });
    const expired = await fetch(`${h.url}/api/2.0/outlets`, {
      headers: { authorization: `Bearer ${next.access_token}` },
    });
    assert.equal(expired.status, 401);
    assert.deepEqual(await expired.json(), { error: 'Access token is not valid' });
    await h.control('/_sim/clock', 'POST', { set: '2026-11-01T12:00:00Z', freeze: true });
    h.token = (await h.control('/_sim/tokens', 'POST', {})).access_token;
  });

  test('authorize refusals: short state, missing scope, params in URL, deny', async () => {
    const short = await fetch(
      `${h.url}/connect?response_type=code&client_id=tradeloop-dev&redirect_uri=${encodeURIComponent(redirect)}&state=abc&scope=x`,
      { redirect: 'manual' },
    );
    assert.equal(short.status, 302);
    assert.equal(new URL(short.headers.get('location') as string).searchParams.get('error'), 'invalid_request');
    const noScope = await fetch(
      `${h.url}/connect?response_type=code&client_id=tradeloop-dev&redirect_uri=${encodeURIComponent(redirect)}&state=abcdefgh`,
      { redirect: 'manual' },
    );
    assert.equal(new URL(noScope.headers.get('location') as string).searchParams.get('error'), 'access_denied');
    const unknown = await fetch(
      `${h.url}/connect?response_type=code&client_id=nope&redirect_uri=${encodeURIComponent(redirect)}&state=abcdefgh&scope=x`,
    );
    assert.equal(unknown.status, 400);
    const inUrl = await fetch(`${h.url}/api/1.0/token?client_secret=x`, { method: 'POST' });
    assert.equal(inUrl.status, 400);
    const missing = await fetch(`${h.url}/api/2.0/outlets`);
    assert.equal(missing.status, 401);
  });
});

describe('store resources', () => {
  test('demo seed counts', async () => {
    const outlets = await h.json('/api/2.0/outlets');
    assert.deepEqual(
      outlets.body.data.map((o: any) => o.name),
      ['Main Street', 'Harbor Mall'],
    );
    assert.equal((await h.json('/api/2.0/registers')).body.data.length, 2);
    assert.equal((await h.json('/api/2.0/variant_attributes')).body.data.length, 2);
    const summary = h.sim.seedScenario('demo', {}).summary;
    assert.equal(summary.products, 219);
    assert.equal(summary.outlets, 2);
    assert.equal(summary.inventoryRecords, 436);
    assert.equal(summary.sales, 13);
    assert.equal(summary.inactiveProducts, 1);
  });

  test('suppliers: create and list; brands; bad input is 422', async () => {
    const created = await h.json('/api/2.0/suppliers', {
      method: 'POST',
      json: { name: 'Kestrel Athletic', description: 'from NuORDER' },
    });
    assert.equal(created.status, 200);
    assert.match(created.body.data, /^[0-9a-f-]{36}$/);
    const one = await h.json(`/api/2.0/suppliers/${created.body.data}`);
    assert.equal(one.body.data.name, 'Kestrel Athletic');
    const list = await h.json('/api/2.0/suppliers?page_size=100');
    assert.ok(list.body.data.some((s: any) => s.id === created.body.data));
    const bad = await h.json('/api/2.0/suppliers', { method: 'POST', json: {} });
    assert.equal(bad.status, 422);
    assert.equal(typeof bad.body.error, 'string');
    const malformed = await h.api('/api/2.0/suppliers', {
      method: 'POST',
      body: '{nope',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(malformed.status, 400);
    assert.equal((await h.json('/api/2.0/brands')).status, 200);
    assert.equal((await h.json('/api/2.0/products/00000000-0000-0000-0000-000000000000')).status, 404);
    assert.equal((await h.json('/api/2.0/nothing-here')).status, 404);
  });

  test('products: variants, codes, archived, lookups by SKU and code', async () => {
    const all = h.sim.db.products.values();
    const withUpc = all.find(
      (p) => p.product_codes.some((c) => c.type === 'UPC') && p.family_id !== p.id,
    ) as (typeof all)[number];
    const upc = withUpc.product_codes.find((c) => c.type === 'UPC')?.code as string;
    const bySku = await h.json(`/api/2.0/products?sku=${withUpc.sku}`);
    assert.equal(bySku.body.data.length, 1);
    const product = bySku.body.data[0];
    assert.equal(product.variant_parent_id, withUpc.family_id);
    assert.ok(product.product_codes.some((c: any) => c.type === 'UPC' && c.code === upc));
    assert.equal(product.has_variants, true);
    assert.ok(product.variant_options.some((o: any) => o.name === 'Size'));
    assert.equal((await h.json(`/api/2.0/products?sku=${upc}`)).body.data[0].id, withUpc.id, '?sku= matches a barcode');
    const search = await h.json(`/api/2.0/search?type=products&sku=${withUpc.sku?.toLowerCase()}`);
    assert.equal(search.body.data[0].id, withUpc.id);
    const upper = await h.json(`/api/2.0/search?type=products&sku=${withUpc.sku?.toUpperCase()}`);
    assert.equal(upper.body.data.length, 0, 'search sku values must be lower-cased');
    const archived = all.find((p) => !p.is_active) as (typeof all)[number];
    const got = await h.json(`/api/2.0/products/${archived.id}`);
    assert.equal(got.body.data.is_active, false);
    assert.equal(got.body.data.active, false);
    const family = await h.json(`/api/2.0/search?type=products&variant_parent_id=${withUpc.family_id}`);
    assert.ok(family.body.data.length >= 1);
  });

  test('pagination to the end by version cursor', async () => {
    let after = 0;
    let seen = 0;
    const ids = new Set<string>();
    for (;;) {
      const page = await h.json(`/api/2.0/products?after=${after}&page_size=50`);
      if (page.body.data.length === 0) break;
      for (const p of page.body.data) ids.add(p.id);
      seen += page.body.data.length;
      assert.ok(page.body.version.max > after);
      after = page.body.version.max;
    }
    assert.equal(seen, 219);
    assert.equal(ids.size, 219);
    const inv = await h.json('/api/2.0/inventory?page_size=1000');
    assert.equal(inv.body.data.length, 436);
  });

  test('create a product family (2.0), update it (2.1), add a variant (2.1)', async () => {
    const color = (await h.json('/api/2.0/variant_attributes')).body.data.find((a: any) => a.name === 'Color').id;
    const size = (await h.json('/api/2.0/variant_attributes')).body.data.find((a: any) => a.name === 'Size').id;
    const outlet = await firstOutlet();
    const res = await h.json('/api/2.0/products', {
      method: 'POST',
      json: {
        name: 'Tidal Runner',
        source: 'NUORDER',
        source_id: 'style-123',
        supply_price: 40,
        price_excluding_tax: 89.99,
        variants: [
          {
            sku: 'TR-BLK-9',
            source_variant_id: 'v-9',
            product_codes: [{ type: 'UPC', code: '012345678905' }],
            variant_definitions: [
              { attribute_id: color, value: 'Black' },
              { attribute_id: size, value: '9' },
            ],
            inventory: [{ outlet_id: outlet, current_amount: 3 }],
          },
          {
            sku: 'TR-BLK-10',
            source_variant_id: 'v-10',
            variant_definitions: [
              { attribute_id: color, value: 'Black' },
              { attribute_id: size, value: '10' },
            ],
          },
        ],
      },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.data.length, 2);
    const [parentId, childId] = res.body.data;
    const child = (await h.json(`/api/2.0/products/${childId}`)).body.data;
    assert.equal(child.variant_parent_id, parentId);
    assert.equal(child.source_id, 'style-123');
    // F9: `variants[]` items (ProductAddVariantPayload) have no source_variant_id, so it is dropped.
    assert.equal(child.source_variant_id, null);
    assert.ok(
      child.product_codes.some((c: any) => c.code === 'TR-BLK-10'),
      'sku added to product_codes',
    );
    const inv = (await h.json(`/api/2.0/products/${parentId}/inventory`)).body.data.find(
      (i: any) => i.outlet_id === outlet,
    );
    assert.equal(inv.inventory_level, 3);
    const dup = await h.json('/api/2.0/products', { method: 'POST', json: { name: 'X', sku: 'TR-BLK-9' } });
    assert.equal(dup.status, 422);
    const both = await h.json('/api/2.0/products', {
      method: 'POST',
      json: { name: 'X', price_including_tax: 1, price_excluding_tax: 1 },
    });
    assert.equal(both.status, 422);
    // F10: 2.1 `details` has no supply_price (refused, naming it); the price goes in product_suppliers[].price.
    const refused = await h.json(`/api/2.1/products/${childId}`, {
      method: 'PUT',
      json: { common: { name: 'Tidal Runner II' }, details: { supply_price: 41 } },
    });
    assert.equal(refused.status, 422);
    assert.deepEqual(Object.keys(refused.body.details), ['details.supply_price']);
    assert.equal((await h.json(`/api/2.0/products/${parentId}`)).body.data.name, 'Tidal Runner', 'nothing changed');
    const supplier = h.sim.db.suppliers.values()[0]?.id;
    const upd = await h.json(`/api/2.1/products/${childId}`, {
      method: 'PUT',
      json: {
        common: { name: 'Tidal Runner II' },
        details: { product_suppliers: [{ supplier_id: supplier, code: 'TR', price: 41 }] },
      },
    });
    assert.equal(upd.status, 200);
    assert.equal((await h.json(`/api/2.0/products/${childId}`)).body.data.supply_price, 41);
    assert.equal((await h.json(`/api/2.0/products/${parentId}`)).body.data.name, 'Tidal Runner II');
    const added = await h.json('/api/2.1/products', {
      method: 'POST',
      json: {
        common: { variant_parent_id: parentId },
        details: {
          product_codes: [{ type: 'CUSTOM', code: 'TR-BLK-11' }],
          variant_attribute_values: [
            { attribute_id: color, attribute_value: 'Black' },
            { attribute_id: size, attribute_value: '11' },
          ],
        },
      },
    });
    assert.equal(added.status, 200);
    assert.equal(added.body.data.variant_parent_id, parentId);
    assert.equal(added.body.data.sku, 'TR-BLK-11', 'the first product code is the SKU');
    assert.equal((await h.json(`/api/2.0/products/${parentId}`)).body.data.variant_count, 3);
  });
});

describe('consignments', () => {
  test('lifecycle OPEN → SENT → DISPATCHED → RECEIVED adds stock, with the §3.2 rules', async () => {
    const outlet = await firstOutlet();
    const [a, b] = await activeProducts(2);
    const supplier = (await h.json('/api/2.0/suppliers')).body.data[0].id;
    // Unwrapped body (tutorial) …
    const created = await h.json('/api/2.0/consignments', {
      method: 'POST',
      json: {
        type: 'SUPPLIER',
        status: 'OPEN',
        outlet_id: outlet,
        supplier_id: supplier,
        name: 'NuORDER #3100001',
        reference: 'PO-3100001',
      },
    });
    assert.equal(created.status, 201);
    const c = created.body.data;
    assert.equal(c.reference, 'PO-3100001');
    // … and wrapped (spec) are both accepted (§3.5).
    const wrapped = await h.json('/api/2.0/consignments', {
      method: 'POST',
      json: { data: { type: 'SUPPLIER', outlet_id: outlet, name: 'wrapped' } },
    });
    assert.equal(wrapped.status, 201);
    assert.equal(
      (
        await h.json('/api/2.0/consignments', {
          method: 'POST',
          json: { type: 'SUPPLIER', status: 'RECEIVED', outlet_id: outlet, name: 'x' },
        })
      ).status,
      422,
    );
    assert.equal(
      (await h.json(`/api/2.0/consignments/${c.id}`, { method: 'PUT', json: { status: 'SENT' } })).status,
      422,
      'no products yet',
    );

    const line = await h.json(`/api/2.0/consignments/${c.id}/products`, {
      method: 'POST',
      json: { product_id: a.id, count: 4, cost: 10 },
    });
    assert.equal(line.status, 200);
    assert.equal(line.body.data.count, '4.00000');
    assert.equal(line.body.data.status, 'PENDING');
    assert.equal(
      (await h.json(`/api/2.0/consignments/${c.id}/products`, { method: 'POST', json: { product_id: a.id, count: 1 } }))
        .status,
      422,
    );
    const bulk = await h.json(`/api/2.0/consignments/${c.id}/bulk`, {
      method: 'POST',
      json: [
        { product_id: b.id, count: 2 },
        { product_id: a.id, count: 1 },
      ],
    });
    assert.equal(bulk.status, 200);
    assert.equal(bulk.body.data[a.id].count, '5.00000', 'bulk count accumulates');
    assert.equal((await h.json(`/api/2.0/consignments/${c.id}`)).body.data.status, 'OPEN');

    assert.equal(
      (await h.json(`/api/2.0/consignments/${c.id}`, { method: 'PUT', json: { status: 'SENT' } })).body.data.status,
      'SENT',
    );
    assert.equal(
      (await h.json(`/api/2.0/consignments/${c.id}`, { method: 'PUT', json: { status: 'OPEN' } })).status,
      422,
      'no going back',
    );
    assert.equal(
      (await h.json(`/api/2.0/consignments/${c.id}`, { method: 'PUT', json: { status: 'RECEIVED' } })).status,
      422,
      'nothing received',
    );
    // A received value on a SENT order marks it DISPATCHED.
    await h.json(`/api/2.0/consignments/${c.id}/bulk`, { method: 'POST', json: [{ product_id: a.id, received: 5 }] });
    assert.equal((await h.json(`/api/2.0/consignments/${c.id}`)).body.data.status, 'DISPATCHED');
    const before = h.sim.db.inventoryFor(a.id, outlet)?.inventory_level ?? 0;
    const received = await h.json(`/api/2.0/consignments/${c.id}`, { method: 'PUT', json: { status: 'RECEIVED' } });
    assert.equal(received.body.data.status, 'RECEIVED');
    assert.ok(received.body.data.received_at);
    assert.equal(h.sim.db.inventoryFor(a.id, outlet)?.inventory_level, before + 5);
    assert.equal(
      (await h.json(`/api/2.0/consignments/${c.id}`, { method: 'PUT', json: { name: 'late edit' } })).status,
      422,
    );
    const totals = await h.json(`/api/2.0/consignments/${c.id}/totals`);
    assert.equal(totals.body.data[0].total_received_count, '5.00000');
    const lines = await h.json(`/api/2.0/consignments/${c.id}/products`);
    assert.equal(lines.body.data.length, 2);
    const list = await h.json('/api/2.0/consignments?type=SUPPLIER');
    assert.ok(Array.isArray(list.body), 'spec 1: a bare array');
    const page = await h.fetchHtml('/backoffice/consignments');
    assert.match(page, /Synced from NuORDER/);
  });

  test('cancel, composite refused, delete', async () => {
    const outlet = await firstOutlet();
    const c = (
      await h.json('/api/2.0/consignments', {
        method: 'POST',
        json: { type: 'SUPPLIER', outlet_id: outlet, name: 'to cancel' },
      })
    ).body.data;
    const [a] = await activeProducts(1);
    const comp = await h.json('/api/2.0/products', {
      method: 'POST',
      json: { name: 'Bundle', composite: [{ product_id: a.id, quantity: 2 }] },
    });
    const refused = await h.json(`/api/2.0/consignments/${c.id}/products`, {
      method: 'POST',
      json: { product_id: comp.body.data[0], count: 1 },
    });
    assert.equal(refused.status, 422);
    assert.equal(
      (await h.json(`/api/2.0/consignments/${c.id}`, { method: 'PUT', json: { status: 'CANCELLED' } })).body.data
        .status,
      'CANCELLED',
    );
    assert.equal(
      (await h.json(`/api/2.0/consignments/${c.id}`, { method: 'PUT', json: { status: 'OPEN' } })).status,
      422,
    );
    const d = (
      await h.json('/api/2.0/consignments', {
        method: 'POST',
        json: { type: 'SUPPLIER', outlet_id: outlet, name: 'to delete' },
      })
    ).body.data;
    assert.equal((await h.api(`/api/2.0/consignments/${d.id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await h.json(`/api/2.0/consignments/${d.id}`)).body.data.deleted_at !== null, true);
  });
});

describe('sales', () => {
  test('every status is listed with state + attributes in step', async () => {
    const { body } = await h.json('/api/2.0/sales?page_size=100');
    const byStatus = new Map(body.data.map((s: any) => [s.status, s]));
    for (const status of [
      'SAVED',
      'CLOSED',
      'LAYBY',
      'ONACCOUNT',
      'AWAITING_PICKUP',
      'AWAITING_DISPATCH',
      'DISPATCHED_CLOSED',
      'PICKED_UP_CLOSED',
      'VOIDED',
    ])
      assert.ok(byStatus.has(status), status);
    assert.equal((byStatus.get('AWAITING_DISPATCH') as any).state, 'pending');
    assert.deepEqual((byStatus.get('AWAITING_DISPATCH') as any).attributes, ['delivery']);
    assert.deepEqual((byStatus.get('PICKED_UP_CLOSED') as any).attributes, ['pickup']);
    assert.equal((byStatus.get('SAVED') as any).state, 'parked');
  });

  test('0.9 register_sales, date-versioned create, fulfil', async () => {
    const [p] = await activeProducts(1);
    const user = h.sim.db.users.values()[0]?.id;
    const tax = h.sim.db.taxes.values()[0]?.id;
    const outlet = h.sim.db.registers.values()[0]?.outlet_id as string;
    const stock = h.sim.db.inventoryFor(p.id, outlet)?.inventory_level ?? 0;
    const legacy = await h.json('/api/register_sales', {
      method: 'POST',
      json: {
        user_id: user,
        status: 'AWAITING_DISPATCH',
        source_id: 'SO-1',
        register_sale_products: [{ product_id: p.id, quantity: 2, price: 10, tax: 0.8, tax_id: tax }],
      },
    });
    assert.equal(legacy.status, 200);
    const sale = legacy.body.register_sale;
    assert.equal(sale.status, 'AWAITING_DISPATCH');
    assert.equal(h.sim.db.inventoryFor(p.id, outlet)?.inventory_level, stock - 2);
    assert.equal((await h.json('/api/register_sales', { method: 'POST', json: { status: 'SAVED' } })).status, 400);
    const fulfilled = await h.json(`/api/2.0/sales/${sale.id}/fulfill`, {
      method: 'POST',
      json: { fulfillment_type: 'SHIPPED' },
    });
    assert.equal(fulfilled.status, 200);
    assert.equal(fulfilled.body.data.status, 'SHIPPED');
    const after = (await h.json(`/api/2.0/sales/${sale.id}`)).body.data;
    assert.equal(after.status, 'DISPATCHED_CLOSED');
    assert.equal(after.state, 'closed');
    assert.equal((await h.json(`/api/2.0/sales/${sale.id}/fulfillments`)).body.data.length, 1);

    const created = await h.json('/api/2026-01/sales', {
      method: 'POST',
      json: {
        source: { author_id: user, id: 'ERP-SO-9', type: 'NetSuite' },
        state: 'pending',
        attributes: ['pickup'],
        line_items: [
          { product: { id: p.id }, quantity: 1, pricing: { price: '12' }, tax: { id: tax, amount: '0.96' } },
        ],
      },
    });
    // F2: the date-versioned reply is 200 `{data: Sale}` in the 2026-07 shape; the 2.0 read has the status.
    assert.equal(created.status, 200);
    assert.equal(created.body.data.status, undefined);
    assert.equal(created.body.data.state, 'pending');
    assert.deepEqual(created.body.data.attributes, ['pickup']);
    assert.equal(created.body.data.source.id, 'ERP-SO-9');
    assert.equal(created.body.data.line_items[0].product.id, p.id);
    const read20 = (await h.json(`/api/2.0/sales/${created.body.data.id}`)).body.data;
    assert.equal(read20.status, 'AWAITING_PICKUP');
    assert.equal(read20.source_id, 'ERP-SO-9');
    const clash = await h.json('/api/2026-01/sales', {
      method: 'POST',
      json: { source: { author_id: user }, state: 'pending', attributes: ['pickup', 'delivery'] },
    });
    assert.equal(clash.status, 422);
    // Each field SaleRequestBase requires is named when missing, and nothing is written.
    const before = h.sim.db.sales.size;
    const line = { product: { id: p.id }, quantity: 1, pricing: { price: 12 }, tax: { id: tax, amount: 0 } };
    const missing: Array<[string, unknown]> = [
      ['source', { state: 'closed', line_items: [line] }],
      ['source.author_id', { source: {}, state: 'closed', line_items: [line] }],
      ['state', { source: { author_id: user }, line_items: [line] }],
      [
        'line_items[0].product.id',
        { source: { author_id: user }, state: 'closed', line_items: [{ ...line, product: {} }] },
      ],
      [
        'line_items[0].quantity',
        { source: { author_id: user }, state: 'closed', line_items: [{ ...line, quantity: undefined }] },
      ],
      [
        'line_items[0].pricing.price',
        { source: { author_id: user }, state: 'closed', line_items: [{ ...line, pricing: {} }] },
      ],
      [
        'line_items[0].tax.id',
        { source: { author_id: user }, state: 'closed', line_items: [{ ...line, tax: { amount: 0 } }] },
      ],
      [
        'line_items[0].tax.amount',
        { source: { author_id: user }, state: 'closed', line_items: [{ ...line, tax: { id: tax } }] },
      ],
    ];
    for (const [field, json] of missing) {
      const res = await h.json('/api/2026-07/sales', { method: 'POST', json });
      assert.equal(res.status, 422, field);
      assert.deepEqual(Object.keys(res.body.details), [field]);
    }
    assert.equal(h.sim.db.sales.size, before, 'a refused sale writes nothing');
    const notAwaiting = await h.json(`/api/2.0/sales/${created.body.data.id}/fulfill`, {
      method: 'POST',
      json: { fulfillment_type: 'NOPE' },
    });
    assert.equal(notAwaiting.status, 422);
  });
});

describe('webhooks', () => {
  test('register a webhook and receive a signed form-encoded delivery', async () => {
    const got: Array<{ headers: Record<string, unknown>; body: string }> = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        got.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const made = await h.json('/api/2.0/webhooks', {
        method: 'POST',
        json: { url, active: true, type: 'product.update' },
      });
      assert.equal(made.status, 201);
      assert.equal(
        (await h.json('/api/2.0/webhooks', { method: 'POST', json: { url, active: true, type: 'product.update' } }))
          .status,
        409,
      );
      await h.json('/api/2.0/products', { method: 'POST', json: { name: 'Hooked', sku: 'HOOK-1' } });
      await h.sim.webhooks.idle();
      assert.equal(got.length, 1);
      const delivery = got[0] as { headers: Record<string, unknown>; body: string };
      assert.match(String(delivery.headers['content-type']), /x-www-form-urlencoded/);
      const payload = JSON.parse(new URLSearchParams(delivery.body).get('payload') as string);
      assert.equal(payload.sku, 'HOOK-1');
      const expected = createHmac('sha256', 'tradeloop-dev-secret').update(delivery.body).digest('base64');
      assert.equal(delivery.headers['x-signature'], `signature=${expected},algorithm=HMAC-SHA256`);
      await h.api(`/api/2.0/webhooks/${made.body.data.id}`, { method: 'DELETE' });
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });
});

describe('rate limits and faults', () => {
  test('429 with real headers, recovery after the window', async () => {
    await h.control('/_sim/config', 'PUT', { rateLimit: { limit: 3 } });
    try {
      const first = await h.api('/api/2.0/outlets');
      assert.equal(first.headers.get('x-ratelimit-limit'), '3');
      const remaining = Number(first.headers.get('x-ratelimit-remaining'));
      for (let i = 0; i < remaining; i++) await h.api('/api/2.0/outlets');
      const limited = await h.api('/api/2.0/outlets');
      assert.equal(limited.status, 429);
      assert.deepEqual(await limited.json(), { error: 'Too Many Requests', message: 'Rate limiting enforced' });
      const retry = limited.headers.get('retry-after') as string;
      assert.match(retry, /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      await h.control('/_sim/clock', 'POST', { advanceSeconds: 300 });
      assert.equal((await h.api('/api/2.0/outlets')).status, 200);
    } finally {
      await h.control('/_sim/config', 'PUT', { rateLimit: { limit: null } });
    }
    const cfg = await h.control('/_sim/config', 'PUT', { registers: 3 });
    assert.equal(cfg.registers, 3);
    assert.equal((await h.api('/api/2.0/outlets')).headers.get('x-ratelimit-limit'), String(300 * 3 + 50));
    await h.control('/_sim/config', 'PUT', { registers: null });
  });

  test('each fault kind, times, and request counting', async () => {
    await h.control('/_sim/requests', 'DELETE');
    await h.control('/_sim/faults', 'POST', { kind: 'latency', path: '/api/2.0/outlets', latencyMs: 50, times: 1 });
    const t = Date.now();
    assert.equal((await h.api('/api/2.0/outlets')).status, 200);
    assert.ok(Date.now() - t >= 45);

    await h.control('/_sim/faults', 'POST', { kind: 'error', path: '/api/2.0/outlets', status: 503, times: 2 });
    assert.equal((await h.api('/api/2.0/outlets')).status, 503);
    assert.equal((await h.api('/api/2.0/outlets')).status, 503);
    assert.equal((await h.api('/api/2.0/outlets')).status, 200, 'times: 2 used up');

    await h.control('/_sim/faults', 'POST', {
      kind: 'rate_limit',
      path: '/api/2.0/outlets',
      retryAfterSeconds: 30,
      times: 1,
    });
    const limited = await h.api('/api/2.0/outlets');
    assert.equal(limited.status, 429);
    assert.ok(limited.headers.get('retry-after'));

    await h.control('/_sim/faults', 'POST', { kind: 'token_expired', path: '/api/2.0/outlets', times: 1 });
    const expired = await h.api('/api/2.0/outlets');
    assert.equal(expired.status, 401);
    assert.deepEqual(await expired.json(), { error: 'Access token is not valid' });

    await h.control('/_sim/faults', 'POST', { kind: 'hang', path: '/api/2.0/outlets', times: 1 });
    await assert.rejects(h.api('/api/2.0/outlets', { signal: AbortSignal.timeout(150) }));

    const outlet = await firstOutlet();
    await h.control('/_sim/faults', 'POST', {
      kind: 'ghost_write',
      method: 'POST',
      path: '/api/2.0/consignments',
      times: 1,
    });
    const ghost = await h.json('/api/2.0/consignments', {
      method: 'POST',
      json: { type: 'SUPPLIER', outlet_id: outlet, name: 'ghost-write', reference: 'GW-1' },
    });
    assert.equal(ghost.status, 500);
    assert.ok(
      h.sim.db.consignments.values().some((c) => c.reference === 'GW-1'),
      'the write committed',
    );

    await h.control('/_sim/faults', 'POST', {
      kind: 'ghost_drop',
      method: 'POST',
      path: '/api/2.0/consignments',
      times: 1,
    });
    await assert.rejects(
      h.api('/api/2.0/consignments', {
        method: 'POST',
        json: { type: 'SUPPLIER', outlet_id: outlet, name: 'ghost-drop', reference: 'GD-1' },
      }),
    );
    assert.ok(h.sim.db.consignments.values().some((c) => c.reference === 'GD-1'));

    const counts = await h.control('/_sim/requests');
    assert.ok(counts.byRoute['GET /api/2.0/outlets'] >= 8);
    assert.equal(counts.byRoute['POST /api/2.0/consignments'], 2);
    await h.control('/_sim/faults', 'DELETE');
  });
});

describe('state', () => {
  test('snapshot round-trip through the control API', async () => {
    const state = await h.control('/_sim/state');
    const other = createLightspeedXSimulator();
    const res = await other.app.request('/_sim/state', { method: 'PUT', body: JSON.stringify(state) });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(JSON.stringify(other.exportState())), JSON.parse(JSON.stringify(h.sim.exportState())));
    assert.equal(other.db.productsWithCode(h.sim.db.products.values()[0]?.sku as string).length, 1);
  });

  test('seeding is deterministic', () => {
    const a = createLightspeedXSimulator();
    const b = createLightspeedXSimulator();
    a.seedScenario('small', {});
    b.seedScenario('small', {});
    assert.deepEqual(a.exportState(), b.exportState());
  });

  test('back office pages render', async () => {
    for (const path of [
      '/backoffice',
      '/backoffice/products?page=2',
      '/backoffice/inventory',
      '/backoffice/sales',
      '/backoffice/consignments',
    ]) {
      const res = await fetch(`${h.url}${path}`);
      assert.equal(res.status, 200, path);
    }
    const p = h.sim.db.products.values()[0];
    assert.match(await h.fetchHtml(`/backoffice/products/${p?.id}`), /UPC|CUSTOM/);
  });
});
