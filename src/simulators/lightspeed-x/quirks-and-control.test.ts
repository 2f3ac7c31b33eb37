/**
 * Contract gaps of lightspeed-x.test.ts closed (acceptance 1 of the simulators issue): every sale status with
 * its §5.1 `state` + `attributes`, search by a barcode code, the "any received value on an OPEN/SENT order
 * marks it DISPATCHED" quirk through the single-line PUT, the real default rate limit (300 × registers + 50),
 * and the control API routes the other file does not drive: reset, seed by scenario name with options and by
 * posted data, and the snapshot file.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { serveApp } from '../shared/server.ts';
import { startHarness, type Harness } from './helpers.test-util.ts';
import { createLightspeedXSimulator } from './index.ts';

let h: Harness;
before(async () => {
  h = await startHarness('demo');
});
after(async () => {
  await h.server.close();
});

describe('§5.1 sale statuses', () => {
  test('each of the 13 status values is served with the state + attributes the reference maps it to', async () => {
    const expected: Record<string, [string, string[]]> = {
      SAVED: ['parked', []],
      CLOSED: ['closed', []],
      ONACCOUNT: ['pending', ['onaccount']],
      ONACCOUNT_CLOSED: ['closed', ['onaccount']],
      LAYBY: ['pending', ['layby']],
      LAYBY_CLOSED: ['closed', ['layby']],
      AWAITING_DISPATCH: ['pending', ['delivery']],
      AWAITING_PICKUP: ['pending', ['pickup']],
      DISPATCHED_CLOSED: ['closed', ['delivery']],
      PICKED_UP_CLOSED: ['closed', ['pickup']],
      VOIDED: ['voided', []],
      SERVICE: ['pending', ['service']],
      SERVICE_CLOSED: ['closed', ['service']],
    };
    const { body } = await h.json('/api/2.0/sales?page_size=500');
    const seen = new Set<string>();
    for (const sale of body.data) {
      const want = expected[sale.status];
      assert.ok(want, `unexpected status ${sale.status}`);
      assert.equal(sale.state, want[0], `${sale.status} state`);
      assert.deepEqual(sale.attributes, want[1], `${sale.status} attributes`);
      seen.add(sale.status);
    }
    assert.deepEqual([...seen].sort(), Object.keys(expected).sort(), 'the demo holds one sale per status');
    // The search API filters by the same values.
    const voided = await h.json('/api/2.0/search?type=sales&status=VOIDED');
    assert.ok(voided.body.data.length >= 1 && voided.body.data.every((s: any) => s.status === 'VOIDED'));
  });

  test('a sale created with state + attributes reads back with the matching status, and voiding keeps them in step', async () => {
    const product = h.sim.db.products.values().find((p) => p.is_active && p.deleted_at === null);
    const user = h.sim.db.users.values()[0]?.id;
    const tax = h.sim.db.taxes.values()[0]?.id;
    const made = await h.json('/api/2026-01/sales', {
      method: 'POST',
      json: {
        source: { author_id: user },
        state: 'pending',
        attributes: ['layby'],
        line_items: [
          { product: { id: product?.id }, quantity: 1, pricing: { price: '10' }, tax: { id: tax, amount: '0.80' } },
        ],
      },
    });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    assert.equal((await h.json(`/api/2.0/sales/${made.body.data.id}`)).body.data.status, 'LAYBY');
    // SaleUpdateRequest requires the author too (SaleRequestBase).
    const noAuthor = await h.json(`/api/2026-01/sales/${made.body.data.id}`, {
      method: 'PUT',
      json: { state: 'voided', attributes: [] },
    });
    assert.equal(noAuthor.status, 422, JSON.stringify(noAuthor.body));
    const voided = await h.json(`/api/2026-01/sales/${made.body.data.id}`, {
      method: 'PUT',
      json: { source: { author_id: user }, state: 'voided', attributes: [] },
    });
    assert.equal(voided.status, 200, JSON.stringify(voided.body));
    assert.equal(voided.body.data.state, 'voided');
    const read = (await h.json(`/api/2.0/sales/${made.body.data.id}`)).body.data;
    assert.equal(read.status, 'VOIDED');
    assert.equal(read.state, 'voided');
    const pendingBare = await h.json('/api/2026-01/sales', {
      method: 'POST',
      json: { source: { author_id: user }, state: 'pending', attributes: [] },
    });
    assert.equal(pendingBare.status, 422, 'pending needs an attribute');
  });
});

describe('search and consignment quirks', () => {
  test('search by a barcode finds the product through its product_codes; upper-case SKUs find nothing', async () => {
    const p = h.sim.db.products.values().find((x) => x.is_active && x.product_codes.some((c) => c.type === 'UPC'));
    const upc = p?.product_codes.find((c) => c.type === 'UPC')?.code as string;
    const found = await h.json(`/api/2.0/search?type=products&sku=${upc}`);
    assert.ok(
      found.body.data.some((x: any) => x.id === p?.id),
      `UPC ${upc} finds ${p?.sku}`,
    );
    assert.ok(found.body.data.every((x: any) => x.product_codes.some((c: any) => c.code === upc)));
    const none = await h.json(`/api/2.0/search?type=products&sku=${p?.sku}`);
    assert.equal(none.body.data.length, 0, 'search sku values must be lower-cased (§2.4)');
  });

  test('any received value — even 0 — sent on a SENT line marks the order DISPATCHED; on an OPEN one too', async () => {
    const outlet = (await h.json('/api/2.0/outlets')).body.data[0].id;
    const [a] = h.sim.db.products.values().filter((p) => p.is_active && p.deleted_at === null);
    const order = async (name: string, status: 'OPEN' | 'SENT'): Promise<string> => {
      const c = (
        await h.json('/api/2.0/consignments', { method: 'POST', json: { type: 'SUPPLIER', outlet_id: outlet, name } })
      ).body.data;
      await h.json(`/api/2.0/consignments/${c.id}/products`, { method: 'POST', json: { product_id: a?.id, count: 2 } });
      if (status === 'SENT')
        assert.equal(
          (await h.json(`/api/2.0/consignments/${c.id}`, { method: 'PUT', json: { status: 'SENT' } })).status,
          200,
        );
      return c.id;
    };
    const sent = await order('quirk sent', 'SENT');
    const zero = await h.json(`/api/2.0/consignments/${sent}/products/${a?.id}`, {
      method: 'PUT',
      json: { received: 0 },
    });
    assert.equal(zero.status, 200);
    assert.equal(zero.body.data.data[0].received, '0.00000', 'spec 1 keeps the double data wrapper');
    assert.equal((await h.json(`/api/2.0/consignments/${sent}`)).body.data.status, 'DISPATCHED');
    const open = await order('quirk open', 'OPEN');
    await h.json(`/api/2.0/consignments/${open}/products/${a?.id}`, { method: 'PUT', json: { received: 1 } });
    assert.equal((await h.json(`/api/2.0/consignments/${open}`)).body.data.status, 'DISPATCHED');
    // In DISPATCHED, lines cannot be removed.
    assert.equal((await h.api(`/api/2.0/consignments/${open}/products/${a?.id}`, { method: 'DELETE' })).status, 422);
  });
});

describe('rate limit with the real numbers', () => {
  test('the default limit is 300 × registers + 50 per 5-minute window, with X-RateLimit-Remaining counting down', async () => {
    await h.control('/_sim/clock', 'POST', { set: '2026-11-01T12:00:00Z', freeze: true });
    const first = await h.api('/api/2.0/outlets');
    assert.equal(first.headers.get('x-ratelimit-limit'), String(300 * 2 + 50), 'the demo store has 2 registers');
    const remaining = Number(first.headers.get('x-ratelimit-remaining'));
    const second = await h.api('/api/2.0/outlets');
    assert.equal(Number(second.headers.get('x-ratelimit-remaining')), remaining - 1);
    // A register added through the seed raises the limit.
    await h.control('/_sim/config', 'PUT', { registers: 5 });
    assert.equal((await h.api('/api/2.0/outlets')).headers.get('x-ratelimit-limit'), String(300 * 5 + 50));
    await h.control('/_sim/config', 'PUT', { registers: null });
  });
});

describe('control API: reset, seed by name and by data, snapshot file', () => {
  test('reset empties the store and its tokens; seeding a scenario by name (with options) and posted data refill it', async () => {
    const sim = createLightspeedXSimulator();
    const server = await serveApp(sim.app, 0);
    const call = async (
      path: string,
      method = 'GET',
      body?: unknown,
      token?: string,
    ): Promise<{ status: number; body: any }> => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    try {
      assert.equal((await call('/_sim')).body.system, 'lightspeed-x');
      const seeded = await call('/_sim/seed', 'POST', { scenario: 'small', options: { registers: 3 } });
      assert.equal(seeded.status, 200, JSON.stringify(seeded.body));
      assert.equal(seeded.body.summary.registers, 3);
      let token = (await call('/_sim/tokens', 'POST', {})).body.access_token as string;
      const products = await call('/api/2.0/products?page_size=1000', 'GET', undefined, token);
      assert.equal(products.body.data.length, seeded.body.summary.products);
      const limited = await fetch(`${server.url}/api/2.0/outlets`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(limited.headers.get('x-ratelimit-limit'), String(300 * 3 + 50));

      const state = (await call('/_sim/state')).body;
      const supplier = {
        ...state.suppliers[0],
        id: '0aa0a0a0-0000-4000-8000-000000000001',
        name: 'Posted Supplier Co.',
        version: state.lastVersion + 1,
      };
      const posted = await call('/_sim/seed', 'POST', { data: { suppliers: [supplier] } });
      assert.equal(posted.status, 200, JSON.stringify(posted.body));
      const one = await call(`/api/2.0/suppliers/${supplier.id}`, 'GET', undefined, token);
      assert.equal(one.body.data.name, 'Posted Supplier Co.');
      assert.equal((await call('/_sim/seed', 'POST', { scenario: 'nope' })).status, 400);
      assert.equal((await call('/_sim/seed', 'POST', { data: { suppliers: 'x' } })).status, 400);

      assert.equal((await call('/_sim/reset', 'POST')).status, 200);
      assert.equal((await call('/_sim/requests')).body.total, 0, 'request counts are reset');
      assert.equal((await call('/api/2.0/outlets', 'GET', undefined, token)).status, 401, 'tokens are gone');
      token = (await call('/_sim/tokens', 'POST', {})).body.access_token;
      assert.equal((await call('/api/2.0/products', 'GET', undefined, token)).body.data.length, 0);
    } finally {
      await server.close();
    }
  });

  test('POST /_sim/snapshot writes the state file a new simulator starts from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'x-sim-snapshot-'));
    const file = join(dir, 'lightspeed-x.json');
    try {
      const sim = createLightspeedXSimulator({ snapshotFile: file });
      sim.seedScenario('small', {});
      const server = await serveApp(sim.app, 0);
      try {
        const token = (await (await fetch(`${server.url}/_sim/tokens`, { method: 'POST', body: '{}' })).json()) as {
          access_token: string;
        };
        const made = await fetch(`${server.url}/api/2.0/suppliers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Snapshot Supply' }),
        });
        assert.equal(made.status, 200);
        const snap = await fetch(`${server.url}/_sim/snapshot`, { method: 'POST' });
        assert.equal(snap.status, 200);
      } finally {
        await server.close();
      }
      assert.ok(existsSync(file));
      assert.ok(readFileSync(file, 'utf8').includes('Snapshot Supply'));
      const restored = createLightspeedXSimulator({ snapshotFile: file });
      assert.ok(
        restored.db.suppliers.values().some((s) => s.name === 'Snapshot Supply'),
        'loaded at start',
      );
      const noFile = createLightspeedXSimulator();
      assert.equal((await noFile.app.request('/_sim/snapshot', { method: 'POST' })).status, 400);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
