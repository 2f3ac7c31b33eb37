/**
 * Issue 13: what a POS means to the API comes from its manifest, not from its name. Two fake POS systems are
 * registered beside the real ones (one with the manifest defaults, one saying its own short label, supplier word and
 * that it does not report its currency); their connections' views, the currency setting, the link request and the
 * metrics follow each manifest, and no X-Series or R-Series rule leaks onto them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectorManifest } from '../../src/core/ports/connection.ts';
import { storePosConnection } from '../../src/flows/link-account.ts';
import { createApiToken, createOrganizationWithUser } from '../../src/http/auth.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { connectorManifests, routeModules, withConnectors } from '../../src/main.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';
import { fakePos, FakePosStore } from './fake-pos/index.ts';

forEachDialect('a third POS speaks through its manifest', (getStore) => {
  test('connection views, currency, linking and metrics follow each POS manifest', async () => {
    const store = getStore();
    const fake = fakePos(new FakePosStore('USD'));
    const other: ConnectorManifest = {
      ...fakePos(new FakePosStore('CAD')),
      system: 'fake-pos-2',
      label: 'Other Fake Retail',
      shortLabel: 'Other',
      supplierWord: 'maker',
      currencyIsSetting: true,
      purchaseOrdersPage: (account) => `${account.baseUrl}/purchase-orders`,
    };
    const base = createTestApp(store);
    const ctx = withConnectors(base.ctx, [...connectorManifests, fake, other]);
    const { app } = createHttpApp(ctx, routeModules(ctx));
    const tenant = await createOrganizationWithUser(ctx, {
      organization: 'Third Shop',
      email: `third-${Date.now()}@example.test`,
      name: 'Third',
      password: 'correct horse battery',
    });
    const { token } = await createApiToken(ctx, tenant.tenantId, tenant.userId, 'test');
    const call = async (method: string, path: string, body?: unknown) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const r = await app.request(path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await r.text();
      return { status: r.status, body: text.startsWith('{') ? JSON.parse(text) : text };
    };
    const link = (system: string, accountId: string) =>
      storePosConnection(ctx, tenant.tenantId, {
        system,
        name: `${system} shop`,
        baseUrl: `https://${system}.test`,
        accountId,
        tokenUrl: `https://${system}.test/token`,
        tokens: { accessToken: 'unused', expiresAt: Date.now() + 3_600_000 },
      });
    const first = await link('fake-pos', 'fake-1');
    const second = await link('fake-pos-2', 'fake-2');

    const listed = await call('GET', '/api/connections');
    assert.equal(listed.status, 200);
    const view = (id: string) => listed.body.connections.find((c: { id: string }) => c.id === id);
    // The manifest's defaults: its label stands for the short one too, `supplier`, a currency it says itself.
    assert.deepEqual(
      (({ kind, systemLabel, shortLabel, supplierWord, takesCurrency, purchaseOrdersUrl, currency }) => ({
        kind,
        systemLabel,
        shortLabel,
        supplierWord,
        takesCurrency,
        purchaseOrdersUrl,
        currency,
      }))(view(first.id)),
      {
        kind: 'pos',
        systemLabel: 'Fake POS',
        shortLabel: 'Fake POS',
        supplierWord: 'supplier',
        takesCurrency: false,
        purchaseOrdersUrl: null,
        currency: null,
      },
    );
    const second0 = view(second.id);
    assert.equal(second0.kind, 'pos');
    assert.equal(second0.systemLabel, 'Other Fake Retail');
    assert.equal(second0.shortLabel, 'Other');
    assert.equal(second0.supplierWord, 'maker');
    assert.equal(second0.takesCurrency, true);
    assert.equal(second0.purchaseOrdersUrl, 'https://fake-pos-2.test/purchase-orders');
    assert.equal(second0.syncMode, 'manual', 'a POS connection has a PO sync mode');
    assert.deepEqual(
      listed.body.providers.systems.map((s: { system: string; kind: string; shortLabel: string }) => [
        s.system,
        s.kind,
        s.shortLabel,
      ]),
      [
        ['nuorder', 'wholesale', 'NuORDER'],
        ['lightspeed-x', 'pos', 'X-Series'],
        ['lightspeed-r', 'pos', 'R-Series'],
        ['netsuite', 'erp', 'NetSuite'],
        ['fake-pos', 'pos', 'Fake POS'],
        ['fake-pos-2', 'pos', 'Other'],
      ],
    );

    // The currency setting: taken where the manifest says the POS does not report one, refused elsewhere.
    const refused = await call('PATCH', `/api/connections/${first.id}`, { currency: 'CAD' });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /^currency: a Fake POS connection takes no currency/);
    const taken = await call('PATCH', `/api/connections/${second.id}`, { currency: 'cad' });
    assert.equal(taken.status, 200);
    assert.equal(taken.body.currency, 'CAD');

    // Linking: any registered POS passes the request's check; an unknown one is a 400 naming the field.
    const unknown = await call('POST', '/api/connections/pos', { system: 'square' });
    assert.equal(unknown.status, 400);
    assert.match(JSON.stringify(unknown.body), /system/);
    assert.match(
      JSON.stringify(unknown.body),
      /must be a registered POS system \(lightspeed-x, lightspeed-r, fake-pos/,
    );
    const fakeLink = await call('POST', '/api/connections/pos', { system: 'fake-pos' });
    assert.equal(fakeLink.status, 400, 'the fake POS has no OAuth 2 link');
    assert.match(fakeLink.body.error.message, /fake-pos is not a point of sale that links with OAuth 2/);
    assert.equal((await call('POST', '/api/connections/pos', { system: 'nuorder' })).status, 400);

    // Metrics: every registered system has its connection gauges, the new ones included.
    const text = await (await app.request('/metrics')).text();
    assert.match(text, /tradeloop_connections\{system="fake-pos",status="linked"\} 1/);
    assert.match(text, /tradeloop_connections\{system="fake-pos-2",status="linked"\} 1/);
    assert.match(text, /tradeloop_connections\{system="netsuite",status="needs_relink"\} 0/);
  });
});
