import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mappings } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { buyer } from '../support/buyer.ts';
import { startEngine } from '../support/engine.ts';
import { readPos } from '../support/pos-state.ts';

/** RFC 4180 rows (quoted fields with "" and line breaks), for checking the CSV as a spreadsheet reads it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = (): void => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endCell();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows;
}

for (const system of ['lightspeed-x', 'lightspeed-r'] as const) {
  forEachDialect(`mappings and forecast on ${system}`, (getStore) => {
    test('a brand mapped to an existing supplier never gets a second one; a mapped ship-to preselects its location, in the review and in automatic sync', async () => {
      const e = await startEngine(getStore(), system, { brands: 1 });
      try {
        await e.drain();
        const api = buyer(e);
        const base = `/api/connections/${e.posConnection.id}`;
        const pos = await e.ctx.connectors.pointOfSale(e.posConnection);
        // The merchant's own supplier for the brand, under a name of their own (nothing matches it by name).
        const own = await pos.createSupplier({
          name: 'NW Wholesale Dept',
          sourceBrandId: 'legacy-erp-17',
          currency: 'USD',
        });
        const view = await api.ok('GET', `${base}/mappings`);
        const brand = view.brands[0];
        assert.equal(brand.supplier, null);
        assert.ok(view.suppliers.some((s: any) => s.id === own.id));

        const refused = await api.call('PUT', `${base}/mappings/brands/${brand.brandSourceId}`, { supplierId: 'nope' });
        assert.equal(refused.status, 400);
        assert.equal(refused.body.error.details[0].path, 'supplierId');
        assert.equal((await api.ok('GET', `${base}/mappings`)).brands[0].supplier, null, 'nothing saved');
        await api.ok('PUT', `${base}/mappings/brands/${brand.brandSourceId}`, { supplierId: own.id });

        const locations = await api.locations();
        const [address] = view.addresses;
        assert.ok(address && address.orders > 0, JSON.stringify(view.addresses));
        const badLocation = await api.call('PUT', `${base}/mappings/locations`, {
          addressKey: address.addressKey,
          locationId: 'outlet-of-another-store',
        });
        assert.equal(badLocation.status, 400);
        assert.equal(badLocation.body.error.details[0].path, 'locationId');
        const target = locations[1]!;
        await api.ok('PUT', `${base}/mappings/locations`, { addressKey: address.addressKey, locationId: target.id });

        const orders = await api.orders();
        const where = await api.ok('GET', `${base}/location-for?orderIds=${orders[0]!.id}`);
        assert.deepEqual([where.locationId, where.mapped], [target.id, true]);

        const before = await readPos(e.pos, system);
        let exported: any;
        for (const order of orders) {
          const p = await api.plan([order.id], where.locationId);
          if (!p.canApply) continue;
          assert.deepEqual(
            p.suppliers?.map((s) => s.supplierId),
            [own.id],
          );
          [exported] = await api.exportAndWait(p.id);
          break;
        }
        assert.equal(exported?.state, 'exported', JSON.stringify(exported));
        const after = await readPos(e.pos, system);
        const po = after.purchaseOrders.find((x) => x.id === exported.poId)!;
        assert.equal(po.supplierId, own.id, 'the mapped supplier');
        assert.equal(po.locationId, target.id);
        assert.equal(after.suppliers.length, before.suppliers.length, 'no supplier created');

        // Automatic sync: the connection's default location is another one; the mapping wins.
        await api.ok('PATCH', base, { syncMode: 'automatic', defaultLocationId: locations[0]!.id });
        const all = await api.plan(
          orders.filter((o) => o.id !== exported.orderId).map((o) => o.id),
          target.id,
        );
        const clean = all.lines.filter((l) => l.decision.kind === 'upc_match').slice(0, 2);
        const productOf = (lineKey: string) => decodeURIComponent(lineKey.split(':')[0] ?? '');
        const autoId = await api.newOrder(
          orders[0]!.brand,
          clean.map((l) => ({ productId: productOf(l.lineKey), size: l.size, quantity: 1 })),
        );
        await e.drain();
        const status = (await api.orders()).find((o) => o.id === autoId)!.sync[0].status;
        assert.equal(status.state, 'exported', JSON.stringify(status));
        const last = await readPos(e.pos, system);
        assert.equal(last.purchaseOrders.find((x) => x.id === status.poId)?.locationId, target.id);
        assert.equal(last.suppliers.length, before.suppliers.length, 'still no supplier created');
      } finally {
        await e.close();
      }
    });

    test('the forecast of the demo brand counts as a plan of an order of every style does; its CSV has one row per problem', async () => {
      const e = await startEngine(getStore(), system, { brands: 1 });
      try {
        await e.drain();
        const api = buyer(e);
        const [brand] = (await api.ok('GET', '/api/brands')).brands;
        assert.equal((await api.call('GET', '/api/brands/not-an-id/forecast')).status, 400);
        assert.equal((await api.call('GET', `/api/brands/${crypto.randomUUID()}/forecast`)).status, 404);
        const wrongPos = await api.call('GET', `/api/brands/${brand.id}/forecast?posConnectionId=${brand.id}`);
        assert.equal(wrongPos.status, 400, JSON.stringify(wrongPos.body));

        await e.nuorder.control('DELETE', '/_sim/requests');
        const forecast = await api.ok('GET', `/api/brands/${brand.id}/forecast`);
        assert.equal(forecast.calls.nuorder, 1, 'one listing call for the whole catalog');
        // The one made in the background when the brand was linked (after its first pull) found the same.
        assert.deepEqual(brand.forecast?.counts, forecast.counts);
        assert.equal(brand.forecast?.problems, forecast.problems.length);
        const log = await e.nuorder.control('GET', '/_sim/requests?limit=50');
        assert.deepEqual(
          (log.recent as any[]).map((r) => `${r.method} ${r.path}`),
          ['GET /api/products'],
        );

        // An order of every size of every style, made at NuORDER, planned for the same POS.
        const state = await e.nuorder.control('GET', '/_sim/state');
        const brandId = (state.brands as any[]).find((b) => b.name === brand.name)._id;
        const lines = (state.products as any[])
          .filter((p) => p.brand === brandId)
          .flatMap((p) => p.json.sizes.map((s: any) => ({ productId: p.json._id, size: s.size, quantity: 1 })));
        const orderId = await api.newOrder(brand.name, lines);
        const [location] = await api.locations();
        const plan = await api.plan([orderId], location!.id);
        const c = forecast.counts;
        assert.deepEqual(
          [c.sizes, c.matched, c.newItems, c.needsReview, c.newProducts],
          [
            plan.counts.lines,
            plan.counts.upcMatch + plan.counts.confirmed + plan.counts.linkedByBuyer,
            plan.counts.newItem,
            plan.counts.needsReview,
            plan.counts.newProducts,
          ],
        );
        assert.ok(c.needsReview > 0 && forecast.problems.length >= c.needsReview, JSON.stringify(c));
        assert.ok(forecast.problems.some((p: any) => p.code === 'MISSING_UPC'));

        const csv = await api.call('GET', `/api/brands/${brand.id}/forecast?format=csv`);
        assert.equal(csv.status, 200);
        assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
        assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename=".+-data-quality\.csv"/);
        const rows = parseCsv(String(csv.body));
        assert.deepEqual(rows[0], ['brand', 'style', 'color', 'size', 'upc', 'problem', 'what it means']);
        assert.equal(rows.length - 1, forecast.problems.length, 'one row per problem');
        assert.ok(rows.every((r) => r.length === 7));
      } finally {
        await e.close();
      }
    });
  });
}

forEachDialect('automatic sync and unmapped ship-to addresses', (getStore) => {
  test('once addresses are mapped, an order to an unmapped one waits for a person (asked once); remembered, the next one exports by itself', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      await e.drain();
      const api = buyer(e);
      const base = `/api/connections/${e.posConnection.id}`;
      const locations = await api.locations();
      // The merchant mapped another store's address; this one's is not mapped yet.
      await mappings.setLocation(e.ctx.store.db, e.tenantId, e.posConnection.id, {
        addressKey: '1 other street||springfield|00001|usa',
        address: {
          name: null,
          line1: '1 Other Street',
          line2: null,
          city: 'Springfield',
          region: null,
          postalCode: '00001',
          country: 'USA',
        },
        locationId: locations[0]!.id,
      });
      await api.ok('PATCH', base, { syncMode: 'automatic', defaultLocationId: locations[0]!.id });
      const orders = await api.orders();
      const all = await api.plan(
        orders.map((o) => o.id),
        locations[0]!.id,
      );
      const clean = all.lines.filter((l) => l.decision.kind === 'upc_match').slice(0, 2);
      const productOf = (lineKey: string) => decodeURIComponent(lineKey.split(':')[0] ?? '');
      const lines = clean.map((l) => ({ productId: productOf(l.lineKey), size: l.size, quantity: 1 }));
      const first = await api.newOrder(orders[0]!.brand, lines);
      await e.drain();
      const waiting = (await api.orders()).find((o) => o.id === first)!.sync[0].status;
      assert.equal(waiting.state, 'needs_review', JSON.stringify(waiting));
      const where = await api.ok('GET', `${base}/location-for?orderIds=${first}`);
      assert.equal(where.mapped, false);

      // The buyer answers once: this address is received at the second location.
      await api.ok('PUT', `${base}/mappings/locations`, { addressKey: where.addressKey, locationId: locations[1]!.id });
      const second = await api.newOrder(orders[0]!.brand, lines);
      await e.drain();
      const done = (await api.orders()).find((o) => o.id === second)!.sync[0].status;
      assert.equal(done.state, 'exported', JSON.stringify(done));
      const po = (await readPos(e.pos, 'lightspeed-x')).purchaseOrders.find((x) => x.id === done.poId);
      assert.equal(po?.locationId, locations[1]!.id);
    } finally {
      await e.close();
    }
  });
});
