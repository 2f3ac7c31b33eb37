/**
 * Purchase orders a merchant makes and receives in the back office (issues 14 and 15): created for a supplier,
 * visible through the consignments API as the connector reads it, received partly (stock and stock value change
 * by exactly the received units, the shortfall stays on order), cancelled; and what the rules refuse.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from './helpers.test-util.ts';

type Json = Record<string, any>;

let h: Harness;
before(async () => {
  h = await startHarness('demo');
});
after(async () => {
  await h.server.close();
});

async function form(path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${h.url}${path}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
}

/** Two live products of one supplier, with SKUs, and the first outlet. */
function supplierProducts(): { supplier: string; outlet: string; a: Json; b: Json } {
  const db = h.sim.db;
  const outlet = db.outlets.values()[0]?.id ?? '';
  for (const s of db.suppliers.values()) {
    const mine = db.products.values().filter((p) => p.supplier_id === s.id && p.deleted_at === null && p.sku);
    if (mine.length >= 2) return { supplier: s.id, outlet, a: mine[0] as Json, b: mine[1] as Json };
  }
  throw new Error('no supplier with two products');
}

const level = (productId: string, outletId: string): { level: number; value: number } => {
  const i = h.sim.db.inventoryFor(productId, outletId);
  return { level: i?.inventory_level ?? 0, value: (i?.inventory_level ?? 0) * (i?.average_cost ?? 0) };
};

describe('purchase orders made in the back office', () => {
  let poId = '';

  test('a merchant creates a PO for a supplier (lines by SKU and by box); the API lists it with its lines', async () => {
    const { supplier, outlet, a, b } = supplierProducts();
    const res = await form('/backoffice/consignments', {
      supplier_id: supplier,
      outlet_id: outlet,
      name: 'Spring reorder',
      [`q:${a['id']}`]: '5',
      lines: `${String(b['sku']).toUpperCase()}, 3, 7.25`,
      status: 'SENT',
    });
    assert.equal(res.status, 303, await res.text());
    poId = (res.headers.get('location') ?? '').split('/').pop() ?? '';
    const listed = await h.json<Json[]>('/api/2.0/consignments?type=SUPPLIER&status=SENT');
    const po = listed.body.find((c) => c['id'] === poId);
    assert.equal(po?.['name'], 'Spring reorder');
    assert.equal(po?.['supplier_id'], supplier);
    const lines = await h.json<Json>(`/api/2.0/consignments/${poId}/products`);
    const byProduct = new Map((lines.body['data'] as Json[]).map((l) => [l['product_id'], l]));
    assert.equal(byProduct.get(a['id'])?.['count'], '5.00000');
    assert.equal(byProduct.get(b['id'])?.['count'], '3.00000');
    assert.equal(byProduct.get(b['id'])?.['cost'], '7.25000');
  });

  test('shipment facts written on the PO (note, order number, supplier invoice) show on its page', async () => {
    const put = await h.json(`/api/2.0/consignments/${poId}`, {
      method: 'PUT',
      json: { name: 'Spring reorder · UPS 1Z999AA10123456784 shipped 2026-11-20', supplier_invoice: 'INV-88' },
    });
    assert.equal(put.status, 200);
    const page = await h.fetchHtml(`/backoffice/consignments/${poId}`);
    assert.match(page, /Note \(name\)[\s\S]*UPS 1Z999AA10123456784/);
    assert.match(page, /Supplier invoice \(supplier_invoice\)[\s\S]*INV-88/);
  });

  test('receiving in part: stock and its value grow by exactly the received units; the rest is a new SENT order', async () => {
    const { outlet, a, b } = supplierProducts();
    const before = { a: level(a['id'], outlet), b: level(b['id'], outlet) };
    const zero = await form(`/backoffice/consignments/${poId}/receive`, {
      [`r:${a['id']}`]: '0',
      [`r:${b['id']}`]: '0',
    });
    assert.equal(zero.status, 422, 'nothing received is refused');
    assert.equal((await h.json<Json>(`/api/2.0/consignments/${poId}`)).body['data']['status'], 'SENT');

    const res = await form(`/backoffice/consignments/${poId}/receive`, {
      [`r:${a['id']}`]: '4',
      [`r:${b['id']}`]: '3',
      remainder: '1',
    });
    assert.equal(res.status, 303);
    const po = (await h.json<Json>(`/api/2.0/consignments/${poId}`)).body['data'];
    assert.equal(po['status'], 'RECEIVED');
    assert.equal(po['total_count_gain'], 7);
    const after = { a: level(a['id'], outlet), b: level(b['id'], outlet) };
    assert.equal(after.a.level - before.a.level, 4);
    assert.equal(after.b.level - before.b.level, 3);
    assert.ok(Math.abs(after.b.value - before.b.value - 3 * 7.25) < 0.01, 'stock value grows by the received cost');
    const totals = (await h.json<Json>(`/api/2.0/consignments/${poId}/totals`)).body['data'][0];
    assert.equal(totals['total_received_count'], '7.00000');

    const rest = h.sim.db.consignments
      .values()
      .find((c) => c.name === 'Spring reorder · UPS 1Z999AA10123456784 shipped 2026-11-20 (remainder)');
    assert.equal(rest?.status, 'SENT');
    assert.deepEqual(
      h.sim.db.linesOf(rest?.id ?? '').map((l) => [l.product_id, l.count]),
      [[a['id'], 1]],
    );
    const page = await h.fetchHtml(`/backoffice/consignments/${poId}`);
    assert.match(page, /Received 7 units/);
  });

  test('a RECEIVED PO refuses a cancel or an edit (§3.2); an OPEN one cancels', async () => {
    const cancel = await form(`/backoffice/consignments/${poId}/status`, { status: 'CANCELLED' });
    assert.equal(cancel.status, 422);
    const put = await h.json(`/api/2.0/consignments/${poId}`, { method: 'PUT', json: { name: 'changed' } });
    assert.equal(put.status, 422);
    const { supplier, outlet, a } = supplierProducts();
    const open = await form('/backoffice/consignments', {
      supplier_id: supplier,
      outlet_id: outlet,
      [`q:${a['id']}`]: '2',
      status: 'OPEN',
    });
    const openId = (open.headers.get('location') ?? '').split('/').pop() ?? '';
    assert.equal((await form(`/backoffice/consignments/${openId}/status`, { status: 'CANCELLED' })).status, 303);
    assert.equal((await h.json<Json>(`/api/2.0/consignments/${openId}`)).body['data']['status'], 'CANCELLED');
  });

  test('X-Series has no merge: the product page says so and deactivates a duplicate instead', async () => {
    const { a } = supplierProducts();
    const page = await h.fetchHtml(`/backoffice/products/${a['family_id']}`);
    assert.match(page, /X-Series has no merge/);
    assert.equal((await form(`/backoffice/products/${a['id']}/active`, { active: '0' })).status, 303);
    const read = await h.json<Json>(`/api/2.0/products/${a['id']}`);
    assert.equal(read.body['data']['is_active'], false);
  });
});
