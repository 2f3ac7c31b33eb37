/**
 * The contract test's journeys over the export engine (an organization with NuORDER brand portals and an X-Series
 * store on the simulators): every operation called as a person or a script would, with the errors each one
 * documents that a journey can bring about. Every reply is checked by the ContractClient.
 */
import type { PlanLine } from '../../src/core/plan.ts';
import { connections } from '../../src/store/repos/index.ts';
import { simControl, type ContractClient } from './contract.ts';
import type { EngineHarness } from './engine.ts';

type Json = Record<string, any>;

export async function authJourney(api: ContractClient, user: { email: string; password: string }): Promise<void> {
  await api.expect(200, 'GET', '/api/openapi.json', { as: 'nobody' });
  await api.signIn(user.email, user.password);
  await api.expect(200, 'GET', '/api/auth/me', { as: 'session' });
  const created = await api.expect(201, 'POST', '/api/tokens', { as: 'session', body: { name: 'contract' } });
  await api.expect(200, 'GET', '/api/tokens');
  await api.expect(200, 'DELETE', `/api/tokens/${created.id}`);
  await api.expect(200, 'POST', '/api/auth/logout', { as: 'session' });
  await api.expect(401, 'GET', '/api/auth/me', { as: 'session' });
  await api.signIn(user.email, user.password);
  const login = { email: user.email, password: user.password };
  await api.expect(401, 'POST', '/api/auth/login', { as: 'nobody', body: { ...login, password: 'not the password' } });
  await api.expect(403, 'POST', '/api/auth/login', {
    as: 'nobody',
    body: login,
    headers: { origin: 'https://elsewhere.example' },
    code: 'CROSS_SITE_REQUEST',
  });
  await api.expect(415, 'POST', '/api/auth/login', {
    as: 'nobody',
    rawBody: JSON.stringify(login),
    headers: { 'content-type': 'text/plain' },
  });
  // Five wrong passwords lock the account for a while; the sixth try is refused before it is checked.
  const stranger = { email: 'nobody-here@example.test', password: 'wrong wrong wrong' };
  for (let i = 0; i < 5; i++) await api.expect(401, 'POST', '/api/auth/login', { as: 'nobody', body: stranger });
  await api.expect(429, 'POST', '/api/auth/login', { as: 'nobody', body: stranger, code: 'LOGIN_THROTTLED' });
}

export async function jobsJourney(api: ContractClient, e: EngineHarness): Promise<void> {
  const sync = await api.expect(202, 'POST', '/api/orders/sync');
  const jobId = sync.jobs[0].jobId as string;
  await api.expect(200, 'POST', `/api/jobs/${jobId}/cancel`);
  await api.expect(404, 'POST', `/api/jobs/${jobId}/cancel`, { code: 'NOT_FOUND' });
  await api.expect(200, 'POST', `/api/jobs/${jobId}/retry`);
  await api.expect(404, 'POST', `/api/jobs/${jobId}/retry`, { code: 'NOT_FOUND' });
  await e.drain();
  await api.expect(200, 'GET', `/api/jobs/${jobId}`);
  const page = await api.expect(200, 'GET', '/api/jobs?limit=2&offset=1');
  if (page.jobs.length !== 2 || page.offset !== 1) throw new Error(`jobs page: ${JSON.stringify(page)}`);
}

/** Orders, locations, plans and one export through to its purchase order; the errors on the way. */
export async function exportJourney(api: ContractClient, e: EngineHarness): Promise<{ locationId: string }> {
  const orders = (await api.expect(200, 'GET', '/api/orders?limit=100')).orders as Json[];
  await api.expect(200, 'GET', `/api/orders/${orders[0]!.id}`);
  const pos = e.posConnection.id;
  const locations = (await api.expect(200, 'GET', `/api/connections/${pos}/locations?refresh=true`)).locations;
  const locationId = locations[1].id as string;
  await api.expect(202, 'POST', `/api/connections/${pos}/catalog-sync`, { body: { full: false } });
  const planFor = (orderIds: string[], extra: Json = {}) =>
    api.call('POST', '/api/plans', { body: { connectionId: pos, locationId, orderIds, ...extra } });
  await api.expect(400, 'POST', '/api/plans', {
    body: { connectionId: pos, locationId: 'no-such-location', orderIds: [orders[0]!.id] },
    code: 'LOCATION_UNKNOWN',
  });
  await api.expect(404, 'POST', '/api/plans', {
    body: { connectionId: crypto.randomUUID(), locationId, orderIds: [orders[0]!.id] },
  });
  let ready: Json | undefined;
  let review: Json | undefined;
  for (const order of orders) {
    const reply = await planFor([order.id]);
    if (reply.status !== 201) throw new Error(`plan: ${JSON.stringify(reply.body)}`);
    if (reply.body.canApply && !ready) ready = reply.body;
    if (!reply.body.canApply && !review) review = reply.body;
    if (ready && review) break;
  }
  if (!ready || !review) throw new Error('the demo orders have a plan ready to export and one that needs review');
  await api.expect(409, 'POST', `/api/plans/${review.id}/apply`, { code: 'PLAN_NEEDS_REVIEW' });
  const line = (review.lines as PlanLine[]).find((l) => l.decision.kind === 'needs_review') as PlanLine;
  const override = { scope: 'line', key: line.variantKey, action: { kind: 'create_new' } };
  await api.expect(200, 'POST', `/api/plans/${review.id}/overrides`, { body: { overrides: [override] } });
  await api.expect(200, 'GET', `/api/plans/${ready.id}`);
  await api.expect(200, 'GET', `/api/plans/${ready.id}/candidates`);
  await api.expect(202, 'POST', `/api/plans/${ready.id}/apply`);
  await api.expect(409, 'POST', `/api/plans/${ready.id}/apply`, { code: 'PLAN_ALREADY_APPLYING' });
  await e.drain();
  await api.expect(200, 'GET', `/api/plans/${ready.id}/progress`);
  await api.expect(409, 'POST', `/api/plans/${ready.id}/apply`, { code: 'PLAN_ALREADY_APPLIED' });
  await api.expect(409, 'POST', `/api/plans/${ready.id}/overrides`, { body: { overrides: [override] } });
  await api.expect(409, 'POST', '/api/plans', {
    body: { connectionId: pos, locationId, orderIds: ready.orderIds },
    code: 'ORDER_ALREADY_EXPORTED',
  });
  const exported = (await api.expect(200, 'GET', '/api/exports?limit=10')).exports[0] as Json;
  await api.expect(200, 'GET', `/api/exports/${exported.id}`);
  await api.expect(409, 'POST', `/api/exports/${exported.id}/retry`, { code: 'EXPORT_NOT_FAILED' });
  await api.expect(200, 'GET', `/api/purchase-orders?connectionId=${pos}`);
  await api.expect(200, 'GET', `/api/purchase-orders/${exported.id}`);
  await api.expect(200, 'GET', `/api/connections/${pos}/catalog?q=a`);
  await api.expect(200, 'GET', `/api/orders/${exported.orderId}`);
  return { locationId };
}

/** An export the POS refuses fails; retried once the POS takes it; a cancelled order is refused. */
export async function failureJourney(api: ContractClient, e: EngineHarness, locationId: string): Promise<void> {
  const pos = e.posConnection.id;
  const orders = (await api.expect(200, 'GET', '/api/orders?syncStatus=not_exported')).orders as Json[];
  const plans: Json[] = [];
  for (const order of orders) {
    const plan = await api.expect(201, 'POST', '/api/plans', {
      body: { connectionId: pos, locationId, orderIds: [order.id] },
    });
    if (plan.canApply) plans.push(plan);
    if (plans.length === 3) break;
  }
  const [refused, cancelled, drifted] = plans as [Json, Json, Json];
  await simControl(e.pos, 'POST', '/_sim/faults', {
    kind: 'error',
    method: 'POST',
    path: '/api/2.0/consignments',
    status: 400,
  });
  await api.expect(202, 'POST', `/api/plans/${refused.id}/apply`);
  await e.drain();
  await simControl(e.pos, 'DELETE', '/_sim/faults');
  const failed = (await api.expect(200, 'GET', `/api/plans/${refused.id}/progress`)).exports[0] as Json;
  if (failed.state !== 'failed') throw new Error(`the refused export failed: ${JSON.stringify(failed)}`);
  await api.expect(202, 'POST', `/api/exports/${failed.id}/retry`);
  await e.drain();

  const number = orders.find((o) => o.id === cancelled.orderIds[0])!.orderNumber as string;
  await simControl(e.nuorder, 'POST', `/_sim/orders/${number}/status`, { action: 'cancel' });
  await api.expect(202, 'POST', '/api/orders/sync');
  await e.drain();
  await api.expect(409, 'POST', `/api/plans/${cancelled.id}/apply`, { code: 'ORDER_CANCELLED' });
  await api.expect(409, 'POST', '/api/plans', {
    body: { connectionId: pos, locationId, orderIds: cancelled.orderIds },
    code: 'ORDER_CANCELLED',
  });
  await driftJourney(api, e, drifted);
}

/** Someone adds an item with a planned UPC in the POS: the apply refuses with the differences. */
async function driftJourney(api: ContractClient, e: EngineHarness, plan: Json): Promise<void> {
  const variant = (plan.newProducts as Json[]).flatMap((p) => p.variants as Json[]).find((v) => v.gtin14);
  if (!variant) throw new Error('a planned new item with a UPC');
  const pos = await e.ctx.connectors.pointOfSale(e.posConnection);
  const supplier = await pos.createSupplier({ name: 'Drift Supplier', sourceBrandId: 'drift', currency: 'USD' });
  await pos.createProduct({
    correlationKey: 'contract-drift-product',
    matrixKey: 'contract|drift|item',
    supplierId: supplier.id,
    brandName: 'Drift',
    styleNumber: 'DRIFT-1',
    color: 'Black',
    name: 'Created by hand',
    season: null,
    category: null,
    images: [],
    existingParentId: null,
    variants: [
      {
        variantKey: 'contract|drift|item|m',
        correlationKey: 'contract-drift-variant',
        size: 'M',
        gtin14: variant.gtin14,
        upc: variant.upc,
        cost: { minor: 100, currency: 'USD' },
        retail: null,
      },
    ],
  });
  await api.expect(409, 'POST', `/api/plans/${plan.id}/apply`, { code: 'PLAN_DRIFTED' });
  await api.expect(409, 'POST', `/api/plans/${plan.id}/apply`, { code: 'PLAN_SUPERSEDED' });
}

/**
 * What a route that asks a remote system while the request waits answers when it refuses (502) or does not
 * answer (503): planning and applying fresh orders while the POS fails, linking and verifying while NuORDER does.
 */
export async function remoteJourney(api: ContractClient, e: EngineHarness, locationId: string): Promise<void> {
  const pos = e.posConnection.id;
  const fresh = ((await api.expect(200, 'GET', '/api/orders?syncStatus=not_exported')).orders as Json[]).filter(
    (o) => o.status !== 'cancelled',
  );
  const ready: Json[] = [];
  for (const order of fresh) {
    const plan = await api.expect(201, 'POST', '/api/plans', {
      body: { connectionId: pos, locationId, orderIds: [order.id] },
    });
    if (plan.canApply) ready.push(plan);
    if (ready.length === 2) break;
  }
  for (const [i, status] of [400, 503].entries()) {
    const answer = status === 400 ? 502 : 503;
    await simControl(e.pos, 'POST', '/_sim/faults', { kind: 'error', status });
    try {
      await api.expect(answer, 'POST', '/api/plans', {
        body: { connectionId: pos, locationId, orderIds: [fresh[fresh.length - 1]!.id] },
      });
      await api.expect(answer, 'POST', `/api/plans/${ready[i]!.id}/apply`);
      // A location the cached list does not have: the POS is asked again.
      await api.expect(answer, 'PATCH', `/api/connections/${pos}`, { body: { defaultLocationId: 'not-a-location' } });
    } finally {
      await simControl(e.pos, 'DELETE', '/_sim/faults');
    }
  }
}

/**
 * A remote system stops accepting the connection's credentials (and a refresh does not help): the request that
 * found out answers 409 CONNECTION_NEEDS_RELINK. Then the connection is linked again (NuORDER: with its token;
 * the POS: its status put back, as a person's relink would).
 */
export async function authLostJourney(api: ContractClient, e: EngineHarness): Promise<void> {
  const brand = e.sources[0]!;
  await simControl(e.nuorder, 'POST', '/_sim/faults', { kind: 'token_expired' });
  await api.expect(409, 'GET', `/api/connections/${brand.id}/retailers`, { code: 'CONNECTION_NEEDS_RELINK' });
  await simControl(e.nuorder, 'DELETE', '/_sim/faults');
  const pos = e.posConnection;
  await simControl(e.pos, 'POST', '/_sim/faults', { kind: 'token_expired' });
  await api.expect(409, 'PATCH', `/api/connections/${pos.id}`, {
    body: { defaultLocationId: 'not-a-location' },
    code: 'CONNECTION_NEEDS_RELINK',
  });
  await simControl(e.pos, 'DELETE', '/_sim/faults');
  for (const c of [brand, pos])
    await connections.update(e.ctx.store.db, e.tenantId, c.id, { status: 'linked' }, Date.now());
}
