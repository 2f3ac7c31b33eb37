/**
 * The contract test's journeys over connections and the merchant's settings: linking (X-Series consent, NuORDER
 * approval or a pasted token), the NuORDER store, mappings, pricing, the forecast, the doctor and the web app's
 * reads. Every reply is checked by the ContractClient.
 */
import { buildScenario, scenarioOptions } from '../../src/simulators/shared/scenario.ts';
import { simControl, type ContractClient } from './contract.ts';
import type { EngineHarness } from './engine.ts';

type Json = Record<string, any>;

const consumer = { consumerKey: 'tl-demo-consumer-key', consumerSecret: 'tl-demo-consumer-secret' };

/** The token NuORDER Admin issued for a demo brand portal (the simulator's seeded credentials). */
function issuedToken(brandName: string): { token: string; tokenSecret: string } {
  const code = buildScenario(scenarioOptions('demo'))
    .brands.find((b) => b.name === brandName)!
    .code.toLowerCase();
  return { token: `tl-demo-token-${code}`, tokenSecret: `tl-demo-token-${code}-secret` };
}

export async function connectionJourney(api: ContractClient, e: EngineHarness): Promise<void> {
  const list = await api.expect(200, 'GET', '/api/connections?limit=2');
  if (list.connections.length !== 2 || list.total < 4) throw new Error(`connections page: ${JSON.stringify(list)}`);
  const pos = e.posConnection.id;
  await api.expect(200, 'PATCH', `/api/connections/${pos}`, { body: { name: 'Main store', syncMode: 'manual' } });
  const start = await api.expect(201, 'POST', '/api/connections/pos', { body: { system: 'lightspeed-x' } });
  const state = new URL(start.authorizeUrl).searchParams.get('state');
  await api.expect(302, 'GET', `/api/connections/oauth/callback?state=${state}&error=access_denied`);
  await api.expect(200, 'GET', `/api/connections/${pos}/doctor`);
  await nuorderJourney(api, e);
}

/** A linked demo brand portal: its connection and the brand name it was linked with. */
function demoBrand(e: EngineHarness, index: number): { id: string; name: string } {
  const source = e.sources[index]!;
  return { id: source.id, name: source.settings['brandName'] as string };
}

async function nuorderJourney(api: ContractClient, e: EngineHarness): Promise<void> {
  const brand = demoBrand(e, 0);
  const retailers = await api.expect(200, 'GET', `/api/connections/${brand.id}/retailers`);
  const chosen = retailers.chosen.id as string;
  await api.expect(200, 'PUT', `/api/connections/${brand.id}/retailer`, { body: { retailerId: chosen } });
  const other = (retailers.retailers as Json[]).find((r) => r.id !== chosen);
  if (!other) throw new Error('the brand sells to another store too');
  await api.expect(409, 'PUT', `/api/connections/${brand.id}/retailer`, {
    body: { retailerId: other.id },
    code: 'NUORDER_RETAILER_LOCKED',
  });
  // A pasted token: linked at once (the same brand portal: its connection comes back).
  const relinked = await api.expect(201, 'POST', '/api/connections/nuorder', {
    body: { brandName: brand.name, ...consumer, ...issuedToken(brand.name) },
  });
  if (relinked.connection?.id !== brand.id) throw new Error(`relinked as ${JSON.stringify(relinked)}`);
  await api.expect(400, 'POST', '/api/connections/nuorder', {
    body: { brandName: brand.name, consumerKey: 'nobody', consumerSecret: 'nothing', token: 'x', tokenSecret: 'y' },
    code: 'LINK_FAILED',
  });
  // The approval: started, not approved yet, approved in NuORDER, which POSTs the verifier to our callback.
  const started = await api.expect(201, 'POST', '/api/connections/nuorder', {
    body: { brandName: brand.name, ...consumer },
  });
  const linkId = started.pending.linkId as string;
  await api.expect(409, 'POST', '/api/connections/nuorder/verify', {
    body: { linkId },
    code: 'NUORDER_NOT_APPROVED_YET',
  });
  await api.expect(400, 'POST', '/api/connections/nuorder/verify', {
    body: { linkId: 'no-such-attempt' },
    code: 'LINK_STATE_UNKNOWN',
  });
  const pending = await requestToken(e, linkId);
  const approved = await simControl(e.nuorder, 'POST', '/_sim/oauth/approve', { oauth_token: pending.token });
  const callback = `/api/connections/nuorder/callback?state=${linkId}`;
  await api.expect(303, 'POST', callback, {
    as: 'nobody',
    rawBody: new URLSearchParams({ oauth_token: pending.token, oauth_verifier: approved.oauth_verifier }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  await api.expect(303, 'GET', callback);
  // Verified already: the attempt is used up.
  await api.expect(400, 'POST', '/api/connections/nuorder/verify', { body: { linkId } });
  // The code NuORDER shows, pasted.
  const again = await api.expect(201, 'POST', '/api/connections/nuorder', {
    body: { brandName: brand.name, ...consumer },
  });
  const shown = await simControl(e.nuorder, 'POST', '/_sim/oauth/approve', {
    oauth_token: (await requestToken(e, again.pending.linkId)).token,
  });
  await api.expect(200, 'POST', '/api/connections/nuorder/verify', {
    body: { linkId: again.pending.linkId, verifier: shown.oauth_verifier },
  });
}

/** The application waiting for approval at the NuORDER simulator for one linking attempt. */
async function requestToken(e: EngineHarness, linkId: string): Promise<{ token: string }> {
  const state = await simControl(e.nuorder, 'GET', '/_sim/state');
  const found = (state.requestTokens as Json[]).find((t) => String(t.callback).endsWith(`?state=${linkId}`));
  if (!found) throw new Error(`no pending NuORDER application for ${linkId}`);
  return found as { token: string };
}

export async function merchantJourney(api: ContractClient, e: EngineHarness): Promise<void> {
  const pos = e.posConnection.id;
  const mappings = await api.expect(200, 'GET', `/api/connections/${pos}/mappings`);
  const brand = mappings.brands[0] as Json;
  const supplier = (mappings.suppliers as Json[])[0];
  await api.expect(200, 'PUT', `/api/connections/${pos}/mappings/brands/${encodeURIComponent(brand.brandSourceId)}`, {
    body: { supplierId: supplier?.id ?? null },
  });
  const address = mappings.addresses[0] as Json;
  const location = mappings.locations[0] as Json;
  await api.expect(200, 'PUT', `/api/connections/${pos}/mappings/locations`, {
    body: { addressKey: address.addressKey, locationId: location.id },
  });
  const orders = (await api.expect(200, 'GET', '/api/orders?limit=2')).orders as Json[];
  await api.expect(200, 'GET', `/api/connections/${pos}/location-for?orderIds=${orders.map((o) => o.id).join(',')}`);
  await api.expect(200, 'GET', `/api/connections/${pos}/pricing`);
  const policy = {
    rule: { basis: { kind: 'markup', factor: 2.2 }, rounding: '.99', floorAtMsrp: true, minMarginPercent: null },
  };
  await api.expect(200, 'POST', `/api/connections/${pos}/pricing/dry-run`, { body: policy });
  await api.expect(200, 'PUT', `/api/connections/${pos}/pricing`, { body: { policy, followBrandPrices: true } });
  await api.expect(400, 'PUT', `/api/connections/${pos}/pricing`, {
    body: { policy: { rule: { basis: { kind: 'markup', factor: -1 } } } },
  });
  const brands = (await api.expect(200, 'GET', '/api/brands')).brands as Json[];
  await api.expect(200, 'GET', `/api/brands/${brands[0]!.id}/forecast`);
  await api.expect(200, 'GET', `/api/brands/${brands[0]!.id}/forecast?format=csv`);
}

export async function webJourney(api: ContractClient): Promise<void> {
  await api.expect(200, 'GET', '/api/web/guide');
  await api.expect(200, 'PUT', '/api/web/guide', { body: { step: 2 } });
  await api.expect(200, 'GET', '/api/web/connection-health');
}

/** An organization with a brand portal but no point of sale: the forecast has nothing to plan against. */
export async function noPosJourney(api: ContractClient, e: EngineHarness): Promise<void> {
  const brand = demoBrand(e, 0);
  await api.expect(201, 'POST', '/api/connections/nuorder', {
    body: { brandName: brand.name, ...consumer, ...issuedToken(brand.name) },
  });
  const brands = (await api.expect(200, 'GET', '/api/brands')).brands as Json[];
  await api.expect(409, 'GET', `/api/brands/${brands[0]!.id}/forecast`, { code: 'NO_POS_CONNECTION' });
}

/** Last: the POS connection is unlinked, after everything else used it. */
export async function unlinkJourney(api: ContractClient, e: EngineHarness): Promise<void> {
  await api.expect(200, 'DELETE', `/api/connections/${e.sources[2]!.id}`);
}

/** Linking while NuORDER fails: its store list, its token exchange, the store choice (502 refused, 503 down). */
export async function nuorderRemoteJourney(api: ContractClient, e: EngineHarness): Promise<void> {
  const brand = demoBrand(e, 1);
  const issued = { brandName: brand.name, ...consumer, ...issuedToken(brand.name) };
  const retailers = await api.expect(200, 'GET', `/api/connections/${brand.id}/retailers`);
  // Unlinked and linked again, the brand portal has no store chosen: choosing one asks NuORDER for its stores.
  await api.expect(200, 'DELETE', `/api/connections/${brand.id}`);
  await api.expect(201, 'POST', '/api/connections/nuorder', { body: issued });
  for (const [status, answer] of [
    [400, 502],
    [503, 503],
  ] as const) {
    const started = await api.expect(201, 'POST', '/api/connections/nuorder', {
      body: { brandName: brand.name, ...consumer },
    });
    const shown = await simControl(e.nuorder, 'POST', '/_sim/oauth/approve', {
      oauth_token: (await requestToken(e, started.pending.linkId)).token,
    });
    await simControl(e.nuorder, 'POST', '/_sim/faults', { kind: 'error', status, path: '/api/orders/*/detail' });
    await api.expect(answer, 'POST', '/api/connections/nuorder', {
      body: { ...issued, retailerId: retailers.chosen.id },
    });
    await api.expect(answer, 'PUT', `/api/connections/${brand.id}/retailer`, {
      body: { retailerId: retailers.chosen.id },
    });
    await simControl(e.nuorder, 'DELETE', '/_sim/faults');
    await simControl(e.nuorder, 'POST', '/_sim/faults', { kind: 'error', status, path: '/api/*token*' });
    await api.expect(answer, 'POST', '/api/connections/nuorder/verify', {
      body: { linkId: started.pending.linkId, verifier: shown.oauth_verifier },
    });
    await simControl(e.nuorder, 'DELETE', '/_sim/faults');
  }
  await api.expect(200, 'PUT', `/api/connections/${brand.id}/retailer`, { body: { retailerId: retailers.chosen.id } });
}
