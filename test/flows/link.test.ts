import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingestOrders } from '../../src/flows/ingest-orders.ts';
import { connections, type Connection } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';
import { startSimulator, startSimulators, type RunningSim } from '../support/simulators.ts';

/** Plays the person on a Lightspeed consent page: submits the page's form with "Allow", returns where it redirects. */
async function allowAt(authorizeUrl: string, formPath: string): Promise<URL> {
  const url = new URL(authorizeUrl);
  const body = new URLSearchParams(url.searchParams);
  body.set('decision', 'allow');
  const response = await fetch(`${url.origin}${formPath}`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(response.status, 302, await response.text());
  return new URL(response.headers.get('location') as string);
}

/** The application waiting for approval at the NuORDER simulator for one linking attempt (its callback carries our state). */
async function pendingApplication(
  nuorder: RunningSim,
  linkId: string,
): Promise<{ token: string; application_name: string; callback: string }> {
  const state = await nuorder.control('GET', '/_sim/state');
  const found = (state.requestTokens as Array<{ token: string; application_name: string; callback: string }>).find(
    (t) => t.callback.endsWith(`?state=${linkId}`),
  );
  assert.ok(found, `a pending application for ${linkId}`);
  return found;
}

forEachDialect('linking accounts', (getStore) => {
  test('X-Series and R-Series link through their consent pages; NuORDER through its approval; unlink keeps history, drops credentials', async () => {
    const sims = await startSimulators(['nuorder', 'lightspeed-x', 'lightspeed-r']);
    const [nuorder, x] = sims.running;
    try {
      const base = createTestApp(getStore());
      const providers = sims.providers;
      const t = createTestApp(getStore(), {
        config: { ...base.ctx.config, providers, publicUrl: 'http://tradeloop.test' },
      });
      const tenant = await t.newTenant('Linking Co');
      const call = (method: string, path: string, body?: unknown) =>
        t.call(method, path, { token: tenant.token, ...(body === undefined ? {} : { body }) });

      // X-Series: consent page → redirect back with code and domain prefix → our callback.
      const startX = await call('POST', '/api/connections/pos', { system: 'lightspeed-x', name: 'Main store' });
      assert.equal(startX.status, 201, JSON.stringify(startX.body));
      assert.ok(startX.body.authorizeUrl.startsWith(`${x.url}/connect?`));
      const backX = await allowAt(startX.body.authorizeUrl, '/connect');
      assert.equal(backX.origin + backX.pathname, 'http://tradeloop.test/api/connections/oauth/callback');
      const doneX = await call('GET', `${backX.pathname}${backX.search}`);
      assert.equal(doneX.status, 302);
      assert.match(doneX.headers.get('location') ?? '', /^\/connections\?linked=/);
      const replay = await call('GET', `${backX.pathname}${backX.search}`);
      assert.match(replay.headers.get('location') ?? '', /^\/connections\?error=/, 'a state is used once');

      // R-Series: the same, at its own authorize page.
      const startR = await call('POST', '/api/connections/pos', { system: 'lightspeed-r' });
      const backR = await allowAt(startR.body.authorizeUrl, '/auth/oauth/authorize');
      const doneR = await call('GET', `${backR.pathname}${backR.search}`);
      assert.match(doneR.headers.get('location') ?? '', /^\/connections\?linked=/);

      // NuORDER: request token for "Tradeloop" → approved in NuORDER Admin → verifier back (here pasted).
      const startN = await call('POST', '/api/connections/nuorder', {
        brandName: 'Northwind Outfitters',
        consumerKey: 'tl-demo-consumer-key',
        consumerSecret: 'tl-demo-consumer-secret',
      });
      assert.equal(startN.status, 201, JSON.stringify(startN.body));
      const requestToken = (await pendingApplication(nuorder, startN.body.pending.linkId)).token;
      const approved = await nuorder.control('POST', '/_sim/oauth/approve', { oauth_token: requestToken });
      const doneN = await call('POST', '/api/connections/nuorder/verify', {
        linkId: startN.body.pending.linkId,
        verifier: approved.oauth_verifier,
      });
      assert.equal(doneN.status, 200, JSON.stringify(doneN.body));

      const listed = await call('GET', '/api/connections');
      const bySystem = Object.fromEntries((listed.body.connections as any[]).map((c) => [c.system, c]));
      assert.equal(bySystem['lightspeed-x'].status, 'linked');
      assert.equal(bySystem['lightspeed-x'].syncMode, 'automatic', 'X-Series syncs POs automatically by default');
      assert.equal(bySystem['lightspeed-r'].syncMode, 'manual', 'R-Series exports manually by default');
      assert.equal(bySystem['nuorder'].brandName, 'Northwind Outfitters');
      assert.doesNotMatch(
        JSON.stringify(listed.body),
        /access_token|refresh|tl-demo-consumer-secret/i,
        'no credential is ever shown',
      );

      // Another tenant sees none of it and cannot finish someone else's link.
      const other = await t.newTenant('Other Co');
      const theirs = await t.call('GET', '/api/connections', { token: other.token });
      assert.deepEqual(theirs.body.connections, []);

      // Unlink: credentials destroyed, the connection kept as history.
      const xId = bySystem['lightspeed-x'].id as string;
      const secretId = (
        await t.ctx.store.db
          .selectFrom('connections')
          .select('secret_id')
          .where('id', '=', xId)
          .executeTakeFirstOrThrow()
      ).secret_id;
      const unlinked = await call('DELETE', `/api/connections/${xId}`);
      assert.equal(unlinked.status, 200);
      const row = await t.ctx.store.db
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', xId)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'unlinked');
      assert.equal(row.secret_id, null);
      assert.equal(
        await t.ctx.store.db
          .selectFrom('secrets')
          .select('id')
          .where('id', '=', secretId as string)
          .executeTakeFirst(),
        undefined,
      );
      assert.equal((await call('DELETE', `/api/connections/${xId}`)).status, 404);

      // A link the provider declined says so, and stores nothing.
      const declined = await call('POST', '/api/connections/pos', { system: 'lightspeed-x' });
      const state = new URL(declined.body.authorizeUrl).searchParams.get('state');
      const refused = await call(
        'GET',
        `/api/connections/oauth/callback?state=${state}&error=access_denied&error_description=The+user+denied+access`,
      );
      assert.match(decodeURIComponent(refused.headers.get('location') ?? ''), /did not grant access/);
    } finally {
      await sims.close();
    }
  });
});

forEachDialect('linking NuORDER the way NuORDER does', (getStore) => {
  test('the verifier POSTed to the public callback, then the person’s session finishes; a code can be pasted; an issued token and secret link directly', async () => {
    const nuorder = await startSimulator('nuorder');
    try {
      const base = createTestApp(getStore());
      const providers = { ...base.ctx.config.providers, nuorder: { baseUrl: nuorder.url } };
      const t = createTestApp(getStore(), {
        config: { ...base.ctx.config, providers, publicUrl: 'http://tradeloop.test' },
      });
      const tenant = await t.newTenant('Lakeside Goods');
      const call = (method: string, path: string, body?: unknown) =>
        t.call(method, path, { token: tenant.token, ...(body === undefined ? {} : { body }) });
      const consumer = { consumerKey: 'tl-demo-consumer-key', consumerSecret: 'tl-demo-consumer-secret' };

      const started = await call('POST', '/api/connections/nuorder', {
        brandName: 'Northwind Outfitters',
        ...consumer,
      });
      assert.equal(started.status, 201, JSON.stringify(started.body));
      assert.equal(started.body.connection, null);
      const { linkId, applicationName } = started.body.pending;
      assert.equal(applicationName, 'Tradeloop');
      const app = await pendingApplication(nuorder, linkId);
      assert.equal(app.application_name, 'Tradeloop', 'the application name NuORDER Admin shows');
      assert.equal(app.callback, `http://tradeloop.test/api/connections/nuorder/callback?state=${linkId}`);

      // Not approved yet: finishing says so and keeps the attempt open.
      const early = await call('POST', '/api/connections/nuorder/verify', { linkId });
      assert.equal(early.status, 409);
      assert.equal(early.body.error.code, 'NUORDER_NOT_APPROVED_YET');
      assert.match(early.body.error.message, /Admin → API Management/);

      // Approved at NuORDER (the simulator's stand-in page): NuORDER POSTs the verifier to the callback.
      const approval = await fetch(`${nuorder.url}/oauth/authorize`, {
        method: 'POST',
        body: new URLSearchParams({ oauth_token: app.token, brand: '' }),
      });
      const form = await approval.text();
      const action = /<form id="callback" method="post" action="([^"]+)"/.exec(form)?.[1]?.replace(/&amp;/g, '&');
      const verifier = /name="oauth_verifier" value="([^"]+)"/.exec(form)?.[1];
      assert.ok(action && verifier, form);
      const callbackPath = new URL(action).pathname + new URL(action).search;
      // A wrong request token in the POST is refused and changes nothing.
      const forged = await t.call('POST', callbackPath, {
        rawBody: new URLSearchParams({ oauth_token: 'someone-elses', oauth_verifier: verifier }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.match(decodeURIComponent(forged.headers.get('location') ?? ''), /another NuORDER linking attempt/);
      // No session, no CSRF header: the callback is public, links nothing, and sends the browser on.
      const posted = await t.call('POST', callbackPath, {
        rawBody: new URLSearchParams({ oauth_token: app.token, oauth_verifier: verifier }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(posted.status, 303);
      assert.equal(posted.headers.get('location'), `/api/connections/nuorder/callback?state=${linkId}`);
      assert.equal((await call('GET', '/api/connections')).body.connections.length, 0, 'nothing linked by the POST');
      // Another organization cannot finish it.
      const other = await t.newTenant('Other Co');
      const stolen = await t.call('GET', posted.headers.get('location') as string, { token: other.token });
      assert.match(stolen.headers.get('location') ?? '', /^\/connections\?error=/);
      const back = await call('GET', posted.headers.get('location') as string);
      assert.equal(back.status, 303);
      assert.match(back.headers.get('location') ?? '', /^\/connections\?linked=/, back.headers.get('location') ?? '');
      const [linked] = (await call('GET', '/api/connections')).body.connections;
      assert.equal(linked.brandName, 'Northwind Outfitters');
      assert.equal(linked.retailer, null, 'no store chosen yet');

      // A verification code shown instead (callback not reachable) is pasted.
      const second = await call('POST', '/api/connections/nuorder', { brandName: 'Alder & Pine', ...consumer });
      const code = await nuorder.control('POST', '/_sim/oauth/approve', {
        oauth_token: (await pendingApplication(nuorder, second.body.pending.linkId)).token,
      });
      const pasted = await call('POST', '/api/connections/nuorder/verify', {
        linkId: second.body.pending.linkId,
        verifier: code.oauth_verifier,
      });
      assert.equal(pasted.status, 200, JSON.stringify(pasted.body));
      assert.equal(pasted.body.connection.brandName, 'Alder & Pine');

      // A token and secret NuORDER Admin issued, pasted with the store: linked and scoped at once.
      const state = await nuorder.control('GET', '/_sim/state');
      const lakeside = state.retailers.find((r: { name: string }) => r.name === 'Lakeside Goods Co.');
      const issued = {
        brandName: 'Saltmarsh Supply',
        ...consumer,
        token: 'tl-demo-token-saltmarsh-supply',
        tokenSecret: 'tl-demo-token-saltmarsh-supply-secret',
      };
      const halfToken = await call('POST', '/api/connections/nuorder', { ...issued, tokenSecret: undefined });
      assert.equal(halfToken.status, 400);
      assert.match(JSON.stringify(halfToken.body), /token and tokenSecret go together/);
      const unknownStore = await call('POST', '/api/connections/nuorder', { ...issued, retailerId: 'f'.repeat(24) });
      assert.equal(unknownStore.status, 400);
      assert.match(unknownStore.body.error.message, /retailerId: f{24} has no orders with this brand portal/);
      const refused = await call('POST', '/api/connections/nuorder', { ...issued, tokenSecret: 'wrong' });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, 'LINK_FAILED');
      assert.equal((await call('GET', '/api/connections')).body.connections.length, 2, 'refused input stored nothing');
      const direct = await call('POST', '/api/connections/nuorder', { ...issued, retailerId: lakeside._id });
      assert.equal(direct.status, 201, JSON.stringify(direct.body));
      assert.deepEqual(direct.body.connection.retailer, { id: lakeside._id, name: 'Lakeside Goods Co.' });
    } finally {
      await nuorder.close();
    }
  });

  test('a brand portal sells to several stores: nothing is imported until the merchant chooses theirs, then only its orders', async () => {
    const nuorder = await startSimulator('nuorder');
    try {
      const base = createTestApp(getStore());
      const providers = { ...base.ctx.config.providers, nuorder: { baseUrl: nuorder.url } };
      const t = createTestApp(getStore(), { config: { ...base.ctx.config, providers } });
      const tenant = await t.newTenant('Lakeside Goods');
      const call = (method: string, path: string, body?: unknown) =>
        t.call(method, path, { token: tenant.token, ...(body === undefined ? {} : { body }) });
      const linked = await call('POST', '/api/connections/nuorder', {
        brandName: 'Northwind Outfitters',
        consumerKey: 'tl-demo-consumer-key',
        consumerSecret: 'tl-demo-consumer-secret',
        token: 'tl-demo-token-northwind-outfitters',
        tokenSecret: 'tl-demo-token-northwind-outfitters-secret',
      });
      assert.equal(linked.status, 201, JSON.stringify(linked.body));
      const id = linked.body.connection.id as string;
      const connection = async () => (await connections.get(t.ctx.store.db, tenant.tenantId, id)) as Connection;

      // Unscoped: the ingest imports nothing and says why (fail-closed).
      const none = await ingestOrders(
        t.ctx,
        await connection(),
        await t.ctx.connectors.wholesaleSource(await connection()),
      );
      assert.equal(none.seen, 0);
      assert.match((await connection()).lastError ?? '', /until you choose which of its retailers is your store/);
      assert.equal((await call('GET', '/api/orders?limit=100')).body.orders.length, 0);

      const choice = await call('GET', `/api/connections/${id}/retailers`);
      assert.equal(choice.status, 200, JSON.stringify(choice.body));
      assert.equal(choice.body.chosen, null);
      assert.deepEqual(
        choice.body.retailers.map((r: { name: string; code: string | null }) => [r.name, r.code]),
        [
          ['Lakeside Goods Co.', 'LAKESIDE'],
          ['Harbor Street Mercantile', null],
        ],
      );
      const [lakeside, harbor] = choice.body.retailers as Array<{ id: string }>;
      assert.equal((await call('PUT', `/api/connections/${id}/retailer`, { retailerId: '' })).status, 400);
      const chosen = await call('PUT', `/api/connections/${id}/retailer`, { retailerId: lakeside!.id });
      assert.equal(chosen.status, 200, JSON.stringify(chosen.body));
      assert.equal(chosen.body.retailer.name, 'Lakeside Goods Co.');
      const again = await call('PUT', `/api/connections/${id}/retailer`, { retailerId: harbor!.id });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'NUORDER_RETAILER_LOCKED');

      const report = await ingestOrders(
        t.ctx,
        await connection(),
        await t.ctx.connectors.wholesaleSource(await connection()),
      );
      const listed = (await call('GET', '/api/orders?limit=100')).body.orders as Array<{ orderNumber: string }>;
      const sim = await nuorder.control('GET', '/_sim/state');
      const northwind = sim.brands.find((b: { name: string }) => b.name === 'Northwind Outfitters')._id;
      const expected = sim.orders
        .filter((o: any) => o.brand === northwind && o.status === 'approved' && o.retailer === lakeside!.id)
        .map((o: any) => o.order_number)
        .sort();
      assert.ok(expected.length > 0);
      assert.deepEqual(listed.map((o) => o.orderNumber).sort(), expected);
      assert.equal(report.seen, expected.length);
      assert.ok(
        sim.orders.some((o: any) => o.brand === northwind && o.status === 'approved' && o.retailer === harbor!.id),
        'the brand has an approved order of the other store, and it was not imported',
      );
      assert.equal((await connection()).lastError, null);
    } finally {
      await nuorder.close();
    }
  });
});
