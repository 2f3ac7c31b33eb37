/**
 * `tradeloop doctor` for X-Series over the simulator: every probe is ok against a healthy store, nothing is written,
 * and a simulator told to send a changed shape (the `reshape` fault) turns the probe of that call into a `mismatch`
 * naming the field, while the other probes stay ok.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startXHarness, type XHarness } from './harness.test-util.ts';

describe('X-Series doctor', () => {
  let h: XHarness;
  before(async () => {
    h = await startXHarness({ scenario: 'demo' });
    // A purchase order, so the probe of a PO's lines has one to read.
    const outlet = h.sim.db.outlets.values()[0]!.id;
    const supplier = h.sim.db.suppliers.values()[0]!.id;
    const created = await h.api('/api/2.0/consignments', 'POST', {
      type: 'SUPPLIER',
      status: 'OPEN',
      outlet_id: outlet,
      supplier_id: supplier,
      name: 'Doctor check',
    });
    assert.equal(created.status, 201);
  });
  after(async () => h.close());

  test('every probe is ok against the simulator, and none writes', async () => {
    await h.control('/_sim/requests', 'DELETE');
    const checks = await h.pos.doctor!();
    assert.deepEqual(
      checks.filter((c) => c.outcome !== 'ok'),
      [],
      'all ok',
    );
    assert.deepEqual(
      checks.map((c) => c.call),
      [
        'GET /api/2.0/retailer',
        'GET /api/2.0/outlets',
        'GET /api/2.0/products?after=…&deleted=true',
        'GET /api/2.0/products/{id}',
        'GET /api/2.0/search?type=products&sku=…',
        'GET /api/2.0/variant_attributes',
        'GET /api/2.0/brands',
        'GET /api/2.0/suppliers',
        'GET /api/2.0/consignments?type=SUPPLIER',
        'GET /api/2.0/consignments/{id}/products',
        'GET /api/2.0/sales?after=…',
        'GET /api/2026-07/sales',
      ],
    );
    const seen = (await h.control('/_sim/requests?limit=100')).recent as Array<{ method: string }>;
    assert.equal(seen.length, checks.length, 'one request per probe');
    assert.ok(
      seen.every((r) => r.method === 'GET'),
      'read-only',
    );
  });

  test('a changed field is a mismatch naming it; the other probes stay ok', async () => {
    await h.fault({
      kind: 'reshape',
      method: 'GET',
      path: '/api/2.0/products',
      times: 1,
      reshape: { rename: { 'data.*.version': 'revision' } },
    });
    await h.fault({
      kind: 'reshape',
      method: 'GET',
      path: '/api/2026-07/sales',
      times: 1,
      reshape: { set: { 'data.*.state': 7 } },
    });
    const checks = await h.pos.doctor!();
    const bad = checks.filter((c) => c.outcome === 'mismatch');
    assert.deepEqual(
      bad.map((c) => [c.call, c.outcome, c.fields.map((f) => f.path)]),
      [
        [
          'GET /api/2.0/products?after=…&deleted=true',
          'mismatch',
          ['data[0].version', 'data[1].version', 'data[2].version', 'data[3].version', 'data[4].version'],
        ],
        ['GET /api/2026-07/sales', 'mismatch', ['data[0].state']],
      ],
    );
    assert.match(bad[0]!.fields[0]!.problem, /number/i);
    // The probes that read one product by the listing's ids say why they did not run.
    assert.deepEqual(
      checks.filter((c) => c.outcome === 'skipped').map((c) => [c.call, c.detail]),
      [
        ['GET /api/2.0/products/{id}', 'not run: the listing it needs did not read'],
        ['GET /api/2.0/search?type=products&sku=…', 'not run: the listing it needs did not read'],
      ],
    );
    assert.equal(checks.filter((c) => c.outcome === 'ok').length, checks.length - 4);
  });

  test('an unreachable store is an error per probe, not a crash', async () => {
    await h.fault({ kind: 'error', status: 503, path: '/api/2.0/retailer', times: 5 });
    const checks = await h.pos.doctor!();
    const retailer = checks.find((c) => c.call === 'GET /api/2.0/retailer');
    assert.equal(retailer?.outcome, 'error');
    assert.match(retailer?.detail ?? '', /REMOTE_UNAVAILABLE/);
    await h.control('/_sim/faults', 'DELETE');
  });
});
