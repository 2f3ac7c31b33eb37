/**
 * Issue 12, acceptance 1: unlinking a POS and linking the same account again revives its connection, so an
 * exported order stays Exported with its PO, exporting it again is refused, and a reorder plans Confirmed.
 * And two organizations linked to one POS account write POs (and new items) under keys of their own, so
 * neither can adopt the other's. Both POS systems, both dialects.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkNuorderWithToken, storePosConnection } from '../../src/flows/link-account.ts';
import { buildScenario, scenarioOptions } from '../../src/simulators/shared/scenario.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { apiAs, startEngine, type ApiCall, type EngineHarness } from '../support/engine.ts';
import { readPos } from '../support/pos-state.ts';

type Pos = 'lightspeed-x' | 'lightspeed-r';
/** The merchant on the POS consent page: "Allow", then where the POS sends the browser back to. */
async function allowAt(authorizeUrl: string, system: Pos): Promise<URL> {
  const url = new URL(authorizeUrl);
  const body = new URLSearchParams(url.searchParams);
  body.set('decision', 'allow');
  const formPath = system === 'lightspeed-x' ? '/connect' : '/auth/oauth/authorize';
  const response = await fetch(`${url.origin}${formPath}`, { method: 'POST', body, redirect: 'manual' });
  assert.equal(response.status, 302, await response.text());
  return new URL(response.headers.get('location') as string);
}

/** Links the POS through the API as a person does: start, consent, callback. Returns the connection id. */
async function linkPos(call: ApiCall, system: Pos): Promise<string> {
  const started = await call('POST', '/api/connections/pos', { system });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const back = await allowAt(started.body.authorizeUrl, system);
  const done = await call('GET', `${back.pathname}${back.search}`);
  const location = done.headers.get('location') ?? '';
  const id = /^\/connections\?linked=([0-9a-f-]+)$/.exec(location)?.[1];
  assert.ok(id, `linked: ${decodeURIComponent(location)}`);
  return id;
}

async function ordersOf(
  call: ApiCall,
): Promise<Array<{ id: string; orderNumber: string; brand: string; sync: any[] }>> {
  const response = await call('GET', '/api/orders?limit=100');
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.orders;
}

/** The first order that exports with new items and matched ones, planned and exported; its export row. */
async function exportOneOrder(e: EngineHarness, call: ApiCall, connectionId: string, orderNumber?: string) {
  const locations = (await call('GET', `/api/connections/${connectionId}/locations`)).body.locations as any[];
  const location = locations[1] ?? locations[0];
  for (const order of await ordersOf(call)) {
    if (orderNumber !== undefined && order.orderNumber !== orderNumber) continue;
    const planned = await call('POST', '/api/plans', { connectionId, locationId: location.id, orderIds: [order.id] });
    assert.equal(planned.status, 201, JSON.stringify(planned.body));
    if (!planned.body.canApply || (orderNumber === undefined && planned.body.counts.newItem === 0)) continue;
    const applied = await call('POST', `/api/plans/${planned.body.id}/apply`);
    assert.equal(applied.status, 202, JSON.stringify(applied.body));
    await e.drain();
    const progress = await call('GET', `/api/plans/${planned.body.id}/progress`);
    const [result] = progress.body.exports;
    assert.equal(result.state, 'exported', JSON.stringify(result));
    return { order, plan: planned.body, result, location };
  }
  throw new Error('no demo order to export');
}

for (const system of ['lightspeed-x', 'lightspeed-r'] as const satisfies readonly Pos[]) {
  forEachDialect(`relinking ${system}`, (getStore) => {
    test('unlink, then link the same account again: still Exported with its PO, export again refused, a reorder is Confirmed', async () => {
      const e = await startEngine(getStore(), system);
      try {
        await e.drain();
        const call = apiAs(e, e.token);
        const { order, plan, result, location } = await exportOneOrder(e, call, e.posConnection.id);
        const posBefore = await readPos(e.pos, system);

        assert.equal((await call('DELETE', `/api/connections/${e.posConnection.id}`)).status, 200);
        const relinked = await linkPos(call, system);
        assert.equal(relinked, e.posConnection.id, 'linking the same account again revives its connection');
        await e.drain();

        const listed = (await call('GET', '/api/connections')).body.connections.filter((c: any) => c.system === system);
        assert.deepEqual(
          listed.map((c: any) => [c.id, c.status]),
          [[e.posConnection.id, 'linked']],
          'one connection of the account, linked again',
        );
        assert.ok(listed[0].itemLinks > 0, 'its item links are kept');
        const status = (await ordersOf(call)).find((o) => o.id === order.id)?.sync;
        assert.deepEqual(
          status?.map((s: any) => [s.connectionId, s.status.state, s.status.poNumber]),
          [[e.posConnection.id, 'exported', result.poNumber]],
          'the order still reads Exported with its PO',
        );

        const again = await call('POST', '/api/plans', {
          connectionId: relinked,
          locationId: location.id,
          orderIds: [order.id],
        });
        assert.equal(again.status, 409, JSON.stringify(again.body));
        assert.equal(again.body.error.code, 'ORDER_ALREADY_EXPORTED');
        assert.match(again.body.error.message, new RegExp(`as PO ${result.poNumber}`));
        const reapply = await call('POST', `/api/plans/${plan.id}/apply`);
        assert.equal(reapply.status, 409);

        // The same styles ordered again: Confirmed from the links the first export recorded.
        const detail = await call('GET', `/api/orders/${order.id}`);
        const created = await e.nuorder.control('POST', '/_sim/orders', {
          brand: order.brand,
          status: 'approved',
          lines: (detail.body.document.lines as any[]).map((l) => ({
            productId: l.productSourceId,
            size: l.size,
            quantity: 2,
          })),
        });
        assert.equal((await call('POST', '/api/orders/sync')).status, 202);
        await e.drain();
        const reorder = (await ordersOf(call)).find((o) => o.orderNumber === created.order.order_number);
        assert.ok(reorder);
        const reorderPlan = await call('POST', '/api/plans', {
          connectionId: relinked,
          locationId: location.id,
          orderIds: [reorder.id],
        });
        assert.equal(reorderPlan.status, 201, JSON.stringify(reorderPlan.body));
        assert.equal(reorderPlan.body.counts.confirmed, reorderPlan.body.counts.lines, 'every line Confirmed');
        assert.deepEqual(await readPos(e.pos, system), posBefore, 'nothing more was written to the POS');
      } finally {
        await e.close();
      }
    });

    test('two organizations linked to one POS account export the same order under keys of their own', async () => {
      const e = await startEngine(getStore(), system, { brands: 1 });
      try {
        await e.drain();
        // The same store set up twice: another organization with the same brand portal and the same POS account.
        const other = await e.app.newTenant('Lakeside Goods (second account)');
        const scenario = buildScenario(scenarioOptions('demo'));
        const brand = scenario.brands[0]!;
        await linkNuorderWithToken(e.ctx, other.tenantId, {
          brandName: brand.name,
          consumerKey: 'tl-demo-consumer-key',
          consumerSecret: 'tl-demo-consumer-secret',
          token: `tl-demo-token-${brand.code.toLowerCase()}`,
          tokenSecret: `tl-demo-token-${brand.code.toLowerCase()}-secret`,
          retailerId: scenario.retailer.id,
        });
        const minted = await e.pos.control(
          'POST',
          '/_sim/tokens',
          system === 'lightspeed-x' ? { client_id: 'tradeloop-dev' } : { clientId: 'tradeloop-sim-client' },
        );
        const otherPos = await storePosConnection(e.ctx, other.tenantId, {
          system,
          name: 'Main store',
          baseUrl: e.pos.url,
          accountId: e.posConnection.externalAccountId,
          tokenUrl: e.posConnection.settings['tokenUrl'] as string,
          tokens: {
            accessToken: minted.access_token,
            refreshToken: minted.refresh_token,
            expiresAt: Date.now() + Number(minted.expires_in) * 1000,
          },
        });
        await e.drain();

        // Both plan the same order before either exports: the keys each would write into the POS differ.
        const order = (await ordersOf(apiAs(e, e.token)))[0]!;
        const otherOrder = (await ordersOf(apiAs(e, other.token))).find((o) => o.orderNumber === order.orderNumber)!;
        const keysOf = async (call: ApiCall, connectionId: string, orderId: string) => {
          const locations = (await call('GET', `/api/connections/${connectionId}/locations`)).body.locations;
          const planned = await call('POST', '/api/plans', {
            connectionId,
            locationId: locations[0].id,
            orderIds: [orderId],
          });
          assert.equal(planned.status, 201, JSON.stringify(planned.body));
          return {
            po: planned.body.purchaseOrders[0].correlationKey as string,
            items: (planned.body.newProducts as any[]).flatMap((p) => [
              p.correlationKey,
              ...p.variants.map((v: any) => v.correlationKey),
            ]),
          };
        };
        const mine = await keysOf(apiAs(e, e.token), e.posConnection.id, order.id);
        const theirs = await keysOf(apiAs(e, other.token), otherPos.id, otherOrder.id);
        assert.match(
          mine.po,
          new RegExp(`^nuo-${order.orderNumber}-[0-9a-f]{6}$`),
          'the PO key reads as the order number',
        );
        assert.notEqual(mine.po, theirs.po, 'the PO keys differ');
        assert.ok(mine.items.length > 0);
        assert.deepEqual(
          mine.items.filter((k) => theirs.items.includes(k)),
          [],
          'no product or new-item SKU key is shared',
        );

        // Each exports it: two POs in the POS, each found by its own organization's key.
        const first = await exportOneOrder(e, apiAs(e, e.token), e.posConnection.id, order.orderNumber);
        const second = await exportOneOrder(e, apiAs(e, other.token), otherPos.id, order.orderNumber);
        assert.notEqual(second.result.poId, first.result.poId, 'each organization has its own PO');
        const pos = await readPos(e.pos, system);
        const references = [first, second].map(
          (x) => pos.purchaseOrders.find((p) => p.id === x.result.poId)?.reference,
        );
        assert.deepEqual(references, [
          first.plan.purchaseOrders[0].correlationKey,
          second.plan.purchaseOrders[0].correlationKey,
        ]);
        assert.notEqual(references[0], references[1], 'the PO references differ');
      } finally {
        await e.close();
      }
    });
  });
}
