/**
 * Every request body the X-Series connectors send, captured on the wire (the client's fetch records them on their
 * way to the simulator) and validated against the official 2.0 OpenAPI with CLOSED schemas: a field the spec does
 * not declare is one the real API may drop or refuse (F9: `variants[].source_variant_id`; F10: 2.1
 * `details.supply_price`). The spec's known defects are patched in one place (lightspeed-x-spec-defects.ts); the
 * 2026-07 sale body is held to the 2026-07 `SaleRequest` shape, closed as well.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gtinCheckDigit, parseGtin } from '../../src/core/gtin.ts';
import { money } from '../../src/core/money.ts';
import {
  productCorrelationKey,
  purchaseOrderCorrelationKey,
  variantCorrelationKey,
} from '../../src/core/pos-catalog.ts';
import type { NewProductSpec } from '../../src/core/ports/pos.ts';
import { startXHarness, type XHarness } from '../../src/connectors/lightspeed-x/harness.test-util.ts';
import { createXSeriesSales } from '../../src/connectors/lightspeed-x/sales.ts';
import { saleIdFor } from '../../src/core/sales/keys.ts';
import { specDefects } from './lightspeed-x-spec-defects.ts';
import { diffShape, formatMismatches, interaction } from './support/shapes.ts';
import { loadXSpec, requestSchema, requestValidator } from './support/x-openapi.ts';

interface Sent {
  method: string;
  path: string;
  body: unknown;
}

const sent: Sent[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  const method = (init?.method ?? 'GET').toUpperCase();
  if (typeof init?.body === 'string') {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    sent.push({ method, path: url.pathname, body: JSON.parse(init.body) });
  }
  return fetch(input, init);
};

let h: XHarness;
before(async () => {
  h = await startXHarness({ scenario: 'small', fetch: recordingFetch });
  // No Color/Size yet and a new brand: the export then creates them too, so those bodies are checked as well.
  for (const a of h.sim.db.variantAttributes.values()) h.sim.db.variantAttributes.delete(a.id);
});
after(async () => h.close());

let upcSeq = 0;
function productSpec(tag: string, supplierId: string, sizes: string[], existingParentId: string | null = null) {
  const matrix = `brand-req|${tag}|navy`;
  const spec: NewProductSpec = {
    correlationKey: productCorrelationKey(matrix),
    matrixKey: matrix,
    supplierId,
    brandName: 'Request Check Brand',
    styleNumber: `RQ-${tag}`,
    color: 'Navy',
    name: `Request check ${tag}`,
    season: 'SS27',
    category: 'Tops',
    images: [],
    existingParentId,
    variants: sizes.map((size) => {
      const body = `87${String(++upcSeq).padStart(9, '0')}`;
      const code = body + String(gtinCheckDigit(body));
      const parsed = parseGtin(code);
      return {
        variantKey: `${matrix}|${size}`,
        correlationKey: variantCorrelationKey(`${matrix}|${size}`),
        size,
        gtin14: parsed.ok ? parsed.gtin14 : null,
        upc: code,
        cost: money(1250, 'USD'),
        retail: money(2999, 'USD'),
      };
    }),
  };
  return spec;
}

/** Drives every write the export and the sales sync make. */
async function exerciseEveryWrite(): Promise<void> {
  const pos = h.makePos({ submitStatus: 'SENT', addVariantsToExistingParent: true });
  const outlet = (await pos.listLocations()).find((l) => !l.archived)!.id;
  const supplier = await pos.createSupplier({
    name: 'Request Check Brand',
    sourceBrandId: 'brand-req',
    currency: 'USD',
  });
  const family = await pos.createProduct(productSpec('fam', supplier.id, ['S', 'M']));
  const full = productSpec('fam', supplier.id, ['S', 'M', 'L']);
  const added = await pos.createProduct({
    ...full,
    existingParentId: family.parentId,
    variants: full.variants.slice(2),
  });
  const po = await pos.createPurchaseOrder({
    correlationKey: purchaseOrderCorrelationKey('nuorder', 'order-req-1', '3100901'),
    orderNumber: '3100901',
    locationId: outlet,
    supplierId: supplier.id,
    name: 'NuORDER 3100901',
    notes: 'Ship complete.',
    shipWindow: { start: '2026-12-01', end: '2026-12-15' },
    currency: 'USD',
    sourceOrderId: 'order-req-1',
  });
  const items = [...Object.values(family.variantIds), ...Object.values(added.variantIds)];
  const outcomes = await pos.addPurchaseOrderLines(
    po.id,
    items.map((posItemId, i) => ({ posItemId, quantity: 2, unitCost: money(1250, 'USD'), sourceLineKeys: [`l${i}`] })),
  );
  assert.ok(outcomes.every((o) => o.outcome === 'added'));
  await pos.submitPurchaseOrder(po.id);
  const updated = await pos.updateMatchedItems!([{ posItemId: items[0]!, cost: money(1300, 'USD') }]);
  assert.deepEqual(
    updated.map((u) => u.outcome),
    ['updated'],
  );

  const sales = createXSeriesSales(h.client);
  const [register] = await sales.registers();
  const tax = (await sales.taxes()).find((t) => t.rate === 0) ?? (await sales.taxes())[0]!;
  await sales.createSale({
    id: saleIdFor('request-check'),
    authorId: (await sales.users())[0]!.id,
    registerId: register!.id,
    sourceId: 'NS-SO1001',
    sourceType: 'TRADELOOP_NETSUITE',
    date: '2026-11-02T12:00:00Z',
    state: 'pending',
    attributes: ['delivery'],
    note: 'NetSuite sales order SO1001',
    lines: [{ productId: items[0]!, quantity: 2, price: 29.99, taxId: tax.id, taxAmount: 0, note: 'gift wrap' }],
    payment: { paymentTypeId: (await sales.paymentTypes())[0]!.id, amount: 59.98, date: '2026-11-02T12:00:00Z' },
    fulfillment: { type: 'DISPATCH', note: 'NetSuite SO1001' },
  });
}

test('every request body the connectors send fits the official spec, closed', async () => {
  // A write the simulator refuses stops the run; what was sent up to there is still checked (and reported first).
  const refused = await exerciseEveryWrite().then(
    () => undefined,
    (error: unknown) => error,
  );
  const spec = loadXSpec();
  const saleShape = interaction('lightspeed-x-2026-07-sales', 'POST', '/api/2026-07/sales').requestShape!;
  const problems: string[] = [];
  const calls = new Set<string>();
  for (const s of sent) {
    const call = `${s.method} ${s.path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '{id}')}`;
    calls.add(call);
    if (s.path === '/api/2026-07/sales') {
      const diff = diffShape(s.body, saleShape);
      if (diff.length > 0) problems.push(`${call}:\n${formatMismatches(diff)}`);
      continue;
    }
    const errors = requestValidator(spec, s.method, s.path)(s.body);
    if (errors.length > 0) problems.push(`${call}:\n${errors.join('\n')}`);
  }
  assert.deepEqual(problems, [], problems.join('\n\n'));
  if (refused) throw refused;
  // The export's writes, then the sale: each kind of body was seen (so none can drop out of the check unnoticed).
  assert.deepEqual([...calls].sort(), [
    'POST /api/2.0/brands',
    'POST /api/2.0/consignments',
    'POST /api/2.0/consignments/{id}/bulk',
    'POST /api/2.0/products',
    'POST /api/2.0/suppliers',
    'POST /api/2.0/variant_attributes',
    'POST /api/2.1/products',
    'POST /api/2026-07/sales',
    'PUT /api/2.0/consignments/{id}',
    'PUT /api/2.1/products/{id}',
  ]);
});

test('the closed schemas can fail: an undeclared field, a wrong type, a missing required field', () => {
  const spec = loadXSpec();
  const product = requestValidator(spec, 'POST', '/api/2.0/products');
  assert.deepEqual(product({ name: 'X', variants: [{ sku: 'a', variant_definitions: [] }] }), []);
  assert.deepEqual(product({ name: 'X', variants: [{ sku: 'a', source_variant_id: 'tl:a' }] }), [
    '/variants/0/source_variant_id: not in the spec',
  ]);
  assert.deepEqual(product({ variants: [] }), ["(body): must have required property 'name'"]);
  const update21 = requestValidator(spec, 'PUT', '/api/2.1/products/abc');
  assert.deepEqual(update21({ details: { supply_price: 1 } }), ['/details/supply_price: not in the spec']);
  const supplier = '0b8a7e2c-1d3f-4a5b-8c6d-7e8f9a0b1c2d';
  assert.deepEqual(update21({ details: { product_suppliers: [{ supplier_id: supplier, price: 1 }] } }), []);
  const bulk = requestValidator(spec, 'POST', '/api/2.0/consignments/abc/bulk');
  assert.deepEqual(bulk([{ count: 1 }]), ["/0: must have required property 'product_id'"]);
  assert.deepEqual(bulk([{ product_id: supplier, count: true }]), ['/0/count: must be string,number,null']);
  assert.equal(requestSchema(spec, 'GET', '/api/2.0/products'), undefined);
});

test('each spec defect has a unique id and says where and why', () => {
  const ids = specDefects.map((d) => d.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const d of specDefects) {
    assert.ok(d.where.length > 0 && d.reason.length > 40, d.id);
  }
});
